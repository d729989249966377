#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <string>

#include "models/agents/td_tabular.hpp"

namespace bgsim::agents {
namespace {

TEST(TdTabular, UpdateFollowsTheTdZeroEquation) {
  TdTabularParams p;
  p.num_states = 3;
  p.alpha = 0.1;
  p.gamma = 0.9;
  TdTabular td(p);
  // Terminal step from state 2 with reward 1: δ = r − V(2) = 1.
  StepSignal s = td.update(2, 1.0, 2, true);
  EXPECT_DOUBLE_EQ(s.value, 0.0);
  EXPECT_DOUBLE_EQ(s.delta, 1.0);
  EXPECT_DOUBLE_EQ(td.value(2), 0.1);
  // Non-terminal step 1 → 2: δ = 0 + γ V(2) − V(1).
  s = td.update(1, 0.0, 2, false);
  EXPECT_DOUBLE_EQ(s.delta, 0.9 * 0.1);
  EXPECT_DOUBLE_EQ(td.value(1), 0.1 * (0.9 * 0.1));
  td.reset();
  EXPECT_DOUBLE_EQ(td.value(1), 0.0);
}

TEST(TdTabular, LearnsTheDiscountedRewardOfAChain) {
  TdTabularParams p;
  p.num_states = 6;
  p.alpha = 0.2;
  p.gamma = 0.8;
  TdTabular td(p);
  for (int sweep = 0; sweep < 2000; ++sweep) {
    for (int s = 0; s < 5; ++s)
      td.update(s, 0.0, s + 1, false);
    td.update(5, 2.0, 5, true);
  }
  for (int s = 0; s < 6; ++s)
    EXPECT_NEAR(td.value(s), 2.0 * std::pow(0.8, 5 - s), 1e-9);
}

TEST(TdTabular, RefusesBadParametersNamingThem) {
  TdTabularParams p;
  p.alpha = 1.5;
  try {
    TdTabular td(p);
    ADD_FAILURE() << "alpha = 1.5 was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("alpha = 1.5"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("[0, 1]"), std::string::npos) << e.what();
  }
  p = {};
  p.num_states = 0;
  EXPECT_THROW(TdTabular{p}, std::invalid_argument);
  TdTabular td;
  EXPECT_THROW(td.update(10, 0.0, 0, false), std::invalid_argument);
  EXPECT_THROW(td.set_alpha(-0.1), std::invalid_argument);
}

}  // namespace
}  // namespace bgsim::agents
