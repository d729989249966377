#include "models/agents/q_learning.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "models/agents/choice_likelihood.hpp"

namespace bgsim::agents {
namespace {

[[noreturn]] void refuse(const std::string& field, double value, const std::string& allowed) {
  throw std::invalid_argument("QLearningParams." + field + " = " + std::to_string(value) +
                              ": must be " + allowed);
}

}  // namespace

void validate(const QLearningParams& p) {
  if (p.num_states < 1) refuse("num_states", p.num_states, "at least 1");
  if (p.num_actions < 1) refuse("num_actions", p.num_actions, "at least 1");
  if (!(p.alpha >= 0.0 && p.alpha <= 1.0)) refuse("alpha", p.alpha, "in [0, 1]");
  if (!(p.gamma >= 0.0 && p.gamma <= 1.0)) refuse("gamma", p.gamma, "in [0, 1]");
  if (!std::isfinite(p.q0)) refuse("q0", p.q0, "finite");
  if (!(p.beta >= 0.0) || !std::isfinite(p.beta)) refuse("beta", p.beta, "finite and >= 0");
  if (!(p.epsilon >= 0.0 && p.epsilon <= 1.0)) refuse("epsilon", p.epsilon, "in [0, 1]");
  if (!(p.epsilon_decay > 0.0 && p.epsilon_decay <= 1.0)) {
    refuse("epsilon_decay", p.epsilon_decay, "in (0, 1]");
  }
  if (!(p.epsilon_min >= 0.0 && p.epsilon_min <= p.epsilon)) {
    refuse("epsilon_min", p.epsilon_min, "in [0, epsilon]");
  }
  if (!std::isfinite(p.perseveration)) refuse("perseveration", p.perseveration, "finite");
}

QLearningAgent::QLearningAgent(const QLearningParams& params, std::uint64_t seed)
    : params_(params), rng_(seed) {
  validate(params_);
  q_.assign(static_cast<std::size_t>(params_.num_states) * params_.num_actions, params_.q0);
  scratch_.assign(params_.num_actions, 0.0);
  epsilon_ = params_.epsilon;
}

void QLearningAgent::set_alpha(double alpha) {
  QLearningParams next = params_;
  next.alpha = alpha;
  validate(next);
  params_ = next;
}

void QLearningAgent::set_beta(double beta) {
  QLearningParams next = params_;
  next.beta = beta;
  validate(next);
  params_ = next;
}

std::size_t QLearningAgent::index(int state, int action) const {
  return static_cast<std::size_t>(state) * params_.num_actions + action;
}

void QLearningAgent::check_state(int state, const char* what) const {
  if (state < 0 || state >= params_.num_states) {
    throw std::invalid_argument(std::string("QLearningAgent: ") + what + " = " +
                                std::to_string(state) + ": must lie in [0, " +
                                std::to_string(params_.num_states) + ")");
  }
}

void QLearningAgent::check_action(int action, const char* what) const {
  if (action < 0 || action >= params_.num_actions) {
    throw std::invalid_argument(std::string("QLearningAgent: ") + what + " = " +
                                std::to_string(action) + ": must lie in [0, " +
                                std::to_string(params_.num_actions) + ")");
  }
}

std::span<const double> QLearningAgent::q_row(int state) const {
  check_state(state, "state");
  return {q_.data() + index(state, 0), static_cast<std::size_t>(params_.num_actions)};
}

void QLearningAgent::policy(int state, std::span<double> out) const {
  check_state(state, "state");
  const auto row = q_row(state);
  const int bonus_index = params_.perseveration != 0.0 ? previous_action_ : -1;
  if (params_.choice == ChoiceRule::softmax) {
    choice::softmax(row, params_.beta, out, bonus_index, params_.perseveration);
  } else {
    choice::epsilon_greedy(row, epsilon_, out, bonus_index, params_.perseveration);
  }
}

int QLearningAgent::act(int state) {
  int action = 0;
  if (params_.choice == ChoiceRule::epsilon_greedy) {
    // Two draws, as the reference does it: explore?, then which action. The greedy
    // action (with perseveration bonus) is the first maximum.
    check_state(state, "state");
    if (choice::uniform01(rng_) < epsilon_) {
      const int n = params_.num_actions;
      action = std::min(n - 1, static_cast<int>(choice::uniform01(rng_) * n));
    } else {
      const auto row = q_row(state);
      const int bonus_index = params_.perseveration != 0.0 ? previous_action_ : -1;
      double best = -INFINITY;
      for (int a = 0; a < params_.num_actions; ++a) {
        const double v = row[a] + (a == bonus_index ? params_.perseveration : 0.0);
        if (v > best) {
          best = v;
          action = a;
        }
      }
    }
  } else {
    policy(state, scratch_);
    action = choice::sample_index(scratch_, rng_);
  }
  previous_action_ = action;
  return action;
}

int QLearningAgent::greedy_action(int state) const {
  return choice::argmax(q_row(state));
}

double QLearningAgent::bootstrap(const Transition& t) const {
  if (t.terminal) return 0.0;
  check_state(t.next_state, "next_state");
  if (params_.rule == TdRule::sarsa) {
    check_action(t.next_action, "next_action (SARSA needs a')");
    return params_.gamma * q_[index(t.next_state, t.next_action)];
  }
  const auto row = q_row(t.next_state);
  return params_.gamma * *std::max_element(row.begin(), row.end());
}

StepSignal QLearningAgent::learn(const Transition& t) {
  check_state(t.state, "state");
  check_action(t.action, "action");
  const double before = q_[index(t.state, t.action)];
  const double delta = t.reward + bootstrap(t) - before;
  apply(t.state, t.action, delta);
  return {before, delta};
}

void QLearningAgent::apply(int state, int action, double delta) {
  check_state(state, "state");
  check_action(action, "action");
  q_[index(state, action)] += params_.alpha * delta;
}

void QLearningAgent::set_values(std::span<const double> values) {
  if (values.size() != q_.size()) {
    throw std::invalid_argument("QLearningAgent::set_values: " + std::to_string(values.size()) +
                                " values given: the table has " + std::to_string(q_.size()));
  }
  std::copy(values.begin(), values.end(), q_.begin());
}

void QLearningAgent::end_episode() {
  double factor = params_.epsilon_decay;
  if (params_.epsilon_schedule == EpsilonSchedule::compounding) {
    factor = std::pow(params_.epsilon_decay, episodes_ + 1);
  }
  epsilon_ = std::max(params_.epsilon_min, epsilon_ * factor);
  ++episodes_;
}

void QLearningAgent::reset_values() {
  std::fill(q_.begin(), q_.end(), params_.q0);
  previous_action_ = -1;
}

void QLearningAgent::reset() {
  reset_values();
  epsilon_ = params_.epsilon;
  episodes_ = 0;
}

}  // namespace bgsim::agents
