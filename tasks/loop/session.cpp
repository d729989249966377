#include "tasks/loop/session.hpp"

namespace bgsim::tasks::loop {

SessionSummary run_session(Task& task, Controller& learner, std::int64_t trials,
                           const StepSink& on_step, const std::atomic<bool>* stop,
                           const std::function<void(std::int64_t, std::int64_t)>& progress) {
  SessionSummary summary;
  for (std::int64_t t = 0; t < trials; ++t) {
    if (stop && stop->load(std::memory_order_relaxed)) {
      summary.stopped = true;
      break;
    }
    if (task.finished()) break;
    TaskStep now = task.reset();
    // The best action is the task's on the trial just opened, before the step.
    while (true) {
      const int best = task.best_action();
      const int action = learner.act(now);
      TaskStep next = task.step(action);
      const double delta = learner.learn(now, action, next);
      StepRecord record{.trial = now.trial,
                        .step = now.time_step,
                        .state = now.state,
                        .action = action,
                        .best_action = best,
                        .reward = next.reward,
                        .delta = delta,
                        .measures = learner.measures()};
      summary.total_reward += next.reward;
      if (action == Task::no_action) ++summary.no_actions;
      ++summary.steps;
      if (on_step) on_step(record);
      if (next.terminal) {
        learner.end_trial(next);
        break;
      }
      now = std::move(next);
    }
    ++summary.trials;
    if (progress) progress(summary.trials, trials);
  }
  return summary;
}

}  // namespace bgsim::tasks::loop
