#pragma once
// Episode runners and trace summaries shared by the dopamine-ramp experiments
// (Priestley et al., "Dopamine ramps as a normative consequence of dual
// process control"; reference code github.com/lpriestley/dopamine_ramps,
// episodes.py).
//
// An episode is the reference's loop, step by step:
//
//   s ← reset();  repeat while the trial has not ended and t < max_steps:
//     a ← policy(s);  (s', r, end) ← task.step(a);  δ_t ← learner.update(s, r, s', end)
//     record (s, s', r, prediction, δ_t);  s ← s' unless end
//
// so a trial that hits max_steps stops without a terminal update. The agent is
// driven through the tasks::Controller interface (LearnerController), the same
// door a spiking network will use.
//
// Learner: anything with `agents::StepSignal update(int s, double r, int s_next, bool terminal)`
// (TdTabular, TdFeatures, DualTabular, DualFeatures, DualGrid).

#include <concepts>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/parameters.hpp"
#include "models/agents/agent.hpp"
#include "models/agents/dual_process.hpp"
#include "tasks/environments/track.hpp"
#include "tasks/task.hpp"

namespace bgsim::tasks::ramps {

template <class L>
concept TransitionLearner = requires(L& learner, int s, double r, bool end) {
  { learner.update(s, r, s, end) } -> std::same_as<agents::StepSignal>;
};

// One episode, one entry per learning step t.
struct EpisodeTrace {
  std::int64_t episode = 0;      // episode (trial) index within its run
  std::vector<int> states;       // s_t: the state the step was taken from
  std::vector<int> next_states;  // s_{t+1}
  std::vector<double> rewards;   // r_t [reward units]
  std::vector<double> values;    // the prediction δ_t subtracts, before the update [reward units]
  std::vector<double> deltas;    // δ_t, the reward prediction error [reward units]
  bool reached_goal = false;     // ended by a terminal step, not by max_steps

  int size() const { return static_cast<int>(deltas.size()); }
  void record(int s, const TaskStep& to, const agents::StepSignal& signal) {
    states.push_back(s);
    next_states.push_back(to.state);
    rewards.push_back(to.reward);
    values.push_back(signal.value);
    deltas.push_back(signal.delta);
    reached_goal = reached_goal || to.terminal;
  }
};

// Drives a pure learner through a Task: act() asks the policy, learn() hands
// the transition (from.state, to.reward, to.state, to.terminal) to the learner.
template <TransitionLearner Learner, class Policy>
class LearnerController final : public Controller {
 public:
  LearnerController(Learner& learner, Policy policy)
      : learner_(learner), policy_(std::move(policy)) {}
  int act(const TaskStep& now) override { return policy_(now); }
  double learn(const TaskStep& from, int /*action*/, const TaskStep& to) override {
    last_ = learner_.update(from.state, to.reward, to.state, to.terminal);
    return last_.delta;
  }
  const agents::StepSignal& last_signal() const { return last_; }

 private:
  Learner& learner_;
  Policy policy_;
  agents::StepSignal last_{};
};

// The policy of every track experiment: always forward.
inline int always_forward(const TaskStep&) {
  return Track::kForward;
}

template <TransitionLearner Learner, class Policy>
EpisodeTrace run_episode(Task& task, Learner& learner, Policy policy, int max_steps = 100) {
  LearnerController<Learner, Policy> controller(learner, std::move(policy));
  EpisodeTrace trace;
  TaskStep now = task.reset();
  trace.episode = now.trial;
  for (int t = 0; t < max_steps; ++t) {
    const int action = controller.act(now);
    const TaskStep next = task.step(action);
    controller.learn(now, action, next);
    trace.record(now.state, next, controller.last_signal());
    if (next.terminal) break;
    now = next;
  }
  return trace;
}

// Kim et al. (2020) teleport: walk forward; on reaching `from`, jump to
// `destination` in one step (the reward and the end of the trial are those of
// the destination), then walk on.
template <TransitionLearner Learner>
EpisodeTrace run_teleport_episode(Track& track, Learner& learner, int from, int destination,
                                  int max_steps = 100) {
  EpisodeTrace trace;
  TaskStep now = track.reset();
  trace.episode = now.trial;
  for (int t = 0; t < max_steps; ++t) {
    const TaskStep next =
        now.state == from ? track.teleport(destination) : track.step(Track::kForward);
    trace.record(now.state, next,
                 learner.update(now.state, next.reward, next.state, next.terminal));
    if (next.terminal) break;
    now = next;
  }
  return trace;
}

// Kim et al. (2020) pause: walk forward; on reaching `at`, stay there for
// `duration` steps with k = α = α_MB = 0 (the held agent neither learns nor
// consults its model), then restore the rates and walk on. The pause counts
// against max_steps.
EpisodeTrace run_pause_episode(Track& track, agents::DualTabular& agent, int at, int duration,
                               int max_steps = 1000);

// ---------------------------------------------------------------------------
// Summaries.

// (last − first) / (count − 1) over `deltas` (0 for fewer than two values).
double ramp_slope(const std::vector<double>& deltas);
// The same over the non-terminal steps only (the terminal step is dropped).
double approach_slope(const EpisodeTrace& trace);
// Mean over the non-terminal steps, δ of the approach.
double approach_mean(const EpisodeTrace& trace);
// Per-step mean across episodes (all of equal length), accumulated episode
// after episode as NumPy's mean over axis 0 does.
std::vector<double> mean_across_episodes(const std::vector<EpisodeTrace>& episodes);
// The figures' convention: drop the terminal RPE, divide negative RPEs by 5.
std::vector<double> rpe_for_plot(const std::vector<double>& deltas);

namespace detail {
// Config validation for the drivers: each throws std::invalid_argument naming
// the field, its value and what is allowed.
using bgsim::refuse;  // core/parameters.hpp
void require_at_least(const std::string& name, int value, int minimum);
void require_unit_interval(const std::string& name, double value);
void require_finite(const std::string& name, double value);
void require_positive(const std::string& name, double value);  // finite and > 0
}  // namespace detail

}  // namespace bgsim::tasks::ramps
