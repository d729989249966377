// izhikevich (2003) on the real Simulator against Boost.Odeint Dormand–Prince
// references computed here: below threshold every scheme converges at its
// order, the two fixed-step schemes converge to each other; dopri5 spikes fall
// in the step of the continuous crossing and rk4 spikes within one step of the
// exactly integrated grid model at dt = 0.1 ms; bad parameters are refused.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "tests/models/izhikevich_reference.hpp"
#include "tests/models/model_test_support.hpp"

namespace bgsim {
namespace {

using test::Bench;

// regular_spiking: a 0.02, b 0.2, c −65, d 8, v_peak 30.
constexpr double a = 0.02, b = 0.2, c = -65.0, d = 8.0, v_peak = 30.0;

test::IzhikevichSystem system_with_input(double I) {
  return {[I](double v, double u, double) { return (0.04 * v + 5.0) * v + 140.0 - u + I; },
          [](double v, double u) { return a * (b * v - u); }, v_peak, c, d};
}

// v every 1 ms over 100 ms, from v = −60, u = b·(−60), under a constant
// current of 2 mV/ms fed by a dc_current device (subthreshold: v settles
// near −67 mV).
constexpr double V0 = -60.0, I_sub = 2.0, T_sub = 100.0;

std::vector<double> model_trace(const std::string& scheme, double dt, double I, double T,
                                double tol = 1e-8) {
  Bench bench(dt);
  const auto pop = bench.population(
      "izhikevich", "izh", 1,
      {{"scheme", scheme}, {"V_init", V0}, {"abs_tol", tol}, {"rel_tol", tol}}, "regular_spiking");
  bench.device("dc_current", "dc", pop, "current", {{"amplitude", I}});
  bench.record("v", pop, "v", 0, bench.steps(1.0));
  bench.run(bench.steps(T) + 1);
  return bench.trace("v");
}

std::vector<double> reference(double I, double T) {
  std::vector<double> times;
  for (int k = 0; k <= static_cast<int>(T); ++k)
    times.push_back(k);
  return test::reference_trace(system_with_input(I), V0, b * V0, times);
}

TEST(IzhikevichModel, SubthresholdRk4AndDopri5MatchReference) {
  const auto ref = reference(I_sub, T_sub);
  ASSERT_LT(*std::max_element(ref.begin(), ref.end()), -55.0);  // no spike anywhere near
  const double e_rk4 = test::max_abs_diff(model_trace("rk4", 0.1, I_sub, T_sub), ref);
  const double e_dopri5 = test::max_abs_diff(model_trace("dopri5", 0.1, I_sub, T_sub, 1e-11), ref);
  EXPECT_LE(e_rk4, 1e-6);
  EXPECT_LE(e_dopri5, 2e-8);
  RecordProperty("rk4_error_mV_dt_0_1", test::sci(e_rk4));
  RecordProperty("dopri5_error_mV_dt_0_1", test::sci(e_dopri5));
}

// half_steps and euler are first order: halving dt halves the error (ratio
// 2 within 15 %), for each scheme against the reference and for the two
// schemes against each other.
TEST(IzhikevichModel, FixedStepSchemesConvergeAtFirstOrderToReferenceAndEachOther) {
  const auto ref = reference(I_sub, T_sub);
  std::vector<double> e_half, e_euler, e_between;
  for (int k = 3; k <= 6; ++k) {
    const double dt = std::ldexp(1.0, -k);
    const auto half = model_trace("half_steps", dt, I_sub, T_sub);
    const auto euler = model_trace("euler", dt, I_sub, T_sub);
    e_half.push_back(test::max_abs_diff(half, ref));
    e_euler.push_back(test::max_abs_diff(euler, ref));
    e_between.push_back(test::max_abs_diff(half, euler));
  }
  for (std::size_t i = 0; i + 1 < e_half.size(); ++i) {
    SCOPED_TRACE("dt = 2^-" + std::to_string(i + 3));
    EXPECT_NEAR(e_half[i] / e_half[i + 1], 2.0, 0.3);
    EXPECT_NEAR(e_euler[i] / e_euler[i + 1], 2.0, 0.3);
    EXPECT_NEAR(e_between[i] / e_between[i + 1], 2.0, 0.3);
  }
  // Bounds at dt = 1/8 ms.
  EXPECT_LE(e_half[0], 0.1);
  EXPECT_LE(e_euler[0], 0.1);
  RecordProperty("half_steps_error_mV_dt_1_8", test::sci(e_half[0]));
  RecordProperty("euler_error_mV_dt_1_8", test::sci(e_euler[0]));
  RecordProperty("half_vs_euler_mV_dt_1_8", test::sci(e_between[0]));
  RecordProperty("half_steps_error_mV_dt_1_64", test::sci(e_half.back()));
  RecordProperty("euler_error_mV_dt_1_64", test::sci(e_euler.back()));
}

// Tonic spiking under 15 mV/ms for 300 ms (11 spikes), from v = c, u = b·c.
constexpr double I_supra = 15.0, T_supra = 300.0;

std::vector<Step> model_stamps(const std::string& scheme, double dt) {
  Bench bench(dt);
  const auto pop = bench.population("izhikevich", "izh", 1, {{"scheme", scheme}, {"I_e", I_supra}},
                                    "regular_spiking");
  bench.record_spikes("spikes", pop);
  bench.run(bench.steps(T_supra));
  return bench.stamps("spikes", pop);
}

// dopri5 resets at the crossing, so its spikes are the continuous model's:
// each is stamped at the end of the step in which the reference reaches v_peak.
TEST(IzhikevichModel, Dopri5SpikesAreStampedInTheStepOfTheContinuousCrossing) {
  const double dt = 0.1;
  const auto exact = test::reference_spike_times(system_with_input(I_supra), c, b * c, T_supra);
  const auto stamps = model_stamps("dopri5", dt);
  ASSERT_EQ(stamps.size(), exact.size());
  ASSERT_GE(stamps.size(), 10u);
  double worst = 0.0;
  for (std::size_t k = 0; k < stamps.size(); ++k) {
    const double lag = stamps[k] * dt - exact[k];
    EXPECT_GE(lag, -1e-6) << "spike " << k;
    EXPECT_LE(lag, dt + 1e-6) << "spike " << k;
    worst = std::max(worst, std::abs(lag));
  }
  RecordProperty("dopri5_max_lag_ms", test::sci(worst));
}

// The fixed-step schemes reset at the end of the step. Against the same model
// integrated exactly step by step, rk4 is within one step for the whole train;
// half_steps and euler drift by O(dt): their spike-time error halves when dt
// halves.
TEST(IzhikevichModel, FixedStepSpikeTimesAgainstTheGridReference) {
  const auto sys = system_with_input(I_supra);
  std::map<std::string, std::vector<double>> error_ms;  // per scheme, per dt
  for (double dt : {0.1, 0.05, 0.025}) {
    const auto grid = test::reference_grid_stamps(sys, c, b * c, dt, std::llround(T_supra / dt));
    ASSERT_GE(grid.size(), 10u);
    for (const std::string scheme : {"half_steps", "euler", "rk4"}) {
      SCOPED_TRACE(scheme + ", dt = " + std::to_string(dt));
      const auto stamps = model_stamps(scheme, dt);
      ASSERT_EQ(stamps.size(), grid.size());
      Step worst = 0;
      for (std::size_t k = 0; k < stamps.size(); ++k)
        worst = std::max(worst, std::abs(stamps[k] - grid[k]));
      error_ms[scheme].push_back(worst * dt);
      if (scheme == "rk4") {
        EXPECT_LE(worst, 1);
      }
    }
  }
  for (const std::string scheme : {"half_steps", "euler"}) {
    SCOPED_TRACE(scheme);
    const auto& e = error_ms[scheme];
    EXPECT_LE(e[0], 1.5);  // ms, after 11 spikes at dt = 0.1 ms
    EXPECT_NEAR(e[0] / e[1], 2.0, 0.5);
    EXPECT_NEAR(e[1] / e[2], 2.0, 0.5);
    RecordProperty(scheme + "_spike_error_ms_dt_0_1", test::sci(e[0]));
    RecordProperty(scheme + "_spike_error_ms_dt_0_025", test::sci(e[2]));
  }
}

TEST(IzhikevichModel, RefusesBadParametersNamingParameterAndUnit) {
  test::expect_refused("izhikevich", {{"a", -0.02}}, {"a", "[1/ms]", "> 0"});
  test::expect_refused("izhikevich", {{"b", std::nan("")}}, {"b", "nan"});
  test::expect_refused("izhikevich", {{"c", 40.0}}, {"c", "v_peak", "mV"});
  test::expect_refused("izhikevich", {{"abs_tol", 0.0}}, {"abs_tol", "[mV]"});
  test::expect_refused("izhikevich", {{"scheme", std::string("rk5")}},
                       {"scheme", "\"rk5\"", "did you mean \"rk4\""});
  test::expect_refused("izhikevich", {{"v_peek", 30.0}}, {"v_peek", "did you mean \"v_peak\""});
}

}  // namespace
}  // namespace bgsim
