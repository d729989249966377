#pragma once
// The variable-magnitude experiment (Dabney et al. 2020, Fig. 1–2; drl_sim's
// "var" task, Tiwari 2024; experiments.md §2): the cue–reward layout (cue 2 s,
// reward 6 s, trial 7 s, dt 0.1 s) with the reward size drawn each trial from
// {0.1, 0.3, 1.2, 2.5, 5, 10, 20} with probabilities {0.0661, 0.0909, 0.1485,
// 0.1549, 0.3116, 0.1505, 0.0771} (drl_sim's values; they sum to 0.99957 and
// are normalised here, where drl_sim would give 0.1 for the missing 0.04 %).
// drl_sim's example: 50 trials, 25 predictors, τ ∈ {0.2, 0.4, 0.6},
// γ ~ U(0.3, 0.8), λ = 0.2.
//
// What it reproduces: predictor i's value at the reward step — its reversal
// point, the reward at which its δ changes sign — converges to the
// τ̃_i-expectile of the reward distribution (τ̃ = α⁺^{dt}/(α⁺^{dt} + α⁻^{dt}),
// see distributional_td.hpp), so reversal points order by τ and the bank
// fans out over the distribution; the value at the cue fans out accordingly.

#include <cstdint>
#include <vector>

#include "models/agents/distributional_td.hpp"
#include "tasks/distributional/experiment.hpp"
#include "tasks/environments/conditioning.hpp"
#include "tasks/representations/stimulus_representation.hpp"

namespace bgsim::tasks::distributional {

struct VariableMagnitudeConfig {
  int n_trials = 50;           // trials (dimensionless; drl_sim's example)
  double dt_s = 0.1;           // step [s]
  double trial_s = 7.0;        // trial length [s]
  double cue_time_s = 2.0;     // cue onset [s]
  double reward_time_s = 6.0;  // reward time [s]
  // Reward sizes (reward units) and their probabilities (dimensionless).
  std::vector<double> magnitudes{0.1, 0.3, 1.2, 2.5, 5.0, 10.0, 20.0};
  std::vector<double> probabilities{0.06612594, 0.09090909, 0.14847358, 0.15489467,
                                    0.31159175, 0.150519,   0.07705306};
  double timing_uncertainty = 0.0;      // u of the reward-time jitter (dimensionless)
  std::uint64_t task_seed = 1;          // seed of the task's trial sequence (dimensionless)
  RepresentationParams representation;  // default complete serial compound
  agents::DistributionalTdParams agent = default_agent();  // 25 predictors
  int record_from_trial = 0;  // keep V and δ of trials ≥ this (0: all; ≥ n_trials: none)

  static agents::DistributionalTdParams default_agent() {
    agents::DistributionalTdParams a;
    a.n_predictors = 25;
    return a;
  }
};

ConditioningParams variable_magnitude_task(const VariableMagnitudeConfig& config);
DistributionalRun run_variable_magnitude(const VariableMagnitudeConfig& config);

}  // namespace bgsim::tasks::distributional
