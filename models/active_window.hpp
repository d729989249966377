#pragma once
// The active window of an input device: steps n with start_ms <= n·dt <
// stop_ms, stop open by default. Shared by the current devices
// (models/current_sources.hpp, models/uniform_current.hpp): the struct, the
// two parameter entries with units and the check that stop does not precede
// start.

#include <cmath>
#include <vector>

#include "core/parameters.hpp"
#include "core/time.hpp"

namespace bgsim::models {

struct ActiveWindow {
  Step start = 0, stop = 0;  // [start, stop) in steps; stop < 0 means open
  bool active(Step n) const { return n >= start && (stop < 0 || n < stop); }
  static ActiveWindow from_ms(const Resolution& r, double start_ms, double stop_ms) {
    return {r.round_to_steps(start_ms), std::isinf(stop_ms) ? Step{-1} : r.round_to_steps(stop_ms)};
  }
};

// Appends the start_ms and stop_ms entries of a Params with those members.
template <class P>
void window_params(std::vector<typename ParamTable<P>::Entry>& entries) {
  entries.push_back(
      {{"start_ms", "ms", Constraint::nonnegative, "first active time"}, &P::start_ms});
  entries.push_back({{"stop_ms", "ms", Constraint::nonnegative_or_infinite,
                      "end of the active window (exclusive); open by default"},
                     &P::stop_ms});
}

template <class P>
void check_window(const P& p, std::vector<ParamError>& errors) {
  if (p.stop_ms < p.start_ms) errors.push_back({"stop_ms", "must not precede start_ms"});
}

}  // namespace bgsim::models
