#include <gtest/gtest.h>

#include "tasks/ramps/kim.hpp"

namespace bgsim::tasks::ramps {
namespace {

TEST(RampsKimDistance, TeleportRpeGrowsWithDistanceAndAPauseDips) {
  const KimDistanceConfig c;
  const KimResult r = run_kim_distance(c);
  ASSERT_EQ(r.probes.size(), 4u);  // pause, 1, 2, 10
  const KimProbe& pause = r.probes[0];
  ASSERT_EQ(pause.condition, 0);
  ASSERT_GE(pause.event_step, 0);
  // During the pause δ = γ V_TD(23) − V_TD(23) < 0, small beside the teleports.
  for (int i = 0; i < c.pause_steps; ++i) {
    EXPECT_LT(pause.trace.deltas[static_cast<std::size_t>(pause.event_step + i)], 0.0);
  }
  EXPECT_LT(-pause.event_rpe, 0.5 * r.probes[1].event_rpe);
  for (std::size_t i = 2; i < r.probes.size(); ++i) {
    EXPECT_GT(r.probes[i].event_rpe, r.probes[i - 1].event_rpe)
        << "distance " << r.probes[i].condition << " vs " << r.probes[i - 1].condition;
  }
  EXPECT_GT(r.probes[1].event_rpe, 0.0);
}

TEST(RampsKimLocation, TeleportRpeIsLargerNearerTheGoal) {
  const KimResult r = run_kim_location();
  ASSERT_EQ(r.probes.size(), 4u);  // standard, 2, 8, 14
  EXPECT_EQ(r.probes[0].event_step, -1);
  for (std::size_t i = 2; i < r.probes.size(); ++i) {
    EXPECT_GT(r.probes[i].event_rpe, r.probes[i - 1].event_rpe)
        << "location " << r.probes[i].condition << " vs " << r.probes[i - 1].condition;
  }
  // At each location the teleport's RPE exceeds that of an ordinary step there.
  const EpisodeTrace& standard = r.probes[0].trace;
  for (std::size_t i = 1; i < r.probes.size(); ++i) {
    const int at = r.probes[i].condition;
    ASSERT_EQ(standard.states[static_cast<std::size_t>(at)], at);
    EXPECT_GT(r.probes[i].event_rpe, standard.deltas[static_cast<std::size_t>(at)]);
  }
}

TEST(RampsKimSpeed, FasterMovementGivesASteeperRamp) {
  const KimResult r = run_kim_speed();
  ASSERT_EQ(r.probes.size(), 3u);  // step sizes 1, 2, 4
  EXPECT_GT(r.probes[1].slope, r.probes[0].slope);
  EXPECT_GT(r.probes[2].slope, r.probes[1].slope);
  EXPECT_GT(r.probes[2].slope, 0.0);
}

}  // namespace
}  // namespace bgsim::tasks::ramps
