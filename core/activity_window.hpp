#pragma once
// A window on a running network: the spikes of chosen populations and the
// mean level of chosen dopamine volumes since the window was opened. What a
// task reads from a network (the spike counts of action populations in a
// decision window; the dopamine cells' rate and the dopamine level around an
// outcome).
//
// The window covers every epoch observed since the last open(). Runs stop
// exactly where asked (Simulator::run), so open() before running the steps
// [a, b) and reading after them gives the spikes emitted in the updates of
// steps a … b − 1, stamped a + 1 … b (docs/conventions.md, "Spike time
// stamps"), and the volume levels at steps a … b − 1 (after the jumps at each
// step, as a neuromodulator recorder shows them). Spikes themselves are kept
// when asked (a raster of one trial).

#include <cmath>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/neuromodulator.hpp"
#include "core/observer.hpp"

namespace bgsim {

class ActivityWindow final : public SpikeObserver {
 public:
  // `populations`: simulator indices of the populations whose spikes are
  // counted; `volumes`: the volumes whose level is averaged (they must outlive
  // the window: the simulator's own).
  ActivityWindow(std::string name, std::vector<std::uint32_t> populations,
                 std::vector<const DopamineVolume*> volumes = {}, bool keep_spikes = false)
      : SpikeObserver(std::move(name)),
        populations_(std::move(populations)),
        volumes_(std::move(volumes)),
        counts_(populations_.size(), 0),
        level_sums_(volumes_.size(), 0.0),
        keep_(keep_spikes) {}

  // Forgets what was seen: the window starts with the next epoch.
  void open() {
    counts_.assign(counts_.size(), 0);
    level_sums_.assign(level_sums_.size(), 0.0);
    steps_ = 0;
    spikes_.clear();
  }
  // Spikes per watched population since open(), in the order of construction.
  const std::vector<std::uint64_t>& counts() const { return counts_; }
  // Steps observed since open().
  Step steps() const { return steps_; }
  // Mean level of watched volume k over the steps observed (NaN if none).
  double mean_level(std::size_t k) const {
    return steps_ ? level_sums_.at(k) / static_cast<double>(steps_) : std::nan("");
  }
  // The kept spikes: epoch by epoch, and within an epoch population by
  // population in the order of construction, each in (step, gid) order; so
  // the spikes of one population are in time order.
  const std::vector<SpikeEvent>& spikes() const { return spikes_; }
  const std::vector<std::uint32_t>& populations() const { return populations_; }

  void prepare(const ObserverContext&) override {}
  // Called after the epoch's delivery: the volumes are committed up to `to`,
  // so their levels at [from, to) are final and readable.
  void observe(std::span<const std::vector<SpikeEvent>> spikes, Step from, Step to) override {
    for (std::size_t k = 0; k < populations_.size(); ++k) {
      const auto& list = spikes[populations_[k]];
      counts_[k] += list.size();
      if (keep_) spikes_.insert(spikes_.end(), list.begin(), list.end());
    }
    for (std::size_t k = 0; k < volumes_.size(); ++k)
      for (Step n = from; n < to; ++n)
        level_sums_[k] += volumes_[k]->level(n);
    steps_ += to - from;
  }

  void save(CheckpointWriter& w) const override {
    w.section(name());
    w.vector(counts_);
    w.vector(level_sums_);
    w.value(steps_);
    w.vector(spikes_);
  }
  void load(CheckpointReader& r) override {
    r.section(name());
    r.vector(counts_);
    r.vector(level_sums_);
    steps_ = r.value<Step>();
    r.vector(spikes_);
  }

 private:
  std::vector<std::uint32_t> populations_;
  std::vector<const DopamineVolume*> volumes_;
  std::vector<std::uint64_t> counts_;
  std::vector<double> level_sums_;
  Step steps_ = 0;
  std::vector<SpikeEvent> spikes_;
  bool keep_ = false;
};

}  // namespace bgsim
