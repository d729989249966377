// `bgsim sweep` (issue 15, "Sweeps", local processes): a grid of parameter
// values times a list of seeds, each run a normal results folder identical to
// the `bgsim run --seed --set` it stands for, one summary table; a run that
// fails is reported and the others go on; Ctrl-C stops the sweep and its
// runs; a bad sweep file runs nothing. Also `bgsim run --set`.

#include <signal.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/tools/cli_harness.hpp"

namespace {

namespace fs = std::filesystem;
using bgsim::test_support::CliResult;
using bgsim::test_support::slurp;
using bgsim::test_support::source_dir;

bool has(const std::string& text, const std::string& words) {
  return text.find(words) != std::string::npos;
}

std::vector<std::vector<std::string>> csv_rows(const fs::path& file) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(slurp(file));
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> cells;
    std::istringstream l(line);
    for (std::string cell; std::getline(l, cell, ',');)
      cells.push_back(cell);
    rows.push_back(cells);
  }
  return rows;
}

class Sweep : public bgsim::test_support::CliTest {};

TEST_F(Sweep, AGridTimesSeedsGivesTheRunsItStandsForAndOneTable) {
  const fs::path experiment = source_dir / "tasks/experiments/bandit_two_armed.json";
  const fs::path file = write("bandit.json", R"({"sweep": {
    "description": ")" + experiment.string() + R"(",
    "seeds": {"from": 1, "to": 3},
    "grid": {"/experiment/params/alpha": [0.1, 0.5], "/experiment/params/num_trials": [150]}}})");
  const fs::path out = dir / "sweep";
  const CliResult r = run({"sweep", file.string(), "--out", out.string(), "--jobs", "2"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(has(r.out, "6 of 6 runs complete, 0 failed")) << r.out;

  const auto rows = csv_rows(out / "sweep.csv");
  ASSERT_EQ(rows.size(), 7u);
  const std::vector<std::string> head(rows[0].begin(), rows[0].begin() + 7);
  EXPECT_EQ(head, (std::vector<std::string>{"run", "seed", "/experiment/params/alpha",
                                            "/experiment/params/num_trials", "status", "exit_code",
                                            "wall_s"}));
  EXPECT_TRUE(std::find(rows[0].begin(), rows[0].end(), "reward_rate") != rows[0].end())
      << "the experiment's summary numbers are columns";
  // The seed varies fastest, then the grid in the order written.
  for (int i = 0; i < 6; ++i) {
    EXPECT_EQ(rows[i + 1][1], std::to_string(i % 3 + 1));
    EXPECT_EQ(rows[i + 1][2], i < 3 ? "0.1" : "0.5");
    EXPECT_EQ(rows[i + 1][4], "complete");
  }
  const auto manifest = nlohmann::json::parse(slurp(out / "manifest.json"));
  EXPECT_EQ(manifest["status"], "complete");
  EXPECT_EQ(manifest["runs"], 6);

  // run_0004 is seed 2 at alpha 0.5: the same files as that run by hand.
  const fs::path by_hand = dir / "by_hand";
  ASSERT_EQ(
      run({"run", experiment.string(), "--out", by_hand.string(), "--seed", "2", "--set",
           "/experiment/params/alpha=0.5", "--set", "/experiment/params/num_trials=150", "--quiet"})
          .status,
      0);
  int compared = 0;
  for (const auto& e : fs::directory_iterator(by_hand)) {
    const std::string name = e.path().filename().string();
    if (name == "manifest.json") continue;
    EXPECT_EQ(slurp(e.path()), slurp(out / "run_0004" / name)) << name;
    ++compared;
  }
  EXPECT_GT(compared, 0);
  const auto m = nlohmann::json::parse(slurp(out / "run_0004" / "manifest.json"));
  EXPECT_EQ(m["seed"], 2);
  EXPECT_EQ(m["overrides"], nlohmann::json::array({"/experiment/params/alpha=0.5",
                                                   "/experiment/params/num_trials=150"}));
}

TEST_F(Sweep, ARunThatFailsIsReportedAndTheOthersGoOn) {
  const fs::path network = source_dir / "networks/library/brunel2000_small.json";
  // The middle point bounds the excitatory rate below what the network fires:
  // its numerical guard stops it.
  const fs::path file = write("points.json", R"({"sweep": {
    "description": ")" + network.string() + R"(",
    "points": [{"/duration_ms": 300}, {"/duration_ms": 300, "/populations/exc/max_rate_Hz": 0.5},
               {"/duration_ms": 200}]}})");
  const fs::path out = dir / "sweep";
  const CliResult r = run({"sweep", file.string(), "--out", out.string(), "--jobs", "2"});
  EXPECT_EQ(r.status, 2) << r.err;
  const auto rows = csv_rows(out / "sweep.csv");
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0][2], "/duration_ms");
  EXPECT_EQ(rows[0][3], "/populations/exc/max_rate_Hz");
  EXPECT_EQ(rows[1][4], "complete");
  EXPECT_EQ(rows[2][4], "failed");
  EXPECT_EQ(rows[2][5], "2");
  EXPECT_EQ(rows[3][4], "complete");
  EXPECT_TRUE(has(slurp(out / "run_0001.log"), "max_rate_Hz")) << slurp(out / "run_0001.log");
  EXPECT_EQ(nlohmann::json::parse(slurp(out / "manifest.json"))["status"], "failed");
  EXPECT_TRUE(has(r.err,
                  "run_0001 (its seed, /duration_ms = 300, /populations/exc/max_rate_Hz = "
                  "0.5) failed (exit 2)"))
      << r.err;
}

TEST_F(Sweep, CtrlCStopsTheSweepAndItsRuns) {
  const fs::path network = source_dir / "networks/library/brunel2000_small.json";
  const fs::path file = write("long.json", R"({"sweep": {
    "description": ")" + network.string() + R"(", "seeds": [1, 2, 3],
    "grid": {"/duration_ms": [1000000]}}})");
  const fs::path out = dir / "sweep";
  const pid_t pid = start({"sweep", file.string(), "--out", out.string(), "--quiet"});
  bgsim::test_support::wait_until_running(out / "run_0000", std::chrono::milliseconds(500));
  ::kill(pid, SIGINT);
  const CliResult r = finish(pid);
  EXPECT_EQ(r.status, 130) << r.err;
  const auto manifest = nlohmann::json::parse(slurp(out / "manifest.json"));
  EXPECT_EQ(manifest["status"], "interrupted");
  const auto rows = csv_rows(out / "sweep.csv");
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[1][3], "interrupted");
  EXPECT_EQ(rows[2][3], "not run");
  EXPECT_EQ(nlohmann::json::parse(slurp(out / "run_0000" / "manifest.json"))["status"],
            "interrupted");
}

TEST_F(Sweep, ABadSweepOrARunThatCannotReadRunsNothing) {
  const fs::path network = source_dir / "networks/library/brunel2000_small.json";
  const auto refused = [&](const std::string& text, const std::string& message) {
    const fs::path file = write("bad.json", text);
    const CliResult r = run({"sweep", file.string(), "--out", (dir / "bad").string()});
    EXPECT_EQ(r.status, 1) << text;
    EXPECT_TRUE(has(r.err, message)) << "expected: " << message << "\ngot: " << r.err;
    EXPECT_FALSE(fs::exists(dir / "bad")) << text;
  };
  const std::string d = R"("description": ")" + network.string() + R"(")";
  refused(R"({"sweep": {"seeds": [1]}})", "/sweep: missing \"description\"");
  refused(R"({"sweep": {)" + d + R"(, "seeds": {"from": 5, "to": 1}}})", "'to' must be >= 'from'");
  refused(R"({"sweep": {)" + d + R"(, "grid": {"populations/exc/size": [1]}}})",
          "a key of the grid is a JSON pointer");
  refused(R"({"sweep": {)" + d + R"(, "grid": {"/populations/exc/size": []}}})",
          "a non-empty list");
  refused(R"({"sweep": {)" + d + R"(, "grid": {"/populations/nope/size": [1]}}})",
          "--set: the description has no field \"/populations/nope/size\"");
  refused(R"({"sweep": {)" + d + R"(, "grid": {"/populations/exc/size": [-5]}}})",
          "/populations/exc/size");
  refused(R"({"sweep": {)" + d + R"(, "seedz": [1]}})", "unknown key");
}

// --set, alone: a field changed without editing a copy; a pointer that names
// nothing, or a value of the wrong kind, is refused at its pointer.
TEST_F(Sweep, SetChangesOneFieldOrIsRefusedAtItsPointer) {
  const fs::path network = source_dir / "networks/library/brunel2000_small.json";
  const fs::path out = dir / "set";
  const CliResult r = run({"run", network.string(), "--out", out.string(), "--duration-ms", "10",
                           "--set", "/populations/exc/size=400", "--quiet"});
  ASSERT_EQ(r.status, 0) << r.err;
  const auto m = nlohmann::json::parse(slurp(out / "manifest.json"));
  EXPECT_EQ(m["description"]["populations"]["exc"]["size"], 400);
  EXPECT_EQ(m["overrides"], nlohmann::json::array({"/populations/exc/size=400"}));

  const CliResult nothing = run({"run", network.string(), "--out", (dir / "x").string(), "--set",
                                 "/populations/exc/sise/deep=1"});
  EXPECT_EQ(nothing.status, 1);
  EXPECT_TRUE(has(nothing.err, "/populations/exc/sise/deep: --set: the description has no field"))
      << nothing.err;
  const CliResult wrong = run({"run", network.string(), "--out", (dir / "y").string(), "--set",
                               "/populations/exc/size=many"});
  EXPECT_EQ(wrong.status, 1);
  EXPECT_TRUE(has(wrong.err, "/populations/exc/size")) << wrong.err;
  const CliResult malformed =
      run({"run", network.string(), "--out", (dir / "z").string(), "--set", "size=3"});
  EXPECT_EQ(malformed.status, 1);
  EXPECT_TRUE(has(malformed.err, "expected POINTER=VALUE")) << malformed.err;
  EXPECT_FALSE(fs::exists(dir / "x") || fs::exists(dir / "y") || fs::exists(dir / "z"));
}

}  // namespace
