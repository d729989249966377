#include "core/ziggurat.hpp"

namespace bgsim {

namespace {
double f(double x) {
  return std::exp(-0.5 * x * x);
}
}  // namespace

Ziggurat::Ziggurat() {
  x_[0] = v / f(r);
  x_[1] = r;
  for (int i = 1; i < layers - 1; ++i)
    x_[i + 1] = std::sqrt(-2.0 * std::log(v / x_[i] + f(x_[i])));
  x_[layers] = 0.0;
  for (int i = 0; i <= layers; ++i)
    f_[i] = f(x_[i]);
}

const Ziggurat& Ziggurat::get() {
  static const Ziggurat table;
  return table;
}

double Ziggurat::slow(int i, bool negative, double x, RandomStream&& stream) const {
  for (;;) {
    if (i == 0) {
      // The tail beyond r (Marsaglia 1964): both logarithms of numbers in (0, 1].
      double a, b;
      do {
        a = -std::log(stream.uniform()) / r;
        b = -std::log(stream.uniform());
      } while (2.0 * b <= a * a);
      return negative ? -(r + a) : r + a;
    }
    // A rejected wedge: a new draw from the stream's next words.
    const std::uint32_t w0 = stream(), w1 = stream();
    i = static_cast<int>(w0 & 0xFFu);
    negative = (w0 >> 8) & 1u;
    const double u = magnitude(w0, w1);
    x = u * x_[i];
    if (x < x_[i + 1]) return negative ? -x : x;
    if (i != 0 && f_[i] + stream.uniform() * (f_[i + 1] - f_[i]) < std::exp(-0.5 * x * x))
      return negative ? -x : x;
  }
}

}  // namespace bgsim
