#include "tasks/compare/signals.hpp"

#include <cmath>
#include <stdexcept>

namespace bgsim::tasks::compare {

int BinGrid::bin_at(double t_ms) const {
  const int i = static_cast<int>(std::floor(t_ms / bin_ms));
  const int j = i - first_bin;
  return j >= 0 && j < n_bins ? j : -1;
}

BinGrid make_grid(int steps_per_trial, int cue_step, int steps_per_bin, double step_ms) {
  if (steps_per_bin < 1)
    throw std::invalid_argument("a bin must hold at least one step (got " +
                                std::to_string(steps_per_bin) + ")");
  if (cue_step < 0 || cue_step >= steps_per_trial)
    throw std::invalid_argument("the cue's step " + std::to_string(cue_step) +
                                " lies outside the trial of " + std::to_string(steps_per_trial) +
                                " steps");
  BinGrid g;
  g.steps_per_bin = steps_per_bin;
  g.cue_step = cue_step;
  g.bin_ms = steps_per_bin * step_ms;
  g.first_bin = -(cue_step / steps_per_bin);
  const int last_bin = (steps_per_trial - cue_step) / steps_per_bin - 1;  // inclusive
  g.n_bins = last_bin - g.first_bin + 1;
  return g;
}

Eigen::MatrixXd to_bins(const Eigen::MatrixXd& per_step, const BinGrid& grid, Reduce how) {
  Eigen::MatrixXd out(per_step.rows(), grid.n_bins);
  const int m = grid.steps_per_bin;
  for (int j = 0; j < grid.n_bins; ++j) {
    const int first = grid.cue_step + (grid.first_bin + j) * m;
    const Eigen::MatrixXd block = per_step.middleCols(first, m);
    if (how == Reduce::sum)
      out.col(j) = block.rowwise().sum();
    else
      out.col(j) = block.rowwise().mean();
  }
  return out;  // a NaN step makes its bin NaN (it propagates through sum and mean)
}

double pearson(const Eigen::Ref<const Eigen::ArrayXd>& x,
               const Eigen::Ref<const Eigen::ArrayXd>& y) {
  double n = 0, sx = 0, sy = 0;
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    if (!std::isfinite(x[i]) || !std::isfinite(y[i])) continue;
    ++n;
    sx += x[i];
    sy += y[i];
  }
  if (n < 3) return kNaN;
  const double mx = sx / n, my = sy / n;
  double sxx = 0, syy = 0, sxy = 0;
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    if (!std::isfinite(x[i]) || !std::isfinite(y[i])) continue;
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
    sxy += (x[i] - mx) * (y[i] - my);
  }
  if (sxx <= 0 || syy <= 0) return kNaN;
  return sxy / std::sqrt(sxx * syy);
}

std::vector<int> window_bins(const BinGrid& grid, double event_ms, const Window& w) {
  std::vector<int> bins;
  for (int j = 0; j < grid.n_bins; ++j) {
    const double t = grid.start_ms(j);
    // A bin boundary that equals a window edge up to rounding belongs to it.
    if (t >= event_ms + w.start_ms - 1e-9 && t < event_ms + w.end_ms - 1e-9) bins.push_back(j);
  }
  return bins;
}

double window_value(const Eigen::Ref<const Eigen::RowVectorXd>& row, const std::vector<int>& bins,
                    Reduce how) {
  if (bins.empty()) return kNaN;
  double s = 0;
  for (int j : bins)
    s += row[j];
  return how == Reduce::sum ? s : s / static_cast<double>(bins.size());
}

int crossing_trial(const std::vector<double>& cs, const std::vector<double>& us, int smooth) {
  if (smooth < 1) throw std::invalid_argument("crossing_trial: smooth must be >= 1");
  const std::size_t n = std::min(cs.size(), us.size());
  double a = 0, b = 0;
  for (std::size_t i = 0; i < n; ++i) {
    a += cs[i];
    b += us[i];
    if (i >= static_cast<std::size_t>(smooth)) {
      a -= cs[i - smooth];
      b -= us[i - smooth];
    }
    if (i + 1 >= static_cast<std::size_t>(smooth) && a > b) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace bgsim::tasks::compare
