// izhikevich_book on the real Simulator: below threshold against a Boost.Odeint
// Dormand–Prince reference (constant current, and one exponential synaptic
// current), spike times, the saddle-node rheobase of the regular_spiking and
// msn presets, the fast-spiking cubic nullcline, and refusals.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "models/izhikevich_book.hpp"
#include "tests/models/izhikevich_reference.hpp"
#include "tests/models/model_test_support.hpp"

namespace bgsim {
namespace {

using models::IzhikevichBook;
using test::Bench;

IzhikevichBook::Params preset_params(const std::string& preset) {
  auto pop = make_population("izhikevich_book", "p", 1, {}, preset);
  return IzhikevichBook::param_table().apply("izhikevich_book", {}, pop->params());
}

// The reference system of a preset under a constant current I [pA] plus, from
// t0 on, a synaptic current w e^{−(t − t0)/tau} [pA].
test::IzhikevichSystem book_system(const IzhikevichBook::Params& p, double I, double w = 0.0,
                                   double t0 = 0.0, double tau = 1.0) {
  return {[p, I, w, t0, tau](double v, double u, double t) {
            const double syn = t >= t0 ? w * std::exp(-(t - t0) / tau) : 0.0;
            return (p.k * (v - p.v_r) * (v - p.v_t) - u + I + syn) / p.C;
          },
          [p](double v, double u) { return p.a * (IzhikevichBook::u_nullcline(p, v) - u); },
          p.v_peak, p.c, p.d};
}

// v every 1 ms over `T` ms of a regular_spiking neuron under a dc_current of
// I [pA] and optionally one spike of weight w [pA] arriving at 10 ms.
std::vector<double> model_trace(const std::string& scheme, double dt, double I, double T,
                                double w = 0.0) {
  Bench bench(dt);
  const auto pop = bench.population("izhikevich_book", "izh", 1,
                                    {{"scheme", scheme}, {"abs_tol", 1e-11}, {"rel_tol", 1e-11}},
                                    "regular_spiking");
  bench.device("dc_current", "dc", pop, "current", {{"amplitude", I}});
  if (w != 0.0) bench.spikes_into(pop, "excitatory", {5.0}, w, bench.steps(5.0));
  bench.record("v", pop, "v", 0, bench.steps(1.0));
  bench.run(bench.steps(T) + 1);
  return bench.trace("v");
}

std::vector<double> whole_ms(double T) {
  std::vector<double> t;
  for (int k = 0; k <= static_cast<int>(T); ++k)
    t.push_back(k);
  return t;
}

// 30 pA (rheobase 51.4 pA) from rest, plus an EPSC of 150 pA at 10 ms
// decaying with tau_syn_ex = 5 ms (7.5 mV of charge), no spike.
TEST(IzhikevichBookModel, SubthresholdWithSynapticCurrentMatchesReference) {
  const auto p = preset_params("regular_spiking");
  const double I = 30.0, w = 150.0, T = 100.0;
  const auto ref =
      test::reference_trace(book_system(p, I, w, 10.0, p.tau_syn_ex), p.v_r, 0.0, whole_ms(T));
  ASSERT_LT(*std::max_element(ref.begin(), ref.end()), p.v_t);
  RecordProperty("peak_v_mV", test::sci(*std::max_element(ref.begin(), ref.end())));
  const double e_rk4 = test::max_abs_diff(model_trace("rk4", 0.1, I, T, w), ref);
  const double e_dopri5 = test::max_abs_diff(model_trace("dopri5", 0.1, I, T, w), ref);
  EXPECT_LE(e_rk4, 1e-7);
  EXPECT_LE(e_dopri5, 2e-8);
  std::vector<double> e_half;
  for (int k = 3; k <= 5; ++k)
    e_half.push_back(
        test::max_abs_diff(model_trace("half_steps", std::ldexp(1.0, -k), I, T, w), ref));
  EXPECT_LE(e_half[0], 0.05);
  EXPECT_NEAR(e_half[0] / e_half[1], 2.0, 0.3);
  EXPECT_NEAR(e_half[1] / e_half[2], 2.0, 0.3);
  RecordProperty("rk4_error_mV_dt_0_1", test::sci(e_rk4));
  RecordProperty("dopri5_error_mV_dt_0_1", test::sci(e_dopri5));
  RecordProperty("half_steps_error_mV_dt_1_8", test::sci(e_half[0]));
}

TEST(IzhikevichBookModel, Dopri5SpikesFallInTheStepOfTheContinuousCrossing) {
  const auto p = preset_params("regular_spiking");
  const double dt = 0.1, I = 200.0, T = 300.0;
  const auto exact = test::reference_spike_times(book_system(p, I), p.v_r, 0.0, T);
  Bench bench(dt);
  const auto pop = bench.population("izhikevich_book", "izh", 1,
                                    {{"scheme", std::string("dopri5")}}, "regular_spiking");
  bench.device("dc_current", "dc", pop, "current", {{"amplitude", I}});
  bench.record_spikes("spikes", pop);
  bench.run(bench.steps(T));
  const auto stamps = bench.stamps("spikes", pop);
  ASSERT_EQ(stamps.size(), exact.size());
  ASSERT_GE(stamps.size(), 10u);
  for (std::size_t k = 0; k < stamps.size(); ++k) {
    EXPECT_GE(stamps[k] * dt - exact[k], -1e-6) << "spike " << k;
    EXPECT_LE(stamps[k] * dt - exact[k], dt + 1e-6) << "spike " << k;
  }
  // Spike-frequency adaptation of the regular spiking cell (book Fig. 8.12):
  // the last interval is longer than the first.
  EXPECT_GT(exact.back() - exact[exact.size() - 2], 1.2 * (exact[1] - exact[0]));
}

// Number of spikes in T ms from rest under a constant current I [pA].
std::size_t spikes_under(const std::string& preset, double I, double T = 1000.0) {
  Bench bench(0.1);
  const auto pop =
      bench.population("izhikevich_book", "n", 1, {{"scheme", std::string("rk4")}}, preset);
  bench.device("dc_current", "dc", pop, "current", {{"amplitude", I}});
  bench.record_spikes("spikes", pop);
  bench.run(bench.steps(T));
  return bench.stamps("spikes", pop).size();
}

// With a linear u-nullcline the equilibria vanish in a saddle-node at
// I_rh = (k (v_t − v_r) + b)² / (4k) (the trace there, b/C − a, is negative:
// no Hopf before it). The medium spiny neuron (book §8.4; a very negative rest
// and a high threshold) needs six times the current of the regular spiking
// cell, 306.25 pA against 51.4 pA, and just above it fires only after a long
// latency (the slow passage near the saddle-node, with 1/a = 100 ms): 1.4 s at
// 320 pA. Below rheobase neither fires in 3 s.
TEST(IzhikevichBookModel, RheobaseIsTheSaddleNodeCurrentMsnNeedsStrongInput) {
  for (const std::string preset : {"regular_spiking", "msn"}) {
    SCOPED_TRACE(preset);
    const auto p = preset_params(preset);
    const double root = p.k * (p.v_t - p.v_r) + p.b;
    const double I_rh = root * root / (4.0 * p.k);
    EXPECT_LT(p.b / p.C - p.a, 0.0);
    EXPECT_EQ(spikes_under(preset, 0.97 * I_rh, 3000.0), 0u);
    EXPECT_GT(spikes_under(preset, 1.1 * I_rh, 3000.0), 0u);
    RecordProperty(preset + "_rheobase_pA", test::sci(I_rh));
  }
  const auto rs = preset_params("regular_spiking"), msn = preset_params("msn");
  EXPECT_NEAR((rs.k * 20.0 + rs.b) * (rs.k * 20.0 + rs.b) / (4.0 * rs.k), 51.43, 0.01);
  EXPECT_NEAR((msn.k * 55.0 + msn.b) * (msn.k * 55.0 + msn.b) / (4.0 * msn.k), 306.25, 1e-9);
  EXPECT_EQ(spikes_under("msn", 200.0), 0u);  // fires the regular spiking cell at high rate
  EXPECT_GT(spikes_under("regular_spiking", 200.0), 20u);
}

// fast_spiking (book Fig. 8.27): U(v) = 0.025 (v + 55)³ above −55 mV and
// d = 0, so u only follows v: fast tonic firing with little adaptation.
TEST(IzhikevichBookModel, FastSpikingPresetHasTheCubicNullclineAndFiresFast) {
  const auto p = preset_params("fast_spiking");
  EXPECT_EQ(IzhikevichBook::u_nullcline(p, -60.0), 0.0);
  EXPECT_DOUBLE_EQ(IzhikevichBook::u_nullcline(p, -45.0), 0.025 * 1000.0);
  Bench bench(0.1);
  const auto pop = bench.population("izhikevich_book", "fs", 1, {}, "fast_spiking");
  bench.device("dc_current", "dc", pop, "current", {{"amplitude", 200.0}});
  bench.record_spikes("spikes", pop);
  bench.run(bench.steps(500.0));
  const auto s = bench.stamps("spikes", pop);
  ASSERT_GE(s.size(), 10u);
  const double rate_Hz = (s.size() - 1) / ((s.back() - s.front()) * 0.1) * 1000.0;
  EXPECT_GT(rate_Hz, 50.0);
  // Steady state within 10 %: the last intervals against the second.
  EXPECT_NEAR(static_cast<double>(s.back() - s[s.size() - 2]), static_cast<double>(s[2] - s[1]),
              0.1 * (s[2] - s[1]) + 1.0);
  RecordProperty("fast_spiking_rate_Hz_200pA", test::sci(rate_Hz));
}

TEST(IzhikevichBookModel, RefusesBadParametersNamingParameterAndUnit) {
  test::expect_refused("izhikevich_book", {{"C", -100.0}}, {"C", "[pF]", "> 0"});
  test::expect_refused("izhikevich_book", {{"k", std::nan("")}}, {"k", "[nS/mV]", "nan"});
  test::expect_refused("izhikevich_book", {{"tau_syn_ex", -5.0}}, {"tau_syn_ex", "[ms]"});
  test::expect_refused("izhikevich_book", {{"v_r", -30.0}}, {"v_r", "v_t", "mV"});
  test::expect_refused("izhikevich_book", {{"c", 40.0}}, {"c", "v_peak", "mV"});
  test::expect_refused("izhikevich_book", {{"v_peak", -45.0}}, {"v_peak", "v_t", "mV"});
  test::expect_refused("izhikevich_book", {{"b_cubic", -1.0}}, {"b_cubic", "[pA/mV^3]"});
  test::expect_refused("izhikevich_book", {{"scheme", std::string("Euler")}},
                       {"scheme", "did you mean \"euler\""});
  test::expect_refused("izhikevich_book", {{"vpeak", 30.0}}, {"vpeak", "did you mean \"v_peak\""});
}

}  // namespace
}  // namespace bgsim
