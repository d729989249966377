// OpAL (Collins & Frank 2014): the critic and the opponent Hebbian actors, and how
// the dopamine level ρ weighs them at choice.

#include "models/agents/opal.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <stdexcept>
#include <string>

namespace bgsim::agents {
namespace {

TEST(OpalAgent, OneStepFollowsTheCriticAndOpponentRules) {
  OpalParams p;
  p.num_states = 2;
  p.num_actions = 3;
  p.alpha_critic = 0.2;
  p.alpha_go = 0.3;
  p.alpha_nogo = 0.4;
  OpalAgent agent(p, 1);
  // Rewarded: δ = 1 − 0 > 0; G grows by α_G·G·δ, N shrinks by α_N·N·δ.
  StepSignal s = agent.learn(1, 2, 1.0);
  EXPECT_DOUBLE_EQ(s.value, 0.0);
  EXPECT_DOUBLE_EQ(s.delta, 1.0);
  EXPECT_DOUBLE_EQ(agent.value(1), 0.2);
  EXPECT_DOUBLE_EQ(agent.go(2), 1.0 + 0.3 * 1.0 * 1.0);
  EXPECT_DOUBLE_EQ(agent.nogo(2), 1.0 + 0.4 * 1.0 * -1.0);
  // Unrewarded: δ = 0 − 0.2 uses V before the critic moves.
  const double g = agent.go(2), n = agent.nogo(2);
  s = agent.learn(1, 2, 0.0);
  EXPECT_DOUBLE_EQ(s.delta, -0.2);
  EXPECT_DOUBLE_EQ(agent.value(1), 0.2 + 0.2 * -0.2);
  EXPECT_DOUBLE_EQ(agent.go(2), g + 0.3 * g * -0.2);
  EXPECT_DOUBLE_EQ(agent.nogo(2), n + 0.4 * n * 0.2);
  // Other options and states are untouched.
  EXPECT_DOUBLE_EQ(agent.go(0), 1.0);
  EXPECT_DOUBLE_EQ(agent.value(0), 0.0);
}

TEST(OpalAgent, ActorWeightsStayNonNegative) {
  OpalParams p;
  p.alpha_go = 2.0;  // a step larger than the weight
  OpalAgent agent(p, 1);
  agent.learn(0, 0, -1.0);  // δ = −1: G ← 1 + 2·1·(−1) < 0, clipped
  EXPECT_DOUBLE_EQ(agent.go(0), 0.0);
}

TEST(OpalAgent, DopamineLevelWeighsGoAgainstNoGo) {
  OpalParams p;
  p.beta = 2.0;
  p.rho = 0.5;
  OpalAgent agent(p, 1);
  EXPECT_DOUBLE_EQ(agent.beta_go(), 3.0);
  EXPECT_DOUBLE_EQ(agent.beta_nogo(), 1.0);
  EXPECT_DOUBLE_EQ(agent.act_value(0), 3.0 * 1.0 - 1.0 * 1.0);
  p.rho = 1.0;  // all Go: the NoGo actor has no say
  OpalAgent all_go(p, 1);
  EXPECT_DOUBLE_EQ(all_go.beta_go(), 4.0);
  EXPECT_DOUBLE_EQ(all_go.beta_nogo(), 0.0);
}

// The probabilistic selection effect in miniature. With a fixed critic (δ = r) and
// Hebbian steps, an option rewarded twice ends with G = 2.25, N = 0.25 and one
// punished twice with G = 0.25, N = 2.25, against a neutral option (G = N = 1):
// the advantage of the good option lives mostly in G, the disadvantage of the bad
// one mostly in N. So choosing the good option over the neutral one beats
// avoiding the bad one when ρ > 0, ties at ρ = 0 and loses when ρ < 0.
TEST(OpalAgent, HighDopamineFavoursSeekingLowDopamineFavoursAvoiding) {
  const auto seek_minus_avoid = [](double rho) {
    OpalParams p;
    p.num_actions = 3;
    p.alpha_critic = 0.0;
    p.alpha_go = 0.5;
    p.alpha_nogo = 0.5;
    p.rho = rho;
    OpalAgent agent(p, 1);
    for (int i = 0; i < 2; ++i) {
      agent.learn(0, 0, 1.0);   // good option
      agent.learn(0, 1, -1.0);  // bad option
    }
    EXPECT_DOUBLE_EQ(agent.go(0), 2.25);
    EXPECT_DOUBLE_EQ(agent.nogo(0), 0.25);
    EXPECT_DOUBLE_EQ(agent.go(1), 0.25);
    EXPECT_DOUBLE_EQ(agent.nogo(1), 2.25);
    std::array<double, 2> seek{}, avoid{};
    agent.choice_probabilities(std::array<int, 2>{0, 2}, seek);
    agent.choice_probabilities(std::array<int, 2>{1, 2}, avoid);
    return seek[0] - avoid[1];
  };
  EXPECT_GT(seek_minus_avoid(0.5), 0.01);
  EXPECT_NEAR(seek_minus_avoid(0.0), 0.0, 1e-15);
  EXPECT_LT(seek_minus_avoid(-0.5), -0.01);
}

TEST(OpalAgent, RefusesBadParametersNamingThem) {
  OpalParams p;
  p.rho = 1.5;
  try {
    OpalAgent agent(p, 1);
    ADD_FAILURE() << "rho = 1.5 was accepted";
  } catch (const std::invalid_argument& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("rho"), std::string::npos) << what;
    EXPECT_NE(what.find("[-1, 1]"), std::string::npos) << what;
  }
  p.rho = 0.0;
  p.g0 = 0.0;
  EXPECT_THROW(OpalAgent(p, 1), std::invalid_argument);
  OpalAgent ok(OpalParams{}, 1);
  EXPECT_THROW(ok.learn(0, 5, 1.0), std::invalid_argument);
  const std::array<int, 2> options = {0, 1};
  std::array<double, 1> too_small{};
  EXPECT_THROW(ok.choice_probabilities(options, too_small), std::invalid_argument);
}

}  // namespace
}  // namespace bgsim::agents
