#pragma once
// Shared machinery of the distributional-TD experiments (experiments.md §2):
// run a conditioning task trial by trial through its Task interface, encode
// the stimuli it announces, let an agent learn, and keep per trial and time
// step the value and the prediction error of every predictor.
//
// Index conventions (drl_sim): a trial has T steps (see conditioning.hpp);
// value has T rows (V(k), k = 0 … T−1), delta T−1 rows (δ(k) = r(k) +
// γ^{dt} V(k+1) − V(k)); "the value at time t" is row round(t/dt) − 1, as in
// drl_sim's val_at_t. So δ(k_cue − 1) is the response to the cue (the
// transition into the first cue step) and δ(k_reward) the response to the reward.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <Eigen/Dense>
#include <Eigen/SparseCore>

#include "models/agents/distributional_td.hpp"
#include "models/agents/td_lambda.hpp"
#include "tasks/environments/conditioning.hpp"
#include "tasks/representations/stimulus_representation.hpp"

namespace bgsim::tasks::distributional {

// One trial as a learner sees it.
struct TrialInput {
  ConditioningTrial record;              // what the task drew (for analysis only)
  Eigen::SparseMatrix<double> features;  // F × T, column k = x(k)
  Eigen::VectorXd reward;                // r(k), T entries
};

// Plays the next trial of `task` (reset, then step(0) to the end), turns its
// stimulus_on/off events into intervals (trial_end ends all) and its per-step
// rewards into r, and encodes the stimuli with `representation`.
TrialInput next_trial(ConditioningTask& task, const StimulusRepresentation& representation);

// The constants of each predictor, one entry per predictor.
struct PredictorTable {
  Eigen::VectorXd tau;            // nominal asymmetry α⁺/(α⁺ + α⁻) (dimensionless)
  Eigen::VectorXd tau_effective;  // expectile actually learnt, α⁺^{dt}/(α⁺^{dt} + α⁻^{dt})
  Eigen::VectorXd alpha_plus;     // α⁺ (dimensionless, per second before ^dt)
  Eigen::VectorXd alpha_minus;    // α⁻
  Eigen::VectorXd gamma;          // γ (per second)
  Eigen::VectorXd lambda;         // λ (per second)
};

// A distributional run, in memory.
struct DistributionalRun {
  double dt_s = 0.0;                      // step [s]
  int steps_per_trial = 0;                // T
  std::vector<std::string> type_names;    // trial types of the task
  std::vector<ConditioningTrial> trials;  // what each trial was
  int first_recorded_trial = 0;           // value[j] and delta[j] belong to trial first + j
  std::vector<Eigen::MatrixXd> value;     // per recorded trial: T × P (one column per predictor)
  std::vector<Eigen::MatrixXd> delta;     // per recorded trial: (T − 1) × P
  PredictorTable predictors;              // per predictor: τ, τ̃, α±, γ, λ
  Eigen::MatrixXd final_weights;          // P × F after the last trial
};

// Sees every trial right after the agent learnt from it: the trial's index,
// what the task drew, and V (P × T) and δ (P × (T − 1)) computed from the
// weights at the start of the trial. A caller that streams traces to disk or
// keeps only a few rows per trial passes one and records nothing in memory
// (record_from_trial ≥ n_trials), so a long run costs no memory per trial.
using TrialObserver = std::function<void(int trial, const ConditioningTrial& record,
                                         const agents::TrialSignals& signals)>;

// Runs `n_trials` trials of the task with a distributional agent (agent.dt_s
// is set to task.dt_s: the rates are raised to the task's own step). Traces
// are kept for trials ≥ `record_from_trial` only (0: all; ≥ n_trials: none),
// since a 1000-predictor, 10 000-trial run would need gigabytes; `observe`,
// if given, sees every trial whatever is kept.
DistributionalRun run_distributional(const ConditioningParams& task,
                                     RepresentationParams representation,
                                     agents::DistributionalTdParams agent, int n_trials,
                                     int record_from_trial = 0, const TrialObserver& observe = {});

// A TD(λ) run on the same kind of task: one predictor.
struct TdRun {
  double dt_s = 0.0;
  int steps_per_trial = 0;
  std::vector<ConditioningTrial> trials;
  Eigen::MatrixXd value;  // n_trials × T
  Eigen::MatrixXd delta;  // n_trials × (T − 1)
};

// Runs `n_trials` trials with linear TD(λ) (per-step α, γ, λ of `agent`;
// agent.n_features is set from the representation), online within each trial.
TdRun run_td_lambda(const ConditioningParams& task, RepresentationParams representation,
                    agents::TdLambdaParams agent, int n_trials);

// Summaries ------------------------------------------------------------------

// round(t/dt) − 1: the row that holds "the value at trial time t".
int time_index(double dt_s, double time_s);

// V of every predictor at trial time t, one row per recorded trial of
// `trial_type` (all types when −1), one column per predictor.
Eigen::MatrixXd value_at_time(const DistributionalRun& run, double time_s, int trial_type = -1);

// Mean over the last `last_n` trials of `trial_type` (−1: all) of V at time t,
// per predictor: the reversal point when t is the reward time.
Eigen::VectorXd mean_value_at_time(const DistributionalRun& run, double time_s, int trial_type,
                                   int last_n);

// δ of one predictor over trials × time (the TD-error heat map): one row per
// recorded trial of `trial_type` (−1: all), T − 1 columns.
Eigen::MatrixXd delta_heatmap(const DistributionalRun& run, int predictor, int trial_type = -1);

}  // namespace bgsim::tasks::distributional
