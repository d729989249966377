#pragma once
// TD(λ) and distributional TD as Controllers (tasks/task.hpp): Pavlovian
// learners that the closed loop's runner (tasks/loop/session.hpp) steps
// through a conditioning task, and that Python steps by hand (bgsim.Agent).
// They act in nothing (act() is always 0: the task has one action); they
// learn the values of the stimuli the steps report, through a stimulus
// representation, and return δ at each step.
//
// Each step's features x(k) come from the stimulus_on/off events seen up to
// step k of the trial, through StimulusRepresentation::trial_features: every
// code there is causal (x(k) depends on onsets at or before k and on whether
// an offset has come), so x(k) is the column k of the whole trial's matrix
// that the comparison builds (tasks/distributional/experiment.hpp,
// next_trial). The reward convention is the runner's: learn(from, a, to)
// takes to.reward as the reward of the transition from → to.
//
// Both follow the comparison's agents (tasks/compare/agent_runs.hpp) step
// for step, so the same task and seed give the same δ:
//
// * TD(λ): one TdLambda::step per transition; the trace is cleared when a
//   trial begins. As in the comparison, the step into the trial's last step
//   bootstraps from V(x(T−1)) (no terminal cut), as drl_sim's trials do.
// * Distributional TD: as DistributionalTd::learn_trial, V and δ of the
//   whole trial come from the weights at its start; δ of each step is given
//   as it happens (the mean over the predictors), and the trial's weight
//   changes are applied when its last step arrives.
//
// Measures of each step: value, V(x(from)) before the step's learning (the
// mean over the predictors for distributional TD).

#include <cstdint>
#include <string>
#include <vector>

#include <Eigen/Dense>
#include <Eigen/SparseCore>

#include "models/agents/distributional_td.hpp"
#include "models/agents/td_lambda.hpp"
#include "tasks/pavlovian/td_agent_spec.hpp"
#include "tasks/representations/stimulus_representation.hpp"
#include "tasks/task.hpp"

namespace bgsim::tasks::pavlovian {

// The stimuli of the trial under way, from the events of its steps, and the
// features they give.
class TrialStimuli {
 public:
  explicit TrialStimuli(const RepresentationParams& code);

  // Takes in the events of `s`, once per step (a step is seen by act() and
  // again by learn()). Returns true when `s` begins a new trial.
  bool see(const TaskStep& s);
  // x(k), F × 1, for a step k already seen in this trial.
  const Eigen::SparseMatrix<double>& column(int k);
  // The trial so far, F × (last step seen + 1).
  Eigen::SparseMatrix<double> trial_features() const;
  const StimulusRepresentation& code() const { return code_; }

 private:
  StimulusRepresentation code_;
  std::int64_t trial_ = -1;
  int last_step_ = -1;
  std::vector<StimulusInterval> intervals_;
  std::vector<Eigen::SparseMatrix<double>> columns_;  // x(k), computed once per step
};

class TdLambdaController final : public Controller {
 public:
  // `spec.representation` must carry the task's channels and steps per trial.
  explicit TdLambdaController(const TdAgentSpec& spec);

  int act(const TaskStep& now) override;
  double learn(const TaskStep& from, int action, const TaskStep& to) override;
  std::vector<std::string> measure_names() const override { return {"value"}; }
  std::vector<double> measures() const override { return {value_}; }

  const agents::TdLambda& agent() const { return agent_; }

 private:
  void see(const TaskStep& s);

  TrialStimuli stimuli_;
  agents::TdLambda agent_;
  double value_ = 0.0;
};

class DistributionalTdController final : public Controller {
 public:
  // `spec.representation` must carry the task's channels and steps per trial;
  // `seed` draws the predictor bank.
  DistributionalTdController(const TdAgentSpec& spec, std::uint64_t seed);

  int act(const TaskStep& now) override;
  double learn(const TaskStep& from, int action, const TaskStep& to) override;
  std::vector<std::string> measure_names() const override { return {"value"}; }
  std::vector<double> measures() const override { return {value_}; }

  const agents::DistributionalTd& agent() const { return agent_; }

 private:
  void see(const TaskStep& s);
  // V_i(x(k)) of every predictor, with the weights of the trial's start.
  Eigen::VectorXd values_at(int k);

  TrialStimuli stimuli_;
  agents::DistributionalTd agent_;
  std::vector<double> reward_;  // reward of the transition k → k+1, this trial
  double value_ = 0.0;
};

}  // namespace bgsim::tasks::pavlovian
