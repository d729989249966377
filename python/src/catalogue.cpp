// The catalogue for Python: what `bgsim list` and `bgsim describe` print,
// read from the same registries (every model's own parameter table), as
// Python data; the CLI's text comes along for printing
// (tools/cli/catalogue.cpp is compiled into the module).

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <sstream>

#include "core/neuromodulator.hpp"
#include "core/registry.hpp"
#include "networks/connection_rules.hpp"
#include "tasks/experiment.hpp"
#include "tools/cli/catalogue.hpp"

namespace py = pybind11;

namespace bgsim::python {

namespace {

py::list parameter_list(const std::vector<ParamInfo>& params, const ParamMap& defaults) {
  py::list out;
  for (const ParamInfo& p : params) {
    py::dict d;
    d["name"] = p.name;
    d["unit"] = p.unit;
    auto it = defaults.find(p.name);
    d["default"] = it == defaults.end() ? py::object(py::none()) : py::cast(it->second);
    d["constraint"] = describe_constraint(p);
    d["doc"] = p.doc;
    d["choices"] = p.choices;
    out.append(d);
  }
  return out;
}

std::string describe_text(const std::string& name) {
  std::ostringstream out, err;
  cli::describe(name, out, err);
  return out.str();
}

// One model as a dict: kind, doc, parameters and what its kind adds.
py::object describe(const std::string& name) {
  py::dict d;
  d["name"] = name;
  if (const PopulationModel* m = PopulationModels::instance().find(name)) {
    d["kind"] = "neuron";
    d["doc"] = m->doc;
    d["parameters"] = parameter_list(m->params, m->create("describe", 1, {})->params());
    py::list state;
    for (const auto& s : m->state)
      state.append(py::make_tuple(s.name, s.unit));
    d["state"] = state;
    d["receptors"] = m->receptors;
    d["presets"] = m->presets;
    d["reads_neuromodulator"] = m->reads_neuromodulator;
  } else if (const DeviceModel* dev = DeviceModels::instance().find(name)) {
    d["kind"] = "device";
    d["doc"] = dev->doc;
    d["parameters"] = parameter_list(dev->params, dev->create("describe", 0, 0, {})->params());
    d["default_receptor"] = dev->default_receptor;
  } else if (const SynapseModel* r = SynapseModels::instance().find(name)) {
    d["kind"] = "synapse";
    d["doc"] = r->doc;
    d["parameters"] = parameter_list(r->params, r->resolve({}));
    d["reads_neuromodulator"] = r->uses_dopamine;
  } else if (name == DopamineVolume::model_name) {
    d["kind"] = "neuromodulator";
    d["doc"] =
        "d' = -(d - baseline)/tau_ms + spike_increment per source spike (after delay_ms) "
        "+ pulse amounts";
    d["parameters"] =
        parameter_list(DopamineVolume::param_table().infos(), DopamineVolume({}, {}).param_map());
  } else if (const networks::ConnectionRuleInfo* rule = networks::connection_rule_info(name)) {
    d["kind"] = "connection_rule";
    d["doc"] = rule->doc;
    py::list keys;
    for (const auto& k : rule->keys) {
      py::dict p;
      p["name"] = k.name;
      p["unit"] = k.name == "connections" ? "" : "1";
      p["default"] = k.default_value.empty()     ? py::object(py::none())
                     : k.default_value == "true" ? py::object(py::bool_(true))
                                                 : py::object(py::str(k.default_value));
      p["constraint"] = k.type;
      p["doc"] = k.doc;
      p["choices"] = std::vector<std::string>{};
      keys.append(p);
    }
    d["parameters"] = keys;
  } else if (const tasks::ExperimentKind* kind = tasks::Experiments::instance().find(name)) {
    d["kind"] = "experiment";
    d["doc"] = kind->doc;
    const tasks::ExperimentDefaults defaults = tasks::experiment_defaults(*kind);
    py::list params;
    for (const auto& [key, value] : defaults.params.items()) {
      py::dict p;
      p["name"] = key;
      p["unit"] = "";
      p["default"] = py::module_::import("json").attr("loads")(value.dump());
      p["constraint"] = "";
      p["doc"] = "";
      p["choices"] = std::vector<std::string>{};
      params.append(p);
    }
    d["parameters"] = params;
    d["required"] = defaults.required;
  } else {
    // The CLI's message, with its nearest name.
    std::ostringstream out, err;
    cli::describe(name, out, err);
    std::string message = err.str();
    const std::string prefix = "bgsim: ";
    if (message.rfind(prefix, 0) == 0) message = message.substr(prefix.size());
    while (!message.empty() && message.back() == '\n')
      message.pop_back();
    throw py::key_error(message);
  }
  d["text"] = describe_text(name);
  return d;
}

py::dict catalogue() {
  py::dict d;
  d["neuron"] = PopulationModels::instance().names();
  d["device"] = DeviceModels::instance().names();
  std::vector<std::string> synapses{"static"};
  for (const auto& n : SynapseModels::instance().names())
    synapses.push_back(n);
  d["synapse"] = synapses;
  d["neuromodulator"] = std::vector<std::string>{std::string(DopamineVolume::model_name)};
  d["connection_rule"] = networks::connection_rule_names();
  py::list experiments;
  for (const auto& name : tasks::Experiments::instance().names())
    experiments.append(py::make_tuple(name, tasks::Experiments::instance().find(name)->doc));
  d["experiment"] = experiments;
  return d;
}

}  // namespace

void bind_catalogue(py::module_& m) {
  m.def("catalogue", &catalogue);
  m.def("catalogue_text", [] {
    std::ostringstream out;
    cli::list_everything(out);
    return out.str();
  });
  m.def("describe", &describe, py::arg("name"));
}

}  // namespace bgsim::python
