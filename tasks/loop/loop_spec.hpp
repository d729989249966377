#pragma once
// Reading the learner of a closed-loop experiment (docs/closed_loop.md):
//
//   "learner": {"network": "../../networks/library/bandit_actor_critic.json",
//               "timing":   {"step_ms": 200, "outcome_ms": 300, "iti_ms": 500,
//                            "reward_delay_ms": 0},
//               "encoding": [{"stimuli": [0, 1],
//                             "inputs": [{"target": "cue", "value": 40, "duration_ms": 200}]}],
//               "decoding": {"rule": "most_spikes", "populations": ["action_0", "action_1"],
//                            "window_ms": [0, 200]},
//               "reward":   [{"population": "us", "gain": 200, "duration_ms": 50}],
//               "monitor":  {"population": "snc", "volume": "da"}}
//   "learner": {"agent": "q_learning", "params": {"alpha": 0.1, "beta": 5}}
//   "learner": {"agent": "opal", "params": {"alpha_critic": 0.1, "alpha_go": 0.1,
//                                          "alpha_nogo": 0.1, "beta": 1, "rho": 0.5}}
//   "learner": {"agent": "td_lambda", "params": {"alpha": 0.1, "gamma": 0.98, "lambda": 0.9}}
//   "learner": {"agent": "distributional_td", "params": {"n_predictors": 40}}
//
// Every name is checked against the network (and every observation against
// the task) before anything runs; all problems are reported at once, each
// with its JSON pointer and, for a name, the nearest valid one.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "models/agents/opal.hpp"
#include "models/agents/q_learning.hpp"
#include "networks/description.hpp"
#include "networks/json_reader.hpp"
#include "tasks/loop/spiking_learner.hpp"
#include "tasks/loop/task_factory.hpp"
#include "tasks/pavlovian/td_agent_spec.hpp"

namespace bgsim::tasks::loop {

struct LearnerSpec {
  // A spiking learner: the network and how it plays.
  std::optional<networks::NetworkSpec> network;
  std::string network_file;  // as given ("" when inline)
  SpikingLoopSpec loop;
  // An agent learner: Q-learning (any task), or OpAL (the probabilistic
  // selection task: it chooses among the stimuli a trial offers).
  std::optional<agents::QLearningParams> q_learning;
  std::optional<agents::OpalParams> opal;
  // A Pavlovian agent (the conditioning task): TD(λ) or distributional TD on
  // the stimuli (tasks/pavlovian/td_controllers.hpp), its representation
  // sized to the task's channels and steps per trial.
  std::optional<pavlovian::TdAgentSpec> td_agent;
  nlohmann::json resolved;  // for the manifest
};

// Reads the "learner" object for `task`; problems go to the reader's
// diagnostics. `directory` resolves a relative network path.
LearnerSpec read_learner(networks::ObjectReader& learner, const TaskFactory& task,
                         const std::filesystem::path& directory);

// The controller of an agent learner (q_learning, opal, td_lambda,
// distributional_td), its random stream derived from the experiment's `seed`
// (stream 1). A spiking learner is not made here: it needs its simulator.
std::unique_ptr<Controller> make_agent(const LearnerSpec& learner, std::uint64_t seed);

}  // namespace bgsim::tasks::loop
