// What stdp_dopamine_soft and stdp_dopamine_proportional share, tested once
// for each: a D2 gain turns a burst into a dip, the event-driven closed form
// agrees with the per-step reference of x' = g f(x) within O(dt) on random
// trains, and both keep stdp_dopamine's 16 bytes and parameter checks. The
// closed forms of each rule's own weight dependence are in
// test_stdp_dopamine_soft.cpp and test_stdp_dopamine_proportional.cpp.

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <string>

#include "models/stdp_dopamine_proportional.hpp"
#include "models/stdp_dopamine_soft.hpp"
#include "tests/models/weight_dependence_support.hpp"

namespace bgsim {
namespace {

using models::StdpDopamineProportional;
using models::StdpDopamineSoft;
using test_support::one_synapse;
using namespace test_support::weight_dependence;

// Each rule's f(x, g) in x' = g f(x, g), and where its random run starts
// (on [−1, 2]: the proportional rule from low, so that it stays off w_max).
template <class Rule>
struct Law;
template <>
struct Law<StdpDopamineSoft> {
  static double f(double x, double g) { return g > 0.0 ? 1.0 - x : x; }
  static constexpr double w0 = 0.5;
};
template <>
struct Law<StdpDopamineProportional> {
  static double f(double x, double) { return x; }
  static constexpr double w0 = -0.5;
};

template <class Rule>
class WeightDependentRule : public ::testing::Test {};

struct RuleName {
  template <class Rule>
  static std::string GetName(int) {
    return std::string(Rule::name);
  }
};
using Rules = ::testing::Types<StdpDopamineSoft, StdpDopamineProportional>;
TYPED_TEST_SUITE(WeightDependentRule, Rules, RuleName);

TYPED_TEST(WeightDependentRule, D2GainTurnsABurstIntoADip) {
  Params d1 = rule(), d2 = rule();
  d2.dopamine_gain = -1.0;
  const double burst_d2 = weight_after<TypeParam>(d2, 1.5, {{0.0}, {10.0}, {100.0}, {}});
  const double dip_d1 = weight_after<TypeParam>(d1, 1.5, {{0.0}, {10.0}, {}, {{100.0, -0.05}}});
  EXPECT_NEAR(burst_d2, dip_d1, 1e-12);
  EXPECT_LT(burst_d2, 1.5);
}

TYPED_TEST(WeightDependentRule, ClosedFormAgreesWithThePerStepReferenceWithinOrderDt) {
  using L = Law<TypeParam>;
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    for (double gain : {1.0, -1.0}) {
      const RandomRun coarse =
          random_run_against_reference<TypeParam>(seed, 0.1, gain, L::w0, L::f);
      const RandomRun fine = random_run_against_reference<TypeParam>(seed, 0.01, gain, L::w0, L::f);
      EXPECT_NEAR(coarse.w_event, fine.w_event, 1e-9 * std::abs(coarse.w_event) + 1e-12);
      const double err_coarse = std::abs(coarse.w_event - coarse.w_ref);
      const double err_fine = std::abs(fine.w_event - fine.w_ref);
      std::printf("seed %d gain %+g: w %.6f (from %g), |err| dt=0.1: %.3g, dt=0.01: %.3g\n",
                  static_cast<int>(seed), gain, coarse.w_event, L::w0, err_coarse, err_fine);
      const double moved = std::abs(coarse.w_event - L::w0);
      EXPECT_GT(moved, 1e-2) << "the weight must move";
      EXPECT_LT(coarse.w_event, 2.0) << "the weight must stay off the bound";
      EXPECT_LT(err_coarse, 1e-3 * std::max(1.0, moved));
      EXPECT_LT(err_fine, err_coarse / 5.0 + 1e-12) << "the reference must converge as O(dt)";
      EXPECT_NEAR(coarse.c_event, coarse.c_ref, 1e-9 + 1e-9 * std::abs(coarse.c_ref));
    }
  }
}

TYPED_TEST(WeightDependentRule, SixteenBytesPerSynapseAndStdpDopaminesParameters) {
  auto f = one_synapse<TypeParam, float>(rule(), 0.5, 10, {}, {}, {});
  EXPECT_EQ(f.projection->bytes_per_synapse(), 16u);
  const SynapseModel* m = SynapseModels::instance().find(std::string(TypeParam::name));
  ASSERT_NE(m, nullptr);
  std::string error;
  try {
    m->resolve({{"w_min", 2.0}, {"w_max", 1.0}});
  } catch (const std::exception& e) {
    error = e.what();
  }
  EXPECT_NE(error.find("w_min"), std::string::npos) << error;
}

}  // namespace
}  // namespace bgsim
