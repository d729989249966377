#pragma once
// What a distributional-TD experiment writes into its results folder, and the
// small statistics its summary needs (tasks/distributional/experiments.cpp).
//
// Files (docs/agents/distributional_td.md, "Running it"):
//   value.npy       float64 [trials, T, P]      V_i(k) of every written trial (reward units)
//   delta.npy       float64 [trials, T − 1, P]  δ_i(k) = r(k) + γ_i^{dt} V_i(k+1) − V_i(k)
//   reward.npy      float64 [trials, T]         reward delivered in step k (reward units)
//   time_s.npy      float64 [T]                 trial time at the end of step k, (k+1)·dt [s]
//   trials.csv      one row per written trial, in the order of the .npy files
//   predictors.csv  one row per predictor: τ, τ̃, α⁺, α⁻, γ, λ
//
// The first axis of the .npy files runs over the *written* trials, not all
// trials: a run of 40 000 trials writes every n-th (TraceSelection) so the
// folder stays small, and trials.csv names the trial each row belongs to.
// The trace is streamed to disk trial by trial (io::NpyWriter), so a long run
// holds no trace in memory.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <Eigen/Dense>

#include "core/io/csv.hpp"
#include "core/io/npy.hpp"
#include "core/io/results_folder.hpp"
#include "models/agents/distributional_td.hpp"
#include "tasks/distributional/experiment.hpp"
#include "tasks/environments/conditioning.hpp"

namespace bgsim::tasks::distributional {

// Which trials' traces are written: trials ≥ first whose distance from first
// is a multiple of every, and always the last trial (the trained state).
struct TraceSelection {
  int n_trials = 1;  // trials in the run (dimensionless, ≥ 1)
  int first = 0;     // first trial written (record_from_trial; dimensionless, ≥ 0)
  int every = 1;     // stride between written trials (trace_every; dimensionless, ≥ 1)

  bool wants(int trial) const;
  int count() const;  // trials written
  // Refuses a stride < 1 or a negative first trial (std::invalid_argument).
  void validate() const;
};

class TraceWriter {
 public:
  // Opens value.npy, delta.npy, reward.npy, trials.csv and time_s.npy.
  TraceWriter(const io::ResultsFolder& folder, TraceSelection selection, double dt_s, int steps,
              int predictors, std::vector<std::string> type_names);

  // Writes the trial if the selection wants it. V is P × T and δ P × (T − 1)
  // (agents::TrialSignals): column-major, so each is already the C-order
  // [T, P] block of the file.
  void observe(int trial, const ConditioningTrial& record, const agents::TrialSignals& signals);
  // The same for a single predictor (TD(λ)): V has T entries, δ T − 1.
  void observe(int trial, const ConditioningTrial& record, const Eigen::VectorXd& value,
               const Eigen::VectorXd& delta);

  // Gives every file its name. Throws std::logic_error, leaving no file
  // behind, if fewer trials came than the selection promised (a run that
  // stopped early must not leave traces that look whole).
  void close();

 private:
  void write_record(int trial, const ConditioningTrial& record);

  TraceSelection selection_;
  int steps_ = 0;
  int predictors_ = 0;
  std::vector<std::string> type_names_;
  io::NpyWriter value_, delta_, reward_;
  io::CsvWriter trials_;
  io::NpyWriter time_;
};

// predictors.csv: predictor, tau, tau_effective, alpha_plus, alpha_minus, gamma, lambda.
void write_predictors(const io::ResultsFolder& folder, const PredictorTable& predictors);

// V or δ of every predictor at one step of the trial, for every trial of a
// run (trials × P): what the summaries average, kept in memory even when the
// full trace is not.
class StepRecord {
 public:
  enum class Of { value, delta };
  StepRecord(Of of, int step, int n_trials, int predictors);

  void observe(int trial, const agents::TrialSignals& signals);
  int step() const { return step_; }
  const Eigen::MatrixXd& matrix() const { return rows_; }
  // Mean per predictor over the last `last_n` trials that `keep` accepts;
  // fewer if the run has fewer (at least one, or std::invalid_argument).
  template <class Keep>
  Eigen::VectorXd mean_of_last(int last_n, Keep&& keep) const {
    Eigen::VectorXd sum = Eigen::VectorXd::Zero(rows_.cols());
    int taken = 0;
    for (Eigen::Index n = rows_.rows() - 1; n >= 0 && taken < last_n; --n) {
      if (!keep(static_cast<int>(n))) continue;
      sum += rows_.row(n).transpose();
      ++taken;
    }
    if (taken == 0) throw_no_trials();
    return sum / taken;
  }
  Eigen::VectorXd mean_of_last(int last_n) const {
    return mean_of_last(last_n, [](int) { return true; });
  }

 private:
  [[noreturn]] void throw_no_trials() const;

  Of of_;
  int step_ = 0;
  Eigen::MatrixXd rows_;
};

// Statistics -----------------------------------------------------------------

// The τ-expectile of a discrete distribution (sizes with relative
// probabilities): the v with τ E[(r − v)₊] = (1 − τ) E[(v − r)₊] (Newey &
// Powell 1987), by bisection; the fixed point a predictor with τ̃ = τ reaches.
double expectile(const std::vector<double>& magnitudes, const std::vector<double>& probabilities,
                 double tau);

// Spearman's rank correlation of x and y (ties get their mean rank, as a τ
// drawn from a short list has many); 0 when either has no spread.
double rank_correlation(const Eigen::VectorXd& x, const Eigen::VectorXd& y);

// 100·|x − target|/|target| (reward units cancel); infinity for a zero target.
double error_percent(double x, double target);

// A seed for one random stream of an experiment, from the description's seed
// (one splitmix64 step per stream): the task's trials and the predictor draw
// get unrelated numbers even though both use std::mt19937_64.
std::uint64_t stream_seed(std::uint64_t seed, std::uint64_t stream);

}  // namespace bgsim::tasks::distributional
