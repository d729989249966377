#include "tasks/ramps/episode.hpp"

#include "core/parameters.hpp"

#include <cmath>
#include <sstream>
#include <stdexcept>

namespace bgsim::tasks::ramps {

namespace detail {

void require_at_least(const std::string& name, int value, int minimum) {
  if (value < minimum) refuse(name, value, "must be at least " + std::to_string(minimum));
}

void require_unit_interval(const std::string& name, double value) {
  if (!(std::isfinite(value) && value >= 0.0 && value <= 1.0)) {
    refuse(name, value, "must be finite and in [0, 1]");
  }
}

void require_finite(const std::string& name, double value) {
  if (!std::isfinite(value)) refuse(name, value, "must be finite");
}

void require_positive(const std::string& name, double value) {
  if (!(std::isfinite(value) && value > 0.0)) refuse(name, value, "must be finite and > 0");
}

}  // namespace detail

EpisodeTrace run_pause_episode(Track& track, agents::DualTabular& agent, int at, int duration,
                               int max_steps) {
  detail::require_at_least("run_pause_episode duration", duration, 0);
  EpisodeTrace trace;
  TaskStep now = track.reset();
  trace.episode = now.trial;
  int t = 0;
  while (t < max_steps) {
    if (now.state == at) {
      const agents::DualRates saved = agent.params().rates;
      agents::DualRates held = saved;
      held.alpha = 0.0;
      held.alpha_mb = 0.0;
      held.k = 0.0;
      agent.set_rates(held);
      for (int p = 0; p < duration && t < max_steps; ++p, ++t) {
        const TaskStep next = track.pause(at);
        trace.record(now.state, next,
                     agent.update(now.state, next.reward, next.state, next.terminal));
        if (next.terminal) {
          agent.set_rates(saved);
          return trace;
        }
      }
      agent.set_rates(saved);
      if (t >= max_steps) break;
    }
    const TaskStep next = track.step(Track::kForward);
    trace.record(now.state, next, agent.update(now.state, next.reward, next.state, next.terminal));
    ++t;
    if (next.terminal) break;
    now = next;
  }
  return trace;
}

double ramp_slope(const std::vector<double>& deltas) {
  if (deltas.size() < 2) return 0.0;
  return (deltas.back() - deltas.front()) / static_cast<double>(deltas.size() - 1);
}

double approach_slope(const EpisodeTrace& trace) {
  std::vector<double> d = trace.deltas;
  if (trace.reached_goal && !d.empty()) d.pop_back();
  return ramp_slope(d);
}

double approach_mean(const EpisodeTrace& trace) {
  std::size_t n = trace.deltas.size();
  if (trace.reached_goal && n > 0) --n;
  if (n == 0) return 0.0;
  double sum = 0.0;
  for (std::size_t i = 0; i < n; ++i)
    sum += trace.deltas[i];
  return sum / static_cast<double>(n);
}

std::vector<double> mean_across_episodes(const std::vector<EpisodeTrace>& episodes) {
  if (episodes.empty()) return {};
  const std::size_t n = episodes.front().deltas.size();
  std::vector<double> sum(n, 0.0);
  for (const EpisodeTrace& e : episodes) {
    if (e.deltas.size() != n) {
      throw std::invalid_argument(
          "mean_across_episodes: episodes differ in length; the mean per step needs equal lengths");
    }
    for (std::size_t i = 0; i < n; ++i)
      sum[i] += e.deltas[i];
  }
  for (double& v : sum)
    v = v / static_cast<double>(episodes.size());
  return sum;
}

std::vector<double> rpe_for_plot(const std::vector<double>& deltas) {
  std::vector<double> out(deltas.begin(), deltas.empty() ? deltas.end() : deltas.end() - 1);
  for (double& v : out) {
    if (v < 0.0) v = v / 5.0;
  }
  return out;
}

}  // namespace bgsim::tasks::ramps
