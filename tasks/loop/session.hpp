#pragma once
// The one runner of bgsim: drives any learner — a reference agent or a
// spiking network, both behind the Controller interface (tasks/task.hpp) —
// through any Task, trial after trial, and reports every step at which the
// learner acted.
//
//   for each trial:
//     s = task.reset()
//     repeat:
//       a  = learner.act(s)             (a spiking learner runs its decision period)
//       s' = task.step(a)
//       δ  = learner.learn(s, a, s')    (a spiking learner delivers the reward as
//                                        dopamine and runs the outcome period)
//       report {trial, step, s, a, s'.reward, δ, the learner's measures}
//       s = s'
//     until s'.terminal
//     learner.end_trial(s')             (a spiking learner runs the inter-trial interval)
//
// The task owns its random stream, so two learners given the same task seed
// face the identical trial sequence (BanditTask: the same outcomes for every
// arm on every trial, whatever is chosen).

#include <atomic>
#include <cstdint>
#include <functional>
#include <vector>

#include "tasks/task.hpp"

namespace bgsim::tasks::loop {

// One step at which the learner acted.
struct StepRecord {
  std::int64_t trial = 0;        // trial index, from 0
  int step = 0;                  // step within the trial, from 0
  int state = 0;                 // the state the learner acted in (-1: none)
  int action = 0;                // what it chose (Task::no_action: nothing)
  int best_action = -1;          // the task's best action on this trial (-1: none)
  double reward = 0.0;           // the reward that followed [reward units]
  double delta = 0.0;            // the learner's prediction error of the step (learn())
  std::vector<double> measures;  // the learner's measure_names(), in order
};

struct SessionSummary {
  std::int64_t trials = 0;      // trials completed
  std::int64_t steps = 0;       // steps reported
  double total_reward = 0.0;    // [reward units]
  std::int64_t no_actions = 0;  // steps at which the learner chose nothing
  bool stopped = false;         // the stop flag ended the session early
};

using StepSink = std::function<void(const StepRecord&)>;

// Runs `trials` trials, or fewer if the task is finished() before. `stop`
// (Ctrl-C), checked between trials, ends the session early with the trials
// completed so far.
// `progress`, when given, is told (trials done, trials) after every trial.
SessionSummary run_session(Task& task, Controller& learner, std::int64_t trials,
                           const StepSink& on_step, const std::atomic<bool>* stop = nullptr,
                           const std::function<void(std::int64_t, std::int64_t)>& progress = {});

}  // namespace bgsim::tasks::loop
