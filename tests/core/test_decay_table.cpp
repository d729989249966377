// Tabulated decays: e^{−n r} and 1 − e^{−n r} from two tables agree with exp
// and expm1 as closely as exp(−n·r) is itself determined by the rounding of
// n·r, for every n, and are exactly 0 where exp underflows.

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>

#include "core/decay_table.hpp"

namespace bgsim {
namespace {

double ulps(double a, double b) {
  if (a == b) return 0.0;
  const double scale = std::max(std::abs(a), std::abs(b));
  return std::abs(a - b) / (scale * std::numeric_limits<double>::epsilon());
}

TEST(DecayTable, AgreesWithExpToAFewUlpsForEveryStepCount) {
  // dt/τ of the traces (1/20), the eligibility (1e-4 at dt 0.1 ms, τ 1 s, where
  // the fine table is capped), a fast decay (3) and an inexact rate (0.1/7).
  for (double rate : {0.05, 1e-4, 3.0, 0.1 / 7.0}) {
    const DecayTable t(rate);
    // exp(−x) itself carries a relative error of about x·ε from the rounding
    // of x = n·r; the table's product rounds i·r and j·F·r instead. Both are
    // within (x + 2) units of the exact e^{−x}, so they may differ by about
    // 2x + 4 ulp (the figure for x ≈ 700 is 1400 ulp, a relative 3e-13).
    double worst = 0.0, worst_one_minus = 0.0;
    for (Step n = 0; n < 3'000'000; n += (n < 20000 ? 1 : 997)) {
      const double x = static_cast<double>(n) * rate;
      const double exact = std::exp(-x);
      if (exact < 1e-300) continue;  // subnormal range: checked below
      worst = std::max(worst, ulps(t.decay(n), exact) / (2.0 * x + 4.0));
      worst_one_minus = std::max(worst_one_minus, ulps(t.one_minus(n), -std::expm1(-x)));
    }
    EXPECT_LE(worst, 1.0) << "rate " << rate;
    EXPECT_LE(worst_one_minus, 2.5) << "rate " << rate;
  }
}

TEST(DecayTable, ExactAtZeroAndZeroBeyondTheUnderflow) {
  const DecayTable t(0.05);
  EXPECT_EQ(t.decay(0), 1.0);
  EXPECT_EQ(t.one_minus(0), 0.0);
  EXPECT_EQ(t.decay(20000), 0.0);  // e^{-1000}
  EXPECT_EQ(t.one_minus(20000), 1.0);
  EXPECT_EQ(t.decay(std::numeric_limits<Step>::max() / 2), 0.0);
  // Negative differences are not expected, but stay the exact growth.
  EXPECT_DOUBLE_EQ(t.decay(-3), std::exp(0.15));
}

TEST(DecayTable, WithoutTheBranchGivesTheSameBits) {
  // decay_straddling (one product for every n) against decay (the fine
  // table alone below its end): the same bits, across the fine table's end,
  // through the coarse table, past the underflow and for negative n.
  for (const double rate : {0.05, 1.0 / 20.0, 0.001, 0.7, 3.0}) {
    const DecayTable t(rate);
    for (Step n = -5; n < 40000; n += (n < 3000 ? 1 : 37))
      EXPECT_EQ(std::bit_cast<std::uint64_t>(t.decay_straddling(n)),
                std::bit_cast<std::uint64_t>(t.decay(n)))
          << "rate " << rate << ", n " << n;
  }
  const DecayTable placeholder;
  for (Step n = 0; n < 4; ++n)
    EXPECT_EQ(placeholder.decay_straddling(n), placeholder.decay(n));
}

}  // namespace
}  // namespace bgsim
