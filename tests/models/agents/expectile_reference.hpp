#pragma once
// Test-side reference: the τ-expectile of a discrete distribution, found
// independently of the agent by bisection of the asymmetric-least-squares
// condition (Newey & Powell 1987)
//   τ Σ_k p_k (r_k − v)_+  =  (1 − τ) Σ_k p_k (v − r_k)_+ .
// The left side minus the right side falls strictly in v, so the root in
// [min r, max r] is unique.

#include <algorithm>
#include <cstddef>
#include <vector>

namespace bgsim::test {

inline double expectile(const std::vector<double>& values, const std::vector<double>& probabilities,
                        double tau) {
  double total = 0.0;
  for (double p : probabilities)
    total += p;
  auto imbalance = [&](double v) {
    double above = 0.0;
    double below = 0.0;
    for (std::size_t k = 0; k < values.size(); ++k) {
      const double p = probabilities[k] / total;
      if (values[k] > v) above += p * (values[k] - v);
      if (values[k] < v) below += p * (v - values[k]);
    }
    return tau * above - (1.0 - tau) * below;
  };
  double lo = *std::min_element(values.begin(), values.end());
  double hi = *std::max_element(values.begin(), values.end());
  for (int i = 0; i < 200 && hi - lo > 1e-13; ++i) {
    const double mid = 0.5 * (lo + hi);
    (imbalance(mid) > 0.0 ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

// The variable-magnitude task of Dabney et al. (2020) as in drl_sim / experiments.md §2.
inline const std::vector<double>& variable_magnitudes() {
  static const std::vector<double> v{0.1, 0.3, 1.2, 2.5, 5.0, 10.0, 20.0};
  return v;
}
inline const std::vector<double>& variable_probabilities() {
  static const std::vector<double> p{0.06612594, 0.09090909, 0.14847358, 0.15489467,
                                     0.31159175, 0.150519,   0.07705306};
  return p;
}

}  // namespace bgsim::test
