// Linear TD(λ): the accumulating trace, the textbook fixed point on a chain,
// and the refusal of bad parameters.

#include "models/agents/td_lambda.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

#include <gtest/gtest.h>

namespace bgsim::agents {
namespace {

Eigen::VectorXd one_hot(int n, int k) {
  Eigen::VectorXd x = Eigen::VectorXd::Zero(n);
  if (k >= 0) x(k) = 1.0;
  return x;
}

// One episode over a chain of one-hot states 0 … n−1 with reward r(t).
void run_chain(TdLambda& agent, const Eigen::VectorXd& reward) {
  const int n = static_cast<int>(reward.size());
  agent.begin_episode();
  for (int t = 0; t < n; ++t) {
    agent.step(one_hot(n, t), reward(t), one_hot(n, t + 1 < n ? t + 1 : -1), t + 1 == n);
  }
}

// From zero weights, no state's value changes before it is left, so every δ
// of the first episode equals its reward and the trace spreads each reward
// back with weight (γλ)^{t−u}: w_u = α Σ_{t≥u} (γλ)^{t−u} r(t).
TEST(TdLambda, FirstEpisodeSpreadsRewardAlongTheTrace) {
  const int n = 6;
  TdLambdaParams p;
  p.n_features = n;
  p.alpha = 0.3;
  p.gamma = 0.9;
  p.lambda = 0.8;
  TdLambda agent(p);
  Eigen::VectorXd reward = Eigen::VectorXd::Zero(n);
  reward(3) = 1.0;
  reward(5) = 2.0;
  run_chain(agent, reward);
  const double gl = p.gamma * p.lambda;
  for (int u = 0; u < n; ++u) {
    double expected = 0.0;
    for (int t = u; t < n; ++t)
      expected += std::pow(gl, t - u) * reward(t);
    EXPECT_NEAR(agent.weights()(u), p.alpha * expected, 1e-12) << "feature " << u;
  }
}

// λ = 0 is one-step TD: only the state just left moves, by αδ.
TEST(TdLambda, LambdaZeroUpdatesOnlyTheStateLeft) {
  TdLambdaParams p;
  p.n_features = 3;
  p.alpha = 0.5;
  p.gamma = 0.5;
  p.lambda = 0.0;
  p.initial_weight = 1.0;
  TdLambda agent(p);
  agent.begin_episode();
  const StepSignal s = agent.step(one_hot(3, 0), 0.25, one_hot(3, 1));
  EXPECT_DOUBLE_EQ(s.value, 1.0);
  EXPECT_DOUBLE_EQ(s.delta, 0.25 + 0.5 * 1.0 - 1.0);
  EXPECT_DOUBLE_EQ(agent.weights()(0), 1.0 + 0.5 * s.delta);
  EXPECT_DOUBLE_EQ(agent.weights()(1), 1.0);
  EXPECT_DOUBLE_EQ(agent.weights()(2), 1.0);
}

// Trained on a chain with reward 1 on leaving the last state, V(k) converges
// to γ^{n−1−k}, the discounted return, whatever λ.
TEST(TdLambda, ConvergesToTheDiscountedReturnOnAChain) {
  const int n = 10;
  for (double lambda : {0.0, 0.5, 0.95}) {
    TdLambdaParams p;
    p.n_features = n;
    p.alpha = 0.2;
    p.gamma = 0.9;
    p.lambda = lambda;
    TdLambda agent(p);
    Eigen::VectorXd reward = Eigen::VectorXd::Zero(n);
    reward(n - 1) = 1.0;
    for (int episode = 0; episode < 2000; ++episode)
      run_chain(agent, reward);
    for (int k = 0; k < n; ++k) {
      EXPECT_NEAR(agent.weights()(k), std::pow(p.gamma, n - 1 - k), 1e-6)
          << "state " << k << ", lambda " << lambda;
    }
  }
}

TEST(TdLambda, RefusesBadParametersNamingThem) {
  TdLambdaParams p;
  p.alpha = 0.0;
  try {
    TdLambda agent(p);
    ADD_FAILURE() << "alpha = 0 was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("alpha = 0"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("(0, 1]"), std::string::npos) << e.what();
  }
  p = TdLambdaParams{};
  p.gamma = 1.5;
  EXPECT_THROW(TdLambda{p}, std::invalid_argument);
  p = TdLambdaParams{};
  p.lambda = -0.1;
  EXPECT_THROW(TdLambda{p}, std::invalid_argument);
  p = TdLambdaParams{};
  p.n_features = 0;
  EXPECT_THROW(TdLambda{p}, std::invalid_argument);

  p = TdLambdaParams{};
  p.n_features = 3;
  TdLambda agent(p);
  EXPECT_THROW(agent.step(Eigen::VectorXd::Zero(2), 0.0, Eigen::VectorXd::Zero(3)),
               std::invalid_argument);
}

}  // namespace
}  // namespace bgsim::agents
