#include "tasks/distributional/experiment.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <sstream>
#include <stdexcept>

namespace bgsim::tasks::distributional {
namespace {

void check_trials(int n_trials) {
  if (n_trials < 1) {
    throw std::invalid_argument("n_trials = " + std::to_string(n_trials) +
                                " is not allowed: run at least one trial");
  }
}

// Indices into run.value / run.delta of the recorded trials of a type.
std::vector<int> recorded_of_type(const DistributionalRun& run, int trial_type) {
  std::vector<int> rows;
  for (std::size_t j = 0; j < run.value.size(); ++j) {
    const int type = run.trials[run.first_recorded_trial + j].type;
    if (trial_type < 0 || type == trial_type) rows.push_back(static_cast<int>(j));
  }
  return rows;
}

void check_recorded(const DistributionalRun& run, const char* who) {
  if (run.value.empty()) {
    throw std::invalid_argument(std::string(who) +
                                ": the run kept no traces (record_from_trial was ≥ n_trials)");
  }
}

int checked_index(const DistributionalRun& run, double time_s, const char* who) {
  const int k = time_index(run.dt_s, time_s);
  if (k < 0 || k >= run.steps_per_trial) {
    std::ostringstream msg;
    msg << who << ": time " << time_s << " s falls outside the trial (steps 0 … "
        << run.steps_per_trial - 1 << " of " << run.dt_s << " s)";
    throw std::invalid_argument(msg.str());
  }
  return k;
}

}  // namespace

TrialInput next_trial(ConditioningTask& task, const StimulusRepresentation& representation) {
  const int n_steps = task.steps_per_trial();
  TrialInput in;
  in.reward = Eigen::VectorXd::Zero(n_steps);
  std::vector<StimulusInterval> stimuli;
  std::map<int, std::size_t> open;  // channel -> index into stimuli of its open interval
  TaskStep s = task.reset();
  for (;;) {
    in.reward(s.time_step) = s.reward;
    for (const TaskEvent& e : s.events) {
      if (e.kind == EventKind::stimulus_on) {
        open[e.channel] = stimuli.size();
        stimuli.push_back({e.channel, s.time_step, n_steps});
      } else if (e.kind == EventKind::stimulus_off) {
        const auto it = open.find(e.channel);
        if (it != open.end()) {
          stimuli[it->second].off_step = s.time_step;
          open.erase(it);
        }
      }
    }
    if (s.terminal) break;  // trial_end: whatever is still open lasts to the end
    s = task.step(0);
  }
  in.record = task.trial();
  in.features = representation.trial_features(stimuli, n_steps);
  return in;
}

DistributionalRun run_distributional(const ConditioningParams& task_params,
                                     RepresentationParams representation,
                                     agents::DistributionalTdParams agent_params, int n_trials,
                                     int record_from_trial, const TrialObserver& observe) {
  check_trials(n_trials);
  if (record_from_trial < 0) {
    throw std::invalid_argument("record_from_trial = " + std::to_string(record_from_trial) +
                                " is not allowed: it must be ≥ 0 (0 keeps every trial)");
  }
  const int first_recorded = std::min(record_from_trial, n_trials);
  ConditioningTask task(task_params);
  representation.n_channels = task.n_channels();
  representation.n_steps = task.steps_per_trial();
  const StimulusRepresentation code(representation);
  agent_params.dt_s = task_params.dt_s;
  agents::DistributionalTd agent(agent_params, code.n_features());

  DistributionalRun run;
  run.dt_s = task_params.dt_s;
  run.steps_per_trial = task.steps_per_trial();
  for (const TrialType& type : task_params.trial_types)
    run.type_names.push_back(type.name);
  run.trials.reserve(n_trials);
  run.first_recorded_trial = first_recorded;
  run.value.reserve(n_trials - first_recorded);
  run.delta.reserve(n_trials - first_recorded);
  agents::TrialSignals signals;
  for (int n = 0; n < n_trials; ++n) {
    TrialInput in = next_trial(task, code);
    agent.learn_trial(in.features, in.reward, signals);
    if (observe) observe(n, in.record, signals);
    if (n >= first_recorded) {
      run.value.push_back(signals.value.transpose());
      run.delta.push_back(signals.delta.transpose());
    }
    run.trials.push_back(std::move(in.record));
  }
  const agents::PredictorBank& bank = agent.bank();
  run.predictors.tau = agent.tau();
  run.predictors.tau_effective = agent.tau_effective();
  run.predictors.alpha_plus = bank.alpha_plus;
  run.predictors.alpha_minus = bank.alpha_minus;
  run.predictors.gamma = bank.gamma;
  run.predictors.lambda = bank.lambda;
  run.final_weights = agent.weights();
  return run;
}

TdRun run_td_lambda(const ConditioningParams& task_params, RepresentationParams representation,
                    agents::TdLambdaParams agent_params, int n_trials) {
  check_trials(n_trials);
  ConditioningTask task(task_params);
  representation.n_channels = task.n_channels();
  representation.n_steps = task.steps_per_trial();
  const StimulusRepresentation code(representation);
  agent_params.n_features = code.n_features();
  agents::TdLambda agent(agent_params);

  const int n_steps = task.steps_per_trial();
  TdRun run;
  run.dt_s = task_params.dt_s;
  run.steps_per_trial = n_steps;
  run.value.resize(n_trials, n_steps);
  run.delta.resize(n_trials, n_steps - 1);
  Eigen::VectorXd x;
  Eigen::VectorXd x_next;
  for (int n = 0; n < n_trials; ++n) {
    TrialInput in = next_trial(task, code);
    agent.begin_episode();
    x = Eigen::VectorXd(in.features.col(0));
    for (int k = 0; k + 1 < n_steps; ++k) {
      x_next = Eigen::VectorXd(in.features.col(k + 1));
      const agents::StepSignal s = agent.step(x, in.reward(k), x_next);
      run.value(n, k) = s.value;
      run.delta(n, k) = s.delta;
      x.swap(x_next);
    }
    run.value(n, n_steps - 1) = agent.value(x);
    run.trials.push_back(std::move(in.record));
  }
  return run;
}

int time_index(double dt_s, double time_s) {
  // Saturated at the ends of int, so that a time of 1e308 s is a step
  // outside every trial (and refused as such), never an overflow.
  const double k = std::nearbyint(time_s / dt_s);
  if (!(k > static_cast<double>(std::numeric_limits<int>::min())))
    return std::numeric_limits<int>::min();
  if (!(k <= static_cast<double>(std::numeric_limits<int>::max())))
    return std::numeric_limits<int>::max();
  return static_cast<int>(k) - 1;
}

Eigen::MatrixXd value_at_time(const DistributionalRun& run, double time_s, int trial_type) {
  check_recorded(run, "value_at_time");
  const int k = checked_index(run, time_s, "value_at_time");
  const std::vector<int> rows = recorded_of_type(run, trial_type);
  const Eigen::Index n_pred = run.predictors.tau.size();
  Eigen::MatrixXd out(static_cast<Eigen::Index>(rows.size()), n_pred);
  for (std::size_t i = 0; i < rows.size(); ++i)
    out.row(i) = run.value[rows[i]].row(k);
  return out;
}

Eigen::VectorXd mean_value_at_time(const DistributionalRun& run, double time_s, int trial_type,
                                   int last_n) {
  const Eigen::MatrixXd v = value_at_time(run, time_s, trial_type);
  if (last_n < 1 || last_n > v.rows()) {
    std::ostringstream msg;
    msg << "mean_value_at_time: last_n = " << last_n << " is not allowed: the run holds "
        << v.rows() << " recorded trials of that type";
    throw std::invalid_argument(msg.str());
  }
  return v.bottomRows(last_n).colwise().mean().transpose();
}

Eigen::MatrixXd delta_heatmap(const DistributionalRun& run, int predictor, int trial_type) {
  check_recorded(run, "delta_heatmap");
  if (predictor < 0 || predictor >= run.predictors.tau.size()) {
    std::ostringstream msg;
    msg << "delta_heatmap: predictor " << predictor << " is not allowed: the run has "
        << run.predictors.tau.size() << " predictors";
    throw std::invalid_argument(msg.str());
  }
  const std::vector<int> rows = recorded_of_type(run, trial_type);
  Eigen::MatrixXd out(static_cast<Eigen::Index>(rows.size()), run.steps_per_trial - 1);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    out.row(i) = run.delta[rows[i]].col(predictor).transpose();
  }
  return out;
}

}  // namespace bgsim::tasks::distributional
