#pragma once
// Dopamine seen through its receptors: the occupancy φ(d) = d⁺/(d⁺ + K) of a
// receptor with half-occupancy level K (mass action, one binding site;
// Dreyer et al. 2010), and the dopamine integral of a three-factor rule that
// reads φ instead of the level itself:
//
//   J(Δ) = ∫_0^Δ e^{−s/τ_c} (φ(d(s)) − φ(b)) ds,   d(s) = d0 + A e^{−s/τ_d},
//
// over one interval of a volume between two of its jumps (A = level − d0 at
// the interval's start; core/dopamine_integral.hpp chains the intervals).
// With K of the order of the levels the integrand is far from linear in d: a
// high-affinity receptor (K below the tonic level, D2-like) is near
// saturation at the tonic level and sees a pause more than a burst of the
// same size, and less of either the higher the tonic level. A low-affinity
// one (K well above the tonic level, D1-like) answers nearly in proportion
// to the level: a burst and a pause in proportion to their sizes. As K → ∞,
// K · J tends to the linear integral of d − b.
//
// J has no elementary closed form for general τ_c/τ_d (it is a
// hypergeometric function), so it is computed by 8-point Gauss–Legendre
// (4-point on short pieces far from every singularity) on
// pieces of at most τ_d while the transient A e^{−s/τ_d} is above 1e-15 of
// d0⁺ + K, and in closed form after it (the integrand is then constant).
// After a jump up the integrand is analytic in a strip of half-width π τ_d
// around the real axis (the poles of 1/(d + K)), after a jump down the
// nearest pole lies on the axis before the interval; the pieces keep their
// distance from both, and the result agrees with a composite Simpson rule to
// 1e-12 relative (tests/core/test_receptor_occupancy.cpp).
// A level below zero (negative pulses, a negative baseline) has φ = 0; the
// interval is cut where d crosses zero.
//
// Reference: Dreyer JK, Herrik KF, Berg RW, Hounsgaard JD (2010) Influence of
// phasic and tonic dopamine release on receptor activation. J Neurosci
// 30:14273–14283.

#include <algorithm>
#include <array>
#include <cmath>

namespace bgsim {

// φ(d) for half-occupancy level K > 0.
inline double occupancy(double level, double K) {
  const double x = std::max(level, 0.0);
  return x / (x + K);
}

// J(Δ) above, for K > 0 and Δ >= 0 (ms).
inline double occupancy_integral(double A, double d0, double b, double K, double tau_c,
                                 double tau_d, double length) {
  if (!(length > 0.0)) return 0.0;
  const double phi_b = occupancy(b, K);
  // φ has a kink where d crosses zero (a level pushed below zero by negative
  // pulses, or a negative baseline): each side is integrated on its own.
  if (A != 0.0 && d0 != 0.0 && (A > 0.0) != (d0 > 0.0) && std::abs(A) > std::abs(d0)) {
    const double s_zero = tau_d * std::log(std::abs(A) / std::abs(d0));
    if (s_zero < length)
      return occupancy_integral(A, d0, b, K, tau_c, tau_d, s_zero) +
             std::exp(-s_zero / tau_c) *
                 occupancy_integral(-d0, d0, b, K, tau_c, tau_d, length - s_zero);
  }
  // d keeps one sign on [0, Δ]; at or below zero φ = 0.
  if (d0 + A * std::exp(-0.5 * length / tau_d) <= 0.0)
    return -phi_b * tau_c * -std::expm1(-length / tau_c);
  const double rest = occupancy(d0, K) - phi_b;  // the integrand once the transient is gone
  // The transient is negligible from s_end on.
  const double scale = std::max(std::abs(d0), K);
  double s_end = 0.0;
  if (A != 0.0 && std::abs(A) > 1e-15 * scale)
    s_end = std::min(length, tau_d * std::log(std::abs(A) / (1e-15 * scale)));
  // 1/(d + K) has poles where A e^{−s/τ_d} = −(d0 + K): off the real axis
  // (half-width π τ_d) after a jump up, on it after a jump down (before the
  // interval, τ_d ln(1 + K/d0) before it at the closest) or with a negative
  // baseline (after it). Pieces are at most τ_d long and keep 2.5 piece
  // lengths between their centre and a real pole, so 8 nodes give about
  // 1e-15 of the piece's value.
  const double ratio = A / -(d0 + K);
  const double s_pole = ratio > 0.0 ? tau_d * std::log(ratio) : HUGE_VAL;
  // Nodes and weights of 4- and 8-point Gauss–Legendre on [−1, 1] (half of
  // each symmetric set).
  static constexpr std::array<double, 2> x4{0.3399810435848563, 0.8611363115940526};
  static constexpr std::array<double, 2> w4{0.6521451548625461, 0.3478548451374538};
  static constexpr std::array<double, 4> x8{0.1834346424956498, 0.5255324099163290,
                                            0.7966664774136267, 0.9602898564975363};
  static constexpr std::array<double, 4> w8{0.3626837833783620, 0.3137066458778873,
                                            0.2223810344533745, 0.1012285362903763};
  const auto f = [&](double s) {
    return std::exp(-s / tau_c) * (occupancy(d0 + A * std::exp(-s / tau_d), K) - phi_b);
  };
  const auto rule = [&](double mid, double half, const auto& x, const auto& w) {
    double piece = 0.0;
    for (std::size_t i = 0; i < x.size(); ++i)
      piece += w[i] * (f(mid - half * x[i]) + f(mid + half * x[i]));
    return half * piece;
  };
  double sum = 0.0;
  for (double s0 = 0.0; s0 < s_end;) {
    double h = std::min(s_end - s0, tau_d);
    if (s_pole < s0)
      h = std::min(h, 0.5 * (s0 - s_pole));
    else if (s_pole != HUGE_VAL)
      h = std::min(h, (s_pole - s0) / 3.0);
    const double mid = s0 + 0.5 * h, half = 0.5 * h;
    // The short pieces of dense dopamine (a few ms between jumps) are far from
    // every singularity: 4 nodes give 1e-15 there once the nearest lies 18.5
    // piece lengths from the centre (Gauss–Legendre's error falls as ρ^{−2n},
    // ρ ≈ 2 distance / half-length).
    const double nearest = std::min(3.14159265358979 * tau_d, std::abs(mid - s_pole));
    sum += nearest >= 18.5 * h ? rule(mid, half, x4, w4) : rule(mid, half, x8, w8);
    s0 = h == s_end - s0 ? s_end : s0 + h;
  }
  if (s_end < length && rest != 0.0)
    sum += rest * tau_c * (std::exp(-s_end / tau_c) - std::exp(-length / tau_c));
  return sum;
}

}  // namespace bgsim
