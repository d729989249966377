#pragma once
// The reward schedule of the Brian2 peer of izhikevich2007_distal_reward
// (bench/peers/izhikevich2007.py), as C++ functions that Brian2's generated
// code calls: Brian2 has no object that schedules an event at a time drawn
// while the simulation runs, which the distal reward experiment needs (a
// dopamine pulse 1-3 s after each pairing of the chosen synapse's neurons).
//
// The pending pulses live in one queue shared by every translation unit of
// the standalone project (an inline function's static local is one object).
// Times are in seconds, as Brian2 passes them; steps are counted from 0.
// C++11, the standard Brian2 compiles with.

#include <cmath>
#include <cstdint>
#include <functional>
#include <queue>
#include <vector>

namespace bgsim_peer {

// Steps at which a pulse is due, earliest first.
inline std::priority_queue<std::int64_t, std::vector<std::int64_t>, std::greater<std::int64_t>>&
pending() {
  static std::priority_queue<std::int64_t, std::vector<std::int64_t>, std::greater<std::int64_t>>
      queue;
  return queue;
}

}  // namespace bgsim_peer

// Called at a spike of the post neuron at time t [s] (Brian2 stamps it at the
// start of its step, bgsim at the end: step t/dt + 1 in bgsim's count),
// `since_pre` [s] after the pre neuron's latest spike. If the pairing falls in
// the window, a pulse is scheduled `delay_min + u (delay_max - delay_min)`
// after bgsim's stamp, rounded to a step; returns 1 if one was, else 0.
inline double peer_schedule_reward(double t, double since_pre, double u, double dt, double window,
                                   double delay_min, double delay_max) {
  if (!(since_pre >= 0.0 && since_pre < window - 0.5 * dt)) return 0.0;
  const std::int64_t stamp = std::llround(t / dt) + 1;
  const double delay = delay_min + u * (delay_max - delay_min);
  bgsim_peer::pending().push(stamp + std::llround(delay / dt));
  return 1.0;
}

// The number of pulses due at the step of time t [s], removed from the queue.
inline double peer_rewards_due(double t, double dt) {
  const std::int64_t step = std::llround(t / dt);
  auto& queue = bgsim_peer::pending();
  double due = 0.0;
  while (!queue.empty() && queue.top() <= step) {
    queue.pop();
    due += 1.0;
  }
  return due;
}
