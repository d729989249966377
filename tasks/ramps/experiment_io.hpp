#pragma once
// What the ramp experiments of `bgsim run` share: the tidy trace table and
// the readers for parameters that ExperimentParams has no type for (lists of
// whole numbers, grid cells).
//
// A trace table has one row per learning step of an episode:
//
//   <prefix columns…>, episode, step, state, next_state, reward, value, delta
//
// where the prefix names the condition (agent, track, probe, …), `episode`
// counts the episodes of that condition's agent from 0, `step` counts the
// steps of the episode from 0, `value` is the prediction δ subtracts (before
// the update) and `delta` the reward prediction error; reward, value and delta
// are in reward units. The terminal step (the one taken from the goal) is the
// last row of an episode that reached the goal.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/io/csv.hpp"
#include "tasks/experiment.hpp"
#include "tasks/ramps/episode.hpp"

namespace bgsim::tasks::ramps {

inline const std::vector<std::string> kTraceColumns = {"episode", "step",  "state", "next_state",
                                                       "reward",  "value", "delta"};

// A trace table named `file` in the results folder, with `prefix` columns first.
io::CsvWriter trace_csv(const ExperimentContext& cx, const std::string& file,
                        const std::vector<std::string>& prefix);

// One row per step of `trace`, each starting with the `prefix` cells.
void write_trace(io::CsvWriter& csv, const std::vector<io::CsvCell>& prefix, std::int64_t episode,
                 const EpisodeTrace& trace);

// A condition (reward, distance, …) as a JSON object key: the shortest text
// that reads back as the number ("1", "2.5"), as in the CSV files.
std::string condition_key(double x);

// Reads a list of whole numbers (JSON integers) into `field`. A value that is
// not whole is reported at the key's pointer. Returns the list as JSON, for
// the resolved parameters (ExperimentParams records it as doubles).
nlohmann::json read_whole_numbers(ExperimentParams& p, const std::string& key,
                                  std::vector<int>& field);

}  // namespace bgsim::tasks::ramps
