// The ready bandit experiments (tasks/experiments/{bandit,probabilistic}_*.json),
// read and run as `bgsim run` runs them: the files they write, with their
// columns, and the published effect in their summaries.

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "ready_experiment_support.hpp"

namespace bgsim::tasks::test {
namespace {

using Columns = std::vector<std::string>;

TEST(BanditTwoArmedExperiment, WritesTheSessionAndFollowsTheBetterArm) {
  const nlohmann::json doc = ready_description("bandit_two_armed");
  ScratchFolder dir;
  const nlohmann::json s = run_description(doc, dir.path());
  const auto trials = dir / "trials.csv";
  ASSERT_TRUE(std::filesystem::exists(trials));
  EXPECT_EQ(csv_header(trials),
            (Columns{"trial", "block", "choice", "reward", "p_choice", "q_0", "q_1", "delta",
                     "alpha", "beta", "p_reward_0", "p_reward_1"}));
  EXPECT_EQ(csv_rows(trials), 1000u);
  EXPECT_EQ(s["trials"], 1000);
  // Softmax with β = 5 over Q ≈ p: in blocks with a better arm (0.9 vs 0.1) the
  // subject takes it on nearly every trial, but not on all of them.
  EXPECT_GT(s["better_arm_fraction"].get<double>(), 0.85);
  EXPECT_LT(s["better_arm_fraction"].get<double>(), 1.0);
  // One session of 1000 trials pins α to about ±10 % and β to about ±10 % (one SD).
  EXPECT_LT(std::abs(s["fitted_alpha"].get<double>() - 0.3) / 0.3, 0.3);
  EXPECT_LT(std::abs(s["fitted_beta"].get<double>() - 5.0) / 5.0, 0.3);
}

// The file's 200 subjects (the reference's 2000 take a few seconds more).
TEST(BanditParameterRecoveryExperiment, RecoversAlphaAndBetaAcrossThePopulation) {
  const nlohmann::json doc = ready_description("bandit_parameter_recovery");
  ScratchFolder dir;
  const nlohmann::json s = run_description(doc, dir.path());
  const auto table = dir / "recovery.csv";
  ASSERT_TRUE(std::filesystem::exists(table));
  EXPECT_EQ(csv_header(table), (Columns{"subject", "true_alpha", "true_beta", "fitted_alpha",
                                        "fitted_beta", "negative_log_likelihood"}));
  EXPECT_EQ(csv_rows(table), 200u);
  EXPECT_EQ(s["subjects"], 200);
  EXPECT_EQ(s["trials_simulated"], 200 * 1000);
  EXPECT_GT(s["alpha_correlation"].get<double>(), 0.85);
  EXPECT_GT(s["beta_correlation"].get<double>(), 0.85);
  // The bounds (α within 10 %, β within 20 %) for the typical subject.
  EXPECT_LT(s["alpha_median_relative_error"].get<double>(), 0.10);
  EXPECT_LT(s["beta_median_relative_error"].get<double>(), 0.20);
}

TEST(ProbabilisticSelectionOpalExperiment, ChooseAMinusAvoidBChangesSignWithDopamine) {
  const nlohmann::json doc = ready_description("probabilistic_selection_opal");
  ScratchFolder dir;
  const nlohmann::json s = run_description(doc, dir.path());
  for (const char* file : {"trials.csv", "levels.csv", "weights.csv"})
    EXPECT_TRUE(std::filesystem::exists(dir / file)) << file;
  EXPECT_EQ(csv_header(dir / "trials.csv"),
            (Columns{"rho", "subject", "trial", "phase", "pair", "first", "second", "choice",
                     "reward", "value", "delta", "act_first", "act_second"}));
  // 3 levels × 200 subjects × (6 blocks × 60 training + 15 pairs × 6 test trials).
  EXPECT_EQ(csv_rows(dir / "trials.csv"), 3u * 200 * (360 + 90));
  EXPECT_EQ(csv_header(dir / "levels.csv"),
            (Columns{"rho", "choose_a", "avoid_b", "choose_a_probability", "avoid_b_probability",
                     "training_accuracy"}));
  EXPECT_EQ(csv_header(dir / "weights.csv"), (Columns{"rho", "stimulus", "go", "nogo"}));
  EXPECT_EQ(csv_rows(dir / "weights.csv"), 3u * 6);
  const auto& levels = s["levels"];
  ASSERT_EQ(levels.size(), 3u);
  const double low = levels[0]["choose_a_minus_avoid_b"].get<double>();
  const double mid = levels[1]["choose_a_minus_avoid_b"].get<double>();
  const double high = levels[2]["choose_a_minus_avoid_b"].get<double>();
  EXPECT_EQ(levels[0]["rho"], -0.8);
  EXPECT_EQ(levels[2]["rho"], 0.8);
  EXPECT_LT(low, 0.0) << "low dopamine should favour avoid-B";
  EXPECT_GT(high, 0.0) << "high dopamine should favour choose-A";
  EXPECT_LT(low, mid);
  EXPECT_LT(mid, high);
  for (const auto& l : levels)
    EXPECT_GT(l["training_accuracy"].get<double>(), 0.6);
}

TEST(BanditReadyExperiment, MisspeltParameterIsReportedWithItsPointerAndAHint) {
  nlohmann::json doc = ready_description("bandit_two_armed");
  auto& params = doc["experiment"]["params"];
  params["aplha"] = params["alpha"];
  params.erase("alpha");
  networks::Diagnostics diag;
  read_experiment_description(doc, diag);
  ASSERT_EQ(diag.items().size(), 1u) << diag.str();
  EXPECT_EQ(diag.items()[0].pointer, "/experiment/params/aplha");
  EXPECT_NE(diag.items()[0].message.find("did you mean \"alpha\""), std::string::npos)
      << diag.items()[0].message;
}

TEST(BanditReadyExperiment, AParameterOutOfRangeIsRefusedBeforeAnythingRuns) {
  nlohmann::json doc = ready_description("probabilistic_selection_opal");
  doc["experiment"]["params"]["reward_probability"] = {0.8, 0.2, 0.7};
  networks::Diagnostics diag;
  const ExperimentDescription exp = read_experiment_description(doc, diag);
  ASSERT_EQ(diag.items().size(), 1u) << diag.str();
  EXPECT_EQ(diag.items()[0].pointer, "/experiment/params");
  EXPECT_NE(diag.items()[0].message.find("reward_probability"), std::string::npos);
}

}  // namespace
}  // namespace bgsim::tasks::test
