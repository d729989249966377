// The dopamine volume: when a spike or a pulse takes effect, the exact decay
// between jumps, the order of simultaneous jumps, and its recorded trace.

#include <gtest/gtest.h>

#include <cmath>

#include "tests/core/test_support.hpp"

namespace bgsim {
namespace {

struct Volume {
  std::unique_ptr<Simulator> sim;
  MemorySink sink;
  std::uint32_t index = 0;
};

// A spike source "snc" with the given times drives volume "da", whose level is
// recorded every step.
std::unique_ptr<Volume> volume(std::vector<double> spike_times_ms, DopamineVolume::Params p,
                               int threads = 1) {
  auto v = std::make_unique<Volume>();
  v->sim =
      std::make_unique<Simulator>(SimulatorConfig{.dt_ms = 0.1, .seed = 3, .threads = threads});
  const auto snc =
      v->sim->add_population(test_support::spike_source("snc", {std::move(spike_times_ms)}));
  v->index = v->sim->add_volume(std::make_unique<DopamineVolume>("da", p, snc));
  v->sim->add_neuromodulator_recorder(
      std::make_unique<NeuromodulatorRecorder>("da_level", v->index, 1));
  v->sim->set_sink(&v->sink);
  return v;
}

double level_at(Volume& v, Step step) {
  v.sim->flush_recorders();
  const auto& s = v.sink.samples_of("da_level");
  for (std::size_t i = 0; i < s.steps.size(); ++i)
    if (s.steps[i] == step) return s.values[i];
  ADD_FAILURE() << "no sample at step " << step;
  return NAN;
}

TEST(DopamineVolume, ASpikeRaisesTheLevelAtItsStampPlusTheDelay) {
  DopamineVolume::Params p{.tau_ms = 200.0, .baseline = 0.0, .spike_increment = 0.5};
  for (double delay_ms : {0.0, 0.1, 2.5}) {
    p.delay_ms = delay_ms;
    auto v = volume({10.0}, p);  // stamped at step 100
    v->sim->run(400);
    const Step at = 100 + static_cast<Step>(std::llround(delay_ms * 10));
    EXPECT_EQ(level_at(*v, at - 1), 0.0) << "delay " << delay_ms;
    EXPECT_EQ(level_at(*v, at), 0.5) << "delay " << delay_ms;
    EXPECT_NEAR(level_at(*v, at + 50), 0.5 * std::exp(-5.0 / 200.0), 1e-15);
  }
}

TEST(DopamineVolume, APulseRaisesTheLevelAtItsStep) {
  auto v = volume({}, {.tau_ms = 100.0, .baseline = 0.2, .spike_increment = 0.0});
  v->sim->pulse(v->index, 37, 1.0);
  v->sim->pulse(v->index, 137, -0.5);  // a dip: pulses may be negative
  v->sim->run(300);
  EXPECT_EQ(level_at(*v, 0), 0.2);
  EXPECT_EQ(level_at(*v, 36), 0.2);
  EXPECT_EQ(level_at(*v, 37), 1.2);
  const double before = 0.2 + 1.0 * std::exp(-10.0 / 100.0);
  EXPECT_NEAR(level_at(*v, 137), before - 0.5, 1e-15);
  EXPECT_NEAR(level_at(*v, 237), 0.2 + (before - 0.7) * std::exp(-10.0 / 100.0), 1e-15);
}

TEST(DopamineVolume, SimultaneousJumpsAddInAFixedOrder) {
  // Two spikes and a pulse at the same step form one jump, whatever the
  // thread count and however the run is split.
  DopamineVolume::Params p{.tau_ms = 200.0, .baseline = 0.0, .spike_increment = 0.1};
  double first = 0.0;
  for (int threads : {1, 3}) {
    for (Step piece : {Step{1}, Step{7}, Step{500}}) {
      auto v = std::make_unique<Volume>();
      v->sim =
          std::make_unique<Simulator>(SimulatorConfig{.dt_ms = 0.1, .seed = 3, .threads = threads});
      const auto snc =
          v->sim->add_population(test_support::spike_source("snc", {{20.0}, {20.0}, {5.0, 20.0}}));
      v->index = v->sim->add_volume(std::make_unique<DopamineVolume>("da", p, snc));
      v->sim->add_neuromodulator_recorder(
          std::make_unique<NeuromodulatorRecorder>("da_level", v->index, 1));
      v->sim->set_sink(&v->sink);
      v->sim->pulse(v->index, 200, 0.7);
      for (Step done = 0; done < 500; done += piece)
        v->sim->run(std::min(piece, 500 - done));
      const double at = level_at(*v, 200);
      if (first == 0.0) first = at;
      EXPECT_EQ(at, first);
    }
  }
  EXPECT_NEAR(first, 0.1 * std::exp(-15.0 / 200.0) + 0.3 + 0.7, 1e-15);
}

TEST(DopamineVolume, RefusesBadParametersAndUnknownSources) {
  EXPECT_THROW(DopamineVolume("da", {.tau_ms = 0.0}), ParamErrors);
  EXPECT_THROW(DopamineVolume("da", {.delay_ms = -1.0}), ParamErrors);
  Simulator sim;
  EXPECT_THROW(sim.add_volume(std::make_unique<DopamineVolume>("da", DopamineVolume::Params{}, 3)),
               std::invalid_argument);
}

}  // namespace
}  // namespace bgsim
