// Redish (2004) addiction and its average-reward variant (Dezfouli et al. 2009) on
// the one-state two-action task of experiments.md §3: natural N(5, .02²), drug
// N(2, .02²); ε-greedy from 0.25 (×0.99^(e+1), floor 1e−4), γ = 0.75, α = 0.6,
// 40 episodes × 200 steps, 10 repetitions.

#include "tasks/addiction/redish_addiction.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace bgsim::tasks::addiction {
namespace {

// D = 1: the drug pays 2 + 1 = 3 per dose, less than the natural 5, so only the
// non-compensability of its dopamine can make it win.
TEST(RedishAddiction, DrugValueGrowsByAtLeastAlphaDPerVisitAndOvertakesNatural) {
  RedishExperimentConfig c;
  c.drug_dopamine = 1.0;
  const RedishExperimentResult r = run_redish_experiment(c, 2004);
  ASSERT_EQ(r.runs.size(), 10u);
  ASSERT_EQ(r.steps.size(), 10u * 40 * 200);
  int drug_steps = 0;
  for (const auto& s : r.steps) {
    if (!s.drug) continue;
    ++drug_steps;
    // ΔQ(drug) ≥ α·D on every visit (to rounding, relative to the value's size).
    EXPECT_GE(s.q_drug - s.value, 0.6 * 1.0 - 1e-12 * std::max(1.0, s.q_drug))
        << "run " << s.run << " episode " << s.episode << " step " << s.step;
    EXPECT_GE(s.delta, 1.0 - 1e-12);
  }
  EXPECT_GT(drug_steps, 10 * 4000);
  for (const auto& run : r.runs) {
    EXPECT_GE(run.min_increment_over_floor, -1e-9);
    EXPECT_GT(run.q_drug, run.q_natural);
    // Unbounded growth: far beyond any natural value (5/(1 − 0.75) = 20).
    EXPECT_GT(run.q_drug, 0.6 * 1.0 * run.drug_steps);
    EXPECT_GT(run.drug_fraction_last_episode, 0.99);
  }
  EXPECT_EQ(r.runs_preferring_drug, 10);
}

TEST(RedishAddiction, ACompensableDrugOfTheSameSizeLosesToTheNaturalReward) {
  RedishExperimentConfig c;
  c.model = AddictionModel::compensable;
  c.drug_dopamine = 1.0;
  c.keep_steps = false;
  const RedishExperimentResult r = run_redish_experiment(c, 2004);
  EXPECT_EQ(r.runs_preferring_drug, 0);
  for (const auto& run : r.runs) {
    // Values converge: Q(natural) → 5/(1 − γ) = 20, Q(drug) → 3 + γ·20 = 18.
    EXPECT_NEAR(run.q_natural, 20.0, 0.2);
    EXPECT_NEAR(run.q_drug, 18.0, 0.2);
  }
}

TEST(RedishAddiction, ReferenceSurgeD15AddictsEveryRun) {
  RedishExperimentConfig c;  // D = 15, the reference project's default
  c.keep_steps = false;
  const RedishExperimentResult r = run_redish_experiment(c, 7);
  EXPECT_EQ(r.runs_preferring_drug, 10);
  for (const auto& run : r.runs)
    EXPECT_GE(run.min_increment_over_floor, -1e-9);
}

// In average-reward TD the drug's surge is counted before the average reward ρ is
// subtracted: δ + ρ ≥ D − κ on every drug step, i.e. ΔQ(drug) ≥ α·(D − κ − ρ); the
// drug (2 + 15) still overtakes the larger natural reward (5).
TEST(AverageRewardAddiction, DrugFloorHoldsAndTheDrugOvertakesNatural) {
  RedishExperimentConfig c;
  c.model = AddictionModel::average_reward;
  const RedishExperimentResult r = run_redish_experiment(c, 2009);
  int drug_steps = 0;
  for (const auto& s : r.steps) {
    if (!s.drug) continue;
    ++drug_steps;
    const double floor = 15.0 - s.tolerance - s.average_reward;
    EXPECT_GE(s.q_drug - s.value, 0.6 * floor - 1e-12 * std::max(1.0, std::abs(s.q_drug)));
    EXPECT_GE(s.delta + s.average_reward, 15.0 - s.tolerance - 1e-9);
  }
  EXPECT_GT(drug_steps, 10 * 4000);
  EXPECT_EQ(r.runs_preferring_drug, 10);
  for (const auto& run : r.runs)
    EXPECT_GE(run.min_increment_over_floor, -1e-9);
  // Tolerance builds up under use toward κ_max = 3.
  EXPECT_GT(r.steps.back().tolerance, 2.0);
  EXPECT_LT(r.steps.back().tolerance, 3.0);
}

// The difference between the two models: Redish's drug advantage grows without
// bound, Dezfouli's stays finite (≈ D − κ minus the natural reward's extra size),
// so a natural reward of 17 (> 2 + 15 − κ) wins in the average-reward model in
// every run while the Redish agent still takes the drug.
TEST(AverageRewardAddiction, ALargeEnoughNaturalRewardWinsOnlyWithoutUnboundedGrowth) {
  RedishExperimentConfig c;
  c.task.natural_mean = 17.0;
  c.keep_steps = false;
  c.model = AddictionModel::redish;
  EXPECT_EQ(run_redish_experiment(c, 17).runs_preferring_drug, 10);
  c.model = AddictionModel::average_reward;
  EXPECT_EQ(run_redish_experiment(c, 17).runs_preferring_drug, 0);
}

}  // namespace
}  // namespace bgsim::tasks::addiction
