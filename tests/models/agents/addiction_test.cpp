// The non-compensable drug rule of Redish (2004) and its average-reward form
// (Dezfouli et al. 2009), one step at a time.

#include "models/agents/addiction.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <stdexcept>
#include <string>

namespace bgsim::agents {
namespace {

QLearningParams one_state(double alpha, double gamma) {
  QLearningParams q;
  q.num_states = 1;
  q.num_actions = 2;
  q.alpha = alpha;
  q.gamma = gamma;
  return q;
}

TEST(RedishAgent, DrugDeltaIsNeverBelowTheSurge) {
  RedishAgent agent({one_state(0.6, 0.75), 1.0}, 1);
  const Transition drug_step{.state = 0, .action = 1, .reward = 2.0, .next_state = 0};
  // From Q = 0: δ = max(2 + 0 − 0 + 1, 1) = 3 — the surge adds on top of ordinary TD.
  StepSignal s = agent.learn(drug_step, true);
  EXPECT_DOUBLE_EQ(s.delta, 3.0);
  // Inflate the drug's value so ordinary TD would be very negative: δ stays at D.
  for (int i = 0; i < 50; ++i)
    agent.learn(drug_step, true);
  const double before = agent.q(0, 1);
  const double td = 2.0 + 0.75 * std::max(agent.q(0, 0), before) - before;
  ASSERT_LT(td, 0.0);
  s = agent.learn(drug_step, true);
  EXPECT_DOUBLE_EQ(s.delta, std::max(td + 1.0, 1.0));
  EXPECT_GE(agent.q(0, 1) - before, 0.6 * 1.0 - 1e-12);
  // A natural reward is plain Q-learning.
  const double qn = agent.q(0, 0);
  s = agent.learn({.state = 0, .action = 0, .reward = 5.0, .next_state = 0}, false);
  EXPECT_DOUBLE_EQ(s.delta, 5.0 + 0.75 * std::max(agent.q(0, 1), qn) - qn);
}

TEST(AverageRewardAddictionAgent, OneStepFollowsDezfouliEquations) {
  AverageRewardAddictionParams p;
  p.q = one_state(0.5, 0.0);
  p.drug_dopamine = 15.0;
  p.reward_rate_step = 0.1;
  p.tolerance_rate = 0.2;
  p.tolerance_limit = 3.0;
  p.initial_average_reward = 1.0;
  AverageRewardAddictionAgent agent(p, 1);

  // Natural step: δ = r + Q(s',a') − Q(s,a) − ρ; ρ moves toward r; κ relaxes toward 0.
  StepSignal s = agent.learn(
      {.state = 0, .action = 0, .reward = 5.0, .next_state = 0, .next_action = 0}, false);
  EXPECT_DOUBLE_EQ(s.delta, 5.0 + 0.0 - 0.0 - 1.0);
  EXPECT_DOUBLE_EQ(agent.q(0, 0), 0.5 * 4.0);
  EXPECT_DOUBLE_EQ(agent.average_reward(), 0.9 * 1.0 + 0.1 * 5.0);
  EXPECT_DOUBLE_EQ(agent.tolerance(), 0.0);

  // Drug step from Q(drug) = 0 with a' = natural (Q = 2): δ' = max(2 + 2 − 0 + 15 − κ, 15 − κ),
  // δ = δ' − ρ; ρ moves toward δ' − Q(s',a') + Q(s,a); κ toward κ_max.
  const double rho = agent.average_reward();
  s = agent.learn({.state = 0, .action = 1, .reward = 2.0, .next_state = 0, .next_action = 0},
                  true);
  const double raw = std::max(2.0 + 2.0 - 0.0 + 15.0, 15.0);
  EXPECT_DOUBLE_EQ(s.delta, raw - rho);
  EXPECT_DOUBLE_EQ(agent.average_reward(), 0.9 * rho + 0.1 * (raw - 2.0 + 0.0));
  EXPECT_DOUBLE_EQ(agent.tolerance(), 0.2 * 3.0);

  // A drug step whose ordinary TD is very negative is floored at D − κ before ρ.
  const double kappa = agent.tolerance();
  agent.learn({.state = 0, .action = 0, .reward = -100.0, .next_state = 0, .next_action = 1},
              false);  // make Q(natural) very negative
  const double q_drug = agent.q(0, 1);
  const double rho3 = agent.average_reward();
  const double kappa3 = agent.tolerance();
  ASSERT_LT(kappa3, kappa);  // relaxed on the natural step
  s = agent.learn({.state = 0, .action = 1, .reward = 0.0, .next_state = 0, .next_action = 0},
                  true);
  const double td = 0.0 + agent.q(0, 0) - q_drug;
  ASSERT_LT(td, 0.0);  // the floor D − κ binds
  EXPECT_DOUBLE_EQ(s.delta, 15.0 - kappa3 - rho3);
}

TEST(AverageRewardAddictionAgent, RefusesMissingNextActionAndBadParameters) {
  AverageRewardAddictionParams p;
  p.q = one_state(0.5, 0.0);
  AverageRewardAddictionAgent agent(p, 1);
  try {
    agent.learn({.state = 0, .action = 1, .reward = 1.0, .next_state = 0}, true);
    ADD_FAILURE() << "a transition without a' was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("next_action"), std::string::npos) << e.what();
  }
  p.reward_rate_step = 0.0;
  EXPECT_THROW(AverageRewardAddictionAgent(p, 1), std::invalid_argument);
  RedishParams r{one_state(0.5, 0.5), -1.0};
  try {
    RedishAgent bad(r, 1);
    ADD_FAILURE() << "D = -1 was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("drug_dopamine"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace bgsim::agents
