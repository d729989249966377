#pragma once
// What `bgsim sweep FILE` runs: one description, many seeds and parameter
// values (docs/sweeps.md).
//
//   {"sweep": {
//      "description": "../tasks/experiments/selection_gonogo_compare.json",
//      "seeds": {"from": 1, "to": 20},                     (or a list: [1, 2, 5])
//      "grid": {"/experiment/params/alpha": [0.1, 0.3]}}}   (or "points": [{...}, ...])
//
// Every point of the grid (the product of its lists, pointers in the order
// written) or of "points" (each an object of pointer -> value) is run with
// every seed: the runs are the points × the seeds, the seed varying fastest.
// Each run is `bgsim run DESCRIPTION --seed S --set POINTER=VALUE ...`.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "networks/diagnostics.hpp"
#include "networks/json_reader.hpp"

namespace bgsim::cli {

struct SweepRun {
  std::string name;  // "run_0007": its folder and log
  std::optional<std::uint64_t> seed;  // none: the description's own
  std::vector<std::pair<std::string, networks::json>> values;  // pointer -> value

  // The --set arguments of the run.
  std::vector<std::string> sets() const;
};

struct SweepPlan {
  std::filesystem::path description;  // resolved against the sweep file's folder
  std::vector<std::string> pointers;  // the parameters varied, in order
  std::vector<SweepRun> runs;
};

// Reads a sweep file; problems go to `diag` with their pointers. A sweep of
// more than 100 000 runs is refused (a typo in a range, not a plan).
std::optional<SweepPlan> read_sweep(const std::filesystem::path& file, networks::Diagnostics& diag);

}  // namespace bgsim::cli
