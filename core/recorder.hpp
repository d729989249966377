#pragma once
// Recorders keep what a run produces in bounded memory and hand it, in blocks,
// to a RecordSink (the in-memory sink below for tests and embedding; the sink
// that writes a results folder is io::FileSink, core/io/results_folder.hpp).
//
// * SpikeRecorder: spikes of a population (all neurons or a subset), with
//   their step stamps and global ids.
// * StateRecorder: one state variable of a population (all neurons or a
//   subset), sampled every `interval` steps. A sample at step n is the state at
//   time n·dt, before the update of step n (samples are events in the queue).
// * SynapseRecorder (JSON "weight_recorder"): the weight or eligibility of
//   chosen synapses of a plastic projection, every `interval` steps. A sample
//   at step n is the synapse state at time n·dt after every spike stamped <= n,
//   advanced in closed form from its last update without being committed:
//   recording never changes a run.
// * NeuromodulatorRecorder: the level of a dopamine volume (after the jumps
//   at step n) every `interval` steps.
// The last two are taken by the kernel when an epoch's spikes are delivered,
// which is the first moment the state at every step of the epoch is known
// (see Simulator::run).

#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/checkpoint.hpp"
#include "core/event_queue.hpp"
#include "core/population.hpp"

namespace bgsim {

class RecordSink {
 public:
  virtual ~RecordSink() = default;
  virtual void spikes(const std::string& recorder, std::span<const SpikeEvent> spikes) = 0;
  // `values` holds steps.size() rows of `width` values each.
  virtual void samples(const std::string& recorder, std::span<const Step> steps,
                       std::span<const double> values, std::size_t width) = 0;
};

// Keeps everything in memory: for tests and for embedding bgsim in a program.
class MemorySink final : public RecordSink {
 public:
  struct Samples {
    std::vector<Step> steps;
    std::vector<double> values;
    std::size_t width = 0;
  };
  void spikes(const std::string& recorder, std::span<const SpikeEvent> s) override {
    auto& v = spikes_[recorder];
    v.insert(v.end(), s.begin(), s.end());
  }
  void samples(const std::string& recorder, std::span<const Step> steps,
               std::span<const double> values, std::size_t width) override {
    auto& s = samples_[recorder];
    s.width = width;
    s.steps.insert(s.steps.end(), steps.begin(), steps.end());
    s.values.insert(s.values.end(), values.begin(), values.end());
  }
  const std::vector<SpikeEvent>& spikes_of(const std::string& recorder) {
    return spikes_[recorder];
  }
  const Samples& samples_of(const std::string& recorder) { return samples_[recorder]; }
  void clear() {
    spikes_.clear();
    samples_.clear();
  }

 private:
  std::map<std::string, std::vector<SpikeEvent>> spikes_;
  std::map<std::string, Samples> samples_;
};

class SpikeRecorder {
 public:
  // `subset`: local indices to record, empty for all. `capacity`: spikes kept
  // before the buffer is handed to the sink.
  SpikeRecorder(std::string name, std::uint32_t population, std::vector<std::uint32_t> subset,
                std::size_t capacity = 1 << 16);

  const std::string& name() const { return name_; }
  std::uint32_t population() const { return population_; }
  const std::vector<std::uint32_t>& subset() const { return subset_; }

  // Takes the spikes of its population (in (step, gid) order).
  void record(std::span<const SpikeEvent> spikes, std::uint32_t gid_offset, RecordSink* sink);
  void flush(RecordSink* sink);

  void save(CheckpointWriter& w) const;
  void load(CheckpointReader& r);

 private:
  std::string name_;
  std::uint32_t population_;
  std::vector<std::uint32_t> subset_;  // sorted
  std::vector<bool> selected_;         // per local neuron, when subset_ is not empty
  std::size_t capacity_;
  std::vector<SpikeEvent> buffer_;
};

class StateRecorder : public EventHandler {
 public:
  StateRecorder(std::string name, std::uint32_t population, std::string variable,
                std::vector<std::uint32_t> subset, Step interval, std::size_t capacity = 1 << 20);

  const std::string& name() const { return name_; }
  std::uint32_t population() const { return population_; }
  const std::string& variable() const { return variable_; }
  const std::vector<std::uint32_t>& subset() const { return subset_; }
  Step interval() const { return interval_; }

  // Binds to the recorded population and schedules the first sample at `start`.
  void prepare(Population& pop, EventQueue& queue, std::uint32_t handler_id, Step start);
  void set_sink(RecordSink* sink) { sink_ = sink; }
  void handle(const Event& e) override;  // takes a sample, schedules the next
  void flush();

  void save(CheckpointWriter& w) const;
  void load(CheckpointReader& r);

 private:
  std::string name_;
  std::uint32_t population_;
  std::string variable_;
  std::vector<std::uint32_t> subset_;
  Step interval_;
  std::size_t capacity_rows_;
  const double* data_ = nullptr;
  std::size_t width_ = 0;
  EventQueue* queue_ = nullptr;
  std::uint32_t handler_id_ = 0;
  RecordSink* sink_ = nullptr;
  std::vector<Step> steps_;
  std::vector<double> values_;
};

// Rows of samples taken at delivery: the steps of an epoch's samples are known
// when the epoch's delivery begins; rows are then filled (by several threads,
// each its own columns) and handed on when it ends.
class TraceRecorder {
 public:
  TraceRecorder(std::string name, Step interval, Step start, std::size_t capacity);
  virtual ~TraceRecorder() = default;

  const std::string& name() const { return name_; }
  Step interval() const { return interval_; }
  Step start() const { return start_; }
  std::size_t width() const { return width_; }
  void set_sink(RecordSink* sink) { sink_ = sink; }

  // The sample steps in [from, to); rows for them, zeroed.
  void begin_epoch(Step from, Step to);
  std::span<const Step> epoch_steps() const { return epoch_steps_; }
  double* row(std::size_t sample) { return epoch_values_.data() + sample * width_; }
  // Moves the epoch's rows into the buffer (handed to the sink when full).
  void end_epoch();
  void flush();

  void save(CheckpointWriter& w) const;
  void load(CheckpointReader& r);

 protected:
  void set_width(std::size_t width);

 private:
  std::string name_;
  Step interval_, start_, next_;
  std::size_t capacity_values_;
  std::size_t width_ = 0;
  RecordSink* sink_ = nullptr;
  std::vector<Step> epoch_steps_;
  std::vector<double> epoch_values_;
  std::vector<Step> steps_;
  std::vector<double> values_;
};

class SynapseRecorder final : public TraceRecorder {
 public:
  enum class Variable { weight, eligibility };
  // `sources`, `targets`: local indices; a synapse is recorded if its source is
  // among `sources` (or `sources` is empty) and its target among `targets` (or
  // empty). Columns follow the projection's canonical order: by (source,
  // target), multapses in connection order.
  SynapseRecorder(std::string name, std::uint32_t projection, Variable variable,
                  std::vector<std::uint32_t> sources, std::vector<std::uint32_t> targets,
                  Step interval, Step start = 0, std::size_t capacity = 1 << 20);

  std::uint32_t projection() const { return projection_; }
  Variable variable() const { return variable_; }
  static std::string_view variable_name(Variable v) {
    return v == Variable::weight ? "weight" : "eligibility";
  }
  bool selects(std::uint32_t source, std::uint32_t target) const;
  // Set by the projection when it is prepared: (source, target) per column.
  void set_columns(std::vector<std::pair<std::uint32_t, std::uint32_t>> columns);
  const std::vector<std::pair<std::uint32_t, std::uint32_t>>& columns() const { return columns_; }

 private:
  std::uint32_t projection_;
  Variable variable_;
  std::vector<bool> source_set_, target_set_;  // empty: all
  std::vector<std::pair<std::uint32_t, std::uint32_t>> columns_;
};

class NeuromodulatorRecorder final : public TraceRecorder {
 public:
  NeuromodulatorRecorder(std::string name, std::uint32_t volume, Step interval, Step start = 0,
                         std::size_t capacity = 1 << 16)
      : TraceRecorder(std::move(name), interval, start, capacity), volume_(volume) {
    set_width(1);
  }
  std::uint32_t volume() const { return volume_; }

 private:
  std::uint32_t volume_;
};

}  // namespace bgsim
