// The dopamine integral through a receptor's occupancy
// (core/receptor_occupancy.hpp): the quadrature against an independent
// composite Simpson rule after bursts and dips, close to the pole a dip puts
// before the interval, over long windows; the linear limit K → ∞; and the
// chained integral of core/dopamine_integral.hpp over a volume with many
// jumps against the same reference.

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <functional>
#include <memory>
#include <utility>
#include <vector>

#include "core/dopamine_integral.hpp"
#include "core/neuromodulator.hpp"
#include "core/receptor_occupancy.hpp"

namespace bgsim {
namespace {

// Composite Simpson on n intervals: independent of the Gauss–Legendre
// pieces, and with n = 2e5 its error (h⁴) is far below 1e-12 here.
double integrate(const std::function<double(double)>& f, double a, double b, int n = 200000) {
  const double h = (b - a) / n;
  double sum = f(a) + f(b);
  for (int i = 1; i < n; ++i)
    sum += (i % 2 == 1 ? 4.0 : 2.0) * f(a + i * h);
  return sum * h / 3.0;
}

double reference(double A, double d0, double b, double K, double tau_c, double tau_d, double len) {
  return integrate(
      [&](double s) {
        return std::exp(-s / tau_c) *
               (occupancy(d0 + A * std::exp(-s / tau_d), K) - occupancy(b, K));
      },
      0.0, len, 2000000);
}

TEST(ReceptorOccupancy, OccupancyIsMassActionOnThePositiveLevel) {
  EXPECT_DOUBLE_EQ(occupancy(1.0, 1.0), 0.5);
  EXPECT_DOUBLE_EQ(occupancy(3.0, 1.0), 0.75);
  EXPECT_EQ(occupancy(0.0, 0.2), 0.0);
  EXPECT_EQ(occupancy(-0.5, 0.2), 0.0);
}

TEST(ReceptorOccupancy, QuadratureAgreesWithCompositeSimpsonAfterBurstsAndDips) {
  struct Case {
    double A, d0, b, K, tau_c, tau_d, len;
  };
  const Case cases[] = {
      {2.0, 0.0, 1.0, 0.25, 150.0, 100.0, 5.0},      // burst, high affinity, short window
      {2.0, 0.0, 1.0, 5.0, 150.0, 100.0, 400.0},     // burst, low affinity, long window
      {40.0, 0.0, 1.0, 0.05, 150.0, 100.0, 3000.0},  // huge burst, near saturation, very long
      {-0.9, 1.0, 1.0, 0.25, 150.0, 100.0, 250.0},   // dip from a baseline: pole before s = 0
      {-0.999, 1.0, 1.0, 0.01, 1000.0, 12.5, 80.0},  // deep dip, pole very close (K/d0 1e-2)
      {0.5, 0.5, 1.5, 1.0, 1000.0, 200.0, 1e4},      // baseline below b: the constant tail
      {0.0, 1.5, 1.0, 0.25, 150.0, 100.0, 60.0},     // at baseline: closed form only
  };
  for (const Case& c : cases) {
    const double got = occupancy_integral(c.A, c.d0, c.b, c.K, c.tau_c, c.tau_d, c.len);
    const double want = reference(c.A, c.d0, c.b, c.K, c.tau_c, c.tau_d, c.len);
    EXPECT_NEAR(got, want, 1e-12 * std::abs(want) + 1e-14)
        << "A " << c.A << ", d0 " << c.d0 << ", K " << c.K << ", len " << c.len;
    EXPECT_NE(want, 0.0);
  }
}

TEST(ReceptorOccupancy, TendsToTheLinearIntegralForALowAffinityReceptor) {
  // K · (φ(d) − φ(b)) = K² (d − b) / ((d + K)(b + K)) → d − b as K → ∞.
  const double A = 1.2, d0 = 0.3, b = 0.8, tau_c = 150.0, tau_d = 100.0, len = 300.0;
  const double tau_s = tau_c * tau_d / (tau_c + tau_d);
  const double linear =
      A * tau_s * -std::expm1(-len / tau_s) + (d0 - b) * tau_c * -std::expm1(-len / tau_c);
  double previous_gap = HUGE_VAL;
  for (double K : {1e2, 1e3, 1e4, 1e5}) {
    const double gap = std::abs(K * occupancy_integral(A, d0, b, K, tau_c, tau_d, len) - linear);
    EXPECT_LT(gap, 10.0 * std::abs(linear) / K) << "K " << K;  // O(d/K)
    EXPECT_LT(gap, previous_gap);
    previous_gap = gap;
  }
}

TEST(ReceptorOccupancy, ChainedIntegralOverManyJumpsAgreesWithTheReference) {
  // A volume with a baseline, spikes and a negative pulse; the chained
  // integral between any two steps against the piecewise reference.
  const Resolution res(0.1);
  DopamineVolume::Params vp{.tau_ms = 100.0, .baseline = 0.2, .spike_increment = 0.3};
  DopamineVolume volume("da", vp);
  volume.prepare(res, 0);
  const std::vector<std::pair<Step, double>> jumps{{50, 0.3},    {120, 0.3},  {121, 0.3},
                                                   {900, -0.15}, {2500, 1.0}, {2600, 0.3},
                                                   {5000, -1.2}, {9000, 0.3}};
  std::uint64_t seq = 0;
  for (const auto& [at, amount] : jumps)
    volume.handle({.step = at, .seq = seq++, .value = amount});
  volume.commit(12000);
  const double tau_c = 150.0, b = 0.3, K = 0.25;
  DopamineIntegral integral;
  integral.prepare(volume, tau_c, b, false, K);
  // The level at real time t (ms) from the jumps at or before `upto` (ms),
  // for the reference.
  const auto level = [&](double t, double upto) {
    double d = vp.baseline;
    double last = 0.0;
    for (const auto& [at, amount] : jumps) {
      const double ta = static_cast<double>(at) * 0.1;
      if (ta > upto) break;
      d = vp.baseline + (d - vp.baseline) * std::exp(-(ta - last) / vp.tau_ms) + amount;
      last = ta;
    }
    return vp.baseline + (d - vp.baseline) * std::exp(-(t - last) / vp.tau_ms);
  };
  for (const auto& [t1, t2] : std::vector<std::pair<Step, Step>>{{0, 40},
                                                                 {0, 3000},
                                                                 {100, 125},
                                                                 {118, 2600},
                                                                 {890, 910},
                                                                 {2550, 11900},
                                                                 {3000, 8000},
                                                                 {4990, 5600}}) {
    const double a = static_cast<double>(t1) * 0.1;
    double want = 0.0;
    // Piece by piece between jumps, so that the reference never integrates across a jump.
    std::vector<double> cuts{a};
    for (const auto& [at, amount] : jumps)
      if (at > t1 && at < t2) cuts.push_back(static_cast<double>(at) * 0.1);
    cuts.push_back(static_cast<double>(t2) * 0.1);
    for (std::size_t i = 0; i + 1 < cuts.size(); ++i)
      want += integrate(
          [&](double u) {  // the jumps up to the piece's start, none at its end
            return std::exp(-(u - a) / tau_c) * (occupancy(level(u, cuts[i]), K) - occupancy(b, K));
          },
          cuts[i], cuts[i + 1]);
    EXPECT_NEAR(integral.integral(t1, t2), want, 1e-9 * std::abs(want) + 1e-12)
        << "window [" << t1 << ", " << t2 << "]";
  }
}

TEST(DopamineIntegral, FromOneStartGivesTheBitsOfIntegral) {
  // DopamineIntegral::From (a source's window start, shared by its row) must
  // give integral(t0, t2) bit for bit: within the start's knot interval, at
  // the next knot, across knots, and through a receptor's occupancy.
  const Resolution res(1.0);
  DopamineVolume::Params vp{.tau_ms = 200.0, .baseline = 0.0, .spike_increment = 0.3};
  DopamineVolume volume("da", vp);
  volume.prepare(res, 0);
  std::uint64_t seq = 0;
  for (const auto& [at, amount] : std::vector<std::pair<Step, double>>{
           {300, 0.5}, {301, 0.2}, {1800, -0.1}, {2500, 0.5}, {6000, 0.05}})
    volume.handle({.step = at, .seq = seq++, .value = amount});
  volume.commit(9000);
  for (const double half : {0.0, 0.25}) {
    DopamineIntegral integral;
    integral.prepare(volume, 1000.0, -0.002, false, half);
    for (const Step t0 : {0, 5, 299, 300, 301, 1000, 2499, 2500, 5999, 6500}) {
      std::vector<Step> ends{299, 300, 301, 302, 1800, 2500, 6000, 6001};  // at and by knots
      for (Step t2 = t0; t2 < 9000; t2 += 7)
        ends.push_back(t2);
      const DopamineIntegral::From from(integral, t0);
      for (const Step t2 : ends)
        EXPECT_EQ(std::bit_cast<std::uint64_t>(from(t2)),
                  std::bit_cast<std::uint64_t>(integral.integral(t0, t2)))
            << "half " << half << ", t0 " << t0 << ", t2 " << t2;
    }
  }
}

}  // namespace
}  // namespace bgsim
