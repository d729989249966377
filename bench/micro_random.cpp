// Random numbers on the per-neuron, per-step paths: what one Philox block
// costs one stream at a time (RandomStream, the scalar chain of ten rounds)
// and in batches of consecutive streams (core/philox_batch.hpp, vectorised),
// and what the devices built on them cost per neuron and step: Poisson drive
// at Brunel's rate (λ = 2 per step, one deviate by table inversion) and
// Izhikevich's uniform thalamic current. These set the floor of every network
// with noise or Poisson drive: 125 M neuron-steps per biological second in
// Brunel's network at order 2500.
// Reported: ns per block or per neuron-step (items_per_second inverted).

#include <benchmark/benchmark.h>

#include <vector>

#include "core/event_queue.hpp"
#include "core/philox_batch.hpp"
#include "core/random.hpp"
#include "core/registry.hpp"

namespace {

constexpr std::size_t n = 4096;

void BM_PhiloxOneStreamAtATime(benchmark::State& state) {
  std::uint64_t step = 0;
  for (auto _ : state) {
    std::uint32_t acc = 0;
    for (std::size_t i = 0; i < n; ++i) {
      bgsim::RandomStream r(1, bgsim::Purpose::poisson_input, i, step);
      acc ^= r() ^ r() ^ r() ^ r();
    }
    benchmark::DoNotOptimize(acc);
    ++step;
  }
  state.SetItemsProcessed(state.iterations() * n);
}

void BM_PhiloxBatched(benchmark::State& state) {
  bgsim::PhiloxWords words;
  std::uint64_t step = 0;
  for (auto _ : state) {
    for (std::size_t base = 0; base < n; base += bgsim::philox_batch_size) {
      bgsim::philox_first_blocks(1, bgsim::Purpose::poisson_input, base, step,
                                 bgsim::philox_batch_size, words);
      benchmark::DoNotOptimize(words.w0[0]);
    }
    ++step;
  }
  state.SetItemsProcessed(state.iterations() * n);
}

// One device contributing to n neurons per step, as the kernel calls it.
void device_per_step(benchmark::State& state, const std::string& model,
                     const bgsim::ParamMap& params, double dt_ms) {
  auto dev = bgsim::DeviceModels::instance().find(model)->create("d", 0, 0, params);
  bgsim::EventQueue queue;
  bgsim::PrepareContext ctx{bgsim::Resolution(dt_ms), 1, &queue, 0};
  dev->prepare(ctx);
  std::vector<double> input(n, 0.0);
  bgsim::Step step = 0;
  for (auto _ : state) {
    dev->contribute(step++, 0, n, input.data(), 0);
    benchmark::DoNotOptimize(input.data());
  }
  state.SetItemsProcessed(state.iterations() * n);
}

void BM_PoissonInputBrunel(benchmark::State& s) {  // 20 kHz at dt 0.1 ms: λ = 2
  device_per_step(s, "poisson_input", {{"rate_Hz", 20000.0}, {"weight", 0.1}}, 0.1);
}
void BM_UniformCurrentThalamic(benchmark::State& s) {  // Izhikevich (2007), dt 1 ms
  device_per_step(s, "uniform_current", {{"low", -6.5}, {"high", 6.5}}, 1.0);
}

// Each implementation by name (0 portable, 1 AVX2, 2 AVX-512), skipped where
// the CPU lacks it.
void BM_PhiloxIsa(benchmark::State& state) {
  const auto isa = static_cast<bgsim::PhiloxIsa>(state.range(0));
  bgsim::PhiloxWords words;
  if (!bgsim::philox_first_blocks_with(isa, 1, bgsim::Purpose::poisson_input, 0, 0, 1, words)) {
    state.SkipWithError("not supported on this CPU");
    return;
  }
  std::uint64_t step = 0;
  for (auto _ : state) {
    for (std::size_t base = 0; base < n; base += bgsim::philox_batch_size) {
      bgsim::philox_first_blocks_with(isa, 1, bgsim::Purpose::poisson_input, base, step,
                                      bgsim::philox_batch_size, words);
      benchmark::DoNotOptimize(words.w0[0]);
    }
    ++step;
  }
  state.SetItemsProcessed(state.iterations() * n);
}

BENCHMARK(BM_PhiloxOneStreamAtATime);
BENCHMARK(BM_PhiloxIsa)->DenseRange(0, 2);
BENCHMARK(BM_PhiloxBatched);
BENCHMARK(BM_PoissonInputBrunel);
BENCHMARK(BM_UniformCurrentThalamic);

}  // namespace
