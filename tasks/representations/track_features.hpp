#pragma once
// Feature maps for the linear track and the running wheel: how an agent sees
// track position under more or less sensory (state) uncertainty.
//
// One row per track state, one column per feature (num_states × m).
//
//   one-hot          φ(s) = e_s
//   blurred          φ(s) = G_{σ_s} ∗ e_s, a Gaussian of width σ_s (in states)
//                    centred on s, cut at 4σ_s (radius ⌊4σ_s + 0.5⌋) and
//                    normalised over the kernel, zero beyond the track ends.
//                    The mass that falls off the ends, 1 − Σ_j φ_j(s), is put
//                    back on state 0 for s < n/2 and on the goal otherwise
//                    (the "edge-mass rule"), so every row sums to one.
//   widths           constant σ_s = σ, or exponentially growing
//                    σ_s = σ_start (σ_end / σ_start)^{s/(n−1)}  (a track that
//                    darkens towards the goal: Mikhael et al. 2022).
//   dynamic          φ_t narrow (σ_t everywhere), φ_t' broad (σ_t' except the
//   uncertainty      last `sharp_tail` states, which keep σ_tail = 0.1): the
//                    agent is less sure where it will be than where it is.
//   static           one map, σ except the last `sharp_tail` states at σ_tail.
//   wheel            φ_TD = [c·I | 1] (a weak "time on wheel" code per step plus
//                    one feature for the unchanging place), φ_MB = I
//                    (Guru et al. 2020), c = 0.1.
//
// Reference: Priestley et al., "Dopamine ramps as a normative consequence of
// dual process control", code github.com/lpriestley/dopamine_ramps
// (DarkTrack, StaticUncertaintyTrack, DynamicUncertaintyTrack, Wheel). The
// kernel follows scipy.ndimage.gaussian_filter1d (truncate = 4, mode
// "constant") and the row sums NumPy's pairwise summation, so the edge-mass
// rule adds back exactly what the reference adds back.

#include <string>
#include <vector>

#include <Eigen/Dense>

namespace bgsim::tasks {

// Sum in the order NumPy's add.reduce uses for a contiguous float64 array
// (pairwise, blocks of 128, 8 accumulators), so sums and means of short
// vectors agree with NumPy bit for bit.
double pairwise_sum(const double* x, std::size_t n);
inline double pairwise_sum(const std::vector<double>& x) {
  return pairwise_sum(x.data(), x.size());
}
// NumPy's mean: pairwise_sum(x) / n.
double numpy_mean(const std::vector<double>& x);

// The widest kernel [states]: its 2·⌊4σ + 0.5⌋ + 1 values (16 MB) are
// computed and summed whatever the track's length, so a width of 1e20 is
// refused rather than overflowing the radius.
inline constexpr double max_kernel_width = 250000.0;

// The normalised Gaussian kernel of width `sigma` [states], in (0,
// max_kernel_width]; length 2·radius + 1 with radius ⌊4σ + 0.5⌋, centre at
// index radius.
std::vector<double> gaussian_kernel(double sigma);
// Throws std::invalid_argument naming `name` unless `sigma` [states] is a
// width gaussian_kernel takes.
void require_kernel_width(const std::string& name, double sigma);

// Kernel widths per state [states].
std::vector<double> constant_widths(int num_states, double sigma);
std::vector<double> exponential_widths(int num_states, double sigma_start, double sigma_end);

Eigen::MatrixXd one_hot_features(int num_states);
// Row s is the one-hot e_s blurred with widths[s], with the edge-mass rule;
// `goal_state` receives the lost mass of the second half of the track.
Eigen::MatrixXd blurred_features(const std::vector<double>& widths, int goal_state);

struct UncertaintyFeatures {
  Eigen::MatrixXd phi_t;     // features of the current state
  Eigen::MatrixXd phi_next;  // features of the next state
};

// Mikhael et al.'s dynamic state uncertainty: φ_t with σ_t everywhere,
// φ_t' with σ_next except the last `sharp_tail` states at `sigma_tail`.
UncertaintyFeatures dynamic_uncertainty_features(int num_states, double sigma_t, double sigma_next,
                                                 int sharp_tail = 5, double sigma_tail = 0.1);
// Static uncertainty: one map, σ except the last `sharp_tail` states at `sigma_tail`.
Eigen::MatrixXd static_uncertainty_features(int num_states, double sigma, int sharp_tail = 5,
                                            double sigma_tail = 0.1);

struct WheelFeatures {
  Eigen::MatrixXd phi_td;  // num_states × (num_states + 1): [c·I | 1]
  Eigen::MatrixXd phi_mb;  // num_states × num_states: I
};
WheelFeatures wheel_features(int num_states, double time_code = 0.1);

}  // namespace bgsim::tasks
