// What the kernel offers a task: an ActivityWindow (spike counts and mean
// volume levels since it was opened), observers added after the first run,
// and rate changes addressed to a population by its handler id.

#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

#include "core/activity_window.hpp"
#include "tests/core/test_support.hpp"

namespace bgsim {
namespace {

// "src" spikes at 1, 2, … 50 ms (neuron 0) and 5, 10, … 50 ms (neuron 1);
// they drive volume "da" (0.1 per spike, τ 50 ms).
std::unique_ptr<Simulator> network(std::uint32_t& src, std::uint32_t& da) {
  auto sim = std::make_unique<Simulator>(SimulatorConfig{.dt_ms = 0.1, .seed = 5});
  std::vector<double> every_ms, every_5ms;
  for (int k = 1; k <= 50; ++k)
    every_ms.push_back(k);
  for (int k = 5; k <= 50; k += 5)
    every_5ms.push_back(k);
  src = sim->add_population(test_support::spike_source("src", {every_ms, every_5ms}));
  da = sim->add_volume(std::make_unique<DopamineVolume>(
      "da", DopamineVolume::Params{.tau_ms = 50.0, .baseline = 0.0, .spike_increment = 0.1}, src));
  return sim;
}

TEST(ActivityWindow, CountsTheSpikesAndAveragesTheLevelOfExactlyItsSteps) {
  std::uint32_t src = 0, da = 0;
  auto sim = network(src, da);
  MemorySink sink;
  sim->add_neuromodulator_recorder(std::make_unique<NeuromodulatorRecorder>("level", da, 1));
  sim->set_sink(&sink);
  const auto w = sim->add_observer(
      std::make_unique<ActivityWindow>("w", std::vector<std::uint32_t>{src},
                                       std::vector<const DopamineVolume*>{&sim->volume(da)}, true));
  auto& window = static_cast<ActivityWindow&>(sim->observer(w));
  sim->run(100);  // 10 ms: spikes stamped at 1 … 10 ms are outside the window
  window.open();
  sim->run(200);  // steps [100, 300): stamps 101 … 300, i.e. 10.1 … 30 ms
  // Neuron 0: 11 … 30 ms (20 spikes); neuron 1: 15, 20, 25, 30 ms (4).
  EXPECT_EQ(window.counts()[0], 24u);
  EXPECT_EQ(window.steps(), 200);
  ASSERT_EQ(window.spikes().size(), 24u);
  EXPECT_EQ(window.spikes().front().step, 110);
  EXPECT_EQ(window.spikes().back().step, 300);
  // The mean level is the mean of what a recorder shows at steps 100 … 299.
  sim->flush_recorders();
  const auto& s = sink.samples_of("level");
  double sum = 0.0;
  for (std::size_t i = 0; i < s.steps.size(); ++i)
    if (s.steps[i] >= 100 && s.steps[i] < 300) sum += s.values[i];
  EXPECT_NEAR(window.mean_level(0), sum / 200.0, 1e-12);
  EXPECT_GT(window.mean_level(0), 0.0);
  window.open();
  EXPECT_EQ(window.counts()[0], 0u);
  EXPECT_TRUE(std::isnan(window.mean_level(0)));
}

TEST(ActivityWindow, AnObserverAddedAfterARunSeesTheEpochsFromThenOn) {
  std::uint32_t src = 0, da = 0;
  auto sim = network(src, da);
  sim->run(250);
  const auto w =
      sim->add_observer(std::make_unique<ActivityWindow>("late", std::vector<std::uint32_t>{src}));
  sim->run(250);  // stamps 25.1 … 50 ms: neuron 0 25 spikes, neuron 1 5
  EXPECT_EQ(static_cast<const ActivityWindow&>(sim->observer(w)).counts()[0], 30u);
}

TEST(ActivityWindow, ARateChangeByHandlerIdActsFromItsStep) {
  Simulator sim(SimulatorConfig{.dt_ms = 0.1, .seed = 9});
  const auto cue =
      sim.add_population(make_population("poisson_source", "cue", 100, {{"rate_Hz", 0.0}}));
  const auto w = sim.add_observer(std::make_unique<ActivityWindow>(
      "w", std::vector<std::uint32_t>{cue}, std::vector<const DopamineVolume*>{}, true));
  sim.schedule(Event{.step = 500, .handler = sim.population_handler(cue), .code = 0, .value = 200});
  sim.schedule(Event{.step = 1000, .handler = sim.population_handler(cue), .code = 0, .value = 0});
  sim.run(2000);
  const auto& window = static_cast<const ActivityWindow&>(sim.observer(w));
  // Spikes only from the updates of steps 500 … 999: stamps 501 … 1000.
  ASSERT_FALSE(window.spikes().empty());
  for (const SpikeEvent& e : window.spikes()) {
    EXPECT_GT(e.step, 500);
    EXPECT_LE(e.step, 1000);
  }
  // 100 cells × 200 Hz × 50 ms = 1000 expected.
  EXPECT_NEAR(static_cast<double>(window.counts()[0]), 1000.0, 5.0 * std::sqrt(1000.0));
}

TEST(ActivityWindow, CheckpointHoldsWhatTheWindowHasSeen) {
  std::uint32_t src = 0, da = 0;
  auto a = network(src, da);
  const auto wa = a->add_observer(std::make_unique<ActivityWindow>(
      "w", std::vector<std::uint32_t>{src}, std::vector<const DopamineVolume*>{&a->volume(da)}));
  a->run(150);
  std::stringstream checkpoint;
  a->save(checkpoint);
  a->run(150);
  auto b = network(src, da);
  const auto wb = b->add_observer(std::make_unique<ActivityWindow>(
      "w", std::vector<std::uint32_t>{src}, std::vector<const DopamineVolume*>{&b->volume(da)}));
  b->load(checkpoint);
  b->run(150);
  const auto& x = static_cast<const ActivityWindow&>(a->observer(wa));
  const auto& y = static_cast<const ActivityWindow&>(b->observer(wb));
  EXPECT_EQ(x.counts(), y.counts());
  EXPECT_EQ(x.steps(), y.steps());
  EXPECT_EQ(x.mean_level(0), y.mean_level(0));
}

}  // namespace
}  // namespace bgsim
