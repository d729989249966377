#include "networks/builder.hpp"

#include "core/neuromodulator.hpp"
#include "core/random.hpp"
#include "core/registry.hpp"

namespace bgsim::networks {

namespace {

void set_initial_state(Simulator& sim, std::uint32_t index, const PopulationSpec& p,
                       std::uint64_t seed) {
  Population& pop = sim.population(index);
  for (std::size_t k = 0; k < p.initial.size(); ++k) {
    const auto& [var, value] = p.initial[k];
    double* x = pop.state(var);
    for (std::size_t i = 0; i < pop.size(); ++i) {
      RandomStream rng(seed, Purpose::initial_state, pop.gid_offset() + i, k);
      x[i] = value.draw(rng);
    }
  }
}

std::unique_ptr<Projection> build_projection(const Simulator& sim, const ProjectionSpec& pr,
                                             std::uint32_t index, std::uint64_t seed) {
  const std::uint32_t src = sim.population_index(pr.source);
  const std::uint32_t tgt = sim.population_index(pr.target);
  const Population& source = sim.population(src);
  const Population& target = sim.population(tgt);
  const auto pairs = connect(pr.rule, source.size(), target.size(), src == tgt, seed, index);
  ConnectionList list;
  list.source.reserve(pairs.size());
  list.target.reserve(pairs.size());
  list.weight.reserve(pairs.size());
  list.delay.reserve(pairs.size());
  const Resolution& res = sim.resolution();
  const bool fixed_weight = pr.synapse.weight.is_constant();
  const bool fixed_delay = pr.synapse.delay_ms.is_constant();
  const Step constant_delay = fixed_delay ? res.delay_steps(pr.synapse.delay_ms.a) : 0;
  // Synapse k of projection `index` draws its weight and delay from its own
  // streams: (seed, parameters, k, 2·index) and (..., 2·index + 1).
  for (std::size_t k = 0; k < pairs.size(); ++k) {
    double w = pr.synapse.weight.a;
    if (!fixed_weight) {
      RandomStream rng(seed, Purpose::parameters, k, 2 * std::uint64_t{index});
      w = pr.synapse.weight.draw(rng);
    }
    Step d = constant_delay;
    if (!fixed_delay) {
      RandomStream rng(seed, Purpose::parameters, k, 2 * std::uint64_t{index} + 1);
      d = res.delay_steps(pr.synapse.delay_ms.draw(rng));
    }
    list.add(pairs[k].first, pairs[k].second, w, d);
  }
  const auto channel = static_cast<std::uint32_t>(target.receptor_index(pr.synapse.receptor));
  if (pr.synapse.model == "static")
    return std::make_unique<StaticProjection>(pr.name, src, tgt, channel, source.size(),
                                              std::move(list));
  const SynapseModel* rule = SynapseModels::instance().find(pr.synapse.model);
  return rule->create({.name = pr.name,
                       .source = src,
                       .target = tgt,
                       .channel = channel,
                       .source_size = source.size(),
                       .connections = std::move(list),
                       .params = pr.synapse.params,
                       .volume = rule->uses_dopamine
                                     ? std::int64_t{sim.volume_index(pr.synapse.neuromodulator)}
                                     : std::int64_t{-1},
                       .double_precision = pr.synapse.precision == "double"});
}

SynapseRecorder::Variable synapse_variable(const std::string& name) {
  return name == "eligibility" ? SynapseRecorder::Variable::eligibility
                               : SynapseRecorder::Variable::weight;
}

std::uint32_t projection_index(const Simulator& sim, const std::string& name) {
  for (std::uint32_t j = 0; j < sim.num_projections(); ++j)
    if (sim.projection(j).name() == name) return j;
  throw std::out_of_range("no projection named \"" + name + "\"");
}

}  // namespace

std::unique_ptr<Simulator> build(const ExperimentSpec& spec, const BuildOptions& options) {
  auto sim = std::make_unique<Simulator>(
      SimulatorConfig{.dt_ms = spec.resolution_ms, .seed = spec.seed, .threads = options.threads});
  for (const auto& p : spec.populations) {
    const auto index =
        sim->add_population(make_population(p.model, p.name, p.size, p.params, p.preset));
    set_initial_state(*sim, index, p, spec.seed);
  }
  for (const auto& n : spec.neuromodulators) {
    const auto p = DopamineVolume::param_table().apply(DopamineVolume::model_name,
                                                       DopamineVolume::Params{}, n.params);
    const std::int64_t source = n.source.empty() ? -1 : sim->population_index(n.source);
    const auto v = sim->add_volume(std::make_unique<DopamineVolume>(n.name, p, source));
    for (const auto& [t, amount] : n.pulses)
      sim->pulse(v, sim->resolution().round_to_steps(t), amount);
  }
  for (std::size_t j = 0; j < spec.projections.size(); ++j)
    sim->add_projection(
        build_projection(*sim, spec.projections[j], static_cast<std::uint32_t>(j), spec.seed));
  for (const auto& s : spec.stimuli) {
    const std::uint32_t tgt = sim->population_index(s.target);
    const int channel = sim->population(tgt).receptor_index(s.receptor);
    sim->add_device(DeviceModels::instance().find(s.model)->create(
        s.name, tgt, static_cast<std::uint32_t>(channel), s.params));
  }
  for (const auto& r : spec.recorders) {
    const Step interval = std::max<Step>(1, sim->resolution().duration_steps(r.interval_ms));
    if (r.type == "weight_recorder") {
      sim->add_synapse_recorder(std::make_unique<SynapseRecorder>(
          r.name, projection_index(*sim, r.projection), synapse_variable(r.variable), r.sources,
          r.targets, interval, 0, options.recorder_capacity * 16));
      continue;
    }
    if (r.type == "neuromodulator") {
      sim->add_neuromodulator_recorder(std::make_unique<NeuromodulatorRecorder>(
          r.name, sim->volume_index(r.neuromodulator), interval, 0, options.recorder_capacity));
      continue;
    }
    const std::uint32_t pop = sim->population_index(r.population);
    if (r.type == "spikes") {
      sim->add_spike_recorder(
          std::make_unique<SpikeRecorder>(r.name, pop, r.neurons, options.recorder_capacity));
    } else {
      sim->add_state_recorder(std::make_unique<StateRecorder>(
          r.name, pop, r.variable, r.neurons, interval, options.recorder_capacity * 16));
    }
  }
  return sim;
}

}  // namespace bgsim::networks
