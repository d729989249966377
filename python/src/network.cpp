#include "python/src/network.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "core/printable.hpp"
#include "networks/builder.hpp"

namespace bgsim::python {

Network::Network(networks::NetworkSpec spec, nlohmann::json document)
    : spec_(std::move(spec)), document_(std::move(document)) {}

void Network::set_seed(std::uint64_t seed) {
  if (sim_ && seed != spec_.seed)
    throw std::logic_error("the network is built with seed " + std::to_string(spec_.seed) +
                           ": set the seed before the first run, or call reset() first");
  spec_.seed = seed;
}

void Network::set_threads(int threads) {
  if (threads < 1)
    throw std::invalid_argument("threads must be at least 1, got " + std::to_string(threads));
  if (sim_) sim_->set_threads(threads);
  threads_ = threads;
}

namespace {

std::vector<std::uint32_t> all_or(const std::vector<std::uint32_t>& subset, std::size_t size) {
  if (!subset.empty()) return subset;
  std::vector<std::uint32_t> all(size);
  std::iota(all.begin(), all.end(), 0u);
  return all;
}

std::string unit_of(const Population& pop, const std::string& variable) {
  for (const auto& v : pop.state_vars())
    if (v.name == variable) return v.unit;
  return "";
}

}  // namespace

void Network::build() {
  if (sim_) return;
  std::unique_ptr<Simulator> sim = networks::build(spec_, {.threads = threads_});
  auto recordings = std::make_unique<Recordings>(sim->resolution());
  std::vector<RecorderInfo> infos;
  const Resolution& res = sim->resolution();
  // As io::attach_recorders registers them with a results folder: spikes
  // and state first, then a run of zero steps that prepares the simulation
  // (weight recorders learn their synapses), then the sink.
  for (std::uint32_t i = 0; i < sim->num_spike_recorders(); ++i) {
    const SpikeRecorder& rec = sim->spike_recorder(i);
    const Population& pop = sim->population(rec.population());
    RecorderInfo& info = infos.emplace_back();
    info.name = rec.name();
    info.type = "spikes";
    info.source = pop.name();
    info.neurons = all_or(rec.subset(), pop.size());
    recordings->add_spikes(rec.name(), pop.gid_offset());
  }
  for (std::uint32_t i = 0; i < sim->num_state_recorders(); ++i) {
    const StateRecorder& rec = sim->state_recorder(i);
    const Population& pop = sim->population(rec.population());
    RecorderInfo& info = infos.emplace_back();
    info.name = rec.name();
    info.type = "state";
    info.source = pop.name();
    info.variable = rec.variable();
    info.unit = unit_of(pop, rec.variable());
    info.interval_ms = res.stamp_ms(rec.interval());
    info.neurons = all_or(rec.subset(), pop.size());
    recordings->add_samples(rec.name(), info.neurons.size());
  }
  sim->run(0);
  for (std::uint32_t i = 0; i < sim->num_synapse_recorders(); ++i) {
    const SynapseRecorder& rec = sim->synapse_recorder(i);
    const Projection& proj = sim->projection(rec.projection());
    const Population& target = sim->population(proj.target());
    std::string unit = "1";
    if (proj.channel() < target.receptors().size())
      unit = std::string(target.receptors()[proj.channel()].unit);
    RecorderInfo& info = infos.emplace_back();
    info.name = rec.name();
    info.type = "weight_recorder";
    info.source = proj.name();
    info.variable = std::string(SynapseRecorder::variable_name(rec.variable()));
    info.unit = rec.variable() == SynapseRecorder::Variable::weight
                    ? unit
                    : unit + "/ms per unit of dopamine";
    info.interval_ms = res.stamp_ms(rec.interval());
    for (const auto& [source, target_neuron] : rec.columns()) {
      info.sources.push_back(source);
      info.targets.push_back(target_neuron);
    }
    recordings->add_samples(rec.name(), rec.columns().size());
  }
  for (std::uint32_t i = 0; i < sim->num_neuromodulator_recorders(); ++i) {
    const NeuromodulatorRecorder& rec = sim->neuromodulator_recorder(i);
    RecorderInfo& info = infos.emplace_back();
    info.name = rec.name();
    info.type = "neuromodulator";
    info.source = sim->volume(rec.volume()).name();
    info.unit = std::string("1");  // the level is dimensionless
    info.interval_ms = res.stamp_ms(rec.interval());
    recordings->add_samples(rec.name(), 1);
  }
  sim->set_sink(recordings.get());
  sim_ = std::move(sim);
  recordings_ = std::move(recordings);
  recorders_ = std::move(infos);
}

void Network::reset() {
  sim_.reset();
  recordings_.reset();
  recorders_.clear();
}

Step Network::steps_in(double ms) const {
  const Resolution res(spec_.resolution_ms);
  if (std::isfinite(ms) && !res.countable(ms))
    throw std::invalid_argument("a run " + res.uncountable(ms).substr(7));
  return res.duration_steps(ms);
}

Step Network::steps_left() const {
  const Step end = Resolution(spec_.resolution_ms).duration_steps(spec_.duration_ms);
  const Step now = sim_ ? sim_->now() : 0;
  return std::max<Step>(0, end - now);
}

Step Network::run(Step steps, const std::atomic<bool>* stop) {
  build();
  const Step start = sim_->now();
  sim_->set_stop_flag(stop);
  std::exception_ptr failure;
  try {
    sim_->run(steps);
  } catch (...) {
    failure = std::current_exception();
  }
  sim_->set_stop_flag(nullptr);
  // Whatever stopped the run, what was recorded up to now is readable.
  try {
    sim_->flush_recorders();
  } catch (...) {
    if (!failure) failure = std::current_exception();
  }
  if (failure) std::rethrow_exception(failure);
  return sim_->now() - start;
}

Simulator& Network::simulator() {
  build();
  return *sim_;
}

Recordings& Network::recordings() {
  if (!recordings_) throw std::logic_error("the network has not run yet");
  return *recordings_;
}

const std::vector<RecorderInfo>& Network::recorders() const {
  return recorders_;
}

const RecorderInfo& Network::recorder(const std::string& name, const std::string& type) const {
  std::vector<std::string> names;
  for (const RecorderInfo& r : recorders_) {
    if (r.name == name) {
      if (r.type != type)
        throw std::invalid_argument("recorder " + quote(name) + " is of type " + quote(r.type) +
                                    ", not " + quote(type));
      return r;
    }
    if (r.type == type) names.push_back(r.name);
  }
  std::string known;
  for (const auto& n : names)
    known += (known.empty() ? "" : ", ") + quote(n);
  throw std::out_of_range(
      "no " + type + " recorder named " + quote(name) +
      (known.empty() ? " (the description has none)" : "; the description's: " + known));
}

}  // namespace bgsim::python
