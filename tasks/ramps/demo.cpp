#include "tasks/ramps/demo.hpp"

#include <cmath>

#include "models/agents/dual_process.hpp"
#include "models/agents/td_tabular.hpp"
#include "tasks/environments/track.hpp"
#include "tasks/representations/track_features.hpp"

namespace bgsim::tasks::ramps {
namespace {

// "Mean δ rounds to 0 at d decimals" ⇔ |mean| < 0.5·10^{−d}. For d = 2 the
// bound is the double nearest 0.005, which lies just above 0.005, and NumPy's
// round(x, 2) maps x to 0 exactly when x lies below 0.005: the comparison
// agrees with the reference for every double.
bool episode_converged(const EpisodeTrace& trace, int decimals) {
  const double bound = 0.5 * std::pow(10.0, -decimals);
  return std::abs(numpy_mean(trace.deltas)) < bound;
}

void mark_stages(DemoRun& run) {
  const int n = static_cast<int>(run.episodes.size());
  run.episodes_to_converge = n;
  run.early = n > 1 ? static_cast<int>(0.05 * (n - 1)) : 0;
  run.mid = n / 2;
  run.late = n > 1 ? static_cast<int>(0.85 * (n - 1)) : 0;
}

agents::DualRates rates(double alpha, double alpha_mb, double gamma, double k) {
  agents::DualRates r;
  r.alpha = alpha;
  r.alpha_mb = alpha_mb;
  r.gamma = gamma;
  r.k = k;
  return r;
}

}  // namespace

void validate(const DemoConfig& c) {
  detail::require_at_least("DemoConfig.num_states", c.num_states, 1);
  detail::require_finite("DemoConfig.reward", c.reward);
  detail::require_unit_interval("DemoConfig.gamma", c.gamma);
  detail::require_unit_interval("DemoConfig.alpha", c.alpha);
  detail::require_unit_interval("DemoConfig.k", c.k);
  detail::require_unit_interval("DemoConfig.alpha_mb", c.alpha_mb);
  detail::require_finite("DemoConfig.initial_reward", c.initial_reward);
  detail::require_at_least("DemoConfig.max_episodes", c.max_episodes, 1);
  detail::require_at_least("DemoConfig.max_steps", c.max_steps, 1);
  detail::require_at_least("DemoConfig.convergence_decimals", c.convergence_decimals, 0);
}

DemoResult run_demo(const DemoConfig& c) {
  validate(c);
  TrackParams tp;
  tp.num_states = c.num_states;
  tp.reward = c.reward;
  const int goal = c.num_states - 1;
  DemoResult result;

  {
    Track track(tp);
    agents::DualTabularParams dp;
    dp.num_states = c.num_states;
    dp.goal_state = goal;
    dp.initial_reward = c.initial_reward;
    dp.rates = rates(c.alpha, c.alpha_mb, c.gamma, c.k);
    agents::DualTabular dual(dp);
    for (int e = 0; e < c.max_episodes; ++e) {
      result.dual.episodes.push_back(run_episode(track, dual, always_forward, c.max_steps));
      result.dual.v_td_after.push_back(dual.v_td());
      result.dual.v_mb_after.push_back(dual.v_mb());
      if (episode_converged(result.dual.episodes.back(), c.convergence_decimals)) {
        result.dual.converged = true;
        break;
      }
    }
    mark_stages(result.dual);
  }
  {
    Track track(tp);
    agents::TdTabularParams p;
    p.num_states = c.num_states;
    p.alpha = c.alpha;
    p.gamma = c.gamma;
    agents::TdTabular td(p);
    for (int e = 0; e < c.max_episodes; ++e) {
      result.td.episodes.push_back(run_episode(track, td, always_forward, c.max_steps));
      result.td.v_td_after.push_back(td.values());
      if (episode_converged(result.td.episodes.back(), c.convergence_decimals)) {
        result.td.converged = true;
        break;
      }
    }
    mark_stages(result.td);
  }
  return result;
}

void validate(const CompareArchitecturesConfig& c) {
  detail::require_at_least("CompareArchitecturesConfig.num_states", c.num_states, 1);
  detail::require_at_least("CompareArchitecturesConfig.episodes", c.episodes, 1);
  detail::require_finite("CompareArchitecturesConfig.reward", c.reward);
  detail::require_unit_interval("CompareArchitecturesConfig.gamma", c.gamma);
  detail::require_unit_interval("CompareArchitecturesConfig.alpha", c.alpha);
  detail::require_unit_interval("CompareArchitecturesConfig.k", c.k);
  detail::require_unit_interval("CompareArchitecturesConfig.alpha_mb", c.alpha_mb);
  detail::require_finite("CompareArchitecturesConfig.initial_reward", c.initial_reward);
  detail::require_at_least("CompareArchitecturesConfig.max_steps", c.max_steps, 1);
  if (!(c.error_threshold > 0.0)) {
    detail::refuse("CompareArchitecturesConfig.error_threshold", c.error_threshold,
                   "must be > 0 reward units");
  }
}

CompareArchitecturesResult run_compare_architectures(const CompareArchitecturesConfig& c) {
  validate(c);
  const int n = c.num_states;
  // The true value on the track, R γ^{n−1−s}; the reference measures against γ^{n−1−s}.
  std::vector<double> truth(static_cast<std::size_t>(n));
  for (int s = 0; s < n; ++s)
    truth[static_cast<std::size_t>(s)] = std::pow(c.gamma, n - 1 - s);
  std::vector<double> diff(truth.size());
  auto value_error = [&](const std::vector<double>& v_td) {
    for (std::size_t s = 0; s < truth.size(); ++s)
      diff[s] = truth[s] - v_td[s];
    return numpy_mean(diff);
  };
  auto finish = [&](ArchitectureRun& run) {
    for (std::size_t e = 0; e < run.value_error.size(); ++e) {
      if (std::abs(run.value_error[e]) < c.error_threshold) {
        run.episodes_to_threshold = static_cast<int>(e) + 1;
        break;
      }
    }
  };

  TrackParams tp;
  tp.num_states = n;
  tp.reward = c.reward;
  Track track_normative(tp), track_naive(tp), track_td(tp);

  agents::DualTabularParams dp;
  dp.num_states = n;
  dp.goal_state = n - 1;
  dp.initial_reward = c.initial_reward;
  dp.rates = rates(c.alpha, c.alpha_mb, c.gamma, c.k);
  agents::DualTabular normative(dp);
  dp.rpe = agents::DualRpe::naive;
  agents::DualTabular naive(dp);
  agents::TdTabularParams tdp;
  tdp.num_states = n;
  tdp.alpha = c.alpha;
  tdp.gamma = c.gamma;
  agents::TdTabular td(tdp);

  CompareArchitecturesResult result;
  for (int e = 0; e < c.episodes; ++e) {
    result.normative.episodes.push_back(
        run_episode(track_normative, normative, always_forward, c.max_steps));
    result.normative.value_error.push_back(value_error(normative.v_td()));
    result.naive.episodes.push_back(run_episode(track_naive, naive, always_forward, c.max_steps));
    result.naive.value_error.push_back(value_error(naive.v_td()));
    result.td.episodes.push_back(run_episode(track_td, td, always_forward, c.max_steps));
    result.td.value_error.push_back(value_error(td.values()));
  }
  finish(result.normative);
  finish(result.naive);
  finish(result.td);
  return result;
}

}  // namespace bgsim::tasks::ramps
