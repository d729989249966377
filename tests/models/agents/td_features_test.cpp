#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "models/agents/td_features.hpp"
#include "models/agents/td_tabular.hpp"

namespace bgsim::agents {
namespace {

TEST(TdFeatures, OneHotFeaturesReproduceTabularTdBitForBit) {
  const int n = 7;
  TdTabularParams tp;
  tp.num_states = n;
  tp.alpha = 0.05;
  tp.gamma = 0.93;
  TdTabular tab(tp);
  TdFeaturesParams fp;
  fp.alpha = tp.alpha;
  fp.gamma = tp.gamma;
  TdFeatures lin(fp, Eigen::MatrixXd::Identity(n, n));
  for (int episode = 0; episode < 300; ++episode) {
    for (int s = 0; s < n; ++s) {
      const bool end = s == n - 1;
      const StepSignal a = tab.update(s, end ? 1.0 : 0.0, end ? s : s + 1, end);
      const StepSignal b = lin.update(s, end ? 1.0 : 0.0, end ? s : s + 1, end);
      ASSERT_EQ(a.delta, b.delta);
      ASSERT_EQ(a.value, b.value);
    }
  }
  for (int s = 0; s < n; ++s)
    EXPECT_EQ(tab.value(s), lin.value(s));
}

TEST(TdFeatures, BootstrapsThroughTheNextStateMap) {
  // φ_t one-hot, φ_t' spreads the next state over two features.
  Eigen::MatrixXd phi_t = Eigen::MatrixXd::Identity(2, 2);
  Eigen::MatrixXd phi_next(2, 2);
  phi_next << 1.0, 0.0, 0.5, 0.5;
  TdFeaturesParams p;
  p.alpha = 0.5;
  p.gamma = 0.9;
  TdFeatures td(p, phi_t, phi_next);
  td.update(1, 1.0, 1, true);  // w = (0, 0.5)
  EXPECT_DOUBLE_EQ(td.value(1), 0.5);
  EXPECT_DOUBLE_EQ(td.value_next(1), 0.25);
  const StepSignal s = td.update(0, 0.0, 1, false);
  // δ = γ φ_t'(1)·w − φ_t(0)·w = 0.9 · 0.25; only w_0 (φ_t(0)) moves.
  EXPECT_DOUBLE_EQ(s.delta, 0.9 * 0.25);
  EXPECT_DOUBLE_EQ(td.weights()(0), 0.5 * (0.9 * 0.25));
  EXPECT_DOUBLE_EQ(td.weights()(1), 0.5);
}

TEST(TdFeatures, RefusesMismatchedFeatureMaps) {
  try {
    TdFeatures td({}, Eigen::MatrixXd::Identity(3, 3), Eigen::MatrixXd::Identity(4, 3));
    ADD_FAILURE() << "a 4 x 3 phi_next was accepted beside a 3 x 3 phi_t";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("phi_next"), std::string::npos) << e.what();
  }
  TdFeaturesParams p;
  p.gamma = 2.0;
  EXPECT_THROW(TdFeatures(p, Eigen::MatrixXd::Identity(2, 2)), std::invalid_argument);
}

}  // namespace
}  // namespace bgsim::agents
