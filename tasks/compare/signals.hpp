#pragma once
// The arithmetic of the comparison of dopamine signals (docs/compare.md): a
// per-step signal of every trial (a spiking population's rate, an agent's
// prediction error) cut into bins aligned on the cue, the responses in
// windows after the cue and the reward, and how well two signals agree.
//
// Step grid. A trial has T steps s = 0 … T−1; step s spans [s·Δ, (s+1)·Δ) of
// the trial (Δ the step length). A learner's signal is a T-column row per
// trial; NaN marks a step without a value (a spiking learner does not act on
// the last step; an agent's error of the transition s → s+1 sits on step s+1,
// so step 0 has none). Bins: m whole steps each, aligned so that bin 0
// starts at the cue's step; bin i spans trial steps [cue + i·m, cue + (i+1)·m)
// and is kept only when it lies inside the trial. A bin's value is the mean
// of its steps (a rate) or their sum (an error), NaN if any step is NaN.

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <Eigen/Dense>

namespace bgsim::tasks::compare {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct BinGrid {
  int steps_per_bin = 1;  // m
  int first_bin = 0;      // i of the first bin kept (≤ 0)
  int n_bins = 0;         // bins kept
  int cue_step = 0;       // the step bin 0 starts at
  double bin_ms = 0.0;    // m·Δ [ms]
  // Start of bin j (j = 0 … n_bins−1, i.e. i = first_bin + j), relative to the cue [ms].
  double start_ms(int j) const { return (first_bin + j) * bin_ms; }
  // The bin j whose span holds time t relative to the cue [ms], or −1.
  int bin_at(double t_ms) const;
};

// Throws std::invalid_argument when the cue step lies outside the trial or
// m < 1.
BinGrid make_grid(int steps_per_trial, int cue_step, int steps_per_bin, double step_ms);

enum class Reduce { mean, sum };

// rows × T per-step signal → rows × n_bins.
Eigen::MatrixXd to_bins(const Eigen::MatrixXd& per_step, const BinGrid& grid, Reduce how);

// Pearson's r over the pairs where both are finite; NaN with fewer than 3
// such pairs or no variance.
double pearson(const Eigen::Ref<const Eigen::ArrayXd>& x,
               const Eigen::Ref<const Eigen::ArrayXd>& y);

// A window [start_ms, end_ms) relative to an event; the bins whose start lies
// in it are the window's bins.
struct Window {
  double start_ms = 0.0;
  double end_ms = 200.0;
};

// The bins (indices j) whose start, relative to the cue, lies in
// [event_ms + w.start_ms, event_ms + w.end_ms).
std::vector<int> window_bins(const BinGrid& grid, double event_ms, const Window& w);

// Mean (Reduce::mean) or sum (Reduce::sum) of a row's bins in `bins`; NaN if
// `bins` is empty or a value is NaN.
double window_value(const Eigen::Ref<const Eigen::RowVectorXd>& row, const std::vector<int>& bins,
                    Reduce how);

// The first trial (index into `cs` and `us`, which hold one learner's cue and
// reward responses on the trials where both exist, in order) at which the
// mean of the last `smooth` cue responses exceeds the mean of the last
// `smooth` reward responses; −1 if never.
int crossing_trial(const std::vector<double>& cs, const std::vector<double>& us, int smooth);

}  // namespace bgsim::tasks::compare
