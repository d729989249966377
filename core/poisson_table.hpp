#pragma once
// Poisson deviates of one fixed mean by inversion: one uniform number per
// deviate, whatever the mean.
//
// Poisson drive and Poisson generators draw a deviate of the same mean λ
// (rate × dt) for every neuron at every step. The table holds the cumulative
// distribution F(k) = P(K <= k) for k from 0 (or, for large λ, from where
// F exceeds 2^-60) to where 1 − F(k) < 2^-60, the last entry set to 1, and a
// guide table that maps ⌊u·G⌋ to the first k worth comparing (indexed search,
// Chen & Asau 1974), so a deviate costs one uniform and about two comparisons.
// The probabilities are computed in logarithms (lgamma), so no underflow of
// e^{−λ} for large λ; each is exact to a few units in the last place of a
// double, and the truncated tails weigh less than 2^-60 together.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <vector>

namespace bgsim {

class PoissonTable {
 public:
  // Means above this are refused (the table would exceed ~100 k entries).
  static constexpr double max_mean = 1e6;

  PoissonTable() = default;
  explicit PoissonTable(double mean) : mean_(mean) {
    if (!(mean >= 0.0) || !(mean <= max_mean))
      throw std::invalid_argument("Poisson mean per step must be in [0, 1e6], got " +
                                  std::to_string(mean));
    if (mean == 0.0) return;
    // The range that carries all but 2^-60 of the mass: λ ± 12√λ + 40 is
    // ample (tails of a Poisson decay faster than a Gaussian's above λ).
    const double spread = 12.0 * std::sqrt(mean) + 40.0;
    const auto first = static_cast<std::uint32_t>(std::max(0.0, std::floor(mean - spread)));
    const auto last = static_cast<std::uint32_t>(std::ceil(mean + spread));
    const double log_mean = std::log(mean);
    double F = 0.0;
    bool started = false;
    for (std::uint32_t k = first; k <= last; ++k) {
      const double p = std::exp(k * log_mean - mean - std::lgamma(k + 1.0));
      // Below the bulk the mass to the left is negligible: it is folded into
      // the first kept entry (as if rounded up to it).
      if (!started && (F + p) < 0x1p-60 && k + 1 <= last) {
        F += p;
        continue;
      }
      if (!started) {
        first_ = k;
        started = true;
      }
      F += p;
      cdf_.push_back(F);
      if (1.0 - F < 0x1p-60 && k >= mean) break;
    }
    cdf_.back() = 1.0;
    // Guide: for cell j of G, the first entry whose F is at least j / G.
    const std::size_t G = std::max<std::size_t>(16, 2 * cdf_.size());
    guide_.resize(G);
    std::size_t k = 0;
    for (std::size_t j = 0; j < G; ++j) {
      const double lo = static_cast<double>(j) / static_cast<double>(G);
      while (cdf_[k] < lo)
        ++k;
      guide_[j] = static_cast<std::uint32_t>(k);
    }
    scale_ = static_cast<double>(G);
  }

  double mean() const { return mean_; }

  // The deviate for a uniform u in (0, 1]: the smallest k with u <= F(k).
  std::uint32_t draw(double u) const {
    if (cdf_.empty()) return 0;
    std::size_t j = static_cast<std::size_t>(u * scale_);
    if (j >= guide_.size()) j = guide_.size() - 1;
    std::size_t k = guide_[j];
    while (u > cdf_[k])
      ++k;
    return first_ + static_cast<std::uint32_t>(k);
  }

 private:
  double mean_ = 0.0;
  std::uint32_t first_ = 0;
  double scale_ = 0.0;
  std::vector<double> cdf_;
  std::vector<std::uint32_t> guide_;
};

}  // namespace bgsim
