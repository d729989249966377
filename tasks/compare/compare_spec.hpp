#pragma once
// What a comparison of learners is made of (docs/compare.md), read by
// compare_experiment.cpp and run by the comparison of its task:
// conditioning_comparison.cpp (dopamine cells against δ, aligned on the cue)
// or choice_comparison.cpp (bandit, probabilistic selection: choices and
// dopamine at the outcome).

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tasks/compare/signals.hpp"
#include "tasks/experiment.hpp"
#include "tasks/loop/loop_spec.hpp"
#include "tasks/loop/task_factory.hpp"
#include "tasks/pavlovian/td_agent_spec.hpp"

namespace bgsim::tasks::compare {

constexpr std::uint64_t kTaskStream = 0;   // as the closed loop: the same trials
constexpr std::uint64_t kAgentStream = 2;  // predictor draws (+ agent index)

struct AgentSpec {
  std::string name;
  // On the conditioning task: td_lambda or distributional_td, run directly on
  // the trials (agent_runs.hpp).
  pavlovian::TdAgentSpec td;
  // On a choice task: a closed-loop agent (q_learning, opal).
  bool loop_agent = false;
  loop::LearnerSpec learner;
  nlohmann::json resolved;
};

struct CompareSpec {
  std::int64_t trials = 100;
  loop::TaskFactory task;
  loop::LearnerSpec spiking;
  std::vector<AgentSpec> agents;
  double bin_ms = 50.0;
  Window cs{0.0, 200.0};
  Window us{0.0, 200.0};
  Window omission{-50.0, 150.0};
  std::int64_t learned_from = -1;  // -1: the second half of the trials
  int smooth = 10;
};
// Each writes its tables into cx.folder and returns the summary.
nlohmann::json compare_conditioning(const CompareSpec& c, const ExperimentContext& cx);
nlohmann::json compare_choices(const CompareSpec& c, const ExperimentContext& cx);

}  // namespace bgsim::tasks::compare
