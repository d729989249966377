// The ready ramp experiments (tasks/experiments/ramps_*.json) run as a user
// runs them: each file is read through read_experiment_description, run into
// a scratch results folder, and checked for its files, their columns and the
// published effect in its summary. All run with the published parameters
// (each well under a second in a Release build).

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/io/results_folder.hpp"
#include "networks/diagnostics.hpp"
#include "tasks/experiment.hpp"
#include "tests/core/io/io_test_support.hpp"

namespace bgsim::tasks {
namespace {

using io::test::ScratchDir;
using Columns = std::vector<std::string>;

nlohmann::json ready_file(const std::string& kind) {
  const std::filesystem::path path =
      std::filesystem::path(BGSIM_SOURCE_DIR) / "tasks" / "experiments" / (kind + ".json");
  std::ifstream in(path);
  EXPECT_TRUE(in) << "cannot open " << path;
  return nlohmann::json::parse(in);
}

// Runs a ready file (after `patch`, if any) into `dir`; returns its summary.
nlohmann::json run_ready(const std::string& kind, const ScratchDir& dir,
                         const nlohmann::json& patch = nlohmann::json::object()) {
  nlohmann::json doc = ready_file(kind);
  EXPECT_EQ(doc.value("name", ""), kind);
  EXPECT_TRUE(doc.contains("description"));
  doc["experiment"]["params"].update(patch);
  networks::Diagnostics diag;
  const ExperimentDescription exp = read_experiment_description(doc, diag);
  EXPECT_TRUE(diag.ok()) << diag.str();
  EXPECT_EQ(exp.kind, kind);
  if (!diag.ok() || !exp.run) return {};
  io::ResultsFolder folder(dir.path() / "results");
  return exp.run({folder, exp.seed});
}

// The header of a CSV file of the results folder, and its number of data rows.
Columns header_of(const ScratchDir& dir, const std::string& file) {
  std::ifstream in(dir.path() / "results" / file);
  std::string line;
  std::getline(in, line);
  Columns out;
  std::stringstream fields(line);
  for (std::string f; std::getline(fields, f, ',');)
    out.push_back(f);
  return out;
}

std::size_t rows_of(const ScratchDir& dir, const std::string& file) {
  std::ifstream in(dir.path() / "results" / file);
  std::size_t lines = 0;
  for (std::string line; std::getline(in, line);)
    ++lines;
  return lines == 0 ? 0 : lines - 1;
}

Columns with_trace(Columns prefix) {
  for (const char* c : {"episode", "step", "state", "next_state", "reward", "value", "delta"})
    prefix.push_back(c);
  return prefix;
}

double round4(double x) {
  return std::round(x * 1e4) / 1e4;
}

TEST(RampsDemoExperiment, ConvergesAfterThePublishedEpisodeCounts) {
  ScratchDir dir;
  const nlohmann::json s = run_ready("ramps_demo", dir);
  EXPECT_EQ(header_of(dir, "traces.csv"), with_trace({"agent"}));
  EXPECT_EQ(header_of(dir, "values.csv"), (Columns{"agent", "state", "v_td", "v_mb"}));
  EXPECT_EQ(s["dual"]["episodes_to_converge"], 624);
  EXPECT_EQ(s["td"]["episodes_to_converge"], 1510);
}

TEST(RampsCompareArchitecturesExperiment, NormativeDualProcessLearnsFastest) {
  ScratchDir dir;
  const nlohmann::json s = run_ready("ramps_compare_architectures", dir);
  EXPECT_EQ(header_of(dir, "traces.csv"), with_trace({"agent"}));
  EXPECT_EQ(header_of(dir, "value_error.csv"), (Columns{"agent", "episode", "value_error"}));
  EXPECT_EQ(rows_of(dir, "value_error.csv"), 3u * 5000u);
  EXPECT_EQ(rows_of(dir, "traces.csv"), 3u * 5000u * 10u);  // every episode walks 10 steps
  EXPECT_EQ(s["fastest"], "normative");
  const int normative = s["normative"]["episodes_to_threshold"];
  const int td = s["td"]["episodes_to_threshold"];
  const int naive = s["naive"]["episodes_to_threshold"];
  EXPECT_GT(normative, 0);
  EXPECT_LT(normative, td);
  EXPECT_LT(td, naive);
}

TEST(RampsGuruTrackExperiment, SessionZeroSlopesAreThePublishedOnesAndTheSwapFlipsThem) {
  ScratchDir dir;
  const nlohmann::json s = run_ready("ramps_guru_track", dir);
  EXPECT_EQ(header_of(dir, "traces.csv"), with_trace({"track", "track_reward", "session"}));
  EXPECT_EQ(rows_of(dir, "traces.csv"), 2u * 18u * 100u * 35u);
  EXPECT_EQ(header_of(dir, "session_rpe.csv"),
            (Columns{"track", "track_reward", "session", "step", "mean_delta"}));
  EXPECT_EQ(header_of(dir, "slopes.csv"), (Columns{"track", "track_reward", "session", "slope"}));
  EXPECT_EQ(header_of(dir, "values.csv"), (Columns{"track", "session", "state", "v_td", "v_mb"}));
  EXPECT_EQ(round4(s["session_0_slopes"]["1"].get<double>()), 0.0221);
  EXPECT_EQ(round4(s["session_0_slopes"]["2"].get<double>()), 0.0442);
  ASSERT_EQ(s["slopes_by_reward"]["1"].size(), 18u);
  // Faded before the swap, flipped by it: reward 1 is now the over-learned track.
  EXPECT_LT(std::abs(s["pre_swap_slopes"]["1"].get<double>()), 0.01 * 0.0221);
  EXPECT_LT(s["swap_slopes"]["1"].get<double>(), -0.01);
  EXPECT_GT(s["swap_slopes"]["2"].get<double>(), 0.01);
}

TEST(RampsGuruWheelExperiment, RampPersistsAcrossSessions) {
  ScratchDir dir;
  const nlohmann::json s = run_ready("ramps_guru_wheel", dir);
  EXPECT_EQ(header_of(dir, "traces.csv"), with_trace({"session"}));
  EXPECT_EQ(header_of(dir, "session_rpe.csv"), (Columns{"session", "step", "mean_delta"}));
  EXPECT_EQ(header_of(dir, "slopes.csv"), (Columns{"session", "slope"}));
  EXPECT_EQ(header_of(dir, "values.csv"), (Columns{"session", "state", "v_td"}));
  ASSERT_EQ(s["slopes"].size(), 10u);
  for (const auto& slope : s["slopes"])
    EXPECT_GT(slope.get<double>(), 0.05);
  EXPECT_GT(s["last_session_slope"].get<double>(), 0.5 * s["first_session_slope"].get<double>());
}

TEST(RampsKimDistanceExperiment, TeleportRpeGrowsWithDistanceAndAPauseDips) {
  ScratchDir dir;
  const nlohmann::json s = run_ready("ramps_kim_distance", dir);
  EXPECT_EQ(header_of(dir, "traces.csv"), with_trace({"distance"}));
  EXPECT_EQ(header_of(dir, "probes.csv"),
            (Columns{"distance", "event_step", "event_rpe", "approach_slope"}));
  EXPECT_EQ(rows_of(dir, "probes.csv"), 4u);
  EXPECT_EQ(header_of(dir, "values.csv"), (Columns{"state", "v_td", "v_mb"}));
  const auto& rpe = s["teleport_rpe_by_distance"];
  EXPECT_GT(rpe["1"].get<double>(), 0.0);
  EXPECT_LT(rpe["1"].get<double>(), rpe["2"].get<double>());
  EXPECT_LT(rpe["2"].get<double>(), rpe["10"].get<double>());
  EXPECT_LT(s["pause_rpe"].get<double>(), 0.0);
  EXPECT_GT(s["pause_rpe"].get<double>(), -0.1);  // small
}

TEST(RampsKimLocationExperiment, TeleportRpeIsLargerNearerTheGoal) {
  ScratchDir dir;
  const nlohmann::json s = run_ready("ramps_kim_location", dir);
  EXPECT_EQ(header_of(dir, "traces.csv"), with_trace({"location"}));
  EXPECT_EQ(header_of(dir, "probes.csv"),
            (Columns{"location", "event_step", "event_rpe", "approach_slope"}));
  const auto& rpe = s["teleport_rpe_by_location"];
  EXPECT_GT(rpe["2"].get<double>(), 0.0);
  EXPECT_LT(rpe["2"].get<double>(), rpe["8"].get<double>());
  EXPECT_LT(rpe["8"].get<double>(), rpe["14"].get<double>());
}

TEST(RampsKimSpeedExperiment, FasterMovementSteeperRamp) {
  ScratchDir dir;
  const nlohmann::json s = run_ready("ramps_kim_speed", dir);
  EXPECT_EQ(header_of(dir, "traces.csv"), with_trace({"step_size"}));
  EXPECT_EQ(header_of(dir, "probes.csv"),
            (Columns{"step_size", "event_step", "event_rpe", "approach_slope"}));
  const auto& slope = s["approach_slope_by_step_size"];
  EXPECT_LT(slope["1"].get<double>(), slope["2"].get<double>());
  EXPECT_LT(slope["2"].get<double>(), slope["4"].get<double>());
}

TEST(RampsUncertaintyAssumptionsExperiment, DynamicUncertaintyOverEstimatesValues) {
  ScratchDir dir;
  const nlohmann::json s = run_ready("ramps_uncertainty_assumptions", dir);
  EXPECT_EQ(header_of(dir, "traces.csv"), with_trace({"condition"}));
  EXPECT_EQ(header_of(dir, "values.csv"),
            (Columns{"condition", "state", "value", "true_value", "error"}));
  EXPECT_EQ(rows_of(dir, "values.csv"), 2u * 50u);
  EXPECT_EQ(header_of(dir, "mean_error.csv"), (Columns{"condition", "episode", "mean_error"}));
  EXPECT_LT(std::abs(s["static"]["max_error"].get<double>()), 1e-6);
  EXPECT_GT(s["dynamic"]["max_error"].get<double>(), 0.05);
  EXPECT_GT(s["dynamic"]["mean_error"].get<double>(), 0.0);
}

TEST(RampsMikhaelTrackExperiment, DarknessFlattensTheRampAndRaisesTheRewardRpe) {
  ScratchDir dir;
  const nlohmann::json s = run_ready("ramps_mikhael_track", dir);
  EXPECT_EQ(header_of(dir, "training.csv"), with_trace({}));
  EXPECT_EQ(header_of(dir, "traces.csv"), with_trace({"lighting", "speed", "step_size"}));
  EXPECT_EQ(header_of(dir, "probes.csv"),
            (Columns{"lighting", "speed", "step_size", "approach_slope", "reward_rpe"}));
  EXPECT_EQ(rows_of(dir, "probes.csv"), 4u);
  EXPECT_EQ(header_of(dir, "widths.csv"), (Columns{"state", "bright_sigma", "dark_sigma"}));
  for (const char* speed : {"slow", "fast"}) {
    const auto& bright = s[std::string("bright_") + speed];
    const auto& dark = s[std::string("dark_") + speed];
    EXPECT_LT(dark["approach_slope"].get<double>(), bright["approach_slope"].get<double>())
        << speed;
    EXPECT_GT(dark["reward_rpe"].get<double>(), bright["reward_rpe"].get<double>()) << speed;
  }
}

TEST(RampsKrauszGridExperiment, ARewardRaisesTheRampOnTheNextTrial) {
  ScratchDir dir;
  const nlohmann::json s = run_ready("ramps_krausz_grid", dir);
  EXPECT_EQ(header_of(dir, "traces.csv"),
            with_trace({"trial_type", "start_row", "start_col", "outcome", "previous_outcome"}));
  EXPECT_EQ(header_of(dir, "v_mb.csv"), (Columns{"after", "row", "col", "v_mb"}));
  EXPECT_EQ(rows_of(dir, "v_mb.csv"), 2u * 10u * 10u);
  EXPECT_EQ(s["seed"], 18);  // the description's seed reached the grid
  EXPECT_GT(s["ramp_after_reward"].get<double>(), s["ramp_after_omission"].get<double>());
  EXPECT_GT(s["training_ramp_after_reward"].get<double>(),
            s["training_ramp_after_omission"].get<double>());
}

// The description's seed draws the grid's rewards: another seed, other
// outcomes, the same effect.
TEST(RampsKrauszGridExperiment, TheDescriptionSeedDrawsTheRewards) {
  ScratchDir a, b;
  nlohmann::json doc = ready_file("ramps_krausz_grid");
  nlohmann::json summaries[2];
  for (int i = 0; i < 2; ++i) {
    doc["seed"] = 18 + i;
    networks::Diagnostics diag;
    const ExperimentDescription exp = read_experiment_description(doc, diag);
    ASSERT_TRUE(diag.ok()) << diag.str();
    io::ResultsFolder folder((i == 0 ? a : b).path() / "results");
    summaries[i] = exp.run({folder, exp.seed});
  }
  EXPECT_NE(io::test::read_bytes(a.path() / "results" / "traces.csv"),
            io::test::read_bytes(b.path() / "results" / "traces.csv"));
  EXPECT_GT(summaries[1]["ramp_after_reward"].get<double>(),
            summaries[1]["ramp_after_omission"].get<double>());
}

TEST(RampsParamsExperiment, AMisspeltParameterIsReportedWithItsPointerAndAHint) {
  nlohmann::json doc = ready_file("ramps_guru_track");
  doc["experiment"]["params"]["episodes_per_sesion"] = 10;
  networks::Diagnostics diag;
  const ExperimentDescription exp = read_experiment_description(doc, diag);
  ASSERT_EQ(diag.items().size(), 1u) << diag.str();
  EXPECT_EQ(diag.items()[0].pointer, "/experiment/params/episodes_per_sesion");
  EXPECT_TRUE(
      io::test::contains(diag.items()[0].message, "did you mean \"episodes_per_session\"?"));
}

TEST(RampsParamsExperiment, BadValuesAreRefusedBeforeAnythingRuns) {
  // A list of whole numbers holding a fraction, at its own pointer.
  nlohmann::json kim = ready_file("ramps_kim_distance");
  kim["experiment"]["params"]["distances"] = {0, 1.5};
  networks::Diagnostics diag;
  read_experiment_description(kim, diag);
  ASSERT_EQ(diag.items().size(), 1u) << diag.str();
  EXPECT_EQ(diag.items()[0].pointer, "/experiment/params/distances");
  EXPECT_TRUE(io::test::contains(diag.items()[0].message, "whole numbers"));

  // A teleport that would start off the track: the driver's check, at configure time.
  kim["experiment"]["params"]["distances"] = {0, 30};
  networks::Diagnostics range;
  read_experiment_description(kim, range);
  ASSERT_EQ(range.items().size(), 1u) << range.str();
  EXPECT_EQ(range.items()[0].pointer, "/experiment/params");
  EXPECT_TRUE(io::test::contains(range.items()[0].message, "KimDistanceConfig.distances[] = 30"));

  // A grid cell that is not [row, col].
  nlohmann::json grid = ready_file("ramps_krausz_grid");
  grid["experiment"]["params"]["goal"] = {0};
  networks::Diagnostics cell;
  read_experiment_description(grid, cell);
  ASSERT_FALSE(cell.ok());
  EXPECT_EQ(cell.items()[0].pointer, "/experiment/params/goal");
}

// `bgsim validate` on every ready file of the family: its kind is the file's
// name and it reads without a diagnostic.
TEST(RampsReadyFilesExperiment, EveryFileNamesItsKindAndReadsCleanly) {
  for (const char* kind :
       {"ramps_demo", "ramps_compare_architectures", "ramps_guru_track", "ramps_guru_wheel",
        "ramps_kim_distance", "ramps_kim_location", "ramps_kim_speed",
        "ramps_uncertainty_assumptions", "ramps_mikhael_track", "ramps_krausz_grid"}) {
    const nlohmann::json doc = ready_file(kind);
    EXPECT_EQ(doc["experiment"]["kind"], kind);
    networks::Diagnostics diag;
    const ExperimentDescription exp = read_experiment_description(doc, diag);
    EXPECT_TRUE(diag.ok()) << kind << ": " << diag.str();
    EXPECT_TRUE(static_cast<bool>(exp.run)) << kind;
  }
}

}  // namespace
}  // namespace bgsim::tasks
