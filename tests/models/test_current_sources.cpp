// The input devices on a lif_psc_exp neuron whose leak is negligible
// (tau_m = 1e12 ms), so that V integrates its input: dc_current's active
// window [start, stop) and amplitude, noise_current's mean, standard deviation
// and independence between steps, poisson_input's mean count.

#include <gtest/gtest.h>

#include <cmath>

#include "tests/models/model_test_support.hpp"

namespace bgsim {
namespace {

using test::Bench;

constexpr double C_m = 1.0, tau_m = 1e12;

// An integrator: V moves by P20·I per step, P20 = −(tau_m / C_m) expm1(−h/tau_m).
std::uint32_t integrator(Bench& b, std::size_t n, const ParamMap& extra = {}) {
  ParamMap p{{"C_m", C_m}, {"tau_m", tau_m}, {"V_th", 1e9},
             {"E_L", 0.0}, {"V_reset", 0.0}, {"V_init", 0.0}};
  for (const auto& [k, v] : extra)
    p[k] = v;
  return b.population("lif_psc_exp", "int", n, p);
}

double P20(double h) {
  return -tau_m / C_m * std::expm1(-h / tau_m);
}
double P22(double h) {
  return std::exp(-h / tau_m);
}

// The current of each update n (V_{n+1} = P22 V_n + P20 I_n), per neuron.
std::vector<std::vector<double>> currents(Bench& b, const std::string& rec, std::size_t n,
                                          double h) {
  const auto& s = b.samples(rec);
  std::vector<std::vector<double>> I(n);
  for (std::size_t r = 0; r + 1 < s.steps.size(); ++r)
    for (std::size_t i = 0; i < n; ++i)
      I[i].push_back((s.values[(r + 1) * n + i] - P22(h) * s.values[r * n + i]) / P20(h));
  return I;
}

TEST(DcCurrentModel, ActsDuringItsWindowOnlyWithItsAmplitude) {
  const double h = 0.1, I = 2.5;
  Bench b(h);
  const auto pop = integrator(b, 1);
  b.device("dc_current", "dc", pop, "current",
           {{"amplitude", I}, {"start_ms", 1.0}, {"stop_ms", 2.0}});
  b.record("V", pop, "V_m", 0, 1);
  b.run(40);
  const auto I_n = currents(b, "V", 1, h)[0];
  for (std::size_t n = 0; n < I_n.size(); ++n) {
    const bool active = n >= 10 && n < 20;  // 1.0 <= n·dt < 2.0
    EXPECT_NEAR(I_n[n], active ? I : 0.0, 1e-9) << "update of step " << n;
  }
}

TEST(DcCurrentModel, RefusesAWindowThatEndsBeforeItStarts) {
  const auto make = [] {
    return DeviceModels::instance()
        .find("dc_current")
        ->create("dc", 0, 2, {{"start_ms", 5.0}, {"stop_ms", 1.0}});
  };
  EXPECT_THROW(make(), ParamErrors);
  try {
    make();
  } catch (const ParamErrors& e) {
    EXPECT_NE(std::string(e.what()).find("stop_ms"), std::string::npos) << e.what();
  }
}

// mean 10 pA, std 5 pA over 200 neurons × 500 steps (1e5 draws): the sample
// mean within 3 SE (5 / sqrt(1e5)), the sample std within 3 SE of a std
// (5 / sqrt(2e5)), and the lag-one correlation within 3 / sqrt(1e5) of zero.
// Both ways of drawing the deviate (`normal`: box_muller, ziggurat).
class NoiseCurrentModel : public ::testing::TestWithParam<std::string> {};

TEST_P(NoiseCurrentModel, MeanStdAndIndependenceBetweenSteps) {
  const double h = 0.1, mean = 10.0, sd = 5.0;
  const std::size_t n = 200;
  Bench b(h, 99);
  const auto pop = integrator(b, n);
  b.device("noise_current", "noise", pop, "current",
           {{"mean", mean}, {"std", sd}, {"normal", GetParam()}});
  b.record("V", pop, "V_m", 0, 1);
  b.run(501);
  const auto I = currents(b, "V", n, h);
  double sum = 0.0, sum2 = 0.0, lag = 0.0;
  std::size_t count = 0, pairs = 0;
  for (const auto& row : I) {
    for (std::size_t k = 0; k < row.size(); ++k) {
      sum += row[k];
      sum2 += row[k] * row[k];
      ++count;
      if (k) {
        lag += (row[k] - mean) * (row[k - 1] - mean);
        ++pairs;
      }
    }
  }
  ASSERT_EQ(count, n * 500);
  const double m = sum / count, s = std::sqrt(sum2 / count - m * m);
  const double rho = lag / pairs / (sd * sd);
  EXPECT_NEAR(m, mean, 3.0 * sd / std::sqrt(count));
  EXPECT_NEAR(s, sd, 3.0 * sd / std::sqrt(2.0 * count));
  EXPECT_NEAR(rho, 0.0, 3.0 / std::sqrt(pairs));
  EXPECT_NE(I[0], I[1]);
  RecordProperty("mean_pA", test::sci(m));
  RecordProperty("std_pA", test::sci(s));
}

INSTANTIATE_TEST_SUITE_P(Normal, NoiseCurrentModel, ::testing::Values("box_muller", "ziggurat"));

TEST(NoiseCurrentModelChoice, ZigguratIsAnotherRealisationAndAnUnknownMethodIsRefused) {
  const auto first_currents = [](const std::string& normal) {
    Bench b(0.1, 99);
    const auto pop = integrator(b, 4);
    b.device("noise_current", "noise", pop, "current",
             {{"mean", 0.0}, {"std", 1.0}, {"normal", normal}});
    b.record("V", pop, "V_m", 0, 1);
    b.run(3);
    return currents(b, "V", 4, 0.1);
  };
  EXPECT_EQ(first_currents("ziggurat"), first_currents("ziggurat"));
  EXPECT_NE(first_currents("ziggurat"), first_currents("box_muller"));
  EXPECT_THROW(
      DeviceModels::instance().find("noise_current")->create("n", 0, 2, {{"normal", "polar"}}),
      ParamErrors);
}

// 2000 Hz of weight-1 pA input spikes into an excitatory current that does not
// decay (tau_syn_ex = 1e12 ms): after 100 ms each neuron's I_syn_ex is its
// count (Poisson, mean 200); the total over 100 neurons is within 3 SE of 20000.
TEST(PoissonInputModel, MeanCountWithinThreeStandardErrors) {
  const std::size_t n = 100;
  const double rate_Hz = 2000.0, T_ms = 100.0;
  Bench b(0.1, 5);
  const auto pop = integrator(b, n, {{"tau_syn_ex", 1e12}});
  b.device("poisson_input", "drive", pop, "excitatory", {{"rate_Hz", rate_Hz}, {"weight", 1.0}});
  const Step end = b.steps(T_ms);
  b.record("I", pop, "I_syn_ex", end, 1000000);
  b.run(end + 1);
  const auto& s = b.samples("I");
  ASSERT_EQ(s.steps.size(), 1u);
  double total = 0.0;
  for (double k : s.values) {
    EXPECT_NEAR(k, std::round(k), 1e-6);  // whole spikes
    total += std::round(k);
  }
  const double mean = n * rate_Hz * T_ms * 1e-3;
  EXPECT_LE(std::abs(total - mean), 3.0 * std::sqrt(mean));
  RecordProperty("mean_count", test::sci(total / n));
}

}  // namespace
}  // namespace bgsim
