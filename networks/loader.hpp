#pragma once
// Loading a description file: JSON parsing with line and column for syntax
// errors, and `include` — a list of files (paths relative to the including
// file) whose populations, projections, stimuli and recorders are merged in
// before the including file's own. Scalars (resolution_ms, seed, duration_ms)
// of the including file win over those of included ones. Include cycles,
// unreadable files and a population defined twice are errors.

#include <filesystem>
#include <map>
#include <string>

#include "networks/description.hpp"
#include "networks/diagnostics.hpp"
#include "networks/json_reader.hpp"

namespace bgsim::networks {

struct LoadedDescription {
  json document;                              // includes merged
  std::map<std::string, std::string> origin;  // "/populations/x" etc. -> file it came from
};

// Problems go to `diag`; the document is meaningful only if diag.ok().
LoadedDescription load_description(const std::filesystem::path& file, Diagnostics& diag);

// Parses JSON text; a syntax error is reported as "<name>:<line>:<column>: ...".
std::optional<json> parse_json(const std::string& text, const std::string& name, Diagnostics& diag);

// Reads, validates and resolves a file in one call; throws DescriptionError
// listing every problem.
NetworkSpec read_network_file(const std::filesystem::path& file);

}  // namespace bgsim::networks
