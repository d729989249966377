#include "core/parameters.hpp"

#include <algorithm>
#include <cctype>
#include <sstream>

namespace bgsim {

std::string describe_constraint(const ParamInfo& info) {
  switch (info.constraint) {
    case Constraint::finite:
      return "a finite number";
    case Constraint::positive:
      return "a finite number > 0";
    case Constraint::nonnegative:
      return "a finite number >= 0";
    case Constraint::nonnegative_or_infinite:
      return "a number >= 0 (or infinity)";
    case Constraint::unit_interval:
      return "a number in [0, 1]";
    case Constraint::list:
      return "a list of finite numbers";
    case Constraint::nested_list:
      return "a list of lists of finite numbers";
    case Constraint::choice: {
      std::string s = "one of";
      for (std::size_t i = 0; i < info.choices.size(); ++i)
        s += (i ? ", \"" : " \"") + info.choices[i] + "\"";
      return s;
    }
  }
  return "a valid value";
}

void refuse(const std::string& name, double value, const std::string& allowed) {
  std::ostringstream msg;
  msg << name << " = " << value << " is not allowed: " << allowed;
  throw std::invalid_argument(msg.str());
}

namespace {
// Optimal-string-alignment distance: insertions, deletions, substitutions and
// transpositions of neighbours each count one (case is ignored), so the common
// typo "tua_m" is one edit from "tau_m".
std::size_t edit_distance(std::string_view a, std::string_view b) {
  const auto same = [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  };
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i)
    d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j)
    d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i)
    for (std::size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min(
          {d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (same(a[i - 1], b[j - 1]) ? 0 : 1)});
      if (i > 1 && j > 1 && same(a[i - 1], b[j - 2]) && same(a[i - 2], b[j - 1]))
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.size()][b.size()];
}
}  // namespace

std::string nearest_name(std::string_view name, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_d = std::string::npos;
  for (const auto& c : candidates) {
    const std::size_t d = edit_distance(name, c);
    if (d < best_d) {
      best_d = d;
      best = c;
    }
  }
  // A plausible typo: at most a third of the longer name, and at least one edit allowed.
  const std::size_t allowed = std::max<std::size_t>(1, std::max(name.size(), best.size()) / 3);
  return best_d <= allowed ? best : std::string();
}

}  // namespace bgsim
