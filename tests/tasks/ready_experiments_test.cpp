// Every ready experiment of tasks/experiments/ reads without a diagnostic, as
// `bgsim validate` reads it (relative network paths from its own folder).

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "networks/diagnostics.hpp"
#include "tasks/experiment.hpp"

namespace bgsim::tasks {
namespace {

TEST(ReadyExperiments, EveryFileReadsCleanly) {
  const std::filesystem::path folder =
      std::filesystem::path(BGSIM_SOURCE_DIR) / "tasks" / "experiments";
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    if (entry.path().extension() != ".json") continue;
    std::ifstream in(entry.path());
    const nlohmann::json doc = nlohmann::json::parse(in);
    networks::Diagnostics diag;
    const ExperimentDescription exp = read_experiment_description(doc, diag, folder);
    EXPECT_TRUE(diag.ok()) << entry.path().filename() << ":\n" << diag.str();
    EXPECT_FALSE(exp.kind.empty()) << entry.path().filename();
    ++files;
  }
  EXPECT_GE(files, 25);
}

}  // namespace
}  // namespace bgsim::tasks
