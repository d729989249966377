#include "tasks/distributional/delay_task.hpp"

#include <cmath>
#include <sstream>
#include <stdexcept>
#include <string>

namespace bgsim::tasks::distributional {

namespace {
// The most periodic rewards a delay task lists (ConditioningParams allows
// trials of at most max_steps_per_trial steps).
constexpr double kMaxPeriodicRewards = 1e6;
}  // namespace

ConditioningParams delay_task(const DelayTaskConfig& config) {
  ConditioningParams p;
  p.dt_s = config.dt_s;
  p.trial_s = config.trial_s;
  p.trial_types.clear();
  int channel = 0;
  auto add_type = [&](const std::string& name, std::vector<RewardSpec> rewards) {
    TrialType type;
    type.name = name;
    type.frequency = 1.0;
    type.cue_channel = channel++;  // its own cue, so its own weights (as drl_sim)
    type.cue_time_s = config.cue_time_s;
    type.rewards = std::move(rewards);
    p.trial_types.push_back(type);
  };
  auto reward_at = [&](double time_s, double probability) {
    RewardSpec r;
    r.time_s = time_s;
    r.magnitudes = {0.0, config.reward};
    r.probabilities = {1.0 - probability, probability};
    return r;
  };
  for (double t : config.fixed_reward_times_s) {
    std::ostringstream name;
    name << "reward_at_" << t << "_s";
    add_type(name.str(), {reward_at(t, 1.0)});
  }
  std::vector<RewardSpec> coin;
  for (double t : config.coin_flip_times_s)
    coin.push_back(reward_at(t, config.coin_flip_probability));
  add_type("coin_flip", coin);
  if (!(config.periodic_interval_s > 0.0) || !std::isfinite(config.periodic_interval_s)) {
    std::ostringstream msg;
    msg << "DelayTaskConfig.periodic_interval_s = " << config.periodic_interval_s
        << " is not allowed: it must be finite and positive, in [s]";
    throw std::invalid_argument(msg.str());
  }
  // As numpy.arange(first, last_before, interval): first + k·interval. Their
  // number is counted before any is made, so that a last time of 1e308 s is
  // refused instead of listed.
  const double count = std::ceil((config.periodic_last_before_s - config.periodic_first_s) /
                                 config.periodic_interval_s);
  if (!(count <= kMaxPeriodicRewards)) {
    std::ostringstream msg;
    msg << "DelayTaskConfig.periodic_first_s = " << config.periodic_first_s
        << ", periodic_interval_s = " << config.periodic_interval_s
        << " and periodic_last_before_s = " << config.periodic_last_before_s << " make " << count
        << " periodic rewards; at most " << kMaxPeriodicRewards
        << " are allowed (a trial holds fewer steps than that)";
    throw std::invalid_argument(msg.str());
  }
  std::vector<RewardSpec> periodic;
  for (int k = 0;; ++k) {
    const double t = config.periodic_first_s + k * config.periodic_interval_s;
    if (!(t < config.periodic_last_before_s)) break;
    periodic.push_back(reward_at(t, config.periodic_probability));
  }
  add_type("periodic", periodic);
  p.timing_uncertainty = config.timing_uncertainty;
  p.seed = config.task_seed;
  return p;
}

DistributionalRun run_delay_task(const DelayTaskConfig& config) {
  return run_distributional(delay_task(config), config.representation, config.agent,
                            config.n_trials, config.record_from_trial);
}

}  // namespace bgsim::tasks::distributional
