// `bgsim compare` end to end on a small network: what it writes, that the
// learners met the same trials, and what it refuses before running.

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>

#include "../bandits/ready_experiment_support.hpp"
#include "../loop/selection_chooser.hpp"
#include "core/io/npy.hpp"

namespace bgsim::tasks::test {
namespace {

// The bandit actor-critic's critic on conditioning trials (its dopamine cells
// answer the reward; its prediction is timed for the bandit, not for this
// task): enough to check the plumbing, not the science.
nlohmann::json small_comparison() {
  return nlohmann::json::parse(R"({
    "name": "compare_plumbing", "seed": 3,
    "experiment": {"kind": "compare", "params": {
      "trials": 30,
      "task": {"type": "conditioning", "params": {"dt_s": 0.05, "trial_s": 2.0, "cue_time_s": 0.5,
               "reward_time_s": 1.0, "omission_probability": 0.2, "uncued_probability": 0.2,
               "iti_min_s": 0.5, "iti_max_s": 1.0}},
      "spiking": {"network": "../../networks/library/bandit_actor_critic.json",
                  "timing": {"step_ms": 50, "outcome_ms": 0, "iti_ms": 500},
                  "encoding": [{"stimuli": [0], "inputs": [{"target": "cue", "value": 40}]}],
                  "reward": [{"population": "us", "gain": 100, "duration_ms": 100}],
                  "monitor": {"population": "snc"}},
      "agents": [{"name": "td", "agent": "td_lambda", "params": {"alpha": 0.2, "gamma": 0.99}},
                 {"name": "dist", "agent": "distributional_td", "params": {"n_predictors": 5}}],
      "learned_from_trial": 10}}})");
}

std::vector<std::string> problems_of(const nlohmann::json& doc) {
  networks::Diagnostics diag;
  read_experiment_description(doc, diag,
                              std::filesystem::path(BGSIM_SOURCE_DIR) / "tasks" / "experiments");
  std::vector<std::string> out;
  for (const auto& item : diag.items())
    out.push_back(item.pointer + ": " + item.message);
  return out;
}

bool mentions(const std::vector<std::string>& problems, const std::string& text) {
  for (const auto& m : problems)
    if (m.find(text) != std::string::npos) return true;
  return false;
}

TEST(Compare, WritesAlignedSignalsTrialSummariesAndAgreement) {
  ScratchFolder dir;
  const nlohmann::json s = run_description(small_comparison(), dir.path());
  const auto& c = s["comparison"];
  // Trial of 2 s in 50 ms steps: 41 steps, the cue at step 9, so 9 bins
  // before it and 32 from it.
  EXPECT_EQ(c["bins"].get<int>(), 41);
  EXPECT_DOUBLE_EQ(c["first_bin_start_ms"].get<double>(), -450.0);
  EXPECT_DOUBLE_EQ(c["us_from_cs_ms"].get<double>(), 500.0);
  EXPECT_EQ(c["learners"], (nlohmann::json{"spiking", "td", "dist"}));
  const double baseline = c["spiking_signal"]["baseline_Hz"].get<double>();
  EXPECT_GT(baseline, 1.0);
  EXPECT_LT(baseline, 10.0);
  // The reward drives the dopamine cells through the relay whatever was
  // learned: a burst well above baseline in the US window.
  EXPECT_GT(c["spiking_signal"]["us_response_early_Hz"].get<double>(), baseline);
  for (const char* agent : {"td", "dist"}) {
    const auto& a = c["agents"][agent];
    ASSERT_TRUE(a["r_mean_time_course"].is_number()) << agent;
    EXPECT_GT(a["r_us_window"].get<double>(), 0.0) << agent;  // both answer the reward
  }
  const io::NpyArray aligned = io::read_npy(dir / "aligned.npy");
  EXPECT_EQ(aligned.shape, (std::vector<std::size_t>{30, 41, 3}));
  EXPECT_EQ(csv_rows(dir / "aligned.csv"), 30u * 41u);
  EXPECT_EQ(csv_rows(dir / "trials.csv"), 30u);
  EXPECT_EQ(csv_header(dir / "trials.csv"),
            (std::vector<std::string>{"trial", "kind", "spiking_cs", "spiking_us",
                                      "spiking_omission", "td_cs", "td_us", "td_omission",
                                      "dist_cs", "dist_us", "dist_omission"}));
  EXPECT_EQ(csv_rows(dir / "steps.csv"), 30u * 40u);  // the spiking learner's own table
}

TEST(Compare, RefusesWhatItCannotAlign) {
  nlohmann::json doc = small_comparison();
  auto& p = doc["experiment"]["params"];
  p["spiking"]["timing"]["outcome_ms"] = 100;
  p["spiking"].erase("monitor");
  p["agents"][1]["name"] = "td";
  p["agents"].push_back({{"name", "x"}, {"agent", "q_learning"}});
  p["bin_ms"] = 75;
  const std::vector<std::string> problems = problems_of(doc);
  const auto has = [&](const std::string& text) { return mentions(problems, text); };
  EXPECT_TRUE(has("name the dopamine cells"));
  EXPECT_TRUE(has("outcome_ms"));
  EXPECT_TRUE(has("a second learner named \"td\""));
  EXPECT_TRUE(has("unknown agent \"q_learning\""));
  EXPECT_TRUE(has("/bin_ms: must be a whole number of steps"));

  // On the bandit the agents are closed-loop agents and the dopamine at the
  // outcome needs an outcome period.
  nlohmann::json bandit = small_comparison();
  bandit["experiment"]["params"]["task"] = {{"type", "bandit"}};
  bandit["experiment"]["params"]["spiking"]["monitor"] = {{"population", "snc"}};
  const std::vector<std::string> on_bandit = problems_of(bandit);
  const auto bandit_has = [&](const std::string& text) { return mentions(on_bandit, text); };
  EXPECT_TRUE(bandit_has("give \"outcome_ms\" > 0"));
  EXPECT_TRUE(bandit_has("td_lambda learns the values of a conditioning task"));  // on the bandit
}

// On the bandit: both learners on the same outcomes, one row per trial; the
// agent plays exactly as it does alone in a closed-loop file with the seed.
TEST(Compare, BanditChoicesAndDopamineAtTheOutcomeSideBySide) {
  nlohmann::json doc = ready_description("bandit_compare");
  doc["experiment"]["params"]["trials"] = 120;
  ScratchFolder dir;
  const nlohmann::json s = run_description(doc, dir.path());
  EXPECT_EQ(csv_header(dir / "choices.csv"),
            (std::vector<std::string>{"trial", "state", "best_action", "spiking_action",
                                      "spiking_reward", "spiking_dopamine_Hz", "q_learning_action",
                                      "q_learning_reward", "q_learning_delta"}));
  EXPECT_EQ(csv_rows(dir / "choices.csv"), 120u);
  const auto& c = s["comparison"];
  EXPECT_EQ(c["trials"].get<int>(), 120);
  // Each learner's signal follows its own outcomes.
  EXPECT_GT(c["r_signal_vs_own_reward"]["spiking"].get<double>(), 0.5);
  EXPECT_GT(c["r_signal_vs_own_reward"]["q_learning"].get<double>(), 0.5);
  EXPECT_TRUE(c["agents"]["q_learning"]["r_dopamine_vs_delta"].is_number());
  EXPECT_TRUE(s["spiking"]["q_learning_fit"]["fitted_alpha"].is_number());

  nlohmann::json alone = ready_description("bandit_reversal_q_learning");
  alone["experiment"]["params"]["trials"] = 120;
  alone["experiment"]["params"]["learner"] = {{"agent", "q_learning"},
                                              {"params", {{"alpha", 0.1}, {"beta", 5}}}};
  ScratchFolder other;
  run_description(alone, other.path());
  std::ifstream a(dir / "steps_q_learning.csv"), b(other / "steps.csv");
  std::stringstream sa, sb;
  sa << a.rdbuf();
  sb << b.rdbuf();
  EXPECT_EQ(sa.str(), sb.str());
}

// On the probabilistic selection task: a spiking chooser (action
// populations firing alike: a coin) and OpAL meet the same pairs, trial by
// trial, and each summary holds choose-A and avoid-B.
TEST(Compare, SelectionTaskSideBySideWithOpal) {
  const SelectionChooser chooser = selection_chooser({30, 30, 30, 30, 30, 30}, 10);
  const nlohmann::json doc = {
      {"name", "selection_compare"},
      {"seed", 2},
      {"experiment",
       {{"kind", "compare"},
        {"params",
         {{"trials", 1000},
          {"task",
           {{"type", "probabilistic_selection"},
            {"params", {{"max_training_blocks", 2}, {"test_repeats", 2}}}}},
          {"spiking",
           {{"network", chooser.network},
            {"timing", {{"step_ms", 100}, {"outcome_ms", 100}}},
            {"encoding", chooser.encoding},
            {"decoding", {{"rule", "most_spikes"}, {"populations", chooser.actions}}},
            {"reward", {{{"population", "s0"}, {"gain", 1}, {"duration_ms", 10}}}},
            {"monitor", {{"population", "snc"}}}}},
          {"agents", {{{"name", "opal"}, {"agent", "opal"}, {"params", {{"rho", 0.5}}}}}}}}}}};
  ScratchFolder dir;
  const nlohmann::json s = run_description(doc, dir.path());
  EXPECT_EQ(s["comparison"]["trials"].get<int>(), 2 * 60 + 15 * 2);  // the task ends it
  for (const char* learner : {"spiking", "opal"}) {
    const auto& sel = s[learner]["selection"];
    EXPECT_EQ(sel["training_accuracy_by_block"].size(), 2u) << learner;
    EXPECT_TRUE(sel["choose_a"].is_number()) << learner;
    EXPECT_TRUE(sel["avoid_b"].is_number()) << learner;
  }
  EXPECT_EQ(csv_rows(dir / "choices.csv"), 150u);
  EXPECT_EQ(csv_rows(dir / "steps_opal.csv"), 150u);
}

}  // namespace
}  // namespace bgsim::tasks::test
