#pragma once
// One learner's session, written as a closed-loop experiment writes it: a
// spiking network (its recordings into the results folder) or a reference
// agent, played through run_session on a task made from `task`, with one
// row per step in a CSV file (trial, step, state, action, best_action,
// reward, delta and the learner's measures; docs/closed_loop.md). Used by the
// closed-loop experiment and by the comparison (tasks/compare/).

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tasks/experiment.hpp"
#include "tasks/loop/loop_spec.hpp"
#include "tasks/loop/session.hpp"
#include "tasks/loop/task_factory.hpp"

namespace bgsim::tasks::loop {

struct LearnerRunOptions {
  std::string steps_file = "steps.csv";  // the per-step table, in the results folder
  bool fit_q_learning = false;           // fit (α, β) of Q-learning to the choices (bandit)
  StepSink observe;                      // sees every row as it is written; may be empty
  // Told the learner's measure names (the columns of StepRecord::measures)
  // before the first step; may be empty.
  std::function<void(const std::vector<std::string>&)> columns;
};

// Runs `trials` trials and returns the summary for the manifest: trials,
// steps, total reward, better-action fraction per block of 100 trials, and
// for a network its wall-time split and recordings. The task's seed is
// derived from cx.seed (stream 0), an agent's from stream 1. A failure
// during the session finishes the recordings (status "failed") and is thrown
// again; a stop (cx.stop) ends it with the trials completed.
nlohmann::json run_learner(const TaskFactory& task, const LearnerSpec& learner, std::int64_t trials,
                           const ExperimentContext& cx, const LearnerRunOptions& options = {});

}  // namespace bgsim::tasks::loop
