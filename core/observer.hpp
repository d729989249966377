#pragma once
// Observers watch the spikes of an epoch once they are merged and may act on
// the simulation through events (a reward that follows a pairing of two
// neurons, a task that reads a decision). They run on one thread after
// delivery, in the order they were added, and see every population's spikes
// of the epoch in (step, gid) order; what they schedule must lie after the
// epoch (at or after its end).

#include <span>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "core/checkpoint.hpp"
#include "core/event_queue.hpp"
#include "core/population.hpp"
#include "core/time.hpp"

namespace bgsim {

struct ObserverContext {
  Resolution resolution;
  std::uint64_t seed = 0;
  EventQueue* events = nullptr;
  // Handler ids of the simulator's dopamine volumes, by volume index.
  std::span<const std::uint32_t> volume_handlers;
  // First global id of each population, by population index.
  std::span<const std::uint32_t> gid_offsets;
};

// A small table an observer leaves for the results folder (a stimulus log,
// say): written as <name>.csv with a header row when the run ends.
struct ResultTable {
  using Cell = std::variant<double, std::string>;
  std::string name;                     // file stem: letters, digits, '_', '-', '.'
  std::vector<std::string> columns;     // the header
  std::vector<std::vector<Cell>> rows;  // each as long as the header
};

class SpikeObserver {
 public:
  explicit SpikeObserver(std::string name) : name_(std::move(name)) {}
  virtual ~SpikeObserver() = default;
  const std::string& name() const { return name_; }

  virtual void prepare(const ObserverContext& ctx) = 0;
  // `spikes[p]`: the epoch's spikes of population p, stamped in (from, to].
  virtual void observe(std::span<const std::vector<SpikeEvent>> spikes, Step from, Step to) = 0;
  // Figures for the manifest (name, value).
  virtual std::vector<std::pair<std::string, double>> summary() const { return {}; }
  // Tables for the results folder, complete up to the time reached.
  virtual std::vector<ResultTable> tables() const { return {}; }

  virtual void save(CheckpointWriter& w) const = 0;
  virtual void load(CheckpointReader& r) = 0;

 private:
  std::string name_;
};

}  // namespace bgsim
