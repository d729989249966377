#pragma once
// Explicit connections: a projection given as arrays instead of a rule that
// draws them ("rule": "explicit"), e.g. the connections another run saved
// (a "connections" recorder, docs/description.md). One synapse per position:
//
//   source    local index in the source population (whole number)
//   target    local index in the target population (whole number)
//   weight    in the unit of the target receptor      (optional: else the synapse's "weight")
//   delay_ms  ms, rounded to whole steps as every delay (optional: else the synapse's "delay_ms")
//
// given as one of
//   "file.npy"   a record array with fields source, target[, weight][, delay_ms]
//                (what a "connections" recorder writes; np.save of a structured array)
//   "file.csv"   a table with a header row naming those columns
//   {"source": S, "target": T, "weight": W, "delay_ms": D}
//                each a list of numbers or the path of a 1-D .npy array
//                (Python: NumPy arrays or lists in a dict description)
// Relative paths are relative to the description file that names them (the
// loader makes them absolute). Integer and floating-point .npy types are
// read; an index must be a whole number.
//
// Everything is checked against the populations, the resolution and the
// rule's bounds by the description reader, each problem at its JSON pointer.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "networks/diagnostics.hpp"
#include "networks/json_reader.hpp"

namespace bgsim::networks {

struct ConnectionArrays {
  std::vector<std::uint32_t> source, target;
  std::vector<double> weight;    // empty: the synapse's weight
  std::vector<double> delay_ms;  // empty: the synapse's delay
  json given;                    // as the description gave them (paths absolute)

  std::size_t size() const { return source.size(); }
};

// Reads the value of "connections" at `pointer`; problems go to `diag`
// (pointer of the array or file at fault, with the position of a bad entry).
// `n_source`, `n_target`: the populations' sizes (indices must be below).
std::optional<ConnectionArrays> read_connection_arrays(const json& v, const std::string& pointer,
                                                       std::uint64_t n_source,
                                                       std::uint64_t n_target, Diagnostics& diag,
                                                       const std::string& file);

// Makes the file paths of every projection's "connections" in `doc` absolute,
// relative to `directory` (the folder of the file that holds them).
void absolute_connection_paths(json& doc, const std::filesystem::path& directory);

}  // namespace bgsim::networks
