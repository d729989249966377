#pragma once
// Simulated time. Inside the kernel time is an integer number of steps of the
// resolution dt; milliseconds appear only at the edges (descriptions, results).
//
// Conventions (pinned by tests/core/test_time.cpp and tests/core/test_delivery.cpp,
// written out in docs/conventions.md):
//
// * Step n is the interval [n·dt, (n+1)·dt). The state "at step n" is the state
//   at time n·dt. The update of step n carries every neuron from n·dt to (n+1)·dt.
// * Spike time stamp: a neuron whose threshold is crossed during the update of
//   step n spikes at step n+1; its time stamp is (n+1)·dt, the end of the
//   interval in which it crossed (as in NEST).
// * Delays: a spike stamped at step k with a delay of d steps arrives at step
//   k+d: its weight enters the target's input at time (k+d)·dt, before the
//   update of step k+d. d >= 1 always.
// * A delay in ms becomes round(delay / dt) steps, halves rounded up, a
//   quotient within 1e-9 (relative) of a half counting as that half. A delay
//   below dt, or not finite, is an error: it is never rounded to fit.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <stdexcept>
#include <string>

namespace bgsim {

using Step = std::int64_t;

// Converts between ms and steps for one resolution.
class Resolution {
 public:
  explicit Resolution(double dt_ms = 0.1) : dt_ms_(dt_ms) {
    if (!std::isfinite(dt_ms) || dt_ms <= 0.0)
      throw std::invalid_argument("resolution dt must be finite and positive [ms], got " +
                                  std::to_string(dt_ms));
  }

  double dt_ms() const { return dt_ms_; }
  double to_ms(Step n) const { return static_cast<double>(n) * dt_ms_; }

  // The nearest whole number of steps to `ms`, halves rounded away from zero.
  // A quotient within 1e-9 (relative) of a half is taken as that half, so that
  // floating-point noise such as 0.15 / 0.1 = 1.4999999999999998 rounds as the
  // user meant (to 2), not as the noise says.
  Step round_to_steps(double ms) const {
    if (!std::isfinite(ms)) throw std::invalid_argument("time must be finite [ms]");
    const double x = ms / dt_ms_;
    const double half = std::floor(x) + 0.5;
    if (std::abs(x - half) <= 1e-9 * std::max(1.0, std::abs(x)))
      return static_cast<Step>(x >= 0.0 ? std::ceil(half) : std::floor(half));
    return static_cast<Step>(std::round(x));
  }

  // A synaptic delay in steps. Delays shorter than dt (beyond a relative
  // tolerance of 1e-9) are refused, never rounded up or down to fit.
  Step delay_steps(double delay_ms) const {
    if (!std::isfinite(delay_ms))
      throw std::invalid_argument("delay must be finite [ms], got " + std::to_string(delay_ms));
    if (delay_ms < dt_ms_ * (1.0 - 1e-9))
      throw std::invalid_argument("delay " + format(delay_ms) +
                                  " ms is below the resolution dt = " + format(dt_ms_) +
                                  " ms: delays must be at least one step");
    return std::max<Step>(1, round_to_steps(delay_ms));
  }

  // Whole steps in a duration (>= 0); a duration is rounded like a delay.
  Step duration_steps(double ms) const {
    if (!std::isfinite(ms) || ms < 0.0)
      throw std::invalid_argument("duration must be finite and >= 0 [ms], got " +
                                  std::to_string(ms));
    return round_to_steps(ms);
  }

 private:
  static std::string format(double x) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", x);
    return buf;
  }
  double dt_ms_;
};

}  // namespace bgsim
