#pragma once
// A population: a group of neurons of one model, state stored
// structure-of-arrays, updated one step at a time over a contiguous range of
// its neurons (the range a thread owns). The kernel talks to populations only
// through this interface and never names a model.

#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/checkpoint.hpp"
#include "core/event_queue.hpp"
#include "core/parameters.hpp"
#include "core/time.hpp"

namespace bgsim {

// One spike as the kernel moves it: stamped at `step` (see core/time.hpp),
// from neuron `gid` (global id) of population `population`.
struct SpikeEvent {
  Step step = 0;
  std::uint32_t gid = 0;
  std::uint32_t population = 0;
};
static_assert(sizeof(SpikeEvent) == 16,
              "written raw into checkpoints: no padding (checkpoint.hpp)");

// How a model reads an input channel.
enum class ReceptorKind : std::uint8_t {
  spike,    // weights of arriving spikes, summed per step (a jump or a pulse, as the model says)
  current,  // a current held constant over the step (injected by devices) [pA or model units]
};

// Which spike weights a receptor accepts. A conductance jump is a magnitude
// (>= 0); whether it excites or inhibits is the receptor's reversal potential,
// not the weight's sign. Checked when a projection is added.
enum class WeightSign : std::uint8_t {
  any,          // signed weights (currents: inhibitory weights are negative by convention)
  nonnegative,  // weights >= 0 (conductance jumps)
};

struct Receptor {
  std::string_view name;  // "excitatory", "inhibitory", "current", ...
  ReceptorKind kind;
  std::string_view unit;  // unit of the summed input (e.g. "pA", "nS", "mV")
  WeightSign sign = WeightSign::any;
};

struct StateVarInfo {
  std::string name;
  std::string unit;
};

// What a population needs to know once the resolution is fixed.
struct PrepareContext {
  Resolution resolution;
  std::uint64_t seed = 0;
  EventQueue* events = nullptr;  // to schedule its own events (rate changes, spike times)
  std::uint32_t handler_id = 0;  // the id under which events reach this population
};

// Everything an update of one step over a range of neurons may read or write.
struct UpdateContext {
  Step step = 0;                         // the update carries state from step to step + 1
  const double* const* input = nullptr;  // input[channel][local neuron] for this step
  // The same arrays, writable, when the population consumes its input
  // (Population::consumes_input): the update then leaves [begin, end) of
  // every channel that is not silent zero once read, and the kernel does not
  // clear the slot in a second pass. nullptr otherwise.
  double* const* consume = nullptr;
  // Bit c set: nothing (no projection, no device) writes channel c, so its
  // input is zero at every step; a model may skip reading it.
  std::uint32_t silent = 0;
  std::vector<SpikeEvent>* spikes = nullptr;  // where spikes (stamped step + 1) go
  std::uint32_t gid_offset = 0;
  std::uint32_t population = 0;
  std::uint64_t seed = 0;
  // The level of the neuromodulator the population reads (Simulator::
  // read_neuromodulator) at `step`, after the jumps at `step`: the level a
  // neuromodulator recorder shows at that step. nullptr if it reads none.
  const double* neuromodulator = nullptr;

  void emit(std::size_t local) const {
    spikes->push_back({step + 1, gid_offset + static_cast<std::uint32_t>(local), population});
  }
};

class Population : public EventHandler {
 public:
  Population(std::string name, std::size_t size) : name_(std::move(name)), size_(size) {}

  const std::string& name() const { return name_; }
  std::size_t size() const { return size_; }
  std::uint32_t gid_offset() const { return gid_offset_; }
  void set_gid_offset(std::uint32_t offset) { gid_offset_ = offset; }

  virtual std::string_view model() const = 0;
  virtual std::span<const Receptor> receptors() const = 0;
  virtual std::vector<StateVarInfo> state_vars() const = 0;
  virtual std::vector<ParamInfo> param_infos() const = 0;
  virtual ParamMap params() const = 0;  // every parameter, defaults filled in

  // Called once the resolution is known, before the first step.
  virtual void prepare(const PrepareContext& ctx) = 0;
  virtual void update(const UpdateContext& ctx, std::size_t begin, std::size_t end) = 0;
  // True if update() zeroes the input it reads when UpdateContext::consume
  // is set (folding the clearing of the ring-buffer slot into the update's
  // own pass over it: a tenth to a fifth of CUBA's time as a second pass).
  virtual bool consumes_input() const { return false; }

  // The array of a state variable (one value per neuron); nullptr if unknown.
  virtual double* state(std::string_view var) = 0;
  const double* state(std::string_view var) const {
    return const_cast<Population*>(this)->state(var);
  }

  virtual void save(CheckpointWriter& w) const = 0;
  virtual void load(CheckpointReader& r) = 0;
  // Over ranks (docs/mpi.md): `parts` are every rank's save() of this
  // population, in rank order; writes what one process writes, each neuron's
  // state from the rank that owns it (RankBlock). A rank loads the whole
  // one-process state with load() and updates its own block of it.
  virtual void save_merged(std::span<CheckpointReader> parts, CheckpointWriter& w) const {
    (void)parts;
    (void)w;
    throw std::runtime_error("checkpoint: population " + name_ + " (" + std::string(model()) +
                             ") cannot be checkpointed over several ranks");
  }

  // Why this population cannot read the level of a neuromodulator (its model
  // has nothing the level would act on, or its parameters leave the level
  // without effect); "" when it can.
  virtual std::string cannot_read_neuromodulator() const {
    return "model " + std::string(model()) + " has no parameter a neuromodulator acts on";
  }

  void handle(const Event&) override {}

  // Index of a receptor channel by name; -1 if the model has none of that name.
  int receptor_index(std::string_view receptor) const {
    const auto r = receptors();
    for (std::size_t i = 0; i < r.size(); ++i)
      if (r[i].name == receptor) return static_cast<int>(i);
    return -1;
  }

 private:
  std::string name_;
  std::size_t size_;
  std::uint32_t gid_offset_ = 0;
};

}  // namespace bgsim
