#include "tasks/representations/track_features.hpp"

#include "core/parameters.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>
#include <string>

namespace bgsim::tasks {
namespace {

void require_states(const char* name, int n) {
  if (n < 1) refuse(name, n, "a track needs at least 1 state");
}

constexpr std::size_t kBlock = 128;  // NumPy's PW_BLOCKSIZE

}  // namespace

void require_kernel_width(const std::string& name, double sigma) {
  if (!(std::isfinite(sigma) && sigma > 0.0 && sigma <= max_kernel_width)) {
    std::ostringstream allowed;
    allowed << "a kernel width must be finite, > 0 and at most " << max_kernel_width << " states";
    refuse(name, sigma, allowed.str());
  }
}

double pairwise_sum(const double* x, std::size_t n) {
  if (n < 8) {
    double res = -0.0;  // NumPy starts from −0.0 so that a sum of −0.0 stays −0.0
    for (std::size_t i = 0; i < n; ++i)
      res += x[i];
    return res;
  }
  if (n <= kBlock) {
    double r[8];
    for (std::size_t j = 0; j < 8; ++j)
      r[j] = x[j];
    std::size_t i = 8;
    for (; i < n - (n % 8); i += 8) {
      for (std::size_t j = 0; j < 8; ++j)
        r[j] += x[i + j];
    }
    double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; ++i)
      res += x[i];
    return res;
  }
  std::size_t n2 = n / 2;
  n2 -= n2 % 8;
  return pairwise_sum(x, n2) + pairwise_sum(x + n2, n - n2);
}

double numpy_mean(const std::vector<double>& x) {
  if (x.empty()) refuse("numpy_mean size", 0, "needs at least one value");
  // add.reduce starts from the identity 0.0, then adds the pairwise sum.
  return (0.0 + pairwise_sum(x)) / static_cast<double>(x.size());
}

std::vector<double> gaussian_kernel(double sigma) {
  require_kernel_width("gaussian_kernel sigma", sigma);
  // scipy.ndimage.gaussian_filter1d: radius = int(truncate·σ + 0.5), truncate = 4;
  // w(x) = exp(−0.5/σ² · x²), normalised by its (pairwise) sum.
  const int radius = static_cast<int>(4.0 * sigma + 0.5);
  const double sigma2 = sigma * sigma;
  const double c = -0.5 / sigma2;
  std::vector<double> w(static_cast<std::size_t>(2 * radius + 1));
  // x² in double: the widest kernel (radius 10^6) squares past an int. Exact
  // for |x| < 2^26, so narrower kernels are unchanged to the bit.
  for (int x = -radius; x <= radius; ++x) {
    const double xd = static_cast<double>(x);
    w[static_cast<std::size_t>(x + radius)] = std::exp(c * (xd * xd));
  }
  const double total = pairwise_sum(w);
  for (double& v : w)
    v = v / total;
  return w;
}

std::vector<double> constant_widths(int num_states, double sigma) {
  require_states("constant_widths num_states", num_states);
  require_kernel_width("constant_widths sigma", sigma);
  return std::vector<double>(static_cast<std::size_t>(num_states), sigma);
}

std::vector<double> exponential_widths(int num_states, double sigma_start, double sigma_end) {
  require_states("exponential_widths num_states", num_states);
  require_kernel_width("exponential_widths sigma_start", sigma_start);
  require_kernel_width("exponential_widths sigma_end", sigma_end);
  std::vector<double> widths(static_cast<std::size_t>(num_states));
  const double ratio = sigma_end / sigma_start;
  for (int i = 0; i < num_states; ++i) {
    const double i_norm =
        num_states > 1 ? static_cast<double>(i) / static_cast<double>(num_states - 1) : 0.0;
    widths[static_cast<std::size_t>(i)] = sigma_start * std::pow(ratio, i_norm);
  }
  return widths;
}

Eigen::MatrixXd one_hot_features(int num_states) {
  require_states("one_hot_features num_states", num_states);
  return Eigen::MatrixXd::Identity(num_states, num_states);
}

Eigen::MatrixXd blurred_features(const std::vector<double>& widths, int goal_state) {
  const int n = static_cast<int>(widths.size());
  require_states("blurred_features widths.size()", n);
  if (goal_state < 0 || goal_state >= n) {
    refuse("blurred_features goal_state", goal_state,
           "must be a state in [0, " + std::to_string(n - 1) + "]");
  }
  Eigen::MatrixXd phi = Eigen::MatrixXd::Zero(n, n);
  std::vector<double> row(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    const std::vector<double> w = gaussian_kernel(widths[static_cast<std::size_t>(i)]);
    const int radius = static_cast<int>(w.size() / 2);
    // A one-hot row filtered with zero padding is the kernel itself, cut at the ends.
    for (int j = 0; j < n; ++j) {
      const int offset = j - i;
      row[static_cast<std::size_t>(j)] = (offset >= -radius && offset <= radius)
                                             ? w[static_cast<std::size_t>(offset + radius)]
                                             : 0.0;
    }
    // Edge-mass rule: what fell off the track goes to the start (first half)
    // or to the goal (second half).
    const double lost = 1.0 - pairwise_sum(row);
    if (lost > 0.0) row[static_cast<std::size_t>(2 * i < n ? 0 : goal_state)] += lost;
    for (int j = 0; j < n; ++j)
      phi(i, j) = row[static_cast<std::size_t>(j)];
  }
  return phi;
}

UncertaintyFeatures dynamic_uncertainty_features(int num_states, double sigma_t, double sigma_next,
                                                 int sharp_tail, double sigma_tail) {
  require_states("dynamic_uncertainty_features num_states", num_states);
  if (sharp_tail < 0) refuse("dynamic_uncertainty_features sharp_tail", sharp_tail, "must be >= 0");
  std::vector<double> next = constant_widths(num_states, sigma_next);
  for (int i = std::max(0, num_states - sharp_tail); i < num_states; ++i) {
    next[static_cast<std::size_t>(i)] = sigma_tail;
  }
  return {blurred_features(constant_widths(num_states, sigma_t), num_states - 1),
          blurred_features(next, num_states - 1)};
}

Eigen::MatrixXd static_uncertainty_features(int num_states, double sigma, int sharp_tail,
                                            double sigma_tail) {
  require_states("static_uncertainty_features num_states", num_states);
  if (sharp_tail < 0) refuse("static_uncertainty_features sharp_tail", sharp_tail, "must be >= 0");
  std::vector<double> widths = constant_widths(num_states, sigma);
  for (int i = std::max(0, num_states - sharp_tail); i < num_states; ++i) {
    widths[static_cast<std::size_t>(i)] = sigma_tail;
  }
  return blurred_features(widths, num_states - 1);
}

WheelFeatures wheel_features(int num_states, double time_code) {
  require_states("wheel_features num_states", num_states);
  if (!std::isfinite(time_code)) refuse("wheel_features time_code", time_code, "must be finite");
  WheelFeatures f;
  f.phi_td = Eigen::MatrixXd::Zero(num_states, num_states + 1);
  f.phi_td.leftCols(num_states) = Eigen::MatrixXd::Identity(num_states, num_states) * time_code;
  f.phi_td.col(num_states).setOnes();
  f.phi_mb = Eigen::MatrixXd::Identity(num_states, num_states);
  return f;
}

}  // namespace bgsim::tasks
