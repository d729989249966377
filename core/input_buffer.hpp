#pragma once
// The input ring buffers of one population: for every receptor channel, one
// array of per-neuron sums for each of the next `slots` steps. A spike with
// arrival step a adds its weight at slot a mod slots; the update of step n
// reads slot n mod slots, and the slot is cleared right after, so it can take
// arrivals `slots` steps later. slots is a power of two above the largest
// delay, so the slot of a step is a mask, not a division.
//
// Layout: channel-major, then slot, then neuron, so that the update of one
// step reads each channel as one contiguous array.

#include <algorithm>
#include <bit>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/checkpoint.hpp"
#include "core/communicator.hpp"
#include "core/time.hpp"

namespace bgsim {

class InputBuffer {
 public:
  void resize(std::size_t channels, Step max_delay, std::size_t neurons) {
    channels_ = channels;
    slots_ = std::bit_ceil(static_cast<std::uint64_t>(max_delay) + 1);
    mask_ = static_cast<Step>(slots_ - 1);
    n_ = neurons;
    data_.assign(channels_ * slots_ * n_, 0.0);
    written_.assign(channels_, 0);
  }

  // Declares that something (a projection, a device) writes into `channel`.
  // Channels nobody writes stay zero and are never cleared: a third of the
  // clearing of a LIF population driven by synapses alone.
  void set_written(std::size_t channel) { written_.at(channel) = 1; }
  bool written(std::size_t channel) const { return written_[channel] != 0; }

  std::size_t channels() const { return channels_; }
  std::size_t slots() const { return slots_; }

  double* slot(std::size_t channel, Step step) {
    return data_.data() + (channel * slots_ + static_cast<std::size_t>(step & mask_)) * n_;
  }

  void add(std::size_t channel, Step arrival, std::uint32_t neuron, double weight) {
    slot(channel, arrival)[neuron] += weight;
  }

  // Zeroes neurons [begin, end) of every written channel's slot for `step`.
  void clear(Step step, std::size_t begin, std::size_t end) {
    for (std::size_t c = 0; c < channels_; ++c) {
      if (!written_[c]) continue;
      double* s = slot(c, step);
      std::fill(s + begin, s + end, 0.0);
    }
  }

  std::size_t bytes() const { return data_.size() * sizeof(double); }

  void save(CheckpointWriter& w) const {
    w.section("input_buffer");
    w.value<std::uint64_t>(slots_);
    w.vector(data_);
  }
  void load(CheckpointReader& r) {
    r.section("input_buffer");
    if (r.value<std::uint64_t>() != slots_)
      throw std::runtime_error("checkpoint: ring buffer of another length (different delays?)");
    r.vector(data_, static_cast<std::int64_t>(data_.size()));
  }
  // Over ranks (docs/mpi.md): every rank's save(), in rank order, as one
  // process writes it: each neuron's input in flight from the rank that owns
  // it (only the owner's synapses and devices write into a neuron's slots).
  void save_merged(std::span<CheckpointReader> parts, CheckpointWriter& w) const {
    std::vector<double> whole(data_.size(), 0.0), part;
    const int ranks = static_cast<int>(parts.size());
    for (int q = 0; q < ranks; ++q) {
      parts[q].section("input_buffer");
      if (parts[q].value<std::uint64_t>() != slots_)
        throw std::runtime_error("checkpoint: ring buffers of another length on rank " +
                                 std::to_string(q));
      parts[q].vector(part, static_cast<std::int64_t>(data_.size()));
      const RankBlock b = RankBlock::of(n_, q, ranks);
      for (std::size_t row = 0; row < channels_ * slots_; ++row)
        std::copy(part.begin() + static_cast<std::ptrdiff_t>(row * n_ + b.first),
                  part.begin() + static_cast<std::ptrdiff_t>(row * n_ + b.last),
                  whole.begin() + static_cast<std::ptrdiff_t>(row * n_ + b.first));
    }
    w.section("input_buffer");
    w.value<std::uint64_t>(slots_);
    w.vector(whole);
  }

 private:
  std::size_t channels_ = 0, slots_ = 1, n_ = 0;
  Step mask_ = 0;
  std::vector<double> data_;
  std::vector<std::uint8_t> written_;  // per channel: has a writer
};

}  // namespace bgsim
