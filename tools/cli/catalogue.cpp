#include "tools/cli/catalogue.hpp"

#include <algorithm>
#include <iomanip>
#include <sstream>
#include <variant>

#include "core/neuromodulator.hpp"
#include "core/printable.hpp"
#include "core/registry.hpp"
#include "networks/connection_rules.hpp"
#include "tasks/experiment.hpp"

namespace bgsim::cli {

namespace {

std::string show(const ParamValue& v) {
  std::ostringstream s;
  std::visit(
      [&](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, double>) {
          s << x;
        } else if constexpr (std::is_same_v<T, std::string>) {
          s << '"' << x << '"';
        } else if constexpr (std::is_same_v<T, std::vector<double>>) {
          s << "[" << x.size() << " values]";
        } else {
          s << "[" << x.size() << " lists]";
        }
      },
      v);
  return s.str();
}

void parameter_table(const std::vector<ParamInfo>& params, const ParamMap& defaults,
                     std::ostream& out) {
  out << "  parameters:\n";
  std::size_t width = 16;  // the name column fits the longest name
  for (const auto& p : params)
    width = std::max(width, p.name.size() + 1);
  for (const auto& p : params) {
    auto it = defaults.find(p.name);
    out << "    " << std::left << std::setw(static_cast<int>(width)) << p.name << std::setw(8)
        << (p.unit.empty() || p.unit == "1" ? "-" : p.unit) << std::setw(14)
        << (it == defaults.end() ? "" : show(it->second)) << p.doc << "  ("
        << describe_constraint(p) << ")\n";
  }
}

}  // namespace

void list_everything(std::ostream& out) {
  out << "neuron and input population models (bgsim describe MODEL):\n";
  for (const auto& name : PopulationModels::instance().names())
    out << "  " << name << "\n";
  out << "stimulus devices:\n";
  for (const auto& name : DeviceModels::instance().names())
    out << "  " << name << "\n";
  out << "synapse models:\n  static\n";
  for (const auto& name : SynapseModels::instance().names())
    out << "  " << name << "\n";
  out << "neuromodulators:\n  " << DopamineVolume::model_name << "\n";
  out << "connection rules:\n";
  for (const auto& name : networks::connection_rule_names())
    out << "  " << name << "\n";
  out << "experiments (learners on tasks; \"experiment\": {\"kind\": ...}):\n";
  for (const auto& name : tasks::Experiments::instance().names()) {
    const auto* e = tasks::Experiments::instance().find(name);
    out << "  " << name << (e->doc.empty() ? "" : "  - " + e->doc) << "\n";
  }
}

bool describe(const std::string& name, std::ostream& out, std::ostream& err) {
  if (const PopulationModel* m = PopulationModels::instance().find(name)) {
    out << m->name
        << (m->reads_neuromodulator
                ? " (reads a neuromodulator: \"neuromodulator\": NAME in its population)"
                : "")
        << "\n  " << m->doc << "\n";
    const ParamMap defaults = m->create("describe", 1, {})->params();
    parameter_table(m->params, defaults, out);
    if (!m->state.empty()) {
      out << "  state variables (recordable, settable with \"initial\"):\n";
      for (const auto& s : m->state)
        out << "    " << std::left << std::setw(16) << s.name << s.unit << "\n";
    }
    if (!m->receptors.empty()) {
      out << "  receptors:";
      for (const auto& r : m->receptors)
        out << " " << r;
      out << "\n";
    }
    if (!m->presets.empty()) {
      out << "  presets:\n";
      for (const auto& [preset, values] : m->presets) {
        out << "    " << preset << ":";
        for (const auto& [k, v] : values)
          out << " " << k << "=" << show(v);
        out << "\n";
      }
    }
    return true;
  }
  if (const DeviceModel* d = DeviceModels::instance().find(name)) {
    out << d->name << " (stimulus device; default receptor \"" << d->default_receptor << "\")\n  "
        << d->doc << "\n";
    parameter_table(d->params, d->create("describe", 0, 0, {})->params(), out);
    return true;
  }
  if (const SynapseModel* r = SynapseModels::instance().find(name)) {
    out << r->name << " (synapse model" << (r->uses_dopamine ? "; reads a neuromodulator" : "")
        << ")\n  " << r->doc << "\n";
    parameter_table(r->params, r->resolve({}), out);
    return true;
  }
  if (name == DopamineVolume::model_name) {
    out << name
        << " (neuromodulator, \"neuromodulators\": {NAME: {\"source\": POPULATION, "
           "\"params\": {...}, \"pulses\": [...]}})\n  d' = -(d - baseline)/tau_ms + "
           "spike_increment per source spike (after delay_ms) + pulse amounts\n";
    parameter_table(DopamineVolume::param_table().infos(), DopamineVolume({}, {}).param_map(), out);
    return true;
  }
  if (const networks::ConnectionRuleInfo* rule = networks::connection_rule_info(name)) {
    out << rule->name << " (connection rule, \"rule\": \"" << rule->name << "\" in a projection"
        << (rule->alias_of.empty() ? "" : "; another name of " + rule->alias_of) << ")\n  "
        << rule->doc << "\n";
    if (rule->keys.empty()) {
      out << "  keys: none besides source, target and synapse\n";
    } else {
      out << "  keys:\n";
      for (const auto& k : rule->keys)
        out << "    " << std::left << std::setw(16) << k.name << std::setw(22) << k.type
            << std::setw(10) << (k.default_value.empty() ? "required" : k.default_value) << k.doc
            << "\n";
    }
    return true;
  }
  if (const tasks::ExperimentKind* kind = tasks::Experiments::instance().find(name)) {
    out << kind->name << " (experiment, {\"experiment\": {\"kind\": \"" << kind->name
        << "\", \"params\": {...}}})\n  " << kind->doc << "\n";
    const tasks::ExperimentDefaults d = tasks::experiment_defaults(*kind);
    if (!d.required.empty()) {
      out << "  required:\n";
      for (const auto& r : d.required)
        out << "    " << r << "\n";
    }
    out << "  parameters (defaults; units in the names: _ms, _Hz; docs/closed_loop.md and "
           "docs/agents/):\n";
    for (const auto& [key, value] : d.params.items())
      out << "    " << std::left << std::setw(24) << key << value.dump() << "\n";
    return true;
  }
  std::vector<std::string> all = PopulationModels::instance().names();
  for (const auto& n : DeviceModels::instance().names())
    all.push_back(n);
  for (const auto& n : SynapseModels::instance().names())
    all.push_back(n);
  all.emplace_back(DopamineVolume::model_name);
  for (const auto& n : networks::connection_rule_names())
    all.push_back(n);
  for (const auto& n : tasks::Experiments::instance().names())
    all.push_back(n);
  const std::string hint = nearest_name(name, all);
  err << "bgsim: no model, connection rule or experiment named \"" << name << "\""
      << (hint.empty() ? "" : "; did you mean " + quote(hint) + "?")
      << " (bgsim list shows them all)\n";
  return false;
}

}  // namespace bgsim::cli
