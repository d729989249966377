// Neuron update per model: the cost of advancing one neuron by one step, for
// each model and scheme, on a population that fits in L2 (4096 neurons) with
// no input. This is the floor of every simulation's per-step cost; the
// whole-network drivers show how it adds up with delivery and input.
// Reported: ns per neuron-step (items_per_second inverted by the reader).

#include <benchmark/benchmark.h>

#include <vector>

#include "core/registry.hpp"
#include "core/simulator.hpp"

namespace {

// `level`: the dopamine level the population reads (nullptr: none);
// `nmda`: NMDA conductance [nS] arriving at every neuron every step.
void update_population(benchmark::State& state, const std::string& model,
                       const bgsim::ParamMap& params, const std::string& preset, double dt_ms,
                       const double* level = nullptr, double nmda = 0.0) {
  constexpr std::size_t n = 4096;
  auto pop = bgsim::make_population(model, "p", n, params, preset);
  bgsim::EventQueue queue;
  pop->prepare({bgsim::Resolution(dt_ms), 1, &queue, 0});
  const std::size_t channels = pop->receptors().size();
  std::vector<std::vector<double>> input(channels, std::vector<double>(n, 0.0));
  std::vector<const double*> ptr;
  for (auto& c : input)
    ptr.push_back(c.data());
  // A steady current keeps the neurons in their active regime.
  const int cur = pop->receptor_index("current");
  if (cur >= 0)
    std::fill(input[cur].begin(), input[cur].end(), model == "izhikevich" ? 10.0 : 400.0);
  if (const int c = pop->receptor_index("nmda"); c >= 0)
    std::fill(input[c].begin(), input[c].end(), nmda);
  std::vector<bgsim::SpikeEvent> spikes;
  bgsim::UpdateContext ctx;
  ctx.input = ptr.data();
  ctx.spikes = &spikes;
  ctx.neuromodulator = level;
  bgsim::Step step = 0;
  for (auto _ : state) {
    ctx.step = step++;
    pop->update(ctx, 0, n);
    spikes.clear();
  }
  state.SetItemsProcessed(state.iterations() * n);
}

void BM_Izhikevich_HalfSteps(benchmark::State& s) {
  update_population(s, "izhikevich", {}, "regular_spiking", 1.0);
}
void BM_Izhikevich_Euler(benchmark::State& s) {
  update_population(s, "izhikevich", {{"scheme", std::string("euler")}}, "regular_spiking", 0.1);
}
void BM_Izhikevich_RK4(benchmark::State& s) {
  update_population(s, "izhikevich", {{"scheme", std::string("rk4")}}, "regular_spiking", 0.1);
}
void BM_Izhikevich_Dopri5(benchmark::State& s) {
  update_population(s, "izhikevich", {{"scheme", std::string("dopri5")}}, "regular_spiking", 0.1);
}
void BM_LifPscExp(benchmark::State& s) {
  update_population(s, "lif_psc_exp", {}, "", 0.1);
}
void BM_PoissonSource10Hz(benchmark::State& s) {
  update_population(s, "poisson_source", {{"rate_Hz", 10.0}}, "", 0.1);
}

// izhikevich_book's MSN (dt = 0.1 ms, 400 pA): unmodulated; a D1 cell whose
// φ comes from a dopamine level every step (the modulated parameters are
// computed once per step for the population); and the same with an active
// NMDA conductance (Mg block: one exp per half step and neuron).
void BM_IzhikevichBook_Msn(benchmark::State& s) {
  update_population(s, "izhikevich_book", {}, "msn_d1", 0.1);
}
void BM_IzhikevichBook_MsnD1FromLevel(benchmark::State& s) {
  static const double level = 0.5;
  update_population(s, "izhikevich_book", {}, "msn_d1", 0.1, &level);
}
void BM_IzhikevichBook_MsnD1FromLevelNmda(benchmark::State& s) {
  static const double level = 0.5;
  update_population(s, "izhikevich_book", {}, "msn_d1", 0.1, &level, 1e-4);
}

BENCHMARK(BM_Izhikevich_HalfSteps);
BENCHMARK(BM_Izhikevich_Euler);
BENCHMARK(BM_Izhikevich_RK4);
BENCHMARK(BM_Izhikevich_Dopri5);
BENCHMARK(BM_LifPscExp);
BENCHMARK(BM_PoissonSource10Hz);
BENCHMARK(BM_IzhikevichBook_Msn);
BENCHMARK(BM_IzhikevichBook_MsnD1FromLevel);
BENCHMARK(BM_IzhikevichBook_MsnD1FromLevelNmda);

}  // namespace
