#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <string>

#include "models/agents/dual_process.hpp"

namespace bgsim::agents {
namespace {

DualTabularParams chain(int n, double initial_reward, DualRpe rpe = DualRpe::normative) {
  DualTabularParams p;
  p.num_states = n;
  p.goal_state = n - 1;
  p.initial_reward = initial_reward;
  p.rates.alpha = 0.1;
  p.rates.alpha_mb = 0.5;
  p.rates.gamma = 0.9;
  p.rates.k = 0.5;
  p.rpe = rpe;
  return p;
}

TEST(DualTabular, FirstTraversalRampsAsKGammaToTheDistance) {
  const int n = 8;
  DualTabular dual(chain(n, 1.0));
  for (int s = 0; s < n - 1; ++s) {
    EXPECT_DOUBLE_EQ(dual.v_mb(s), std::pow(0.9, n - 1 - s));
    const StepSignal sig = dual.update(s, 0.0, s + 1, false);
    // V_TD = 0, so δ = γ k V_MB(s+1) = k γ^{d(s)} R.
    EXPECT_NEAR(sig.delta, 0.5 * std::pow(0.9, n - 1 - s), 1e-15) << "state " << s;
  }
  const StepSignal last = dual.update(n - 1, 1.0, n - 1, true);
  EXPECT_DOUBLE_EQ(last.delta, 1.0);
}

TEST(DualTabular, LearnsTheRewardBeforeComputingTheError) {
  DualTabular dual(chain(3, 0.0));
  dual.update(2, 1.0, 2, true);
  EXPECT_DOUBLE_EQ(dual.reward_model()[2], 0.5);    // R += α_MB (r − R)
  EXPECT_DOUBLE_EQ(dual.v_mb(0), 0.5 * 0.9 * 0.9);  // V_MB = R(goal) γ^d
  const StepSignal s = dual.update(1, 0.0, 2, false);
  // δ = γ (k V_MB(2) + (1 − k) V_TD(2)) − V_TD(1), V_TD(2) = α · 1.
  EXPECT_DOUBLE_EQ(s.delta, 0.9 * (0.5 * 0.5 + 0.5 * 0.1));
}

TEST(DualTabular, NaiveRpeSubtractsTheNetValue) {
  DualTabular naive(chain(3, 1.0, DualRpe::naive));
  const StepSignal s = naive.update(0, 0.0, 1, false);
  const double v_net_1 = 0.5 * 0.9;        // k V_MB(1), V_TD = 0
  const double v_net_0 = 0.5 * 0.9 * 0.9;  // k V_MB(0)
  EXPECT_DOUBLE_EQ(s.value, v_net_0);
  EXPECT_DOUBLE_EQ(s.delta, 0.9 * v_net_1 - v_net_0);
}

TEST(DualTabular, NormativeValuesConvergeToTheTrueValue) {
  const int n = 6;
  DualTabular dual(chain(n, 0.0));
  for (int episode = 0; episode < 3000; ++episode) {
    for (int s = 0; s < n - 1; ++s)
      dual.update(s, 0.0, s + 1, false);
    dual.update(n - 1, 1.0, n - 1, true);
  }
  for (int s = 0; s < n; ++s)
    EXPECT_NEAR(dual.v_td(s), std::pow(0.9, n - 1 - s), 1e-9);
}

TEST(DualFeatures, OneHotFeaturesReproduceTabularDualBitForBit) {
  const int n = 9;
  DualTabular tab(chain(n, 1.0));
  DualFeaturesParams fp;
  fp.goal_state = n - 1;
  fp.initial_reward = 1.0;
  fp.rates = tab.params().rates;
  DualFeatures lin(fp, Eigen::MatrixXd::Identity(n, n), Eigen::MatrixXd::Identity(n, n));
  for (int episode = 0; episode < 200; ++episode) {
    for (int s = 0; s < n; ++s) {
      const bool end = s == n - 1;
      const StepSignal a = tab.update(s, end ? 2.0 : 0.0, end ? s : s + 1, end);
      const StepSignal b = lin.update(s, end ? 2.0 : 0.0, end ? s : s + 1, end);
      ASSERT_EQ(a.delta, b.delta) << "episode " << episode << " state " << s;
    }
  }
  for (int s = 0; s < n; ++s) {
    EXPECT_EQ(tab.v_td(s), lin.v_td(s));
    EXPECT_EQ(tab.v_mb(s), lin.v_mb(s));
  }
}

TEST(DualGrid, ModelBasedValueDiscountsTheManhattanDistance) {
  DualGridParams p;
  p.rows = 4;
  p.cols = 5;
  p.goal_row = 1;
  p.goal_col = 3;
  p.initial_reward = 2.0;
  p.rates.gamma = 0.85;
  DualGrid grid(p);
  for (int r = 0; r < 4; ++r) {
    for (int c = 0; c < 5; ++c) {
      const int d = std::abs(r - 1) + std::abs(c - 3);
      EXPECT_DOUBLE_EQ(grid.v_mb(grid.index(r, c)), 2.0 * std::pow(0.85, d));
    }
  }
  // An omission at the goal lowers R(goal), hence V_MB everywhere at once.
  grid.update(grid.index(1, 3), 0.0, grid.index(1, 3), true);
  EXPECT_DOUBLE_EQ(grid.v_mb(grid.index(3, 0)),
                   (2.0 + p.rates.alpha_mb * (0.0 - 2.0)) * std::pow(0.85, 5));
}

TEST(DualProcess, RefusesBadParametersNamingThem) {
  DualTabularParams p = chain(5, 1.0);
  p.goal_state = 5;
  try {
    DualTabular d(p);
    ADD_FAILURE() << "goal_state = 5 was accepted on a 5-state track";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("goal_state = 5"), std::string::npos) << e.what();
  }
  DualTabular d(chain(5, 1.0));
  DualRates bad;
  bad.k = 1.2;
  try {
    d.set_rates(bad);
    ADD_FAILURE() << "k = 1.2 was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("DualRates.k = 1.2"), std::string::npos) << e.what();
  }
  EXPECT_THROW(
      DualFeatures({}, Eigen::MatrixXd::Identity(10, 11), Eigen::MatrixXd::Identity(10, 11)),
      std::invalid_argument);
}

}  // namespace
}  // namespace bgsim::agents
