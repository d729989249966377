// The delay task: the value at the cue decays with the delay at each
// predictor's own discount, so the task reads out γ.

#include "tasks/distributional/delay_task.hpp"

#include <algorithm>
#include <cmath>

#include <gtest/gtest.h>

namespace bgsim::tasks::distributional {
namespace {

TEST(DelayTask, CueValueDecaysWithDelayAtEachPredictorsDiscount) {
  DelayTaskConfig config;
  config.n_trials = 1800;  // 300 per type
  config.task_seed = 31;
  const DistributionalRun run = run_delay_task(config);
  ASSERT_EQ(run.type_names.size(), 6u);
  ASSERT_EQ(run.steps_per_trial, 17);
  const int cue = time_index(config.dt_s, config.cue_time_s);
  ASSERT_EQ(cue, 1);
  const int reward_step[4] = {3, 6, 9, 14};
  const int n = static_cast<int>(run.predictors.tau.size());
  int checked = 0;
  for (int i = 0; i < n; ++i) {
    // A predictor with a per-step rate below 0.1 needs more than 300 trials
    // per type to carry the value back 13 steps; it is left out.
    const double slow = std::pow(
        std::min(run.predictors.alpha_plus(i), run.predictors.alpha_minus(i)), config.dt_s);
    if (slow < 0.1) continue;
    ++checked;
    const double g = std::pow(run.predictors.gamma(i), config.dt_s);  // per step
    double previous = 1e9;
    for (int type = 0; type < 4; ++type) {
      const Eigen::MatrixXd v = value_at_time(run, config.cue_time_s, type);
      const double at_cue = v(v.rows() - 1, i);
      const double expected = config.reward * std::pow(g, reward_step[type] - cue);
      EXPECT_NEAR(at_cue, expected, 0.02 * expected + 1e-4)
          << "predictor " << i << " type " << type;
      EXPECT_LT(at_cue, previous) << "predictor " << i << " type " << type;
      previous = at_cue;
    }
    // γ read back from the decay between the shortest and the third delay.
    const double v0 = value_at_time(run, config.cue_time_s, 0).bottomRows(1)(0, i);
    const double v2 = value_at_time(run, config.cue_time_s, 2).bottomRows(1)(0, i);
    const double gamma_back =
        std::pow(std::pow(v2 / v0, 1.0 / (reward_step[2] - reward_step[0])), 1.0 / config.dt_s);
    EXPECT_NEAR(gamma_back, run.predictors.gamma(i), 0.02 * run.predictors.gamma(i));
  }
  EXPECT_GE(checked, 15);
}

TEST(DelayTask, PublishedDefaultsRunAllSixTypes) {
  const DelayTaskConfig config;
  const DistributionalRun run = run_delay_task(config);
  ASSERT_EQ(run.trials.size(), 200u);
  ASSERT_EQ(run.value[0].rows(), 17);
  ASSERT_EQ(run.value[0].cols(), 20);
  ASSERT_EQ(run.delta[0].rows(), 16);
  int rows = 0;
  for (int type = 0; type < 6; ++type) {
    const Eigen::MatrixXd v = value_at_time(run, config.cue_time_s, type);
    EXPECT_GT(v.rows(), 15) << "type " << type;
    rows += static_cast<int>(v.rows());
    EXPECT_GT(v.bottomRows(1).minCoeff(), 0.0) << "type " << type << " learnt nothing at the cue";
  }
  EXPECT_EQ(rows, 200);
}

}  // namespace
}  // namespace bgsim::tasks::distributional
