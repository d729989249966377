// When a population sees a dopamine change (docs/conventions.md): the update
// of step n reads the level at step n, after the jumps at n — the level a
// neuromodulator recorder shows at step n — whatever the epoch length (which
// the network's delays set), the thread count, or how a run is split; and what
// the kernel refuses.

#include <gtest/gtest.h>

#include <cmath>

#include "tests/core/test_support.hpp"

namespace bgsim {
namespace {

// Keeps the level its update of each step read: `seen` at step n + 1 (state
// sampled before the update of n + 1) is what the update of step n read.
struct LevelProbe {
  static constexpr std::string_view name = "test_level_probe";
  struct Params {};
  static const ParamTable<Params>& param_table() {
    static const ParamTable<Params> t({});
    return t;
  }
  struct State {
    std::vector<double> seen;
  };
  template <class S, class F>
  static void fields(S& s, F&& f) {
    f("seen", "1", s.seen);
  }
  static void init(const Params&, State& s, std::size_t n) { s.seen.assign(n, NAN); }
  struct Derived {};
  static Derived prepare(const Params&, const Resolution&) { return {}; }
  static constexpr std::array<Receptor, 1> receptors{{{"excitatory", ReceptorKind::spike, "1"}}};
  static std::string cannot_read_neuromodulator(const Params&) { return ""; }
  static void update(const Params&, const Derived&, State& s, const UpdateContext& ctx,
                     std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i)
      s.seen[i] = ctx.neuromodulator ? *ctx.neuromodulator : -1.0;
  }
};

struct Trace {
  std::vector<double> seen;   // seen[n]: the level the update of step n read (neuron 0)
  std::vector<double> level;  // level[n]: the recorded level at step n
  Step epoch = 0;
};

// SNc spikes (a spike_source) drive volume "da" with delay `delay_ms`, plus
// pulses at steps 1234 (+0.3) and 2001 (−0.2); a probe population of 3 reads
// it. A relay pair connected with `delay_steps` sets the epoch length.
Trace simulate(double delay_ms, Step delay_steps, int threads, std::vector<Step> pieces) {
  Simulator sim({.dt_ms = 0.1, .seed = 9, .threads = threads});
  MemorySink sink;
  const auto snc = sim.add_population(
      test_support::spike_source("snc", {{10.0, 10.3, 55.5, 100.0}, {10.3, 180.2}}));
  const auto probe = sim.add_population(
      std::make_unique<ModelPopulation<LevelProbe>>("probe", 3, LevelProbe::Params{}));
  const auto relay = sim.add_population(test_support::relay("relay", 2));
  ConnectionList c;
  c.add(0, 1, 1.0, delay_steps);
  sim.add_projection(std::make_unique<StaticProjection>("r", relay, relay, 0, 2, std::move(c)));
  DopamineVolume::Params p{.tau_ms = 50.0, .baseline = 0.05, .spike_increment = 0.25};
  p.delay_ms = delay_ms;
  const auto da = sim.add_volume(std::make_unique<DopamineVolume>("da", p, snc));
  sim.read_neuromodulator(probe, da);
  sim.pulse(da, 1234, 0.3);
  sim.pulse(da, 2001, -0.2);
  sim.add_neuromodulator_recorder(std::make_unique<NeuromodulatorRecorder>("level", da, 1));
  sim.add_state_recorder(
      std::make_unique<StateRecorder>("seen", probe, "seen", std::vector<std::uint32_t>{}, 1));
  sim.set_sink(&sink);
  for (Step n : pieces)
    sim.run(n);
  sim.flush_recorders();
  Trace r;
  r.epoch = sim.epoch_steps();
  const auto& seen = sink.samples_of("seen");
  for (std::size_t i = 1; i < seen.steps.size(); ++i) {
    EXPECT_EQ(seen.values[i * 3], seen.values[i * 3 + 2]);  // every neuron reads the same
    r.seen.push_back(seen.values[i * 3]);
  }
  for (double x : sink.samples_of("level").values)
    r.level.push_back(x);
  r.level.pop_back();  // the last step's update is not sampled after it
  return r;
}

TEST(NeuromodulatedPopulation, TheUpdateOfStepNReadsTheRecordedLevelAtStepN) {
  const Trace r = simulate(0.5, 15, 1, {3000});
  ASSERT_EQ(r.seen.size(), 2999u);
  ASSERT_EQ(r.level.size(), 2999u);
  for (std::size_t n = 0; n < r.seen.size(); ++n)
    ASSERT_EQ(r.seen[n], r.level[n]) << "step " << n;
  // The spike stamped 100 (10 ms) takes effect at 100 + 5 (delay 0.5 ms):
  // the update of step 105 is the first to see it; two spikes stamped 103.
  EXPECT_EQ(r.seen[104], 0.05);
  EXPECT_DOUBLE_EQ(r.seen[105], 0.05 + 0.25);
  EXPECT_GT(r.seen[108], r.seen[107] + 0.4);
  // A pulse at step 1234 is seen by the update of step 1234.
  EXPECT_GT(r.seen[1234], r.seen[1233] + 0.29);
  EXPECT_LT(r.seen[2001], r.seen[2000] - 0.19);
  // The volume (delay 5 steps) caps epochs at 6 steps (delays of 15 would allow 16).
  EXPECT_EQ(r.epoch, 6);
}

// What a population sees does not depend on the epoch length (set by the
// network's minimum delay and by the volume's delay), the thread count or the
// split of the run: bit for bit.
TEST(NeuromodulatedPopulation, WhatIsSeenDoesNotDependOnEpochsThreadsOrSplits) {
  const Trace ref = simulate(0.5, 15, 1, {3000});
  struct Case {
    Step delay_steps;
    int threads;
    std::vector<Step> pieces;
    Step epoch;
  };
  for (const Case& c : {Case{1, 1, {3000}, 2}, Case{3, 2, {3000}, 4}, Case{40, 2, {3000}, 6},
                        Case{15, 1, {1000, 1, 333, 1666}, 6}, Case{2, 3, {1235, 1765}, 3}}) {
    SCOPED_TRACE("delay " + std::to_string(c.delay_steps) + ", threads " +
                 std::to_string(c.threads));
    const Trace r = simulate(0.5, c.delay_steps, c.threads, c.pieces);
    EXPECT_EQ(r.epoch, c.epoch);
    EXPECT_EQ(r.seen, ref.seen);
    EXPECT_EQ(r.level, ref.level);
  }
}

// With no delay from a source spike to its jump, epochs are one step long:
// the spike stamped 100 (emitted by the update of 99) is seen by the update
// of step 100.
TEST(NeuromodulatedPopulation, WithoutADelayTheJumpIsSeenAtTheSpikesOwnStamp) {
  const Trace r = simulate(0.0, 15, 2, {500});
  EXPECT_EQ(r.epoch, 1);
  EXPECT_EQ(r.seen[99], 0.05);
  EXPECT_DOUBLE_EQ(r.seen[100], 0.3);
  for (std::size_t n = 0; n < r.seen.size(); ++n)
    ASSERT_EQ(r.seen[n], r.level[n]) << "step " << n;
}

TEST(NeuromodulatedPopulation, AVolumeWithoutSourceDoesNotShortenEpochs) {
  Simulator sim({.dt_ms = 0.1});
  const auto probe = sim.add_population(
      std::make_unique<ModelPopulation<LevelProbe>>("probe", 1, LevelProbe::Params{}));
  const auto relay = sim.add_population(test_support::relay("relay", 2));
  ConnectionList c;
  c.add(0, 1, 1.0, 20);
  sim.add_projection(std::make_unique<StaticProjection>("r", relay, relay, 0, 2, std::move(c)));
  const auto da = sim.add_volume(std::make_unique<DopamineVolume>("da", DopamineVolume::Params{}));
  sim.read_neuromodulator(probe, da);
  EXPECT_EQ(sim.epoch_steps(), 21);
}

TEST(NeuromodulatedPopulation, RefusesWhatCannotReadAndASecondVolume) {
  Simulator sim({.dt_ms = 0.1});
  const auto relay = sim.add_population(test_support::relay("relay", 2));
  const auto probe = sim.add_population(
      std::make_unique<ModelPopulation<LevelProbe>>("probe", 1, LevelProbe::Params{}));
  const auto a = sim.add_volume(std::make_unique<DopamineVolume>("a", DopamineVolume::Params{}));
  const auto b = sim.add_volume(std::make_unique<DopamineVolume>("b", DopamineVolume::Params{}));
  try {
    sim.read_neuromodulator(relay, a);
    ADD_FAILURE() << "a relay has nothing a neuromodulator acts on";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("population relay (test_relay) cannot read "
                                         "neuromodulator a: model test_relay has no parameter"),
              std::string::npos)
        << e.what();
  }
  sim.read_neuromodulator(probe, a);
  EXPECT_EQ(sim.neuromodulator_of(probe), std::int64_t{a});
  EXPECT_EQ(sim.neuromodulator_of(relay), -1);
  EXPECT_THROW(sim.read_neuromodulator(probe, b), std::invalid_argument);
  EXPECT_THROW(sim.read_neuromodulator(probe, 7), std::invalid_argument);
  sim.run(10);
  EXPECT_THROW(sim.read_neuromodulator(relay, b), std::logic_error);
}

}  // namespace
}  // namespace bgsim
