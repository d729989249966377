// poisson_source: spike counts against the Poisson law for a fixed seed, a
// rate step from rate_times_ms / rate_values_Hz, and refusals.

#include <gtest/gtest.h>

#include <cmath>

#include "tests/models/model_test_support.hpp"

namespace bgsim {
namespace {

using test::Bench;

// Total spikes of `n` sources over [from, to) steps.
std::size_t count_between(const std::vector<Step>& stamps, Step from, Step to) {
  std::size_t k = 0;
  for (Step s : stamps)
    k += s > from && s <= to;  // emitted by the updates of steps [from, to)
  return k;
}

// 1000 sources at 20 Hz for 1 s: the total count, Poisson with mean 20000,
// lies within 3 standard errors (sqrt(20000) = 141) of its mean.
TEST(PoissonSourceModel, MeanRateWithinThreeStandardErrors) {
  const std::size_t n = 1000;
  const double rate_Hz = 20.0, T_ms = 1000.0;
  Bench b(0.1, 12345);
  const auto pop = b.population("poisson_source", "poisson", n, {{"rate_Hz", rate_Hz}});
  b.record_spikes("spikes", pop);
  b.run(b.steps(T_ms));
  const double count = static_cast<double>(b.stamps("spikes", pop).size());
  const double mean = n * rate_Hz * T_ms * 1e-3;
  EXPECT_LE(std::abs(count - mean), 3.0 * std::sqrt(mean));
  RecordProperty("rate_Hz", test::sci(count / (n * T_ms * 1e-3)));
}

// The rate steps from 10 Hz to 40 Hz at 250 ms; each half is Poisson at its
// own rate. Every neuron draws its own stream: neuron 0 and neuron 1 differ.
TEST(PoissonSourceModel, RateFollowsItsStepFunction) {
  const std::size_t n = 500;
  Bench b(0.1, 7);
  const auto pop = b.population("poisson_source", "poisson", n,
                                {{"rate_Hz", 10.0},
                                 {"rate_times_ms", std::vector<double>{250.0}},
                                 {"rate_values_Hz", std::vector<double>{40.0}}});
  b.record_spikes("spikes", pop);
  b.run(b.steps(500.0));
  const auto stamps = b.stamps("spikes", pop);
  const double first = static_cast<double>(count_between(stamps, 0, b.steps(250.0)));
  const double second = static_cast<double>(count_between(stamps, b.steps(250.0), b.steps(500.0)));
  const double mean1 = n * 10.0 * 0.25, mean2 = n * 40.0 * 0.25;
  EXPECT_LE(std::abs(first - mean1), 3.0 * std::sqrt(mean1));
  EXPECT_LE(std::abs(second - mean2), 3.0 * std::sqrt(mean2));
  EXPECT_NE(b.stamps("spikes", pop, 0), b.stamps("spikes", pop, 1));
}

TEST(PoissonSourceModel, RefusesBadParameters) {
  test::expect_refused("poisson_source", {{"rate_Hz", -5.0}}, {"rate_Hz", "[Hz]", ">= 0"});
  test::expect_refused("poisson_source",
                       {{"rate_times_ms", std::vector<double>{10.0, 20.0}},
                        {"rate_values_Hz", std::vector<double>{5.0}}},
                       {"rate_values_Hz", "as many entries"});
  test::expect_refused("poisson_source",
                       {{"rate_times_ms", std::vector<double>{20.0, 10.0}},
                        {"rate_values_Hz", std::vector<double>{5.0, 6.0}}},
                       {"rate_times_ms", "increasing"});
  test::expect_refused("poisson_source", {{"rat_Hz", 5.0}}, {"rat_Hz", "did you mean \"rate_Hz\""});
}

}  // namespace
}  // namespace bgsim
