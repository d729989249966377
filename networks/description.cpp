#include "networks/description.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>

#include "core/io/results_folder.hpp"
#include "core/io/sonata.hpp"
#include "core/neuromodulator.hpp"
#include "core/registry.hpp"
#include "core/time.hpp"
#include "models/reward_contingency.hpp"
#include "networks/memory_estimate.hpp"

namespace bgsim::networks {

const PopulationSpec* NetworkSpec::population(const std::string& name) const {
  for (const auto& p : populations)
    if (p.name == name) return &p;
  return nullptr;
}

// The tonic rate a population states of itself: its own "tonic_rate_Hz"
// parameter (izhikevich_book's dopamine cell), given or from its preset.
std::optional<double> stated_tonic_rate(const PopulationSpec& p) {
  const auto get = [](const ParamMap& m) -> std::optional<double> {
    const auto it = m.find("tonic_rate_Hz");
    if (it == m.end() || !std::holds_alternative<double>(it->second)) return std::nullopt;
    const double r = std::get<double>(it->second);
    return r > 0.0 ? std::optional<double>(r) : std::nullopt;
  };
  if (const auto r = get(p.params)) return r;
  const PopulationModel* model = PopulationModels::instance().find(p.model);
  if (!model || p.preset.empty() || !model->presets.count(p.preset)) return std::nullopt;
  return get(model->presets.at(p.preset));
}

std::optional<double> tonic_level(const NeuromodulatorSpec& volume, const NetworkSpec& spec) {
  const PopulationSpec* source = spec.population(volume.source);
  if (!volume.tonic_rate_Hz || !source) return std::nullopt;
  DopamineVolume::Params p;
  try {
    p = DopamineVolume::param_table().apply(DopamineVolume::model_name, DopamineVolume::Params{},
                                            volume.params);
  } catch (const ParamErrors&) {
    return std::nullopt;  // reported where the volume is read
  }
  return p.baseline + p.spike_increment * static_cast<double>(source->size) *
                          *volume.tonic_rate_Hz * p.tau_ms / 1000.0;
}

json dopamine_levels(const NetworkSpec& spec) {
  json out = json::object();
  for (const auto& n : spec.neuromodulators) {
    const auto p = DopamineVolume::param_table().apply(DopamineVolume::model_name,
                                                       DopamineVolume::Params{}, n.params);
    const std::optional<double> tonic = tonic_level(n, spec);
    out[n.name] = {{"source", n.source.empty() ? json(nullptr) : json(n.source)},
                   {"tonic_rate_Hz", n.tonic_rate_Hz ? json(*n.tonic_rate_Hz) : json(nullptr)},
                   {"baseline", p.baseline},
                   {"tonic_level", tonic ? json(*tonic) : json(nullptr)},
                   {"initial", n.initial.value_or(p.baseline)}};
  }
  return out;
}

const NeuromodulatorSpec* NetworkSpec::neuromodulator(const std::string& name) const {
  for (const auto& n : neuromodulators)
    if (n.name == name) return &n;
  return nullptr;
}

bool RecorderSpec::sonata() const {
  return type == "spikes" && std::find(formats.begin(), formats.end(), "sonata") != formats.end();
}

const ProjectionSpec* NetworkSpec::projection(const std::string& name) const {
  for (const auto& p : projections)
    if (p.name == name) return &p;
  return nullptr;
}

namespace {

// JSON <-> model parameter values.
std::optional<ParamValue> to_param(const json& v) {
  if (v.is_number()) return ParamValue(v.get<double>());
  if (v.is_string()) return ParamValue(v.get<std::string>());
  if (v.is_array()) {
    bool nested = !v.empty() && v[0].is_array();
    if (!nested) {
      std::vector<double> out;
      for (const auto& x : v) {
        if (!x.is_number()) return std::nullopt;
        out.push_back(x.get<double>());
      }
      return ParamValue(out);
    }
    std::vector<std::vector<double>> out;
    for (const auto& row : v) {
      if (!row.is_array()) return std::nullopt;
      out.emplace_back();
      for (const auto& x : row) {
        if (!x.is_number()) return std::nullopt;
        out.back().push_back(x.get<double>());
      }
    }
    return ParamValue(out);
  }
  return std::nullopt;
}

json from_param(const ParamValue& v) {
  return std::visit([](const auto& x) { return json(x); }, v);
}

json params_json(const ParamMap& m) {
  json j = json::object();
  for (const auto& [k, v] : m)
    j[k] = from_param(v);
  return j;
}

ParamMap read_params(const json* v, const std::string& pointer, Diagnostics& diag,
                     const std::string& file) {
  ParamMap out;
  if (!v) return out;
  if (!v->is_object()) {
    diag.error(pointer, "expected an object of parameters, got " + type_name(*v), file);
    return out;
  }
  for (const auto& [key, value] : v->items()) {
    auto p = to_param(value);
    if (!p)
      diag.error(pointer + "/" + pointer_key(key),
                 "expected a number, a string, a list of numbers or a list of lists of numbers",
                 file);
    else
      out[key] = *p;
  }
  return out;
}

// Reports the parameter errors of a model at /.../params/<name>.
void report(const ParamErrors& e, const std::string& params_pointer, Diagnostics& diag,
            const std::string& file) {
  for (const auto& err : e.errors())
    diag.error(err.param.empty() ? params_pointer : params_pointer + "/" + pointer_key(err.param),
               err.message, file);
}

// Times among a model's parameters (names ending in "_ms": a number or a
// list of them) that no run could count in steps at the resolution `dt`:
// they would overflow the step count where they are converted.
void check_times(const ParamMap& params, const std::string& params_pointer, double dt,
                 Diagnostics& diag, const std::string& file) {
  const Resolution res(dt);
  for (const auto& [name, value] : params) {
    if (!name.ends_with("_ms")) continue;
    std::vector<double> times;
    if (const auto* x = std::get_if<double>(&value)) times = {*x};
    if (const auto* v = std::get_if<std::vector<double>>(&value)) times = *v;
    if (const auto* m = std::get_if<std::vector<std::vector<double>>>(&value))
      for (const auto& row : *m)
        times.insert(times.end(), row.begin(), row.end());
    for (double t : times)
      if (std::isfinite(t) && !res.countable(t)) {
        diag.error(params_pointer + "/" + pointer_key(name), res.uncountable(t), file);
        break;
      }
  }
}

struct Context {
  Diagnostics& diag;
  const std::map<std::string, std::string>& origin;
  double resolution_ms = 0.1;
  std::string file_of(const std::string& pointer) const {
    auto it = origin.find(pointer);
    return it == origin.end() ? "" : it->second;
  }
};

// A rate bound of the guards: a number > 0 [Hz], or null for none.
std::optional<double> read_rate_bound(ObjectReader& r, const std::string& key) {
  if (const json* v = r.take(key); !v || v->is_null()) return std::nullopt;
  const auto rate = r.number(key);
  if (rate && !(*rate > 0.0)) {
    r.error(key, "must be > 0 [Hz] (leave it out, or null, for no bound)");
    return std::nullopt;
  }
  return rate;
}

// "guards": {"finite": true, "interval_ms": 100, "max_rate_Hz": null}
void read_guards(GuardSpec& g, const json& v, const Context& cx) {
  ObjectReader r(v, "/guards", cx.diag, cx.file_of("/guards"));
  if (!r.valid()) return;
  g.finite = r.boolean("finite").value_or(true);
  if (auto interval = r.number("interval_ms")) {
    if (!(*interval > 0.0))
      r.error("interval_ms", "must be > 0 [ms]");
    else
      g.interval_ms = *interval;
  }
  g.max_rate_Hz = read_rate_bound(r, "max_rate_Hz");
  r.finish({"finite", "interval_ms", "max_rate_Hz"});
}

void read_population(PopulationSpec& p, const json& v, const std::string& ptr, const Context& cx) {
  ObjectReader r(v, ptr, cx.diag, cx.file_of(ptr));
  if (!r.valid()) return;
  p.model = r.string("model", true).value_or("");
  p.size = r.count("size", true).value_or(0);
  p.preset = r.string("preset").value_or("");
  p.params = read_params(r.take("params"), r.at("params"), cx.diag, r.file());
  const json* initial = r.take("initial");
  p.neuromodulator = r.string("neuromodulator").value_or("");
  p.max_rate_Hz = read_rate_bound(r, "max_rate_Hz");
  r.finish({"model", "size", "preset", "params", "initial", "neuromodulator", "max_rate_Hz"});
  check_times(p.params, r.at("params"), cx.resolution_ms, cx.diag, r.file());
  if (r.has("size") && p.size == 0) r.error("size", "must be at least 1");
  if (p.size > max_neurons) {
    r.error("size", std::to_string(p.size) + " neurons: bgsim numbers neurons with 32 bits, " +
                        std::to_string(max_neurons) + " at most in a network");
    p.size = 0;  // nothing below may allocate them
  }

  const PopulationModel* model = PopulationModels::instance().find(p.model);
  if (!model) {
    if (!p.model.empty())
      r.error("model", "unknown model " + quote(p.model) +
                           hint_for(p.model, PopulationModels::instance().names()) +
                           " (bgsim list shows them all)");
    return;
  }
  if (!p.preset.empty() && !model->presets.count(p.preset)) {
    std::vector<std::string> names;
    for (const auto& [k, x] : model->presets)
      names.push_back(k);
    r.error("preset", "model " + p.model + " has no preset " + quote(p.preset) +
                          hint_for(p.preset, names) +
                          (names.empty() ? "" : " (presets: " + join(names) + ")"));
    return;
  }
  // Parameters are checked on a population of one neuron unless the model
  // checks them against the size (a list per neuron): validation allocates
  // nothing the size asks for (docs/reliability.md). Such an input
  // population costs a few bytes per neuron, and is checked at its size up
  // to 16 million neurons (256 MB); a larger one is checked when it is built.
  constexpr std::uint64_t max_sized_probe = 16'000'000;
  const std::uint64_t probe_size =
      !model->sized_params ? std::min<std::uint64_t>(p.size, 1) : p.size;
  try {
    if (probe_size <= max_sized_probe)
      make_population(p.model, p.name, probe_size, p.params, p.preset);
  } catch (const ParamErrors& e) {
    report(e, r.at("params"), cx.diag, r.file());
  } catch (const std::invalid_argument& e) {
    r.error("params", e.what());
  }
  if (initial) {
    ObjectReader ir(*initial, r.at("initial"), cx.diag, r.file());
    if (!ir.valid()) return;
    std::vector<std::string> vars;
    for (const auto& s : model->state)
      vars.push_back(s.name);
    for (const auto& [var, value] : initial->items()) {
      ir.take(var);
      if (std::find(vars.begin(), vars.end(), var) == vars.end()) {
        ir.error(var, "model " + p.model + " has no state variable " + quote(var) +
                          hint_for(var, vars) +
                          (vars.empty() ? "" : " (state: " + join(vars) + ")"));
        continue;
      }
      if (auto s = read_value(value, ir.at(var), cx.diag, r.file()))
        p.initial.emplace_back(var, *s);
    }
  }
}

void read_rule(ProjectionSpec& pr, ObjectReader& r, const NetworkSpec& spec) {
  ConnectionRule& rule = pr.rule;
  rule.rule = r.string("rule").value_or("all_to_all");
  std::vector<std::string> keys{"name",    "source",         "target",         "rule",
                                "synapse", "allow_autapses", "allow_multapses"};
  rule.allow_autapses = r.boolean("allow_autapses").value_or(true);
  rule.allow_multapses = r.boolean("allow_multapses").value_or(true);
  const PopulationSpec* src = spec.population(pr.source);
  const PopulationSpec* tgt = spec.population(pr.target);
  const std::uint64_t ns = src ? src->size : 0, nt = tgt ? tgt->size : 0;
  const bool same = pr.source == pr.target;
  const auto& rules = connection_rule_names();
  if (std::find(rules.begin(), rules.end(), rule.rule) == rules.end()) {
    r.error("rule", "unknown connection rule " + quote(rule.rule) + hint_for(rule.rule, rules) +
                        " (rules: " + join(rules) + ")");
    return;
  }
  if (rule.rule == "explicit") {
    keys.push_back("connections");
    for (const char* k : {"allow_autapses", "allow_multapses"})
      if (r.has(k))
        r.error(k, std::string(k) +
                       " has no meaning for explicit connections: the synapses are "
                       "the ones given");
    const json* c =
        r.require("connections", "the path of a .npy or .csv file, or an object of arrays");
    if (c && src && tgt)
      pr.connections =
          read_connection_arrays(*c, r.at("connections"), ns, nt, r.diagnostics(), r.file());
    if (pr.connections) rule.n = pr.connections->size();  // for the memory estimate
  } else if (rule.rule == "fixed_probability" || rule.rule == "pairwise_bernoulli") {
    keys.push_back("p");
    if (auto p = r.number("p", true)) {
      if (*p < 0.0 || *p > 1.0)
        r.error("p", "must be a probability in [0, 1], got " + std::to_string(*p));
      rule.p = *p;
    }
  } else if (rule.rule == "fixed_indegree" || rule.rule == "fixed_outdegree") {
    const bool in = rule.rule == "fixed_indegree";
    const std::string key = in ? "indegree" : "outdegree";
    keys.push_back(key);
    if (auto k = r.count(key, true)) {
      (in ? rule.indegree : rule.outdegree) = *k;
      const std::uint64_t pool = (in ? ns : nt) - (same && !rule.allow_autapses ? 1 : 0);
      if (src && tgt && !rule.allow_multapses && *k > pool)
        r.error(key, key + " " + std::to_string(*k) + " exceeds the " + std::to_string(pool) +
                         " distinct " + (in ? "sources" : "targets") +
                         " available without multapses (allow_multapses is false)");
      if (src && tgt && ns > 0 && nt > 0 && *k > 0 && pool == 0)  // size 0: reported there
        r.error(key, "there is no " + std::string(in ? "source" : "target") + " to draw from");
    }
  } else if (rule.rule == "fixed_total_number") {
    keys.push_back("n");
    if (auto n = r.count("n", true)) {
      rule.n = *n;
      const std::uint64_t all = ns * nt - (same && !rule.allow_autapses ? std::min(ns, nt) : 0);
      if (src && tgt && !rule.allow_multapses && *n > all)
        r.error("n", "n = " + std::to_string(*n) + " exceeds the " + std::to_string(all) +
                         " distinct pairs available without multapses");
    }
  } else if (rule.rule == "one_to_one") {
    if (src && tgt && ns != nt)
      r.error("rule", "one_to_one needs populations of equal size; " + pr.source + " has " +
                          std::to_string(ns) + " neurons and " + pr.target + " has " +
                          std::to_string(nt));
  }
  r.finish(keys);
}

std::string format_number(double x) {
  std::ostringstream o;
  o << x;
  return o.str();
}

std::vector<std::string> neuromodulator_names(const NetworkSpec& spec) {
  std::vector<std::string> names;
  for (const auto& n : spec.neuromodulators)
    names.push_back(n.name);
  return names;
}

// The message for a reference to a volume `name` that does not exist.
std::string no_such_neuromodulator(const std::string& name, const NetworkSpec& spec) {
  const std::vector<std::string> names = neuromodulator_names(spec);
  return "no neuromodulator named " + quote(name) + hint_for(name, names) +
         (names.empty() ? " (define it under \"neuromodulators\")"
                        : " (neuromodulators: " + join(names) + ")");
}

// The volume a dopamine rule reads: named, or the only one there is.
void read_neuromodulator_reference(SynapseSpec& s, ObjectReader& r, const NetworkSpec& spec) {
  const std::vector<std::string> names = neuromodulator_names(spec);
  if (auto name = r.string("neuromodulator")) {
    s.neuromodulator = *name;
    if (!spec.neuromodulator(*name)) r.error("neuromodulator", no_such_neuromodulator(*name, spec));
    return;
  }
  if (names.size() == 1) {
    s.neuromodulator = names[0];
    return;
  }
  r.error("", names.empty()
                  ? "synapse model " + s.model +
                        " reads dopamine: define a volume under \"neuromodulators\""
                  : "synapse model " + s.model + " reads dopamine: name its \"neuromodulator\" (" +
                        join(names) + ")");
}

// A dopamine rule's baseline `b` given relative to the tonic level of the
// volume it reads: "tonic", "tonic + x" or "tonic - x" (x a number). Replaced
// by the number, so the resolved description holds it.
void resolve_tonic_baseline(SynapseSpec& s, ObjectReader& r, const NetworkSpec& spec) {
  const auto it = s.params.find("b");
  if (it == s.params.end() || !std::holds_alternative<std::string>(it->second)) return;
  std::string text = std::get<std::string>(it->second);
  std::erase(text, ' ');
  const auto error = [&](const std::string& message) {
    r.diagnostics().error(r.at("params") + "/b", message, r.file());
  };
  double offset = 0.0;
  bool ok = text.rfind("tonic", 0) == 0;
  if (ok && text.size() > 5) {
    const char sign = text[5];
    const std::string rest = text.substr(6);
    char* end = nullptr;
    const double x = std::strtod(rest.c_str(), &end);
    ok = (sign == '+' || sign == '-') && !rest.empty() && end == rest.c_str() + rest.size() &&
         std::isfinite(x);
    offset = sign == '-' ? -x : x;
  }
  if (!ok) {
    error("expected a number, \"tonic\", \"tonic + x\" or \"tonic - x\"; got " +
          quote(std::get<std::string>(it->second)));
    s.params.erase(it);
    return;
  }
  const NeuromodulatorSpec* volume = spec.neuromodulator(s.neuromodulator);
  const std::optional<double> tonic = volume ? tonic_level(*volume, spec) : std::nullopt;
  if (!tonic && volume && volume->tonic_rate_Hz && spec.population(volume->source)) {
    s.params.erase(it);  // the volume's own parameters are at fault, reported there
    return;
  }
  if (!tonic) {
    error("\"tonic\" needs the tonic level of the volume " + quote(s.neuromodulator) +
          ": give it a \"source\" and that source's \"tonic_rate_Hz\"");
    s.params.erase(it);
    return;
  }
  it->second = *tonic + offset;
}

void read_synapse(ProjectionSpec& pr, const json* v, const std::string& ptr, const Context& cx,
                  const NetworkSpec& spec, const std::string& file) {
  SynapseSpec& s = pr.synapse;
  if (!v) {
    cx.diag.error(ptr.substr(0, ptr.rfind('/')), "missing \"synapse\" (model, weight, delay_ms)",
                  file);
    return;
  }
  ObjectReader r(*v, ptr, cx.diag, file);
  if (!r.valid()) return;
  s.model = r.string("model").value_or("static");
  // Explicit connections may bring their own weights and delays, which the
  // synapse then must not give a second time.
  const ConnectionArrays* arrays = pr.connections ? &*pr.connections : nullptr;
  const bool arrays_weigh = arrays && !arrays->weight.empty();
  const bool arrays_delay = arrays && !arrays->delay_ms.empty();
  const json* w =
      arrays_weigh ? r.take("weight") : r.require("weight", "a number or a distribution");
  const json* d = r.take("delay_ms");
  if (arrays_weigh && w) {
    r.error("weight", "the weights come from \"connections\" (its weight column): give them once");
    w = nullptr;
  }
  if (arrays_delay && d) {
    r.error("delay_ms",
            "the delays come from \"connections\" (its delay_ms column): give them once");
    d = nullptr;
  }
  const auto receptor = r.string("receptor");
  std::vector<std::string> keys{"model", "weight", "delay_ms", "receptor"};
  const SynapseModel* rule = SynapseModels::instance().find(s.model);
  if (s.model != "static" && !rule) {
    auto names = SynapseModels::instance().names();
    names.insert(names.begin(), "static");
    r.error("model", "unknown synapse model " + quote(s.model) + hint_for(s.model, names) +
                         " (available: " + join(names) + ")");
    // A rule's keys are not reported again as unknown: the model is the error.
    for (const char* key : {"params", "precision", "neuromodulator"})
      r.take(key);
  }
  if (rule) {
    keys.insert(keys.end(), {"params", "precision"});
    s.params = read_params(r.take("params"), r.at("params"), cx.diag, file);
    s.precision = r.string("precision").value_or("single");
    if (s.precision != "single" && s.precision != "double")
      r.error("precision", "expected \"single\" (16 bytes per synapse) or \"double\" (24), got " +
                               quote(s.precision));
    check_times(s.params, r.at("params"), spec.resolution_ms, cx.diag, file);
    if (rule->uses_dopamine) {
      keys.push_back("neuromodulator");
      read_neuromodulator_reference(s, r, spec);
      resolve_tonic_baseline(s, r, spec);
    }
    try {
      const ParamMap resolved = rule->resolve(s.params);
      const double w_min = std::get<double>(resolved.at("w_min"));
      const double w_max = std::get<double>(resolved.at("w_max"));
      if (arrays_weigh) {
        const auto& ws = arrays->weight;
        const auto bad =
            std::find_if(ws.begin(), ws.end(), [&](double x) { return x < w_min || x > w_max; });
        if (bad != ws.end())
          cx.diag.error(
              ptr.substr(0, ptr.rfind('/')) + "/connections",
              "weight " + format_number(*bad) + " at position " + std::to_string(bad - ws.begin()) +
                  " lies outside the rule's bounds [w_min, w_max] = [" + format_number(w_min) +
                  ", " + format_number(w_max) + "] (synapse model " + s.model + ")",
              file);
      }
      if (w) {
        ValueSpec x;
        Diagnostics quiet;
        if (auto v = read_value(*w, r.at("weight"), quiet, file))
          if (quiet.ok() && (v->min() < w_min || v->max() > w_max))
            r.error("weight", "initial weights must lie in the rule's bounds [w_min, w_max] = [" +
                                  format_number(w_min) + ", " + format_number(w_max) +
                                  "]; these range over [" + format_number(v->min()) + ", " +
                                  format_number(v->max()) + "]");
      }
    } catch (const ParamErrors& e) {
      report(e, r.at("params"), cx.diag, file);
    }
  }
  r.finish(keys);
  if (w)
    if (auto x = read_value(*w, r.at("weight"), cx.diag, file)) s.weight = *x;
  if (d) {
    if (auto x = read_value(*d, r.at("delay_ms"), cx.diag, file)) {
      s.delay_ms = *x;
      const double dt = spec.resolution_ms;
      if (x->min() < dt * (1.0 - 1e-9))
        r.error("delay_ms",
                std::isinf(x->min())
                    ? "an unbounded distribution can draw delays below the resolution dt = " +
                          std::to_string(dt) + " ms; bound it with \"redraw\": [lo, hi]"
                    : "delays as short as " + std::to_string(x->min()) +
                          " ms are below the resolution dt = " + std::to_string(dt) +
                          " ms: delays must be at least one step");
      else if (x->max() / dt > 65535.0)
        r.error("delay_ms", "delays above 65535 steps are not supported");
    }
  }
  if (arrays_delay) {
    const double dt = spec.resolution_ms;
    const auto& ds = arrays->delay_ms;
    for (std::size_t i = 0; i < ds.size(); ++i)
      if (ds[i] < dt * (1.0 - 1e-9) || ds[i] / dt > 65535.0) {
        cx.diag.error(
            ptr.substr(0, ptr.rfind('/')) + "/connections",
            "delay_ms " + format_number(ds[i]) + " at position " + std::to_string(i) +
                (ds[i] < dt * (1.0 - 1e-9) ? " is below the resolution dt = " + format_number(dt) +
                                                 " ms: delays must be at least one step"
                                           : " is above 65535 steps, which is not supported"),
            file);
        break;
      }
  }
  if (arrays_weigh) {  // the receptor's choice below reads their range
    const auto [lo, hi] = std::minmax_element(arrays->weight.begin(), arrays->weight.end());
    s.weight = {ValueSpec::Kind::uniform, *lo, *hi};
  }
  // The receptor: named, or chosen by the sign of the weights.
  const PopulationSpec* tgt = spec.population(pr.target);
  const PopulationModel* model = tgt ? PopulationModels::instance().find(tgt->model) : nullptr;
  if (!model) return;
  std::vector<std::string> spike_receptors;
  {
    auto probe = make_population(tgt->model, "probe", 0, {}, "");
    for (const auto& rc : probe->receptors())
      if (rc.kind == ReceptorKind::spike) spike_receptors.emplace_back(rc.name);
  }
  if (receptor) {
    if (std::find(spike_receptors.begin(), spike_receptors.end(), *receptor) ==
        spike_receptors.end())
      r.error("receptor",
              "population " + pr.target + " (" + tgt->model + ") has no spike receptor " +
                  quote(*receptor) + hint_for(*receptor, spike_receptors) +
                  (spike_receptors.empty() ? " (it takes no spikes)"
                                           : " (receptors: " + join(spike_receptors) + ")"));
    s.receptor = *receptor;
    return;
  }
  const auto has = [&](const char* n) {
    return std::find(spike_receptors.begin(), spike_receptors.end(), n) != spike_receptors.end();
  };
  if (s.weight.max() <= 0.0 && s.weight.min() < 0.0 && has("inhibitory"))
    s.receptor = "inhibitory";
  else if (s.weight.min() >= 0.0 && has("excitatory"))
    s.receptor = "excitatory";
  else if (spike_receptors.size() == 1)
    s.receptor = spike_receptors[0];
  else
    r.error("",
            spike_receptors.empty()
                ? "population " + pr.target + " (" + tgt->model + ") takes no spikes"
                : "weights of both signs: name the \"receptor\" (" + join(spike_receptors) + ")");
}

void read_projection(ProjectionSpec& pr, const json& v, const std::string& ptr, const Context& cx,
                     const NetworkSpec& spec) {
  ObjectReader r(v, ptr, cx.diag, cx.file_of(ptr));
  if (!r.valid()) return;
  pr.source = r.string("source", true).value_or("");
  pr.target = r.string("target", true).value_or("");
  pr.name = r.string("name").value_or(pr.source + "->" + pr.target);
  std::vector<std::string> names;
  for (const auto& p : spec.populations)
    names.push_back(p.name);
  for (const auto* end : {&pr.source, &pr.target})
    if (!end->empty() && !spec.population(*end))
      r.error(end == &pr.source ? "source" : "target",
              "no population named " + quote(*end) + hint_for(*end, names));
  const json* syn = r.take("synapse");
  read_rule(pr, r, spec);
  read_synapse(pr, syn, r.at("synapse"), cx, spec, r.file());
}

// The populations a stimulus acts on: one name, or (for a device that spans
// populations) a list of names.
void read_stimulus_targets(StimulusSpec& st, ObjectReader& r, const DeviceModel* dev) {
  const json* t = r.require("target", "a population name");
  if (!t) return;
  if (t->is_string()) {
    st.targets = {t->get<std::string>()};
  } else if (t->is_array() && (!dev || dev->attach)) {
    for (std::size_t i = 0; i < t->size(); ++i) {
      if (!(*t)[i].is_string()) {
        r.error("target", "element " + std::to_string(i) + ": expected a population name, got " +
                              type_name((*t)[i]));
        continue;
      }
      const std::string name = (*t)[i].get<std::string>();
      if (std::find(st.targets.begin(), st.targets.end(), name) != st.targets.end())
        r.error("target", "population " + name + " is listed twice");
      else
        st.targets.push_back(name);
    }
    if (t->empty()) r.error("target", "expected at least one population");
  } else if (t->is_array()) {
    r.error("target", "stimulus model " + st.model +
                          " acts on one population: give one name (a list is for devices that "
                          "span populations)");
  } else {
    r.error("target", "expected a population name or a list of them, got " + type_name(*t));
  }
  if (!st.targets.empty()) st.target = st.targets.front();
}

// The volume a stimulus sends dopamine pulses to: named, or the only one.
void read_stimulus_neuromodulator(StimulusSpec& st, ObjectReader& r, const NetworkSpec& spec) {
  std::vector<std::string> names;
  for (const auto& n : spec.neuromodulators)
    names.push_back(n.name);
  if (auto name = r.string("neuromodulator")) {
    st.neuromodulator = *name;
    if (!spec.neuromodulator(*name))
      r.error("neuromodulator", "no neuromodulator named " + quote(*name) + hint_for(*name, names) +
                                    (names.empty() ? " (define it under \"neuromodulators\")"
                                                   : " (neuromodulators: " + join(names) + ")"));
  } else if (names.size() == 1) {
    st.neuromodulator = names[0];
  } else {
    r.error("", names.empty()
                    ? "stimulus model " + st.model +
                          " sends dopamine: define a volume under \"neuromodulators\""
                    : "stimulus model " + st.model +
                          " sends dopamine: name its \"neuromodulator\" (" + join(names) + ")");
  }
}

void read_stimulus(StimulusSpec& st, const json& v, const std::string& ptr, const Context& cx,
                   const NetworkSpec& spec) {
  ObjectReader r(v, ptr, cx.diag, cx.file_of(ptr));
  if (!r.valid()) return;
  st.model = r.string("model", true).value_or("");
  const DeviceModel* dev = DeviceModels::instance().find(st.model);
  read_stimulus_targets(st, r, dev);
  const std::string default_name = dev && dev->attach ? st.model : st.model + "->" + st.target;
  st.name = r.string("name").value_or(default_name);
  const auto receptor = r.string("receptor");
  st.params = read_params(r.take("params"), r.at("params"), cx.diag, r.file());
  check_times(st.params, r.at("params"), spec.resolution_ms, cx.diag, r.file());
  std::vector<std::string> keys{"name", "model", "target", "receptor", "params"};
  if (dev && dev->sends_dopamine) {
    keys.push_back("neuromodulator");
    read_stimulus_neuromodulator(st, r, spec);
  }
  r.finish(keys);
  if (!dev) {
    if (!st.model.empty())
      r.error("model", "unknown stimulus model " + quote(st.model) +
                           hint_for(st.model, DeviceModels::instance().names()));
    return;
  }
  // A device that spans populations leaves its log as tables named after it.
  if (dev->attach)
    if (auto why = io::file_stem_error(st.name))
      r.error(r.has("name") ? "name" : "",
              "stimulus name " + quote(st.name) + " cannot name its files: " + *why);
  st.receptor = receptor.value_or(dev->default_receptor);
  bool params_ok = true;
  try {
    dev->create(st.name, 0, 0, st.params);
  } catch (const ParamErrors& e) {
    report(e, r.at("params"), cx.diag, r.file());
    params_ok = false;
  }
  std::vector<std::string> names;
  for (const auto& p : spec.populations)
    names.push_back(p.name);
  std::uint64_t neurons = 0;
  bool all_found = true;
  for (const std::string& target : st.targets) {
    const PopulationSpec* tgt = spec.population(target);
    if (!tgt) {
      r.error("target", "no population named " + quote(target) + hint_for(target, names));
      all_found = false;
      continue;
    }
    neurons += tgt->size;
    if (!PopulationModels::instance().find(tgt->model)) continue;
    auto probe = make_population(tgt->model, "probe", 0, {}, "");
    if (probe->receptor_index(st.receptor) < 0) {
      std::vector<std::string> rs;
      for (const auto& rc : probe->receptors())
        rs.emplace_back(rc.name);
      r.error(receptor ? "receptor" : "",
              "population " + target + " (" + tgt->model + ") has no receptor " +
                  quote(st.receptor) + hint_for(st.receptor, rs) +
                  (rs.empty() ? " (it takes no input)" : " (receptors: " + join(rs) + ")"));
    }
  }
  if (params_ok && all_found && dev->check_targets && !st.targets.empty())
    for (const ParamError& e : dev->check_targets(st.params, neurons))
      cx.diag.error(r.at("params") + "/" + pointer_key(e.param), e.message, r.file());
}

// A list of local indices at `key`, each below `limit` when known (0: unknown).
std::vector<std::uint32_t> read_indices(ObjectReader& r, const std::string& key,
                                        std::uint64_t limit, const std::string& population) {
  std::vector<std::uint32_t> out;
  const json* n = r.take(key);
  if (!n) return out;
  if (!n->is_array()) {
    r.error(key, "expected a list of neuron indices, got " + type_name(*n));
    return out;
  }
  for (std::size_t i = 0; i < n->size(); ++i) {
    const json& x = (*n)[i];
    const std::string at = r.at(key) + "/" + std::to_string(i);
    if (!x.is_number_integer() || x.get<std::int64_t>() < 0) {
      r.diagnostics().error(at, "expected a neuron index >= 0", r.file());
      continue;
    }
    const auto idx = x.get<std::uint64_t>();
    if (limit && idx >= limit)
      r.diagnostics().error(at,
                            "neuron " + std::to_string(idx) + " outside population " + population +
                                " of size " + std::to_string(limit),
                            r.file());
    out.push_back(static_cast<std::uint32_t>(idx));
  }
  return out;
}

// Letters, digits, '_', '-', '.': the default name of a recorder from others.
std::string file_stem_of(std::string s) {
  for (char& c : s)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-' && c != '.') c = '_';
  return s;
}

void read_interval(RecorderSpec& rc, ObjectReader& r, const NetworkSpec& spec) {
  rc.interval_ms = r.number("interval_ms").value_or(1.0);
  if (rc.interval_ms < spec.resolution_ms * (1.0 - 1e-9))
    r.error("interval_ms",
            "must be at least the resolution dt = " + std::to_string(spec.resolution_ms) + " ms");
  else if (const Resolution res(spec.resolution_ms); !res.countable(rc.interval_ms))
    r.error("interval_ms", res.uncountable(rc.interval_ms));
}

// The formats of a spike recorder: ["npy"] or ["npy", "sonata"]. The .npy
// is always written (streamed during the run, kept by checkpoints); the
// SONATA file is made from it when the run completes.
void read_spike_formats(RecorderSpec& rc, ObjectReader& r) {
  const json* f = r.take("formats");
  if (!f) return;
  const std::vector<std::string> known{"npy", "sonata"};
  if (!f->is_array()) {
    r.error("formats", "expected a list of formats (" + join(known) + "), got " + type_name(*f));
    return;
  }
  rc.formats.clear();
  for (std::size_t i = 0; i < f->size(); ++i) {
    const json& x = (*f)[i];
    const std::string at = r.at("formats") + "/" + std::to_string(i);
    if (!x.is_string()) {
      r.diagnostics().error(at, "expected a format name (" + join(known) + ")", r.file());
      continue;
    }
    const std::string name = x.get<std::string>();
    if (std::find(known.begin(), known.end(), name) == known.end())
      r.diagnostics().error(at,
                            "unknown format " + quote(name) + hint_for(name, known) +
                                " (spike formats: " + join(known) + ")",
                            r.file());
    else if (std::find(rc.formats.begin(), rc.formats.end(), name) != rc.formats.end())
      r.diagnostics().error(at, "format " + quote(name) + " named twice", r.file());
    else
      rc.formats.push_back(name);
  }
  if (std::find(rc.formats.begin(), rc.formats.end(), "npy") == rc.formats.end())
    r.error("formats",
            "must include \"npy\": the .npy file is always written (it is streamed during the "
            "run, and a SONATA file is made from it when the run completes)");
  if (rc.sonata() && !io::sonata_supported())
    r.error("formats", "\"sonata\": " + io::sonata_unsupported_reason());
}

void read_population_recorder(RecorderSpec& rc, ObjectReader& r, const NetworkSpec& spec) {
  rc.population = r.string("population", true).value_or("");
  std::vector<std::string> keys{"name", "type", "population", "neurons"};
  if (rc.type == "spikes") {
    read_spike_formats(rc, r);
    keys.push_back("formats");
  }
  if (rc.type == "state") {
    rc.variable = r.string("variable", true).value_or("");
    keys.insert(keys.end(), {"variable", "interval_ms"});
  }
  rc.name =
      r.string("name").value_or(rc.population + (rc.type == "state" ? "_" + rc.variable : ""));
  const PopulationSpec* pop = spec.population(rc.population);
  rc.neurons = read_indices(r, "neurons", pop ? pop->size : 0, rc.population);
  if (rc.type == "state") read_interval(rc, r, spec);
  r.finish(keys);
  if (!pop) {
    std::vector<std::string> names;
    for (const auto& p : spec.populations)
      names.push_back(p.name);
    if (!rc.population.empty())
      r.error("population",
              "no population named " + quote(rc.population) + hint_for(rc.population, names));
    return;
  }
  if (rc.type == "state") {
    if (const PopulationModel* m = PopulationModels::instance().find(pop->model)) {
      std::vector<std::string> vars;
      for (const auto& s : m->state)
        vars.push_back(s.name);
      if (!rc.variable.empty() && std::find(vars.begin(), vars.end(), rc.variable) == vars.end())
        r.error("variable", "model " + pop->model + " has no state variable " + quote(rc.variable) +
                                hint_for(rc.variable, vars) +
                                (vars.empty() ? " (it has no state to record)"
                                              : " (state: " + join(vars) + ")"));
    }
  }
}

// The weight (or eligibility) of the synapses of a plastic projection whose
// source is among `sources` and target among `targets` (empty: all).
void read_weight_recorder(RecorderSpec& rc, ObjectReader& r, const NetworkSpec& spec) {
  rc.projection = r.string("projection", true).value_or("");
  rc.variable = r.string("variable").value_or("weight");
  const ProjectionSpec* pr = spec.projection(rc.projection);
  const PopulationSpec* src = pr ? spec.population(pr->source) : nullptr;
  const PopulationSpec* tgt = pr ? spec.population(pr->target) : nullptr;
  rc.sources = read_indices(r, "sources", src ? src->size : 0, pr ? pr->source : "");
  rc.targets = read_indices(r, "targets", tgt ? tgt->size : 0, pr ? pr->target : "");
  read_interval(rc, r, spec);
  rc.name = r.string("name").value_or(file_stem_of(rc.projection + "_" + rc.variable));
  r.finish({"name", "type", "projection", "variable", "sources", "targets", "interval_ms"});
  if (rc.variable != "weight" && rc.variable != "eligibility")
    r.error("variable", "expected \"weight\" or \"eligibility\", got " + quote(rc.variable));
  if (!pr) {
    std::vector<std::string> names;
    for (const auto& p : spec.projections)
      names.push_back(p.name);
    if (!rc.projection.empty())
      r.error("projection", "no projection named " + quote(rc.projection) +
                                hint_for(rc.projection, names) +
                                (names.empty() ? "" : " (projections: " + join(names) + ")"));
    return;
  }
  const SynapseModel* rule = SynapseModels::instance().find(pr->synapse.model);
  if (pr->synapse.model == "static")
    r.error("projection", "projection " + rc.projection +
                              " has static synapses: their weights never change (record a "
                              "projection with a plastic synapse model)");
  else if (rule && rc.variable == "eligibility" && !rule->has_eligibility)
    r.error("variable", "synapse model " + pr->synapse.model + " has no eligibility trace");
}

// A projection's synapses at the end of the run, in the form "rule":
// "explicit" reads (networks/connection_arrays.hpp).
void read_connections_recorder(RecorderSpec& rc, ObjectReader& r, const NetworkSpec& spec) {
  rc.projection = r.string("projection", true).value_or("");
  rc.name = r.string("name").value_or(file_stem_of(rc.projection + "_connections"));
  r.finish({"name", "type", "projection"});
  if (!rc.projection.empty() && !spec.projection(rc.projection)) {
    std::vector<std::string> names;
    for (const auto& p : spec.projections)
      names.push_back(p.name);
    r.error("projection", "no projection named " + quote(rc.projection) +
                              hint_for(rc.projection, names) +
                              (names.empty() ? "" : " (projections: " + join(names) + ")"));
  }
}

// The level of a dopamine volume.
void read_neuromodulator_recorder(RecorderSpec& rc, ObjectReader& r, const NetworkSpec& spec) {
  std::vector<std::string> names;
  for (const auto& n : spec.neuromodulators)
    names.push_back(n.name);
  if (auto n = r.string("neuromodulator"))
    rc.neuromodulator = *n;
  else if (names.size() == 1)
    rc.neuromodulator = names[0];
  else
    r.error("", "name the \"neuromodulator\" to record" +
                    (names.empty() ? std::string(" (none is defined)") : " (" + join(names) + ")"));
  read_interval(rc, r, spec);
  rc.name = r.string("name").value_or(rc.neuromodulator);
  r.finish({"name", "type", "neuromodulator", "interval_ms"});
  if (!rc.neuromodulator.empty() && !spec.neuromodulator(rc.neuromodulator))
    r.error("neuromodulator", "no neuromodulator named " + quote(rc.neuromodulator) +
                                  hint_for(rc.neuromodulator, names));
}

void read_recorder(RecorderSpec& rc, const json& v, const std::string& ptr, const Context& cx,
                   const NetworkSpec& spec) {
  ObjectReader r(v, ptr, cx.diag, cx.file_of(ptr));
  if (!r.valid()) return;
  rc.type = r.string("type").value_or("spikes");
  if (rc.type == "spikes" || rc.type == "state") {
    read_population_recorder(rc, r, spec);
  } else if (rc.type == "weight_recorder") {
    read_weight_recorder(rc, r, spec);
  } else if (rc.type == "neuromodulator") {
    read_neuromodulator_recorder(rc, r, spec);
  } else if (rc.type == "connections") {
    read_connections_recorder(rc, r, spec);
  } else {
    const std::vector<std::string> types{"spikes", "state", "weight_recorder", "neuromodulator",
                                         "connections"};
    r.error("type", "expected one of " + join(types) + ", got " + quote(rc.type) +
                        hint_for(rc.type, types));
    return;
  }
  if (auto why = io::file_stem_error(rc.name))
    r.error(r.has("name") ? "name" : "",
            "recorder name " + quote(rc.name) + " cannot name its files: " + *why);
}

// The synapse whose pairings earn rewards, and the contingency's parameters.
// Projections are read after neuromodulators, so the projection's name is
// checked in check_contingencies().
void read_contingency(NeuromodulatorSpec& n, const json& v, const std::string& ptr,
                      const Context& cx, const NetworkSpec&) {
  ObjectReader r(v, ptr, cx.diag, cx.file_of(ptr));
  if (!r.valid()) return;
  ContingencySpec c;
  c.projection = r.string("projection", true).value_or("");
  c.source = static_cast<std::uint32_t>(r.count("source", true).value_or(0));
  c.synapse = static_cast<std::uint32_t>(r.count("synapse").value_or(0));
  c.initial_weight = r.number("initial_weight");
  c.params = read_params(r.take("params"), r.at("params"), cx.diag, r.file());
  check_times(c.params, r.at("params"), cx.resolution_ms, cx.diag, r.file());
  r.finish({"projection", "source", "synapse", "initial_weight", "params"});
  try {
    models::PairContingency::param_table().apply(models::PairContingency::model_name,
                                                 models::PairContingency::Params{}, c.params);
  } catch (const ParamErrors& e) {
    report(e, r.at("params"), cx.diag, r.file());
  }
  n.contingency = std::move(c);
}

// Once projections are read: the contingency's synapse exists and is plastic.
void check_contingencies(const NetworkSpec& spec, Diagnostics& diag, const Context& cx) {
  for (const auto& n : spec.neuromodulators) {
    if (!n.contingency) continue;
    const ContingencySpec& c = *n.contingency;
    const std::string ptr = "/neuromodulators/" + pointer_key(n.name) + "/contingency";
    const std::string file = cx.file_of("/neuromodulators/" + pointer_key(n.name));
    const ProjectionSpec* pr = spec.projection(c.projection);
    if (!pr) {
      std::vector<std::string> names;
      for (const auto& p : spec.projections)
        names.push_back(p.name);
      if (!c.projection.empty())
        diag.error(ptr + "/projection",
                   "no projection named " + quote(c.projection) + hint_for(c.projection, names),
                   file);
      continue;
    }
    if (const PopulationSpec* src = spec.population(pr->source); src && c.source >= src->size)
      diag.error(ptr + "/source",
                 "neuron " + std::to_string(c.source) + " outside population " + pr->source +
                     " of size " + std::to_string(src->size),
                 file);
    if (pr->rule.rule == "fixed_outdegree" && c.synapse >= pr->rule.outdegree)
      diag.error(ptr + "/synapse",
                 "synapse " + std::to_string(c.synapse) + " of a neuron with " +
                     std::to_string(pr->rule.outdegree) + " synapses (counted from 0)",
                 file);
  }
}

// Once neuromodulators are read: the volume a population reads exists, and
// the population's model and parameters give its level something to act on.
void check_population_neuromodulators(const NetworkSpec& spec, Diagnostics& diag,
                                      const Context& cx) {
  for (const auto& p : spec.populations) {
    if (p.neuromodulator.empty()) continue;
    const std::string ptr = "/populations/" + pointer_key(p.name);
    const std::string file = cx.file_of(ptr);
    if (!spec.neuromodulator(p.neuromodulator)) {
      diag.error(ptr + "/neuromodulator", no_such_neuromodulator(p.neuromodulator, spec), file);
      continue;
    }
    if (!PopulationModels::instance().find(p.model)) continue;  // reported with the model
    std::unique_ptr<Population> probe;
    try {
      probe = make_population(p.model, p.name, 0, p.params, p.preset);
    } catch (const std::invalid_argument&) {
      continue;  // its parameters are reported where they are
    }
    if (const std::string why = probe->cannot_read_neuromodulator(); !why.empty())
      diag.error(ptr + "/neuromodulator",
                 "population " + p.name + " (" + p.model + ") cannot read neuromodulator " +
                     p.neuromodulator + ": " + why,
                 file);
  }
}

void read_neuromodulator(NeuromodulatorSpec& n, const json& v, const std::string& ptr,
                         const Context& cx, const NetworkSpec& spec) {
  ObjectReader r(v, ptr, cx.diag, cx.file_of(ptr));
  if (!r.valid()) return;
  n.type = r.string("type").value_or("dopamine");
  n.source = r.string("source").value_or("");
  n.params = read_params(r.take("params"), r.at("params"), cx.diag, r.file());
  check_times(n.params, r.at("params"), spec.resolution_ms, cx.diag, r.file());
  const Resolution res(spec.resolution_ms);
  if (const json* pulses = r.take("pulses")) {
    if (!pulses->is_array()) {
      r.error("pulses",
              "expected a list of {\"time_ms\": t, \"amount\": a}, got " + type_name(*pulses));
    } else {
      for (std::size_t i = 0; i < pulses->size(); ++i) {
        ObjectReader pr((*pulses)[i], r.at("pulses") + "/" + std::to_string(i), cx.diag, r.file());
        if (!pr.valid()) continue;
        const auto t = pr.number("time_ms", true);
        const auto a = pr.number("amount", true);
        pr.finish({"time_ms", "amount"});
        if (t && *t < 0.0) pr.error("time_ms", "must be >= 0 [ms]");
        if (t && !res.countable(*t)) pr.error("time_ms", res.uncountable(*t));
        if (t && a) n.pulses.emplace_back(*t, *a);
      }
    }
  }
  if (const json* c = r.take("contingency")) read_contingency(n, *c, r.at("contingency"), cx, spec);
  if (const json* rp = r.take("random_pulses")) {
    ObjectReader q(*rp, r.at("random_pulses"), cx.diag, r.file());
    if (q.valid()) {
      RandomPulsesSpec x;
      x.rate_Hz = q.number("rate_Hz", true).value_or(0.0);
      x.amount = q.number("amount").value_or(0.5);
      x.start_ms = q.number("start_ms").value_or(0.0);
      x.stop_ms = q.number("stop_ms").value_or(-1.0);
      q.finish({"rate_Hz", "amount", "start_ms", "stop_ms"});
      if (x.rate_Hz < 0.0) q.error("rate_Hz", "must be >= 0 [Hz]");
      if (x.start_ms < 0.0) q.error("start_ms", "must be >= 0 [ms]");
      if (x.stop_ms >= 0.0 && x.stop_ms < x.start_ms)
        q.error("stop_ms", "must not precede start_ms");
      for (const auto& [key, t] : {std::pair{"start_ms", x.start_ms}, {"stop_ms", x.stop_ms}})
        if (!res.countable(t)) q.error(key, res.uncountable(t));
      n.random_pulses = x;
    }
  }
  if (auto rate = r.number("tonic_rate_Hz")) {
    if (!(*rate >= 0.0))
      r.error("tonic_rate_Hz", "must be >= 0 [Hz]");
    else if (n.source.empty())
      r.error("tonic_rate_Hz", "a tonic rate needs the \"source\" population it is the rate of");
    else
      n.tonic_rate_Hz = *rate;
  }
  // A source that fires at a rate it states (the dopamine cell) gives its
  // rate to the volume unless the volume states one.
  if (const PopulationSpec* source = spec.population(n.source); source && !n.tonic_rate_Hz)
    n.tonic_rate_Hz = stated_tonic_rate(*source);
  const json* initial = r.take("initial");
  r.finish({"type", "source", "params", "pulses", "contingency", "random_pulses", "tonic_rate_Hz",
            "initial"});
  if (n.type != "dopamine")
    r.error("type", "unknown neuromodulator type " + quote(n.type) +
                        hint_for(n.type, {"dopamine"}) + " (available: dopamine)");
  if (!n.source.empty() && !spec.population(n.source)) {
    std::vector<std::string> names;
    for (const auto& p : spec.populations)
      names.push_back(p.name);
    r.error("source", "no population named " + quote(n.source) + hint_for(n.source, names));
  }
  DopamineVolume::Params p;
  try {
    p = DopamineVolume::param_table().apply(DopamineVolume::model_name, DopamineVolume::Params{},
                                            n.params);
  } catch (const ParamErrors& e) {
    report(e, r.at("params"), cx.diag, r.file());
    return;
  }
  // The initial level: a number, "baseline", or "tonic" (the default when a
  // tonic rate is stated, so that a run does not open with a false dip).
  const std::optional<double> tonic = tonic_level(n, spec);
  if (!initial) {
    if (tonic) n.initial = *tonic;
  } else if (initial->is_number()) {
    n.initial = initial->get<double>();
  } else if (initial->is_string() && initial->get<std::string>() == "baseline") {
    n.initial = p.baseline;
  } else if (initial->is_string() && initial->get<std::string>() == "tonic") {
    if (tonic)
      n.initial = *tonic;
    else
      r.error("initial", "\"tonic\" needs the source's \"tonic_rate_Hz\"");
  } else {
    r.error("initial", "expected a number, \"baseline\" or \"tonic\"");
  }
}

// A volume that a population reads and a population's spikes drive, with a
// delay of zero steps, makes every epoch one step long (docs/conventions.md,
// "When a population sees a dopamine change"): the run is valid, and slower
// than it need be. A warning, with the delay that keeps the epochs.
void warn_about_one_step_epochs(const NetworkSpec& spec, Diagnostics& diag, const Context& cx) {
  const Resolution res(spec.resolution_ms);
  double min_delay_ms = 0.0;  // the shortest synaptic delay; 0: no projection
  for (const auto& pr : spec.projections) {
    const double d = pr.synapse.delay_ms.min();
    if (res.countable(d) && d > 0.0 && (min_delay_ms == 0.0 || d < min_delay_ms)) min_delay_ms = d;
  }
  for (const auto& n : spec.neuromodulators) {
    if (n.source.empty() || !spec.population(n.source)) continue;
    std::vector<std::string> readers;
    for (const auto& p : spec.populations)
      if (p.neuromodulator == n.name) readers.push_back(p.name);
    if (readers.empty()) continue;
    const auto it = n.params.find("delay_ms");
    const double delay = it != n.params.end() && std::holds_alternative<double>(it->second)
                             ? std::get<double>(it->second)
                             : DopamineVolume::Params{}.delay_ms;
    if (!res.countable(delay) || res.round_to_steps(delay) > 0) continue;
    const std::string ptr = "/neuromodulators/" + pointer_key(n.name);
    diag.warning(
        it != n.params.end() ? ptr + "/params/delay_ms" : ptr,
        "delay_ms = " + format_number(delay) + " (0 steps) on a volume driven by " + n.source +
            " and read by population" + (readers.size() > 1 ? "s " : " ") + join(readers) +
            ": every epoch is one step long, which slows the run (docs/conventions.md)" +
            (min_delay_ms > 0.0
                 ? "; a delay_ms of at least the shortest synaptic delay (" +
                       format_number(min_delay_ms) + " ms) keeps epochs of " +
                       std::to_string(std::max<Step>(1, res.round_to_steps(min_delay_ms)) + 1) +
                       " steps"
                 : "; give it a delay_ms of at least one step (" +
                       format_number(spec.resolution_ms) + " ms)"),
        cx.file_of(ptr));
  }
}

// What the description asks of the machine: at most max_neurons neurons in
// all, and an estimated memory within the machine's physical memory.
void check_size(const NetworkSpec& spec, Diagnostics& diag) {
  std::uint64_t neurons = 0;
  for (const auto& p : spec.populations)
    neurons += p.size;  // each is at most max_neurons: no overflow
  if (neurons > max_neurons)
    diag.error("/populations", std::to_string(neurons) +
                                   " neurons in all: bgsim numbers neurons "
                                   "with 32 bits, " +
                                   std::to_string(max_neurons) + " at most");
  check_memory(estimate_memory(spec), physical_memory_bytes(), diag);
}

template <class T>
void check_unique_names(const std::vector<T>& items, const std::string& section,
                        Diagnostics& diag) {
  std::set<std::string> seen;
  for (std::size_t i = 0; i < items.size(); ++i)
    if (!items[i].name.empty() && !seen.insert(items[i].name).second)
      diag.error("/" + section + "/" + std::to_string(i),
                 "a second " + section.substr(0, section.size() - 1) + " named " +
                     quote(items[i].name) + "; names must be unique (set \"name\")");
}

}  // namespace

NetworkSpec read_network(const json& doc, Diagnostics& diag,
                         const std::map<std::string, std::string>& origin) {
  NetworkSpec spec;
  Context cx{diag, origin};
  ObjectReader top(doc, "", diag);
  if (!top.valid()) return spec;
  top.take("name");
  top.take("description");
  if (auto dt = top.number("resolution_ms")) {
    if (*dt <= 0.0)
      top.error("resolution_ms", "must be > 0 [ms]");
    else
      spec.resolution_ms = *dt;
  }
  spec.seed = top.count("seed").value_or(1);
  if (auto T = top.number("duration_ms")) {
    if (*T < 0.0)
      top.error("duration_ms", "must be >= 0 [ms]");
    else
      spec.duration_ms = *T;
  }
  cx.resolution_ms = spec.resolution_ms;
  if (const Resolution res(spec.resolution_ms); !res.countable(spec.duration_ms)) {
    top.error(top.has("duration_ms") ? "duration_ms" : "resolution_ms",
              "a run " + res.uncountable(spec.duration_ms).substr(7));
    spec.duration_ms = 0.0;  // estimates below count no steps
  }
  if (const json* pops = top.take("populations")) {
    ObjectReader pr(*pops, "/populations", diag);
    if (pr.valid()) {
      for (const auto& [name, value] : pops->items()) {
        pr.take(name);
        PopulationSpec p;
        p.name = name;
        read_population(p, value, "/populations/" + pointer_key(name), cx);
        spec.populations.push_back(std::move(p));
      }
    }
  } else {
    top.error("", "missing \"populations\": a description needs at least one population");
  }
  if (const json* v = top.take("neuromodulators")) {
    ObjectReader nr(*v, "/neuromodulators", diag, cx.file_of("/neuromodulators"));
    if (nr.valid()) {
      for (const auto& [name, value] : v->items()) {
        nr.take(name);
        NeuromodulatorSpec n;
        n.name = name;
        read_neuromodulator(n, value, "/neuromodulators/" + pointer_key(name), cx, spec);
        spec.neuromodulators.push_back(std::move(n));
      }
    }
  }
  const auto list = [&](const char* key) -> const json* {
    const json* v = top.take(key);
    if (v && !v->is_array()) {
      top.error(key, std::string("expected a list, got ") + type_name(*v));
      return nullptr;
    }
    return v;
  };
  if (const json* v = list("projections"))
    for (std::size_t i = 0; i < v->size(); ++i) {
      ProjectionSpec p;
      read_projection(p, (*v)[i], "/projections/" + std::to_string(i), cx, spec);
      spec.projections.push_back(std::move(p));
    }
  if (const json* v = list("stimuli"))
    for (std::size_t i = 0; i < v->size(); ++i) {
      StimulusSpec s;
      read_stimulus(s, (*v)[i], "/stimuli/" + std::to_string(i), cx, spec);
      spec.stimuli.push_back(std::move(s));
    }
  if (const json* v = list("recorders")) {
    std::map<std::string, std::size_t> sonata_of;  // population -> the recorder writing its group
    for (std::size_t i = 0; i < v->size(); ++i) {
      RecorderSpec r;
      const std::string ptr = "/recorders/" + std::to_string(i);
      read_recorder(r, (*v)[i], ptr, cx, spec);
      // spikes.h5 holds one group per population (/spikes/<population>).
      if (r.sonata() && !r.population.empty()) {
        if (auto [it, fresh] = sonata_of.emplace(r.population, i); !fresh)
          diag.error(ptr + "/formats",
                     "population " + r.population + " already has its SONATA group from " +
                         "/recorders/" + std::to_string(it->second) +
                         ": spikes.h5 holds one group per population",
                     cx.file_of(ptr));
      }
      spec.recorders.push_back(std::move(r));
    }
  }
  if (const json* v = top.take("guards")) read_guards(spec.guards, *v, cx);
  if (const json* v = top.take("task")) {
    // The design's direction: an experiment names its network, never the
    // reverse, so one network file serves open-loop runs and every task.
    if (!v->is_null())
      top.error("task",
                "a network description names no task: write an experiment file whose "
                "learner names this network (docs/closed_loop.md)");
  }
  check_contingencies(spec, diag, cx);
  check_population_neuromodulators(spec, diag, cx);
  warn_about_one_step_epochs(spec, diag, cx);
  check_size(spec, diag);
  top.finish({"name", "description", "resolution_ms", "seed", "duration_ms", "populations",
              "projections", "neuromodulators", "stimuli", "recorders", "guards", "task",
              "include"});
  check_unique_names(spec.projections, "projections", diag);
  check_unique_names(spec.stimuli, "stimuli", diag);
  check_unique_names(spec.recorders, "recorders", diag);
  return spec;
}

json resolved_json(const NetworkSpec& spec) {
  json j;
  j["resolution_ms"] = spec.resolution_ms;
  j["seed"] = spec.seed;
  j["duration_ms"] = spec.duration_ms;
  json pops = json::object();
  for (const auto& p : spec.populations) {
    json jp;
    jp["model"] = p.model;
    jp["size"] = p.size;
    if (!p.preset.empty()) jp["preset"] = p.preset;
    if (!p.neuromodulator.empty()) jp["neuromodulator"] = p.neuromodulator;
    if (p.max_rate_Hz) jp["max_rate_Hz"] = *p.max_rate_Hz;
    jp["params"] =
        params_json(make_population(p.model, p.name, p.size, p.params, p.preset)->params());
    if (!p.initial.empty()) {
      json init = json::object();
      for (const auto& [var, value] : p.initial)
        init[var] = value.to_json();
      jp["initial"] = init;
    }
    pops[p.name] = jp;
  }
  j["populations"] = pops;
  j["guards"] = {
      {"finite", spec.guards.finite},
      {"interval_ms", spec.guards.interval_ms},
      {"max_rate_Hz", spec.guards.max_rate_Hz ? json(*spec.guards.max_rate_Hz) : json(nullptr)}};
  j["projections"] = json::array();
  for (const auto& pr : spec.projections) {
    json jp{
        {"name", pr.name}, {"source", pr.source}, {"target", pr.target}, {"rule", pr.rule.rule}};
    if (pr.connections) {
      jp["connections"] = pr.connections->given;
    } else {
      jp["allow_autapses"] = pr.rule.allow_autapses;
      jp["allow_multapses"] = pr.rule.allow_multapses;
    }
    if (pr.rule.rule == "fixed_probability" || pr.rule.rule == "pairwise_bernoulli")
      jp["p"] = pr.rule.p;
    if (pr.rule.rule == "fixed_indegree") jp["indegree"] = pr.rule.indegree;
    if (pr.rule.rule == "fixed_outdegree") jp["outdegree"] = pr.rule.outdegree;
    if (pr.rule.rule == "fixed_total_number") jp["n"] = pr.rule.n;
    jp["synapse"] = {{"model", pr.synapse.model}, {"receptor", pr.synapse.receptor}};
    if (!pr.connections || pr.connections->weight.empty())
      jp["synapse"]["weight"] = pr.synapse.weight.to_json();
    if (!pr.connections || pr.connections->delay_ms.empty())
      jp["synapse"]["delay_ms"] = pr.synapse.delay_ms.to_json();
    if (const SynapseModel* rule = SynapseModels::instance().find(pr.synapse.model)) {
      jp["synapse"]["params"] = params_json(rule->resolve(pr.synapse.params));
      jp["synapse"]["precision"] = pr.synapse.precision;
      if (rule->uses_dopamine) jp["synapse"]["neuromodulator"] = pr.synapse.neuromodulator;
    }
    j["projections"].push_back(jp);
  }
  j["stimuli"] = json::array();
  for (const auto& s : spec.stimuli) {
    const DeviceModel* dev = DeviceModels::instance().find(s.model);
    json js{{"name", s.name},
            {"model", s.model},
            {"target", dev->attach ? json(s.targets) : json(s.target)},
            {"receptor", s.receptor},
            {"params", params_json(dev->create(s.name, 0, 0, s.params)->params())}};
    if (dev->sends_dopamine) js["neuromodulator"] = s.neuromodulator;
    j["stimuli"].push_back(std::move(js));
  }
  j["recorders"] = json::array();
  for (const auto& r : spec.recorders) {
    json jr{{"name", r.name}, {"type", r.type}};
    if (r.type == "spikes" || r.type == "state") {
      jr["population"] = r.population;
      if (!r.neurons.empty()) jr["neurons"] = r.neurons;
    }
    if (r.type == "state") jr["variable"] = r.variable;
    if (r.type == "spikes") jr["formats"] = r.formats;
    if (r.type == "weight_recorder") {
      jr["projection"] = r.projection;
      jr["variable"] = r.variable;
      if (!r.sources.empty()) jr["sources"] = r.sources;
      if (!r.targets.empty()) jr["targets"] = r.targets;
    }
    if (r.type == "neuromodulator") jr["neuromodulator"] = r.neuromodulator;
    if (r.type == "connections") jr["projection"] = r.projection;
    if (r.type != "spikes" && r.type != "connections") jr["interval_ms"] = r.interval_ms;
    j["recorders"].push_back(jr);
  }
  j["neuromodulators"] = json::object();
  for (const auto& n : spec.neuromodulators) {
    const auto p = DopamineVolume::param_table().apply(DopamineVolume::model_name,
                                                       DopamineVolume::Params{}, n.params);
    json jn{{"type", n.type}, {"params", params_json(DopamineVolume::param_table().to_map(p))}};
    if (!n.source.empty()) jn["source"] = n.source;
    if (n.tonic_rate_Hz) jn["tonic_rate_Hz"] = *n.tonic_rate_Hz;
    jn["initial"] = n.initial.value_or(p.baseline);
    if (!n.pulses.empty()) {
      jn["pulses"] = json::array();
      for (const auto& [t, a] : n.pulses)
        jn["pulses"].push_back({{"time_ms", t}, {"amount", a}});
    }
    if (n.contingency) {
      const ContingencySpec& c = *n.contingency;
      const auto p = models::PairContingency::param_table().apply(
          models::PairContingency::model_name, models::PairContingency::Params{}, c.params);
      jn["contingency"] = {
          {"projection", c.projection},
          {"source", c.source},
          {"synapse", c.synapse},
          {"params", params_json(models::PairContingency::param_table().to_map(p))}};
      if (c.initial_weight) jn["contingency"]["initial_weight"] = *c.initial_weight;
    }
    if (n.random_pulses) {
      const RandomPulsesSpec& x = *n.random_pulses;
      jn["random_pulses"] = {
          {"rate_Hz", x.rate_Hz}, {"amount", x.amount}, {"start_ms", x.start_ms}};
      if (x.stop_ms >= 0.0) jn["random_pulses"]["stop_ms"] = x.stop_ms;
    }
    j["neuromodulators"][n.name] = jn;
  }
  return j;
}

}  // namespace bgsim::networks
