#pragma once
// Reading a description for Python: the same loader and reader as `bgsim
// validate` and `bgsim run` (networks/loader.hpp, networks/description.hpp,
// tasks/experiment.hpp), so a description means the same and fails with the
// same messages whichever way it comes in. Problems are collected, never
// thrown: the Python side raises bgsim.DescriptionError from them.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "networks/description.hpp"
#include "networks/diagnostics.hpp"
#include "networks/loader.hpp"

namespace bgsim::python {

struct Reading {
  networks::Diagnostics diag;
  std::string label;                          // what `bgsim validate` names: the path as given
  networks::LoadedDescription loaded;         // the document, includes merged
  bool is_experiment = false;                 // {"experiment": ...}: a learner on a task
  std::optional<networks::NetworkSpec> spec;  // a network read without problems
};

// `sets` are overrides as `bgsim run --set` takes them, "POINTER=VALUE"
// (networks/overrides.hpp), applied to the loaded document, includes merged,
// before it is read.

// A description file with its includes (paths relative to the file).
// `label` names it in messages (default: the path); `base` is where an
// experiment's relative paths are resolved (default: the file's folder).
Reading read_file(const std::filesystem::path& file, const std::string& label = "",
                  const std::optional<std::filesystem::path>& base = std::nullopt,
                  const std::vector<std::string>& sets = {});

// JSON text that holds no "include" (the Python side resolves includes by
// writing a file); relative paths in an experiment are resolved in `base`.
Reading read_text(const std::string& text, const std::string& label,
                  const std::filesystem::path& base, const std::vector<std::string>& sets = {});

// The lines `bgsim validate` prints for the problems, then
// "<label>: N problems".
std::string problems_text(const Reading& r);

}  // namespace bgsim::python
