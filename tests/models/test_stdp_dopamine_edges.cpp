// stdp_dopamine: the edge cases of issue 4, the delay convention, D1 against
// D2, and weight bounds.

#include <gtest/gtest.h>

#include <cmath>

#include "tests/models/plasticity_support.hpp"

namespace bgsim {
namespace {

using models::StdpDopamine;
using test_support::one_synapse;

constexpr Step ms = 10;  // steps per ms at dt = 0.1 ms

StdpDopamine::Params wide() {
  StdpDopamine::Params p;
  p.w_min = -1000.0;
  p.w_max = 1000.0;
  return p;
}

DopamineVolume::Params volume() {
  return {.tau_ms = 200.0, .baseline = 0.0, .spike_increment = 0.005};
}

TEST(StdpDopamineEdges, NoSpikesAtAllLeaveTheWeightExactly) {
  // The presynaptic neuron never fires and dopamine stays at its zero baseline.
  auto s =
      one_synapse<StdpDopamine, float>(StdpDopamine::Params{}, 3.25, 1 * ms, {}, {}, {}, volume());
  s.sim->run(50000 * ms / 10);  // 5 s, through several flushes
  EXPECT_EQ(s.weight(), 3.25);
  EXPECT_EQ(s.eligibility(), 0.0);
}

TEST(StdpDopamineEdges, DopamineOnlyChangesNothing) {
  auto s = one_synapse<StdpDopamine, float>(StdpDopamine::Params{}, 3.25, 1 * ms, {}, {},
                                            {10 * ms, 20 * ms, 500 * ms, 1500 * ms}, volume());
  s.sim->pulse(s.volume, 700 * ms, 2.0);
  s.sim->pulse(s.volume, 800 * ms, -3.0);
  s.sim->run(3000 * ms);
  EXPECT_EQ(s.weight(), 3.25);
  EXPECT_EQ(s.eligibility(), 0.0);
}

TEST(StdpDopamineEdges, PostSpikesOnlyChangeNothing) {
  // No pre spike: the pre trace is zero, so post spikes tag nothing.
  auto s = one_synapse<StdpDopamine, float>(StdpDopamine::Params{}, 3.25, 1 * ms, {},
                                            {5 * ms, 30 * ms, 31 * ms, 700 * ms},
                                            {40 * ms, 800 * ms}, volume());
  s.sim->run(3000 * ms);
  EXPECT_EQ(s.weight(), 3.25);
  EXPECT_EQ(s.eligibility(), 0.0);
}

TEST(StdpDopamineEdges, PreSpikesAloneTagNothingAndKeepTheWeight) {
  auto s = one_synapse<StdpDopamine, float>(StdpDopamine::Params{}, 3.25, 1 * ms,
                                            {5 * ms, 30 * ms, 700 * ms}, {}, {40 * ms, 800 * ms},
                                            volume());
  s.sim->run(3000 * ms);
  EXPECT_EQ(s.weight(), 3.25);
  EXPECT_EQ(s.eligibility(), 0.0);
}

TEST(StdpDopamineEdges, SimultaneousPreAndPostDoNotPair) {
  // The synapse sees the post spike at its stamp + delay: stamped at
  // 50 ms - delay, it coincides with the pre spike at 50 ms.
  const Step delay = 2 * ms;
  auto s = one_synapse<StdpDopamine, double>(wide(), 0.0, delay, {50 * ms}, {50 * ms - delay},
                                             {100 * ms}, volume());
  s.sim->run(2000 * ms);
  EXPECT_EQ(s.eligibility(), 0.0);
  EXPECT_EQ(s.weight(), 0.0);
  // With an earlier pre spike, the coincident post spike pairs with it only.
  auto t = one_synapse<StdpDopamine, double>(wide(), 0.0, delay, {40 * ms, 50 * ms},
                                             {50 * ms - delay}, {}, volume());
  t.sim->run(50 * ms);
  // At 50 ms: +A+ e^{-10/20} from (40, 50); the pre spike at 50 sees no post
  // spike strictly before it.
  EXPECT_NEAR(t.eligibility(), std::exp(-0.5), 1e-12);
}

TEST(StdpDopamineEdges, DopamineExactlyAtASpikeIsTheLimitOfDopamineJustAfterIt) {
  // w is continuous in time, so a jump of dopamine at the very step of a pre
  // or post spike gives the limit of a jump just after it.
  const Step delay = 1 * ms;
  const auto run = [&](Step da) {
    auto s = one_synapse<StdpDopamine, double>(wide(), 0.0, delay, {20 * ms}, {30 * ms - delay},
                                               {da}, volume());
    s.sim->run(8000 * ms);
    return s.weight();
  };
  const double at_post = run(30 * ms), after_post = run(30 * ms + 1);
  EXPECT_GT(at_post, 0.1);
  EXPECT_NEAR(at_post, after_post, at_post * 2e-4);  // one step of 0.1 ms in tau_c = 1 s
  EXPECT_GT(at_post, after_post);
  const double at_pre = run(20 * ms);  // before the tag: the level has decayed by 30 ms
  EXPECT_GT(at_pre, 0.0);
  EXPECT_LT(at_pre, at_post);
}

TEST(StdpDopamineEdges, BelowBaselineTheSignOfTheChangeFlips) {
  // A causal pair tags the synapse positively; with the level below b the
  // weight falls (D1), above b it rises.
  auto p = wide();
  p.b = 0.01;
  const Step delay = 1 * ms;
  DopamineVolume::Params v = volume();
  v.baseline = 0.01;  // tonic level at b: no drift
  auto at_baseline =
      one_synapse<StdpDopamine, double>(p, 1.0, delay, {20 * ms}, {30 * ms - delay}, {}, v);
  at_baseline.sim->run(3000 * ms);
  EXPECT_NEAR(at_baseline.weight(), 1.0, 1e-15);
  auto dip = one_synapse<StdpDopamine, double>(p, 1.0, delay, {20 * ms}, {30 * ms - delay}, {}, v);
  dip.sim->pulse(dip.volume, 100 * ms, -0.05);  // a dip below baseline
  dip.sim->run(3000 * ms);
  EXPECT_LT(dip.weight(), 1.0 - 1e-3);
  auto burst =
      one_synapse<StdpDopamine, double>(p, 1.0, delay, {20 * ms}, {30 * ms - delay}, {}, v);
  burst.sim->pulse(burst.volume, 100 * ms, +0.05);
  burst.sim->run(3000 * ms);
  EXPECT_GT(burst.weight(), 1.0 + 1e-3);
  // Symmetric around the baseline: a dip and a burst of one size move it equally.
  EXPECT_NEAR(1.0 - dip.weight(), burst.weight() - 1.0, 1e-12);
  // An anti-causal pair (negative tag) in a dip potentiates.
  auto anti = one_synapse<StdpDopamine, double>(p, 1.0, delay, {30 * ms}, {20 * ms - delay}, {}, v);
  anti.sim->pulse(anti.volume, 100 * ms, -0.05);
  anti.sim->run(3000 * ms);
  EXPECT_GT(anti.weight(), 1.0 + 1e-3);
}

TEST(StdpDopamineEdges, WeightsClipAtBothBounds) {
  StdpDopamine::Params p;
  p.w_min = 0.5;
  p.w_max = 2.0;
  const Step delay = 1 * ms;
  auto up =
      one_synapse<StdpDopamine, float>(p, 1.0, delay, {20 * ms}, {30 * ms - delay}, {}, volume());
  up.sim->pulse(up.volume, 100 * ms, 50.0);
  up.sim->run(3000 * ms);
  EXPECT_EQ(up.weight(), 2.0);
  auto down =
      one_synapse<StdpDopamine, float>(p, 1.0, delay, {30 * ms}, {20 * ms - delay}, {}, volume());
  down.sim->pulse(down.volume, 100 * ms, 50.0);
  down.sim->run(3000 * ms);
  EXPECT_EQ(down.weight(), 0.5);
  // An initial weight outside the bounds is clipped into them.
  auto outside = one_synapse<StdpDopamine, float>(p, 7.0, delay, {}, {}, {}, volume());
  outside.sim->run(10);
  EXPECT_EQ(outside.weight(), 2.0);
}

TEST(StdpDopamineEdges, D1AndD2MoveInOppositeDirections) {
  const Step delay = 1 * ms;
  const auto run = [&](double gain, bool causal, double pulse) {
    auto p = wide();
    p.dopamine_gain = gain;
    auto s = causal ? one_synapse<StdpDopamine, double>(p, 1.0, delay, {20 * ms}, {30 * ms - delay},
                                                        {}, volume())
                    : one_synapse<StdpDopamine, double>(p, 1.0, delay, {30 * ms}, {20 * ms - delay},
                                                        {}, volume());
    s.sim->pulse(s.volume, 200 * ms, pulse);
    s.sim->run(3000 * ms);
    return s.weight() - 1.0;
  };
  for (bool causal : {true, false})
    for (double pulse : {0.05, -0.05}) {
      const double d1 = run(+1.0, causal, pulse), d2 = run(-1.0, causal, pulse);
      EXPECT_GT(std::abs(d1), 1e-3);
      EXPECT_LT(d1 * d2, 0.0) << "causal " << causal << ", pulse " << pulse;
      EXPECT_NEAR(d1, -d2, 1e-12);
    }
  // D1: a burst after a causal pair potentiates (and a dip depresses).
  EXPECT_GT(run(+1.0, true, 0.05), 0.0);
  EXPECT_LT(run(+1.0, true, -0.05), 0.0);
  // D2: a burst after a causal pair depresses (and a dip potentiates).
  EXPECT_LT(run(-1.0, true, 0.05), 0.0);
  EXPECT_GT(run(-1.0, true, -0.05), 0.0);
}

TEST(StdpDopamineEdges, DendriticDelayConvention) {
  // The synapse sees a post spike stamped t_p at t_p + d: with d = 3 ms, a
  // post spike stamped 2 ms before the pre spike is causal (Δt = +1 ms) ...
  const Step d = 3 * ms;
  auto s = one_synapse<StdpDopamine, double>(wide(), 1.0, d, {50 * ms}, {48 * ms}, {}, volume());
  s.sim->run(60 * ms);
  EXPECT_NEAR(s.eligibility(), std::exp(-1.0 / 20.0) * std::exp(-9.0 / 1000.0), 1e-12);
  // ... and one stamped 4 ms before it is anti-causal (Δt = -1 ms).
  auto t = one_synapse<StdpDopamine, double>(wide(), 1.0, d, {50 * ms}, {46 * ms}, {}, volume());
  t.sim->run(60 * ms);
  EXPECT_NEAR(t.eligibility(), -1.5 * std::exp(-1.0 / 20.0) * std::exp(-10.0 / 1000.0), 1e-12);
}

TEST(StdpDopamineEdges, ThePreSpikeTransmitsItsUpdatedWeightAfterTheDelay) {
  // A spike stamped at 50 ms with a 3 ms delay reaches the target's input at
  // 53 ms, carrying the weight the synapse has after its update at 50 ms.
  const Step d = 3 * ms;
  auto s = one_synapse<StdpDopamine, double>(wide(), 1.0, d, {20 * ms, 50 * ms}, {30 * ms - d},
                                             {35 * ms}, volume());
  s.sim->run(50 * ms);
  const double w50 = s.weight();
  EXPECT_GT(w50, 1.0);  // the tag of (20, 30) met the dopamine at 35
  s.sim->run(10 * ms);
  const auto& got = dynamic_cast<test_support::Puppet&>(s.sim->population(1)).received;
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].step, 23 * ms);
  EXPECT_EQ(got[0].input, 1.0);
  EXPECT_EQ(got[1].step, 53 * ms);
  EXPECT_EQ(got[1].input, w50);
  EXPECT_EQ(s.sim->counters().synaptic_events, 2u);
}

}  // namespace
}  // namespace bgsim
