#include "tasks/distributional/results.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace bgsim::tasks::distributional {

bool TraceSelection::wants(int trial) const {
  if (trial == n_trials - 1) return true;
  return trial >= first && (trial - first) % every == 0;
}

int TraceSelection::count() const {
  if (first >= n_trials) return 1;  // only the last trial
  const int strided = (n_trials - 1 - first) / every + 1;
  const bool last_on_stride = (n_trials - 1 - first) % every == 0;
  return strided + (last_on_stride ? 0 : 1);
}

void TraceSelection::validate() const {
  if (every < 1)
    throw std::invalid_argument("trace_every = " + std::to_string(every) +
                                " is not allowed: write every n-th trial with n ≥ 1");
  if (first < 0)
    throw std::invalid_argument("record_from_trial = " + std::to_string(first) +
                                " is not allowed: it must be ≥ 0 (0 writes from the first trial)");
}

TraceWriter::TraceWriter(const io::ResultsFolder& folder, TraceSelection selection, double dt_s,
                         int steps, int predictors, std::vector<std::string> type_names)
    : selection_(selection),
      steps_(steps),
      predictors_(predictors),
      type_names_(std::move(type_names)),
      value_(folder.path("value.npy"), io::NpyDtype::of<double>(),
             {static_cast<std::size_t>(steps), static_cast<std::size_t>(predictors)}),
      delta_(folder.path("delta.npy"), io::NpyDtype::of<double>(),
             {static_cast<std::size_t>(steps - 1), static_cast<std::size_t>(predictors)}),
      reward_(io::NpyWriter::matrix(folder.path("reward.npy"), static_cast<std::size_t>(steps))),
      trials_(folder.path("trials.csv"),
              {"trial", "type", "type_name", "omission", "reward", "cue_step", "unexpected_step"}),
      time_(io::NpyWriter::vector<double>(folder.path("time_s.npy"))) {
  selection_.validate();
  std::vector<double> t(static_cast<std::size_t>(steps));
  for (int k = 0; k < steps; ++k)
    t[k] = (k + 1) * dt_s;
  time_.append(t);
}

void TraceWriter::write_record(int trial, const ConditioningTrial& record) {
  if (static_cast<int>(record.reward.size()) != steps_)
    throw std::logic_error("TraceWriter: a trial of " + std::to_string(record.reward.size()) +
                           " steps in a run of " + std::to_string(steps_));
  reward_.append(record.reward);
  const double total = std::accumulate(record.reward.begin(), record.reward.end(), 0.0);
  const std::string name = record.type >= 0 && record.type < static_cast<int>(type_names_.size())
                               ? type_names_[record.type]
                               : std::string();
  trials_.row({trial, record.type, name, record.omission ? 1 : 0, total, record.cue_on_step,
               record.unexpected_step});
}

void TraceWriter::observe(int trial, const ConditioningTrial& record,
                          const agents::TrialSignals& signals) {
  if (!selection_.wants(trial)) return;
  if (signals.value.rows() != predictors_ || signals.value.cols() != steps_ ||
      signals.delta.cols() != steps_ - 1)
    throw std::logic_error("TraceWriter: signals of another shape than the run's");
  // Column-major P × T holds V(k, i) at k·P + i: the C order of [T, P].
  value_.append(std::span<const double>(signals.value.data(), signals.value.size()));
  delta_.append(std::span<const double>(signals.delta.data(), signals.delta.size()));
  write_record(trial, record);
}

void TraceWriter::observe(int trial, const ConditioningTrial& record, const Eigen::VectorXd& value,
                          const Eigen::VectorXd& delta) {
  if (!selection_.wants(trial)) return;
  if (predictors_ != 1 || value.size() != steps_ || delta.size() != steps_ - 1)
    throw std::logic_error("TraceWriter: a single-predictor trace in a run of another shape");
  value_.append(std::span<const double>(value.data(), value.size()));
  delta_.append(std::span<const double>(delta.data(), delta.size()));
  write_record(trial, record);
}

void TraceWriter::close() {
  if (static_cast<int>(value_.rows()) != selection_.count())
    throw std::logic_error("TraceWriter: " + std::to_string(value_.rows()) +
                           " trials written of the " + std::to_string(selection_.count()) +
                           " selected; the run stopped early");
  value_.close();
  delta_.close();
  reward_.close();
  trials_.close();
  time_.close();
}

void write_predictors(const io::ResultsFolder& folder, const PredictorTable& p) {
  io::CsvWriter csv(
      folder.path("predictors.csv"),
      {"predictor", "tau", "tau_effective", "alpha_plus", "alpha_minus", "gamma", "lambda"});
  for (Eigen::Index i = 0; i < p.tau.size(); ++i)
    csv.row({i, p.tau(i), p.tau_effective(i), p.alpha_plus(i), p.alpha_minus(i), p.gamma(i),
             p.lambda(i)});
  csv.close();
}

StepRecord::StepRecord(Of of, int step, int n_trials, int predictors)
    : of_(of), step_(step), rows_(Eigen::MatrixXd::Zero(n_trials, predictors)) {}

void StepRecord::observe(int trial, const agents::TrialSignals& signals) {
  const Eigen::MatrixXd& m = of_ == Of::value ? signals.value : signals.delta;
  rows_.row(trial) = m.col(step_).transpose();
}

void StepRecord::throw_no_trials() const {
  throw std::invalid_argument("no trial of the run qualifies for the summary at step " +
                              std::to_string(step_));
}

double expectile(const std::vector<double>& magnitudes, const std::vector<double>& probabilities,
                 double tau) {
  if (magnitudes.empty() || magnitudes.size() != probabilities.size())
    throw std::invalid_argument(
        "expectile: need as many probabilities as magnitudes, at least one");
  const double total = std::accumulate(probabilities.begin(), probabilities.end(), 0.0);
  // τ·E[(r − v)₊] − (1 − τ)·E[(v − r)₊] falls strictly in v between the
  // smallest and largest size, so bisection finds its one root.
  auto imbalance = [&](double v) {
    double above = 0.0, below = 0.0;
    for (std::size_t k = 0; k < magnitudes.size(); ++k) {
      const double p = probabilities[k] / total;
      above += p * std::max(magnitudes[k] - v, 0.0);
      below += p * std::max(v - magnitudes[k], 0.0);
    }
    return tau * above - (1.0 - tau) * below;
  };
  double lo = *std::min_element(magnitudes.begin(), magnitudes.end());
  double hi = *std::max_element(magnitudes.begin(), magnitudes.end());
  for (int i = 0; i < 200 && hi - lo > 1e-13 * std::max(1.0, std::abs(hi)); ++i) {
    const double mid = 0.5 * (lo + hi);
    (imbalance(mid) > 0.0 ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

namespace {

Eigen::VectorXd mean_ranks(const Eigen::VectorXd& x) {
  const Eigen::Index n = x.size();
  std::vector<Eigen::Index> order(static_cast<std::size_t>(n));
  std::iota(order.begin(), order.end(), Eigen::Index{0});
  std::sort(order.begin(), order.end(), [&](auto a, auto b) { return x(a) < x(b); });
  Eigen::VectorXd rank(n);
  for (Eigen::Index i = 0; i < n;) {
    Eigen::Index j = i;
    while (j + 1 < n && x(order[j + 1]) == x(order[i]))
      ++j;
    for (Eigen::Index k = i; k <= j; ++k)
      rank(order[k]) = 0.5 * static_cast<double>(i + j);
    i = j + 1;
  }
  return rank;
}

}  // namespace

double rank_correlation(const Eigen::VectorXd& x, const Eigen::VectorXd& y) {
  if (x.size() != y.size()) throw std::invalid_argument("rank_correlation: lengths differ");
  const Eigen::VectorXd rx = mean_ranks(x), ry = mean_ranks(y);
  const Eigen::VectorXd dx = rx.array() - rx.mean(), dy = ry.array() - ry.mean();
  const double sxx = dx.squaredNorm(), syy = dy.squaredNorm();
  if (sxx == 0.0 || syy == 0.0) return 0.0;
  return dx.dot(dy) / std::sqrt(sxx * syy);
}

double error_percent(double x, double target) {
  if (target == 0.0) return x == 0.0 ? 0.0 : std::numeric_limits<double>::infinity();
  return 100.0 * std::abs(x - target) / std::abs(target);
}

std::uint64_t stream_seed(std::uint64_t seed, std::uint64_t stream) {
  std::uint64_t z = seed + 0x9E3779B97F4A7C15ULL * (stream + 1);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

}  // namespace bgsim::tasks::distributional
