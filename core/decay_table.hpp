#pragma once
// e^{−n·r} and 1 − e^{−n·r} for whole numbers of steps n ≥ 0, without a call
// to exp: plastic synapses evaluate them for step differences (trace decays,
// the dopamine integral), several per synaptic event, and most differences
// (a second between two spikes is 1000 steps at dt = 1 ms) lie far beyond a
// few time constants.
//
// Two levels: a fine table e^{−i·r} (and −expm1(−i·r)) for i < F, F a power of
// two covering at least 8 time constants (at most max_entries), and a coarse
// table e^{−j·F·r} up to where the value underflows; beyond, n = j·F + i and
// the decay is fine[i] · coarse[j]. exp(−n·r) is itself only determined to
// about n·r ulp by the rounding of n·r; the product agrees with it within
// 2·n·r + 4 ulp (tests/core/test_decay_table.cpp), and is exactly 0 past the
// underflow of exp. 1 − e^{−n·r} beyond the fine table is 1 − decay(n): the
// decay is below e^{−F·r} there, so no digits cancel.

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include "core/time.hpp"

namespace bgsim {

class DecayTable {
 public:
  DecayTable() = default;  // a placeholder until the rate is known
  // rate r = dt/τ > 0.
  explicit DecayTable(double rate, std::size_t max_entries = 8192) : rate_(rate) {
    if (!(rate > 0.0) || !std::isfinite(rate))
      throw std::invalid_argument("decay table: dt/tau must be positive and finite");
    const double span = std::clamp(std::ceil(8.0 / rate), 1.0, double(max_entries));
    const std::size_t fine = std::bit_ceil(static_cast<std::size_t>(span));
    shift_ = std::countr_zero(fine);
    mask_ = fine - 1;
    fine_.resize(fine);
    for (std::size_t i = 0; i < fine; ++i)
      fine_[i] = {std::exp(-static_cast<double>(i) * rate_),
                  -std::expm1(-static_cast<double>(i) * rate_)};
    // exp(−x) is 0 in double for x > 745.2 (below half the smallest subnormal).
    coarse_.clear();
    for (std::size_t j = 0; static_cast<double>(j * fine) * rate_ <= 746.0; ++j)
      coarse_.push_back(std::exp(-static_cast<double>(j * fine) * rate_));
    underflow_ = coarse_.size();
    coarse_.push_back(0.0);
  }

  double rate() const { return rate_; }

  // e^{−n·r}
  [[gnu::always_inline]] double decay(Step n) const {
    const auto m = static_cast<std::uint64_t>(n);
    if (m <= mask_) return fine_[m].decay;
    if (n < 0) return std::exp(-static_cast<double>(n) * rate_);
    const std::uint64_t j = std::min<std::uint64_t>(m >> shift_, underflow_);
    return fine_[m & mask_].decay * coarse_[j];
  }

  // decay(n), the same bits, without a branch on which table: coarse_[0] = 1
  // (x·1 = x exactly) and the last coarse entry is the 0 past the underflow,
  // so one product serves every n. For differences that straddle the fine
  // table's end at random (a trace of τ = 20 ms read at spike intervals of a
  // second), where that branch is mispredicted; where it is not (τ = 1 s), one
  // multiplication more on the path makes this the slower.
  [[gnu::always_inline]] double decay_straddling(Step n) const {
    if (n < 0) return std::exp(-static_cast<double>(n) * rate_);
    const auto m = static_cast<std::uint64_t>(n);
    const std::uint64_t j = std::min<std::uint64_t>(m >> shift_, underflow_);
    return fine_[m & mask_].decay * coarse_[j];
  }

  // 1 − e^{−n·r}, accurate for small n·r (expm1)
  [[gnu::always_inline]] double one_minus(Step n) const {
    const auto m = static_cast<std::uint64_t>(n);
    if (m <= mask_) return fine_[m].growth;
    if (n < 0) return -std::expm1(-static_cast<double>(n) * rate_);
    return 1.0 - decay(n);
  }

 private:
  double rate_ = 0.0;
  int shift_ = 0;
  std::uint64_t mask_ = 0;
  // e^{−i·r} and 1 − e^{−i·r} side by side: a window's integral and its
  // decay read both at one step difference, so one cache line serves both
  // (the tables of τ = 1 s are 128 kB, not in L1).
  struct Entry {
    double decay, growth;
  };
  std::vector<Entry> fine_{{1.0, 0.0}};
  std::vector<double> coarse_{1.0, 0.0};  // e^{−j·F·r}, then 0 (at underflow_)
  std::uint64_t underflow_ = 1;
};

}  // namespace bgsim
