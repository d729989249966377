#pragma once
// What a network run from Python records, kept in memory for NumPy: the
// record sink the kernel hands its recorders' blocks to (core/recorder.hpp),
// holding the same columns as a results folder's files (docs/results.md) —
// spike times in ms and neuron indices within their population, sample times
// in ms — so that an array from Python equals the CLI's .npy file bit for bit.
//
// Zero copy. Each recording is a SealedColumn: the rows appended since the
// last read, and the block of all earlier rows, sealed — never written again —
// once handed to NumPy. A read seals what there is and gives NumPy the block's
// own memory (module.cpp holds the block in the array's capsule, read-only):
// the first read after a run, and every read without new rows since, copy
// nothing; a read after more rows came joins the sealed block and the new
// rows into a new block once (arrays handed out earlier keep the old one).
// Spikes are stored as the file's packed records (time_ms <f8, neuron <u4;
// 12 bytes), so that they too go to NumPy as they are.

#include <cstdint>
#include <cstring>
#include <map>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/recorder.hpp"
#include "core/time.hpp"

namespace bgsim::python {

// One spike as <rec>_spikes.npy holds it: time_ms float64, neuron uint32,
// packed.
struct PackedSpike {
  unsigned char bytes[12];
};
static_assert(sizeof(PackedSpike) == 12);

template <class T>
class SealedColumn {
 public:
  using Block = std::shared_ptr<const std::vector<T>>;

  void push_back(const T& v) { open_.push_back(v); }
  template <class It>
  void append(It first, It last) {
    open_.insert(open_.end(), first, last);
  }
  std::size_t size() const { return (sealed_ ? sealed_->size() : 0) + open_.size(); }

  // Every row so far, as a block that never changes again.
  Block seal() {
    if (!sealed_) {
      sealed_ = std::make_shared<const std::vector<T>>(std::move(open_));
    } else if (!open_.empty()) {
      auto joined = std::make_shared<std::vector<T>>();
      joined->reserve(sealed_->size() + open_.size());
      joined->insert(joined->end(), sealed_->begin(), sealed_->end());
      joined->insert(joined->end(), open_.begin(), open_.end());
      sealed_ = std::move(joined);
    }
    open_ = std::vector<T>();
    return sealed_;
  }

 private:
  Block sealed_;
  std::vector<T> open_;
};

class Recordings final : public RecordSink {
 public:
  struct Spikes {
    std::uint32_t gid_offset = 0;       // first global id of the recorded population
    SealedColumn<PackedSpike> records;  // time_ms (stamp, ms) and index within the population
  };
  struct Samples {
    std::size_t width = 0;         // values per row
    SealedColumn<double> time_ms;  // one per row, ms
    SealedColumn<double> values;   // rows × width, row-major
  };

  explicit Recordings(Resolution resolution) : resolution_(resolution) {}

  // Registration, before the run.
  void add_spikes(const std::string& recorder, std::uint32_t gid_offset) {
    spikes_[recorder].gid_offset = gid_offset;
  }
  void add_samples(const std::string& recorder, std::size_t width) {
    samples_[recorder].width = width;
  }

  void spikes(const std::string& recorder, std::span<const SpikeEvent> spikes) override {
    Spikes& s = spikes_.at(recorder);
    for (const SpikeEvent& e : spikes) {
      const double t = resolution_.stamp_ms(e.step);
      const std::uint32_t neuron = e.gid - s.gid_offset;
      PackedSpike p;
      std::memcpy(p.bytes, &t, 8);
      std::memcpy(p.bytes + 8, &neuron, 4);
      s.records.push_back(p);
    }
  }
  void samples(const std::string& recorder, std::span<const Step> steps,
               std::span<const double> values, std::size_t width) override {
    Samples& s = samples_.at(recorder);
    if (width != s.width)
      throw std::logic_error("recorder " + recorder + " sent rows of " + std::to_string(width) +
                             " values; it was registered with " + std::to_string(s.width));
    for (Step step : steps)
      s.time_ms.push_back(resolution_.stamp_ms(step));
    s.values.append(values.begin(), values.end());
  }

  // For reading (sealing changes no value: hence mutable access).
  Spikes& spikes_of(const std::string& recorder) { return spikes_.at(recorder); }
  Samples& samples_of(const std::string& recorder) { return samples_.at(recorder); }

 private:
  Resolution resolution_;
  std::map<std::string, Spikes> spikes_;
  std::map<std::string, Samples> samples_;
};

}  // namespace bgsim::python
