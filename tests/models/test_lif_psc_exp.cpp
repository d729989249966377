// lif_psc_exp against its closed forms, on the real Simulator: the membrane
// response to a current step and to one post-synaptic current (including
// tau_m == tau_syn), the threshold-crossing stamp, the refractory clamp, and
// the refusal of bad parameters.

#include <gtest/gtest.h>

#include <cmath>

#include "models/lif_psc_exp.hpp"
#include "tests/models/model_test_support.hpp"

namespace bgsim {
namespace {

using test::Bench;

constexpr double C_m = 250.0, tau_m = 10.0, E_L = -70.0, V_th = -55.0;

// Resolutions 1 ms down to 2^-10 ms: every time used below is on each grid.
std::vector<double> power_of_two_resolutions() {
  std::vector<double> dts;
  for (int e = 0; e >= -10; --e)
    dts.push_back(std::ldexp(1.0, e));
  return dts;
}

// V(t) − E_L for a current step of amplitude I switched on at t = 0.
double step_response(double I, double t) {
  return -I * tau_m / C_m * std::expm1(-t / tau_m);
}

// V(t) − E_L for one synaptic current jump w at t = 0 decaying with tau_s.
double psc_response(double w, double tau_s, double t) {
  if (tau_s == tau_m) return w / C_m * t * std::exp(-t / tau_m);
  return w / C_m * tau_m * tau_s / (tau_m - tau_s) * (std::exp(-t / tau_m) - std::exp(-t / tau_s));
}

TEST(LifPscExpModel, CurrentStepMatchesClosedFormAtEveryResolution) {
  const double I = 300.0, onset = 1.0;  // 300 pA: asymptote 12 mV above rest, no spike
  double worst5 = 0.0, worst500 = 0.0;
  for (double dt : power_of_two_resolutions()) {
    SCOPED_TRACE("dt = " + std::to_string(dt));
    Bench b(dt);
    const auto pop = b.population("lif_psc_exp", "lif", 1);
    b.device("dc_current", "dc", pop, "current", {{"amplitude", I}, {"start_ms", onset}});
    const Step at5 = b.steps(onset + 5.0), at500 = b.steps(onset + 500.0);
    b.record("V", pop, "V_m", at5, at500 - at5);
    b.run(at500 + 1);
    const auto V = b.trace("V");
    ASSERT_EQ(V.size(), 2u);
    const double e5 = std::abs(V[0] - E_L - step_response(I, 5.0));
    const double e500 = std::abs(V[1] - E_L - step_response(I, 500.0));
    EXPECT_LE(e5, 1e-12);
    EXPECT_LE(e500, 1e-9);
    worst5 = std::max(worst5, e5);
    worst500 = std::max(worst500, e500);
  }
  RecordProperty("worst_error_5ms_mV", test::sci(worst5));
  RecordProperty("worst_error_500ms_mV", test::sci(worst500));
}

// One spike of weight w, emitted by a spike_source at 1 ms and delivered
// after 1 ms, reaches the neuron at t0 = 2 ms.
struct PscCase {
  const char* receptor;
  double weight;  // pA; exactly representable in the single-precision synapse
  double tau_syn;
};

void check_psc(const PscCase& c) {
  const double t0 = 2.0;
  double worst5 = 0.0, worst500 = 0.0;
  for (double dt : power_of_two_resolutions()) {
    SCOPED_TRACE(std::string(c.receptor) + ", tau_syn = " + std::to_string(c.tau_syn) +
                 ", dt = " + std::to_string(dt));
    Bench b(dt);
    const std::string tau = std::string(c.receptor) == "excitatory" ? "tau_syn_ex" : "tau_syn_in";
    const auto pop = b.population("lif_psc_exp", "lif", 1, {{tau, c.tau_syn}});
    b.spikes_into(pop, c.receptor, {1.0}, c.weight, b.sim.resolution().delay_steps(1.0));
    const Step at5 = b.steps(t0 + 5.0), at500 = b.steps(t0 + 500.0);
    b.record("V", pop, "V_m", at5, at500 - at5);
    b.record("V0", pop, "V_m", b.steps(t0), 1000000000);  // the jump moves I, not V
    b.run(at500 + 1);
    const auto V = b.trace("V");
    ASSERT_EQ(V.size(), 2u);
    EXPECT_EQ(b.trace("V0").at(0), E_L);
    const double e5 = std::abs(V[0] - E_L - psc_response(c.weight, c.tau_syn, 5.0));
    const double e500 = std::abs(V[1] - E_L - psc_response(c.weight, c.tau_syn, 500.0));
    EXPECT_LE(e5, 1e-12);
    EXPECT_LE(e500, 1e-9);
    worst5 = std::max(worst5, e5);
    worst500 = std::max(worst500, e500);
  }
  ::testing::Test::RecordProperty("worst_error_5ms_mV", test::sci(worst5));
  ::testing::Test::RecordProperty("worst_error_500ms_mV", test::sci(worst500));
}

TEST(LifPscExpModel, ExcitatoryPscMatchesClosedForm) {
  check_psc({"excitatory", 1000.0, 2.0});
}

TEST(LifPscExpModel, InhibitoryPscMatchesClosedForm) {
  check_psc({"inhibitory", -750.0, 5.0});
}

// tau_syn == tau_m: the propagator has no singularity and the response is
// (w / C) t e^{−t/tau}.
TEST(LifPscExpModel, EqualTimeConstantsMatchTheirOwnClosedForm) {
  check_psc({"excitatory", 1000.0, tau_m});
  // And the propagator itself, against the limit h e^{−h/tau} / C.
  for (double h : {1.0, 0.1, 0.001})
    EXPECT_NEAR(models::LifPscExp::psc_propagator(C_m, tau_m, tau_m, h),
                h * std::exp(-h / tau_m) / C_m, 1e-18);
}

// Under a current step switched on at `onset`, V crosses V_th at
// t* = onset − tau_m ln(1 − (V_th − E_L) C_m / (I tau_m)). The spike is stamped
// at the end of the step in which it crossed: the first grid step at or after t*.
TEST(LifPscExpModel, ThresholdCrossingIsStampedAtTheEndOfItsStep) {
  const double I = 400.0, onset = 1.0;
  const double t_cross = -tau_m * std::log1p(-(V_th - E_L) * C_m / (I * tau_m));  // 27.73 ms
  for (double dt : power_of_two_resolutions()) {
    SCOPED_TRACE("dt = " + std::to_string(dt));
    Bench b(dt);
    const auto pop = b.population("lif_psc_exp", "lif", 1);
    b.device("dc_current", "dc", pop, "current", {{"amplitude", I}, {"start_ms", onset}});
    b.record_spikes("spikes", pop);
    b.run(b.steps(onset + t_cross + 2.0));
    const auto stamps = b.stamps("spikes", pop);
    ASSERT_EQ(stamps.size(), 1u);
    const Step expected = static_cast<Step>(std::ceil((onset + t_cross) / dt));
    EXPECT_EQ(stamps[0], expected);
  }
}

// After a spike stamped k, V is held at V_reset for round(t_ref / dt) steps
// (samples k ... k + R), and is free from step k + R on: the next crossing is
// t* after (k + R)·dt.
TEST(LifPscExpModel, RefractoryPeriodLastsRoundTrefOverDtSteps) {
  const double I = 400.0;
  const double t_cross = -tau_m * std::log1p(-(V_th - E_L) * C_m / (I * tau_m));
  struct Case {
    double dt, t_ref;
    Step R;
  };
  for (const Case& c : {Case{0.1, 2.0, 20}, Case{0.125, 0.5, 4}, Case{0.1, 0.25, 3}}) {
    SCOPED_TRACE("dt = " + std::to_string(c.dt) + ", t_ref = " + std::to_string(c.t_ref));
    Bench b(c.dt);
    const auto pop = b.population("lif_psc_exp", "lif", 1, {{"t_ref", c.t_ref}});
    b.device("dc_current", "dc", pop, "current", {{"amplitude", I}});
    b.record_spikes("spikes", pop);
    b.record("V", pop, "V_m", 0, 1);
    b.run(b.steps(2.0 * t_cross + 5.0));
    const auto stamps = b.stamps("spikes", pop);
    ASSERT_EQ(stamps.size(), 2u);
    const Step k = stamps[0];
    EXPECT_EQ(k, static_cast<Step>(std::ceil(t_cross / c.dt)));
    const auto V = b.trace("V");
    for (Step n = k; n <= k + c.R; ++n)
      EXPECT_EQ(V.at(n), -70.0) << "step " << n;
    EXPECT_GT(V.at(k + c.R + 1), -70.0);
    EXPECT_EQ(stamps[1], k + c.R + static_cast<Step>(std::ceil(t_cross / c.dt)));
  }
}

TEST(LifPscExpModel, RefusesBadParametersNamingParameterAndUnit) {
  test::expect_refused("lif_psc_exp", {{"tau_m", -10.0}}, {"tau_m", "[ms]", "> 0"});
  test::expect_refused("lif_psc_exp", {{"tau_syn_in", 0.0}}, {"tau_syn_in", "[ms]"});
  test::expect_refused("lif_psc_exp", {{"C_m", std::nan("")}}, {"C_m", "[pF]", "nan"});
  test::expect_refused("lif_psc_exp", {{"t_ref", -1.0}}, {"t_ref", "[ms]", ">= 0"});
  test::expect_refused("lif_psc_exp", {{"V_reset", -50.0}}, {"V_reset", "V_th", "mV"});
  test::expect_refused("lif_psc_exp", {{"I_e", HUGE_VAL}}, {"I_e", "[pA]"});
  test::expect_refused("lif_psc_exp", {{"tau_mem", 5.0}}, {"tau_mem", "unknown", "\"tau_m\""});
  test::expect_refused("lif_psc_exp", {{"tau_m", std::string("ten")}}, {"tau_m", "expected"});
}

}  // namespace
}  // namespace bgsim
