// Latent-state inference: only worse-than-expected outcomes split states, a new
// state inherits the values it split from, and the old state comes back intact
// when its cue or its outcome returns.

#include "models/agents/latent_state.hpp"

#include <gtest/gtest.h>

#include <array>
#include <stdexcept>
#include <string>

namespace bgsim::agents {
namespace {

LatentStateParams params() {
  LatentStateParams p;
  p.q.num_states = 1;
  p.q.num_actions = 2;
  p.q.alpha = 0.5;
  p.q.gamma = 0.0;
  p.q.choice = ChoiceRule::epsilon_greedy;
  p.q.epsilon = 0.0;
  return p;
}

// One forced choice of `action` with reward r (and the drug) under features x.
void trial(LatentStateAgent& agent, std::array<double, 1> x, int action, double r, bool drug) {
  agent.observe(x);
  agent.learn({.state = 0, .action = action, .reward = r, .next_state = 0, .terminal = true}, drug);
}

TEST(LatentStateAgent, BetterOutcomesDoNotSplitWorseOnesDo) {
  LatentStateAgent agent(params(), 1, 1);
  for (int i = 0; i < 20; ++i)
    trial(agent, {1.0}, 1, 1.0, false);  // acquisition
  EXPECT_EQ(agent.num_latent_states(), 1);
  const double acquired = agent.q(0, 0, 1);
  EXPECT_GT(acquired, 0.99);
  // Same cue, the reward stops: a new state is inferred after a few disappointments.
  int trials_to_split = 0;
  while (agent.num_latent_states() == 1 && trials_to_split < 50) {
    trial(agent, {1.0}, 1, 0.0, false);
    ++trials_to_split;
  }
  EXPECT_EQ(agent.num_latent_states(), 2);
  EXPECT_EQ(agent.active_state(), 1);
  EXPECT_LE(trials_to_split, 3);
  // The few trials before the split were learned in the old state; from then on its
  // value is kept, while the new state continues from the copy and extinguishes.
  const double kept = agent.q(0, 0, 1);
  EXPECT_DOUBLE_EQ(agent.q(1, 0, 1), kept);
  for (int i = 0; i < 20; ++i)
    trial(agent, {1.0}, 1, 0.0, false);
  EXPECT_LT(agent.q(1, 0, 1), 0.01);
  EXPECT_DOUBLE_EQ(agent.q(0, 0, 1), kept);
  EXPECT_EQ(agent.num_latent_states(), 2);  // extinction stays in the one new state
  // The reward comes back: the old state predicts it and is reinstated at once.
  trial(agent, {1.0}, 1, 1.0, false);
  EXPECT_EQ(agent.active_state(), 0);
  EXPECT_EQ(agent.num_latent_states(), 2);
}

TEST(LatentStateAgent, CuesRecogniseTheirOwnState) {
  LatentStateAgent agent(params(), 1, 1);
  for (int i = 0; i < 20; ++i)
    trial(agent, {1.0}, 1, 0.0, true);  // the drug, cue on
  const double drug_value = agent.q(0, 0, 1);
  // Cue off: a novel situation, a copy of the current state.
  agent.observe(std::array<double, 1>{0.0});
  EXPECT_EQ(agent.num_latent_states(), 2);
  EXPECT_EQ(agent.active_state(), 1);
  EXPECT_DOUBLE_EQ(agent.q(1, 0, 1), drug_value);
  for (int i = 0; i < 30; ++i)
    trial(agent, {0.0}, 1, 0.0, false);  // extinction, cue off
  EXPECT_LT(agent.q(agent.active_state(), 0, 1), 0.01);
  // Cue on again: straight back to the drug state and its untouched value.
  agent.observe(std::array<double, 1>{1.0});
  EXPECT_EQ(agent.active_state(), 0);
  EXPECT_DOUBLE_EQ(agent.q(0, 0, 1), drug_value);
}

TEST(LatentStateAgent, RefusesBadParametersAndFeatureSizes) {
  LatentStateParams p = params();
  p.split_threshold = 0.0;
  try {
    LatentStateAgent agent(p, 1, 1);
    ADD_FAILURE() << "split_threshold = 0 was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("split_threshold"), std::string::npos) << e.what();
  }
  LatentStateAgent ok(params(), 2, 1);
  EXPECT_THROW(ok.observe(std::array<double, 1>{1.0}), std::invalid_argument);
  EXPECT_THROW(ok.q(3, 0, 0), std::invalid_argument);
}

}  // namespace
}  // namespace bgsim::agents
