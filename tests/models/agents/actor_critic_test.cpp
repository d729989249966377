// Actor-critic: the critic's TD error and the actor's preference step, and that
// the pair learns to prefer the better arm of a bandit.

#include "models/agents/actor_critic.hpp"

#include <gtest/gtest.h>

#include <random>
#include <stdexcept>
#include <string>
#include <vector>

namespace bgsim::agents {
namespace {

TEST(ActorCriticAgent, CriticAndActorStepsFollowTheEquations) {
  ActorCriticParams p;
  p.num_states = 2;
  p.alpha_critic = 0.5;
  p.alpha_actor = 0.2;
  p.gamma = 0.9;
  ActorCriticAgent agent(p, 1);
  StepSignal s = agent.learn(0, 1, 1.0, 1, false);  // δ = 1 + 0.9·0 − 0
  EXPECT_DOUBLE_EQ(s.delta, 1.0);
  EXPECT_DOUBLE_EQ(agent.value(0), 0.5);
  EXPECT_DOUBLE_EQ(agent.preference(0, 1), 0.2);
  EXPECT_DOUBLE_EQ(agent.preference(0, 0), 0.0);
  s = agent.learn(1, 0, 0.0, 0, false);  // δ = 0 + 0.9·V(0) − V(1) = 0.45
  EXPECT_DOUBLE_EQ(s.delta, 0.9 * 0.5);
  s = agent.learn(1, 0, 2.0, 0, true);  // terminal: δ = 2 − V(1)
  EXPECT_DOUBLE_EQ(s.value, 0.5 * 0.45);
  EXPECT_DOUBLE_EQ(s.delta, 2.0 - 0.5 * 0.45);

  p.policy_gradient = true;  // step scaled by 1 − π(a|s) = 1/2 at equal preferences
  ActorCriticAgent pg(p, 1);
  pg.learn(0, 1, 1.0, 0, true);
  EXPECT_DOUBLE_EQ(pg.preference(0, 1), 0.2 * 1.0 * 0.5);
}

TEST(ActorCriticAgent, LearnsToPreferTheRicherArm) {
  ActorCriticParams p;
  p.alpha_critic = 0.1;
  p.alpha_actor = 0.1;
  p.beta = 3.0;
  ActorCriticAgent agent(p, 9);
  std::mt19937_64 world(10);
  std::bernoulli_distribution arm0(0.2), arm1(0.8);
  int late_ones = 0;
  for (int t = 0; t < 3000; ++t) {
    const int a = agent.act(0);
    const double r = (a == 1 ? arm1(world) : arm0(world)) ? 1.0 : 0.0;
    agent.learn(0, a, r, 0, true);
    if (t >= 2000) late_ones += a;
  }
  EXPECT_GT(agent.preference(0, 1), agent.preference(0, 0));
  EXPECT_GT(late_ones, 800);  // > 80 % of the last 1000 choices
  // The critic tracks the reward rate of the policy it serves (≈ 0.8 when arm 1 dominates).
  EXPECT_NEAR(agent.value(0), 0.8, 0.15);
}

TEST(ActorCriticAgent, RefusesBadParametersNamingThem) {
  ActorCriticParams p;
  p.gamma = 1.2;
  try {
    ActorCriticAgent agent(p, 1);
    ADD_FAILURE() << "gamma = 1.2 was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("gamma"), std::string::npos) << e.what();
  }
  ActorCriticAgent ok(ActorCriticParams{}, 1);
  EXPECT_THROW(ok.learn(3, 0, 1.0, 0, true), std::invalid_argument);
}

}  // namespace
}  // namespace bgsim::agents
