// Spike delivery: the cost of one synaptic event (a spike reaching one
// synapse: read the synapse, add its weight into the target's ring-buffer slot)
// through StaticProjection::deliver, with rows of 100 synapses and random
// targets and delays 1-20 steps. Two sizes: targets and synapses that fit in
// cache (1000 neurons, 100 k synapses, ~1.2 MB) and that do not (100 k neurons,
// 10 M synapses, ~120 MB), the two regimes a network lives in.
// deliver_homogeneous: the same with one weight and one delay (10 steps) for
// every synapse, which the projection stores as 4-byte targets.
// Reported: synaptic events per second (items_per_second).

#include <benchmark/benchmark.h>

#include <vector>

#include "core/projection.hpp"
#include "core/random.hpp"

namespace {

void deliver_rows(benchmark::State& state, bool homogeneous) {
  const auto neurons = static_cast<std::uint32_t>(state.range(0));
  constexpr std::uint32_t per_row = 100;
  bgsim::ConnectionList list;
  bgsim::RandomStream rng(1, bgsim::Purpose::connectivity, 0, 0);
  for (std::uint32_t s = 0; s < neurons; ++s)
    for (std::uint32_t k = 0; k < per_row; ++k)
      list.add(s, rng() % neurons, 0.5, homogeneous ? 10 : 1 + rng() % 20);
  bgsim::StaticProjection proj("p", 0, 0, 0, neurons, std::move(list));
  proj.prepare(bgsim::Partition::blocks(neurons, 1), 0);
  bgsim::InputBuffer input;
  input.resize(1, proj.max_delay(), neurons);
  // 1 % of the neurons spike per batch, at random.
  std::vector<bgsim::SpikeEvent> spikes;
  for (std::uint32_t i = 0; i < neurons / 100; ++i)
    spikes.push_back({1, static_cast<std::uint32_t>(rng() % neurons), 0});
  std::uint64_t events = 0;
  for (auto _ : state) {
    events += proj.deliver(spikes, 0, input);
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(events));
  state.counters["bytes_per_synapse"] = static_cast<double>(proj.bytes_per_synapse());
}

void deliver(benchmark::State& state) {
  deliver_rows(state, false);
}
void deliver_homogeneous(benchmark::State& state) {
  deliver_rows(state, true);
}

BENCHMARK(deliver)->Arg(1000)->Arg(100000)->Unit(benchmark::kMicrosecond);
BENCHMARK(deliver_homogeneous)->Arg(1000)->Arg(100000)->Unit(benchmark::kMicrosecond);

}  // namespace
