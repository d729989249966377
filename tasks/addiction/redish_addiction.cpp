#include "tasks/addiction/redish_addiction.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>

#include "models/agents/addiction.hpp"
#include "models/agents/q_learning.hpp"
#include "tasks/bandits/two_armed_bandit.hpp"
#include "tasks/loop/session.hpp"

namespace bgsim::tasks::addiction {
namespace {

agents::QLearningParams learner_params(const RedishExperimentConfig& c) {
  agents::QLearningParams q;
  q.num_states = 1;
  q.num_actions = 2;
  q.alpha = c.learning_rate;
  q.gamma = c.gamma;
  q.rule = agents::TdRule::q_learning;
  q.choice = agents::ChoiceRule::epsilon_greedy;
  q.epsilon = c.epsilon;
  q.epsilon_decay = c.epsilon_decay;
  q.epsilon_min = c.epsilon_min;
  q.epsilon_schedule = agents::EpsilonSchedule::compounding;
  return q;
}

// The three learners behind one face: act, learn, and read Q.
class Learner {
 public:
  Learner(const RedishExperimentConfig& c, std::uint64_t seed)
      : model_(c.model), d_(c.drug_dopamine) {
    const agents::QLearningParams q = learner_params(c);
    switch (model_) {
      case AddictionModel::redish:
        redish_ =
            std::make_unique<agents::RedishAgent>(agents::RedishParams{q, c.drug_dopamine}, seed);
        break;
      case AddictionModel::average_reward: {
        agents::AverageRewardAddictionParams p;
        p.q = q;
        p.q.rule = agents::TdRule::sarsa;
        p.drug_dopamine = c.drug_dopamine;
        p.reward_rate_step = c.reward_rate_step;
        p.tolerance_rate = c.tolerance_rate;
        p.tolerance_limit = c.tolerance_limit;
        average_ = std::make_unique<agents::AverageRewardAddictionAgent>(p, seed);
        break;
      }
      case AddictionModel::compensable:
        plain_ = std::make_unique<agents::QLearningAgent>(q, seed);
        break;
    }
  }
  int act() {
    if (redish_) return redish_->act(0);
    if (average_) return average_->act(0);
    return plain_->act(0);
  }
  agents::StepSignal learn(const agents::Transition& t, bool drug) {
    if (redish_) return redish_->learn(t, drug);
    if (average_) return average_->learn(t, drug);
    agents::Transition with_drug = t;
    if (drug) with_drug.reward += d_;
    return plain_->learn(with_drug);
  }
  const agents::QLearningAgent& q() const {
    if (redish_) return redish_->learner();
    if (average_) return average_->learner();
    return *plain_;
  }
  void end_episode() {
    if (redish_) redish_->end_episode();
    if (average_) average_->end_episode();
    if (plain_) plain_->end_episode();
  }
  double rho() const { return average_ ? average_->average_reward() : 0.0; }
  double kappa() const { return average_ ? average_->tolerance() : 0.0; }

 private:
  AddictionModel model_;
  double d_;
  std::unique_ptr<agents::RedishAgent> redish_;
  std::unique_ptr<agents::AverageRewardAddictionAgent> average_;
  std::unique_ptr<agents::QLearningAgent> plain_;
};

// The learner as a Controller, so the session runner drives it. A continuing
// task: δ bootstraps across episode ends. Q-learning chooses its next action
// after the update, from the new values (as the reference loop does); the
// average-reward rule needs a' before it, to bootstrap from Q(s', a'). Either
// way the next action is chosen in learn() and returned by the next act().
//
// Measures: epsilon, rho, kappa (in force before the step), value (Q before
// the update), q_after (Q of the action after it), q_natural, q_drug, drug.
class AddictionController final : public Controller {
 public:
  AddictionController(const RedishExperimentConfig& c, std::uint64_t seed)
      : learner_(c, seed), on_policy_(c.model == AddictionModel::average_reward) {}

  int act(const TaskStep&) override {
    if (pending_ < 0) pending_ = learner_.act();
    before_ = {learner_.q().epsilon(), learner_.rho(), learner_.kappa()};
    return pending_;
  }
  double learn(const TaskStep&, int action, const TaskStep& to) override {
    const int next_before = on_policy_ ? learner_.act() : -1;
    const agents::StepSignal s = learner_.learn({.state = 0,
                                                 .action = action,
                                                 .reward = to.reward,
                                                 .next_state = 0,
                                                 .next_action = next_before,
                                                 .terminal = false},
                                                to.drug);
    pending_ = on_policy_ ? next_before : learner_.act();
    const auto& q = learner_.q();
    measures_ = {before_[0],
                 before_[1],
                 before_[2],
                 s.value,
                 q.q(0, action),
                 q.q(0, AddictionTask::kNaturalAction),
                 q.q(0, AddictionTask::kDrugAction),
                 to.drug ? 1.0 : 0.0};
    return s.delta;
  }
  void end_trial(const TaskStep&) override { learner_.end_episode(); }
  std::vector<std::string> measure_names() const override {
    return {"epsilon", "rho", "kappa", "value", "q_after", "q_natural", "q_drug", "drug"};
  }
  std::vector<double> measures() const override { return measures_; }
  const agents::QLearningAgent& q() const { return learner_.q(); }

 private:
  Learner learner_;
  bool on_policy_;
  int pending_ = -1;
  std::array<double, 3> before_{};
  std::vector<double> measures_ = std::vector<double>(8, 0.0);
};

}  // namespace

RedishExperimentResult run_redish_experiment(const RedishExperimentConfig& config,
                                             std::uint64_t seed) {
  if (config.repetitions < 1) {
    throw std::invalid_argument("RedishExperimentConfig.repetitions = " +
                                std::to_string(config.repetitions) + ": must be >= 1");
  }
  RedishExperimentResult result;
  const double alpha = config.learning_rate;
  for (int run = 0; run < config.repetitions; ++run) {
    const auto id = static_cast<std::uint64_t>(run);
    AddictionTask task(config.task, bandits::derive_seed(seed, 2 * id));
    AddictionController learner(config, bandits::derive_seed(seed, 2 * id + 1));
    AddictionRun summary;
    summary.min_increment_over_floor = std::numeric_limits<double>::infinity();
    int drug_choices = 0, steps = 0;
    const auto record = [&](const loop::StepRecord& step) {
      if (step.step == 0) drug_choices = steps = 0;  // a new episode
      const auto& m = step.measures;                 // AddictionController::measure_names()
      const double epsilon = m[0], rho = m[1], kappa = m[2], value = m[3], after = m[4];
      const bool drug = m[7] != 0.0;
      if (drug) {
        ++summary.drug_steps;
        // The lower bound of δ on a drug step; the compensable control has none.
        double floor = std::numeric_limits<double>::quiet_NaN();
        if (config.model == AddictionModel::redish) floor = config.drug_dopamine;
        if (config.model == AddictionModel::average_reward)
          floor = config.drug_dopamine - kappa - rho;
        if (!std::isnan(floor))
          summary.min_increment_over_floor =
              std::min(summary.min_increment_over_floor, (after - value) - alpha * floor);
      }
      drug_choices += step.action == AddictionTask::kDrugAction ? 1 : 0;
      ++steps;
      summary.drug_fraction_last_episode = static_cast<double>(drug_choices) / steps;
      if (config.keep_steps)
        result.steps.push_back({run, task.episode(), task.step_in_episode(), step.action,
                                step.reward, drug, value, step.delta, m[5], m[6], epsilon, rho,
                                kappa});
    };
    // The task ends the session itself, after its episodes.
    loop::run_session(task, learner, std::numeric_limits<std::int64_t>::max(), record);
    summary.q_natural = learner.q().q(0, AddictionTask::kNaturalAction);
    summary.q_drug = learner.q().q(0, AddictionTask::kDrugAction);
    summary.greedy_action = learner.q().greedy_action(0);
    result.runs_preferring_drug += summary.greedy_action == AddictionTask::kDrugAction ? 1 : 0;
    result.runs.push_back(summary);
  }
  return result;
}

}  // namespace bgsim::tasks::addiction
