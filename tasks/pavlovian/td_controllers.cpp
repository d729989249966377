#include "tasks/pavlovian/td_controllers.hpp"

#include <map>
#include <stdexcept>
#include <string>

namespace bgsim::tasks::pavlovian {

// ------------------------------------------------------------ TrialStimuli

TrialStimuli::TrialStimuli(const RepresentationParams& code) : code_(code) {}

bool TrialStimuli::see(const TaskStep& s) {
  bool began = false;
  if (s.trial != trial_) {
    trial_ = s.trial;
    last_step_ = -1;
    intervals_.clear();
    columns_.clear();
    began = true;
  }
  if (s.time_step <= last_step_) return began;
  if (s.time_step != last_step_ + 1)
    throw std::logic_error("TrialStimuli: step " + std::to_string(s.time_step) + " follows step " +
                           std::to_string(last_step_) + " of trial " + std::to_string(s.trial) +
                           "; the steps of a trial come in order");
  last_step_ = s.time_step;
  // As next_trial (tasks/distributional/experiment.cpp): a stimulus is on
  // from the step of its onset event to the step of its offset event; one
  // still on lasts to the end of the trial.
  for (const TaskEvent& e : s.events) {
    if (e.kind == EventKind::stimulus_on) {
      intervals_.push_back({e.channel, s.time_step, code_.params().n_steps});
    } else if (e.kind == EventKind::stimulus_off) {
      for (auto it = intervals_.rbegin(); it != intervals_.rend(); ++it) {
        if (it->channel == e.channel && it->off_step == code_.params().n_steps) {
          it->off_step = s.time_step;
          break;
        }
      }
    }
  }
  return began;
}

const Eigen::SparseMatrix<double>& TrialStimuli::column(int k) {
  if (k < 0 || k > last_step_)
    throw std::logic_error("TrialStimuli: step " + std::to_string(k) + " has not been seen");
  while (static_cast<int>(columns_.size()) <= k) {
    const int j = static_cast<int>(columns_.size());
    columns_.emplace_back(code_.trial_features(intervals_, j + 1).col(j));
  }
  return columns_[k];
}

Eigen::SparseMatrix<double> TrialStimuli::trial_features() const {
  return code_.trial_features(intervals_, last_step_ + 1);
}

// ------------------------------------------------------------ TD(λ)

namespace {

agents::TdLambdaParams sized(agents::TdLambdaParams p, const StimulusRepresentation& code) {
  p.n_features = code.n_features();
  return p;
}

}  // namespace

TdLambdaController::TdLambdaController(const TdAgentSpec& spec)
    : stimuli_(spec.representation), agent_(sized(spec.td, stimuli_.code())) {}

void TdLambdaController::see(const TaskStep& s) {
  if (stimuli_.see(s)) agent_.begin_episode();
}

int TdLambdaController::act(const TaskStep& now) {
  see(now);
  return 0;
}

double TdLambdaController::learn(const TaskStep& from, int /*action*/, const TaskStep& to) {
  see(from);
  see(to);
  const Eigen::VectorXd x(stimuli_.column(from.time_step).col(0));
  const Eigen::VectorXd x_next(stimuli_.column(to.time_step).col(0));
  const agents::StepSignal sig = agent_.step(x, to.reward, x_next);
  value_ = sig.value;
  return sig.delta;
}

// ------------------------------------------------------------ distributional TD

namespace {

agents::DistributionalTdParams seeded(agents::DistributionalTdParams p, std::uint64_t seed) {
  p.seed = seed;
  return p;
}

}  // namespace

DistributionalTdController::DistributionalTdController(const TdAgentSpec& spec, std::uint64_t seed)
    : stimuli_(spec.representation),
      agent_(seeded(spec.distributional, seed), stimuli_.code().n_features()) {}

void DistributionalTdController::see(const TaskStep& s) {
  if (stimuli_.see(s)) reward_.clear();
}

int DistributionalTdController::act(const TaskStep& now) {
  see(now);
  return 0;
}

Eigen::VectorXd DistributionalTdController::values_at(int k) {
  return agent_.values(stimuli_.column(k)).col(0);
}

double DistributionalTdController::learn(const TaskStep& from, int /*action*/, const TaskStep& to) {
  see(from);
  see(to);
  const Eigen::VectorXd v = values_at(from.time_step);
  const Eigen::VectorXd delta =
      (to.reward + agent_.step_gamma() * values_at(to.time_step).array() - v.array()).matrix();
  value_ = v.mean();
  reward_.resize(static_cast<std::size_t>(to.time_step) + 1, 0.0);
  reward_[static_cast<std::size_t>(from.time_step)] = to.reward;
  if (to.terminal) {
    // The trial's weight changes, from its start's weights (learn_trial
    // computes the same V and δ again).
    const Eigen::VectorXd r = Eigen::Map<const Eigen::VectorXd>(
        reward_.data(), static_cast<Eigen::Index>(reward_.size()));
    agent_.learn_trial(stimuli_.trial_features(), r);
  }
  return delta.mean();
}

}  // namespace bgsim::tasks::pavlovian
