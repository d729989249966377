#pragma once
// Standard normal deviates by the ziggurat method (Marsaglia & Tsang 2000,
// J Stat Softw 5(8), 256 layers), drawn from a counter-based stream
// (core/random.hpp): the four words of the stream's first block give the
// deviate on 99.3 % of draws with one multiplication and one comparison, no
// logarithm and no cosine; the rest (the wedges and the tail beyond
// r = 3.654) take further uniforms from the same stream. The deviate of
// (seed, purpose, id, step) is therefore as reproducible as the Box–Muller
// one, and as independent of threads and of other streams.
//
// Layers: x_0 = v/f(r), x_1 = r, x_{i+1} = f⁻¹(v/x_i + f(x_i)), x_256 = 0, with
// f(x) = e^{−x²/2} and v the area of each layer (Marsaglia & Tsang's
// constants). Draw: layer i (8 bits of w0), sign (1 bit) and a 53-bit
// magnitude u ∈ [0, 1) (the other 23 bits of w0 and 30 of w1); x = u·x_i.
// Accept at once if x < x_{i+1}. Otherwise, layer 0 samples the tail
// (Marsaglia 1964: a = −ln U1/r, b = −ln U2 until 2b > a², x = r + a), and a
// wedge accepts x if f(x_i) + U·(f(x_{i+1}) − f(x_i)) < f(x) with U from w2,
// w3 — else the draw starts again on the stream's next words.

#include <array>
#include <cmath>
#include <cstdint>

#include "core/random.hpp"

namespace bgsim {

class Ziggurat {
 public:
  static constexpr int layers = 256;
  static constexpr double r = 3.6541528853610088;  // start of the tail
  static constexpr double v = 0.00492867323399;    // area of each layer

  // The tables, built once.
  static const Ziggurat& get();

  // The deviate of a stream whose first block is (w0, w1, w2, w3); `more()`
  // returns the stream itself positioned after that block (a RandomStream),
  // called only on the rare draws that need more than the block.
  template <class More>
  double normal(std::uint32_t w0, std::uint32_t w1, std::uint32_t w2, std::uint32_t w3,
                More&& more) const {
    const int i = static_cast<int>(w0 & 0xFFu);
    const bool negative = (w0 >> 8) & 1u;
    const double u = magnitude(w0, w1);
    const double x = u * x_[i];
    if (x < x_[i + 1]) return negative ? -x : x;
    if (i != 0 && f_[i] + u01(w2, w3) * (f_[i + 1] - f_[i]) < std::exp(-0.5 * x * x))
      return negative ? -x : x;
    return slow(i, negative, x, more());
  }

  const std::array<double, layers + 1>& x() const { return x_; }

 private:
  Ziggurat();
  // 53 bits of w0 (bits 9..31) and w1 (bits 2..31) as a double in [0, 1).
  static double magnitude(std::uint32_t w0, std::uint32_t w1) {
    const std::uint64_t bits = (std::uint64_t{w0 >> 9} << 30) | (w1 >> 2);
    return static_cast<double>(bits) * 0x1.0p-53;
  }
  // The tail of a first draw in layer 0, or every draw after a rejection.
  double slow(int i, bool negative, double x, RandomStream&& stream) const;

  std::array<double, layers + 1> x_{};  // layer edges, decreasing; x_[256] = 0
  std::array<double, layers + 1> f_{};  // f(x_i)
};

}  // namespace bgsim
