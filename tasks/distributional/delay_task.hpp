#pragma once
// The delay task (S. Matias's experiments as modelled in drl_sim's "delay"
// task, Tiwari 2024; experiments.md §2): six trial types, equally likely, each
// announced by its own cue at 1 s; trials of 8 s on a grid of 0.5 s (17 steps,
// cue in step 1). Steps follow round(t/dt) − 1 with Python's half-to-even
// rounding, so 2.25 s falls in step 3.
//   types 0–3: reward 3 at 2.25, 3.5, 5 or 7.5 s (steps 3, 6, 9, 14);
//   type 4:    at 2.3 s and at 5.45 s (steps 4, 10), each 0 or 3 with p = ½;
//   type 5:    at 1.25 + 1.05·k s, k = 0 … 5 (steps 1, 4, 6, 8, 10, 12), each
//              3 with p = 1/6, else 0.
// drl_sim's example bank: 20 predictors, τ ∈ {0.2, 0.4, 0.6}, γ ~ U(0.3, 0.8),
// λ = 0.2.
//
// What it reproduces: for the fixed-delay types the value at the cue learns
// 3·γ_i^{dt·(k_r − k_cue)}, so across delays each predictor's cue value
// decays at its own discount: the delay task reads out the diversity of γ.

#include <cstdint>
#include <vector>

#include "models/agents/distributional_td.hpp"
#include "tasks/distributional/experiment.hpp"
#include "tasks/environments/conditioning.hpp"
#include "tasks/representations/stimulus_representation.hpp"

namespace bgsim::tasks::distributional {

struct DelayTaskConfig {
  int n_trials = 200;       // trials over all types (dimensionless)
  double dt_s = 0.5;        // step [s]
  double trial_s = 8.0;     // trial length [s]
  double cue_time_s = 1.0;  // cue onset of every type [s]
  double reward = 3.0;      // size of every reward that comes (reward units)
  std::vector<double> fixed_reward_times_s{2.25, 3.5, 5.0, 7.5};  // types 0–3 [s]
  std::vector<double> coin_flip_times_s{2.3, 5.45};               // type 4's reward times [s]
  double coin_flip_probability = 0.5;       // type 4: chance of each reward (dimensionless)
  double periodic_first_s = 1.25;           // type 5: first reward time [s]
  double periodic_interval_s = 1.05;        // type 5: interval between reward times [s]
  double periodic_last_before_s = 7.0;      // type 5: times stop before this [s] (numpy arange end)
  double periodic_probability = 1.0 / 6.0;  // type 5: chance of each reward (dimensionless)
  double timing_uncertainty = 0.0;          // u of the reward-time jitter (dimensionless)
  std::uint64_t task_seed = 1;              // seed of the task's trial sequence (dimensionless)
  RepresentationParams representation;      // default complete serial compound
  agents::DistributionalTdParams agent;     // 20 predictors
  int record_from_trial = 0;  // keep V and δ of trials ≥ this (0: all; ≥ n_trials: none)
};

ConditioningParams delay_task(const DelayTaskConfig& config);
DistributionalRun run_delay_task(const DelayTaskConfig& config);

}  // namespace bgsim::tasks::distributional
