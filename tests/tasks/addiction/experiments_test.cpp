// The ready addiction experiments (tasks/experiments/addiction_*.json), read and
// run as `bgsim run` runs them: the files they write, with their columns, and
// the published effect in their summaries.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "../bandits/ready_experiment_support.hpp"

namespace bgsim::tasks::test {
namespace {

using Columns = std::vector<std::string>;

const Columns kStepColumns = {"model",     "run",    "visit",   "episode",        "step",
                              "action",    "reward", "drug",    "value",          "delta",
                              "q_natural", "q_drug", "epsilon", "average_reward", "tolerance"};
const Columns kRunColumns = {"model",      "run",           "q_natural",
                             "q_drug",     "greedy_action", "drug_fraction_last_episode",
                             "drug_steps", "overtake_visit"};

TEST(AddictionRedishExperiment, TheDrugOvertakesALargerNaturalRewardOnlyWhenNonCompensable) {
  const nlohmann::json doc = ready_description("addiction_redish");
  ScratchFolder dir;
  const nlohmann::json s = run_description(doc, dir.path());
  ASSERT_TRUE(std::filesystem::exists(dir / "steps.csv"));
  ASSERT_TRUE(std::filesystem::exists(dir / "runs.csv"));
  EXPECT_EQ(csv_header(dir / "steps.csv"), kStepColumns);
  EXPECT_EQ(csv_header(dir / "runs.csv"), kRunColumns);
  // Two models × 10 runs × 40 episodes × 200 steps.
  EXPECT_EQ(csv_rows(dir / "steps.csv"), 2u * 10 * 40 * 200);
  EXPECT_EQ(csv_rows(dir / "runs.csv"), 2u * 10);

  const auto& redish = s["redish"];
  EXPECT_EQ(redish["runs_preferring_drug"], 10);
  EXPECT_EQ(redish["runs_overtaken"], 10);
  // Every drug visit raised Q(drug) by at least α·D.
  EXPECT_GE(redish["min_increment_over_floor"].get<double>(), -1e-9);
  // Unbounded: far beyond the natural reward's value 5/(1 − γ) = 20.
  EXPECT_GT(redish["mean_final_q_drug"].get<double>(), 100.0);
  EXPECT_GT(redish["mean_drug_fraction_last_episode"].get<double>(), 0.99);

  const auto& control = s["compensable"];
  EXPECT_EQ(control["runs_preferring_drug"], 0);
  EXPECT_NEAR(control["mean_final_q_natural"].get<double>(), 20.0, 0.2);
  EXPECT_NEAR(control["mean_final_q_drug"].get<double>(), 18.0, 0.2);
  EXPECT_FALSE(control.contains("min_increment_over_floor"));
}

TEST(AddictionAverageRewardExperiment, TheDrugWinsWithBoundedValueAndBuildsTolerance) {
  const nlohmann::json doc = ready_description("addiction_average_reward");
  ScratchFolder dir;
  const nlohmann::json s = run_description(doc, dir.path());
  EXPECT_EQ(csv_header(dir / "steps.csv"), kStepColumns);
  EXPECT_EQ(csv_header(dir / "runs.csv"), kRunColumns);
  EXPECT_EQ(csv_rows(dir / "steps.csv"), 2u * 10 * 40 * 200);

  const auto& avg = s["average_reward"];
  EXPECT_EQ(avg["runs_preferring_drug"], 10);
  EXPECT_GE(avg["min_increment_over_floor"].get<double>(), -1e-9);
  // Tolerance builds towards κ_max = 3 under steady use.
  EXPECT_GT(avg["mean_final_tolerance"].get<double>(), 2.0);
  EXPECT_LT(avg["mean_final_tolerance"].get<double>(), 3.0);
  // The drug's advantage Q(drug) − Q(natural) stays bounded (about D − κ − ρ
  // plus the reward difference) in the average-reward model; in Redish's it
  // grows with every visit.
  const double bounded = avg["mean_final_drug_advantage"].get<double>();
  EXPECT_GT(bounded, 0.0);
  EXPECT_LT(bounded, 20.0);
  const auto& redish = s["redish"];
  EXPECT_EQ(redish["runs_preferring_drug"], 10);
  EXPECT_GT(redish["mean_final_drug_advantage"].get<double>(), 100.0 * bounded);
}

TEST(AddictionRelapseExperiment, TheLatentStateLearnerRelapsesFasterThanModelFree) {
  const nlohmann::json doc = ready_description("addiction_relapse");
  ScratchFolder dir;
  const nlohmann::json s = run_description(doc, dir.path());
  EXPECT_EQ(csv_header(dir / "steps.csv"),
            (Columns{"learner", "run", "phase", "step", "action", "drug", "reward", "delta",
                     "q_natural", "q_drug", "latent_state"}));
  // Two learners × 10 runs × (800 + 1000 + 800) steps.
  EXPECT_EQ(csv_rows(dir / "steps.csv"), 2u * 10 * 2600);
  EXPECT_EQ(csv_header(dir / "latencies.csv"), (Columns{"learner", "run", "acquisition_latency",
                                                        "reacquisition_latency", "latent_states"}));
  EXPECT_EQ(csv_rows(dir / "latencies.csv"), 2u * 10);

  const auto& mf = s["model_free"];
  const auto& latent = s["latent"];
  // Both take hundreds of steps at first exposure.
  EXPECT_GT(mf["mean_acquisition_latency"].get<double>(), 100.0);
  EXPECT_GT(latent["mean_acquisition_latency"].get<double>(), 100.0);
  // Model-free: re-exposure no faster than first exposure (within 30 %).
  EXPECT_GT(mf["reacquisition_over_acquisition"].get<double>(), 0.7);
  // Latent: back at once (the 10-step window is the shortest measurable latency).
  EXPECT_LT(latent["reacquisition_over_acquisition"].get<double>(), 0.1);
  EXPECT_LT(latent["mean_reacquisition_latency"].get<double>(),
            0.2 * mf["mean_reacquisition_latency"].get<double>());
  EXPECT_GE(latent["most_latent_states"].get<int>(), 2);
  EXPECT_EQ(mf["most_latent_states"], 1);
}

TEST(AddictionReadyExperiment, MisspeltParameterIsReportedWithItsPointerAndAHint) {
  nlohmann::json doc = ready_description("addiction_relapse");
  doc["experiment"]["params"]["extinction_episode"] = 10;
  doc["experiment"]["params"].erase("extinction_episodes");
  networks::Diagnostics diag;
  read_experiment_description(doc, diag);
  ASSERT_EQ(diag.items().size(), 1u) << diag.str();
  EXPECT_EQ(diag.items()[0].pointer, "/experiment/params/extinction_episode");
  EXPECT_NE(diag.items()[0].message.find("did you mean \"extinction_episodes\""), std::string::npos)
      << diag.items()[0].message;
}

}  // namespace
}  // namespace bgsim::tasks::test
