// Counter-based random streams: reproducible from their key alone, independent
// across purposes, ids and steps, and with the right first two moments.

#include <gtest/gtest.h>

#include <cmath>

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

}  // namespace
}  // namespace bgsim
