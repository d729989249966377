#pragma once
// Tasks named in an experiment file: {"type": "bandit", "params": {...}}.
// Every field of the task's own parameter struct may be given; absent ones
// keep their defaults; mistakes are reported with their JSON pointer.
//
//   bandit        tasks/environments/bandit.hpp (BanditParams)
//   conditioning  tasks/environments/conditioning.hpp, one trial type: a cue on channel 0
//                 and a reward after it (omission probes, uncued rewards)
//   track         tasks/environments/track.hpp (TrackParams): positions as states
//   probabilistic_selection  tasks/environments/probabilistic_selection.hpp: stimuli
//                 A–F as channels 0–5 and as actions, the pair shown as the state;
//                 fixed training blocks by default (use_criterion false)

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "networks/json_reader.hpp"
#include "tasks/task.hpp"

namespace bgsim::tasks::loop {

struct TaskFactory {
  std::string type;
  nlohmann::json params;  // resolved: every parameter, defaults filled in
  int num_stimuli = 0;    // stimulus channels the task switches on and off
  int num_states = 0;     // discrete states (0: none to encode)
  int num_actions = 1;
  std::function<std::unique_ptr<Task>(std::uint64_t seed)> make;  // empty after errors
};

// Reads the "task" object; problems go to the reader's diagnostics.
TaskFactory read_task(networks::ObjectReader& task);

}  // namespace bgsim::tasks::loop
