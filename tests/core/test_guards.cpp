// The numerical guards (core/guards.hpp, docs/results.md "Numerical guards"):
// a NaN or an infinity in a neuron's state, a plastic weight or a dopamine
// level, or a population firing past its bound, stops the run at the next
// check with the population, neuron, variable and time in the message.

#include "core/guards.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "core/registry.hpp"
#include "core/simulator.hpp"

namespace bgsim {
namespace {

const double nan = std::numeric_limits<double>::quiet_NaN();
const double inf = std::numeric_limits<double>::infinity();

std::string violation_of(Simulator& sim, Step steps) {
  try {
    sim.run(steps);
  } catch (const GuardViolation& e) {
    return e.what();
  }
  return "";
}

// Without projections an epoch is 1000 steps (100 ms at dt 0.1 ms): the
// checks fall exactly on the interval's multiples here.
TEST(Guards, ANanStateStopsTheRunAtTheNextCheckNamingNeuronVariableAndTime) {
  Simulator sim({.dt_ms = 0.1});
  sim.add_population(make_population("lif_psc_exp", "calm", 5, {}));
  sim.add_population(make_population("lif_psc_exp", "exc", 10, {}));
  sim.set_guards({.finite = true, .interval_ms = 100.0, .max_rate_Hz = {}});
  ASSERT_EQ(violation_of(sim, 2000), "");  // 200 ms, two clean checks
  sim.population(1).state("V_m")[7] = nan;
  sim.population(1).state("I_syn_in")[8] = inf;
  const std::string what = violation_of(sim, 10000);
  EXPECT_EQ(sim.now(), 3000) << "stopped at the first check after the blow-up";
  EXPECT_NE(what.find("numerical guard: population exc, neuron 7: V_m = nan mV at t = 300 ms"),
            std::string::npos)
      << what;
  EXPECT_NE(what.find("every value was finite at the check at 200 ms"), std::string::npos) << what;
}

TEST(Guards, AnInfiniteStateIsFoundAtTheEndOfAShortRun) {
  Simulator sim({.dt_ms = 0.1});
  sim.add_population(make_population("izhikevich", "cell", 3, {}));
  sim.population(0).state("u")[2] = -inf;
  const std::string what = violation_of(sim, 10);
  EXPECT_NE(what.find("population cell, neuron 2: u = "), std::string::npos) << what;
  EXPECT_NE(what.find("at t = 1 ms (the first check of the run"), std::string::npos) << what;
}

TEST(Guards, FiniteChecksCanBeTurnedOff) {
  Simulator sim({.dt_ms = 0.1});
  sim.add_population(make_population("lif_psc_exp", "exc", 4, {}));
  sim.set_guards({.finite = false, .interval_ms = 100.0, .max_rate_Hz = {}});
  sim.population(0).state("V_m")[0] = nan;
  EXPECT_EQ(violation_of(sim, 3000), "");
  EXPECT_EQ(sim.now(), 3000);
}

// Amounts and weights are refused when not finite, so the blow-up is made
// the way a run makes one: two pulses whose sum overflows.
TEST(Guards, AnInfiniteDopamineLevelStopsTheRun) {
  Simulator sim({.dt_ms = 1.0});
  sim.add_population(make_population("lif_psc_exp", "exc", 4, {}));
  const auto da = sim.add_volume(std::make_unique<DopamineVolume>("da", DopamineVolume::Params{}));
  sim.pulse(da, 250, 1e308);
  sim.pulse(da, 250, 1e308);
  const std::string what = violation_of(sim, 3000);
  EXPECT_NE(what.find("numerical guard: neuromodulator da: level = inf at t = 1000 ms"),
            std::string::npos)
      << what;
}

// A dopamine rule reading a level whose integral overflows: the first
// synapse to act after it carries a non-finite weight (0 · ∞ without a
// pairing), named by its source and target.
TEST(Guards, ANonFinitePlasticWeightIsNamedBySourceAndTarget) {
  Simulator sim({.dt_ms = 0.1});
  std::vector<double> times;
  for (int i = 0; i < 50; ++i)
    times.push_back(5.0 + 10.0 * i);
  const auto pre = sim.add_population(make_population(
      "spike_source", "pre", 1, {{"spike_times_ms", std::vector<std::vector<double>>{times}}}));
  const auto post = sim.add_population(make_population("lif_psc_exp", "post", 3, {}));
  const auto da = sim.add_volume(std::make_unique<DopamineVolume>("da", DopamineVolume::Params{}));
  sim.pulse(da, 1000, 1e308);  // a finite level whose integral over the window overflows
  ConnectionList list;
  list.add(0, 2, 1.0, 10);
  sim.add_projection(SynapseModels::instance()
                         .find("stdp_dopamine")
                         ->create({.name = "pre->post",
                                   .source = pre,
                                   .target = post,
                                   .channel = 0,
                                   .source_size = 1,
                                   .connections = std::move(list),
                                   .params = {},
                                   .volume = da}));
  sim.set_guards({.finite = true, .interval_ms = 50.0, .max_rate_Hz = {}});
  const std::string what = violation_of(sim, 5000);
  EXPECT_NE(what.find("numerical guard: projection pre->post, synapse from neuron 0 to neuron 2: "),
            std::string::npos)
      << what;
  EXPECT_NE(what.find("weight = nan at t = 151.8 ms"), std::string::npos) << what;
}

// Auryn's rate checker: the mean rate per neuron over a window, against the
// population's bound; other populations are not bounded.
TEST(Guards, ARunawayRateStopsTheRunNamingTheRateTheWindowAndTheBusiestNeuron) {
  Simulator sim({.dt_ms = 0.1});
  sim.add_population(make_population("poisson_source", "slow", 50, {{"rate_Hz", 5.0}}));
  sim.add_population(make_population("poisson_source", "fast", 50, {{"rate_Hz", 400.0}}));
  sim.add_population(make_population("poisson_source", "free", 50, {{"rate_Hz", 900.0}}));
  sim.set_guards({.finite = true, .interval_ms = 100.0, .max_rate_Hz = {50.0, 300.0, inf}});
  const std::string what = violation_of(sim, 10000);
  EXPECT_EQ(sim.now(), 1000);
  EXPECT_NE(what.find("rate guard: population fast fired at "), std::string::npos) << what;
  EXPECT_NE(what.find(" Hz per neuron between t = 0 ms and t = 100 ms, above its max_rate_Hz of "
                      "300 Hz (neuron "),
            std::string::npos)
      << what;

  Simulator calm({.dt_ms = 0.1});
  calm.add_population(make_population("poisson_source", "fast", 50, {{"rate_Hz", 400.0}}));
  calm.set_guards({.finite = true, .interval_ms = 100.0, .max_rate_Hz = {500.0}});
  EXPECT_EQ(violation_of(calm, 10000), "");
}

TEST(Guards, RefuseIntervalsAndBoundsThatMeanNothing) {
  Simulator sim;
  EXPECT_THROW(sim.set_guards({.finite = true, .interval_ms = 0.0, .max_rate_Hz = {}}),
               std::invalid_argument);
  EXPECT_THROW(sim.set_guards({.finite = true, .interval_ms = 10.0, .max_rate_Hz = {-1.0}}),
               std::invalid_argument);
}

}  // namespace
}  // namespace bgsim
