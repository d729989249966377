#pragma once
// Model parameters as data: every model carries a table of its parameters
// (name, unit, constraint, doc line, and the member of its Params struct that
// holds it). The table drives setting parameters from a description, the
// validation messages, `bgsim describe`, the manifest and the docs, so a
// parameter is declared exactly once.
//
// Setting is transactional (as in NEST): values are applied to a copy of the
// Params, the copy is checked field by field and then as a whole, and only a
// copy without errors is committed.

#include <cmath>
#include <functional>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace bgsim {

using ParamValue =
    std::variant<double, std::string, std::vector<double>, std::vector<std::vector<double>>>;
using ParamMap = std::map<std::string, ParamValue, std::less<>>;

// One thing wrong with one parameter. `param` is its name (or "" for a rule
// that ties several together); `message` says what is wrong and what is right.
struct ParamError {
  std::string param;
  std::string message;
};

// Raised when a model refuses its parameters; what() lists every error.
class ParamErrors : public std::invalid_argument {
 public:
  ParamErrors(std::string_view model, std::vector<ParamError> errors)
      : std::invalid_argument(format(model, errors)), errors_(std::move(errors)) {}
  const std::vector<ParamError>& errors() const { return errors_; }

 private:
  static std::string format(std::string_view model, const std::vector<ParamError>& errors) {
    std::ostringstream s;
    s << model << ": ";
    for (std::size_t i = 0; i < errors.size(); ++i) {
      if (i) s << "; ";
      if (!errors[i].param.empty()) s << errors[i].param << ": ";
      s << errors[i].message;
    }
    return s.str();
  }
  std::vector<ParamError> errors_;
};

enum class Constraint {
  finite,                   // any finite number
  positive,                 // > 0
  nonnegative,              // >= 0
  nonnegative_or_infinite,  // >= 0, +inf allowed (an open end)
  unit_interval,            // in [0, 1]
  choice,                   // a string from `choices`
  list,                     // a list of finite numbers
  nested_list,              // a list of lists of finite numbers
};

// The documentation of one parameter, independent of the Params type.
struct ParamInfo {
  ParamInfo() = default;
  ParamInfo(std::string name_, std::string unit_, Constraint constraint_, std::string doc_,
            std::vector<std::string> choices_ = {})
      : name(std::move(name_)),
        unit(std::move(unit_)),
        constraint(constraint_),
        doc(std::move(doc_)),
        choices(std::move(choices_)) {}

  std::string name;
  std::string unit;  // "ms", "mV", "pA", "pF", "nS", "Hz", "1" for dimensionless
  Constraint constraint = Constraint::finite;
  std::string doc;
  std::vector<std::string> choices;  // for Constraint::choice
};

std::string describe_constraint(const ParamInfo& info);

// Refuses one value of a parameter struct checked by hand (the agents and
// tasks): throws std::invalid_argument("<name> = <value> is not allowed:
// <allowed>").
[[noreturn]] void refuse(const std::string& name, double value, const std::string& allowed);

// The Levenshtein-nearest of `candidates` to `name`, or "" when nothing is
// close enough to be a plausible typo. Used for "did you mean" hints.
std::string nearest_name(std::string_view name, const std::vector<std::string>& candidates);

template <class P>
class ParamTable {
 public:
  using Member = std::variant<double P::*, std::string P::*, std::vector<double> P::*,
                              std::vector<std::vector<double>> P::*>;
  struct Entry {
    ParamInfo info;
    Member member;
  };
  using Rule = std::function<void(const P&, std::vector<ParamError>&)>;

  ParamTable(std::vector<Entry> entries, Rule whole = {})
      : entries_(std::move(entries)), whole_(std::move(whole)) {}

  const std::vector<Entry>& entries() const { return entries_; }
  std::vector<ParamInfo> infos() const {
    std::vector<ParamInfo> out;
    for (const auto& e : entries_)
      out.push_back(e.info);
    return out;
  }
  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& e : entries_)
      out.push_back(e.info.name);
    return out;
  }

  // Applies `values` to a copy of `base`; returns the copy, or throws
  // ParamErrors (listing every problem) for `model`.
  P apply(std::string_view model, const P& base, const ParamMap& values) const {
    P p = base;
    std::vector<ParamError> errors;
    for (const auto& [key, value] : values) {
      const Entry* e = find(key);
      if (!e) {
        std::string hint = nearest_name(key, names());
        errors.push_back(
            {key, "unknown parameter" +
                      (hint.empty() ? std::string() : "; did you mean \"" + hint + "\"?")});
        continue;
      }
      assign(*e, p, value, errors);
    }
    check(p, errors);
    if (!errors.empty()) throw ParamErrors(model, std::move(errors));
    return p;
  }

  // Checks every field of `p` against its constraint, then the whole.
  void check(const P& p, std::vector<ParamError>& errors) const {
    for (const auto& e : entries_)
      check_field(e, p, errors);
    if (whole_ && errors.empty()) whole_(p, errors);
  }

  ParamMap to_map(const P& p) const {
    ParamMap m;
    for (const auto& e : entries_)
      std::visit([&](auto ptr) { m[e.info.name] = ParamValue(p.*ptr); }, e.member);
    return m;
  }

  const Entry* find(std::string_view name) const {
    for (const auto& e : entries_)
      if (e.info.name == name) return &e;
    return nullptr;
  }

 private:
  static std::string fmt(double v) {
    std::ostringstream s;
    s << v;
    return s.str();
  }

  static void assign(const Entry& e, P& p, const ParamValue& value,
                     std::vector<ParamError>& errors) {
    const bool ok = std::visit(
        [&](auto ptr) {
          using Field = std::remove_reference_t<decltype(p.*ptr)>;
          if (const Field* v = std::get_if<Field>(&value)) {
            p.*ptr = *v;
            return true;
          }
          return false;
        },
        e.member);
    if (!ok) errors.push_back({e.info.name, "expected " + describe_constraint(e.info)});
  }

  static void check_field(const Entry& e, const P& p, std::vector<ParamError>& errors) {
    const ParamInfo& info = e.info;
    const std::string unit = info.unit == "1" ? "" : " [" + info.unit + "]";
    if (auto ptr = std::get_if<double P::*>(&e.member)) {
      const double v = p.**ptr;
      bool ok = std::isfinite(v) ||
                (info.constraint == Constraint::nonnegative_or_infinite && v == HUGE_VAL);
      switch (info.constraint) {
        case Constraint::positive:
          ok = ok && v > 0.0;
          break;
        case Constraint::nonnegative:
        case Constraint::nonnegative_or_infinite:
          ok = ok && v >= 0.0;
          break;
        case Constraint::unit_interval:
          ok = ok && v >= 0.0 && v <= 1.0;
          break;
        default:
          break;
      }
      if (!ok)
        errors.push_back(
            {info.name, "must be " + describe_constraint(info) + unit + ", got " + fmt(v)});
    } else if (auto sptr = std::get_if<std::string P::*>(&e.member)) {
      const std::string& v = p.**sptr;
      bool ok = false;
      for (const auto& c : info.choices)
        ok = ok || c == v;
      if (!ok) {
        std::string hint = nearest_name(v, info.choices);
        errors.push_back({info.name, "must be " + describe_constraint(info) + ", got \"" + v +
                                         "\"" +
                                         (hint.empty() ? "" : "; did you mean \"" + hint + "\"?")});
      }
    } else if (auto lptr = std::get_if<std::vector<double> P::*>(&e.member)) {
      for (double v : p.**lptr)
        if (!std::isfinite(v)) {
          errors.push_back({info.name, "every element must be finite" + unit});
          break;
        }
    } else if (auto nptr = std::get_if<std::vector<std::vector<double>> P::*>(&e.member)) {
      for (const auto& row : p.**nptr)
        for (double v : row)
          if (!std::isfinite(v)) {
            errors.push_back({info.name, "every element must be finite" + unit});
            return;
          }
    }
  }

  std::vector<Entry> entries_;
  Rule whole_;
};

}  // namespace bgsim
