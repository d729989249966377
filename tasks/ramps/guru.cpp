#include "tasks/ramps/guru.hpp"

#include <cmath>
#include <limits>
#include <utility>

#include "models/agents/dual_process.hpp"
#include "tasks/environments/track.hpp"
#include "tasks/representations/track_features.hpp"

namespace bgsim::tasks::ramps {

void validate(const GuruTrackConfig& c) {
  detail::require_at_least("GuruTrackConfig.num_states", c.num_states, 1);
  detail::require_at_least("GuruTrackConfig.rewards.size()", static_cast<int>(c.rewards.size()), 1);
  for (double r : c.rewards)
    detail::require_finite("GuruTrackConfig.rewards[]", r);
  detail::require_at_least("GuruTrackConfig.sessions", c.sessions, 1);
  detail::require_at_least("GuruTrackConfig.episodes_per_session", c.episodes_per_session, 1);
  if (c.swap_session >= 0 && c.rewards.size() < 2) {
    detail::refuse("GuruTrackConfig.swap_session", c.swap_session,
                   "a reward swap needs at least two tracks; use -1 for no swap");
  }
  if (c.swap_session < -1) {
    detail::refuse("GuruTrackConfig.swap_session", c.swap_session,
                   "must be a session index, or -1 for no swap");
  }
  detail::require_unit_interval("GuruTrackConfig.alpha", c.alpha);
  detail::require_unit_interval("GuruTrackConfig.alpha_mb", c.alpha_mb);
  detail::require_unit_interval("GuruTrackConfig.gamma", c.gamma);
  detail::require_unit_interval("GuruTrackConfig.k", c.k);
  detail::require_finite("GuruTrackConfig.initial_reward", c.initial_reward);
  detail::require_at_least("GuruTrackConfig.max_steps", c.max_steps, 1);
}

double GuruTrackResult::slope_for_reward(double reward, int session) const {
  for (const GuruTrackSeries& t : tracks) {
    if (session >= 0 && session < static_cast<int>(t.reward.size()) &&
        t.reward[static_cast<std::size_t>(session)] == reward) {
      return t.slope[static_cast<std::size_t>(session)];
    }
  }
  return std::numeric_limits<double>::quiet_NaN();
}

GuruTrackResult run_guru_track(const GuruTrackConfig& c) {
  validate(c);
  const std::size_t n_tracks = c.rewards.size();
  std::vector<Track> tracks;
  std::vector<agents::DualTabular> agents_;
  tracks.reserve(n_tracks);
  agents_.reserve(n_tracks);
  for (double r : c.rewards) {
    TrackParams tp;
    tp.num_states = c.num_states;
    tp.reward = r;
    tracks.emplace_back(tp);
    agents::DualTabularParams dp;
    dp.num_states = c.num_states;
    dp.goal_state = c.num_states - 1;
    dp.initial_reward = c.initial_reward;
    dp.rates.alpha = c.alpha;
    dp.rates.alpha_mb = c.alpha_mb;
    dp.rates.gamma = c.gamma;
    dp.rates.k = c.k;
    agents_.emplace_back(dp);
  }

  GuruTrackResult result;
  result.tracks.resize(n_tracks);
  for (int session = 0; session < c.sessions; ++session) {
    if (session == c.swap_session) {
      const double first = tracks[0].params().reward;
      tracks[0].set_reward(tracks[1].params().reward);
      tracks[1].set_reward(first);
    }
    for (std::size_t i = 0; i < n_tracks; ++i) {
      GuruTrackSeries& series = result.tracks[i];
      series.reward.push_back(tracks[i].params().reward);
      std::vector<EpisodeTrace> episodes;
      episodes.reserve(static_cast<std::size_t>(c.episodes_per_session));
      for (int e = 0; e < c.episodes_per_session; ++e) {
        episodes.push_back(run_episode(tracks[i], agents_[i], always_forward, c.max_steps));
      }
      series.mean_rpe.push_back(mean_across_episodes(episodes));
      series.slope.push_back(ramp_slope(series.mean_rpe.back()));
      series.v_td_end.push_back(agents_[i].v_td());
      series.v_mb_end.push_back(agents_[i].v_mb());
      series.episodes.push_back(std::move(episodes));
    }
  }
  return result;
}

void validate(const GuruWheelConfig& c) {
  detail::require_at_least("GuruWheelConfig.num_states", c.num_states, 1);
  detail::require_finite("GuruWheelConfig.reward", c.reward);
  detail::require_at_least("GuruWheelConfig.sessions", c.sessions, 1);
  detail::require_at_least("GuruWheelConfig.episodes_per_session", c.episodes_per_session, 1);
  detail::require_unit_interval("GuruWheelConfig.alpha", c.alpha);
  detail::require_unit_interval("GuruWheelConfig.alpha_mb", c.alpha_mb);
  detail::require_unit_interval("GuruWheelConfig.gamma", c.gamma);
  detail::require_unit_interval("GuruWheelConfig.k", c.k);
  detail::require_finite("GuruWheelConfig.initial_reward", c.initial_reward);
  detail::require_finite("GuruWheelConfig.time_code", c.time_code);
  detail::require_at_least("GuruWheelConfig.max_steps", c.max_steps, 1);
}

GuruWheelResult run_guru_wheel(const GuruWheelConfig& c) {
  validate(c);
  TrackParams tp;
  tp.num_states = c.num_states;
  tp.reward = c.reward;
  RunningWheel wheel(tp);
  WheelFeatures features = wheel_features(c.num_states, c.time_code);
  agents::DualFeaturesParams dp;
  dp.goal_state = c.num_states - 1;
  dp.initial_reward = c.initial_reward;
  dp.rates.alpha = c.alpha;
  dp.rates.alpha_mb = c.alpha_mb;
  dp.rates.gamma = c.gamma;
  dp.rates.k = c.k;
  agents::DualFeatures agent(dp, features.phi_td, features.phi_mb);

  GuruWheelResult result;
  for (int session = 0; session < c.sessions; ++session) {
    std::vector<EpisodeTrace> episodes;
    std::vector<double> slopes;
    for (int e = 0; e < c.episodes_per_session; ++e) {
      episodes.push_back(run_episode(wheel, agent, always_forward, c.max_steps));
      slopes.push_back(ramp_slope(episodes.back().deltas));
    }
    result.mean_rpe.push_back(mean_across_episodes(episodes));
    result.slope.push_back(numpy_mean(slopes));
    const Eigen::VectorXd v = agent.v_td();
    result.v_td_end.emplace_back(v.data(), v.data() + v.size());
    result.episodes.push_back(std::move(episodes));
  }
  return result;
}

}  // namespace bgsim::tasks::ramps
