#include "tasks/ramps/kim.hpp"

#include <string>
#include <utility>

#include "models/agents/dual_process.hpp"
#include "tasks/environments/track.hpp"

namespace bgsim::tasks::ramps {
namespace {

struct Trained {
  Track track;
  agents::DualTabular agent;
};

// Trains a Dual agent on the track, then switches learning off (α = α_MB = 0)
// for the probes, as the reference does.
Trained train(const KimTraining& t) {
  TrackParams tp;
  tp.num_states = t.num_states;
  tp.reward = t.reward;
  agents::DualTabularParams dp;
  dp.num_states = t.num_states;
  dp.goal_state = t.num_states - 1;
  dp.initial_reward = t.initial_reward;
  dp.rates.alpha = t.alpha;
  dp.rates.alpha_mb = t.alpha_mb;
  dp.rates.gamma = t.gamma;
  dp.rates.k = t.k;
  Trained out{Track(tp), agents::DualTabular(dp)};
  for (int e = 0; e < t.episodes; ++e)
    run_episode(out.track, out.agent, always_forward, t.max_steps);
  agents::DualRates frozen = out.agent.params().rates;
  frozen.alpha = 0.0;
  frozen.alpha_mb = 0.0;
  out.agent.set_rates(frozen);
  return out;
}

KimResult start_result(const Trained& trained) {
  KimResult r;
  r.v_td = trained.agent.v_td();
  r.v_mb = trained.agent.v_mb();
  return r;
}

int index_of_state(const EpisodeTrace& trace, int state) {
  for (int i = 0; i < trace.size(); ++i) {
    if (trace.states[static_cast<std::size_t>(i)] == state) return i;
  }
  return -1;
}

KimProbe make_probe(int condition, EpisodeTrace trace, int event_state) {
  KimProbe p;
  p.condition = condition;
  p.trace = std::move(trace);
  if (event_state >= 0) {
    p.event_step = index_of_state(p.trace, event_state);
    if (p.event_step >= 0) p.event_rpe = p.trace.deltas[static_cast<std::size_t>(p.event_step)];
  }
  p.slope = approach_slope(p.trace);
  return p;
}

void require_state(const std::string& name, int s, int n) {
  if (s < 0 || s >= n) {
    detail::refuse(name, s, "must be a track state in [0, " + std::to_string(n - 1) + "]");
  }
}

}  // namespace

void validate(const KimTraining& t, const char* owner) {
  const std::string o = std::string(owner) + ".training.";
  detail::require_at_least(o + "num_states", t.num_states, 1);
  detail::require_finite(o + "reward", t.reward);
  detail::require_at_least(o + "episodes", t.episodes, 0);
  detail::require_unit_interval(o + "alpha", t.alpha);
  detail::require_unit_interval(o + "alpha_mb", t.alpha_mb);
  detail::require_unit_interval(o + "gamma", t.gamma);
  detail::require_unit_interval(o + "k", t.k);
  detail::require_finite(o + "initial_reward", t.initial_reward);
  detail::require_at_least(o + "max_steps", t.max_steps, 1);
}

void validate(const KimDistanceConfig& c) {
  validate(c.training, "KimDistanceConfig");
  const int n = c.training.num_states;
  require_state("KimDistanceConfig.destination", c.destination, n);
  for (int d : c.distances) {
    if (d < 0 || c.destination - d < 0) {
      detail::refuse(
          "KimDistanceConfig.distances[]", d,
          "must be in [0, destination] (0 = pause), so the teleport starts on the track");
    }
  }
  detail::require_at_least("KimDistanceConfig.pause_steps", c.pause_steps, 0);
  detail::require_at_least("KimDistanceConfig.pause_max_steps", c.pause_max_steps, 1);
}

KimResult run_kim_distance(const KimDistanceConfig& c) {
  validate(c);
  Trained trained = train(c.training);
  KimResult result = start_result(trained);
  for (int d : c.distances) {
    if (d == 0) {
      EpisodeTrace trace = run_pause_episode(trained.track, trained.agent, c.destination,
                                             c.pause_steps, c.pause_max_steps);
      result.probes.push_back(make_probe(0, std::move(trace), c.destination));
    } else {
      const int from = c.destination - d;
      EpisodeTrace trace = run_teleport_episode(trained.track, trained.agent, from, c.destination,
                                                c.training.max_steps);
      result.probes.push_back(make_probe(d, std::move(trace), from));
    }
  }
  return result;
}

void validate(const KimLocationConfig& c) {
  validate(c.training, "KimLocationConfig");
  const int n = c.training.num_states;
  detail::require_at_least("KimLocationConfig.distance", c.distance, 1);
  for (int l : c.locations) {
    if (l != 0) require_state("KimLocationConfig.locations[] + distance", l + c.distance, n);
    require_state("KimLocationConfig.locations[]", l, n);
  }
}

KimResult run_kim_location(const KimLocationConfig& c) {
  validate(c);
  Trained trained = train(c.training);
  KimResult result = start_result(trained);
  for (int l : c.locations) {
    if (l == 0) {
      EpisodeTrace trace =
          run_episode(trained.track, trained.agent, always_forward, c.training.max_steps);
      result.probes.push_back(make_probe(0, std::move(trace), -1));
    } else {
      EpisodeTrace trace = run_teleport_episode(trained.track, trained.agent, l, l + c.distance,
                                                c.training.max_steps);
      result.probes.push_back(make_probe(l, std::move(trace), l));
    }
  }
  return result;
}

void validate(const KimSpeedConfig& c) {
  validate(c.training, "KimSpeedConfig");
  for (int s : c.step_sizes)
    detail::require_at_least("KimSpeedConfig.step_sizes[]", s, 1);
}

KimResult run_kim_speed(const KimSpeedConfig& c) {
  validate(c);
  Trained trained = train(c.training);
  KimResult result = start_result(trained);
  for (int s : c.step_sizes) {
    trained.track.set_step_size(s);
    EpisodeTrace trace =
        run_episode(trained.track, trained.agent, always_forward, c.training.max_steps);
    result.probes.push_back(make_probe(s, std::move(trace), -1));
  }
  return result;
}

}  // namespace bgsim::tasks::ramps
