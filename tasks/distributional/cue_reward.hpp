#pragma once
// The cue–reward experiment (experiments.md §2; drl_sim's "hyp_unif" task,
// Tiwari 2024): a cue at 2 s, a reward of 1 at 6 s, trials of 7 s on a grid
// of 0.1 s (71 steps: cue in step 19, reward in step 59), 200 trials, a bank
// of 20 distributional predictors (drl_sim's example draw: τ ∈ {0.2, 0.4, 0.6},
// γ ~ U(0.3, 0.8), λ = 0.2, all per second).
//
// What it reproduces: the prediction error moves from the reward to the cue
// over training. With a deterministic reward every predictor's value at the
// reward step goes to the reward (the expectile of a constant is the
// constant), its value at the cue to r·γ_i^{dt·(k_r − k_cue)}, and its cue
// response δ_i(k_cue − 1) to r·γ_i^{dt·(k_r − k_cue + 1)}: the predictors fan
// out by γ at the cue. Omission probes give δ(k_r) = −V(k_r) < 0; an uncued
// reward gives δ ≈ r > 0. The same task driven by classic linear TD(λ)
// (run_cue_reward_td_lambda) shows the textbook transfer (Schultz, Dayan &
// Montague 1997).

#include <cstdint>

#include "models/agents/distributional_td.hpp"
#include "models/agents/td_lambda.hpp"
#include "tasks/distributional/experiment.hpp"
#include "tasks/environments/conditioning.hpp"
#include "tasks/representations/stimulus_representation.hpp"

namespace bgsim::tasks::distributional {

struct CueRewardConfig {
  int n_trials = 200;          // trials (dimensionless)
  double dt_s = 0.1;           // step [s]
  double trial_s = 7.0;        // trial length [s]
  double cue_time_s = 2.0;     // cue onset [s]
  double reward_time_s = 6.0;  // reward time [s]
  double reward = 1.0;         // reward size (reward units)
  double timing_uncertainty = 0.0;  // u of the reward-time jitter ±⌊0.1·u·k⌋ steps (dimensionless)
  double omission_probability = 0.0;     // share of omission probes (dimensionless, [0, 1])
  double unexpected_probability = 0.0;   // chance per trial of an extra uncued reward of size
                                         // `reward`, uniform over the trial (dimensionless, [0, 1])
  double iti_min_s = 0.0;                // shortest inter-trial interval [s]
  double iti_max_s = 0.0;                // longest inter-trial interval [s]
  std::uint64_t task_seed = 1;           // seed of the task's trial sequence (dimensionless)
  RepresentationParams representation;   // stimulus code; default complete serial compound
  agents::DistributionalTdParams agent;  // the bank (20 predictors; dt_s is set to dt_s above)
  // Classic TD(λ) for run_cue_reward_td_lambda, constants per step.
  agents::TdLambdaParams td{.n_features = 1, .alpha = 0.1, .gamma = 0.98, .lambda = 0.9};
  int record_from_trial = 0;  // keep V and δ of trials ≥ this (0: all; ≥ n_trials: none)
};

// The task of this experiment.
ConditioningParams cue_reward_task(const CueRewardConfig& config);

DistributionalRun run_cue_reward(const CueRewardConfig& config);
TdRun run_cue_reward_td_lambda(const CueRewardConfig& config);

}  // namespace bgsim::tasks::distributional
