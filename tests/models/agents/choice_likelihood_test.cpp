// The likelihood of bandit choices under Q-learning: it equals the product of the
// probabilities the simulating agent used, resets with the blocks, and its
// gradient is exact.

#include "models/agents/choice_likelihood.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "models/agents/q_learning.hpp"

namespace bgsim::agents::choice {
namespace {

// Simulates a softmax Q-learner on a Bernoulli bandit and records, besides the
// choices, the NLL of its own policy: the number the likelihood must give back.
struct Simulated {
  ChoiceData data;
  double nll = 0.0;
};

Simulated simulate(double alpha, double beta, int trials, int block_length, int arms,
                   std::uint64_t seed) {
  QLearningParams p;
  p.num_actions = arms;
  p.alpha = alpha;
  p.beta = beta;
  QLearningAgent agent(p, seed);
  std::mt19937_64 world(seed + 1);
  Simulated s;
  s.data.num_actions = arms;
  std::vector<double> probabilities(arms);
  for (int t = 0; t < trials; ++t) {
    if (t % block_length == 0) agent.reset_values();
    agent.policy(0, probabilities);
    const int a = agent.act(0);
    const double r = uniform01(world) < 0.2 + 0.6 * a / (arms - 1) ? 1.0 : 0.0;
    agent.learn({.state = 0, .action = a, .reward = r, .terminal = true});
    s.nll -= std::log(probabilities[a] + 1e-10);
    s.data.actions.push_back(a);
    s.data.rewards.push_back(r);
    s.data.blocks.push_back(t / block_length);
  }
  return s;
}

TEST(ChoiceLikelihood, EqualsTheSimulatingPolicysProbabilities) {
  for (int arms : {2, 3}) {
    const Simulated s = simulate(0.35, 4.0, 1000, 100, arms, 11);
    const double nll = q_learning_negative_log_likelihood(s.data, 0.35, 4.0);
    EXPECT_NEAR(nll, s.nll, 1e-9 * s.nll) << arms << " arms";
  }
}

TEST(ChoiceLikelihood, ResetsValuesAtBlockStarts) {
  const Simulated s = simulate(0.35, 4.0, 400, 100, 2, 5);
  ChoiceData one_block = s.data;
  one_block.blocks.clear();
  const double with_reset = q_learning_negative_log_likelihood(s.data, 0.35, 4.0);
  const double without = q_learning_negative_log_likelihood(one_block, 0.35, 4.0);
  EXPECT_NEAR(with_reset, s.nll, 1e-9 * s.nll);
  EXPECT_GT(std::abs(with_reset - without), 1e-6);
  LikelihoodOptions no_reset;
  no_reset.reset_each_block = false;
  EXPECT_DOUBLE_EQ(q_learning_negative_log_likelihood(s.data, 0.35, 4.0, {}, no_reset), without);
}

TEST(ChoiceLikelihood, GradientMatchesCentralDifferences) {
  for (int arms : {2, 4}) {
    const Simulated s = simulate(0.4, 3.0, 600, 100, arms, 23);
    for (const auto& [alpha, beta] : {std::pair{0.2, 1.5}, std::pair{0.6, 6.0}}) {
      std::vector<double> g(2);
      q_learning_negative_log_likelihood(s.data, alpha, beta, g);
      const double h = 1e-6;
      const auto f = [&](double a, double b) {
        return q_learning_negative_log_likelihood(s.data, a, b);
      };
      const double da = (f(alpha + h, beta) - f(alpha - h, beta)) / (2 * h);
      const double db = (f(alpha, beta + h) - f(alpha, beta - h)) / (2 * h);
      EXPECT_NEAR(g[0], da, 1e-5 * std::max(1.0, std::abs(da))) << arms << " arms";
      EXPECT_NEAR(g[1], db, 1e-5 * std::max(1.0, std::abs(db))) << arms << " arms";
    }
  }
}

TEST(ChoiceLikelihood, RefusesMalformedData) {
  ChoiceData d;
  d.actions = {0, 1, 2};
  d.rewards = {1.0, 0.0, 1.0};
  try {
    q_learning_negative_log_likelihood(d, 0.5, 1.0);
    ADD_FAILURE() << "an action outside [0, 2) was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("actions[2]"), std::string::npos) << e.what();
  }
  d.actions = {0, 1};
  EXPECT_THROW(q_learning_negative_log_likelihood(d, 0.5, 1.0), std::invalid_argument);
  d.rewards = {1.0, 0.0};
  std::vector<double> wrong(3);
  EXPECT_THROW(q_learning_negative_log_likelihood(d, 0.5, 1.0, wrong), std::invalid_argument);
}

}  // namespace
}  // namespace bgsim::agents::choice
