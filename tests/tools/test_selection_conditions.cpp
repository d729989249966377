// tools/selection_conditions.py end to end with the bgsim binary: one seed of
// two conditions (four learners' sessions in two `bgsim compare` runs), the
// per-run table against each run's manifest, the summary table, the paired
// table, the figure, and a second call that reads the runs on disk instead
// of running them.
// Needs /usr/bin/python3 with numpy, scipy and matplotlib (tools/setup.sh).

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "tests/core/io/io_test_support.hpp"

namespace bgsim {
namespace {

namespace fs = std::filesystem;

std::vector<std::vector<std::string>> read_csv(const fs::path& path) {
  std::ifstream in(path);
  std::vector<std::vector<std::string>> rows;
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> cells;
    std::stringstream ss(line);
    for (std::string cell; std::getline(ss, cell, ',');)
      cells.push_back(cell);
    rows.push_back(cells);
  }
  return rows;
}

TEST(SelectionConditions, RunsBothLearnersPerConditionAndDrawsThemSideBySide) {
  ASSERT_TRUE(io::test::python_stack_available());
  io::test::ScratchDir dir;
  const fs::path out = dir.path() / "sel";
  const std::string command =
      std::string(io::test::python) + " " +
      io::test::shell_quote(std::string(BGSIM_SOURCE_DIR) + "/tools/selection_conditions.py") +
      " --seeds 1 --first 3 --jobs 2 --out " + io::test::shell_quote(out.string()) + " --bgsim " +
      io::test::shell_quote((fs::path(BGSIM_BINARY_DIR) / "tools" / "bgsim").string()) +
      " intact depleted";
  const auto first = io::test::run_command(command);
  ASSERT_EQ(first.exit_code, 0) << first.output;

  const auto rows = read_csv(out / "selection_conditions.csv");
  ASSERT_EQ(rows.size(), 5u);  // header + 2 conditions × 2 learners
  EXPECT_EQ(rows[0], (std::vector<std::string>{"condition", "seed", "learner", "ab_last_block",
                                               "choose_a", "avoid_b", "choose_a_minus_avoid_b"}));
  for (std::size_t i = 1; i < rows.size(); ++i) {
    const auto& r = rows[i];
    ASSERT_EQ(r.size(), 7u);
    EXPECT_EQ(r[1], "3");
    std::ifstream m(out / r[0] / "seed_3" / "manifest.json");
    const auto manifest = nlohmann::json::parse(m);
    const auto& sel = manifest["summary"][r[2]]["selection"];
    EXPECT_DOUBLE_EQ(std::stod(r[4]), sel["choose_a"].get<double>()) << r[0] << " " << r[2];
    EXPECT_DOUBLE_EQ(std::stod(r[5]), sel["avoid_b"].get<double>()) << r[0] << " " << r[2];
    EXPECT_NEAR(std::stod(r[6]), std::stod(r[4]) - std::stod(r[5]), 1e-12);
  }
  // OpAL at the matching rho: 0 intact, -0.7 depleted (the relative change
  // of the tonic level), as the comparison files state.
  std::ifstream m(out / "depleted" / "seed_3" / "manifest.json");
  const auto manifest = nlohmann::json::parse(m);
  EXPECT_NEAR(
      manifest["description"]["experiment"]["params"]["agents"][0]["params"]["rho"].get<double>(),
      -0.7, 1e-6);

  const auto summary = read_csv(out / "selection_conditions_summary.csv");
  EXPECT_EQ(summary.size(), 5u);
  EXPECT_GT(fs::file_size(out / "selection_conditions.png"), 10000u);

  // Depleted minus intact, seed by seed, per learner: with one seed, the
  // difference of the two runs' rows, its interval undefined.
  const auto paired = read_csv(out / "selection_conditions_paired.csv");
  ASSERT_EQ(paired.size(), 3u);  // header + depleted × 2 learners
  ASSERT_EQ(paired[0].size(), 15u);
  EXPECT_EQ(paired[0][11], "choose_a_minus_avoid_b");
  for (std::size_t i = 1; i < paired.size(); ++i) {
    const auto& p = paired[i];
    EXPECT_EQ(p[0], "depleted");
    const auto row_of = [&](const std::string& cond) {
      for (const auto& r : rows)
        if (r[0] == cond && r[2] == p[1]) return r;
      return std::vector<std::string>{};
    };
    const auto dep = row_of("depleted"), intact = row_of("intact");
    ASSERT_EQ(dep.size(), 7u);
    ASSERT_EQ(intact.size(), 7u);
    EXPECT_NEAR(std::stod(p[11]), std::stod(dep[6]) - std::stod(intact[6]), 1e-12) << p[1];
    EXPECT_EQ(p[14], std::stod(dep[6]) < std::stod(intact[6]) ? "1" : "0") << p[1];
  }

  // Again: nothing is run (the manifests are read), the tables are the same.
  const auto before = fs::last_write_time(out / "intact" / "seed_3" / "manifest.json");
  const auto second = io::test::run_command(command);
  ASSERT_EQ(second.exit_code, 0) << second.output;
  EXPECT_EQ(fs::last_write_time(out / "intact" / "seed_3" / "manifest.json"), before);
  EXPECT_EQ(read_csv(out / "selection_conditions.csv"), rows);
}

}  // namespace
}  // namespace bgsim
