#include "tasks/experiment.hpp"

#include <algorithm>
#include <limits>
#include <new>
#include <stdexcept>

#include "core/parameters.hpp"
#include "core/printable.hpp"

namespace bgsim::tasks {

bool Experiments::add(ExperimentKind kind) {
  const std::string key = kind.name;
  if (!kinds_.emplace(key, std::move(kind)).second)
    throw std::logic_error("experiment registered twice: " + key);
  return true;
}

const ExperimentKind* Experiments::find(const std::string& name) const {
  auto it = kinds_.find(name);
  return it == kinds_.end() ? nullptr : &it->second;
}

std::vector<std::string> Experiments::names() const {
  std::vector<std::string> out;
  for (const auto& [k, v] : kinds_)
    out.push_back(k);
  return out;
}

void ExperimentParams::number(const std::string& key, double& field) {
  keys_.push_back(key);
  if (auto x = r_.number(key)) field = *x;
  resolved_[key] = field;
}

void ExperimentParams::whole(const std::string& key, int& field) {
  keys_.push_back(key);
  if (const nlohmann::json* v = r_.take(key)) {
    if (v->is_number_integer() && v->get<std::int64_t>() >= std::numeric_limits<int>::min() &&
        v->get<std::int64_t>() <= std::numeric_limits<int>::max())
      field = v->get<int>();
    else
      r_.error(key, "expected a whole number, got " + v->dump());
  }
  resolved_[key] = field;
}

void ExperimentParams::seed(const std::string& key, std::uint64_t& field) {
  keys_.push_back(key);
  if (auto x = r_.count(key)) field = *x;
  resolved_[key] = field;
}

void ExperimentParams::flag(const std::string& key, bool& field) {
  keys_.push_back(key);
  if (auto x = r_.boolean(key)) field = *x;
  resolved_[key] = field;
}

void ExperimentParams::numbers(const std::string& key, std::vector<double>& field) {
  keys_.push_back(key);
  if (const nlohmann::json* v = r_.take(key)) {
    std::vector<double> out;
    bool ok = v->is_array();
    if (ok)
      for (const auto& x : *v) {
        if (!x.is_number()) {
          ok = false;
          break;
        }
        out.push_back(x.get<double>());
      }
    if (ok)
      field = out;
    else
      r_.error(key, "expected a list of numbers");
  }
  resolved_[key] = field;
}

void ExperimentParams::text(const std::string& key, std::string& field,
                            const std::vector<std::string>& choices) {
  keys_.push_back(key);
  if (auto x = r_.string(key)) {
    if (std::find(choices.begin(), choices.end(), *x) == choices.end()) {
      const std::string hint = nearest_name(*x, choices);
      r_.error(key, quote(*x) + " is not one of the choices" +
                        (hint.empty() ? "" : "; did you mean " + quote(hint) + "?"));
    } else {
      field = *x;
    }
  }
  resolved_[key] = field;
}

ExperimentDescription read_experiment_description(const nlohmann::json& doc,
                                                  networks::Diagnostics& diag,
                                                  const std::filesystem::path& directory) {
  ExperimentDescription out;
  networks::ObjectReader top(doc, "", diag);
  if (!top.valid()) return out;
  top.take("name");
  top.take("description");
  out.seed = top.count("seed").value_or(1);
  const nlohmann::json* exp = top.require("experiment", "{\"kind\": ..., \"params\": {...}}");
  top.finish({"name", "description", "seed", "experiment"});
  if (!exp) return out;
  networks::ObjectReader er(*exp, "/experiment", diag);
  if (!er.valid()) return out;
  out.kind = er.string("kind", true).value_or("");
  const nlohmann::json empty = nlohmann::json::object();
  const nlohmann::json* params = er.take("params");
  er.finish({"kind", "params"});
  const ExperimentKind* kind = Experiments::instance().find(out.kind);
  if (!kind) {
    if (!out.kind.empty()) {
      const std::string hint = nearest_name(out.kind, Experiments::instance().names());
      er.error("kind", "unknown experiment " + quote(out.kind) +
                           (hint.empty() ? "" : "; did you mean " + quote(hint) + "?") +
                           " (bgsim list shows them all)");
    }
    return out;
  }
  networks::ObjectReader pr(params ? *params : empty, "/experiment/params", diag);
  ConfiguredExperiment configured;
  try {
    configured = kind->configure_in ? kind->configure_in(pr, directory) : kind->configure(pr);
  } catch (const std::bad_alloc&) {
    // A size among the parameters (a number of predictors, of states) that
    // checking them already cannot hold: a message, not an escaped exception.
    pr.error("",
             "checking these parameters ran out of memory: a size or a count among them is "
             "too large for this machine");
    return out;
  }
  out.run = std::move(configured.run);
  out.spreads_over_ranks = configured.spreads_over_ranks;
  out.resolved = doc;
  out.resolved["seed"] = out.seed;
  out.resolved["experiment"] = {{"kind", out.kind}, {"params", configured.params}};
  return out;
}

ExperimentDefaults experiment_defaults(const ExperimentKind& kind) {
  const nlohmann::json empty = nlohmann::json::object();
  networks::Diagnostics diag;
  networks::ObjectReader pr(empty, "/experiment/params", diag);
  ExperimentDefaults out;
  try {
    ConfiguredExperiment c = kind.configure_in ? kind.configure_in(pr, ".") : kind.configure(pr);
    out.params = c.params.is_object() ? c.params : nlohmann::json::object();
  } catch (const std::exception& e) {
    out.required.push_back(e.what());
  }
  for (const auto& d : diag.items())
    out.required.push_back(d.pointer + ": " + d.message);
  return out;
}

}  // namespace bgsim::tasks
