#pragma once
// A volume of dopamine: one level d(t), shared by every synapse and neuron
// that reads it (the "volume transmitter" of NEST), driven by the spikes of a
// source population (an SNc population, or a spike_source in tests) and by
// direct pulses (reward from a task):
//
//   d'(t) = −(d − d0)/τ_d + k · Σ_spikes δ(t − t_s − D) + Σ_pulses a_p · δ(t − t_p)
//
// with d0 the baseline, τ_d the decay, k the increment per source spike and D
// the delay from a source spike to its effect. Between jumps the level is
// d(t) = d0 + (d(t_j) − d0) · e^{−(t − t_j)/τ_d}: it is stored only at its
// jumps ("knots"), never advanced per step.
//
// When a jump takes effect (docs/conventions.md, "Dopamine"):
// * a source spike stamped k (time k·dt) raises d at step k + D, D = round(delay_ms/dt) >= 0;
//   with the default delay 0 the level jumps at the spike's own time stamp;
// * a pulse is an event for this volume (Event::value = amount, may be negative:
//   a dip) and raises d at the event's step; one scheduled for a step already
//   committed (in the past) takes effect at the earliest step still open;
// * all jumps at one step form one knot: the level just after them. Their
//   amounts are added in a fixed order (source spikes by gid, then pulses by
//   scheduling order), so the level is the same for every thread count and
//   every split of a run.
//
// Commitment: the kernel calls commit(H) once per epoch, after the epoch's
// spikes are known; every jump before step H is then final, and plastic
// projections read the committed knots (core/dopamine_integral.hpp). A
// synapse's dopamine integral up to time t needs only the jumps before t, so
// every update a delivery makes (at times <= H) is exact.
//
// A volume that neurons read (Simulator::read_neuromodulator) is also
// committed piecewise within the epoch, by extend(H) at the start of every
// segment of neuron updates, so that the update of step n can see the level at
// step n. That is possible because the kernel keeps such a volume's jumps
// known ahead: its epochs are at most D + 1 steps long when it has a source
// (docs/conventions.md, "When a population sees a dopamine change"). The knots
// built piecewise are the knots commit() would have built at once: each is
// the previous one decayed plus the sorted jumps of its own step.
//
// References: Izhikevich EM (2007) Solving the distal reward problem through
// linkage of STDP and dopamine signaling. Cereb Cortex 17:2443–2452 (d' = −d/τ_d
// + DA(t)); NEST volume_transmitter and stdp_dopamine_synapse documentation
// (each dopamine spike adds 1/τ_n).

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/checkpoint.hpp"
#include "core/event_queue.hpp"
#include "core/parameters.hpp"
#include "core/population.hpp"
#include "core/time.hpp"

namespace bgsim {

class DopamineVolume final : public EventHandler {
 public:
  struct Params {
    double tau_ms = 200.0;           // decay time constant τ_d of the level [ms]
    double baseline = 0.0;           // level d0 without input [1]
    double spike_increment = 0.005;  // k, added per source spike [1]; NEST adds 1/τ_n (1/200 ms)
    double delay_ms = 0.0;           // D, from a source spike's stamp to its jump [ms], >= 0
  };
  static const ParamTable<Params>& param_table();
  static constexpr std::string_view model_name = "dopamine";

  // The level just after every jump at `step`.
  struct Knot {
    Step step = 0;
    double level = 0.0;
  };
  static_assert(sizeof(Knot) == 16, "written raw into checkpoints: no padding (checkpoint.hpp)");

  // `source`: index of the population whose spikes drive the volume, or -1.
  // `initial`: the level at time 0 (finite); without it, the baseline.
  DopamineVolume(std::string name, const Params& params, std::int64_t source = -1,
                 std::optional<double> initial = std::nullopt);

  const std::string& name() const { return name_; }
  const Params& params() const { return params_; }
  ParamMap param_map() const { return param_table().to_map(params_); }
  std::int64_t source() const { return source_; }
  std::uint32_t handler_id() const { return handler_id_; }
  Step delay_steps() const { return delay_; }
  const Resolution& resolution() const { return resolution_; }

  // Before the first step: the resolution fixes the delay in steps.
  void prepare(const Resolution& resolution, std::uint32_t handler_id);

  // A pulse: Event::value is the amount added to the level at Event::step.
  void handle(const Event& e) override;

  // Kernel, one thread: the source population's spikes of the epoch, in
  // (step, gid) order; then commit(horizon) makes final every jump before it.
  // Every jump before `horizon` must be known (taken or handled) by then.
  void take_spikes(std::span<const SpikeEvent> spikes);
  void commit(Step horizon);
  // Like commit(), but the knots it makes stay in knots() until the next
  // commit() (which closes the window): the kernel extends a volume that
  // neurons read at every segment of an epoch and commits it at the epoch's end.
  void extend(Step horizon);

  // Steps before this are final.
  Step horizon() const { return horizon_; }
  // The knots committed since the window opened (by the first commit() or
  // extend() after the last commit()), preceded by the last knot before them:
  // enough to evaluate the level at any step in [window start, horizon).
  std::span<const Knot> knots() const { return knots_; }
  // Number of knots committed so far (the first of knots() has index
  // committed() − knots().size()).
  std::uint64_t committed() const { return committed_; }
  // The level at `step` (after the jumps at `step`); `step` must not precede
  // the first of knots() and must be before horizon().
  double level(Step step) const;

  void save(CheckpointWriter& w) const;
  void load(CheckpointReader& r);

 private:
  void append(Step horizon);  // commit() and extend() without their window rule

  struct Pending {
    Step step;
    std::uint64_t kind;   // 0: a source spike, 1: a pulse (spikes first within a step)
    std::uint64_t order;  // gid for spikes, scheduling sequence for pulses
    double amount;
  };
  static_assert(sizeof(Pending) == 32, "written raw into checkpoints: no padding (checkpoint.hpp)");
  std::string name_;
  Params params_;
  std::int64_t source_;
  Resolution resolution_;
  Step delay_ = 0;
  std::uint32_t handler_id_ = 0;
  Step horizon_ = 0;
  std::uint64_t committed_ = 1;  // the initial knot (step 0, the initial level)
  bool window_open_ = false;     // extend() since the last commit(): keep the knots
  std::vector<Knot> knots_;
  std::vector<Pending> pending_;
};

}  // namespace bgsim
