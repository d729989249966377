#pragma once
// A TD agent that learns the values of a conditioning task's stimuli: linear
// TD(λ) or distributional TD over a stimulus representation. The one reader
// of its "params", shared by the comparison (tasks/compare/, which runs it
// directly on the trials) and the closed loop (tasks/loop/, which steps it
// as a Controller: tasks/pavlovian/td_controllers.hpp).
//
//   {"agent": "td_lambda", "params": {"alpha": 0.1, "gamma": 0.98, "lambda": 0.9,
//                                     "initial_weight": 0,
//                                     "representation": "complete_serial_compound"}}
//   {"agent": "distributional_td", "params": {"n_predictors": 40, ...,
//                                             "representation": "microstimulus"}}
//
// The distributional keys and the representation keys are those of
// tasks/distributional/readers.hpp.

#include <string>

#include <nlohmann/json.hpp>

#include "models/agents/distributional_td.hpp"
#include "models/agents/td_lambda.hpp"
#include "networks/json_reader.hpp"
#include "tasks/representations/stimulus_representation.hpp"

namespace bgsim::tasks::pavlovian {

struct TdAgentSpec {
  enum class Kind { td_lambda, distributional_td };
  Kind kind = Kind::td_lambda;
  agents::TdLambdaParams td;                      // td_lambda (n_features: set from the code)
  agents::DistributionalTdParams distributional;  // distributional_td (seed: set by the runner)
  RepresentationParams representation;            // n_channels, n_steps: set from the task
};

// The agent names this reader knows, for messages.
inline bool is_td_agent(const std::string& type) {
  return type == "td_lambda" || type == "distributional_td";
}

// Reads the "params" object (`params`, null when absent) of agent `type`
// ("td_lambda" or "distributional_td") on a conditioning task whose step is
// `dt_s` [s]. Problems go to `r`'s diagnostics at "<r>/params/<key>"; an
// unknown type is reported at "<r>/agent". Returns every parameter resolved
// (defaults filled in), for a manifest.
nlohmann::json read_td_agent(TdAgentSpec& a, const std::string& type, networks::ObjectReader& r,
                             const nlohmann::json* params, double dt_s);

}  // namespace bgsim::tasks::pavlovian
