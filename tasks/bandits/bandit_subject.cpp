#include "tasks/bandits/bandit_subject.hpp"

#include <algorithm>
#include <cmath>

#include "tasks/bandits/two_armed_bandit.hpp"

namespace bgsim::tasks::bandits {

namespace {

agents::QLearningParams subject_params(const BanditSubject& s, int num_arms) {
  agents::QLearningParams qp;
  qp.num_states = 1;
  qp.num_actions = num_arms;
  qp.alpha = s.alpha;
  qp.beta = s.beta;
  qp.gamma = 0.0;
  qp.choice = agents::ChoiceRule::softmax;
  return qp;
}

}  // namespace

BanditSubjectController::BanditSubjectController(const BanditSubject& subject, int num_arms,
                                                 std::uint64_t seed)
    : subject_(subject),
      agent_(subject_params(subject, num_arms), derive_seed(seed, 0)),
      process_rng_(derive_seed(seed, 1)),
      alpha_(subject.alpha),
      beta_(subject.beta),
      probabilities_(static_cast<std::size_t>(num_arms)) {
  if (subject.process == ParameterProcess::drifting) {
    x_alpha_ = std::log(alpha_ / (1.0 - alpha_));
    x_beta_ = std::log(beta_);
  }
  measures_.assign(measure_names().size(), 0.0);
}

// q_sim.py: counters advance first; a redraw needs more than the minimum gap.
void BanditSubjectController::switch_parameters() {
  const BanditSubject& s = subject_;
  ++since_alpha_;
  ++since_beta_;
  if (since_alpha_ > s.min_trials_between_switches && switches_alpha_ < s.max_switches &&
      uniform01(process_rng_) < s.switch_probability) {
    alpha_ = uniform01(process_rng_);
    ++switches_alpha_;
    since_alpha_ = 0;
  }
  if (since_beta_ > s.min_trials_between_switches && switches_beta_ < s.max_switches &&
      uniform01(process_rng_) < s.switch_probability) {
    beta_ = 10.0 * uniform01(process_rng_);
    ++switches_beta_;
    since_beta_ = 0;
  }
  agent_.set_alpha(alpha_);
  agent_.set_beta(beta_);
}

int BanditSubjectController::act(const TaskStep& now) {
  // The bandit's trial_start carries the block index (tasks/environments/bandit.hpp).
  for (const TaskEvent& e : now.events)
    if (e.kind == EventKind::trial_start && e.channel != block_) {
      if (subject_.reset_each_block) agent_.reset_values();
      block_ = e.channel;
    }
  if (subject_.process == ParameterProcess::switching) switch_parameters();
  agent_.policy(0, probabilities_);
  const int a = agent_.act(0);
  measures_[0] = probabilities_[static_cast<std::size_t>(a)];
  return a;
}

double BanditSubjectController::learn(const TaskStep&, int action, const TaskStep& to) {
  const agents::StepSignal signal =
      agent_.learn({.state = 0, .action = action, .reward = to.reward, .terminal = true});
  const std::size_t arms = probabilities_.size();
  for (std::size_t b = 0; b < arms; ++b)
    measures_[1 + b] = agent_.q(0, static_cast<int>(b));
  measures_[1 + arms] = alpha_;
  measures_[2 + arms] = beta_;
  // q_sim_rw.py: the step comes after the trial; β is capped at 10.
  if (subject_.process == ParameterProcess::drifting) {
    x_alpha_ += subject_.drift_sd[0] * normal_(process_rng_);
    x_beta_ += subject_.drift_sd[1] * normal_(process_rng_);
    alpha_ = 1.0 / (1.0 + std::exp(-x_alpha_));
    beta_ = std::min(std::exp(x_beta_), 10.0);
    agent_.set_alpha(alpha_);
    agent_.set_beta(beta_);
  }
  return signal.delta;
}

std::vector<std::string> BanditSubjectController::measure_names() const {
  std::vector<std::string> names = {"p_choice"};
  for (std::size_t b = 0; b < probabilities_.size(); ++b)
    names.push_back("q_" + std::to_string(b));
  names.insert(names.end(), {"alpha", "beta"});
  return names;
}

}  // namespace bgsim::tasks::bandits
