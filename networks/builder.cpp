#include "networks/builder.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <limits>

#include "core/communicator.hpp"
#include "core/neuromodulator.hpp"
#include "core/printable.hpp"
#include "core/random.hpp"
#include "core/registry.hpp"
#include "models/reward_contingency.hpp"

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

// Every pair of a projection in connection order, with its number k in that
// order: the pairs given, or those its rule draws.
void for_each_pair(const Simulator& sim, const ProjectionSpec& pr, std::uint32_t index,
                   std::uint64_t seed,
                   const std::function<void(std::size_t, std::uint32_t, std::uint32_t)>& visit) {
  const std::uint32_t src = sim.population_index(pr.source);
  const std::uint32_t tgt = sim.population_index(pr.target);
  if (pr.connections) {
    for (std::size_t k = 0; k < pr.connections->size(); ++k)
      visit(k, pr.connections->source[k], pr.connections->target[k]);
    return;
  }
  std::size_t k = 0;
  connect_each(pr.rule, sim.population(src).size(), sim.population(tgt).size(), src == tgt, seed,
               index, [&](std::uint32_t s, std::uint32_t t) { visit(k++, s, t); });
}

// The synapses of a projection onto the target neurons this rank owns (all
// of them with one rank). Synapse k keeps its number in the whole
// projection's connection order, whichever rank holds it, so its weight and
// delay are drawn from the same streams for every rank count;
// `initial_weight` sets the weight of chosen synapses (by k).
std::unique_ptr<Projection> build_projection(
    const Simulator& sim, const ProjectionSpec& pr, std::uint32_t index, std::uint64_t seed,
    const std::vector<std::pair<std::size_t, double>>& initial_weight = {}) {
  const std::uint32_t src = sim.population_index(pr.source);
  const std::uint32_t tgt = sim.population_index(pr.target);
  const Population& source = sim.population(src);
  const Population& target = sim.population(tgt);
  const RankBlock mine = sim.owned(tgt);
  const std::vector<double>* given_weight =
      pr.connections && !pr.connections->weight.empty() ? &pr.connections->weight : nullptr;
  const std::vector<double>* given_delay =
      pr.connections && !pr.connections->delay_ms.empty() ? &pr.connections->delay_ms : nullptr;
  ConnectionList list;
  const Resolution& res = sim.resolution();
  const bool fixed_weight = pr.synapse.weight.is_constant();
  const bool fixed_delay = pr.synapse.delay_ms.is_constant();
  const Step constant_delay = fixed_delay ? res.delay_steps(pr.synapse.delay_ms.a) : 0;
  // Synapse k of projection `index` draws its weight and delay from its own
  // streams: (seed, parameters, k, 2·index) and (..., 2·index + 1).
  for_each_pair(sim, pr, index, seed, [&](std::size_t k, std::uint32_t s, std::uint32_t t) {
    if (!mine.owns(t)) return;
    double w = pr.synapse.weight.a;
    if (given_weight) {
      w = (*given_weight)[k];
    } else if (!fixed_weight) {
      RandomStream rng(seed, Purpose::parameters, k, 2 * std::uint64_t{index});
      w = pr.synapse.weight.draw(rng);
    }
    for (const auto& [chosen, weight] : initial_weight)
      if (chosen == k) w = weight;
    Step d = constant_delay;
    if (given_delay) {
      d = res.delay_steps((*given_delay)[k]);  // rounded as every delay in ms
    } else if (!fixed_delay) {
      RandomStream rng(seed, Purpose::parameters, k, 2 * std::uint64_t{index} + 1);
      d = res.delay_steps(pr.synapse.delay_ms.draw(rng));
    }
    list.add(s, t, w, d);
  });
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
  throw std::out_of_range("no projection named " + quote(name));
}

// The chosen synapse of a contingency: the `synapse`-th synapse of neuron
// `source` in the projection's order (by target, repeated pairs in connection
// order), found in the whole projection (it may lie on another rank).
// Returns its number k in connection order and its target.
std::pair<std::size_t, std::uint32_t> choose_synapse(const Simulator& sim, const ProjectionSpec& pr,
                                                     std::uint32_t index, std::uint64_t seed,
                                                     const ContingencySpec& c) {
  std::vector<std::pair<std::size_t, std::uint32_t>> row;  // (k, target)
  for_each_pair(sim, pr, index, seed, [&](std::size_t k, std::uint32_t s, std::uint32_t t) {
    if (s == c.source) row.emplace_back(k, t);
  });
  std::stable_sort(row.begin(), row.end(),
                   [](const auto& a, const auto& b) { return a.second < b.second; });
  if (c.synapse >= row.size())
    throw std::runtime_error("reward contingency: neuron " + std::to_string(c.source) + " has " +
                             std::to_string(row.size()) + " synapses in projection " + pr.name +
                             ", no synapse " + std::to_string(c.synapse));
  return row[c.synapse];
}

// Poisson times of `x` within [start, stop) as pulses of volume `v`.
void add_random_pulses(Simulator& sim, std::uint32_t v, const RandomPulsesSpec& x,
                       double duration_ms, std::uint64_t seed) {
  if (!(x.rate_Hz > 0.0)) return;
  const double stop = x.stop_ms >= 0.0 ? x.stop_ms : duration_ms;
  RandomStream rng(seed, Purpose::task, (std::uint64_t{1} << 31) + v, 0);
  for (double t = x.start_ms - std::log(rng.uniform()) * 1000.0 / x.rate_Hz; t < stop;
       t -= std::log(rng.uniform()) * 1000.0 / x.rate_Hz)
    sim.pulse(v, sim.resolution().round_to_steps(t), x.amount);
}

}  // namespace

std::unique_ptr<Simulator> build(const NetworkSpec& spec, const BuildOptions& options) {
  auto sim = std::make_unique<Simulator>(
      SimulatorConfig{.dt_ms = spec.resolution_ms, .seed = spec.seed, .threads = options.threads});
  sim->set_communicator(options.communicator);
  for (const auto& p : spec.populations) {
    const auto index =
        sim->add_population(make_population(p.model, p.name, p.size, p.params, p.preset));
    set_initial_state(*sim, index, p, spec.seed);
  }
  for (const auto& n : spec.neuromodulators) {
    const auto p = DopamineVolume::param_table().apply(DopamineVolume::model_name,
                                                       DopamineVolume::Params{}, n.params);
    const std::int64_t source =
        n.source.empty() ? std::int64_t{-1} : std::int64_t{sim->population_index(n.source)};
    const auto v = sim->add_volume(std::make_unique<DopamineVolume>(n.name, p, source, n.initial));
    for (const auto& [t, amount] : n.pulses)
      sim->pulse(v, sim->resolution().round_to_steps(t), amount);
    if (n.random_pulses) add_random_pulses(*sim, v, *n.random_pulses, spec.duration_ms, spec.seed);
  }
  GuardConfig guards{
      .finite = spec.guards.finite, .interval_ms = spec.guards.interval_ms, .max_rate_Hz = {}};
  for (const auto& p : spec.populations)
    guards.max_rate_Hz.push_back(p.max_rate_Hz.value_or(
        spec.guards.max_rate_Hz.value_or(std::numeric_limits<double>::infinity())));
  sim->set_guards(std::move(guards));
  for (const auto& p : spec.populations)
    if (!p.neuromodulator.empty())
      sim->read_neuromodulator(sim->population_index(p.name), sim->volume_index(p.neuromodulator));
  for (std::size_t j = 0; j < spec.projections.size(); ++j) {
    const ProjectionSpec& pr = spec.projections[j];
    const auto index = static_cast<std::uint32_t>(j);
    std::vector<std::pair<const NeuromodulatorSpec*, std::uint32_t>> chosen;  // (volume, target)
    std::vector<std::pair<std::size_t, double>> initial_weight;               // (k, weight)
    for (const auto& n : spec.neuromodulators) {
      if (!n.contingency || n.contingency->projection != pr.name) continue;
      const auto [k, target] = choose_synapse(*sim, pr, index, spec.seed, *n.contingency);
      chosen.emplace_back(&n, target);
      if (n.contingency->initial_weight)
        initial_weight.emplace_back(k, *n.contingency->initial_weight);
    }
    sim->add_projection(build_projection(*sim, pr, index, spec.seed, initial_weight));
    for (const auto& [n, target] : chosen) {
      const ContingencySpec& c = *n->contingency;
      const auto p = models::PairContingency::param_table().apply(
          models::PairContingency::model_name, models::PairContingency::Params{}, c.params);
      const auto v = sim->volume_index(n->name);
      sim->add_observer(std::make_unique<models::PairContingency>(
          n->name + "_contingency", p,
          models::PairContingency::Pair{sim->population_index(pr.source), c.source},
          models::PairContingency::Pair{sim->population_index(pr.target), target}, v, v));
    }
  }
  for (const auto& s : spec.stimuli) {
    const DeviceModel* dev = DeviceModels::instance().find(s.model);
    const std::vector<std::string> targets = s.targets.empty() ? std::vector{s.target} : s.targets;
    DeviceAttachArgs args{.name = s.name, .targets = {}, .params = s.params, .volume = -1};
    for (const std::string& t : targets) {
      const std::uint32_t tgt = sim->population_index(t);
      const int channel = sim->population(tgt).receptor_index(s.receptor);
      args.targets.emplace_back(tgt, static_cast<std::uint32_t>(channel));
    }
    if (!dev->attach) {
      const auto [tgt, channel] = args.targets.front();
      sim->add_device(dev->create(s.name, tgt, channel, s.params));
      continue;
    }
    if (!s.neuromodulator.empty()) args.volume = sim->volume_index(s.neuromodulator);
    dev->attach(*sim, args);
  }
  for (const auto& r : spec.recorders) {
    if (r.type == "connections") continue;  // written at the end of the run (io::FileSink)
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

ConnectionList saved_connections(const Simulator& sim, const NetworkSpec& spec,
                                 const std::string& name) {
  const ProjectionSpec* pr = spec.projection(name);
  if (!pr) throw std::out_of_range("no projection named " + quote(name));
  ConnectionList c = sim.projection(projection_index(sim, name)).connections();
  // Static synapses keep float32 weights (12 bytes), plastic ones their precision.
  if (pr->synapse.model == "static" || pr->synapse.precision == "single")
    for (double& w : c.weight)
      w = static_cast<double>(static_cast<float>(w));
  return c;
}

// Each rank lists its synapses in canonical order (by source, then target,
// repeated pairs in connection order); ranks hold ascending blocks of
// targets, so the lists appended in rank order and sorted stably by (source,
// target) are the one-process list.
ConnectionList gather_saved_connections(const Simulator& sim, const NetworkSpec& spec,
                                        const std::string& name, Communicator* ranks) {
  ConnectionList mine = saved_connections(sim, spec, name);
  if (!ranks) return mine;
  struct Record {
    std::uint32_t source, target;
    double weight;
    Step delay;
  };
  std::vector<Record> records(mine.size());
  for (std::size_t k = 0; k < mine.size(); ++k)
    records[k] = {mine.source[k], mine.target[k], mine.weight[k], mine.delay[k]};
  std::vector<std::byte> all;
  std::vector<std::size_t> counts;
  ranks->gather(std::as_bytes(std::span<const Record>(records)), all, counts);
  records.resize(all.size() / sizeof(Record));
  if (!all.empty()) std::memcpy(records.data(), all.data(), all.size());
  std::stable_sort(records.begin(), records.end(), [](const Record& a, const Record& b) {
    return a.source != b.source ? a.source < b.source : a.target < b.target;
  });
  ConnectionList whole;
  for (const Record& x : records)
    whole.add(x.source, x.target, x.weight, x.delay);
  return whole;
}

}  // namespace bgsim::networks
