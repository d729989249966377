#pragma once
// Projections: the synapses from one population to another, onto one receptor
// channel of the target.
//
// Storage: compressed rows by source neuron, one set of rows per thread, each
// holding only the synapses whose target that thread owns. A thread delivering
// a spike walks the source's row in its own partition and adds into the ring
// buffers of its own neurons: no atomics, no locks. Within a row, synapses keep
// the order in which they were connected, and every thread sees the spikes in
// the same (step, gid) order, so each target's sums are formed in the same
// order for every thread count: results are bit-identical.

#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "core/checkpoint.hpp"
#include "core/communicator.hpp"
#include "core/input_buffer.hpp"
#include "core/population.hpp"
#include "core/time.hpp"

namespace bgsim {

class DopamineVolume;
class SynapseRecorder;

// Which neurons of the target population each thread owns: [begin[t], begin[t+1]).
struct Partition {
  std::vector<std::size_t> begin;
  int threads() const { return static_cast<int>(begin.size()) - 1; }
  std::size_t first(int t) const { return begin[t]; }
  std::size_t last(int t) const { return begin[t + 1]; }
  int owner(std::size_t neuron) const;

  // Contiguous blocks of (nearly) equal size.
  static Partition blocks(std::size_t neurons, int threads);
  // The same over the neurons [first, last) that one rank owns (the others'
  // neurons belong to no thread here).
  static Partition blocks(std::size_t first, std::size_t last, int threads);
  // All of [first, last) to thread `owner`, none to the others.
  static Partition whole(std::size_t first, std::size_t last, int threads, int owner);
};

// Synapses as listed by a connection rule, in connection order.
struct ConnectionList {
  std::vector<std::uint32_t> source;  // local index in the source population
  std::vector<std::uint32_t> target;  // local index in the target population
  std::vector<double> weight;         // in the unit of the target receptor
  std::vector<Step> delay;            // whole steps >= 1

  std::size_t size() const { return source.size(); }
  void add(std::uint32_t s, std::uint32_t t, double w, Step d) {
    source.push_back(s);
    target.push_back(t);
    weight.push_back(w);
    delay.push_back(d);
  }
};

// What a projection may need besides its own synapses, given once the
// simulation is prepared (before Projection::prepare).
struct ProjectionBinding {
  Resolution resolution;
  std::uint32_t source_gid_offset = 0;
  std::uint32_t target_gid_offset = 0;
  std::span<DopamineVolume* const> volumes;  // the simulator's neuromodulators, by index
};

// The delivery of one epoch [from, to) to the synapses whose targets a thread owns.
struct EpochDelivery {
  std::span<const SpikeEvent> pre;   // source spikes stamped in (from, to], (step, gid) order
  std::span<const SpikeEvent> post;  // target spikes stamped in (from, to], (step, gid) order
  Step from = 0, to = 0;
  int thread = 0;
  InputBuffer* input = nullptr;
};

class Projection {
 public:
  Projection(std::string name, std::uint32_t source, std::uint32_t target, std::uint32_t channel)
      : name_(std::move(name)), source_(source), target_(target), channel_(channel) {}
  virtual ~Projection() = default;

  const std::string& name() const { return name_; }
  std::uint32_t source() const { return source_; }  // population index
  std::uint32_t target() const { return target_; }  // population index
  std::uint32_t channel() const { return channel_; }

  virtual std::string_view model() const = 0;
  virtual std::size_t size() const = 0;  // number of synapses
  virtual Step min_delay() const = 0;
  virtual Step max_delay() const = 0;
  virtual std::size_t bytes_per_synapse() const = 0;
  // Memory held by the synapses and their row index, in bytes.
  virtual std::size_t bytes() const = 0;

  // Builds the per-thread rows; `targets` partitions the target population.
  virtual void prepare(const Partition& targets, std::uint32_t source_gid_offset) = 0;

  // Delivers `spikes` (all from the source population, in (step, gid) order)
  // to the synapses whose targets thread `thread` owns. Returns the number of
  // synaptic events (spike arrivals at synapses) it caused.
  virtual std::uint64_t deliver(std::span<const SpikeEvent> spikes, int thread,
                                InputBuffer& input) = 0;

  // Every synapse (weights as stored), ordered by (source, target) with
  // multapses in connection order: the same for every thread count.
  virtual ConnectionList connections() const = 0;

  virtual void save(CheckpointWriter& w) const = 0;
  virtual void load(CheckpointReader& r) = 0;
  // Over ranks (docs/mpi.md), the checkpoint is the one a single process
  // writes. save_part() writes this rank's part; save_merged() (rank 0) reads
  // every rank's part, in rank order, and writes the one-process section;
  // load_part() reads that section on any rank count and keeps this rank's
  // synapses, after share_layout() (a collective: every rank calls it for
  // every projection, in order, before reading anything, so that a read that
  // fails leaves no rank waiting) told it where the other ranks' lie.
  virtual void save_part(CheckpointWriter& w) const { save(w); }
  virtual void save_merged(std::span<CheckpointReader> parts, CheckpointWriter& w) const = 0;
  virtual void share_layout(Communicator& ranks) = 0;
  virtual void load_part(CheckpointReader& r) = 0;

  // ---- Projections whose synapses change (plastic); static ones keep the defaults.
  // The kernel calls, per epoch: begin_epoch (one thread), deliver_epoch (every
  // thread, its own targets; also when no source neuron spiked), end_epoch (one
  // thread). See Simulator::run for what is known at each point.
  virtual void bind(const ProjectionBinding&) {}
  virtual void begin_epoch(Step /*from*/, Step /*to*/) {}
  virtual std::uint64_t deliver_epoch(const EpochDelivery& d) {
    return d.pre.empty() ? 0 : deliver(d.pre, d.thread, *d.input);
  }
  virtual void end_epoch(Step /*from*/, Step /*to*/) {}
  // The dopamine volume (simulator index) the synapses read, or -1.
  virtual std::int64_t neuromodulator() const { return -1; }
  virtual bool plastic() const { return false; }
  // The bounds a plastic projection keeps its weights in ([w_min, w_max]).
  virtual std::optional<std::pair<double, double>> weight_bounds() const { return std::nullopt; }
  // Eligibility traces in the order of connections() (empty if the rule has none).
  virtual std::vector<double> eligibilities() const { return {}; }
  // For the numerical guards (core/guards.hpp): the first synapse, in the
  // order of connections(), whose stored weight or rule state is NaN or
  // infinite, as "synapse from neuron 3 to neuron 7: weight = nan" (local
  // indices); nullopt when all are finite or the synapses never change.
  virtual std::optional<std::string> non_finite_synapse() const { return std::nullopt; }
  // Registers a recorder of synapse state (before the simulation is prepared).
  virtual void attach(SynapseRecorder&) {
    throw std::invalid_argument("projection " + name_ + " (" + std::string(model()) +
                                ") has no changing synapse state to record");
  }

 private:
  std::string name_;
  std::uint32_t source_, target_, channel_;
};

// Synapses with a fixed weight and delay: 12 bytes each, or 4 when every
// synapse of the projection has the same weight and delay (a homogeneous
// projection, as NEST's static_synapse_hom_w: only the targets are stored and
// delivery streams a third of the bytes; docs/design.md).
class StaticProjection final : public Projection {
 public:
  struct Synapse {
    std::uint32_t target;  // local index in the target population
    float weight;          // single precision: 12 bytes per synapse (documented)
    std::uint16_t delay;   // steps, 1 ... 65535
  };
  static_assert(sizeof(Synapse) == 12);

  StaticProjection(std::string name, std::uint32_t source, std::uint32_t target,
                   std::uint32_t channel, std::size_t source_size, ConnectionList connections);

  std::string_view model() const override { return "static"; }
  std::size_t size() const override { return size_; }
  Step min_delay() const override { return min_delay_; }
  Step max_delay() const override { return max_delay_; }
  std::size_t bytes_per_synapse() const override {
    return homogeneous_ ? sizeof(std::uint32_t) : sizeof(Synapse);
  }
  std::size_t bytes() const override;
  // Whether every synapse has one weight (as float32) and one delay.
  bool homogeneous() const { return homogeneous_; }

  void prepare(const Partition& targets, std::uint32_t source_gid_offset) override;
  std::uint64_t deliver(std::span<const SpikeEvent> spikes, int thread,
                        InputBuffer& input) override;
  ConnectionList connections() const override;

  void save(CheckpointWriter& w) const override;
  void load(CheckpointReader& r) override;
  void save_merged(std::span<CheckpointReader> parts, CheckpointWriter& w) const override;
  void share_layout(Communicator& ranks) override;
  void load_part(CheckpointReader& r) override;

 private:
  struct Rows {
    std::vector<std::uint32_t> offset;   // source_size + 1 entries
    std::vector<Synapse> synapses;       // a heterogeneous projection's
    std::vector<std::uint32_t> targets;  // a homogeneous projection's
  };
  Synapse synapse(const Rows& r, std::uint32_t k) const {
    return homogeneous_ ? Synapse{r.targets[k], weight_, delay_} : r.synapses[k];
  }
  std::uint64_t deliver_homogeneous(std::span<const SpikeEvent> spikes, const Rows& r,
                                    InputBuffer& input) const;

  std::size_t source_size_;
  std::size_t size_ = 0;
  std::uint64_t size_all_ranks_ = 0;  // over ranks, for loading a checkpoint (share_layout)
  Step min_delay_ = 0, max_delay_ = 0;
  bool homogeneous_ = false;
  float weight_ = 0.0f;      // of every synapse, when homogeneous
  std::uint16_t delay_ = 0;  // steps, of every synapse, when homogeneous
  std::uint32_t source_gid_offset_ = 0;
  ConnectionList pending_;  // the list until prepare() lays it out in rows
  std::vector<Rows> rows_;  // one per thread
};

}  // namespace bgsim
