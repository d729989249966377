#include "models/agents/actor_critic.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "models/agents/choice_likelihood.hpp"

namespace bgsim::agents {
namespace {

[[noreturn]] void refuse(const std::string& field, double value, const std::string& allowed) {
  throw std::invalid_argument("ActorCriticParams." + field + " = " + std::to_string(value) +
                              ": must be " + allowed);
}

}  // namespace

void validate(const ActorCriticParams& p) {
  if (p.num_states < 1) refuse("num_states", p.num_states, "at least 1");
  if (p.num_actions < 1) refuse("num_actions", p.num_actions, "at least 1");
  if (!(p.alpha_critic >= 0.0 && p.alpha_critic <= 1.0)) {
    refuse("alpha_critic", p.alpha_critic, "in [0, 1]");
  }
  if (!(p.alpha_actor >= 0.0) || !std::isfinite(p.alpha_actor)) {
    refuse("alpha_actor", p.alpha_actor, "finite and >= 0");
  }
  if (!(p.gamma >= 0.0 && p.gamma <= 1.0)) refuse("gamma", p.gamma, "in [0, 1]");
  if (!(p.beta >= 0.0) || !std::isfinite(p.beta)) refuse("beta", p.beta, "finite and >= 0");
  if (!std::isfinite(p.v0)) refuse("v0", p.v0, "finite");
  if (!std::isfinite(p.h0)) refuse("h0", p.h0, "finite");
}

ActorCriticAgent::ActorCriticAgent(const ActorCriticParams& params, std::uint64_t seed)
    : params_(params), rng_(seed) {
  validate(params_);
  reset();
  scratch_.assign(params_.num_actions, 0.0);
}

void ActorCriticAgent::reset() {
  v_.assign(params_.num_states, params_.v0);
  h_.assign(static_cast<std::size_t>(params_.num_states) * params_.num_actions, params_.h0);
}

void ActorCriticAgent::check(int state, int action) const {
  if (state < 0 || state >= params_.num_states) {
    throw std::invalid_argument("ActorCriticAgent: state = " + std::to_string(state) +
                                ": must lie in [0, " + std::to_string(params_.num_states) + ")");
  }
  if (action < 0 || action >= params_.num_actions) {
    throw std::invalid_argument("ActorCriticAgent: action = " + std::to_string(action) +
                                ": must lie in [0, " + std::to_string(params_.num_actions) + ")");
  }
}

void ActorCriticAgent::policy(int state, std::span<double> out) const {
  check(state, 0);
  const std::span<const double> row(
      h_.data() + static_cast<std::size_t>(state) * params_.num_actions,
      static_cast<std::size_t>(params_.num_actions));
  choice::softmax(row, params_.beta, out);
}

int ActorCriticAgent::act(int state) {
  policy(state, scratch_);
  return choice::sample_index(scratch_, rng_);
}

StepSignal ActorCriticAgent::learn(int state, int action, double reward, int next_state,
                                   bool terminal) {
  check(state, action);
  if (!terminal) check(next_state, 0);
  const double before = v_[state];
  const double delta = reward + (terminal ? 0.0 : params_.gamma * v_[next_state]) - before;
  double g = 1.0;
  if (params_.policy_gradient) {
    policy(state, scratch_);
    g = 1.0 - scratch_[action];
  }
  v_[state] += params_.alpha_critic * delta;
  h_[static_cast<std::size_t>(state) * params_.num_actions + action] +=
      params_.alpha_actor * delta * g;
  return {before, delta};
}

double ActorCriticAgent::value(int state) const {
  check(state, 0);
  return v_[state];
}

double ActorCriticAgent::preference(int state, int action) const {
  check(state, action);
  return h_[static_cast<std::size_t>(state) * params_.num_actions + action];
}

}  // namespace bgsim::agents
