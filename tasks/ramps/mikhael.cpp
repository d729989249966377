#include "tasks/ramps/mikhael.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <utility>

#include "models/agents/dual_process.hpp"
#include "models/agents/td_features.hpp"
#include "tasks/environments/track.hpp"
#include "tasks/representations/track_features.hpp"

namespace bgsim::tasks::ramps {
namespace {

UncertaintyRun train_features(const UncertaintyAssumptionsConfig& c, agents::TdFeatures& agent,
                              const std::vector<double>& truth) {
  TrackParams tp;
  tp.num_states = c.num_states;
  tp.reward = c.reward;
  Track track(tp);
  UncertaintyRun run;
  std::vector<double> error(truth.size());
  for (int e = 0; e < c.episodes; ++e) {
    run.episodes.push_back(run_episode(track, agent, always_forward, c.max_steps));
    const Eigen::VectorXd v = agent.values();
    for (std::size_t s = 0; s < truth.size(); ++s) {
      error[s] = v(static_cast<Eigen::Index>(s)) - truth[s];
    }
    run.mean_error.push_back(numpy_mean(error));
  }
  const Eigen::VectorXd v = agent.values();
  run.values.assign(v.data(), v.data() + v.size());
  run.error = error;
  run.max_error = *std::max_element(error.begin(), error.end());
  return run;
}

}  // namespace

void validate(const UncertaintyAssumptionsConfig& c) {
  detail::require_at_least("UncertaintyAssumptionsConfig.num_states", c.num_states, 1);
  detail::require_finite("UncertaintyAssumptionsConfig.reward", c.reward);
  detail::require_at_least("UncertaintyAssumptionsConfig.episodes", c.episodes, 1);
  detail::require_unit_interval("UncertaintyAssumptionsConfig.alpha", c.alpha);
  detail::require_unit_interval("UncertaintyAssumptionsConfig.gamma", c.gamma);
  detail::require_at_least("UncertaintyAssumptionsConfig.sharp_tail", c.sharp_tail, 0);
  detail::require_at_least("UncertaintyAssumptionsConfig.max_steps", c.max_steps, 1);
  // Checked here as well as where the feature maps are built, so that a
  // description is refused before anything runs.
  require_kernel_width("UncertaintyAssumptionsConfig.sigma_static", c.sigma_static);
  require_kernel_width("UncertaintyAssumptionsConfig.sigma_t", c.sigma_t);
  require_kernel_width("UncertaintyAssumptionsConfig.sigma_next", c.sigma_next);
  require_kernel_width("UncertaintyAssumptionsConfig.sigma_tail", c.sigma_tail);
}

UncertaintyAssumptionsResult run_uncertainty_assumptions(const UncertaintyAssumptionsConfig& c) {
  validate(c);
  const int n = c.num_states;
  UncertaintyAssumptionsResult result;
  result.true_values.resize(static_cast<std::size_t>(n));
  for (int s = 0; s < n; ++s) {
    result.true_values[static_cast<std::size_t>(s)] = c.reward * std::pow(c.gamma, n - 1 - s);
  }
  agents::TdFeaturesParams p;
  p.alpha = c.alpha;
  p.gamma = c.gamma;

  agents::TdFeatures static_agent(
      p, static_uncertainty_features(n, c.sigma_static, c.sharp_tail, c.sigma_tail));
  result.static_run = train_features(c, static_agent, result.true_values);

  UncertaintyFeatures dyn =
      dynamic_uncertainty_features(n, c.sigma_t, c.sigma_next, c.sharp_tail, c.sigma_tail);
  agents::TdFeatures dynamic_agent(p, dyn.phi_t, dyn.phi_next);
  result.dynamic_run = train_features(c, dynamic_agent, result.true_values);
  return result;
}

void validate(const MikhaelTrackConfig& c) {
  detail::require_at_least("MikhaelTrackConfig.num_states", c.num_states, 1);
  detail::require_finite("MikhaelTrackConfig.reward", c.reward);
  detail::require_at_least("MikhaelTrackConfig.training_episodes", c.training_episodes, 0);
  detail::require_at_least("MikhaelTrackConfig.slow_step", c.slow_step, 1);
  detail::require_at_least("MikhaelTrackConfig.fast_step", c.fast_step, 1);
  detail::require_unit_interval("MikhaelTrackConfig.alpha", c.alpha);
  detail::require_unit_interval("MikhaelTrackConfig.alpha_mb", c.alpha_mb);
  detail::require_unit_interval("MikhaelTrackConfig.gamma", c.gamma);
  detail::require_unit_interval("MikhaelTrackConfig.k", c.k);
  detail::require_finite("MikhaelTrackConfig.initial_reward", c.initial_reward);
  detail::require_at_least("MikhaelTrackConfig.max_steps", c.max_steps, 1);
  // Widths in track lengths; the kernels take them in states.
  const double n = c.num_states;
  require_kernel_width("MikhaelTrackConfig.bright_width × num_states", c.bright_width * n);
  require_kernel_width("MikhaelTrackConfig.dark_start_width × num_states", c.dark_start_width * n);
  require_kernel_width("MikhaelTrackConfig.dark_end_width × num_states", c.dark_end_width * n);
}

const MikhaelProbe& MikhaelTrackResult::probe(bool dark, bool fast) const {
  for (const MikhaelProbe& p : probes) {
    if (p.dark == dark && p.fast == fast) return p;
  }
  throw std::out_of_range("MikhaelTrackResult::probe: no such condition was run");
}

MikhaelTrackResult run_mikhael_track(const MikhaelTrackConfig& c) {
  validate(c);
  const int n = c.num_states;
  const int goal = n - 1;
  MikhaelTrackResult result;
  // Widths in states: fraction of the track × n, the reference's 4/87 · n.
  result.bright_widths = constant_widths(n, c.bright_width * n);
  result.dark_widths = exponential_widths(n, c.dark_start_width * n, c.dark_end_width * n);
  const Eigen::MatrixXd bright = blurred_features(result.bright_widths, goal);
  const Eigen::MatrixXd dark = blurred_features(result.dark_widths, goal);

  TrackParams tp;
  tp.num_states = n;
  tp.reward = c.reward;
  tp.step_size = c.slow_step;
  Track track(tp);
  agents::DualFeaturesParams dp;
  dp.goal_state = goal;
  dp.initial_reward = c.initial_reward;
  dp.rates.alpha = c.alpha;
  dp.rates.alpha_mb = c.alpha_mb;
  dp.rates.gamma = c.gamma;
  dp.rates.k = c.k;
  agents::DualFeatures agent(dp, bright, bright);
  for (int e = 0; e < c.training_episodes; ++e) {
    result.training.push_back(run_episode(track, agent, always_forward, c.max_steps));
  }
  agents::DualRates frozen = agent.params().rates;
  frozen.alpha = 0.0;
  frozen.alpha_mb = 0.0;
  agent.set_rates(frozen);

  for (const bool is_dark : {false, true}) {
    for (const bool is_fast : {false, true}) {
      agents::DualFeatures probe_agent = agent;  // what was learned, untouched by other probes
      const Eigen::MatrixXd& phi = is_dark ? dark : bright;
      probe_agent.set_features(phi, phi);
      track.set_step_size(is_fast ? c.fast_step : c.slow_step);
      MikhaelProbe p;
      p.dark = is_dark;
      p.fast = is_fast;
      p.trace = run_episode(track, probe_agent, always_forward, c.max_steps);
      p.slope = approach_slope(p.trace);
      p.reward_rpe = p.trace.reached_goal ? p.trace.deltas.back() : 0.0;
      result.probes.push_back(std::move(p));
    }
  }
  return result;
}

}  // namespace bgsim::tasks::ramps
