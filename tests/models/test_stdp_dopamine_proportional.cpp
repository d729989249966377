// stdp_dopamine_proportional: stdp_dopamine with changes proportional to the
// weight. The closed form against hand-computed values of a single pairing
// followed by a burst or a dip, the small-change limit, the rich-get-richer
// property the rule exists for and the clip at w_max at the synapse's events.
// D2 gain, the per-step reference and the layout:
// test_weight_dependent_rules.cpp.

#include <gtest/gtest.h>

#include <cmath>

#include "models/stdp_dopamine_proportional.hpp"
#include "tests/models/weight_dependence_support.hpp"

namespace bgsim {
namespace {

using models::StdpDopamine;
using models::StdpDopamineProportional;
using namespace test_support::weight_dependence;

template <class Rule = StdpDopamineProportional, class Real = double>
double final_weight(const Params& p, double w0, const Pairing& e,
                    DopamineVolume::Params vol = volume()) {
  return weight_after<Rule, Real>(p, w0, e, vol);
}

TEST(StdpDopamineProportional, CausalPairThenBurstOrDipScalesTheWeightExponentially) {
  // The additive rule would move w by G = A+ · tag(T) · a · τ_s; this one
  // multiplies w − w_min by e^{G/range} after a burst and e^{−G/range} after
  // a dip, on the range [−1, 7].
  for (double T : {20.0, 100.0, 1000.0, 5000.0}) {
    for (double a_plus : {0.5, 20.0}) {
      const Params p = rule(a_plus, -1.0, 7.0);
      const double G = a_plus * causal_tag(T) * 0.05 * tau_s, w0 = 1.0;
      const double up = final_weight(p, w0, {{0.0}, {10.0}, {}, {{T, 0.05}}});
      const double want_up = std::min(7.0, -1.0 + (w0 + 1.0) * std::exp(G / 8.0));
      EXPECT_NEAR(up, want_up, 1e-9 * std::abs(want_up)) << T << " ms, A+ " << a_plus;
      const double down = final_weight(p, w0, {{0.0}, {10.0}, {}, {{T, -0.05}}});
      const double want_down = -1.0 + (w0 + 1.0) * std::exp(-G / 8.0);
      EXPECT_NEAR(down, want_down, 1e-9 * std::abs(want_down)) << T << " ms, A+ " << a_plus;
      EXPECT_GT(up, w0);
      EXPECT_LT(down, w0);
      const double single =
          final_weight<StdpDopamineProportional, float>(p, w0, {{0.0}, {10.0}, {}, {{T, 0.05}}});
      EXPECT_NEAR(single, want_up, 1e-6 * std::abs(want_up)) << "float storage";
    }
  }
}

TEST(StdpDopamineProportional, SmallChangesAreStdpDopaminesTimesTheRelativeWeight) {
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
    EXPECT_NEAR(final_weight(p, w0, burst) - w0, add_up * x, 1e-3 * std::abs(add_up));
    EXPECT_NEAR(final_weight(p, w0, dip) - w0, add_down * x, 1e-3 * std::abs(add_down));
  }
}

TEST(StdpDopamineProportional, TheStrongerOfTwoSynapsesGainsAndLosesMore) {
  // The same tag and the same burst (or dip): the synapse three times as
  // strong moves three times as far (to first order), and a burst followed by
  // an equal dip returns both exactly to where they started.
  const Params p = rule(0.5, 0.0, 100.0);
  const Pairing burst{{0.0}, {10.0}, {}, {{100.0, 0.05}}};
  const double weak = final_weight(p, 2.0, burst) - 2.0;
  const double strong = final_weight(p, 6.0, burst) - 6.0;
  EXPECT_GT(weak, 0.0);
  EXPECT_NEAR(strong / weak, 3.0, 1e-9);
  const Pairing both{{0.0}, {10.0}, {}, {{100.0, 0.05}, {100.0, -0.05}}};
  EXPECT_NEAR(final_weight(p, 6.0, both), 6.0, 1e-12);
}

TEST(StdpDopamineProportional, TheBoundActsAtTheSynapsesEventsAsStdpDopaminesDoes) {
  // A dopamine spike of 0.2 at T on a volume resting at 0, the rule's b at
  // 0.01: before it d − b < 0, the spike drives x far past 1, and once d has
  // decayed through b (at T + 599.1 ms) the dip below b shrinks it for ever.
  // The clip acts where stdp_dopamine's does, after each piece between the
  // synapse's events (and the kernel's periodic flushes, once a second): a
  // pre spike just after the crossing clips w to w_max, and the dip then
  // shrinks it from there.
  const double T = 300.0, a = 0.2, b = 0.01, w0 = 1.0, t_pre = 899.2;
  Params p = rule(2.0, 0.0, 4.0);
  p.b = b;
  const double to_pre = p.A_plus * std::exp(-10.0 / tau_pm) *
                        (-b * tau_c * -std::expm1(-(t_pre - 10.0) / tau_c) +
                         a * tau_s * std::exp(-(T - 10.0) / tau_c) *
                             -std::expm1(-(t_pre - T) / tau_s));  // [10 ms, t_pre]
  ASSERT_GT(w0 * std::exp(to_pre / 4.0), 4.0) << "the burst must carry w past the bound";
  ASSERT_LT(a * std::exp(-(t_pre - T) / tau_d), b) << "the pre spike must follow the crossing";
  // After t_pre: the tag (the post trace's share, e^{−889/20}, is below 1e-19)
  // and ∫ e^{−(u − t_pre)/τ_c} (d(u) − b) du from t_pre on.
  const double I_after = a * std::exp(-(t_pre - T) / tau_d) * tau_s - b * tau_c;
  const double want = 4.0 * std::exp(p.A_plus * causal_tag(t_pre) * I_after / 4.0);
  const double got = final_weight(p, w0, {{0.0, t_pre}, {10.0}, {T}, {}}, volume(0.0, a));
  EXPECT_NEAR(got, want, 1e-9 * want);
  EXPECT_LT(got, 2.0);
}

}  // namespace
}  // namespace bgsim
