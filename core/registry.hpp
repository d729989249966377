#pragma once
// Models register themselves by name, one line per model, next to their code;
// the kernel and the description layer look them up here and never name one.

#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "core/device.hpp"
#include "core/model_population.hpp"
#include "core/parameters.hpp"
#include "core/population.hpp"
#include "core/projection.hpp"

namespace bgsim {

struct PopulationModel {
  std::string name;
  std::string doc;  // one paragraph: what it models, its equations in words, the reference
  std::vector<ParamInfo> params;
  std::vector<StateVarInfo> state;
  std::vector<std::string> receptors;
  std::map<std::string, ParamMap> presets;  // named parameter sets ("regular_spiking")
  bool reads_neuromodulator = false;        // can read a dopamine volume ("neuromodulator")
  // Its parameters are checked against the population's size (a list per
  // neuron): checking them needs a population of that size. Otherwise a
  // population of one neuron checks them, however large the description's.
  bool sized_params = false;
  // Builds a population; `params` override the preset's, which override the defaults.
  std::function<std::unique_ptr<Population>(const std::string& population, std::size_t size,
                                            const ParamMap& params)>
      create;
};

// A registry of models of one kind, by name. Models add themselves from static
// initialisers (one line beside their code); lookups come from the
// description layer and the command line.
template <class Model>
class ModelRegistry {
 public:
  static ModelRegistry& instance() {
    static ModelRegistry registry;
    return registry;
  }
  void add(Model model) {
    const std::string key = model.name;
    if (!models_.emplace(key, std::move(model)).second)
      throw std::logic_error("model registered twice: " + key);
  }
  const Model* find(const std::string& name) const {
    auto it = models_.find(name);
    return it == models_.end() ? nullptr : &it->second;
  }
  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& [k, v] : models_)
      out.push_back(k);
    return out;
  }

 private:
  std::map<std::string, Model> models_;
};

using PopulationModels = ModelRegistry<PopulationModel>;

// Registration of a model written for ModelPopulation<M>; use from one .cpp:
//   static const bool registered = register_neuron_model<LifPscExp>("doc…");
template <class M>
bool register_neuron_model(std::string doc, std::map<std::string, ParamMap> presets = {}) {
  PopulationModel m;
  m.name = std::string(M::name);
  m.doc = std::move(doc);
  m.params = M::param_table().infos();
  {
    ModelPopulation<M> probe("probe", 0, typename M::Params{});
    m.state = probe.state_vars();
  }
  for (const auto& r : M::receptors)
    m.receptors.emplace_back(r.name);
  m.presets = std::move(presets);
  m.reads_neuromodulator = requires(const typename M::Params& p) {
    M::cannot_read_neuromodulator(p);
  };
  m.create = [](const std::string& population, std::size_t size, const ParamMap& params) {
    auto p = M::param_table().apply(M::name, typename M::Params{}, params);
    return std::unique_ptr<Population>(new ModelPopulation<M>(population, size, p));
  };
  PopulationModels::instance().add(std::move(m));
  return true;
}

// Registration of a population class written by hand (input populations):
// T has model_name, Params, param_table() and a constructor
// T(name, size, Params).
template <class T>
bool register_population(std::string doc) {
  PopulationModel m;
  m.name = std::string(T::model_name);
  m.doc = std::move(doc);
  m.params = T::param_table().infos();
  m.sized_params = true;
  m.create = [](const std::string& population, std::size_t size, const ParamMap& params) {
    auto p = T::param_table().apply(T::model_name, typename T::Params{}, params);
    return std::unique_ptr<Population>(new T(population, size, std::move(p)));
  };
  PopulationModels::instance().add(std::move(m));
  return true;
}

// Builds a population of a registered model, applying a preset first if named.
std::unique_ptr<Population> make_population(const std::string& model, const std::string& name,
                                            std::size_t size, const ParamMap& params,
                                            const std::string& preset = "");

}  // namespace bgsim

namespace bgsim {

class Simulator;

// What DeviceModel::attach builds a device from.
struct DeviceAttachArgs {
  std::string name;
  // (population index, receptor channel) of every population it acts on, in order.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> targets;
  ParamMap params;
  std::int64_t volume = -1;  // dopamine volume it sends pulses to (simulator index), -1 for none
};

// Input devices (current injection, Poisson drive) register the same way.
struct DeviceModel {
  std::string name;
  std::string doc;
  std::vector<ParamInfo> params;
  std::string default_receptor;  // the receptor it feeds unless told otherwise
  std::function<std::unique_ptr<InputDevice>(const std::string& device, std::uint32_t target,
                                             std::uint32_t channel, const ParamMap& params)>
      create;
  // A device that acts on several populations through one schedule, and may
  // send dopamine pulses (group_stimulus), is put into a simulator by `attach`
  // (its parts: an input device per target population and the observer that
  // drives them). Its `create` then builds a lone part that stimulates
  // nothing, good for reading and checking parameters (describe, validation,
  // the manifest). Null for devices of one population.
  std::function<void(Simulator& sim, const DeviceAttachArgs& args)> attach;
  bool sends_dopamine = false;  // attach needs a dopamine volume
  // Checks that need the size of the targets (neurons: all target neurons
  // together); the problems found, each naming its parameter. May be null.
  std::function<std::vector<ParamError>(const ParamMap& params, std::uint64_t neurons)>
      check_targets;
};

using DeviceModels = ModelRegistry<DeviceModel>;

}  // namespace bgsim

namespace bgsim {

// Synapse models (plasticity rules) register the same way; "static" is the
// kernel's own StaticProjection and is not listed here.
struct SynapseModelArgs {
  std::string name;  // of the projection
  std::uint32_t source = 0, target = 0, channel = 0;
  std::size_t source_size = 0;
  ConnectionList connections;
  ParamMap params;
  std::int64_t volume = -1;       // dopamine volume (simulator index), -1 for none
  bool double_precision = false;  // store weight and eligibility in double (24 bytes)
};

struct SynapseModel {
  std::string name;
  std::string doc;
  std::vector<ParamInfo> params;
  bool uses_dopamine = false;
  bool has_eligibility = false;
  // Every parameter, defaults filled in; throws ParamErrors for bad ones.
  std::function<ParamMap(const ParamMap& params)> resolve;
  std::function<std::unique_ptr<Projection>(SynapseModelArgs args)> create;
};

using SynapseModels = ModelRegistry<SynapseModel>;

}  // namespace bgsim
