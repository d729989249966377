#pragma once
// Values that may be numbers or distributions, drawn per neuron or per synapse:
//
//   3.5                                      a constant
//   {"uniform": [lo, hi]}                    uniform on [lo, hi)
//   {"uniform_int": [lo, hi]}                a whole number in lo ... hi, inclusive
//   {"normal": {"mean": m, "std": s, "clip": [lo, hi]}}     clamped into [lo, hi]
//   {"normal": {"mean": m, "std": s, "redraw": [lo, hi]}}   drawn again until inside
//   {"lognormal": {"mu": m, "sigma": s, ...}}               exp(N(mu, sigma)), same bounds
//
// Bounds of the normal families are optional but must be explicit: nothing is
// clipped silently. redraw gives up (an error at build time) after 1000
// draws, which only a window far in the tail can cause.
//
// Draws come from counter-based streams, so the value of one neuron or
// synapse depends on the seed and its identity only.

#include <limits>
#include <optional>
#include <string>

#include "core/random.hpp"
#include "networks/json_reader.hpp"

namespace bgsim::networks {

struct ValueSpec {
  enum class Kind { constant, uniform, uniform_int, normal, lognormal };
  enum class Bounds { none, clip, redraw };
  Kind kind = Kind::constant;
  double a = 0.0,
         b = 0.0;  // constant: a; uniform: [a, b]; normal: mean a, std b; lognormal: mu a, sigma b
  Bounds bounds = Bounds::none;
  double lo = -std::numeric_limits<double>::infinity();
  double hi = std::numeric_limits<double>::infinity();

  static ValueSpec constant(double x) { return {Kind::constant, x, 0.0}; }

  // The interval every drawn value lies in (infinite ends for unbounded).
  double min() const;
  double max() const;
  bool is_constant() const { return kind == Kind::constant; }

  double draw(RandomStream& rng) const;
  json to_json() const;
};

// Reads a value at `pointer`; reports problems and returns nullopt on error.
std::optional<ValueSpec> read_value(const json& v, const std::string& pointer, Diagnostics& diag,
                                    const std::string& file = "");

}  // namespace bgsim::networks
