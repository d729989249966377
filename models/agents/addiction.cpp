#include "models/agents/addiction.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace bgsim::agents {
namespace {

[[noreturn]] void refuse(const std::string& where, const std::string& field, double value,
                         const std::string& allowed) {
  throw std::invalid_argument(where + "." + field + " = " + std::to_string(value) + ": must be " +
                              allowed);
}

}  // namespace

void validate(const RedishParams& p) {
  validate(p.q);
  if (!(p.drug_dopamine > 0.0) || !std::isfinite(p.drug_dopamine)) {
    refuse("RedishParams", "drug_dopamine", p.drug_dopamine, "finite and > 0");
  }
}

RedishAgent::RedishAgent(const RedishParams& params, std::uint64_t seed)
    : params_(params), learner_((validate(params), params.q), seed) {}

StepSignal RedishAgent::learn(const Transition& t, bool drug) {
  const double before = learner_.q(t.state, t.action);
  double delta = t.reward + learner_.bootstrap(t) - before;
  if (drug) {
    const double d = params_.drug_dopamine;
    delta = std::max(delta + d, d);
  }
  learner_.apply(t.state, t.action, delta);
  return {before, delta};
}

void validate(const AverageRewardAddictionParams& p) {
  validate(p.q);
  const std::string where = "AverageRewardAddictionParams";
  if (!(p.drug_dopamine > 0.0) || !std::isfinite(p.drug_dopamine)) {
    refuse(where, "drug_dopamine", p.drug_dopamine, "finite and > 0");
  }
  if (!(p.reward_rate_step > 0.0 && p.reward_rate_step <= 1.0)) {
    refuse(where, "reward_rate_step", p.reward_rate_step, "in (0, 1]");
  }
  if (!(p.tolerance_rate >= 0.0 && p.tolerance_rate <= 1.0)) {
    refuse(where, "tolerance_rate", p.tolerance_rate, "in [0, 1]");
  }
  if (!(p.tolerance_limit >= 0.0) || !std::isfinite(p.tolerance_limit)) {
    refuse(where, "tolerance_limit", p.tolerance_limit, "finite and >= 0");
  }
  if (!std::isfinite(p.initial_average_reward)) {
    refuse(where, "initial_average_reward", p.initial_average_reward, "finite");
  }
}

AverageRewardAddictionAgent::AverageRewardAddictionAgent(const AverageRewardAddictionParams& params,
                                                         std::uint64_t seed)
    : params_(params),
      learner_((validate(params), params.q), seed),
      rho_(params.initial_average_reward) {}

StepSignal AverageRewardAddictionAgent::learn(const Transition& t, bool drug) {
  const double before = learner_.q(t.state, t.action);
  double next = 0.0;
  if (!t.terminal) {
    if (t.next_action < 0 || t.next_action >= params_.q.num_actions) {
      throw std::invalid_argument(
          "AverageRewardAddictionAgent::learn: next_action = " + std::to_string(t.next_action) +
          ": the average-reward rule bootstraps from Q(s', a'); give the next chosen action in "
          "[0, " +
          std::to_string(params_.q.num_actions) + ")");
    }
    next = learner_.q(t.next_state, t.next_action);
  }
  double delta = t.reward + next - before;
  double effective_reward = t.reward;
  double tolerance_target = 0.0;
  if (drug) {
    const double surge = params_.drug_dopamine - kappa_;
    delta = std::max(delta + surge, surge);
    effective_reward = delta - next + before;
    tolerance_target = params_.tolerance_limit;
  }
  delta -= rho_;
  rho_ = (1.0 - params_.reward_rate_step) * rho_ + params_.reward_rate_step * effective_reward;
  kappa_ = (1.0 - params_.tolerance_rate) * kappa_ + params_.tolerance_rate * tolerance_target;
  learner_.apply(t.state, t.action, delta);
  return {before, delta};
}

}  // namespace bgsim::agents
