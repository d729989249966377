#pragma once
// Overrides of single fields of a loaded description, as `bgsim run … --set
// POINTER=VALUE` gives them: a run (or each run of a sweep) changes one
// number without editing a copy of the file.
//
//   --set /populations/exc/size=2000
//   --set /experiment/params/episodes=500
//   --set '/projections/0/synapse/weight=[1, 2]'
//   --set /populations/exc/preset=fast_spiking      (not JSON: taken as a string)
//
// POINTER is a JSON pointer (RFC 6901) into the description as loaded, its
// includes merged; VALUE is JSON, or else a string. A pointer names an
// existing field, or a new key of an existing object (a parameter left to
// its default); anything else is refused at the override, with the pointer.
// The description is then read as usual, so a value of the wrong kind is
// reported where it lands, with its pointer.

#include <string>
#include <vector>

#include "networks/diagnostics.hpp"
#include "networks/json_reader.hpp"

namespace bgsim::networks {

struct Override {
  std::string pointer;  // "/populations/exc/size"
  json value;
};

// Splits "POINTER=VALUE" (at the first '=' after the pointer's start); problems
// go to `diag` at pointer "" with the text quoted.
std::vector<Override> parse_overrides(const std::vector<std::string>& texts, Diagnostics& diag);

// Applies each override in order; problems go to `diag` at the override's
// pointer.
void apply_overrides(json& document, const std::vector<Override>& overrides, Diagnostics& diag);

}  // namespace bgsim::networks
