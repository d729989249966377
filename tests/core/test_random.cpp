// Counter-based random streams: reproducible from their key alone, independent
// across purposes, ids and steps, and with the right first two moments.

#include <gtest/gtest.h>

#include <cmath>

#include <Random123/philox.h>

#include <algorithm>
#include <vector>

#include "core/philox_batch.hpp"
#include "core/poisson_table.hpp"
#include "core/random.hpp"

namespace bgsim {
namespace {

TEST(RandomStream, SameKeySameNumbers) {
  RandomStream a(42, Purpose::neuron_noise, 7, 1000), b(42, Purpose::neuron_noise, 7, 1000);
  for (int i = 0; i < 100; ++i)
    ASSERT_EQ(a(), b());
}

TEST(RandomStream, AnyKeyPartChangesTheNumbers) {
  const auto first = [](RandomStream r) { return r(); };
  const std::uint32_t base = first(RandomStream(42, Purpose::neuron_noise, 7, 1000));
  EXPECT_NE(base, first(RandomStream(43, Purpose::neuron_noise, 7, 1000)));
  EXPECT_NE(base, first(RandomStream(42, Purpose::source_spikes, 7, 1000)));
  EXPECT_NE(base, first(RandomStream(42, Purpose::neuron_noise, 8, 1000)));
  EXPECT_NE(base, first(RandomStream(42, Purpose::neuron_noise, 7, 1001)));
  EXPECT_NE(base, first(RandomStream(42, Purpose::neuron_noise, 7, 1000 + (1ull << 32))));
}

struct Moments {
  double mean = 0, var = 0;
};
template <class Draw>
Moments moments(int n, Draw draw) {
  double s = 0, s2 = 0;
  for (int i = 0; i < n; ++i) {
    const double x = draw(i);
    s += x;
    s2 += x * x;
  }
  return {s / n, s2 / n - (s / n) * (s / n)};
}

TEST(RandomStream, UniformAndNormalMoments) {
  constexpr int n = 200000;
  RandomStream r(1, Purpose::neuron_noise, 0, 0);
  const Moments u = moments(n, [&](int) { return r.uniform(); });
  EXPECT_NEAR(u.mean, 0.5, 4 * std::sqrt(1.0 / 12 / n));
  EXPECT_NEAR(u.var, 1.0 / 12, 0.002);
  const Moments z = moments(n, [&](int) { return r.normal(); });
  EXPECT_NEAR(z.mean, 0.0, 4 / std::sqrt(n));
  EXPECT_NEAR(z.var, 1.0, 0.02);
}

TEST(RandomStream, PoissonMomentsAcrossTheMethodSwitch) {
  constexpr int n = 100000;
  for (double lambda : {0.01, 0.5, 5.0, 11.9, 12.0, 60.0}) {
    // One fresh stream per draw, as the kernel uses them (per neuron and step).
    const Moments m = moments(n, [&](int i) {
      return double(RandomStream(5, Purpose::poisson_input, 3, i).poisson(lambda));
    });
    EXPECT_NEAR(m.mean, lambda, 4 * std::sqrt(lambda / n)) << "lambda " << lambda;
    EXPECT_NEAR(m.var / lambda, 1.0, 0.05) << "lambda " << lambda;
  }
  EXPECT_EQ(RandomStream(1, Purpose::poisson_input, 0, 0).poisson(0.0), 0u);
}

// The batched Philox path returns, for every lane and batch length, the words
// of RandomStream's first block and of Random123's Philox4x32-10 itself.
TEST(PhiloxBatch, BitIdenticalToRandomStreamAndRandom123) {
  PhiloxWords words;
  for (std::uint64_t seed : {0ull, 1ull, 0xDEADBEEFCAFEF00Dull})
    for (std::uint64_t step : {0ull, 17ull, (1ull << 40) + 3})
      for (std::size_t n : {std::size_t{1}, std::size_t{7}, philox_batch_size}) {
        const std::uint64_t first = 0xFFFFFFF0ull;  // ids wrap through 2^32
        philox_first_blocks(seed, Purpose::poisson_input, first, step, n, words);
        for (std::size_t i = 0; i < n; ++i) {
          RandomStream r(seed, Purpose::poisson_input, first + i, step);
          ASSERT_EQ(words.w0[i], r()) << i;
          ASSERT_EQ(words.w1[i], r()) << i;
          ASSERT_EQ(words.w2[i], r()) << i;
          ASSERT_EQ(words.w3[i], r()) << i;
          const r123::Philox4x32::key_type key = {
              {static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}};
          const r123::Philox4x32::ctr_type ctr = {
              {0u, static_cast<std::uint32_t>(first + i), static_cast<std::uint32_t>(step),
               static_cast<std::uint32_t>((step >> 32) & 0xFFFF) |
                   (static_cast<std::uint32_t>(Purpose::poisson_input) << 16)}};
          const auto block = r123::Philox4x32()(ctr, key);
          ASSERT_EQ(words.w0[i], block.v[0]);
          ASSERT_EQ(words.w3[i], block.v[3]);
        }
      }
}

// Every SIMD implementation this CPU offers gives the portable words, for
// every batch length around the vector widths (tails included).
TEST(PhiloxBatch, EveryImplementationGivesTheSameWords) {
  PhiloxWords want, got;
  int tried = 0;
  for (PhiloxIsa isa : {PhiloxIsa::portable, PhiloxIsa::avx2, PhiloxIsa::avx512})
    for (std::size_t n : {1, 7, 8, 9, 15, 16, 17, 100, 511, 512}) {
      const std::uint64_t seed = 0x0123456789ABCDEFull, first = 0xFFFFFFF5ull, step = 99;
      ASSERT_TRUE(philox_first_blocks_with(PhiloxIsa::portable, seed, Purpose::current_noise, first,
                                           step, n, want));
      std::fill(std::begin(got.w0), std::end(got.w0), 0u);
      if (!philox_first_blocks_with(isa, seed, Purpose::current_noise, first, step, n, got))
        continue;  // not on this CPU
      ++tried;
      for (std::size_t i = 0; i < n; ++i) {
        ASSERT_EQ(got.w0[i], want.w0[i]) << int(isa) << " n " << n << " i " << i;
        ASSERT_EQ(got.w1[i], want.w1[i]);
        ASSERT_EQ(got.w2[i], want.w2[i]);
        ASSERT_EQ(got.w3[i], want.w3[i]);
      }
      if (n < philox_batch_size) {
        EXPECT_EQ(got.w0[n], 0u) << "wrote past the batch";
      }
    }
  EXPECT_GE(tried, 10);  // the portable path at least
}

// Inversion by table: exact probabilities (the deviate is the smallest k with
// u <= F(k), so the share of a fine grid of u landing on k is P(K = k) to the
// grid's resolution), and sample moments for means from 1e-4 to 1e5.
TEST(PoissonTable, InversionGivesThePoissonProbabilities) {
  for (double mean : {0.002, 0.5, 2.0, 11.9, 40.0}) {
    const PoissonTable t(mean);
    constexpr int grid = 1 << 20;
    std::vector<int> count(200, 0);
    for (int j = 1; j <= grid; ++j)
      ++count[std::min<std::uint32_t>(t.draw(double(j) / grid), 199)];
    for (int k = 0; k < 60; ++k) {
      const double p = std::exp(k * std::log(mean) - mean - std::lgamma(k + 1.0));
      EXPECT_NEAR(count[k] / double(grid), p, 2.0 / grid) << "mean " << mean << " k " << k;
    }
  }
  EXPECT_EQ(PoissonTable(0.0).draw(0.5), 0u);
  EXPECT_EQ(PoissonTable(3.0).draw(1.0) > 10u, true);  // u = 1 takes the last entry
  EXPECT_THROW(PoissonTable(-1.0), std::invalid_argument);
  EXPECT_THROW(PoissonTable(2e6), std::invalid_argument);
}

TEST(PoissonTable, MomentsFromSmallToLargeMeans) {
  constexpr int n = 200000;
  for (double mean : {1e-4, 0.3, 2.0, 30.0, 800.0, 1e5}) {
    const PoissonTable t(mean);
    const Moments m = moments(n, [&](int i) {
      RandomStream r(9, Purpose::poisson_input, 1, i);
      return double(t.draw(r.uniform()));
    });
    EXPECT_NEAR(m.mean, mean, 5 * std::sqrt(mean / n)) << "mean " << mean;
    if (mean >= 0.3) {
      EXPECT_NEAR(m.var / mean, 1.0, 0.03) << "mean " << mean;
    }
  }
}

}  // namespace
}  // namespace bgsim
