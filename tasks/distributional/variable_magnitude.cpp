#include "tasks/distributional/variable_magnitude.hpp"

namespace bgsim::tasks::distributional {

ConditioningParams variable_magnitude_task(const VariableMagnitudeConfig& config) {
  ConditioningParams p;
  p.dt_s = config.dt_s;
  p.trial_s = config.trial_s;
  TrialType type;
  type.name = "variable_magnitude";
  type.cue_channel = 0;
  type.cue_time_s = config.cue_time_s;
  RewardSpec reward;
  reward.time_s = config.reward_time_s;
  reward.magnitudes = config.magnitudes;
  reward.probabilities = config.probabilities;
  type.rewards = {reward};
  p.trial_types = {type};
  p.timing_uncertainty = config.timing_uncertainty;
  p.seed = config.task_seed;
  return p;
}

DistributionalRun run_variable_magnitude(const VariableMagnitudeConfig& config) {
  return run_distributional(variable_magnitude_task(config), config.representation, config.agent,
                            config.n_trials, config.record_from_trial);
}

}  // namespace bgsim::tasks::distributional
