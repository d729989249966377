#pragma once
// An experiment run into its results folder, with its manifest: what `bgsim
// run FILE` does for an experiment (run_command.cpp) and what `import
// bgsim`'s run_experiment does (python/src/experiments.cpp), written once so
// that the two write the same folder.
//
// The manifest: bgsim_version, description_file, description (resolved),
// experiment (its kind), seed, overrides (when any), summary (the run's
// numbers), status (complete, interrupted, failed; error when failed),
// wall_time_s and files (the data files written, sorted).

#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/io/results_folder.hpp"
#include "tasks/experiment.hpp"

namespace bgsim::cli {

struct ExperimentRunInfo {
  std::string description_file;        // as the manifest names it (the file's name)
  std::vector<std::string> overrides;  // --set POINTER=VALUE, in order
};

// What the caller does around the run.
struct ExperimentRunHooks {
  std::function<bool()> stopped = nullptr;  // after the run: was it stopped early ("interrupted")?
  std::function<void()> after_run = nullptr;  // when the run returned normally (the CLI ends its
                                              // progress line); may be empty
  std::function<void()> run_over = nullptr;   // when the run is over, failed or not, before the
                                              // manifest is finished (the CLI gives the signals
                                              // back); may be empty
};

// Runs `exp` with `cx` (whose folder is `folder`), catching a failure into
// the manifest ("status": "failed", "error"), and writes the manifest into
// the folder. Returns the manifest.
nlohmann::json run_experiment_into(const tasks::ExperimentDescription& exp,
                                   const io::ResultsFolder& folder,
                                   const tasks::ExperimentContext& cx,
                                   const ExperimentRunInfo& info, const ExperimentRunHooks& hooks);

}  // namespace bgsim::cli
