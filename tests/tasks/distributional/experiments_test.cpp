// The ready distributional-TD experiments (tasks/experiments/distributional_*.json,
// td_lambda_cue_reward.json): each file is read as `bgsim run` reads it, run
// into a scratch results folder, and checked for its files, their shapes and
// the published effect in its summary. The ready files run as shipped (each
// well under the 5 s budget), so what is tested is what a user gets.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/io/npy.hpp"
#include "core/io/results_folder.hpp"
#include "tasks/experiment.hpp"
#include "tests/core/io/io_test_support.hpp"

namespace bgsim::tasks {
namespace {

using io::test::ScratchDir;
using nlohmann::json;

json ready_file(const std::string& kind) {
  const std::filesystem::path path =
      std::filesystem::path(BGSIM_SOURCE_DIR) / "tasks" / "experiments" / (kind + ".json");
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << path;
  return json::parse(in);
}

// Reads a description, runs it into `dir` and returns the summary.
json run_into(const json& doc, const std::filesystem::path& dir) {
  networks::Diagnostics diag;
  ExperimentDescription exp = read_experiment_description(doc, diag);
  EXPECT_TRUE(diag.ok()) << diag.str();
  if (!diag.ok() || !exp.run) return json();
  const io::ResultsFolder folder(dir / "results");
  return exp.run({folder, exp.seed});
}

std::vector<std::size_t> shape(const std::filesystem::path& file) {
  return io::read_npy_header(file).shape;
}

// Rows of a CSV file below its header.
int csv_rows(const std::filesystem::path& file) {
  std::ifstream in(file);
  int lines = 0;
  for (std::string line; std::getline(in, line);)
    ++lines;
  return lines - 1;
}

using Shape = std::vector<std::size_t>;

TEST(DistributionalCueRewardExperiment, ErrorMovesToTheCueAndValuesFanOutByDiscount) {
  ScratchDir dir;
  const json s = run_into(ready_file("distributional_cue_reward"), dir.path());
  ASSERT_TRUE(s.is_object());
  const auto out = dir / "results";
  EXPECT_EQ(shape(out / "value.npy"), (Shape{200, 71, 20}));
  EXPECT_EQ(shape(out / "delta.npy"), (Shape{200, 70, 20}));
  EXPECT_EQ(shape(out / "reward.npy"), (Shape{200, 71}));
  EXPECT_EQ(shape(out / "time_s.npy"), (Shape{71}));
  EXPECT_EQ(csv_rows(out / "trials.csv"), 200);
  EXPECT_EQ(csv_rows(out / "predictors.csv"), 20);

  // The layout [trial, step, predictor]: on trial 0 nothing is predicted, so
  // every predictor's δ at the reward step (59) is the reward.
  const io::NpyArray delta = io::read_npy(out / "delta.npy");
  const std::vector<double> d = delta.values<double>();
  for (int i = 0; i < 20; ++i)
    EXPECT_DOUBLE_EQ(d[(0 * 70 + 59) * 20 + i], 1.0) << "predictor " << i;
  EXPECT_DOUBLE_EQ(io::read_npy(out / "time_s.npy").values<double>()[19], 2.0);

  EXPECT_EQ(s["cue_step"], 19);
  EXPECT_EQ(s["reward_step"], 59);
  EXPECT_DOUBLE_EQ(s["reward_response_first_trial_mean"].get<double>(), 1.0);
  EXPECT_LT(s["value_at_cue_max_error_percent"].get<double>(), 2.0);
  EXPECT_GT(s["rank_correlation_gamma_value_at_cue"].get<double>(), 0.99);
  ASSERT_EQ(s["predictors"].size(), 20u);
  for (const json& p : s["predictors"]) {
    EXPECT_NEAR(p["reward_response"].get<double>(), 0.0, 0.01) << p.dump();
    EXPECT_NEAR(p["value_at_reward"].get<double>(), 1.0, 0.01) << p.dump();
    const double cue = p["cue_response_expected"].get<double>();
    EXPECT_NEAR(p["cue_response"].get<double>(), cue, 0.02 * cue) << p.dump();
  }
}

TEST(TdLambdaCueRewardExperiment, ErrorMovesFromRewardToCue) {
  ScratchDir dir;
  const json s = run_into(ready_file("td_lambda_cue_reward"), dir.path());
  ASSERT_TRUE(s.is_object());
  const auto out = dir / "results";
  EXPECT_EQ(shape(out / "value.npy"), (Shape{300, 71, 1}));
  EXPECT_EQ(shape(out / "delta.npy"), (Shape{300, 70, 1}));
  EXPECT_EQ(csv_rows(out / "agent.csv"), 1);
  EXPECT_DOUBLE_EQ(s["reward_response_first_trial"].get<double>(), 1.0);
  EXPECT_NEAR(s["reward_response"].get<double>(), 0.0, 0.01);
  EXPECT_LT(s["value_at_cue_error_percent"].get<double>(), 1.0);
  const double cue = s["cue_response_expected"].get<double>();
  EXPECT_NEAR(s["cue_response"].get<double>(), cue, 0.01 * cue);
}

TEST(DistributionalVariableMagnitudeExperiment, ReversalPointsAreExpectilesInTheOrderOfTau) {
  ScratchDir dir;
  const json doc = ready_file("distributional_variable_magnitude");
  const json s = run_into(doc, dir.path());
  ASSERT_TRUE(s.is_object());
  const auto out = dir / "results";
  const json& p = doc["experiment"]["params"];
  const std::size_t P = p["n_predictors"].get<std::size_t>();
  const std::size_t T = s["steps_per_trial"].get<std::size_t>();
  const std::size_t written = s["trials_written"].get<std::size_t>();
  // Every trace_every-th trial from trial 0, and the last one.
  const std::size_t n = p["n_trials"].get<std::size_t>(),
                    every = p["trace_every"].get<std::size_t>();
  EXPECT_EQ(written, (n - 1) / every + 1 + ((n - 1) % every != 0 ? 1 : 0));
  EXPECT_EQ(shape(out / "value.npy"), (Shape{written, T, P}));
  EXPECT_EQ(shape(out / "delta.npy"), (Shape{written, T - 1, P}));
  EXPECT_EQ(csv_rows(out / "trials.csv"), static_cast<int>(written));
  EXPECT_EQ(csv_rows(out / "predictors.csv"), static_cast<int>(P));

  // Converge to the τ̃-expectile within 3 % where the predictor had the time
  // (the driver test's criterion), and order by τ.
  EXPECT_GE(s["converged_predictors"].get<int>(), static_cast<int>(3 * P / 4));
  EXPECT_LT(s["converged_max_error_percent"].get<double>(), 3.0);
  EXPECT_GT(s["rank_correlation_tau_reversal"].get<double>(), 0.95);
  const json& table = s["predictors"];
  for (const json& a : table) {
    for (const json& b : table) {
      if (a["converged"].get<bool>() && b["converged"].get<bool>() &&
          a["tau"].get<double>() > b["tau"].get<double>() + 0.02) {
        EXPECT_GT(a["reversal_point"].get<double>(), b["reversal_point"].get<double>())
            << "tau " << a["tau"] << " vs " << b["tau"];
      }
    }
  }
  // The bank spans the distribution, not only its middle.
  EXPECT_LT(s["reversal_point_range"][0].get<double>(), 3.0);
  EXPECT_GT(s["reversal_point_range"][1].get<double>(), 9.0);
}

TEST(DistributionalDelayTaskExperiment, CueValueDecaysAtEachPredictorsDiscount) {
  ScratchDir dir;
  const json s = run_into(ready_file("distributional_delay_task"), dir.path());
  ASSERT_TRUE(s.is_object());
  const auto out = dir / "results";
  EXPECT_EQ(shape(out / "value.npy"), (Shape{1800, 17, 20}));
  EXPECT_EQ(shape(out / "delta.npy"), (Shape{1800, 16, 20}));
  ASSERT_EQ(s["trial_types"].size(), 6u);
  EXPECT_EQ(s["fixed_types"], 4);
  int checked = 0;
  for (const json& p : s["predictors"]) {
    // Below 0.1 per step, 300 trials per type cannot carry the value back 13
    // steps (the driver test's criterion).
    if (p["slow_rate_per_step"].get<double>() < 0.1) continue;
    ++checked;
    for (const auto& [type, error] : p["value_at_cue_error_percent"].items())
      EXPECT_LT(error.get<double>(), 2.0) << "predictor " << p["predictor"] << " " << type;
    const double gamma = p["gamma"].get<double>();
    EXPECT_NEAR(p["gamma_read_back"].get<double>(), gamma, 0.02 * gamma) << p["predictor"];
  }
  EXPECT_GE(checked, 15);
}

// A misspelt key is reported with its JSON pointer and the nearest name, a
// malformed draw at its key, and a value the run cannot use at the params.
TEST(DistributionalParamsExperiment, MistakesAreReportedWithTheirPointer) {
  json doc = ready_file("distributional_cue_reward");
  json& params = doc["experiment"]["params"];
  params.erase("n_trials");
  params["n_trails"] = 10;
  params["gamma"] = json::array({0.3});  // a range needs [low, high]
  params["trace_every"] = 0;
  networks::Diagnostics diag;
  read_experiment_description(doc, diag);
  const std::string text = diag.str();
  EXPECT_TRUE(io::test::contains(
      text, "/experiment/params/n_trails: unknown key; did you mean \"n_trials\"?"));
  EXPECT_TRUE(io::test::contains(text, "/experiment/params/gamma: with gamma_draw \"range\""));
  EXPECT_TRUE(io::test::contains(text, "[low, high]"));

  json fixed = ready_file("distributional_cue_reward");
  fixed["experiment"]["params"]["trace_every"] = 0;
  networks::Diagnostics second;
  read_experiment_description(fixed, second);
  EXPECT_TRUE(io::test::contains(second.str(), "/experiment/params: trace_every = 0"));

  json kind = ready_file("distributional_cue_reward");
  kind["experiment"]["kind"] = "distributional_cue_rewards";
  networks::Diagnostics third;
  read_experiment_description(kind, third);
  EXPECT_TRUE(io::test::contains(third.str(), "did you mean \"distributional_cue_reward\"?"));
}

// Every parameter, defaults included, lands in the resolved description (the
// manifest), so a run can be repeated from its folder alone.
TEST(DistributionalParamsExperiment, ResolvedParamsHoldEveryDefault) {
  json doc = ready_file("distributional_variable_magnitude");
  doc["experiment"]["params"] = json::object();
  networks::Diagnostics diag;
  const ExperimentDescription exp = read_experiment_description(doc, diag);
  ASSERT_TRUE(diag.ok()) << diag.str();
  const json& p = exp.resolved["experiment"]["params"];
  EXPECT_EQ(p["n_trials"], 50);
  EXPECT_EQ(p["n_predictors"], 25);
  EXPECT_EQ(p["alpha_draw"], "list");
  EXPECT_EQ(p["gamma"], json::array({0.3, 0.8}));
  EXPECT_EQ(p["magnitudes"].size(), 7u);
  EXPECT_EQ(p["representation"], "complete_serial_compound");
  EXPECT_EQ(p["trace_every"], 1);
}

// The figures: tools/plot_experiment.py draws every PNG and the GIF of each
// kind from a results folder. Runs are shrunk (a few trials and predictors)
// so that drawing stays within the test budget; the figures' content is
// checked by eye, their production here.
class DistributionalPlotsExperiment : public ::testing::TestWithParam<const char*> {};

TEST_P(DistributionalPlotsExperiment, PlotToolDrawsEveryFigure) {
  ASSERT_TRUE(io::test::python_stack_available());
  const std::string kind = GetParam();
  json doc = ready_file(kind);
  json& p = doc["experiment"]["params"];
  p["n_trials"] = 8;
  p["trace_every"] = 1;
  p["summary_trials"] = 5;
  if (p.contains("n_predictors")) p["n_predictors"] = 3;
  ScratchDir dir;
  networks::Diagnostics diag;
  ExperimentDescription exp = read_experiment_description(doc, diag);
  ASSERT_TRUE(diag.ok()) << diag.str();
  const io::ResultsFolder folder(dir / "results");
  json manifest = {{"status", "complete"},
                   {"experiment", exp.kind},
                   {"description", exp.resolved},
                   {"seed", exp.seed}};
  manifest["summary"] = exp.run({folder, exp.seed});
  folder.write_manifest(manifest);
  const std::string command =
      std::string(io::test::python) + " " +
      io::test::shell_quote(std::string(BGSIM_SOURCE_DIR) + "/tools/plot_experiment.py") + " " +
      io::test::shell_quote((dir / "results").string());
  const io::test::CommandResult r = io::test::run_command(command);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  std::vector<std::string> expected{"delta_heatmap.png", "trials.gif"};
  if (kind == "distributional_variable_magnitude") {
    expected.insert(expected.end(), {"value_at_reward.png", "reversal_points.png"});
  } else {
    expected.push_back("value_at_cue.png");
  }
  if (kind == "distributional_delay_task") expected.push_back("cue_value_by_delay.png");
  for (const std::string& name : expected) {
    const auto path = dir / "results" / "plots" / name;
    EXPECT_TRUE(std::filesystem::is_regular_file(path)) << name << "\n" << r.output;
    EXPECT_TRUE(io::test::contains(r.output, name));
  }
}

INSTANTIATE_TEST_SUITE_P(Kinds, DistributionalPlotsExperiment,
                         ::testing::Values("distributional_cue_reward", "td_lambda_cue_reward",
                                           "distributional_variable_magnitude",
                                           "distributional_delay_task"));

}  // namespace
}  // namespace bgsim::tasks
