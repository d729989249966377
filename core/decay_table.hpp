#pragma once
// e^{−n·r} and 1 − e^{−n·r} for whole numbers of steps n, tabulated for the
// n that occur most: plastic synapses evaluate them for step differences
// (trace decays, the dopamine integral), several per synaptic event. A table
// entry is computed by the very expression used beyond the table, so results
// are bit-identical to computing every value afresh.

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/time.hpp"

namespace bgsim {

class DecayTable {
 public:
  DecayTable() = default;
  // rate r = dt/τ; the table covers n < min(8 τ/dt, max_entries).
  explicit DecayTable(double rate, std::size_t max_entries = 8192) : rate_(rate) {
    const double span = 8.0 / rate;
    const std::size_t n = static_cast<std::size_t>(std::min<double>(span, double(max_entries)));
    decay_.resize(n);
    growth_.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      decay_[i] = compute_decay(static_cast<Step>(i));
      growth_[i] = compute_one_minus(static_cast<Step>(i));
    }
  }

  double rate() const { return rate_; }
  // e^{−n·r}
  double decay(Step n) const {
    return static_cast<std::size_t>(n) < decay_.size() ? decay_[static_cast<std::size_t>(n)]
                                                       : compute_decay(n);
  }
  // 1 − e^{−n·r}, accurate for small n·r (expm1)
  double one_minus(Step n) const {
    return static_cast<std::size_t>(n) < growth_.size() ? growth_[static_cast<std::size_t>(n)]
                                                        : compute_one_minus(n);
  }

 private:
  double compute_decay(Step n) const { return std::exp(-static_cast<double>(n) * rate_); }
  double compute_one_minus(Step n) const { return -std::expm1(-static_cast<double>(n) * rate_); }

  double rate_ = 0.0;
  std::vector<double> decay_, growth_;
};

}  // namespace bgsim
