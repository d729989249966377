// Plastic spike delivery: the cost of one plastic synaptic event (a spike
// reaching one stdp_dopamine synapse: carry its weight and eligibility in
// closed form from its source's last spike over the post spikes it saw,
// depress, transmit) and the memory per synapse, against the static
// delivery of micro_delivery.cpp on the same rows.
//
// Regime: dt = 1 ms epochs of one step, 1 % of the neurons spiking per step
// (10 Hz) as sources and as targets, rows of 100 synapses with random targets
// and delays 1-20 steps, a dopamine pulse every 20 steps (50 Hz of jumps, so
// windows between pre spikes hold ~5 jumps that the closed form must cross).
// Two sizes: 1000 neurons (100 k synapses, in cache) and 100 k neurons (10 M
// synapses, out of cache).
// Reported: synaptic events per second (items_per_second), bytes_per_synapse
// (the synapse record) and bytes_total_per_synapse (with row index, per-source
// state, post-spike histories and dopamine knots).

#include <benchmark/benchmark.h>

#include <vector>

#include "core/plastic_projection.hpp"
#include "core/random.hpp"
#include "models/stdp_corticostriatal.hpp"
#include "models/stdp_dopamine.hpp"

namespace {

using bgsim::Step;

struct Setup {
  std::uint32_t neurons;
  bgsim::ConnectionList list;
  std::vector<std::vector<bgsim::SpikeEvent>> batches;  // spikes stamped 1, reused cyclically
};

Setup make(std::uint32_t neurons) {
  Setup s{neurons, {}, {}};
  bgsim::RandomStream rng(1, bgsim::Purpose::connectivity, 0, 0);
  for (std::uint32_t src = 0; src < neurons; ++src)
    for (std::uint32_t k = 0; k < 100; ++k)
      s.list.add(src, rng() % neurons, 1.0, 1 + rng() % 20);
  s.batches.resize(64);
  for (auto& b : s.batches) {
    std::vector<std::uint32_t> ids;
    for (std::uint32_t i = 0; i < neurons / 100; ++i)
      ids.push_back(rng() % neurons);
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    for (auto id : ids)
      b.push_back({0, id, 0});
  }
  return s;
}

// Dopamine: +0.01 every 20 steps (ms), τ_d = 200 ms, b = 0.001: the level
// stays above b from the first pulse on. The `crossing` variant alternates
// pulses of +0.01 and −0.01 every 20 ms with τ_d = 20 ms and b = 0.005:
// d − b changes sign at each rise and again about 14 ms later as d decays (two
// changes per 40 ms from the first step on), so a two-trace synapse
// evaluates one run per 20 ms of its window.
// phi_half > 0: the rule reads a receptor's occupancy (quadrature per piece).
template <class Rule>
void plastic_delivery_of(benchmark::State& state, bool crossing, double phi_half = 0.0) {
  Setup s = make(static_cast<std::uint32_t>(state.range(0)));
  const bgsim::Resolution res(1.0);
  bgsim::DopamineVolume volume(
      "da", {.tau_ms = crossing ? 20.0 : 200.0, .baseline = 0.0, .spike_increment = 0.0});
  volume.prepare(res, 0);
  typename Rule::Params p;
  p.b = crossing ? 0.005 : 0.001;
  if constexpr (requires { p.phi_half; }) p.phi_half = phi_half;
  bgsim::EventDrivenProjection<Rule> proj("p", 0, 0, 0, s.neurons, std::move(s.list), p, 0);
  bgsim::DopamineVolume* volumes[] = {&volume};
  proj.bind({res, 0, 0, volumes});
  proj.prepare(bgsim::Partition::blocks(s.neurons, 1), 0);
  bgsim::InputBuffer input;
  input.resize(1, proj.max_delay(), s.neurons);
  std::uint64_t events = 0, seq = 0;
  Step t = 0;
  std::vector<bgsim::SpikeEvent> pre, post;
  for (auto _ : state) {
    // One epoch [t, t + 1): the spikes stamped t + 1.
    pre = s.batches[static_cast<std::size_t>(t) % s.batches.size()];
    post = s.batches[static_cast<std::size_t>(t + 7) % s.batches.size()];
    for (auto& e : pre)
      e.step = t + 1;
    for (auto& e : post)
      e.step = t + 1;
    if (t % 20 == 0)
      volume.handle({.step = t, .seq = seq++, .value = crossing && t % 40 ? -0.01 : 0.01});
    volume.commit(t + 1);
    proj.begin_epoch(t, t + 1);
    events += proj.deliver_epoch({pre, post, t, t + 1, 0, &input});
    proj.end_epoch(t, t + 1);
    input.clear(t + 1, 0, s.neurons);
    ++t;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(events));
  state.counters["bytes_per_synapse"] = static_cast<double>(proj.bytes_per_synapse());
  state.counters["bytes_total_per_synapse"] =
      static_cast<double>(proj.bytes()) / static_cast<double>(proj.size());
}

void plastic_delivery(benchmark::State& state) {
  plastic_delivery_of<bgsim::models::StdpDopamine>(state, false);
}
void plastic_delivery_occupancy(benchmark::State& state) {
  plastic_delivery_of<bgsim::models::StdpDopamine>(state, false, 0.01);
}
void plastic_delivery_corticostriatal(benchmark::State& state) {
  plastic_delivery_of<bgsim::models::StdpCorticostriatal>(state, false);
}
void plastic_delivery_corticostriatal_crossing(benchmark::State& state) {
  plastic_delivery_of<bgsim::models::StdpCorticostriatal>(state, true);
}

void static_delivery(benchmark::State& state) {
  Setup s = make(static_cast<std::uint32_t>(state.range(0)));
  bgsim::StaticProjection proj("p", 0, 0, 0, s.neurons, std::move(s.list));
  proj.prepare(bgsim::Partition::blocks(s.neurons, 1), 0);
  bgsim::InputBuffer input;
  input.resize(1, proj.max_delay(), s.neurons);
  std::uint64_t events = 0;
  Step t = 0;
  std::vector<bgsim::SpikeEvent> pre;
  for (auto _ : state) {
    pre = s.batches[static_cast<std::size_t>(t) % s.batches.size()];
    for (auto& e : pre)
      e.step = t + 1;
    events += proj.deliver(pre, 0, input);
    input.clear(t + 1, 0, s.neurons);
    ++t;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(events));
  state.counters["bytes_per_synapse"] = static_cast<double>(proj.bytes_per_synapse());
  state.counters["bytes_total_per_synapse"] =
      static_cast<double>(proj.bytes()) / static_cast<double>(proj.size());
}

BENCHMARK(plastic_delivery)->Arg(1000)->Arg(100000)->Unit(benchmark::kMicrosecond);
BENCHMARK(plastic_delivery_occupancy)->Arg(1000)->Unit(benchmark::kMicrosecond);
BENCHMARK(plastic_delivery_corticostriatal)->Arg(1000)->Arg(100000)->Unit(benchmark::kMicrosecond);
BENCHMARK(plastic_delivery_corticostriatal_crossing)
    ->Arg(1000)
    ->Arg(100000)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(static_delivery)->Arg(1000)->Arg(100000)->Unit(benchmark::kMicrosecond);

}  // namespace
