#pragma once
// A spiking network as a learner: the Controller through which a network
// plays a task (tasks/loop/session.hpp runs it). The task sees only actions;
// the network only inputs and dopamine.
//
// Network time. Every task step is played in real simulated time, in three
// periods (docs/closed_loop.md has the figure and the conventions):
//
//   act(s)      the decision period, step_ms long, from T (the step's start):
//               the observation s switches inputs on at T + onset_ms; the
//               action is read from the action populations' spikes in the
//               decision window [T + window_start_ms, T + window_end_ms).
//   learn(..)   the outcome period, outcome_ms long, from T + step_ms: the
//               reward of the step arrives reward_delay_ms into it, as a pulse
//               into a volume and/or a burst into a population or device;
//               the dopamine cells' rate and the volume's mean level are
//               measured before (the decision period) and after the reward.
//   end_trial   the inter-trial interval, iti_ms long: every input at rest.
//
// Inputs. An encoding rule covers stimulus channels (on from the step whose
// events switch them on to the step whose events switch them off) or
// discrete states (on while the task is in one). While a rule is shown, each
// of its inputs takes its value from onset_ms after the step that showed it;
// an input with a duration_ms keeps it exactly that long, one without keeps
// it while the rule is shown. A feature rule instead sets value + per_unit ·
// state at the start of every step with a state (a rate code of the position,
// say). A value is a poisson_source's or poisson_input's
// rate [Hz] or a dc_current's amplitude [pA]; at rest the target has the value
// its own description gives it.
//
// Decoding. Only the actions the step accepts compete (TaskStep::choices;
// all when it names none). most_spikes: the action population with the most spikes in the
// window wins; equal largest counts are broken by the learner's own random
// stream (keyed by the run's seed and the step); no spike at all is
// Task::no_action. first_to: the first population to reach `threshold`
// spikes wins (ties at the same step broken the same way); none reaching it
// is no_action.
//
// Action copy. Optionally the action taken is sent back into the network (a
// corollary discharge, as the motor thalamus and cortex send the executed
// action back to the striatum): the target of that action takes its value
// from onset_ms after the moment the action is read for duration_ms, then
// returns to rest; no_action copies nothing.
//
// Randomness: tie breaks and non-contingent rewards draw from counter-based
// streams keyed by (seed, purpose, trial, step), so a session is the same
// for every thread count and when split into pieces.

#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/activity_window.hpp"
#include "core/simulator.hpp"
#include "tasks/task.hpp"

namespace bgsim::tasks::loop {

// An input the loop sets: a poisson_source population, or a poisson_input or
// dc_current device of the network.
struct InputSpec {
  std::string target;             // population or device name
  double value = 0.0;             // rate [Hz] or amplitude [pA] while on
  double onset_ms = 0.0;          // from the start of the step that shows it [ms], >= 0
  double duration_ms = HUGE_VAL;  // how long it stays on [ms]; inf: while shown
  double per_unit = 0.0;          // feature rules: value + per_unit · feature [Hz or pA per unit]
};

struct EncodingRule {
  // stimulus: on while one of `values` is on; state: on while the state is one
  // of `values`; feature: the state as a number sets the value, at every step
  // (value + per_unit · state), on whenever there is a state (>= 0).
  enum class Key : std::uint8_t { stimulus, state, feature };
  Key key = Key::stimulus;
  std::vector<int> values;  // the stimulus channels or states the rule covers (not for features)
  std::vector<InputSpec> inputs;
};

struct DecodingSpec {
  enum class Rule : std::uint8_t { most_spikes, first_to };
  std::vector<std::string> populations;  // one per action, in action order
  Rule rule = Rule::most_spikes;
  int threshold = 1;                // first_to: spikes to reach [count], >= 1
  double window_start_ms = 0.0;     // decision window, from the step's start [ms]
  double window_end_ms = HUGE_VAL;  // inf: the end of the decision period
};

// The action taken, copied back into the network: one settable target per
// action (in action order); the taken action's target takes `value` from
// onset_ms after the end of the decision window (without decoding, the end of
// the decision period) for duration_ms, then its rest again.
struct ActionCopySpec {
  std::vector<std::string> targets;  // population or device names, one per action
  double value = 0.0;                // rate [Hz] or amplitude [pA] while on
  double onset_ms = 0.0;             // from the moment the action is read [ms], >= 0
  double duration_ms = 0.0;          // how long [ms], > 0
};

struct RewardSpec {
  enum class Kind : std::uint8_t { volume, population, device };
  enum class Sign : std::uint8_t { positive, negative, both };
  Kind kind = Kind::volume;
  std::string target;      // volume, poisson_source population or device name
  double gain = 1.0;       // pulse amount, rate [Hz] or amplitude [pA] per reward unit
  double duration_ms = 0;  // population/device: how long the burst lasts [ms]
  // Which outcomes the target receives: positive ones (r > 0), negative ones
  // (r < 0, sent as |r|), or both (volumes only: a pulse of gain·r).
  Sign sign = Sign::positive;
};

struct LoopTiming {
  double step_ms = 100.0;        // decision period per task step [ms], > 0
  double outcome_ms = 0.0;       // outcome period after each action [ms], >= 0
  double iti_ms = 0.0;           // inter-trial interval [ms], >= 0
  double reward_delay_ms = 0.0;  // from the action to the reward [ms], in [0, outcome_ms]
};

// The non-contingent control: the network's dopamine follows rewards drawn
// independently of what it does (the task's reward is still recorded).
struct NonContingentSpec {
  bool enabled = false;
  double probability = 0.5;  // chance of a reward per step [probability]
  double magnitude = 1.0;    // its size [reward units]
};

// What is measured around each outcome (optional).
struct MonitorSpec {
  std::string population;  // e.g. the dopamine cells: rate before / after the reward
  std::string volume;      // e.g. "da": mean level before / after the reward
};

// The parameter that event code 0 sets on a model the loop can drive (a
// poisson_source population's or poisson_input's "rate_Hz", a dc_current's
// "amplitude"; models/poisson_source.hpp, models/current_sources.hpp), or ""
// for any other model. `population`: the model is a population's, not a
// device's. The one place that names these models.
std::string_view settable_parameter(std::string_view model, bool population);

struct SpikingLoopSpec {
  std::vector<EncodingRule> encoding;
  std::optional<DecodingSpec> decoding;  // required when the task has several actions
  // Forced steps: the task gets this action whatever the network does (the
  // track run at a fixed pace); -1: read it from spikes.
  int forced_action = -1;
  std::vector<RewardSpec> reward;
  std::optional<ActionCopySpec> action_copy;
  LoopTiming timing;
  NonContingentSpec noncontingent;
  MonitorSpec monitor;
};

class SpikingLearner final : public Controller {
 public:
  // `sim` is built and outlives the learner; names in `spec` must exist in it
  // (tasks/loop/loop_spec.hpp checks them before anything runs).
  SpikingLearner(Simulator& sim, SpikingLoopSpec spec, std::uint64_t seed);

  int act(const TaskStep& now) override;
  double learn(const TaskStep& from, int action, const TaskStep& to) override;
  void end_trial(const TaskStep& last) override;

  // step_start_ms (network time of the step's start), count_<population> per
  // action population; then, with a monitor:
  // <pop>_rate_before_Hz, <pop>_rate_after_Hz, <vol>_before, <vol>_after.
  std::vector<std::string> measure_names() const override;
  std::vector<double> measures() const override { return measures_; }

  // The network (Simulator::save) followed by the learner's own state: which
  // observations are shown and when their inputs end.
  void save(std::ostream& out) override;
  void load(std::istream& in) override;

  Simulator& simulator() { return sim_; }
  // Wall time spent inside Simulator::run so far [s]: the rest of a session's
  // time is the loop's own (encoding, decoding, reward, task, recording rows).
  double kernel_seconds() const { return kernel_seconds_; }

 private:
  struct Target {
    std::uint32_t handler = 0;
    double rest = 0.0;  // the value the description gives it
  };

  // Where a reward goes: a volume, or a settable target.
  struct RewardTarget {
    std::uint32_t volume = 0;
    Target target;
  };

  Target resolve_target(const std::string& name) const;
  void set(const Target& t, Step step, double value);
  void show(const TaskStep& s, Step at);
  void switch_on(std::size_t rule, Step at, double feature);
  void hide_rule(std::size_t rule, Step at);
  double rate_per_neuron() const;
  void run_to(Step step);
  int decide(const TaskStep& now);
  void copy_action(int action, Step read_at);
  double draw(std::uint64_t purpose, const TaskStep& s) const;

  Simulator& sim_;
  SpikingLoopSpec spec_;
  std::uint64_t seed_;
  std::vector<std::vector<Target>> input_targets_;  // [rule][input]
  std::vector<RewardTarget> reward_targets_;        // per reward spec
  std::vector<Target> copy_targets_;                // per action (action_copy)
  std::vector<bool> rule_shown_;
  std::set<int> stimuli_on_;
  ActivityWindow* decision_ = nullptr;  // counts of the action populations
  ActivityWindow* monitor_ = nullptr;   // dopamine cells and volume
  std::int64_t monitor_population_size_ = 0;
  // Columns of measures_ (measure_names()): step_start_ms, the decision
  // counts from 1, then the monitor's four from monitor_column_.
  std::size_t monitor_column_ = 1;
  Step step_start_ = 0;
  std::vector<double> measures_;
  double kernel_seconds_ = 0.0;
};

}  // namespace bgsim::tasks::loop
