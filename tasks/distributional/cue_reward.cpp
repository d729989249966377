#include "tasks/distributional/cue_reward.hpp"

namespace bgsim::tasks::distributional {

ConditioningParams cue_reward_task(const CueRewardConfig& config) {
  ConditioningParams p;
  p.dt_s = config.dt_s;
  p.trial_s = config.trial_s;
  TrialType type;
  type.name = "cue_reward";
  type.cue_channel = 0;
  type.cue_time_s = config.cue_time_s;
  RewardSpec reward;
  reward.time_s = config.reward_time_s;
  reward.magnitudes = {config.reward};
  reward.probabilities = {1.0};
  type.rewards = {reward};
  type.omission_probability = config.omission_probability;
  p.trial_types = {type};
  p.timing_uncertainty = config.timing_uncertainty;
  p.iti_min_s = config.iti_min_s;
  p.iti_max_s = config.iti_max_s;
  p.unexpected.probability = config.unexpected_probability;
  p.unexpected.magnitude = config.reward;
  p.unexpected.earliest_s = config.dt_s;
  p.unexpected.latest_s = config.trial_s;
  p.seed = config.task_seed;
  return p;
}

DistributionalRun run_cue_reward(const CueRewardConfig& config) {
  return run_distributional(cue_reward_task(config), config.representation, config.agent,
                            config.n_trials, config.record_from_trial);
}

TdRun run_cue_reward_td_lambda(const CueRewardConfig& config) {
  return run_td_lambda(cue_reward_task(config), config.representation, config.td, config.n_trials);
}

}  // namespace bgsim::tasks::distributional
