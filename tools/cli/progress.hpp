#pragma once
// Progress of a long run on stderr: simulated time, percent, wall time,
// estimated time left and the real-time factor (simulated time / wall time:
// 10 means ten times faster than real time); or, for an experiment, the
// trials done.
//
// Two styles, chosen by where stderr goes:
// * a terminal: one line rewritten in place twice a second, after the first
//   two seconds of a run;
// * anything else (a file, a pipe: a cluster job's log): one whole line every
//   `every_s` seconds of wall time (10 by default, `bgsim run
//   --progress-every`), e.g.
//     bgsim: 1234.5 of 600000 ms simulated (0.2 %), wall 10.0 s, 0.12x real time, 23.1 h left
// Silent when asked to be quiet.

#include <chrono>
#include <cstdio>

namespace bgsim::cli {

class Progress {
 public:
  enum class Style { quiet, terminal, log };

  // Counts steps of dt_ms (a network run); dt_ms = 0: counts trials.
  // `every_s`: wall time between two lines of the log style [s].
  Progress(Style style, double dt_ms, double every_s = 10.0)
      : style_(style), dt_ms_(dt_ms), every_s_(every_s) {}

  void operator()(long long now_step, long long end_step) {
    if (style_ == Style::quiet) return;
    const auto t = std::chrono::steady_clock::now();
    if (start_step_ < 0) {
      start_step_ = now_step;
      start_ = last_ = t;
      return;
    }
    const double wall = seconds(t - start_), since = seconds(t - last_);
    if (style_ == Style::terminal ? wall < 2.0 || since < 0.5 : since < every_s_) return;
    last_ = t;
    shown_ = true;
    const bool trials = dt_ms_ == 0.0;
    const double scale = trials ? 1.0 : dt_ms_;
    const double done = static_cast<double>(now_step - start_step_) * scale;
    const double total = static_cast<double>(end_step - start_step_) * scale;
    const double percent = total > 0 ? 100.0 * done / total : 100.0;
    const double left = done > 0 ? wall * (total - done) / done : 0.0;
    const double rtf = wall > 0 ? done / 1000.0 / wall : 0.0;
    const double now = static_cast<double>(now_step) * scale;
    const double end = static_cast<double>(end_step) * scale;
    if (style_ == Style::terminal) {
      if (trials)
        std::fprintf(stderr, "\r  trial %lld / %lld (%5.1f %%)  wall %.1f s  left %.1f s   ",
                     now_step, end_step, percent, wall, left);
      else
        std::fprintf(stderr,
                     "\r  %.1f / %.1f ms (%5.1f %%)  wall %.1f s  left %.1f s  %.2fx real time   ",
                     now, end, percent, wall, left, rtf);
      return;
    }
    if (trials)
      std::fprintf(stderr, "bgsim: trial %lld of %lld (%.1f %%), wall %.1f s, %.1f s left\n",
                   now_step, end_step, percent, wall, left);
    else
      std::fprintf(stderr,
                   "bgsim: %.1f of %.1f ms simulated (%.1f %%), wall %.1f s, %.3gx real time, "
                   "%.1f s left\n",
                   now, end, percent, wall, rtf, left);
    std::fflush(stderr);
  }

  // Ends the terminal's line.
  void finish() {
    if (shown_ && style_ == Style::terminal) std::fprintf(stderr, "\n");
  }

 private:
  static double seconds(std::chrono::steady_clock::duration d) {
    return std::chrono::duration<double>(d).count();
  }

  Style style_;
  double dt_ms_;
  double every_s_;
  long long start_step_ = -1;
  std::chrono::steady_clock::time_point start_, last_;
  bool shown_ = false;
};

}  // namespace bgsim::cli
