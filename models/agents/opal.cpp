#include "models/agents/opal.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "models/agents/choice_likelihood.hpp"

namespace bgsim::agents {
namespace {

[[noreturn]] void refuse(const std::string& field, double value, const std::string& allowed) {
  throw std::invalid_argument("OpalParams." + field + " = " + std::to_string(value) + ": must be " +
                              allowed);
}

}  // namespace

void validate(const OpalParams& p) {
  if (p.num_states < 1) refuse("num_states", p.num_states, "at least 1");
  if (p.num_actions < 1) refuse("num_actions", p.num_actions, "at least 1");
  if (!(p.alpha_critic >= 0.0 && p.alpha_critic <= 1.0)) {
    refuse("alpha_critic", p.alpha_critic, "in [0, 1]");
  }
  if (!(p.alpha_go >= 0.0) || !std::isfinite(p.alpha_go)) {
    refuse("alpha_go", p.alpha_go, "finite and >= 0");
  }
  if (!(p.alpha_nogo >= 0.0) || !std::isfinite(p.alpha_nogo)) {
    refuse("alpha_nogo", p.alpha_nogo, "finite and >= 0");
  }
  if (!(p.beta >= 0.0) || !std::isfinite(p.beta)) refuse("beta", p.beta, "finite and >= 0");
  if (!(p.rho >= -1.0 && p.rho <= 1.0)) refuse("rho", p.rho, "in [-1, 1]");
  if (!std::isfinite(p.v0)) refuse("v0", p.v0, "finite");
  if (!(p.g0 > 0.0) || !std::isfinite(p.g0)) refuse("g0", p.g0, "finite and > 0");
  if (!(p.n0 > 0.0) || !std::isfinite(p.n0)) refuse("n0", p.n0, "finite and > 0");
}

OpalAgent::OpalAgent(const OpalParams& params, std::uint64_t seed) : params_(params), rng_(seed) {
  validate(params_);
  beta_go_ = std::max(0.0, params_.beta * (1.0 + params_.rho));
  beta_nogo_ = std::max(0.0, params_.beta * (1.0 - params_.rho));
  reset();
}

void OpalAgent::reset() {
  v_.assign(params_.num_states, params_.v0);
  g_.assign(params_.num_actions, params_.g0);
  n_.assign(params_.num_actions, params_.n0);
}

void OpalAgent::check_state(int state) const {
  if (state < 0 || state >= params_.num_states) {
    throw std::invalid_argument("OpalAgent: state = " + std::to_string(state) +
                                ": must lie in [0, " + std::to_string(params_.num_states) + ")");
  }
}

void OpalAgent::check_action(int action) const {
  if (action < 0 || action >= params_.num_actions) {
    throw std::invalid_argument("OpalAgent: action = " + std::to_string(action) +
                                ": must lie in [0, " + std::to_string(params_.num_actions) + ")");
  }
}

double OpalAgent::act_value(int action) const {
  check_action(action);
  return beta_go_ * g_[action] - beta_nogo_ * n_[action];
}

void OpalAgent::choice_probabilities(std::span<const int> options, std::span<double> out) const {
  if (options.empty() || out.size() != options.size()) {
    throw std::invalid_argument(
        "OpalAgent::choice_probabilities: " + std::to_string(options.size()) + " options and " +
        std::to_string(out.size()) +
        " outputs: need at least one option and one output per option");
  }
  // Act already carries β_G and β_N, so the softmax temperature is 1.
  for (std::size_t i = 0; i < options.size(); ++i)
    out[i] = act_value(options[i]);
  choice::softmax(out, 1.0, out);
}

int OpalAgent::choose(std::span<const int> options) {
  probabilities_.resize(options.size());
  choice_probabilities(options, probabilities_);
  return options[choice::sample_index(probabilities_, rng_)];
}

StepSignal OpalAgent::learn(int state, int action, double reward) {
  check_state(state);
  check_action(action);
  const double before = v_[state];
  const double delta = reward - before;
  v_[state] += params_.alpha_critic * delta;
  g_[action] = std::max(0.0, g_[action] + params_.alpha_go * g_[action] * delta);
  n_[action] = std::max(0.0, n_[action] + params_.alpha_nogo * n_[action] * -delta);
  return {before, delta};
}

double OpalAgent::value(int state) const {
  check_state(state);
  return v_[state];
}

double OpalAgent::go(int action) const {
  check_action(action);
  return g_[action];
}

double OpalAgent::nogo(int action) const {
  check_action(action);
  return n_[action];
}

}  // namespace bgsim::agents
