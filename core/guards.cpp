#include "core/guards.hpp"

#include <cmath>
#include <sstream>

namespace bgsim {

std::string guard_value_text(double x) {
  if (std::isnan(x)) return "nan";
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  std::ostringstream s;
  s.precision(17);
  s << x;
  return s.str();
}

std::optional<std::string> non_finite_state(const Population& pop) {
  const std::size_t n = pop.size();
  std::size_t first = n;
  std::string variable, unit;
  double value = 0.0;
  for (const StateVarInfo& var : pop.state_vars()) {
    const double* x = pop.state(var.name);
    if (!x) continue;
    // Only the neurons before the first one found so far can come first.
    for (std::size_t i = 0; i < first; ++i)
      if (!std::isfinite(x[i])) {
        first = i;
        variable = var.name;
        unit = var.unit;
        value = x[i];
        break;
      }
  }
  if (first == n) return std::nullopt;
  return "neuron " + std::to_string(first) + ": " + variable + " = " + guard_value_text(value) +
         (unit.empty() ? "" : " " + unit);
}

}  // namespace bgsim
