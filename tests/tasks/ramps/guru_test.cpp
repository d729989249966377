#include <gtest/gtest.h>

#include <cmath>

#include "tasks/ramps/guru.hpp"

namespace bgsim::tasks::ramps {
namespace {

// Rounded to the 4 decimals the paper reports.
double round4(double x) {
  return std::round(x * 1e4) / 1e4;
}

TEST(RampsGuruTrack, SessionZeroSlopesMatchThePublishedValues) {
  const GuruTrackResult r = run_guru_track();
  EXPECT_EQ(round4(r.slope_for_reward(1.0, 0)), 0.0221);
  EXPECT_EQ(round4(r.slope_for_reward(2.0, 0)), 0.0442);
}

TEST(RampsGuruTrack, RampsScaleWithRewardFadeAndFlipAtTheSwap) {
  const GuruTrackConfig c;
  const GuruTrackResult r = run_guru_track(c);
  // Scale with reward: the tracks are the same linear system, 2× the reward.
  for (int s = 0; s < 8; ++s) {
    EXPECT_NEAR(r.slope_for_reward(2.0, s), 2.0 * r.slope_for_reward(1.0, s), 1e-12);
  }
  // Fade: falling session after session while V_TD catches up with V_MB.
  for (int s = 1; s < 10; ++s) {
    EXPECT_LT(r.slope_for_reward(1.0, s), r.slope_for_reward(1.0, s - 1)) << "session " << s;
  }
  EXPECT_LT(std::abs(r.slope_for_reward(1.0, 16)), 0.01 * r.slope_for_reward(1.0, 0));
  // The swap: the track that now pays 1 ramps down, the one that now pays 2 ramps up.
  const int swap = c.swap_session;
  EXPECT_EQ(r.tracks[0].reward[static_cast<std::size_t>(swap)], 2.0);
  EXPECT_LT(r.slope_for_reward(1.0, swap), -0.5 * r.slope_for_reward(1.0, 0));
  EXPECT_GT(r.slope_for_reward(2.0, swap), 0.5 * r.slope_for_reward(1.0, 0));
}

TEST(RampsGuruWheel, RampPersistsAcrossSessionsOnTheWheel) {
  const GuruWheelResult r = run_guru_wheel();
  ASSERT_EQ(r.slope.size(), 10u);
  // The shared place feature keeps V_TD from learning the per-step values, so
  // unlike on the track the ramp stays: positive every session, slowly easing.
  for (std::size_t s = 0; s < r.slope.size(); ++s)
    EXPECT_GT(r.slope[s], 0.05) << "session " << s;
  for (std::size_t s = 1; s < r.slope.size(); ++s)
    EXPECT_LE(r.slope[s], r.slope[s - 1]);
  EXPECT_GT(r.slope.back(), 0.5 * r.slope.front());
}

}  // namespace
}  // namespace bgsim::tasks::ramps
