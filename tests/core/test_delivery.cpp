// Pins the spike time-stamp and delay conventions (core/time.hpp): a neuron
// crossing threshold in the update of step n is stamped n + 1; a spike stamped
// k with delay d is in the input read by the update of step k + d, also across
// many wrap-arounds of the ring buffer and epoch boundaries, for any thread
// count.

#include <gtest/gtest.h>

#include <bit>

#include "core/recorder.hpp"
#include "core/simulator.hpp"
#include "tests/core/test_support.hpp"

namespace bgsim {
namespace {

using test_support::relay;
using test_support::spike_source;

TEST(Delivery, SpikeStampedAtTimeArrivesAfterExactlyItsDelay) {
  for (int threads : {1, 2, 4}) {
    Simulator sim({.dt_ms = 0.1, .seed = 3, .threads = threads});
    const auto src = sim.add_population(spike_source("src", {{1.0}}));  // stamp 10
    const auto dst = sim.add_population(relay("dst", 1));
    ConnectionList c;
    c.add(0, 0, 2.5, sim.resolution().delay_steps(0.5));  // 5 steps
    sim.add_projection(std::make_unique<StaticProjection>("src->dst", src, dst, 0, 1, c));
    MemorySink sink;
    sim.set_sink(&sink);
    sim.add_spike_recorder(
        std::make_unique<SpikeRecorder>("src", src, std::vector<std::uint32_t>{}));
    // "received" is the input of the last update; sampled at step n it shows
    // the input of the update of step n - 1.
    sim.add_state_recorder(
        std::make_unique<StateRecorder>("probe", dst, "received", std::vector<std::uint32_t>{}, 1));
    sim.run(40);
    sim.flush_recorders();
    ASSERT_EQ(sink.spikes_of("src").size(), 1u);
    EXPECT_EQ(sink.spikes_of("src")[0].step, 10);
    const auto& s = sink.samples_of("probe");
    for (std::size_t row = 0; row < s.steps.size(); ++row) {
      const Step update = s.steps[row] - 1;
      EXPECT_EQ(s.values[row], update == 15 ? 2.5 : 0.0) << "update of step " << update;
    }
  }
}

TEST(Delivery, ChainOfOneStepDelaysAdvancesTwoStepsPerHop) {
  // Relay stamps: source k -> relay1 reads it at k+1, spikes stamped k+2 ->
  // relay2 reads it at k+3 and spikes at k+4. With one-step delays the epoch is
  // two steps long, so this crosses epoch boundaries at every hop.
  for (int threads : {1, 2, 3}) {
    Simulator sim({.dt_ms = 1.0, .seed = 1, .threads = threads});
    const auto src = sim.add_population(spike_source("src", {{3.0, 4.0, 10.0}}));
    const auto r1 = sim.add_population(relay("r1", 1));
    const auto r2 = sim.add_population(relay("r2", 1));
    ConnectionList c;
    c.add(0, 0, 1.0, 1);
    sim.add_projection(std::make_unique<StaticProjection>("a", src, r1, 0, 1, c));
    sim.add_projection(std::make_unique<StaticProjection>("b", r1, r2, 0, 1, c));
    EXPECT_EQ(sim.epoch_steps(), 2);
    MemorySink sink;
    sim.set_sink(&sink);
    sim.add_spike_recorder(std::make_unique<SpikeRecorder>("r2", r2, std::vector<std::uint32_t>{}));
    sim.run(30);
    sim.flush_recorders();
    std::vector<Step> stamps;
    for (const auto& s : sink.spikes_of("r2"))
      stamps.push_back(s.step);
    EXPECT_EQ(stamps, (std::vector<Step>{7, 8, 14})) << "threads " << threads;
  }
}

TEST(Delivery, ExactAcrossManyRingWrapArounds) {
  // Delays 1..7 steps: the ring has 8 slots; a source fires every step for
  // 500 steps, wrapping the ring more than 60 times. Each target j receives
  // through a delay of j + 1 steps, so its input at update n is exactly the
  // weight of the spike stamped n - (j + 1).
  Simulator sim({.dt_ms = 0.5, .seed = 9, .threads = 2});
  std::vector<double> times;
  for (int k = 1; k <= 500; ++k)
    times.push_back(0.5 * k);
  const auto src = sim.add_population(spike_source("src", {times}));
  const auto dst = sim.add_population(relay("dst", 7));
  ConnectionList c;
  for (std::uint32_t j = 0; j < 7; ++j)
    c.add(0, j, 1.0 + j, j + 1);
  sim.add_projection(std::make_unique<StaticProjection>("src->dst", src, dst, 0, 1, c));
  MemorySink sink;
  sim.set_sink(&sink);
  sim.add_state_recorder(
      std::make_unique<StateRecorder>("probe", dst, "received", std::vector<std::uint32_t>{}, 1));
  sim.run(520);
  sim.flush_recorders();
  const auto& s = sink.samples_of("probe");
  ASSERT_EQ(s.width, 7u);
  for (std::size_t row = 0; row < s.steps.size(); ++row) {
    const Step update = s.steps[row] - 1;
    for (std::uint32_t j = 0; j < 7; ++j) {
      const Step stamp = update - (j + 1);
      const double expected = (stamp >= 1 && stamp <= 500) ? 1.0 + j : 0.0;
      ASSERT_EQ(s.values[row * 7 + j], expected) << "update " << update << " target " << j;
    }
  }
  EXPECT_EQ(sim.counters().synaptic_events, 500u * 7u);
}

TEST(Delivery, HomogeneousRowsGiveTheSameSumsAsFullRows) {
  // One weight and one delay for every synapse: the projection keeps only the
  // targets (4 bytes). The same list plus one synapse of another weight from
  // a source that never fires keeps the 12-byte rows and delivers exactly the
  // same events. 0.1 is not a float, so the weight's rounding is exercised;
  // many sources hit one target in the same step, so the order of the sums is.
  const std::uint32_t n_src = 40, n_dst = 13;
  std::vector<std::vector<double>> times(n_src);
  for (std::uint32_t i = 0; i + 1 < n_src; ++i)
    for (int k = 1; k <= 30; ++k)
      times[i].push_back(0.1 * ((i * 7 + k * 11) % 200 + 1));
  ConnectionList hom;
  for (std::uint32_t i = 0; i < n_src; ++i)
    for (std::uint32_t j = 0; j < n_dst; ++j)
      if ((i * 31 + j * 17) % 5 != 0) hom.add(i, j, 0.1, 4);
  ConnectionList het = hom;
  het.add(n_src - 1, 3, -7.0, 4);  // the silent source
  auto run = [&](const ConnectionList& c, int threads, bool expect_homogeneous) {
    Simulator sim({.dt_ms = 0.1, .seed = 2, .threads = threads});
    const auto src = sim.add_population(spike_source("src", times));
    const auto dst = sim.add_population(relay("dst", n_dst));
    auto p = std::make_unique<StaticProjection>("src->dst", src, dst, 0, n_src, c);
    EXPECT_EQ(p->homogeneous(), expect_homogeneous);
    EXPECT_EQ(p->bytes_per_synapse(), expect_homogeneous ? 4u : 12u);
    const StaticProjection& proj = *p;
    sim.add_projection(std::move(p));
    MemorySink sink;
    sim.set_sink(&sink);
    sim.add_state_recorder(
        std::make_unique<StateRecorder>("probe", dst, "received", std::vector<std::uint32_t>{}, 1));
    sim.run(250);
    sim.flush_recorders();
    // What a user reads back is what was asked for, in float32 (by source,
    // then target).
    const ConnectionList back = proj.connections();
    EXPECT_EQ(back.size(), c.size());
    for (std::size_t k = 0; k < back.size(); ++k) {
      const bool silent = back.source[k] == n_src - 1 && back.target[k] == 3;
      EXPECT_EQ(back.weight[k], silent ? -7.0 : static_cast<double>(0.1f));
      EXPECT_EQ(back.delay[k], 4);
    }
    return std::pair{sink.samples_of("probe").values, sim.counters().synaptic_events};
  };
  const auto [full, full_events] = run(het, 1, false);
  for (int threads : {1, 2, 3}) {
    const auto [rows, events] = run(hom, threads, true);
    ASSERT_EQ(rows.size(), full.size());
    for (std::size_t k = 0; k < rows.size(); ++k)
      ASSERT_EQ(std::bit_cast<std::uint64_t>(rows[k]), std::bit_cast<std::uint64_t>(full[k]))
          << "sample " << k << ", " << threads << " threads";
    EXPECT_EQ(events, full_events);
  }
  EXPECT_GT(full_events, 0u);
}

TEST(Delivery, SpikeSourceRefusesTimesBeforeTheFirstStamp) {
  Simulator sim({.dt_ms = 0.1});
  sim.add_population(spike_source("src", {{0.04}}));
  EXPECT_THROW(sim.run(1), std::invalid_argument);
}

}  // namespace
}  // namespace bgsim
