// lif_cond_exp on the real Simulator: the response to one conductance jump
// against an independent solution (integrating factor and Gauss–Kronrod
// quadrature, no ODE stepper), the exact conductance decay, threshold and
// refractory behaviour under a current step against the closed form, the
// refusal of negative conductance weights and of bad parameters.

#include <gtest/gtest.h>

#include <boost/math/quadrature/gauss_kronrod.hpp>
#include <cmath>

#include "tests/models/model_test_support.hpp"

namespace bgsim {
namespace {

using test::Bench;

// NEST iaf_cond_exp defaults.
constexpr double C_m = 250.0, g_L = 16.6667, E_L = -70.0, E_ex = 0.0, E_in = -85.0;
constexpr double V_th = -55.0, V_reset = -60.0;

// V(t) − E_L after a conductance jump g0 at t = 0 from rest, decaying with tau
// towards reversal E. With A(t) = (g_L t + g0 tau (1 − e^{−t/tau})) / C_m,
//   V(t) − E_L = ∫_0^t g0 e^{−s/tau} (E − E_L) / C_m · e^{A(s) − A(t)} ds,
// evaluated by adaptive Gauss–Kronrod quadrature.
double jump_response(double g0, double tau, double E, double t) {
  if (t <= 0.0) return 0.0;
  const auto A = [&](double s) { return (g_L * s - g0 * tau * std::expm1(-s / tau)) / C_m; };
  const double At = A(t);
  const auto f = [&](double s) {
    return g0 * std::exp(-s / tau) * (E - E_L) / C_m * std::exp(A(s) - At);
  };
  return boost::math::quadrature::gauss_kronrod<double, 61>::integrate(f, 0.0, t, 20, 1e-14);
}

struct JumpCase {
  const char* receptor;
  double weight;  // nS
  double tau;     // ms (the defaults: 0.2 excitatory, 2 inhibitory)
  double E;       // mV
};

// A spike_source spike at 1 ms with a 1 ms delay: the jump lands at t0 = 2 ms.
// V is compared at every step of the next 40 ms (dt = 0.1 ms).
double jump_error(const JumpCase& c, double tol, const std::string& scheme = "dopri5",
                  double dt = 0.1) {
  const double t0 = 2.0;
  Bench b(dt);
  const auto pop = b.population("lif_cond_exp", "n", 1,
                                {{"abs_tol", tol}, {"rel_tol", tol}, {"scheme", scheme}});
  b.spikes_into(pop, c.receptor, {1.0}, c.weight, b.sim.resolution().delay_steps(1.0));
  const Step first = b.steps(t0);
  const Step every = b.steps(0.1);  // V and g sampled every 0.1 ms whatever dt is
  b.record("V", pop, "V_m", first, every);
  b.record("g", pop, std::string(c.receptor) == "excitatory" ? "g_ex" : "g_in", first + 1, every);
  b.run(first + b.steps(40.0) + 1);
  const auto V = b.trace("V");
  const auto g = b.trace("g");
  double worst = 0.0, peak = 0.0;  // over the 40 ms after the jump
  for (std::size_t n = 0; n < V.size(); ++n) {
    const double ref = jump_response(c.weight, c.tau, c.E, n * 0.1);
    worst = std::max(worst, std::abs(V[n] - E_L - ref));
    peak = std::max(peak, std::abs(ref));
  }
  EXPECT_GT(peak, 1.0);         // a response of more than 1 mV ...
  EXPECT_LT(peak, V_th - E_L);  // ... that stays below threshold
  // The conductance decays exactly: g(t0 + n dt) = w e^{−n dt/tau}.
  for (std::size_t n = 0; n < g.size(); ++n)
    EXPECT_NEAR(g[n], c.weight * std::exp(-static_cast<double>(n * every + 1) * dt / c.tau),
                1e-12 * c.weight);
  return worst;
}

TEST(LifCondExpModel, ConductanceJumpMatchesQuadratureReference) {
  const JumpCase ex{"excitatory", 50.0, 0.2, E_ex}, in{"inhibitory", 20.0, 2.0, E_in};
  const double e_ex = jump_error(ex, 1e-8), e_in = jump_error(in, 1e-8);
  EXPECT_LE(e_ex, 1e-7);
  EXPECT_LE(e_in, 1e-7);
  // Tighter tolerances, closer agreement.
  const double e_ex_tight = jump_error(ex, 1e-12), e_in_tight = jump_error(in, 1e-12);
  EXPECT_LE(e_ex_tight, 1e-10);
  EXPECT_LE(e_in_tight, 1e-10);
  RecordProperty("excitatory_error_mV_tol_1e-8", test::sci(e_ex));
  RecordProperty("inhibitory_error_mV_tol_1e-8", test::sci(e_in));
  RecordProperty("excitatory_error_mV_tol_1e-12", test::sci(e_ex_tight));
  RecordProperty("inhibitory_error_mV_tol_1e-12", test::sci(e_in_tight));
}

// The one-step scheme: the conductances' exact mean over each step, V
// relaxing exactly towards its equilibrium. Against the same quadrature its
// error falls with the square of the step (measured: 7.2e-4 mV at dt = 0.1 ms
// and 7.2e-6 at 0.01 for the 50 nS, 0.2 ms excitatory jump; 4.6e-5 and 4.6e-7
// for the inhibitory one).
TEST(LifCondExpModel, ExponentialEulerConvergesToTheQuadratureReference) {
  const JumpCase ex{"excitatory", 50.0, 0.2, E_ex}, in{"inhibitory", 20.0, 2.0, E_in};
  for (const JumpCase& c : {ex, in}) {
    const double coarse = jump_error(c, 1e-8, "exponential_euler", 0.1);
    const double fine = jump_error(c, 1e-8, "exponential_euler", 0.01);
    EXPECT_LT(coarse, 2e-3) << c.receptor;
    EXPECT_LT(fine, coarse / 50.0) << c.receptor;  // second order: 10x smaller dt, ~100x
    RecordProperty(std::string(c.receptor) + "_error_mV_dt_0.1", test::sci(coarse));
    RecordProperty(std::string(c.receptor) + "_error_mV_dt_0.01", test::sci(fine));
  }
}

// Under I = 300 pA (I / g_L = 18 mV above rest), V crosses V_th at
// t1 = tau_m ln(18 / 3) from rest and, after the clamp, at
// t2 = tau_m ln((18 − 10) / (18 − 15)) from V_reset (tau_m = C_m / g_L = 15 ms).
TEST(LifCondExpModel, ThresholdAndRefractoryClampUnderACurrentStep) {
  const double dt = 0.1, I = 300.0, tau_m = C_m / g_L, V_inf = I / g_L;
  const double t1 = tau_m * std::log(V_inf / (V_inf - (V_th - E_L)));
  const double t2 = tau_m * std::log((V_inf - (V_reset - E_L)) / (V_inf - (V_th - E_L)));
  const Step R = 20;  // t_ref = 2 ms
  Bench b(dt);
  const auto pop = b.population("lif_cond_exp", "n", 1);
  b.device("dc_current", "dc", pop, "current", {{"amplitude", I}});
  b.record_spikes("spikes", pop);
  b.record("V", pop, "V_m", 0, 1);
  b.run(b.steps(t1 + t2 + 5.0));
  const auto stamps = b.stamps("spikes", pop);
  ASSERT_EQ(stamps.size(), 2u);
  const Step k1 = static_cast<Step>(std::ceil(t1 / dt));
  EXPECT_EQ(stamps[0], k1);
  const auto V = b.trace("V");
  for (Step n = k1; n <= k1 + R; ++n)
    EXPECT_EQ(V.at(n), V_reset) << "step " << n;
  EXPECT_GT(V.at(k1 + R + 1), V_reset);
  EXPECT_EQ(stamps[1], k1 + R + static_cast<Step>(std::ceil(t2 / dt)));
  // Between spikes V follows the closed form of the current step.
  const Step n = k1 + R + 50;
  const double s = (n - k1 - R) * dt;
  EXPECT_NEAR(V.at(n), E_L + V_inf + (V_reset - E_L - V_inf) * std::exp(-s / tau_m), 1e-6);
}

// Conductance weights are magnitudes: a negative weight on either receptor is
// refused when the projection is added, naming receptor, unit and the rule.
TEST(LifCondExpModel, NegativeConductanceWeightsAreRefused) {
  for (const std::string receptor : {"excitatory", "inhibitory"}) {
    SCOPED_TRACE(receptor);
    Bench b(0.1);
    const auto pop = b.population("lif_cond_exp", "n", 2);
    try {
      b.spikes_into(pop, receptor, {1.0}, -5.0, 1);
      ADD_FAILURE() << "a negative conductance weight was accepted";
    } catch (const std::invalid_argument& e) {
      const std::string msg = e.what();
      EXPECT_NE(msg.find("\"" + receptor + "\""), std::string::npos) << msg;
      EXPECT_NE(msg.find(">= 0 [nS]"), std::string::npos) << msg;
      EXPECT_NE(msg.find("lif_cond_exp"), std::string::npos) << msg;
    }
  }
  // Positive inhibitory weights are what the model expects.
  Bench b(0.1);
  const auto pop = b.population("lif_cond_exp", "n", 1);
  EXPECT_NO_THROW(b.spikes_into(pop, "inhibitory", {1.0}, 5.0, 1));
}

TEST(LifCondExpModel, RefusesBadParametersNamingParameterAndUnit) {
  test::expect_refused("lif_cond_exp", {{"tau_syn_ex", -0.2}}, {"tau_syn_ex", "[ms]", "> 0"});
  test::expect_refused("lif_cond_exp", {{"g_L", 0.0}}, {"g_L", "[nS]"});
  test::expect_refused("lif_cond_exp", {{"C_m", std::nan("")}}, {"C_m", "[pF]", "nan"});
  test::expect_refused("lif_cond_exp", {{"E_in", -HUGE_VAL}}, {"E_in", "[mV]"});
  test::expect_refused("lif_cond_exp", {{"t_ref", -2.0}}, {"t_ref", "[ms]", ">= 0"});
  test::expect_refused("lif_cond_exp", {{"V_reset", -50.0}}, {"V_reset", "V_th", "mV"});
  test::expect_refused("lif_cond_exp", {{"abs_tol", 0.0}}, {"abs_tol", "[mV]"});
  test::expect_refused("lif_cond_exp", {{"gL", 10.0}}, {"gL", "did you mean \"g_L\""});
}

}  // namespace
}  // namespace bgsim
