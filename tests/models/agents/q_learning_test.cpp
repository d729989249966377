// Q-learning and SARSA: the update equations, the ε schedules of the addiction
// reference, and the choice rules (softmax, ε-greedy, perseveration).

#include "models/agents/q_learning.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

namespace bgsim::agents {
namespace {

QLearningParams bandit_params(double alpha, double beta) {
  QLearningParams p;
  p.num_states = 1;
  p.num_actions = 2;
  p.alpha = alpha;
  p.beta = beta;
  return p;
}

TEST(QLearningAgent, BanditUpdateIsDeltaRuleOnTheChosenArm) {
  QLearningAgent agent(bandit_params(0.3, 2.0), 1);
  const std::vector<std::pair<int, double>> trials = {{0, 1.0}, {0, 0.0}, {1, 1.0}, {0, 1.0}};
  double q0 = 0.0, q1 = 0.0;  // the reference recursion, by hand
  for (const auto& [a, r] : trials) {
    double& qa = a == 0 ? q0 : q1;
    const double expected_delta = r - qa;
    const StepSignal s = agent.learn({.state = 0, .action = a, .reward = r, .terminal = true});
    EXPECT_DOUBLE_EQ(s.value, qa);
    EXPECT_DOUBLE_EQ(s.delta, expected_delta);
    qa = qa + 0.3 * expected_delta;
    EXPECT_DOUBLE_EQ(agent.q(0, 0), q0);
    EXPECT_DOUBLE_EQ(agent.q(0, 1), q1);
  }
}

TEST(QLearningAgent, QLearningBootstrapsFromMaxSarsaFromNextAction) {
  QLearningParams p;
  p.num_states = 2;
  p.num_actions = 2;
  p.alpha = 0.5;
  p.gamma = 0.9;
  QLearningAgent q_agent(p, 1);
  q_agent.set_q(1, 0, 2.0);
  q_agent.set_q(1, 1, 4.0);
  const Transition t{.state = 0, .action = 0, .reward = 1.0, .next_state = 1, .next_action = 0};
  EXPECT_DOUBLE_EQ(q_agent.learn(t).delta, 1.0 + 0.9 * 4.0);

  p.rule = TdRule::sarsa;
  QLearningAgent sarsa(p, 1);
  sarsa.set_q(1, 0, 2.0);
  sarsa.set_q(1, 1, 4.0);
  EXPECT_DOUBLE_EQ(sarsa.learn(t).delta, 1.0 + 0.9 * 2.0);
  // A terminal transition does not bootstrap.
  Transition end = t;
  end.terminal = true;
  EXPECT_DOUBLE_EQ(sarsa.learn(end).delta, 1.0 - sarsa.q(0, 0));
  // SARSA without a' is refused, naming what it needs.
  Transition missing = t;
  missing.next_action = -1;
  try {
    sarsa.learn(missing);
    ADD_FAILURE() << "SARSA accepted a transition without a'";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("next_action"), std::string::npos) << e.what();
  }
}

TEST(QLearningAgent, CompoundingEpsilonScheduleOfTheAddictionReference) {
  QLearningParams p = bandit_params(0.6, 1.0);
  p.choice = ChoiceRule::epsilon_greedy;
  p.epsilon = 0.25;
  p.epsilon_decay = 0.99;
  p.epsilon_min = 1e-4;
  p.epsilon_schedule = EpsilonSchedule::compounding;
  QLearningAgent agent(p, 1);
  double expected = 0.25;
  bool floor_reached = false;
  for (int e = 0; e < 40; ++e) {
    agent.end_episode();
    expected = std::max(1e-4, expected * std::pow(0.99, e + 1));
    floor_reached = floor_reached || expected == 1e-4;
    EXPECT_DOUBLE_EQ(agent.epsilon(), expected) << "after episode " << e;
  }
  // 0.25·0.99^(1+…+40) = 0.25·0.99^820 < 1e−4: the floor matters within 40 episodes.
  EXPECT_TRUE(floor_reached);

  p.epsilon_schedule = EpsilonSchedule::geometric;
  QLearningAgent geometric(p, 1);
  for (int e = 0; e < 3; ++e)
    geometric.end_episode();
  EXPECT_DOUBLE_EQ(geometric.epsilon(), 0.25 * 0.99 * 0.99 * 0.99);
}

TEST(QLearningAgent, EpsilonGreedyExploresUniformlyAtRateEpsilon) {
  QLearningParams p = bandit_params(0.1, 1.0);
  p.choice = ChoiceRule::epsilon_greedy;
  p.epsilon = 0.3;
  QLearningAgent agent(p, 42);
  agent.set_q(0, 1, 1.0);  // arm 1 is greedy
  const int n = 200000;
  int non_greedy = 0;
  for (int i = 0; i < n; ++i)
    non_greedy += agent.act(0) == 0 ? 1 : 0;
  // P(arm 0) = ε/2 = 0.15; binomial sd ≈ 0.0008.
  EXPECT_NEAR(static_cast<double>(non_greedy) / n, 0.15, 0.005);
  std::vector<double> probabilities(2);
  agent.policy(0, probabilities);
  EXPECT_DOUBLE_EQ(probabilities[0], 0.15);
  EXPECT_DOUBLE_EQ(probabilities[1], 0.85);
}

TEST(QLearningAgent, SoftmaxChoicesFollowTheirProbabilities) {
  QLearningAgent agent(bandit_params(0.1, 3.0), 7);
  agent.set_q(0, 0, 0.2);
  agent.set_q(0, 1, 0.5);
  const double p1 = 1.0 / (1.0 + std::exp(3.0 * (0.2 - 0.5)));
  std::vector<double> probabilities(2);
  agent.policy(0, probabilities);
  EXPECT_NEAR(probabilities[1], p1, 1e-15);
  const int n = 200000;
  int ones = 0;
  for (int i = 0; i < n; ++i)
    ones += agent.act(0);
  EXPECT_NEAR(static_cast<double>(ones) / n, p1, 0.005);
}

TEST(QLearningAgent, PerseverationAddsKappaToThePreviousAction) {
  QLearningParams p = bandit_params(0.0, 2.0);
  p.perseveration = 0.5;
  QLearningAgent agent(p, 3);
  std::vector<double> probabilities(2);
  agent.policy(0, probabilities);
  EXPECT_DOUBLE_EQ(probabilities[0], 0.5);  // no previous action yet
  const int first = agent.act(0);
  agent.policy(0, probabilities);
  // Equal values: P(repeat) = e^{βκ}/(1 + e^{βκ}).
  EXPECT_NEAR(probabilities[first], std::exp(1.0) / (1.0 + std::exp(1.0)), 1e-15);
  agent.reset_values();
  agent.policy(0, probabilities);
  EXPECT_DOUBLE_EQ(probabilities[0], 0.5);
}

TEST(QLearningAgent, RefusesBadParametersNamingThem) {
  QLearningParams p = bandit_params(1.5, 1.0);
  try {
    QLearningAgent agent(p, 1);
    ADD_FAILURE() << "alpha = 1.5 was accepted";
  } catch (const std::invalid_argument& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("alpha"), std::string::npos) << what;
    EXPECT_NE(what.find("[0, 1]"), std::string::npos) << what;
  }
  p = bandit_params(0.5, -1.0);
  EXPECT_THROW(QLearningAgent(p, 1), std::invalid_argument);
  p = bandit_params(0.5, 1.0);
  p.epsilon = 0.1;
  p.epsilon_min = 0.2;
  EXPECT_THROW(QLearningAgent(p, 1), std::invalid_argument);
  QLearningAgent ok(bandit_params(0.5, 1.0), 1);
  EXPECT_THROW(ok.learn({.state = 0, .action = 2, .terminal = true}), std::invalid_argument);
  EXPECT_THROW(ok.set_alpha(-0.1), std::invalid_argument);
}

}  // namespace
}  // namespace bgsim::agents
