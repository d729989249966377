#include "tools/cli/experiment_run.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <new>

#include "core/printable.hpp"

namespace bgsim::cli {

nlohmann::json run_experiment_into(const tasks::ExperimentDescription& exp,
                                   const io::ResultsFolder& folder,
                                   const tasks::ExperimentContext& cx,
                                   const ExperimentRunInfo& info, const ExperimentRunHooks& hooks) {
  namespace fs = std::filesystem;
  nlohmann::json manifest;
  manifest["bgsim_version"] = BGSIM_VERSION;
  manifest["description_file"] = info.description_file;
  manifest["description"] = exp.resolved;
  manifest["experiment"] = exp.kind;
  manifest["seed"] = exp.seed;
  if (!info.overrides.empty()) manifest["overrides"] = info.overrides;
  const auto t0 = std::chrono::steady_clock::now();
  try {
    manifest["summary"] = exp.run(cx);
    if (hooks.after_run) hooks.after_run();
    // A run over MPI ranks says when another rank's stop ended it.
    const bool stopped =
        (hooks.stopped && hooks.stopped()) ||
        (manifest["summary"].is_object() && manifest["summary"].value("stopped", false));
    manifest["status"] = stopped ? "interrupted" : "complete";
  } catch (const std::bad_alloc&) {
    manifest["status"] = "failed";
    manifest["error"] =
        "ran out of memory: a size or a count among the parameters is too large for this machine";
  } catch (const std::exception& e) {
    manifest["status"] = "failed";
    manifest["error"] = printable(e.what());
  }
  if (hooks.run_over) hooks.run_over();
  manifest["wall_time_s"] =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  // Every data file the run left; hidden ones are unfinished temporaries.
  nlohmann::json files = nlohmann::json::array();
  for (const auto& entry : fs::directory_iterator(folder.dir()))
    if (entry.is_regular_file() && entry.path().filename() != io::ResultsFolder::manifest_name &&
        entry.path().filename().string()[0] != '.')
      files.push_back(entry.path().filename().string());
  std::sort(files.begin(), files.end());
  manifest["files"] = files;
  folder.write_manifest(manifest);
  return manifest;
}

}  // namespace bgsim::cli
