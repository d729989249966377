#pragma once
// Numerical guards: a run that has blown up stops instead of writing nonsense
// for hours (NEST's numerical-instability error; Auryn's rate checker).
//
// What is checked, by Simulator::run at the first epoch boundary after every
// window of `interval_ms` since the last check, and at the end of every run:
//  * every state variable of every neuron (V_m, u, synaptic currents, …) is
//    finite: not NaN, not ±infinity;
//  * the level of every dopamine volume is finite;
//  * (at every tenth window, and when a neuron is found non-finite, to name
//    the cause) the stored weight and eligibility state of every plastic
//    synapse is finite;
//  * (at window ends only) the mean rate of each population with a bound,
//    over the window just ended, is at most its `max_rate_Hz`.
// A violation throws GuardViolation, whose message names what was found (the
// population and neuron, the projection and synapse, or the volume), the
// variable, its value, the time of the check and of the last clean check.
// It is thrown at an epoch boundary, where every spike of the run so far has
// been delivered and recorded: the caller can still write the results.
//
// The cost: one pass over the neurons' state per window (100 ms of simulated
// time by default) and over the plastic synapses per ten windows, none in the
// step loop; for populations with a rate bound, one increment per spike.

#include <cstdint>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/population.hpp"
#include "core/time.hpp"

namespace bgsim {

struct GuardConfig {
  // Stop on a NaN or infinite neuron state, synapse state or dopamine level.
  bool finite = true;
  // Simulated time between two checks, and the window of the rate bounds
  // [ms], > 0; checks fall on the first epoch boundary after each window.
  double interval_ms = 100.0;
  // Per population (in the simulator's order), the highest mean rate per
  // neuron allowed over a window [Hz]; +infinity (or a missing entry): none.
  std::vector<double> max_rate_Hz;
};

// A guard found a non-finite value or a runaway rate; the message says where.
class GuardViolation : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The first neuron (lowest index) of `pop` with a non-finite state variable,
// as "neuron 17: V_m = nan mV"; nullopt when every value is finite.
std::optional<std::string> non_finite_state(const Population& pop);

// A value as a message shows it: "nan", "inf", "-inf", or the number.
std::string guard_value_text(double x);

}  // namespace bgsim
