#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "tasks/ramps/mikhael.hpp"

namespace bgsim::tasks::ramps {
namespace {

TEST(RampsUncertaintyAssumptions, DynamicUncertaintyOverestimatesStaticDoesNot) {
  const UncertaintyAssumptionsConfig c;
  const UncertaintyAssumptionsResult r = run_uncertainty_assumptions(c);
  double static_worst = 0.0;
  for (double e : r.static_run.error)
    static_worst = std::max(static_worst, std::abs(e));
  EXPECT_LT(static_worst, 1e-6);
  // Dynamic: above the truth on every state whose next-state map is broad.
  for (int s = 0; s < c.num_states - c.sharp_tail - 1; ++s) {
    EXPECT_GT(r.dynamic_run.error[static_cast<std::size_t>(s)], 0.01) << "state " << s;
  }
  EXPECT_GT(r.dynamic_run.max_error, 0.05);
  EXPECT_GT(r.dynamic_run.mean_error.back(), 0.02);
}

TEST(RampsMikhaelTrack, DarknessFlattensTheRampAndRaisesTheRewardRpe) {
  const MikhaelTrackResult r = run_mikhael_track();
  ASSERT_EQ(r.probes.size(), 4u);
  for (const bool fast : {false, true}) {
    const MikhaelProbe& lit = r.probe(false, fast);
    const MikhaelProbe& dark = r.probe(true, fast);
    ASSERT_TRUE(lit.trace.reached_goal);
    ASSERT_TRUE(dark.trace.reached_goal);
    EXPECT_LT(dark.slope, 0.5 * lit.slope) << (fast ? "fast" : "slow");
    EXPECT_GT(dark.reward_rpe, lit.reward_rpe) << (fast ? "fast" : "slow");
  }
  // Speed steepens the lit ramp too (Kim et al.'s effect under features).
  EXPECT_GT(r.probe(false, true).slope, r.probe(false, false).slope);
}

}  // namespace
}  // namespace bgsim::tasks::ramps
