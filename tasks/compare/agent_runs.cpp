#include "tasks/compare/agent_runs.hpp"

#include <stdexcept>
#include <string>

#include "tasks/compare/signals.hpp"
#include "tasks/distributional/experiment.hpp"

namespace bgsim::tasks::compare {

namespace {

void check_trials(int n_trials) {
  if (n_trials < 1)
    throw std::invalid_argument("n_trials = " + std::to_string(n_trials) +
                                " is not allowed: run at least one trial");
}

// r'(s) = r(s + 1), r'(T − 1) = 0: the reward entering step s + 1 belongs to
// the transition s → s + 1.
Eigen::VectorXd entering(const Eigen::VectorXd& r) {
  Eigen::VectorXd out = Eigen::VectorXd::Zero(r.size());
  if (r.size() > 1) out.head(r.size() - 1) = r.tail(r.size() - 1);
  return out;
}

StimulusRepresentation code_for(const ConditioningTask& task, RepresentationParams r) {
  r.n_channels = task.n_channels();
  r.n_steps = task.steps_per_trial();
  return StimulusRepresentation(r);
}

}  // namespace

AgentTrace run_td_lambda(const ConditioningParams& task_params, RepresentationParams representation,
                         agents::TdLambdaParams agent_params, int n_trials) {
  check_trials(n_trials);
  ConditioningTask task(task_params);
  const StimulusRepresentation code = code_for(task, representation);
  agent_params.n_features = code.n_features();
  agents::TdLambda agent(agent_params);
  const int T = task.steps_per_trial();
  AgentTrace out;
  out.delta = Eigen::MatrixXd::Constant(n_trials, T, kNaN);
  out.value.resize(n_trials, T);
  Eigen::VectorXd x, x_next;
  for (int n = 0; n < n_trials; ++n) {
    distributional::TrialInput in = distributional::next_trial(task, code);
    const Eigen::VectorXd r = entering(in.reward);
    agent.begin_episode();
    x = Eigen::VectorXd(in.features.col(0));
    for (int s = 0; s + 1 < T; ++s) {
      x_next = Eigen::VectorXd(in.features.col(s + 1));
      const agents::StepSignal sig = agent.step(x, r(s), x_next);
      out.value(n, s) = sig.value;
      out.delta(n, s + 1) = sig.delta;
      x.swap(x_next);
    }
    out.value(n, T - 1) = agent.value(x);
    out.trials.push_back(std::move(in.record));
  }
  return out;
}

AgentTrace run_distributional(const ConditioningParams& task_params,
                              RepresentationParams representation,
                              agents::DistributionalTdParams agent_params, int n_trials) {
  check_trials(n_trials);
  ConditioningTask task(task_params);
  const StimulusRepresentation code = code_for(task, representation);
  agent_params.dt_s = task_params.dt_s;
  agents::DistributionalTd agent(agent_params, code.n_features());
  const int T = task.steps_per_trial();
  AgentTrace out;
  out.delta = Eigen::MatrixXd::Constant(n_trials, T, kNaN);
  out.value.resize(n_trials, T);
  agents::TrialSignals signals;
  for (int n = 0; n < n_trials; ++n) {
    distributional::TrialInput in = distributional::next_trial(task, code);
    agent.learn_trial(in.features, entering(in.reward), signals);
    out.value.row(n) = signals.value.colwise().mean();
    out.delta.row(n).tail(T - 1) = signals.delta.colwise().mean();
    out.trials.push_back(std::move(in.record));
  }
  return out;
}

}  // namespace bgsim::tasks::compare
