// Same seed => bit-identical spikes and state for 1, 2 and 4 threads, on a
// recurrent network with noise, Poisson drive and heterogeneous delays.

#include <gtest/gtest.h>

#include <cstring>

#include "tests/core/test_support.hpp"

namespace bgsim {
namespace {

struct Outcome {
  std::vector<SpikeEvent> spikes;
  std::vector<std::vector<double>> state;  // v and u of every population
  RunCounters counters;
};

// shared_population 1 splits every population among the threads; the
// default gives the small ones whole to one thread.
Outcome run_network(int threads, double dt_ms, Step steps, std::size_t shared_population = 256) {
  Simulator sim(
      {.dt_ms = dt_ms, .seed = 2024, .threads = threads, .shared_population = shared_population});
  test_support::build_izhikevich_network(sim);
  MemorySink sink;
  sim.set_sink(&sink);
  for (std::uint32_t p = 0; p < sim.num_populations(); ++p)
    sim.add_spike_recorder(std::make_unique<SpikeRecorder>("spikes" + std::to_string(p), p,
                                                           std::vector<std::uint32_t>{}));
  sim.run(steps);
  sim.flush_recorders();
  Outcome out;
  for (std::uint32_t p = 0; p < sim.num_populations(); ++p) {
    const auto& s = sink.spikes_of("spikes" + std::to_string(p));
    out.spikes.insert(out.spikes.end(), s.begin(), s.end());
    for (const char* var : {"v", "u"}) {
      const double* x = sim.population(p).state(var);
      out.state.emplace_back(x, x + sim.population(p).size());
    }
  }
  out.counters = sim.counters();
  return out;
}

void expect_identical(const Outcome& a, const Outcome& b) {
  ASSERT_EQ(a.spikes.size(), b.spikes.size());
  for (std::size_t i = 0; i < a.spikes.size(); ++i) {
    ASSERT_EQ(a.spikes[i].step, b.spikes[i].step) << i;
    ASSERT_EQ(a.spikes[i].gid, b.spikes[i].gid) << i;
  }
  ASSERT_EQ(a.state.size(), b.state.size());
  for (std::size_t k = 0; k < a.state.size(); ++k)
    EXPECT_EQ(0,
              std::memcmp(a.state[k].data(), b.state[k].data(), a.state[k].size() * sizeof(double)))
        << "state array " << k << " differs in its bits";
  EXPECT_EQ(a.counters.synaptic_events, b.counters.synaptic_events);
}

TEST(Determinism, BitIdenticalFor1_2_4Threads) {
  const Outcome one = run_network(1, 0.5, 2000);  // 1 s
  ASSERT_GT(one.spikes.size(), 200u) << "the network must be active for the test to mean anything";
  expect_identical(one, run_network(2, 0.5, 2000));
  expect_identical(one, run_network(4, 0.5, 2000));
  // The same with both populations (160 and 40 cells) split among the threads.
  expect_identical(one, run_network(2, 0.5, 2000, 1));
  expect_identical(one, run_network(4, 0.5, 2000, 1));
}

TEST(Determinism, SplittingARunChangesNothing) {
  const Outcome whole = run_network(2, 1.0, 600);
  Simulator sim({.dt_ms = 1.0, .seed = 2024, .threads = 2});
  test_support::build_izhikevich_network(sim);
  MemorySink sink;
  sim.set_sink(&sink);
  for (std::uint32_t p = 0; p < sim.num_populations(); ++p)
    sim.add_spike_recorder(std::make_unique<SpikeRecorder>("spikes" + std::to_string(p), p,
                                                           std::vector<std::uint32_t>{}));
  for (Step s : {1, 7, 92, 200, 300})
    sim.run(s);  // 600 steps in uneven pieces
  sim.flush_recorders();
  Outcome pieces;
  for (std::uint32_t p = 0; p < sim.num_populations(); ++p) {
    const auto& s = sink.spikes_of("spikes" + std::to_string(p));
    pieces.spikes.insert(pieces.spikes.end(), s.begin(), s.end());
    for (const char* var : {"v", "u"}) {
      const double* x = sim.population(p).state(var);
      pieces.state.emplace_back(x, x + sim.population(p).size());
    }
  }
  pieces.counters = sim.counters();
  expect_identical(whole, pieces);
}

TEST(Determinism, AnotherSeedGivesAnotherRun) {
  Simulator a({.dt_ms = 1.0, .seed = 1}), b({.dt_ms = 1.0, .seed = 2});
  test_support::build_izhikevich_network(a);
  test_support::build_izhikevich_network(b);
  a.run(300);
  b.run(300);
  EXPECT_NE(0, std::memcmp(a.population(0).state("v"), b.population(0).state("v"),
                           a.population(0).size() * sizeof(double)));
}

}  // namespace
}  // namespace bgsim
