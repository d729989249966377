#pragma once
// Pavlovian conditioning: a cue (CS) followed by a reward (US) after an
// inter-stimulus interval, in trials of fixed length on a grid of step dt.
//
// Trial layout (drl_sim, Tiwari 2024; experiments.md §2). A trial has
//   T = round(trial_s / dt) + 1
// steps k = 0 … T−1; step k ends at trial time (k+1)·dt, and an event due at
// trial time t belongs to the step that ends at t:
//   k(t) = round(t / dt) − 1        (round half to even, as Python's round).
// So with the defaults (cue 2 s, reward 6 s, trial 7 s, dt 0.1 s) a trial has
// 71 steps, the cue arrives in step 19 and the reward in step 59. A stimulus
// is present from the step of its onset up to, not including, the step of its
// offset; a cue without a duration stays on until the trial ends.
//
// What varies from trial to trial, drawn at reset() from the task's own
// std::mt19937_64 (so any two controllers given the same seed see the same
// trials; a checkpoint holds the engine's state as <random> writes it), always
// in this order and always the same number of draws:
//   1. the inter-trial interval before the trial, U(iti_min_s, iti_max_s)
//      (trials ≥ 1; the first trial starts at session time 0);
//   2. the trial type, with probability ∝ its frequency;
//   3. whether the trial is an omission probe (every reward withheld);
//   4. for each reward of the type, in order: whether it is delivered
//      (delivery_probability), its magnitude (from the discrete distribution
//      magnitudes/probabilities, probabilities normalised to sum 1), and its
//      timing jitter: with k = k(time_s) and s = ⌊0.1·u·k⌋ (u = timing
//      uncertainty), the reward step is round(U(k − s, k + s)), clamped to
//      the trial (drl_sim's t_unc);
//   5. whether an unexpected (uncued) reward comes, and its step, uniform over
//      the steps of its window.
// Rewards that land on the same step add up.
//
// Several trial types (each with its own cue channel, cue time and reward
// schedule) give the delay task; a type with cue_channel = −1 gives uncued
// rewards.

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "tasks/task.hpp"

namespace bgsim::tasks {

// The longest trial, in steps: trial_s / dt_s beyond it is refused (the
// agents' traces are per step, and a count beyond int would overflow).
inline constexpr int max_steps_per_trial = 1000000;

// A reward due at a fixed time of the trial.
struct RewardSpec {
  double time_s = 6.0;                     // trial time the reward is due [s]
  std::vector<double> magnitudes{1.0};     // possible sizes (reward units)
  std::vector<double> probabilities{1.0};  // relative probability of each size (dimensionless, ≥ 0)
  double delivery_probability = 1.0;       // chance the reward comes at all (dimensionless, [0, 1])
};

// One kind of trial.
struct TrialType {
  std::string name = "cue_reward";  // label for records and plots
  double frequency = 1.0;           // relative frequency of this type (dimensionless, ≥ 0)
  int cue_channel = 0;              // stimulus id of the cue; −1 for a trial without cue
  double cue_time_s = 2.0;          // trial time of cue onset [s]
  double cue_duration_s = 0.0;      // how long the cue stays on [s]; 0: until the trial ends
  std::vector<RewardSpec> rewards{RewardSpec{}};  // the rewards due in this trial
  double omission_probability = 0.0;  // chance of an omission probe (dimensionless, [0, 1])
};

// An extra reward that no cue predicts.
struct UnexpectedRewardSpec {
  double probability = 0.0;  // chance per trial (dimensionless, [0, 1])
  double magnitude = 1.0;    // its size (reward units)
  double earliest_s = 0.1;   // start of the window of trial time it falls in [s]
  double latest_s = 7.0;     // end of that window [s]
};

struct ConditioningParams {
  double dt_s = 0.1;     // step length [s]
  double trial_s = 7.0;  // trial length [s]; a trial has round(trial_s / dt_s) + 1 steps
  std::vector<TrialType> trial_types{TrialType{}};  // at least one
  double timing_uncertainty =
      0.0;                 // u: reward steps jitter by up to ⌊0.1·u·k⌋ (dimensionless, ≥ 0)
  double iti_min_s = 0.0;  // shortest inter-trial interval [s]
  double iti_max_s = 0.0;  // longest inter-trial interval [s]
  UnexpectedRewardSpec unexpected;  // uncued rewards (off by default)
  std::uint64_t seed = 1;           // seed of the task's random stream (dimensionless)
};

// A reward as scheduled in one trial.
struct ScheduledReward {
  int step = 0;            // step the reward is (or would have been) delivered in
  double magnitude = 0.0;  // its drawn size (reward units)
  bool delivered = false;  // false when omitted (probe, or delivery_probability)
};

// What one trial is made of; filled at reset().
struct ConditioningTrial {
  std::int64_t index = 0;                // trial number, from 0
  int type = 0;                          // index into trial_types
  double start_ms = 0.0;                 // session time the trial starts [ms]
  double iti_s = 0.0;                    // interval before the trial [s]
  int cue_channel = -1;                  // stimulus id of the cue, −1 if none
  int cue_on_step = -1;                  // first step with the cue present, −1 if none
  int cue_off_step = -1;                 // first step without it again (T if it lasts)
  bool omission = false;                 // an omission probe: every reward withheld
  std::vector<ScheduledReward> rewards;  // the type's rewards, in the order of its spec
  int unexpected_step = -1;              // step of the uncued reward, −1 if none
  std::vector<double> reward;            // delivered reward per step (T entries)
};

class ConditioningTask final : public Task {
 public:
  // Validates params (std::invalid_argument naming the field and the range).
  explicit ConditioningTask(const ConditioningParams& params);

  std::string_view name() const override { return "conditioning"; }
  // State = cue channel · T + steps since cue onset (a complete serial
  // compound index) while a cue has come, −1 before it.
  int num_states() const override { return n_channels_ * steps_per_trial_; }
  int num_actions() const override { return 1; }
  double step_ms() const override { return params_.dt_s * 1000.0; }
  TaskStep reset() override;
  TaskStep step(int action) override;  // action must be 0 (Pavlovian)
  void save(CheckpointWriter& w) const override;
  void load(CheckpointReader& r) override;

  const ConditioningParams& params() const { return params_; }
  int steps_per_trial() const { return steps_per_trial_; }
  int n_channels() const { return n_channels_; }
  // k(t) = round(t / dt) − 1: the step an event at trial time t belongs to.
  int step_of(double time_s) const;
  // The trial under way (or just finished). Valid after the first reset().
  const ConditioningTrial& trial() const { return trial_; }

 private:
  void draw_trial();
  TaskStep make_step(int k) const;

  ConditioningParams params_;
  int steps_per_trial_ = 0;
  int n_channels_ = 1;
  std::mt19937_64 rng_;
  ConditioningTrial trial_;
  std::int64_t next_trial_ = 0;
  double next_start_ms_ = 0.0;  // session time the previous trial ended [ms]
  int k_ = -1;                  // current step, −1 before the first reset()
};

}  // namespace bgsim::tasks
