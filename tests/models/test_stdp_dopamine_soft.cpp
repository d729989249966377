// stdp_dopamine_soft: stdp_dopamine with soft bounds. The event-driven closed
// form against hand-computed values of single pairings followed by a burst or
// a dip, a run whose dopamine crosses the baseline between two jumps (where
// the piece must be cut), the small-change limit and the bounds. D2 gain, the
// per-step reference and the layout: test_weight_dependent_rules.cpp.

#include <gtest/gtest.h>

#include <cmath>

#include "models/stdp_dopamine_soft.hpp"
#include "tests/models/weight_dependence_support.hpp"

namespace bgsim {
namespace {

using models::StdpDopamine;
using models::StdpDopamineSoft;
using namespace test_support::weight_dependence;

template <class Rule = StdpDopamineSoft, class Real = double>
double final_weight(const Params& p, double w0, const Pairing& e,
                    DopamineVolume::Params vol = volume()) {
  return weight_after<Rule, Real>(p, w0, e, vol);
}

TEST(StdpDopamineSoft, CausalPairThenBurstOrDipApproachesTheBoundExponentially) {
  // The additive rule would move w by G = A+ · tag(T) · a · τ_s; the soft rule
  // moves 1 − x by e^{−G/range} after a burst and x by e^{−G/range} after a
  // dip, on the range [−1, 3].
  for (double T : {20.0, 100.0, 1000.0, 5000.0}) {
    for (double a_plus : {0.5, 20.0}) {
      const Params p = rule(a_plus, -1.0, 3.0);
      const double G = a_plus * causal_tag(T) * 0.05 * tau_s, w0 = 1.0;
      const double up = final_weight(p, w0, {{0.0}, {10.0}, {}, {{T, 0.05}}});
      const double want_up = 3.0 - (3.0 - w0) * std::exp(-G / 4.0);
      EXPECT_NEAR(up, want_up, 1e-9 * std::abs(want_up)) << T << " ms, A+ " << a_plus;
      const double down = final_weight(p, w0, {{0.0}, {10.0}, {}, {{T, -0.05}}});
      const double want_down = -1.0 + (w0 + 1.0) * std::exp(-G / 4.0);
      EXPECT_NEAR(down, want_down, 1e-9 * std::abs(want_down)) << T << " ms, A+ " << a_plus;
      EXPECT_GT(up, w0);
      EXPECT_LT(down, w0);
      const double single =
          final_weight<StdpDopamineSoft, float>(p, w0, {{0.0}, {10.0}, {}, {{T, 0.05}}});
      EXPECT_NEAR(single, want_up, 1e-6 * std::abs(want_up)) << "float storage";
    }
  }
}

TEST(StdpDopamineSoft, SmallChangesAreStdpDopaminesTimesTheDistanceToTheBound) {
  // A small G: the soft change is the additive change times (1 − x) (burst)
  // or x (dip), to first order in G.
  const Params p = rule(1e-3, 0.0, 10.0);
  StdpDopamine::Params q = p;
  q.w_min = -1e6;
  q.w_max = 1e6;
  for (double w0 : {1.0, 5.0, 9.0}) {
    const double x = w0 / 10.0;
    const Pairing burst{{0.0}, {10.0}, {}, {{100.0, 0.05}}};
    const Pairing dip{{0.0}, {10.0}, {}, {{100.0, -0.05}}};
    const double add_up = final_weight<StdpDopamine>(q, w0, burst) - w0;
    const double add_down = final_weight<StdpDopamine>(q, w0, dip) - w0;
    EXPECT_NEAR(final_weight(p, w0, burst) - w0, add_up * (1.0 - x), 1e-3 * std::abs(add_up));
    EXPECT_NEAR(final_weight(p, w0, dip) - w0, add_down * x, 1e-3 * std::abs(add_down));
  }
}

TEST(StdpDopamineSoft, DopamineCrossingTheBaselineBetweenJumpsIsCutThere) {
  // Volume at baseline 0, rule baseline b = 0.01: before the dopamine spike
  // d − b = −b (the causal tag depresses, x shrinks); the spike at T raises d
  // to a (it potentiates) until d decays through b at T + τ_d ln(a/b), after
  // which it depresses for ever. Three runs, each by hand.
  const double T = 300.0, a = 0.05, b = 0.01, w0 = 2.0;
  Params p = rule(2.0, 0.0, 4.0);
  p.b = b;
  const double E10 = std::exp(-10.0 / tau_pm);  // the tag at 10 ms
  const auto down = [](double x, double G) { return x * std::exp(-G / 4.0); };
  const auto up = [](double x, double G) { return 1.0 - (1.0 - x) * std::exp(-G / 4.0); };
  double x = w0 / 4.0;
  x = down(x, p.A_plus * E10 * b * tau_c * -std::expm1(-(T - 10.0) / tau_c));
  const double L = tau_d * std::log(a / b);
  const double I_up = a * tau_s * -std::expm1(-L / tau_s) - b * tau_c * -std::expm1(-L / tau_c);
  x = up(x, p.A_plus * causal_tag(T) * I_up);
  x = down(x, p.A_plus * causal_tag(T + L) * b * (tau_c - tau_s));
  const double got = final_weight(p, w0, {{0.0}, {10.0}, {T}, {}}, volume(0.0, a));
  EXPECT_NEAR(got, 4.0 * x, 1e-9 * 4.0 * x);
  // [T, ∞) as one piece would give another value.
  double unsplit = down(w0 / 4.0, p.A_plus * E10 * b * tau_c * -std::expm1(-(T - 10.0) / tau_c));
  unsplit = up(unsplit, p.A_plus * causal_tag(T) * (a * tau_s - b * tau_c));
  EXPECT_GT(std::abs(4.0 * unsplit - got), 1e-3);
}

TEST(StdpDopamineSoft, BoundsAreApproachedNotCrossed) {
  const Params p = rule(1e4, 1.0, 2.0);
  const double up = final_weight(p, 1.5, {{0.0}, {10.0}, {100.0}, {}});
  const double down = final_weight(p, 1.5, {{0.0}, {10.0}, {}, {{100.0, -0.05}}});
  EXPECT_LE(up, 2.0);
  EXPECT_NEAR(up, 2.0, 1e-12);
  EXPECT_GE(down, 1.0);
  EXPECT_NEAR(down, 1.0, 1e-12);
  // Initial weights outside the range are clipped into it; nothing moves
  // without a pair, or with w_min = w_max.
  EXPECT_EQ(final_weight(p, 7.0, {{}, {}, {}, {}}), 2.0);
  EXPECT_EQ(final_weight(p, 1.25, {{}, {10.0}, {50.0}, {{700.0, -0.2}}}), 1.25);
  EXPECT_EQ(final_weight(rule(1.0, 1.0, 1.0), 1.0, {{0.0}, {10.0}, {100.0}, {}}), 1.0);
}

}  // namespace
}  // namespace bgsim
