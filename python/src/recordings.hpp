#pragma once
// What a network run from Python records, kept in memory for NumPy: the
// record sink the kernel hands its recorders' blocks to (core/recorder.hpp),
// holding the same columns as a results folder's files (docs/results.md) —
// spike times in ms and neuron indices within their population, sample times
// in ms — so that an array from Python equals the CLI's .npy file bit for bit.

#include <cstdint>
#include <map>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/recorder.hpp"
#include "core/time.hpp"

namespace bgsim::python {

class Recordings final : public RecordSink {
 public:
  struct Spikes {
    std::uint32_t gid_offset = 0;       // first global id of the recorded population
    std::vector<double> time_ms;        // stamps, ms (Resolution::stamp_ms)
    std::vector<std::uint32_t> neuron;  // index within the population
  };
  struct Samples {
    std::size_t width = 0;        // values per row
    std::vector<double> time_ms;  // one per row, ms
    std::vector<double> values;   // rows × width, row-major
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
      s.time_ms.push_back(resolution_.stamp_ms(e.step));
      s.neuron.push_back(e.gid - s.gid_offset);
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
    s.values.insert(s.values.end(), values.begin(), values.end());
  }

  const Spikes& spikes_of(const std::string& recorder) const { return spikes_.at(recorder); }
  const Samples& samples_of(const std::string& recorder) const { return samples_.at(recorder); }

 private:
  Resolution resolution_;
  std::map<std::string, Spikes> spikes_;
  std::map<std::string, Samples> samples_;
};

}  // namespace bgsim::python
