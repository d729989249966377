#pragma once
// The task side of bgsim: environments that live in continuous time and speak
// in events, and the controller interface through which a reference agent (now)
// or a spiking network (later) acts in them.
//
// A task advances in steps of its own duration (`step_ms()`); each step reports
// the discrete state the controller is in, the reward received on entering it,
// and the events (stimulus on/off, state change, reward, trial start/end) that
// happened during it, time-stamped in ms from the start of the session. A task
// owns its random stream, seeded at construction, so two controllers given the
// same task seed see the identical trial sequence.

#include <cstdint>
#include <iosfwd>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/checkpoint.hpp"

namespace bgsim::tasks {

enum class EventKind : std::uint8_t {
  trial_start,
  trial_end,
  stimulus_on,     // channel = stimulus id
  stimulus_off,    // channel = stimulus id
  state_change,    // channel = new state (position, teleport destination)
  pause,           // the agent is held in place; magnitude = duration in steps
  action_request,  // a decision window opens
  reward,          // magnitude = reward size; drug = non-compensable drug reward
};

struct TaskEvent {
  double time_ms = 0.0;  // session time of the event [ms]
  EventKind kind = EventKind::trial_start;
  int channel = 0;         // stimulus id, state, arm: meaning given by `kind`
  double magnitude = 0.0;  // reward size or pause length, where `kind` has one
  bool drug = false;       // reward carries non-compensable drug dopamine
};

// What the controller sees after a reset or a step.
struct TaskStep {
  std::int64_t trial = 0;         // trial (episode) index, from 0
  int time_step = 0;              // step within the trial, from 0
  double time_ms = 0.0;           // session time at the end of this step [ms]
  int state = 0;                  // discrete state (tabular agents); -1 when none
  double reward = 0.0;            // reward received on this step
  bool drug = false;              // the reward was a drug reward
  bool terminal = false;          // the trial has ended with this step
  std::vector<TaskEvent> events;  // what happened during the step, in time order
  // The actions the task accepts at this step (the two stimuli a trial of the
  // probabilistic selection task offers); empty: any of num_actions().
  std::vector<int> choices;
};

class Task {
 public:
  // The action of a controller that chose nothing (a spiking network whose
  // action populations stayed silent in the decision window). What it means
  // is the task's to say: the bandit ends the trial unrewarded, the track
  // holds the agent in place; a task that cannot go on without an action
  // throws std::invalid_argument.
  static constexpr int no_action = -1;

  virtual ~Task() = default;
  virtual std::string_view name() const = 0;
  virtual int num_states() const = 0;   // number of discrete states; 0 if continuous
  virtual int num_actions() const = 0;  // 1 for Pavlovian tasks
  virtual double step_ms() const = 0;   // duration of one step [ms]
  virtual TaskStep reset() = 0;         // start the next trial
  virtual TaskStep step(int action) = 0;
  // The best action of the trial under way, for scoring a learner's choices
  // (the arm with the largest mean); -1 when the task has none.
  virtual int best_action() const { return -1; }
  // True when the task has no further trial to give (a session of fixed
  // design, such as training blocks and a test); false for open-ended tasks.
  virtual bool finished() const { return false; }

  // Checkpoints: everything that evolves (the trial reached, its draws). The
  // tasks draw from counter-based streams keyed by (seed, trial), so no
  // generator state is saved. Load into a task made with the same parameters
  // and seed.
  virtual void save(CheckpointWriter&) const {
    throw std::logic_error("task " + std::string(name()) + " cannot be checkpointed");
  }
  virtual void load(CheckpointReader&) {
    throw std::logic_error("task " + std::string(name()) + " cannot be checkpointed");
  }
};

// Anything that acts in a task: a reference agent through an adapter, or a
// spiking network through the spiking <-> task adapter.
class Controller {
 public:
  virtual ~Controller() = default;
  virtual int act(const TaskStep& now) = 0;
  // Learns from one transition; returns the prediction error δ of that step.
  virtual double learn(const TaskStep& from, int action, const TaskStep& to) = 0;
  // The trial that ended with `last` (terminal) is over: the inter-trial
  // interval, for a learner that lives in time.
  virtual void end_trial(const TaskStep& /*last*/) {}

  // What the controller measured on its last act() and learn() (decision
  // counts, values, dopamine around the outcome): one column each in the
  // per-step table of a session (tasks/loop/session.hpp).
  virtual std::vector<std::string> measure_names() const { return {}; }
  virtual std::vector<double> measures() const { return {}; }

  // Checkpoints between trials (a spiking learner: its network too). Load
  // into a controller made from the same description and seed.
  virtual void save(std::ostream&) {
    throw std::logic_error("this learner cannot be checkpointed");
  }
  virtual void load(std::istream&) {
    throw std::logic_error("this learner cannot be checkpointed");
  }
};

}  // namespace bgsim::tasks
