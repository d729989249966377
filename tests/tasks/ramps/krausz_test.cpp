#include <gtest/gtest.h>

#include "tasks/ramps/krausz.hpp"

namespace bgsim::tasks::ramps {
namespace {

TEST(RampsKrauszGrid, RewardRaisesTheNextRampEvenFromTheOtherStart) {
  const KrauszGridConfig c;
  const KrauszGridResult r = run_krausz_grid(c);
  // The test trials: 2 follows an omission, 3 follows a reward earned on the
  // other path; trials 2 and 3 start from different corners.
  ASSERT_TRUE(r.reward_trial.reached_goal);
  ASSERT_TRUE(r.probe_trial.reached_goal);
  EXPECT_EQ(r.reward_trial.rewards.back(), c.reward);
  EXPECT_EQ(r.omission_trial.rewards.back(), 0.0);
  EXPECT_GT(r.ramp_after_reward, r.ramp_after_omission);
  // V_MB rises everywhere after the reward: one R(goal) serves both paths.
  EXPECT_TRUE((r.v_mb_after_reward.array() > r.v_mb_after_omission.array()).all());
  // Over the alternating training trials, whose predecessor always started
  // from the other corner, the same holds on average.
  EXPECT_GT(r.training_ramp_after_reward, r.training_ramp_after_omission);
  // Both outcomes occurred in training (p = 0.5).
  int rewarded = 0;
  for (double o : r.training_outcome)
    rewarded += o > 0.0;
  EXPECT_GT(rewarded, 150);
  EXPECT_LT(rewarded, 350);
}

}  // namespace
}  // namespace bgsim::tasks::ramps
