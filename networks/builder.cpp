#include "networks/builder.hpp"

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
  const int channel = target.receptor_index(pr.synapse.receptor);
  return std::make_unique<StaticProjection>(pr.name, src, tgt, static_cast<std::uint32_t>(channel),
                                            source.size(), std::move(list));
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
    const std::uint32_t pop = sim->population_index(r.population);
    if (r.type == "spikes") {
      sim->add_spike_recorder(
          std::make_unique<SpikeRecorder>(r.name, pop, r.neurons, options.recorder_capacity));
    } else {
      const Step interval = std::max<Step>(1, sim->resolution().duration_steps(r.interval_ms));
      sim->add_state_recorder(std::make_unique<StateRecorder>(
          r.name, pop, r.variable, r.neurons, interval, options.recorder_capacity * 16));
    }
  }
  return sim;
}

}  // namespace bgsim::networks
