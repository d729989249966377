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
// * A run counts at most 2^48 steps (max_steps): random streams key the step
//   with 48 bits (core/random.hpp). A time beyond that is refused, never
//   wrapped or cast into a negative count.
// * Times written into results are stamp_ms(n): the decimal n·dt (29928.3),
//   not the product n·dt in floating point (29928.300000000003).

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <stdexcept>
#include <string>

namespace bgsim {

using Step = std::int64_t;

// The most steps a run may count (2^48, about 890 years at dt = 0.1 ms): the
// random streams keep 48 bits of the step.
inline constexpr Step max_steps = Step{1} << 48;

// Converts between ms and steps for one resolution.
class Resolution {
 public:
  explicit Resolution(double dt_ms = 0.1) : dt_ms_(dt_ms) {
    if (!std::isfinite(dt_ms) || dt_ms <= 0.0)
      throw std::invalid_argument("resolution dt must be finite and positive [ms], got " +
                                  std::to_string(dt_ms));
    // dt as units / 10^places when it is a decimal of at most nine places
    // (0.1 = 1/10, 0.025 = 25/1000, 1 = 1/1), for stamp_ms.
    double scale = 1.0;
    for (int places = 0; places <= 9; ++places, scale *= 10.0) {
      const double scaled = dt_ms * scale;
      const double units = std::round(scaled);
      if (units >= 1.0 && units < 9e15 && std::abs(scaled - units) <= 1e-12 * scaled) {
        units_ = static_cast<std::int64_t>(units);
        scale_ = scale;
        break;
      }
    }
  }

  double dt_ms() const { return dt_ms_; }
  // n·dt in floating point: for durations and rates inside computations.
  double to_ms(Step n) const { return static_cast<double>(n) * dt_ms_; }

  // The time of step n as results files write it: the decimal multiple n·dt
  // (dt's decimal places, no more), e.g. 29928.3 for step 299283 at dt =
  // 0.1 ms where n·dt in floating point gives 29928.300000000003. Computed
  // as the whole number n·units divided once by 10^places, which rounds to
  // the double nearest the decimal; that double prints as the decimal. A dt
  // that is no decimal of at most nine places (1/3 ms) gives n·dt.
  double stamp_ms(Step n) const {
    if (units_ == 0 || n > max_exact / units_ || n < -max_exact / units_) return to_ms(n);
    return static_cast<double>(n * units_) / scale_;
  }

  // Whether `ms` is a time a run can count: finite, and within max_steps
  // steps of 0 (a duration of 1e300 ms is not).
  bool countable(double ms) const {
    return std::isfinite(ms) && std::abs(ms / dt_ms_) < static_cast<double>(max_steps);
  }

  // The nearest whole number of steps to `ms`, halves rounded away from zero.
  // A quotient within 1e-9 (relative) of a half is taken as that half, so that
  // floating-point noise such as 0.15 / 0.1 = 1.4999999999999998 rounds as the
  // user meant (to 2), not as the noise says.
  Step round_to_steps(double ms) const {
    if (!std::isfinite(ms)) throw std::invalid_argument("time must be finite [ms]");
    if (!countable(ms)) throw std::invalid_argument(uncountable(ms));
    const double x = ms / dt_ms_;
    const double half = std::floor(x) + 0.5;
    // The tolerance is capped below a half step: beyond 5·10^8 steps, 1e-9
    // relative would take every quotient for a half and round it up.
    if (std::abs(x - half) <= std::min(1e-9 * std::max(1.0, std::abs(x)), 0.25))
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
      throw std::invalid_argument("duration must be finite and >= 0 [ms], got " + format(ms));
    return round_to_steps(ms);
  }

  // The message for a time that is not countable(): both numbers, and the limit.
  std::string uncountable(double ms) const {
    return "a time of " + format(ms) + " ms is " + format(ms / dt_ms_) +
           " steps of dt = " + format(dt_ms_) +
           " ms, beyond the 2^48 = " + std::to_string(max_steps) + " steps a run can count (" +
           format(static_cast<double>(max_steps) * dt_ms_ / 3.15576e10) + " years at this dt)";
  }

 private:
  static constexpr std::int64_t max_exact = std::int64_t{1}
                                            << 53;  // doubles hold whole numbers exactly up to here
  static std::string format(double x) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", x);
    return buf;
  }
  double dt_ms_;
  std::int64_t units_ = 0;  // dt = units_ / scale_ when dt is a short decimal; 0 otherwise
  double scale_ = 1.0;      // 10^places
};

}  // namespace bgsim
