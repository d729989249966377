#pragma once
// The simulator: owns populations, projections, input devices, recorders and
// the event queue, and advances them in time.
//
// Typical use:
//   Simulator sim({.dt_ms = 0.1, .seed = 42, .threads = 2});
//   auto exc = sim.add_population(make_population("izhikevich", "exc", 800, {},
//   "regular_spiking")); sim.add_projection(std::make_unique<StaticProjection>(...));
//   sim.add_spike_recorder(...);
//   sim.run(sim.resolution().duration_steps(1000.0));

#include <atomic>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/communicator.hpp"
#include "core/device.hpp"
#include "core/event_queue.hpp"
#include "core/guards.hpp"
#include "core/input_buffer.hpp"
#include "core/neuromodulator.hpp"
#include "core/observer.hpp"
#include "core/population.hpp"
#include "core/projection.hpp"
#include "core/recorder.hpp"
#include "core/time.hpp"

namespace bgsim {

class RankGather;

struct SimulatorConfig {
  double dt_ms = 0.1;      // resolution [ms]
  std::uint64_t seed = 1;  // keys every random stream of the run
  int threads = 1;         // OpenMP threads; results do not depend on it
  // A population with fewer neurons per thread than this goes whole to one
  // thread instead of being split (docs/design.md); results do not depend on it.
  std::size_t shared_population = 256;
};

// Counts over the whole run so far.
struct RunCounters {
  std::uint64_t spikes = 0;           // spikes emitted by all populations
  std::uint64_t synaptic_events = 0;  // spike deliveries to synapses
  std::uint64_t events = 0;           // discrete events handled
};

// The spike exchange between ranks over the whole run so far (zero with one
// rank): what docs/mpi.md's scaling model starts from.
struct ExchangeCounters {
  std::uint64_t epochs = 0;          // collectives (one per epoch)
  std::uint64_t bytes_sent = 0;      // this rank's part, summed over epochs [bytes]
  std::uint64_t bytes_received = 0;  // every rank's parts, summed over epochs [bytes]
  double seconds = 0;  // wall time in the collective, waiting for slower ranks included [s]
};

// Where a run's time went, per thread, in seconds of wall time (the steady
// clock), when Simulator::set_phase_timing(true) asked for it. The phases
// are those of the step loop (see Simulator::run); a single-thread phase
// counts for the thread that ran it, the others wait in `barrier`.
struct PhaseTimes {
  double events = 0;          // events of the step and dopamine levels of the segment
  double devices = 0;         // input devices writing into the ring buffers
  double update = 0;          // neuron updates, threshold scan and spike emission
  double clear = 0;           // zeroing the ring-buffer slot just read
  double merge = 0;           // merging the threads' spikes in (step, gid) order
  double exchange = 0;        // the ranks' spike exchange (one collective per epoch)
  double begin_delivery = 0;  // dopamine volumes, plastic projections' epoch start
  double delivery = 0;        // static and plastic delivery into ring buffers
  double end_delivery = 0;    // observers, spike recorders, guards, progress
  double barrier = 0;         // waiting for the other threads
};

class Simulator {
 public:
  explicit Simulator(SimulatorConfig config = {});
  ~Simulator();
  Simulator(const Simulator&) = delete;
  Simulator& operator=(const Simulator&) = delete;

  const Resolution& resolution() const { return resolution_; }
  std::uint64_t seed() const { return config_.seed; }
  int threads() const { return config_.threads; }
  // Changes the thread count between runs (repartitions synapses).
  void set_threads(int threads);

  // Ranks (docs/mpi.md). A simulator given a communicator of R ranks is rank
  // r of one network: it updates only the neurons it owns (owned(p), the
  // same contiguous blocks threads get), holds only the synapses onto them
  // (every projection added must hold no other), and exchanges each epoch's
  // spikes with the other ranks in one collective, so that every rank knows
  // every spike: its deliveries, volumes, observers and spike recorders see
  // what a single process sees. Results are bit-identical for every R and
  // thread count. Set before the first run; nullptr (the default) is one rank.
  void set_communicator(Communicator* communicator);
  int rank() const { return communicator_ ? communicator_->rank() : 0; }
  int ranks() const { return communicator_ ? communicator_->size() : 1; }
  // The neurons of population `population` this rank owns.
  RankBlock owned(std::uint32_t population) const {
    return RankBlock::of(populations_.at(population)->size(), rank(), ranks());
  }
  // Synapses held here (this rank's), and over all ranks (a collective when
  // there are several ranks).
  std::size_t num_synapses_all_ranks() const;
  // State and weight recorders over several ranks: each rank samples its own
  // columns, and every flush_recorders() gathers them to rank 0, whose sink
  // gets the rows of one process (core/rank_gather.hpp). This collective
  // (one per weight recorder: their columns to rank 0) prepares the
  // simulation and sets that up; the first run does it if no one did. With
  // one rank it does nothing.
  void share_recorders();
  // The columns of weight recorder `i` as its file shows them: on rank 0,
  // after share_recorders(), every rank's synapses in one-process order; the
  // recorder's own otherwise.
  const std::vector<std::pair<std::uint32_t, std::uint32_t>>& recorded_synapses(
      std::uint32_t i) const;
  // Over several ranks flush_recorders() is a collective, so a rank does not
  // flush alone: it asks (a flag in its part of the next spike exchange),
  // and at the end of that epoch every rank flushes. last_flush() is the
  // step of the last such flush (-1 before the first). With one rank,
  // request_flush() does nothing: call flush_recorders().
  void request_flush() { flush_requested_ = true; }
  Step last_flush() const { return last_flush_; }

  // Building. Indices are stable and returned in order of addition.
  std::uint32_t add_population(std::unique_ptr<Population> population);
  std::uint32_t add_projection(std::unique_ptr<Projection> projection);
  std::uint32_t add_device(std::unique_ptr<InputDevice> device);
  std::uint32_t add_spike_recorder(std::unique_ptr<SpikeRecorder> recorder);
  std::uint32_t add_state_recorder(std::unique_ptr<StateRecorder> recorder, Step start = 0);
  // A dopamine volume; its source population (if any) must already be added.
  std::uint32_t add_volume(std::unique_ptr<DopamineVolume> volume);
  // Population `population` reads the level of volume `volume`: its update of
  // step n sees the level at step n, after the jumps at n (UpdateContext::
  // neuromodulator; docs/conventions.md). A population reads at most one
  // volume, and only if its model has parameters the level acts on. A volume
  // driven by a source population then bounds the epochs to D + 1 steps (D its
  // delay in steps), so that its jumps are known before they are read.
  void read_neuromodulator(std::uint32_t population, std::uint32_t volume);
  // The volume population `population` reads, or -1.
  std::int64_t neuromodulator_of(std::uint32_t population) const {
    return reads_volume_.at(population);
  }
  // Records synapse state of a plastic projection (attached to it).
  std::uint32_t add_synapse_recorder(std::unique_ptr<SynapseRecorder> recorder);
  std::uint32_t add_neuromodulator_recorder(std::unique_ptr<NeuromodulatorRecorder> recorder);
  // Watches each epoch's spikes (a reward contingency, a task's decision
  // window). May be added at any time, also between runs: an observer added
  // after the first run sees the epochs from the next run on.
  std::uint32_t add_observer(std::unique_ptr<SpikeObserver> observer);
  SpikeObserver& observer(std::uint32_t i) { return *observers_.at(i); }
  // Registers a receiver of events (a task, a dopamine source): returns its id.
  std::uint32_t add_handler(EventHandler* handler);
  void set_sink(RecordSink* sink);

  std::size_t num_populations() const { return populations_.size(); }
  Population& population(std::uint32_t i) { return *populations_.at(i); }
  const Population& population(std::uint32_t i) const { return *populations_.at(i); }
  // Index of a population by name; throws std::out_of_range if none.
  std::uint32_t population_index(const std::string& name) const;
  // The handler id under which events reach population `i` (a rate change of a
  // poisson_source, say: Event{.handler = population_handler(i), ...}).
  std::uint32_t population_handler(std::uint32_t i) const { return population_handler_.at(i); }
  std::size_t num_projections() const { return projections_.size(); }
  Projection& projection(std::uint32_t i) { return *projections_.at(i); }
  const Projection& projection(std::uint32_t i) const { return *projections_.at(i); }
  std::size_t num_devices() const { return devices_.size(); }
  InputDevice& device(std::uint32_t i) { return *devices_.at(i); }
  // Index of a device by name; throws std::out_of_range if none.
  std::uint32_t device_index(const std::string& name) const;
  // The handler id under which events reach device `i` (an amplitude change of
  // a dc_current, say).
  std::uint32_t device_handler(std::uint32_t i) const { return device_handler_.at(i); }
  std::size_t num_neurons() const { return next_gid_; }
  std::size_t num_spike_recorders() const { return spike_recorders_.size(); }
  const SpikeRecorder& spike_recorder(std::uint32_t i) const { return *spike_recorders_.at(i); }
  std::size_t num_state_recorders() const { return state_recorders_.size(); }
  const StateRecorder& state_recorder(std::uint32_t i) const { return *state_recorders_.at(i); }
  std::size_t num_synapses() const;
  std::size_t num_volumes() const { return volumes_.size(); }
  DopamineVolume& volume(std::uint32_t i) { return *volumes_.at(i); }
  const DopamineVolume& volume(std::uint32_t i) const { return *volumes_.at(i); }
  // Index of a volume by name; throws std::out_of_range if none.
  std::uint32_t volume_index(const std::string& name) const;
  std::size_t num_synapse_recorders() const { return synapse_recorders_.size(); }
  const SynapseRecorder& synapse_recorder(std::uint32_t i) const {
    return *synapse_recorders_.at(i);
  }
  std::size_t num_neuromodulator_recorders() const { return neuromodulator_recorders_.size(); }
  std::size_t num_observers() const { return observers_.size(); }
  const SpikeObserver& observer(std::uint32_t i) const { return *observers_.at(i); }
  const NeuromodulatorRecorder& neuromodulator_recorder(std::uint32_t i) const {
    return *neuromodulator_recorders_.at(i);
  }

  EventQueue& events() { return queue_; }
  void schedule(Event e) { queue_.schedule(e); }
  // A pulse of dopamine: `amount` added to the level of volume `volume` at `step`.
  void pulse(std::uint32_t volume, Step step, double amount);

  // Runs `steps` steps from now(). Stops early, at the end of an epoch, when
  // `stop` is set (from a signal handler, say); returns the steps run.
  // Throws GuardViolation (at an epoch boundary, every spike so far recorded)
  // when a numerical guard finds a blow-up (core/guards.hpp), and rethrows,
  // at the end of the epoch, whatever a phase or the progress callback threw.
  Step run(Step steps);
  void set_stop_flag(const std::atomic<bool>* stop) { stop_ = stop; }
  // Called by one thread at the end of every epoch with (now, end of run):
  // progress displays, and flushing results to disk while a run goes on.
  void set_progress(std::function<void(Step, Step)> progress) { progress_ = std::move(progress); }
  // The numerical guards (core/guards.hpp); on by default (finite values,
  // checked every 100 ms of simulated time, no rate bounds).
  void set_guards(GuardConfig guards);
  const GuardConfig& guards() const { return guards_; }

  Step now() const { return now_; }
  double now_ms() const { return resolution_.stamp_ms(now_); }
  const RunCounters& counters() const { return counters_; }
  const ExchangeCounters& exchange_counters() const { return exchange_counters_; }
  // Minimum and maximum delay over all projections (1 if there are none).
  Step min_delay() const;
  Step max_delay() const;
  // Steps between two spike exchanges: min delay + 1 (see the loop's
  // invariants), and at most D + 1 for every source-driven volume that a
  // population reads (D its delay in steps).
  Step epoch_steps() const;
  // The same, the shortest over all ranks (a collective; epoch_steps() with
  // one rank).
  Step epoch_steps_all_ranks() const;

  // Phase timing (PhaseTimes): two clock reads per population and step and
  // a few per epoch while on, nothing but a branch while off (the default).
  // Turning it on starts the figures afresh.
  void set_phase_timing(bool on);
  const std::vector<PhaseTimes>& phase_times() const { return phase_times_; }

  // Hands every recorder's buffered data to the sink. Over several ranks, a
  // collective (see share_recorders), made by every rank at the same point:
  // it makes all its collectives even when writing fails, then rethrows.
  void flush_recorders();

  // Checkpoints: everything that evolves in time. Load into a simulator built
  // from the same description (the same populations, projections, devices and
  // recorders); the thread count may differ.
  // Over several ranks both are collectives made by every rank: save()
  // writes, on rank 0 only, the checkpoint one process writes (the other
  // ranks' `out` is left untouched), and load() reads that checkpoint on any
  // rank count, each rank keeping what it owns (docs/mpi.md).
  void save(std::ostream& out);
  void load(std::istream& in);

 private:
  void prepare();
  void update_block(int thread, Step from, Step to, PhaseTimes* times);
  void merge_spikes();
  void hand_over_recorders();
  void save_header(CheckpointWriter& w) const;
  void save_whole(CheckpointWriter& w) const;
  void save_over_ranks(std::ostream& out);
  void route_sinks();
  // Every population's neurons on this rank, shared among `threads`.
  std::vector<Partition> partitions(int threads) const;
  void exchange_spikes(bool stop, bool failed);
  void begin_delivery(Step from, Step to);
  void deliver(int part, Step from, Step to);
  void end_delivery(Step from, Step to);
  void handle_events_at(Step step);
  void update_levels(Step from, Step to);
  void watch_guards();
  void check_guards(bool window_end);

  SimulatorConfig config_;
  Resolution resolution_;
  std::vector<std::unique_ptr<Population>> populations_;
  std::vector<std::unique_ptr<Projection>> projections_;
  std::vector<std::unique_ptr<InputDevice>> devices_;
  std::vector<std::uint32_t> population_handler_;  // per population: its handler id
  std::vector<std::uint32_t> device_handler_;      // per device: its handler id
  std::vector<std::unique_ptr<SpikeRecorder>> spike_recorders_;
  std::vector<std::unique_ptr<StateRecorder>> state_recorders_;
  std::vector<Step> state_recorder_start_;
  std::vector<EventHandler*> handlers_;
  std::vector<std::unique_ptr<DopamineVolume>> volumes_;
  std::vector<DopamineVolume*> volume_ptrs_;
  std::vector<std::uint32_t> volume_handler_;
  std::vector<std::int64_t> reads_volume_;   // per population: the volume it reads, or -1
  std::vector<std::uint32_t> read_volumes_;  // volumes some population reads (after prepare)
  std::vector<std::vector<double>> levels_;  // per population: its volume's level per step
                                             // of the current segment
  std::vector<std::unique_ptr<SynapseRecorder>> synapse_recorders_;
  std::vector<std::unique_ptr<NeuromodulatorRecorder>> neuromodulator_recorders_;
  std::vector<std::unique_ptr<SpikeObserver>> observers_;
  std::vector<std::uint32_t> gid_offsets_;                    // per population, for observers
  std::vector<InputBuffer> inputs_;                           // one per population
  std::vector<Partition> partitions_;                         // one per population
  std::vector<std::vector<std::uint32_t>> devices_of_;        // per population
  std::vector<std::vector<std::uint32_t>> projections_from_;  // per source population
  // spikes_[thread][population]: spikes of the current epoch, in (step, gid) order.
  std::vector<std::vector<std::vector<SpikeEvent>>> spikes_;
  std::vector<std::vector<SpikeEvent>> merged_;  // per population, all threads
  std::vector<std::uint64_t> delivered_;         // synaptic events per thread
  EventQueue queue_;
  RecordSink* sink_ = nullptr;
  const std::atomic<bool>* stop_ = nullptr;
  std::function<void(Step, Step)> progress_;
  GuardConfig guards_;
  Step guard_checked_ = 0;           // the step of the last check that found nothing
  Step guard_window_ = 0;            // where the current window of the rate bounds began
  Step synapses_checked_ = 0;        // the step of the last scan of plastic synapses
  std::uint64_t guard_windows_ = 0;  // windows checked (synapses: every tenth)
  // Per population with a rate bound: its spikes per neuron since the last
  // check (empty for the others).
  std::vector<std::vector<std::uint32_t>> guard_spikes_;
  Step now_ = 0;
  std::uint32_t next_gid_ = 0;
  bool prepared_ = false;
  RunCounters counters_;
  Communicator* communicator_ = nullptr;
  // Set by the exchange of the last epoch when some rank was asked to stop
  // or failed: the ranks then end the run at the same epoch.
  bool ranks_stop_ = false;
  int failed_rank_ = -1;  // the first rank that failed, as the last exchange told
  std::vector<std::byte> exchange_all_;
  std::vector<std::size_t> exchange_counts_;
  std::vector<SpikeEvent> exchange_mine_;
  ExchangeCounters exchange_counters_;
  std::unique_ptr<RankGather> rank_gather_;  // over several ranks, after share_recorders()
  // Per weight recorder, on rank 0: every rank's columns in one-process order.
  std::vector<std::vector<std::pair<std::uint32_t, std::uint32_t>>> whole_columns_;
  bool flush_requested_ = false;  // by this rank, for the next exchange
  bool flush_agreed_ = false;     // by some rank, in the last exchange
  Step last_flush_ = -1;
  bool phase_timing_ = false;
  std::vector<PhaseTimes> phase_times_;  // per thread, while phase_timing_
};

}  // namespace bgsim
