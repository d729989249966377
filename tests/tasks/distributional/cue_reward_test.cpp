// The cue–reward experiment: transfer of the prediction error from reward to
// cue (TD(λ) and the distributional bank), omission and surprise responses.

#include "tasks/distributional/cue_reward.hpp"

#include <cmath>
#include <stdexcept>

#include <gtest/gtest.h>

namespace bgsim::tasks::distributional {
namespace {

constexpr int kCue = 19;     // step of the cue at 2 s (round(2 / 0.1) − 1)
constexpr int kReward = 59;  // step of the reward at 6 s

TEST(CueReward, TdLambdaMovesTheErrorFromRewardToCue) {
  CueRewardConfig config;
  config.n_trials = 500;
  config.task_seed = 3;
  const TdRun run = run_cue_reward_td_lambda(config);
  ASSERT_EQ(run.delta.rows(), 500);
  ASSERT_EQ(run.delta.cols(), 70);
  // Trial 0: nothing predicted, δ is the reward.
  EXPECT_DOUBLE_EQ(run.delta(0, kReward), 1.0);
  EXPECT_DOUBLE_EQ(run.delta(0, kCue - 1), 0.0);
  // Trained: the reward is predicted, and the transition into the cue carries
  // the discounted reward r·γ^{k_r − k_cue + 1}.
  const double gamma = config.td.gamma;
  const double at_cue = config.reward * std::pow(gamma, kReward - kCue + 1);
  const int last = 499;
  EXPECT_NEAR(run.delta(last, kReward), 0.0, 0.01);
  EXPECT_NEAR(run.delta(last, kCue - 1), at_cue, 0.01 * at_cue);
  EXPECT_NEAR(run.value(last, kCue), config.reward * std::pow(gamma, kReward - kCue), 0.01);
  // In between, the two responses trade places: the reward response falls
  // and the cue response grows.
  EXPECT_LT(run.delta(50, kReward), run.delta(0, kReward));
  EXPECT_GT(run.delta(50, kCue - 1), 0.1 * at_cue);
}

TEST(CueReward, DistributionalPredictorsTransferAndFanOutByDiscount) {
  const CueRewardConfig config;  // the published defaults: 200 trials, 20 predictors
  const DistributionalRun run = run_cue_reward(config);
  ASSERT_EQ(run.trials.size(), 200u);
  ASSERT_EQ(run.value.size(), 200u);
  ASSERT_EQ(run.value[0].rows(), 71);
  ASSERT_EQ(run.value[0].cols(), 20);
  ASSERT_EQ(run.delta[0].rows(), 70);
  ASSERT_EQ(run.predictors.tau.size(), 20);
  const Eigen::MatrixXd& first = run.delta.front();
  const Eigen::MatrixXd& last = run.delta.back();
  for (int i = 0; i < 20; ++i) {
    const double g = std::pow(run.predictors.gamma(i), config.dt_s);  // γ per step
    EXPECT_DOUBLE_EQ(first(kReward, i), 1.0);
    EXPECT_NEAR(last(kReward, i), 0.0, 0.01) << "predictor " << i;
    const double cue_response = std::pow(g, kReward - kCue + 1);
    EXPECT_NEAR(last(kCue - 1, i), cue_response, 0.02 * cue_response + 1e-3) << "predictor " << i;
  }
  // The value at the cue across trials, per predictor (drl_sim's val_at_t).
  const Eigen::MatrixXd at_cue = value_at_time(run, config.cue_time_s);
  ASSERT_EQ(at_cue.rows(), 200);
  ASSERT_EQ(at_cue.cols(), 20);
  EXPECT_EQ(at_cue(199, 3), run.value[199](kCue, 3));
  // Predictors with larger γ hold more value at the cue.
  for (int i = 0; i < 20; ++i) {
    for (int j = 0; j < 20; ++j) {
      if (run.predictors.gamma(i) > run.predictors.gamma(j) + 0.01) {
        EXPECT_GT(at_cue(199, i), at_cue(199, j));
      }
    }
  }
}

TEST(CueReward, OmissionGivesANegativeErrorAtTheExpectedRewardTime) {
  CueRewardConfig config;
  config.n_trials = 600;
  config.omission_probability = 0.1;
  config.task_seed = 11;
  const TdRun td = run_cue_reward_td_lambda(config);
  const DistributionalRun dist = run_cue_reward(config);
  int probes = 0;
  for (int n = 300; n < config.n_trials; ++n) {
    // The two learners saw the same trials (same task seed).
    ASSERT_EQ(td.trials[n].omission, dist.trials[n].omission);
    if (!td.trials[n].omission) continue;
    ++probes;
    EXPECT_LT(td.delta(n, kReward), -0.5 * config.reward) << "trial " << n;
    EXPECT_LT(dist.delta[n].row(kReward).maxCoeff(), -0.3 * config.reward) << "trial " << n;
    // The cue was still predicted.
    EXPECT_GT(td.delta(n, kCue - 1), 0.0);
  }
  EXPECT_GT(probes, 10);
}

TEST(CueReward, UnexpectedRewardGivesAPositiveError) {
  CueRewardConfig config;
  config.n_trials = 600;
  config.unexpected_probability = 0.1;
  config.task_seed = 12;
  const TdRun td = run_cue_reward_td_lambda(config);
  const DistributionalRun dist = run_cue_reward(config);
  int surprises = 0;
  for (int n = 300; n < config.n_trials; ++n) {
    const int k = td.trials[n].unexpected_step;
    if (k < 0 || k >= 70) continue;  // the last step has no transition
    ++surprises;
    EXPECT_GT(td.delta(n, k), 0.5 * config.reward) << "trial " << n << " step " << k;
    EXPECT_GT(dist.delta[n].row(k).minCoeff(), 0.3 * config.reward) << "trial " << n;
  }
  EXPECT_GT(surprises, 10);
}

TEST(CueReward, KeepsTheTracesAskedForAndRefusesTheRest) {
  CueRewardConfig config;
  config.n_trials = 3;
  config.record_from_trial = 3;  // keep none
  const DistributionalRun run = run_cue_reward(config);
  EXPECT_TRUE(run.value.empty());
  EXPECT_EQ(run.trials.size(), 3u);
  EXPECT_THROW(value_at_time(run, 2.0), std::invalid_argument);
  config.record_from_trial = 1;  // the same trials, traces of the last two
  const DistributionalRun tail = run_cue_reward(config);
  ASSERT_EQ(tail.value.size(), 2u);
  EXPECT_EQ(tail.first_recorded_trial, 1);
  config.record_from_trial = 0;
  const DistributionalRun kept = run_cue_reward(config);
  EXPECT_EQ(tail.value[0], kept.value[1]);
  EXPECT_EQ(value_at_time(tail, 6.0).rows(), 2);
  EXPECT_THROW(value_at_time(kept, 9.0), std::invalid_argument);
  EXPECT_THROW(delta_heatmap(kept, 20), std::invalid_argument);
  EXPECT_EQ(delta_heatmap(kept, 2).rows(), 3);
  config.n_trials = 0;
  EXPECT_THROW(run_cue_reward(config), std::invalid_argument);
}

}  // namespace
}  // namespace bgsim::tasks::distributional
