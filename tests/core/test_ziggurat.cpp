// The ziggurat normal deviates (core/ziggurat.hpp): the layer table, the
// distribution of 2 million deviates from independent streams against the
// normal law (moments, Kolmogorov–Smirnov distance, the tail beyond the last
// layer and far beyond it), and reproducibility from the stream's identity.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/random.hpp"
#include "core/ziggurat.hpp"

namespace bgsim {
namespace {

// The deviate of stream (seed, current_noise, id, step), as noise_current draws it.
double draw(std::uint64_t seed, std::uint64_t id, std::uint64_t step) {
  RandomStream first(seed, Purpose::current_noise, id, step);
  const std::uint32_t w0 = first(), w1 = first(), w2 = first(), w3 = first();
  return Ziggurat::get().normal(w0, w1, w2, w3, [&] {
    RandomStream rest(seed, Purpose::current_noise, id, step);
    for (int k = 0; k < 4; ++k)
      rest();
    return rest;
  });
}

double normal_cdf(double x) {
  return 0.5 * std::erfc(-x / std::sqrt(2.0));
}

TEST(Ziggurat, LayersHaveEqualAreasAndEndAtZero) {
  const auto& x = Ziggurat::get().x();
  const auto f = [](double t) { return std::exp(-0.5 * t * t); };
  EXPECT_DOUBLE_EQ(x[1], Ziggurat::r);
  EXPECT_EQ(x[Ziggurat::layers], 0.0);
  // Layer i (i >= 1) is the rectangle x_i × (f(x_{i+1}) − f(x_i)): area v.
  for (int i = 1; i < Ziggurat::layers - 1; ++i)
    EXPECT_NEAR(x[i] * (f(x[i + 1]) - f(x[i])), Ziggurat::v, 1e-12) << "layer " << i;
  // The top layer closes at f(0) = 1 with the same area (Marsaglia & Tsang's v).
  EXPECT_NEAR(x[Ziggurat::layers - 1] * (1.0 - f(x[Ziggurat::layers - 1])), Ziggurat::v, 1e-9);
  for (int i = 0; i < Ziggurat::layers; ++i)
    EXPECT_GT(x[i], x[i + 1]);
}

TEST(Ziggurat, DeviatesFollowTheNormalLaw) {
  const std::size_t n = 2'000'000;
  std::vector<double> z(n);
  for (std::size_t k = 0; k < n; ++k)
    z[k] = draw(7, k % 1000, k / 1000);
  double sum = 0.0, sum2 = 0.0, sum4 = 0.0;
  std::size_t beyond_r = 0, beyond_4 = 0;
  for (double v : z) {
    sum += v;
    sum2 += v * v;
    sum4 += v * v * v * v;
    beyond_r += std::abs(v) > Ziggurat::r;
    beyond_4 += std::abs(v) > 4.0;
  }
  const double N = static_cast<double>(n);
  EXPECT_NEAR(sum / N, 0.0, 4.0 / std::sqrt(N));
  EXPECT_NEAR(sum2 / N, 1.0, 4.0 * std::sqrt(2.0 / N));
  EXPECT_NEAR(sum4 / N, 3.0, 4.0 * std::sqrt(96.0 / N));  // Var(z⁴) = 105 − 9
  // Tail counts against their binomial expectations (4 standard deviations).
  for (const auto& [count, edge] : {std::pair{beyond_r, Ziggurat::r}, std::pair{beyond_4, 4.0}}) {
    const double p = 2.0 * (1.0 - normal_cdf(edge));
    EXPECT_NEAR(static_cast<double>(count), N * p, 4.0 * std::sqrt(N * p)) << "beyond " << edge;
  }
  // Kolmogorov–Smirnov: D below the 0.1 % critical value 1.95/√N.
  std::sort(z.begin(), z.end());
  double D = 0.0;
  for (std::size_t k = 0; k < n; ++k) {
    const double F = normal_cdf(z[k]);
    D = std::max({D, F - static_cast<double>(k) / N, static_cast<double>(k + 1) / N - F});
  }
  EXPECT_LT(D, 1.95 / std::sqrt(N));
  RecordProperty("ks_D", std::to_string(D));
}

TEST(Ziggurat, TheDeviateIsAFunctionOfTheStreamsIdentity) {
  EXPECT_EQ(draw(3, 17, 123456), draw(3, 17, 123456));
  EXPECT_NE(draw(3, 17, 123456), draw(3, 18, 123456));
  EXPECT_NE(draw(3, 17, 123456), draw(3, 17, 123457));
  EXPECT_NE(draw(3, 17, 123456), draw(4, 17, 123456));
}

}  // namespace
}  // namespace bgsim
