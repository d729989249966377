// The agents of a comparison learn in the runner's reward convention and
// place δ on the step whose start a spiking learner sees the same event at
// (tasks/compare/agent_runs.hpp).

#include "tasks/compare/agent_runs.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace bgsim::tasks::compare {
namespace {

ConditioningParams cue_reward(double omission = 0.0) {
  ConditioningParams c;
  c.dt_s = 0.05;
  c.trial_s = 3.0;
  c.trial_types[0].cue_time_s = 0.5;
  c.trial_types[0].rewards[0].time_s = 1.5;
  c.trial_types[0].omission_probability = omission;
  c.seed = 7;
  return c;
}

// With a CSC and no learning yet, the reward is the whole error, on the
// reward's own step; after training the cue's step carries γ^(k_r − k_c)
// (the value of the cue, discounted once more on entering it) and the
// reward's step nothing.
TEST(CompareAgents, TdErrorMovesFromTheRewardStepToTheCueStep) {
  const ConditioningParams task = cue_reward();
  const ConditioningTask probe(task);
  const int k_c = probe.step_of(0.5), k_r = probe.step_of(1.5);
  agents::TdLambdaParams td;
  td.alpha = 0.5;
  td.gamma = 0.98;
  td.lambda = 0.9;
  const AgentTrace run = run_td_lambda(task, {}, td, 300);
  ASSERT_EQ(run.delta.rows(), 300);
  ASSERT_EQ(run.delta.cols(), probe.steps_per_trial());
  EXPECT_TRUE(std::isnan(run.delta(0, 0)));
  EXPECT_DOUBLE_EQ(run.delta(0, k_r), 1.0);
  EXPECT_DOUBLE_EQ(run.delta(0, k_c), 0.0);
  EXPECT_NEAR(run.delta(299, k_c), std::pow(0.98, k_r - k_c), 1e-6);
  EXPECT_NEAR(run.delta(299, k_r), 0.0, 1e-6);
  EXPECT_NEAR(run.delta(299, k_c - 1), 0.0, 1e-12);  // nothing before the cue
}

// The agents draw the same trials as any other learner given the task's
// parameters and seed; an omitted reward shows as a dip on the reward's step.
TEST(CompareAgents, SameTrialsAsTheTaskAndADipOnOmission) {
  const ConditioningParams task = cue_reward(0.3);
  ConditioningTask reference(task);
  agents::TdLambdaParams td;
  td.alpha = 0.3;
  const AgentTrace run = run_td_lambda(task, {}, td, 200);
  const int k_r = reference.step_of(1.5);
  int omissions = 0;
  for (int n = 0; n < 200; ++n) {
    reference.reset();
    EXPECT_EQ(run.trials[n].omission, reference.trial().omission) << "trial " << n;
    EXPECT_DOUBLE_EQ(run.trials[n].iti_s, reference.trial().iti_s) << "trial " << n;
    while (!reference.step(0).terminal) {
    }
    if (n >= 100 && run.trials[n].omission) {
      ++omissions;
      EXPECT_LT(run.delta(n, k_r), -0.3) << "trial " << n;
    }
  }
  EXPECT_GT(omissions, 10);
}

// The distributional agent's signal is the mean over its predictors; on the
// first trial every predictor's δ at the reward is the reward.
TEST(CompareAgents, DistributionalAgentAnswersTheRewardFirstAndTheCueLater) {
  const ConditioningParams task = cue_reward();
  const ConditioningTask probe(task);
  const int k_r = probe.step_of(1.5), k_c = probe.step_of(0.5);
  agents::DistributionalTdParams d;
  d.n_predictors = 8;
  const AgentTrace run = run_distributional(task, {}, d, 150);
  EXPECT_DOUBLE_EQ(run.delta(0, k_r), 1.0);
  EXPECT_GT(run.delta(149, k_c), 0.1);
  EXPECT_LT(run.delta(149, k_r), run.delta(0, k_r));
}

}  // namespace
}  // namespace bgsim::tasks::compare
