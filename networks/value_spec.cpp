#include "networks/value_spec.hpp"

#include <cmath>
#include <stdexcept>

#include "core/parameters.hpp"
#include "core/printable.hpp"

namespace bgsim::networks {

double ValueSpec::min() const {
  switch (kind) {
    case Kind::constant:
      return a;
    case Kind::uniform:
    case Kind::uniform_int:
      return a;
    case Kind::normal:
      return bounds == Bounds::none ? -INFINITY : lo;
    case Kind::lognormal:
      return bounds == Bounds::none ? 0.0 : lo;
  }
  return a;
}

double ValueSpec::max() const {
  switch (kind) {
    case Kind::constant:
      return a;
    case Kind::uniform:
    case Kind::uniform_int:
      return b;
    case Kind::normal:
    case Kind::lognormal:
      return bounds == Bounds::none ? INFINITY : hi;
  }
  return a;
}

double ValueSpec::draw(RandomStream& rng) const {
  switch (kind) {
    case Kind::constant:
      return a;
    case Kind::uniform:
      return a + (b - a) * (1.0 - rng.uniform());  // uniform() is in (0, 1]
    case Kind::uniform_int: {
      const auto span = static_cast<std::uint64_t>(b - a) + 1;
      return a + static_cast<double>(std::uint64_t{rng()} % span);
    }
    case Kind::normal:
    case Kind::lognormal: {
      for (int attempt = 0; attempt < 1000; ++attempt) {
        double x = a + b * rng.normal();
        if (kind == Kind::lognormal) x = std::exp(x);
        if (bounds == Bounds::clip) return std::clamp(x, lo, hi);
        if (bounds == Bounds::none || (x >= lo && x <= hi)) return x;
      }
      throw std::runtime_error("redraw: 1000 draws fell outside [" + std::to_string(lo) + ", " +
                               std::to_string(hi) + "]");
    }
  }
  return a;
}

json ValueSpec::to_json() const {
  const auto with_bounds = [&](json j) {
    if (bounds != Bounds::none) j[bounds == Bounds::clip ? "clip" : "redraw"] = {lo, hi};
    return j;
  };
  switch (kind) {
    case Kind::constant:
      return a;
    case Kind::uniform:
      return {{"uniform", {a, b}}};
    case Kind::uniform_int:
      return {{"uniform_int", {a, b}}};
    case Kind::normal:
      return {{"normal", with_bounds({{"mean", a}, {"std", b}})}};
    case Kind::lognormal:
      return {{"lognormal", with_bounds({{"mu", a}, {"sigma", b}})}};
  }
  return a;
}

namespace {
bool read_pair(const json& v, const std::string& ptr, Diagnostics& d, const std::string& file,
               double& lo, double& hi) {
  if (!v.is_array() || v.size() != 2 || !v[0].is_number() || !v[1].is_number()) {
    d.error(ptr, "expected [low, high], two numbers", file);
    return false;
  }
  lo = v[0].get<double>();
  hi = v[1].get<double>();
  if (!std::isfinite(lo) || !std::isfinite(hi) || lo > hi) {
    d.error(ptr, "expected finite low <= high", file);
    return false;
  }
  return true;
}
}  // namespace

std::optional<ValueSpec> read_value(const json& v, const std::string& pointer, Diagnostics& diag,
                                    const std::string& file) {
  if (v.is_number()) {
    const double x = v.get<double>();
    if (!std::isfinite(x)) {
      diag.error(pointer, "must be finite", file);
      return std::nullopt;
    }
    return ValueSpec::constant(x);
  }
  static const std::vector<std::string> kinds{"uniform", "uniform_int", "normal", "lognormal"};
  if (!v.is_object() || v.size() != 1) {
    diag.error(pointer,
               "expected a number or a distribution ({\"uniform\": [lo, hi]}, {\"uniform_int\": "
               "[lo, hi]}, {\"normal\": {...}}, {\"lognormal\": {...}}), got " +
                   type_name(v),
               file);
    return std::nullopt;
  }
  const std::string kind = v.begin().key();
  const json& body = v.begin().value();
  const std::string ptr = pointer + "/" + pointer_key(kind);
  ValueSpec s;
  if (kind == "uniform" || kind == "uniform_int") {
    s.kind = kind == "uniform" ? ValueSpec::Kind::uniform : ValueSpec::Kind::uniform_int;
    if (!read_pair(body, ptr, diag, file, s.a, s.b)) return std::nullopt;
    if (s.kind == ValueSpec::Kind::uniform_int &&
        (s.a != std::floor(s.a) || s.b != std::floor(s.b))) {
      diag.error(ptr, "uniform_int bounds must be whole numbers", file);
      return std::nullopt;
    }
    return s;
  }
  if (kind == "normal" || kind == "lognormal") {
    const bool normal = kind == "normal";
    s.kind = normal ? ValueSpec::Kind::normal : ValueSpec::Kind::lognormal;
    ObjectReader r(body, ptr, diag, file);
    if (!r.valid()) return std::nullopt;
    const auto loc = r.number(normal ? "mean" : "mu", true);
    const auto scale = r.number(normal ? "std" : "sigma", true);
    const json* clip = r.take("clip");
    const json* redraw = r.take("redraw");
    r.finish({normal ? "mean" : "mu", normal ? "std" : "sigma", "clip", "redraw"});
    if (!loc || !scale) return std::nullopt;
    if (*scale < 0) {
      r.error(normal ? "std" : "sigma", "must be >= 0");
      return std::nullopt;
    }
    s.a = *loc;
    s.b = *scale;
    if (clip && redraw) {
      r.error("", "give either \"clip\" or \"redraw\", not both");
      return std::nullopt;
    }
    if (clip || redraw) {
      s.bounds = clip ? ValueSpec::Bounds::clip : ValueSpec::Bounds::redraw;
      if (!read_pair(clip ? *clip : *redraw, r.at(clip ? "clip" : "redraw"), diag, file, s.lo,
                     s.hi))
        return std::nullopt;
    }
    return s;
  }
  const std::string hint = nearest_name(kind, kinds);
  diag.error(ptr,
             "unknown distribution" + (hint.empty() ? "" : "; did you mean " + quote(hint) + "?"),
             file);
  return std::nullopt;
}

}  // namespace bgsim::networks
