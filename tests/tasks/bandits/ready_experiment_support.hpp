#pragma once
// Running a ready experiment file of tasks/experiments/ as `bgsim run` does
// (read the description, open a results folder, run, keep the summary), for
// the tests of the bandit and addiction experiments.

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/io/results_folder.hpp"
#include "networks/diagnostics.hpp"
#include "tasks/experiment.hpp"

namespace bgsim::tasks::test {

// The ready description tasks/experiments/<kind>.json of the source tree.
inline nlohmann::json ready_description(const std::string& kind) {
  const std::filesystem::path file =
      std::filesystem::path(BGSIM_SOURCE_DIR) / "tasks" / "experiments" / (kind + ".json");
  std::ifstream in(file);
  if (!in) throw std::runtime_error("cannot open " + file.string());
  return nlohmann::json::parse(in);
}

// A fresh folder for one run, removed with its contents at the end of the test.
class ScratchFolder {
 public:
  ScratchFolder() {
    static std::atomic<int> counter{0};
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = "bgsim-experiment-" + std::to_string(::getpid()) + "-" +
                       std::to_string(counter.fetch_add(1));
    if (info) name += std::string("-") + info->name();
    path_ = std::filesystem::temp_directory_path() / name;
    std::filesystem::remove_all(path_);
  }
  ~ScratchFolder() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ScratchFolder(const ScratchFolder&) = delete;
  ScratchFolder& operator=(const ScratchFolder&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

// Reads `doc` as `bgsim run` does (as a file of tasks/experiments/, so that
// relative network paths resolve) and runs it into `dir`; returns the summary
// that goes into the manifest. Throws (failing the test) if the description
// has problems.
inline nlohmann::json run_description(const nlohmann::json& doc, const std::filesystem::path& dir,
                                      int threads = 1) {
  networks::Diagnostics diag;
  ExperimentDescription exp = read_experiment_description(
      doc, diag, std::filesystem::path(BGSIM_SOURCE_DIR) / "tasks" / "experiments");
  if (!diag.ok()) throw std::runtime_error("description refused:\n" + diag.str());
  io::ResultsFolder folder(dir);
  return exp.run({folder, exp.seed, threads});
}

// The header row of a CSV file, split at commas (the tables here quote nothing).
inline std::vector<std::string> csv_header(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::string line;
  std::getline(in, line);
  std::vector<std::string> columns;
  std::stringstream fields(line);
  for (std::string field; std::getline(fields, field, ',');)
    columns.push_back(field);
  return columns;
}

// Data rows of a CSV file (lines after the header).
inline std::size_t csv_rows(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::size_t lines = 0;
  for (std::string line; std::getline(in, line);)
    ++lines;
  return lines == 0 ? 0 : lines - 1;
}

}  // namespace bgsim::tasks::test
