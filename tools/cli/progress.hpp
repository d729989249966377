#pragma once
// Progress of a long run on stderr: simulated time, percent, wall time,
// estimated time left and the real-time factor (simulated time / wall time:
// 10 means ten times faster than real time); or, for an experiment, the
// trials done. Silent when stderr is not a terminal, when asked to be quiet,
// and during the first seconds of a run.

#include <chrono>
#include <cstdio>

namespace bgsim::cli {

class Progress {
 public:
  // Counts steps of dt_ms (a network run); dt_ms = 0: counts trials.
  Progress(bool enabled, double dt_ms) : enabled_(enabled), dt_ms_(dt_ms) {}

  void operator()(long long now_step, long long end_step) {
    if (!enabled_) return;
    const auto t = std::chrono::steady_clock::now();
    if (start_step_ < 0) {
      start_step_ = now_step;
      start_ = last_ = t;
      return;
    }
    const double wall = std::chrono::duration<double>(t - start_).count();
    if (wall < 2.0 || std::chrono::duration<double>(t - last_).count() < 0.5) return;
    last_ = t;
    shown_ = true;
    if (dt_ms_ == 0.0) {
      const double done = static_cast<double>(now_step - start_step_);
      const double left = done > 0 ? wall * static_cast<double>(end_step - now_step) / done : 0.0;
      std::fprintf(stderr, "\r  trial %lld / %lld (%5.1f %%)  wall %.1f s  left %.1f s   ",
                   now_step, end_step, 100.0 * static_cast<double>(now_step) / end_step, wall,
                   left);
      return;
    }
    const double done_ms = (now_step - start_step_) * dt_ms_;
    const double total_ms = (end_step - start_step_) * dt_ms_;
    const double rtf = wall > 0 ? done_ms / 1000.0 / wall : 0.0;
    const double left = done_ms > 0 ? wall * (total_ms - done_ms) / done_ms : 0.0;
    std::fprintf(stderr,
                 "\r  %.1f / %.1f ms (%5.1f %%)  wall %.1f s  left %.1f s  %.2fx real time   ",
                 now_step * dt_ms_, end_step * dt_ms_, 100.0 * done_ms / total_ms, wall, left, rtf);
  }

  void finish() {
    if (shown_) std::fprintf(stderr, "\n");
  }

 private:
  bool enabled_;
  double dt_ms_;
  long long start_step_ = -1;
  std::chrono::steady_clock::time_point start_, last_;
  bool shown_ = false;
};

}  // namespace bgsim::cli
