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

}  // namespace bgsim
