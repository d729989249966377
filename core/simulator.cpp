#include "core/simulator.hpp"

#include <omp.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <exception>
#include <istream>
#include <numeric>
#include <ostream>
#include <sstream>
#include <stdexcept>

#include "core/printable.hpp"
#include "core/rank_gather.hpp"
#include "core/team_barrier.hpp"

namespace bgsim {

namespace {
constexpr std::size_t max_channels = 16;
constexpr const char* checkpoint_magic = "bgsim-checkpoint-1";
}  // namespace

Simulator::Simulator(SimulatorConfig config) : config_(config), resolution_(config.dt_ms) {
  if (config_.threads < 1)
    throw std::invalid_argument("threads must be at least 1, got " +
                                std::to_string(config_.threads));
}

Simulator::~Simulator() = default;

void Simulator::set_threads(int threads) {
  if (threads < 1)
    throw std::invalid_argument("threads must be at least 1, got " + std::to_string(threads));
  if (threads == config_.threads) return;
  config_.threads = threads;
  if (phase_timing_) phase_times_.resize(static_cast<std::size_t>(threads));
  if (prepared_) {
    partitions_ = partitions(threads);
    for (auto& proj : projections_)
      proj->prepare(partitions_[proj->target()], populations_[proj->source()]->gid_offset());
    spikes_.assign(threads, std::vector<std::vector<SpikeEvent>>(populations_.size()));
    delivered_.assign(threads, 0);
  }
}

namespace {
void refuse_after_prepare_or_run(bool prepared) {
  if (prepared) throw std::logic_error("the ranks of a simulation are set before it is prepared");
}
}  // namespace

void Simulator::set_communicator(Communicator* communicator) {
  refuse_after_prepare_or_run(prepared_);
  communicator_ = communicator && communicator->size() > 1 ? communicator : nullptr;
}

// This rank's neurons of each population, shared among its threads. A
// population with fewer than `shared_population` (256) neurons per thread goes
// whole to one thread — the one with the fewest neurons so far, in population
// order — instead of being split: split, its threads would write the same
// cache lines of its state and input arrays at every step, and in the
// basal-ganglia circuit (22 populations of 64 cells) two threads ran slower
// than one. Results do not depend on the partition (docs/design.md).
std::vector<Partition> Simulator::partitions(int threads) const {
  const std::size_t shared_population = config_.shared_population;
  std::vector<Partition> out;
  std::vector<std::size_t> load(static_cast<std::size_t>(threads), 0);
  for (std::size_t p = 0; p < populations_.size(); ++p) {
    const RankBlock mine = owned(static_cast<std::uint32_t>(p));
    const std::size_t n = mine.last - mine.first;
    if (threads > 1 && n < shared_population * static_cast<std::size_t>(threads)) {
      const auto least = std::min_element(load.begin(), load.end()) - load.begin();
      load[static_cast<std::size_t>(least)] += n;
      out.push_back(Partition::whole(mine.first, mine.last, threads, static_cast<int>(least)));
    } else {
      out.push_back(Partition::blocks(mine.first, mine.last, threads));
      for (auto& l : load)
        l += n / static_cast<std::size_t>(threads);
    }
  }
  return out;
}

std::size_t Simulator::num_synapses_all_ranks() const {
  const std::size_t mine = num_synapses();
  return communicator_ ? static_cast<std::size_t>(communicator_->sum(mine)) : mine;
}

void Simulator::share_recorders() {
  if (!communicator_ || rank_gather_) return;
  prepare();
  std::vector<RankGather::Columns> columns;
  for (const auto& r : state_recorders_) {
    const Population& pop = *populations_[r->population()];
    std::vector<std::uint32_t> neurons = r->subset();
    if (neurons.empty()) {
      neurons.resize(pop.size());
      std::iota(neurons.begin(), neurons.end(), 0u);
    }
    columns.push_back(RankGather::state_columns(r->name(), neurons, pop.size(), rank(), ranks()));
  }
  whole_columns_.assign(synapse_recorders_.size(), {});
  for (std::size_t i = 0; i < synapse_recorders_.size(); ++i)
    columns.push_back(RankGather::synapse_columns(synapse_recorders_[i]->name(),
                                                  synapse_recorders_[i]->columns(), *communicator_,
                                                  whole_columns_[i]));
  rank_gather_ = std::make_unique<RankGather>(*communicator_, std::move(columns));
  route_sinks();
}

const std::vector<std::pair<std::uint32_t, std::uint32_t>>& Simulator::recorded_synapses(
    std::uint32_t i) const {
  return rank_gather_ && rank() == 0 ? whole_columns_.at(i) : synapse_recorders_.at(i)->columns();
}

namespace {

// Adds the wall time since the previous lap to a phase's total; does
// nothing (no clock read) when off.
class PhaseClock {
 public:
  explicit PhaseClock(bool on) : on_(on) {
    if (on_) last_ = std::chrono::steady_clock::now();
  }
  void lap(double& total) {
    if (!on_) return;
    const auto now = std::chrono::steady_clock::now();
    total += std::chrono::duration<double>(now - last_).count();
    last_ = now;
  }

 private:
  bool on_;
  std::chrono::steady_clock::time_point last_;
};

void refuse_after_prepare(bool prepared) {
  if (prepared)
    throw std::logic_error("the network cannot change once the simulation has been prepared");
}
}  // namespace

std::uint32_t Simulator::add_population(std::unique_ptr<Population> population) {
  refuse_after_prepare(prepared_);
  if (population->receptors().size() > max_channels)
    throw std::invalid_argument("model " + std::string(population->model()) +
                                " declares more than " + std::to_string(max_channels) +
                                " receptor channels");
  for (const auto& p : populations_)
    if (p->name() == population->name())
      throw std::invalid_argument("two populations named " + quote(population->name()));
  const std::uint64_t end = std::uint64_t{next_gid_} + population->size();
  if (end > 0xFFFFFFFFull) throw std::invalid_argument("more than 2^32 - 1 neurons");
  population->set_gid_offset(next_gid_);
  next_gid_ = static_cast<std::uint32_t>(end);
  populations_.push_back(std::move(population));
  reads_volume_.push_back(-1);
  population_handler_.push_back(add_handler(populations_.back().get()));
  return static_cast<std::uint32_t>(populations_.size() - 1);
}

std::uint32_t Simulator::population_index(const std::string& name) const {
  for (std::size_t i = 0; i < populations_.size(); ++i)
    if (populations_[i]->name() == name) return static_cast<std::uint32_t>(i);
  throw std::out_of_range("no population named " + quote(name));
}

std::uint32_t Simulator::add_projection(std::unique_ptr<Projection> projection) {
  refuse_after_prepare(prepared_);
  if (projection->source() >= populations_.size() || projection->target() >= populations_.size())
    throw std::invalid_argument("projection " + projection->name() + ": unknown population");
  const Population& target = *populations_[projection->target()];
  if (projection->channel() >= target.receptors().size())
    throw std::invalid_argument("projection " + projection->name() + ": population " +
                                target.name() + " has no receptor channel " +
                                std::to_string(projection->channel()));
  const Receptor& receptor = target.receptors()[projection->channel()];
  if (receptor.sign == WeightSign::nonnegative) {
    const ConnectionList list = projection->connections();
    for (double w : list.weight)
      if (w < 0.0)
        throw std::invalid_argument(
            "projection " + projection->name() + ": weight " + std::to_string(w) + " " +
            std::string(receptor.unit) + " onto receptor " + quote(std::string(receptor.name)) +
            " of population " + target.name() + " (" + std::string(target.model()) +
            "): weights there must be >= 0 [" + std::string(receptor.unit) +
            "] (conductance jumps; the receptor, not the sign, decides the effect)");
    if (const auto bounds = projection->weight_bounds(); bounds && bounds->first < 0.0)
      throw std::invalid_argument(
          "projection " + projection->name() + " (" + std::string(projection->model()) +
          "): w_min = " + std::to_string(bounds->first) + " onto receptor " +
          quote(std::string(receptor.name)) + " of population " + target.name() +
          ", whose weights must be >= 0 [" + std::string(receptor.unit) + "]: set w_min >= 0");
  }
  projections_.push_back(std::move(projection));
  return static_cast<std::uint32_t>(projections_.size() - 1);
}

std::uint32_t Simulator::add_device(std::unique_ptr<InputDevice> device) {
  refuse_after_prepare(prepared_);
  if (device->target() >= populations_.size())
    throw std::invalid_argument("device " + device->name() + ": unknown population");
  if (device->channel() >= populations_[device->target()]->receptors().size())
    throw std::invalid_argument("device " + device->name() + ": no such receptor channel");
  device->set_id(static_cast<std::uint32_t>(devices_.size()));
  devices_.push_back(std::move(device));
  device_handler_.push_back(add_handler(devices_.back().get()));
  return static_cast<std::uint32_t>(devices_.size() - 1);
}

std::uint32_t Simulator::device_index(const std::string& name) const {
  for (std::size_t i = 0; i < devices_.size(); ++i)
    if (devices_[i]->name() == name) return static_cast<std::uint32_t>(i);
  throw std::out_of_range("no device named " + quote(name));
}

std::uint32_t Simulator::add_spike_recorder(std::unique_ptr<SpikeRecorder> recorder) {
  refuse_after_prepare(prepared_);
  if (recorder->population() >= populations_.size())
    throw std::invalid_argument("spike recorder " + recorder->name() + ": unknown population");
  for (auto i : recorder->subset())
    if (i >= populations_[recorder->population()]->size())
      throw std::invalid_argument("spike recorder " + recorder->name() + ": neuron " +
                                  std::to_string(i) + " outside its population");
  spike_recorders_.push_back(std::move(recorder));
  return static_cast<std::uint32_t>(spike_recorders_.size() - 1);
}

std::uint32_t Simulator::add_state_recorder(std::unique_ptr<StateRecorder> recorder, Step start) {
  refuse_after_prepare(prepared_);
  if (recorder->population() >= populations_.size())
    throw std::invalid_argument("state recorder " + recorder->name() + ": unknown population");
  recorder->set_sink(sink_);
  state_recorders_.push_back(std::move(recorder));
  state_recorder_start_.push_back(start);
  add_handler(state_recorders_.back().get());
  return static_cast<std::uint32_t>(state_recorders_.size() - 1);
}

std::uint32_t Simulator::add_volume(std::unique_ptr<DopamineVolume> volume) {
  refuse_after_prepare(prepared_);
  if (volume->source() >= static_cast<std::int64_t>(populations_.size()))
    throw std::invalid_argument("neuromodulator " + volume->name() + ": unknown source population");
  for (const auto& v : volumes_)
    if (v->name() == volume->name())
      throw std::invalid_argument("two neuromodulators named " + quote(volume->name()));
  volumes_.push_back(std::move(volume));
  volume_ptrs_.push_back(volumes_.back().get());
  volume_handler_.push_back(add_handler(volumes_.back().get()));
  return static_cast<std::uint32_t>(volumes_.size() - 1);
}

void Simulator::read_neuromodulator(std::uint32_t population, std::uint32_t volume) {
  refuse_after_prepare(prepared_);
  if (population >= populations_.size())
    throw std::invalid_argument("read_neuromodulator: no population " + std::to_string(population));
  if (volume >= volumes_.size())
    throw std::invalid_argument("read_neuromodulator: no neuromodulator " + std::to_string(volume));
  const Population& pop = *populations_[population];
  const std::string& name = volumes_[volume]->name();
  if (const std::int64_t v = reads_volume_[population]; v >= 0)
    throw std::invalid_argument("population " + pop.name() + " already reads neuromodulator " +
                                volumes_[static_cast<std::size_t>(v)]->name() +
                                "; a population reads at most one");
  if (const std::string why = pop.cannot_read_neuromodulator(); !why.empty())
    throw std::invalid_argument("population " + pop.name() + " (" + std::string(pop.model()) +
                                ") cannot read neuromodulator " + name + ": " + why);
  reads_volume_[population] = volume;
}

std::uint32_t Simulator::volume_index(const std::string& name) const {
  for (std::size_t i = 0; i < volumes_.size(); ++i)
    if (volumes_[i]->name() == name) return static_cast<std::uint32_t>(i);
  throw std::out_of_range("no neuromodulator named " + quote(name));
}

void Simulator::pulse(std::uint32_t volume, Step step, double amount) {
  queue_.schedule({.step = step, .handler = volume_handler_.at(volume), .value = amount});
}

std::uint32_t Simulator::add_synapse_recorder(std::unique_ptr<SynapseRecorder> recorder) {
  refuse_after_prepare(prepared_);
  if (recorder->projection() >= projections_.size())
    throw std::invalid_argument("recorder " + recorder->name() + ": unknown projection");
  projections_[recorder->projection()]->attach(*recorder);
  recorder->set_sink(sink_);
  synapse_recorders_.push_back(std::move(recorder));
  return static_cast<std::uint32_t>(synapse_recorders_.size() - 1);
}

std::uint32_t Simulator::add_neuromodulator_recorder(
    std::unique_ptr<NeuromodulatorRecorder> recorder) {
  refuse_after_prepare(prepared_);
  if (recorder->volume() >= volumes_.size())
    throw std::invalid_argument("recorder " + recorder->name() + ": unknown neuromodulator");
  recorder->set_sink(sink_);
  neuromodulator_recorders_.push_back(std::move(recorder));
  return static_cast<std::uint32_t>(neuromodulator_recorders_.size() - 1);
}

std::uint32_t Simulator::add_observer(std::unique_ptr<SpikeObserver> observer) {
  // Observers only read merged spikes and schedule events, so one may join a
  // prepared simulation: it is prepared here and sees the next epoch on.
  if (prepared_)
    observer->prepare({resolution_, config_.seed, &queue_, volume_handler_, gid_offsets_});
  observers_.push_back(std::move(observer));
  return static_cast<std::uint32_t>(observers_.size() - 1);
}

std::uint32_t Simulator::add_handler(EventHandler* handler) {
  handlers_.push_back(handler);
  return static_cast<std::uint32_t>(handlers_.size() - 1);
}

void Simulator::set_sink(RecordSink* sink) {
  sink_ = sink;
  route_sinks();
}

// State and weight recorders hand their rows to the ranks' gather when there
// is one; everything else goes to the sink.
void Simulator::route_sinks() {
  RecordSink* rows = sink_;
  if (rank_gather_) {
    rank_gather_->set_downstream(sink_);
    rows = rank_gather_.get();
  }
  for (auto& r : state_recorders_)
    r->set_sink(rows);
  for (auto& r : synapse_recorders_)
    r->set_sink(rows);
  for (auto& r : neuromodulator_recorders_)
    r->set_sink(sink_);
}

std::size_t Simulator::num_synapses() const {
  std::size_t n = 0;
  for (const auto& p : projections_)
    n += p->size();
  return n;
}

Step Simulator::min_delay() const {
  Step d = 0;
  for (const auto& p : projections_)
    if (p->size()) d = d ? std::min(d, p->min_delay()) : p->min_delay();
  return d ? d : 1;
}

Step Simulator::max_delay() const {
  Step d = 1;
  for (const auto& p : projections_)
    if (p->size()) d = std::max(d, p->max_delay());
  return d;
}

// A spike emitted in the update of step n is stamped n + 1 and arrives no
// earlier than n + 1 + min_delay. If the spikes of steps [E, E + L) are
// delivered after the update of step E + L - 1, the earliest of them (n = E)
// arrives at E + 1 + min_delay, which must not precede the next update to read
// input, E + L: so epochs may be min_delay + 1 steps long.
//
// A population reading a volume sees at step n every jump at steps <= n
// (docs/conventions.md). A source spike stamped s jumps the level at s + D;
// in an epoch [E, E + L) the spikes known are those stamped <= E, whose jumps
// fall at <= E + D, and the last step read is E + L - 1: so L <= D + 1.
// Pulses are events and are known from their own step on.
Step Simulator::epoch_steps() const {
  Step epoch = projections_.empty() ? 1000 : min_delay() + 1;
  for (const std::int64_t v : reads_volume_) {
    if (v < 0) continue;
    const DopamineVolume& volume = *volumes_[static_cast<std::size_t>(v)];
    if (volume.source() >= 0)
      epoch = std::min(epoch, resolution_.duration_steps(volume.params().delay_ms) + 1);
  }
  return epoch;
}

// The shortest epoch of all ranks: a rank's projections hold only the
// synapses onto its neurons, so its own minimum delay may be longer than the
// network's (a population smaller than the number of ranks leaves some ranks
// without its incoming synapses). One collective.
Step Simulator::epoch_steps_all_ranks() const {
  const Step mine = epoch_steps();
  std::vector<std::byte> all;
  std::vector<std::size_t> counts;
  communicator_->all_gather(std::as_bytes(std::span<const Step>(&mine, 1)), all, counts);
  Step epoch = mine;
  for (std::size_t r = 0; r < counts.size(); ++r) {
    Step theirs = 0;
    std::memcpy(&theirs, all.data() + r * sizeof(Step), sizeof(Step));
    epoch = std::min(epoch, theirs);
  }
  return epoch;
}

void Simulator::prepare() {
  if (prepared_) return;
  const int threads = config_.threads;
  const std::size_t np = populations_.size();
  partitions_ = partitions(threads);
  inputs_.assign(np, InputBuffer{});
  devices_of_.assign(np, {});
  projections_from_.assign(np, {});
  for (std::size_t p = 0; p < np; ++p)
    inputs_[p].resize(populations_[p]->receptors().size(), max_delay(), populations_[p]->size());
  for (std::size_t v = 0; v < volumes_.size(); ++v)
    volumes_[v]->prepare(resolution_, volume_handler_[v]);
  for (std::size_t j = 0; j < projections_.size(); ++j) {
    Projection& proj = *projections_[j];
    proj.bind({resolution_, populations_[proj.source()]->gid_offset(),
               populations_[proj.target()]->gid_offset(), volume_ptrs_});
    proj.prepare(partitions_[proj.target()], populations_[proj.source()]->gid_offset());
    projections_from_[proj.source()].push_back(static_cast<std::uint32_t>(j));
    inputs_[proj.target()].set_written(proj.channel());
  }
  // Handler ids follow the order of registration: populations and devices
  // were registered as they were added.
  for (std::uint32_t h = 0; h < handlers_.size(); ++h) {
    for (auto& pop : populations_)
      if (handlers_[h] == pop.get()) pop->prepare({resolution_, config_.seed, &queue_, h});
    for (auto& dev : devices_)
      if (handlers_[h] == dev.get()) dev->prepare({resolution_, config_.seed, &queue_, h});
    for (std::size_t r = 0; r < state_recorders_.size(); ++r)
      if (handlers_[h] == state_recorders_[r].get())
        state_recorders_[r]->prepare(*populations_[state_recorders_[r]->population()], queue_, h,
                                     state_recorder_start_[r]);
  }
  for (std::uint32_t d = 0; d < devices_.size(); ++d) {
    devices_of_[devices_[d]->target()].push_back(d);
    inputs_[devices_[d]->target()].set_written(devices_[d]->channel());
  }
  gid_offsets_.clear();
  for (const auto& p : populations_)
    gid_offsets_.push_back(p->gid_offset());
  for (auto& o : observers_)
    o->prepare({resolution_, config_.seed, &queue_, volume_handler_, gid_offsets_});
  read_volumes_.clear();
  for (const std::int64_t v : reads_volume_)
    if (v >= 0 && std::find(read_volumes_.begin(), read_volumes_.end(), v) == read_volumes_.end())
      read_volumes_.push_back(static_cast<std::uint32_t>(v));
  levels_.assign(np, {});
  spikes_.assign(threads, std::vector<std::vector<SpikeEvent>>(np));
  merged_.assign(np, {});
  delivered_.assign(threads, 0);
  prepared_ = true;
}

void Simulator::handle_events_at(Step step) {
  while (queue_.next_step() <= step) {
    const Event e = queue_.pop();
    if (e.handler >= handlers_.size())
      throw std::logic_error("event for unknown handler " + std::to_string(e.handler));
    handlers_[e.handler]->handle(e);
    ++counters_.events;
  }
}

// One thread, before the updates of the segment [from, to): volumes that
// populations read make every jump before `to` final (all are known: see
// epoch_steps), and each reader gets its volume's level at every step of the
// segment, the same numbers a neuromodulator recorder shows.
void Simulator::update_levels(Step from, Step to) {
  if (read_volumes_.empty()) return;
  // Sized first: after an error the segment still runs (and the run stops at
  // the epoch's end), reading NaN.
  for (std::size_t p = 0; p < populations_.size(); ++p)
    if (reads_volume_[p] >= 0) levels_[p].assign(static_cast<std::size_t>(to - from), std::nan(""));
  for (const std::uint32_t v : read_volumes_)
    volumes_[v]->extend(to);
  for (std::size_t p = 0; p < populations_.size(); ++p) {
    if (reads_volume_[p] < 0) continue;
    const DopamineVolume& volume = *volumes_[static_cast<std::size_t>(reads_volume_[p])];
    auto& levels = levels_[p];
    for (Step n = from; n < to; ++n)
      levels[static_cast<std::size_t>(n - from)] = volume.level(n);
  }
}

// Advances the neurons that partition `part` owns, in every population, from
// step `from` to step `to`. Populations do not interact within an epoch (all
// interaction goes through delivery at its end), so each population runs its
// steps in one go, which keeps its state in cache.
void Simulator::update_block(int part, Step from, Step to, PhaseTimes* times) {
  PhaseClock clock(times != nullptr);
  for (std::size_t p = 0; p < populations_.size(); ++p) {
    Population& pop = *populations_[p];
    const std::size_t begin = partitions_[p].first(part), end = partitions_[p].last(part);
    if (begin == end) continue;
    InputBuffer& in = inputs_[p];
    std::array<const double*, max_channels> channels{};
    std::array<double*, max_channels> writable{};
    const bool consumes = pop.consumes_input();
    UpdateContext ctx;
    ctx.input = channels.data();
    if (consumes) ctx.consume = writable.data();
    ctx.spikes = &spikes_[part][p];
    ctx.gid_offset = pop.gid_offset();
    ctx.population = static_cast<std::uint32_t>(p);
    ctx.seed = config_.seed;
    for (std::size_t c = 0; c < in.channels() && c < 32; ++c)
      if (!in.written(c)) ctx.silent |= std::uint32_t{1} << c;
    const double* levels = reads_volume_[p] >= 0 ? levels_[p].data() : nullptr;
    for (Step step = from; step < to; ++step) {
      for (std::uint32_t d : devices_of_[p]) {
        InputDevice& dev = *devices_[d];
        dev.contribute(step, begin, end, in.slot(dev.channel(), step), pop.gid_offset());
      }
      if (times && !devices_of_[p].empty()) clock.lap(times->devices);
      for (std::size_t c = 0; c < in.channels(); ++c)
        channels[c] = writable[c] = in.slot(c, step);
      ctx.step = step;
      if (levels) ctx.neuromodulator = levels + (step - from);
      pop.update(ctx, begin, end);
      if (times) clock.lap(times->update);
      if (!consumes) {
        in.clear(step, begin, end);
        if (times) clock.lap(times->clear);
      }
    }
  }
}

// Gathers the epoch's spikes per population in (step, gid) order. Called by
// every thread of the team (work-shared over populations; the caller waits).
void Simulator::merge_spikes() {
  const int parts = config_.threads;
  const int np = static_cast<int>(populations_.size());
#pragma omp for schedule(static) nowait
  for (int p = 0; p < np; ++p) {
    auto& all = merged_[p];
    all.clear();
    for (int t = 0; t < parts; ++t)
      all.insert(all.end(), spikes_[t][p].begin(), spikes_[t][p].end());
    // Each partition's list is in (step, gid) order and partitions hold
    // ascending gid blocks, so a stable sort by step alone gives (step, gid).
    std::stable_sort(all.begin(), all.end(),
                     [](const SpikeEvent& a, const SpikeEvent& b) { return a.step < b.step; });
  }
}

// One thread, after the merge, when there are several ranks: every rank
// gives its epoch's spikes (per population in (step, gid) order, after a
// header saying whether it stops or failed) and takes every rank's, in one
// collective. Ranks own ascending blocks of each population, so appending the
// ranks' lists in rank order and sorting stably by step gives (step, gid)
// order, the order one process would have merged.
void Simulator::exchange_spikes(bool stop, bool failed) {
  exchange_mine_.clear();
  const bool flush = flush_requested_ || (rank_gather_ && rank_gather_->wants_gather());
  flush_requested_ = false;
  exchange_mine_.push_back({.step = (stop ? 1 : 0) | (failed ? 2 : 0) | (flush ? 4 : 0)});
  for (const auto& m : merged_)
    exchange_mine_.insert(exchange_mine_.end(), m.begin(), m.end());
  const auto t0 = std::chrono::steady_clock::now();
  const auto mine = std::as_bytes(std::span<const SpikeEvent>(exchange_mine_));
  communicator_->all_gather(mine, exchange_all_, exchange_counts_);
  exchange_counters_.seconds +=
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  ++exchange_counters_.epochs;
  exchange_counters_.bytes_sent += mine.size();
  exchange_counters_.bytes_received += exchange_all_.size();
  for (auto& m : merged_)
    m.clear();
  // The bytes are copied out (memcpy), not cast: they are SpikeEvents only
  // by what the other ranks wrote.
  const std::byte* at = exchange_all_.data();
  const auto read = [&](std::size_t i) {
    SpikeEvent s;
    std::memcpy(&s, at + i * sizeof(SpikeEvent), sizeof(SpikeEvent));
    return s;
  };
  for (std::size_t r = 0; r < exchange_counts_.size(); ++r) {
    const std::size_t n = exchange_counts_[r] / sizeof(SpikeEvent);
    if (n == 0 || exchange_counts_[r] % sizeof(SpikeEvent) != 0)
      throw std::logic_error("spike exchange: rank " + std::to_string(r) + " sent " +
                             std::to_string(exchange_counts_[r]) + " bytes");
    const Step flags = read(0).step;
    if (flags & 1) ranks_stop_ = true;
    if ((flags & 2) && failed_rank_ < 0) failed_rank_ = static_cast<int>(r);
    if (flags & 4) flush_agreed_ = true;
    for (std::size_t i = 1; i < n; ++i) {
      const SpikeEvent s = read(i);
      if (s.population >= merged_.size())
        throw std::logic_error("spike exchange: rank " + std::to_string(r) +
                               " sent a spike of population " + std::to_string(s.population));
      merged_[s.population].push_back(s);
    }
    at += exchange_counts_[r];
  }
  if (failed_rank_ >= 0) ranks_stop_ = true;
  for (auto& all : merged_)
    std::stable_sort(all.begin(), all.end(),
                     [](const SpikeEvent& a, const SpikeEvent& b) { return a.step < b.step; });
}

// Before delivery, one thread: dopamine volumes take the epoch's source
// spikes and commit every jump before `to`; plastic projections take the new
// knots; levels are sampled.
void Simulator::begin_delivery(Step from, Step to) {
  for (auto& v : volumes_) {
    if (v->source() >= 0) v->take_spikes(merged_[static_cast<std::size_t>(v->source())]);
    v->commit(to);
  }
  for (auto& proj : projections_)
    proj->begin_epoch(from, to);
  for (auto& rec : neuromodulator_recorders_) {
    rec->begin_epoch(from, to);
    const auto steps = rec->epoch_steps();
    for (std::size_t i = 0; i < steps.size(); ++i)
      rec->row(i)[0] = volumes_[rec->volume()]->level(steps[i]);
    rec->end_epoch();
  }
}

// Delivers every merged spike to the synapses whose targets `part` owns;
// plastic projections also take their targets' spikes, every epoch.
void Simulator::deliver(int part, Step from, Step to) {
  std::uint64_t events = 0;
  for (auto& proj : projections_) {
    const auto& pre = merged_[proj->source()];
    if (pre.empty() && !proj->plastic()) continue;
    events += proj->deliver_epoch(
        {pre, merged_[proj->target()], from, to, part, &inputs_[proj->target()]});
  }
  delivered_[part] += events;
}

void Simulator::end_delivery(Step from, Step to) {
  for (auto& proj : projections_)
    proj->end_epoch(from, to);
  for (auto& o : observers_)
    o->observe(merged_, from, to);
}

// The step loop. Ordering invariants:
//  1. Events of step n are handled before any neuron is updated at step n, and
//     only while no thread is updating (a barrier precedes them).
//  2. Within an epoch [E, E + L), L <= min_delay + 1, each thread updates its
//     own neurons; no input written during the epoch is read during it.
//     Before each segment of updates, volumes that populations read are
//     committed to the segment's end and their levels handed to the readers
//     (L is also at most D + 1 for those driven by spikes, so every jump up
//     to the segment's end is known then: see epoch_steps).
//  3. After the epoch, spikes are merged in (step, gid) order; one thread
//     commits the dopamine jumps before the epoch's end (they are all known
//     now: source spikes are stamped at most at the end, and pulses were
//     events of the epoch); every thread delivers the spikes to its own
//     targets' ring buffers and plastic synapses (no two threads write the
//     same neuron or synapse); then recorders take the spikes, then time
//     advances. Plastic synapses are advanced only here, with every spike
//     stamped up to the epoch's end known.
//  4. Every random number is drawn from a stream keyed by (seed, purpose, id,
//     step), so nothing depends on which thread drew it.
// Every `single` ends in an explicit barrier (arrive_and_wait): each phase's result is seen
// by all threads before the next phase begins. Work that needs one thread and
// no other between shares a single: the end of one epoch, the decision to go
// on and the first segment's events of the next; begin_delivery is skipped
// with its barrier when it has nothing to do. An epoch of one segment then
// meets four barriers (update, merge, delivery, the epoch's end), five with
// begin_delivery, one more per extra segment and with the ranks' exchange.
Step Simulator::run(Step steps) {
  if (steps < 0) throw std::invalid_argument("cannot run a negative number of steps");
  if (steps > max_steps - now_)
    throw std::invalid_argument("cannot run " + std::to_string(steps) + " steps from step " +
                                std::to_string(now_) + ": a run counts at most 2^48 steps (" +
                                std::to_string(max_steps) + ")");
  if (communicator_ && steps == 0) {
    // No collective: one rank alone may run no steps to prepare itself
    // (io::attach_recorders does).
    prepare();
    return 0;
  }
  if (communicator_) {
    // A rank that cannot prepare its part (a projection onto another rank's
    // neurons, say) must not leave the others waiting in the exchange.
    std::string why;
    try {
      prepare();
    } catch (const std::exception& e) {
      why = e.what();
    }
    if (communicator_->sum(why.empty() ? 0 : 1) != 0)
      throw std::runtime_error(why.empty() ? "another rank could not prepare its part" : why);
    share_recorders();
  }
  prepare();
  const Step start = now_;
  const Step end = now_ + steps;
  const Step epoch = communicator_ ? epoch_steps_all_ranks() : epoch_steps();
  const int parts = config_.threads;
  const std::uint64_t events_before = counters_.synaptic_events;
  ranks_stop_ = false;
  flush_agreed_ = false;
  failed_rank_ = -1;
  bool go = true;
  Step epoch_end = now_, segment_end = now_;
  std::exception_ptr error;
  // Whether begin_delivery has anything to do (volumes, plastic projections,
  // neuromodulator recorders): without, its phase and barrier are skipped.
  const bool begins_delivery = !volumes_.empty() || !neuromodulator_recorders_.empty() ||
                               std::any_of(projections_.begin(), projections_.end(),
                                           [](const auto& proj) { return proj->plastic(); });

  // The team's own barrier (core/team_barrier.hpp: spins briefly, then
  // sleeps, so that a loaded machine's cores are not burnt waiting). A team
  // of one meets no barrier at all: libgomp's would make a system call.
  detail::TeamBarrier barrier;
#pragma omp parallel num_threads(parts) if (parts > 1)
  {
    const int thread = omp_get_thread_num();
    const int team = omp_get_num_threads();
    if (team > 1) {
#pragma omp single
      barrier.reset(team);
    }
    // Phase timing: each lap ends a phase, each sync() a wait.
    PhaseTimes untimed;
    PhaseTimes& times = phase_timing_ ? phase_times_[static_cast<std::size_t>(thread)] : untimed;
    PhaseClock clock(phase_timing_);
    const auto sync = [&] {
      barrier.arrive_and_wait();
      clock.lap(times.barrier);
    };
    // One thread, at the start of each segment: the events of its first
    // step, where it ends (the next event or the epoch's end) and the levels
    // its readers see. After an error the segment still runs (the run stops
    // at the epoch's end).
    const auto begin_segment = [&](Step from) {
      try {
        handle_events_at(from);
      } catch (...) {
        if (!error) error = std::current_exception();
      }
      segment_end = std::min(epoch_end, queue_.next_step());
      try {
        update_levels(from, segment_end);
      } catch (...) {
        if (!error) error = std::current_exception();
      }
    };
    // One thread, before each epoch: whether to go on and, if so, the first
    // segment. Ranks stop together, at the epoch after the exchange that told
    // them one was asked to stop or failed.
    const auto begin_epoch = [&] {
      epoch_end = std::min(now_ + epoch, end);
      go = now_ < end &&
           (communicator_ ? !ranks_stop_
                          : !(stop_ && stop_->load(std::memory_order_relaxed)) && !error);
      if (go) begin_segment(now_);
    };
#pragma omp single nowait
    begin_epoch();
    clock.lap(times.events);
    sync();
    while (go) {
      for (Step from = now_; from < epoch_end;) {
        if (from != now_) {  // the epoch's first segment began with the epoch
#pragma omp single nowait
          begin_segment(from);
          clock.lap(times.events);
          sync();
        }
        const Step to = segment_end;
        for (int part = thread; part < parts; part += team)
          update_block(part, from, to, phase_timing_ ? &times : nullptr);
        clock.lap(untimed.update);  // update_block timed itself
        from = to;
        sync();
      }
      merge_spikes();
      clock.lap(times.merge);
      sync();
      if (communicator_) {
#pragma omp single nowait
        {
          try {
            exchange_spikes(stop_ && stop_->load(std::memory_order_relaxed), error != nullptr);
          } catch (...) {
            if (!error) error = std::current_exception();
          }
        }
        clock.lap(times.exchange);
        sync();
      }
      if (begins_delivery) {
#pragma omp single nowait
        {
          try {
            begin_delivery(now_, epoch_end);
          } catch (...) {
            if (!error) error = std::current_exception();
          }
        }
        clock.lap(times.begin_delivery);
        sync();
      }
      for (int part = thread; part < parts; part += team) {
        try {
          deliver(part, now_, epoch_end);
        } catch (...) {
#pragma omp critical(bgsim_delivery_error)
          if (!error) error = std::current_exception();
        }
      }
      clock.lap(times.delivery);
      sync();
      // The epoch's end and the next one's beginning: one thread, one barrier.
#pragma omp single nowait
      {
        try {
          end_delivery(now_, epoch_end);
        } catch (...) {
          if (!error) error = std::current_exception();
        }
        for (const auto& m : merged_)
          counters_.spikes += m.size();
        try {  // a sink that cannot write (a full disk) stops the run
          for (auto& rec : spike_recorders_)
            rec->record(merged_[rec->population()], populations_[rec->population()]->gid_offset(),
                        sink_);
        } catch (...) {
          if (!error) error = std::current_exception();
        }
        for (auto& per_thread : spikes_)
          for (auto& list : per_thread)
            list.clear();
        for (auto& d : delivered_) {
          counters_.synaptic_events += d;
          d = 0;
        }
        now_ = epoch_end;
        if (flush_agreed_) {  // every rank, whatever failed here: a collective
          flush_agreed_ = false;
          try {
            flush_recorders();
          } catch (...) {
            if (!error) error = std::current_exception();
          }
          last_flush_ = now_;
        }
        try {
          watch_guards();
          if (progress_) progress_(now_, end);
        } catch (...) {
          if (!error) error = std::current_exception();
        }
        clock.lap(times.end_delivery);
        begin_epoch();
      }
      clock.lap(times.events);
      sync();
    }
  }
  if (communicator_) {
    // Synaptic events happen on the rank that holds the synapse.
    counters_.synaptic_events =
        events_before + communicator_->sum(counters_.synaptic_events - events_before);
    if (!error && failed_rank_ >= 0)
      throw std::runtime_error(
          "rank " + std::to_string(failed_rank_) +
          " failed; this rank stopped with it at t = " + std::to_string(now_ms()) + " ms");
  }
  if (error) std::rethrow_exception(error);
  // No run ends on a blow-up unchecked (rates are checked over whole windows
  // only: a short window would make one spike a runaway rate).
  if (guards_.finite && now_ > guard_checked_) check_guards(false);
  return now_ - start;
}

void Simulator::set_phase_timing(bool on) {
  phase_timing_ = on;
  phase_times_.assign(on ? static_cast<std::size_t>(config_.threads) : 0, PhaseTimes{});
}

void Simulator::set_guards(GuardConfig guards) {
  if (!(guards.interval_ms > 0.0) || !std::isfinite(guards.interval_ms))
    throw std::invalid_argument("guards: interval_ms must be finite and > 0 [ms], got " +
                                guard_value_text(guards.interval_ms));
  for (double r : guards.max_rate_Hz)
    if (!(r > 0.0))
      throw std::invalid_argument("guards: max_rate_Hz must be > 0 [Hz] (+inf for no bound), got " +
                                  guard_value_text(r));
  guards_ = std::move(guards);
  guard_spikes_.clear();
}

// One thread, at the end of every epoch: counts the spikes of populations
// with a rate bound, and checks once a window of guards_.interval_ms has
// passed since the last check.
void Simulator::watch_guards() {
  const std::size_t bounded = std::min(guards_.max_rate_Hz.size(), populations_.size());
  if (guard_spikes_.size() != bounded) {
    guard_spikes_.assign(bounded, {});
    for (std::size_t p = 0; p < bounded; ++p)
      if (std::isfinite(guards_.max_rate_Hz[p]))
        guard_spikes_[p].assign(populations_[p]->size(), 0);
  }
  for (std::size_t p = 0; p < bounded; ++p) {
    if (guard_spikes_[p].empty()) continue;
    const std::uint32_t offset = populations_[p]->gid_offset();
    for (const SpikeEvent& s : merged_[p])
      ++guard_spikes_[p][s.gid - offset];
  }
  if (resolution_.to_ms(now_ - guard_window_) < guards_.interval_ms * (1.0 - 1e-9)) return;
  check_guards(true);
}

// Throws GuardViolation naming the first thing found, causes before their
// effects: a non-finite level makes weights non-finite, which make their
// targets' input so: volumes, then plastic projections, then populations
// (each in order of addition), then rates.
//
// Plastic synapses are scanned at every tenth window only, and whenever a
// neuron is found non-finite (to name the cause): a pass over the 80 000
// synapses of the distal reward network costs as much as 6 % of the run
// between two checks, and a non-finite weight reaches its target's state at
// its next spike anyway.
void Simulator::check_guards(bool window_end) {
  const auto number = [](double x, int digits) {
    char text[32];
    std::snprintf(text, sizeof text, "%.*g", digits, x);
    return std::string(text);
  };
  const auto ms = [&](Step s) { return number(resolution_.to_ms(s), 12); };
  const auto when = [&](Step clean) {
    return " at t = " + ms(now_) + " ms (" +
           (clean > 0 ? "every value was finite at the check at " + ms(clean) + " ms"
                      : std::string("the first check of the run")) +
           "; guards.interval_ms sets how often values are checked)";
  };
  constexpr std::uint64_t synapse_windows = 10;
  if (guards_.finite) {
    for (const auto& v : volumes_)
      if (!v->knots().empty() && !std::isfinite(v->knots().back().level))
        throw GuardViolation("numerical guard: neuromodulator " + v->name() + ": level = " +
                             guard_value_text(v->knots().back().level) + when(guard_checked_));
    std::optional<std::string> neuron;
    for (const auto& pop : populations_)
      if (auto what = non_finite_state(*pop)) {
        neuron = "numerical guard: population " + pop->name() + ", " + *what + when(guard_checked_);
        break;
      }
    if (neuron || (window_end && ++guard_windows_ % synapse_windows == 0)) {
      for (const auto& proj : projections_)
        if (auto what = proj->non_finite_synapse())
          throw GuardViolation("numerical guard: projection " + proj->name() + ", " + *what +
                               when(synapses_checked_));
      synapses_checked_ = now_;
    }
    if (neuron) throw GuardViolation(*neuron);
  }
  guard_checked_ = now_;
  if (!window_end) return;
  const double window_s = resolution_.to_ms(now_ - guard_window_) / 1000.0;
  for (std::size_t p = 0; p < guard_spikes_.size(); ++p) {
    auto& counts = guard_spikes_[p];
    if (counts.empty()) continue;
    const Population& pop = *populations_[p];
    std::uint64_t total = 0;
    for (const std::uint32_t c : counts)
      total += c;
    const double rate = static_cast<double>(total) / static_cast<double>(pop.size()) / window_s;
    if (rate > guards_.max_rate_Hz[p]) {
      const auto most = std::max_element(counts.begin(), counts.end()) - counts.begin();
      throw GuardViolation(
          "rate guard: population " + pop.name() + " fired at " + number(rate, 4) +
          " Hz per neuron between t = " + ms(guard_window_) + " ms and t = " + ms(now_) +
          " ms, above its max_rate_Hz of " + number(guards_.max_rate_Hz[p], 6) + " Hz (neuron " +
          std::to_string(most) +
          " fired most: " + std::to_string(counts[static_cast<std::size_t>(most)]) + " spikes)");
    }
    std::fill(counts.begin(), counts.end(), 0u);
  }
  guard_window_ = now_;
}

void Simulator::flush_recorders() {
  if (!rank_gather_) {
    hand_over_recorders();
    return;
  }
  // Over ranks: state and weight recorders first (into the gather, which
  // cannot fail), then what may fail to write, then the collective.
  for (auto& r : state_recorders_)
    r->flush();
  for (auto& r : synapse_recorders_)
    r->flush();
  std::exception_ptr failed;
  try {
    hand_over_recorders();
  } catch (...) {
    failed = std::current_exception();
  }
  try {
    rank_gather_->gather();
  } catch (...) {
    if (!failed) failed = std::current_exception();
  }
  if (failed) std::rethrow_exception(failed);
}

void Simulator::hand_over_recorders() {
  for (auto& r : spike_recorders_)
    r->flush(sink_);
  for (auto& r : state_recorders_)
    r->flush();
  for (auto& r : synapse_recorders_)
    r->flush();
  for (auto& r : neuromodulator_recorders_)
    r->flush();
}

void Simulator::save(std::ostream& out) {
  prepare();
  if (ranks() > 1) {
    save_over_ranks(out);
    return;
  }
  flush_recorders();
  CheckpointWriter w(out);
  save_header(w);
  for (const auto& p : populations_)
    p->save(w);
  for (const auto& in : inputs_)
    in.save(w);
  for (const auto& p : projections_)
    p->save(w);
  save_whole(w);
}

void Simulator::save_header(CheckpointWriter& w) const {
  w.section(checkpoint_magic);
  w.value(now_);
  w.value(resolution_.dt_ms());
  w.value(config_.seed);
  w.value(counters_);
}

// What every rank holds alike (docs/mpi.md: what every rank keeps whole).
void Simulator::save_whole(CheckpointWriter& w) const {
  for (const auto& d : devices_)
    d->save(w);
  for (const auto& r : spike_recorders_)
    r->save(w);
  for (const auto& r : state_recorders_)
    r->save(w);
  for (const auto& v : volumes_)
    v->save(w);
  for (const auto& r : synapse_recorders_)
    r->save(w);
  for (const auto& r : neuromodulator_recorders_)
    r->save(w);
  for (const auto& o : observers_)
    o->save(w);
  queue_.save(w);
}

// Over ranks, rank 0 writes the checkpoint one process writes (docs/mpi.md):
// every rank's neurons, input in flight and synapses are gathered to it (one
// collective) and merged; what every rank holds alike is rank 0's. The
// collectives (the recorders' flush, the gather) are made whatever fails
// first, so no rank is left waiting.
void Simulator::save_over_ranks(std::ostream& out) {
  std::exception_ptr failed;
  try {
    flush_recorders();
  } catch (...) {
    failed = std::current_exception();
  }
  // A part that cannot be written goes empty: rank 0 then fails to read it,
  // after the gather, and the checkpoint's agreement stops every rank.
  std::string bytes;
  try {
    std::ostringstream mine;
    CheckpointWriter w(mine);
    for (const auto& p : populations_)
      p->save(w);
    for (const auto& in : inputs_)
      in.save(w);
    for (const auto& p : projections_)
      p->save_part(w);
    bytes = std::move(mine).str();
  } catch (...) {
    bytes.clear();
    if (!failed) failed = std::current_exception();
  }
  std::vector<std::byte> all;
  std::vector<std::size_t> counts;
  communicator_->gather(std::as_bytes(std::span<const char>(bytes)), all, counts);
  if (failed) std::rethrow_exception(failed);
  if (rank() != 0) return;
  std::vector<std::istringstream> streams;
  streams.reserve(counts.size());
  std::size_t at = 0;
  for (const std::size_t n : counts) {
    streams.emplace_back(std::string(reinterpret_cast<const char*>(all.data()) + at, n));
    at += n;
  }
  all = {};  // the parts live on in the streams alone
  std::vector<CheckpointReader> parts;
  for (auto& stream : streams)
    parts.emplace_back(stream);
  CheckpointWriter w(out);
  save_header(w);
  for (const auto& p : populations_)
    p->save_merged(parts, w);
  for (const auto& in : inputs_)
    in.save_merged(parts, w);
  for (const auto& p : projections_)
    p->save_merged(parts, w);
  save_whole(w);
}

void Simulator::load(std::istream& in) {
  prepare();
  if (ranks() > 1)
    for (auto& p : projections_)
      p->share_layout(*communicator_);  // the collectives, before anything is read
  CheckpointReader r(in);
  r.section(checkpoint_magic);
  const Step now = r.value<Step>();
  if (r.value<double>() != resolution_.dt_ms())
    throw std::runtime_error("checkpoint: written at another resolution");
  if (r.value<std::uint64_t>() != config_.seed)
    throw std::runtime_error("checkpoint: written with another seed");
  counters_ = r.value<RunCounters>();
  for (auto& p : populations_)
    p->load(r);
  for (auto& b : inputs_)
    b.load(r);
  // Over ranks every rank reads the one-process checkpoint: the whole arrays
  // of neurons and input (a rank updates its own block of them), and the
  // synapses it holds.
  for (auto& p : projections_)
    if (ranks() > 1)
      p->load_part(r);
    else
      p->load(r);
  for (auto& d : devices_)
    d->load(r);
  for (auto& rec : spike_recorders_)
    rec->load(r);
  for (auto& rec : state_recorders_)
    rec->load(r);
  for (auto& v : volumes_)
    v->load(r);
  for (auto& rec : synapse_recorders_)
    rec->load(r);
  for (auto& rec : neuromodulator_recorders_)
    rec->load(r);
  for (auto& o : observers_)
    o->load(r);
  queue_.load(r);
  now_ = now;
  guard_checked_ = guard_window_ = synapses_checked_ = now_;  // the guards start afresh
  guard_spikes_.clear();
}

}  // namespace bgsim
