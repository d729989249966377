// Guru et al. (2020) track and running wheel as ready experiments of
// `bgsim run` (tasks/experiments/ramps_guru_track.json, ramps_guru_wheel.json).
// Files and figures: docs/agents/dual_process.md, "Running it".

#include <cmath>

#include "core/io/csv.hpp"
#include "tasks/experiment.hpp"
#include "tasks/ramps/experiment_io.hpp"
#include "tasks/ramps/guru.hpp"

namespace bgsim::tasks::ramps {

namespace {

// The slope of every session, grouped by the reward in force, as the
// published figure groups them: after the swap "reward 1" is the track that
// used to pay 2, whose over-learned V_TD now makes its ramp negative.
nlohmann::json slopes_by_reward(const GuruTrackConfig& c, const GuruTrackResult& r, int session) {
  nlohmann::json out = nlohmann::json::object();
  for (double reward : c.rewards)
    out[condition_key(reward)] = r.slope_for_reward(reward, session);
  return out;
}

ConfiguredExperiment configure_guru_track(networks::ObjectReader& reader) {
  GuruTrackConfig c;
  ExperimentParams p(reader);
  p.whole("num_states", c.num_states);
  p.numbers("rewards", c.rewards);
  p.whole("sessions", c.sessions);
  p.whole("episodes_per_session", c.episodes_per_session);
  p.whole("swap_session", c.swap_session);
  p.number("alpha", c.alpha);
  p.number("alpha_mb", c.alpha_mb);
  p.number("gamma", c.gamma);
  p.number("k", c.k);
  p.number("initial_reward", c.initial_reward);
  p.whole("max_steps", c.max_steps);
  p.finish();
  p.check([&] { validate(c); });
  return {
      p.resolved(), [c](const ExperimentContext& cx) {
        const GuruTrackResult r = run_guru_track(c);
        io::CsvWriter traces = trace_csv(cx, "traces.csv", {"track", "track_reward", "session"});
        io::CsvWriter ramps(cx.folder.path("session_rpe.csv"),
                            {"track", "track_reward", "session", "step", "mean_delta"});
        io::CsvWriter slopes(cx.folder.path("slopes.csv"),
                             {"track", "track_reward", "session", "slope"});
        io::CsvWriter values(cx.folder.path("values.csv"),
                             {"track", "session", "state", "v_td", "v_mb"});
        for (std::size_t t = 0; t < r.tracks.size(); ++t) {
          const GuruTrackSeries& series = r.tracks[t];
          std::int64_t episode = 0;
          for (std::size_t s = 0; s < series.episodes.size(); ++s) {
            const double reward = series.reward[s];
            for (const EpisodeTrace& trace : series.episodes[s])
              write_trace(traces, {t, reward, s}, episode++, trace);
            for (std::size_t k = 0; k < series.mean_rpe[s].size(); ++k)
              ramps.row({t, reward, s, k, series.mean_rpe[s][k]});
            slopes.row({t, reward, s, series.slope[s]});
            for (std::size_t x = 0; x < series.v_td_end[s].size(); ++x)
              values.row({t, s, x, series.v_td_end[s][x], series.v_mb_end[s][x]});
          }
        }
        traces.close();
        ramps.close();
        slopes.close();
        values.close();

        nlohmann::json by_reward = nlohmann::json::object();
        for (double reward : c.rewards) {
          nlohmann::json list = nlohmann::json::array();
          for (int s = 0; s < c.sessions; ++s)
            list.push_back(r.slope_for_reward(reward, s));
          by_reward[condition_key(reward)] = list;
        }
        nlohmann::json summary = {{"session_0_slopes", slopes_by_reward(c, r, 0)},
                                  {"slopes_by_reward", by_reward}};
        if (c.swap_session >= 0 && c.swap_session < c.sessions) {
          summary["swap_session"] = c.swap_session;
          if (c.swap_session > 0)
            summary["pre_swap_slopes"] = slopes_by_reward(c, r, c.swap_session - 1);
          summary["swap_slopes"] = slopes_by_reward(c, r, c.swap_session);
        }
        return summary;
      }};
}

ConfiguredExperiment configure_guru_wheel(networks::ObjectReader& reader) {
  GuruWheelConfig c;
  ExperimentParams p(reader);
  p.whole("num_states", c.num_states);
  p.number("reward", c.reward);
  p.whole("sessions", c.sessions);
  p.whole("episodes_per_session", c.episodes_per_session);
  p.number("alpha", c.alpha);
  p.number("alpha_mb", c.alpha_mb);
  p.number("gamma", c.gamma);
  p.number("k", c.k);
  p.number("initial_reward", c.initial_reward);
  p.number("time_code", c.time_code);
  p.whole("max_steps", c.max_steps);
  p.finish();
  p.check([&] { validate(c); });
  return {
      p.resolved(), [c](const ExperimentContext& cx) {
        const GuruWheelResult r = run_guru_wheel(c);
        io::CsvWriter traces = trace_csv(cx, "traces.csv", {"session"});
        io::CsvWriter ramps(cx.folder.path("session_rpe.csv"), {"session", "step", "mean_delta"});
        io::CsvWriter slopes(cx.folder.path("slopes.csv"), {"session", "slope"});
        io::CsvWriter values(cx.folder.path("values.csv"), {"session", "state", "v_td"});
        std::int64_t episode = 0;
        for (std::size_t s = 0; s < r.episodes.size(); ++s) {
          for (const EpisodeTrace& trace : r.episodes[s])
            write_trace(traces, {s}, episode++, trace);
          for (std::size_t k = 0; k < r.mean_rpe[s].size(); ++k)
            ramps.row({s, k, r.mean_rpe[s][k]});
          slopes.row({s, r.slope[s]});
          for (std::size_t x = 0; x < r.v_td_end[s].size(); ++x)
            values.row({s, x, r.v_td_end[s][x]});
        }
        traces.close();
        ramps.close();
        slopes.close();
        values.close();
        return nlohmann::json{{"slopes", r.slope},
                              {"first_session_slope", r.slope.front()},
                              {"last_session_slope", r.slope.back()}};
      }};
}

const bool registered_track = Experiments::instance().add(
    {"ramps_guru_track",
     "two 35-state tracks paying 1 and 2, 18 sessions, rewards swapped at session 17: ramp slope "
     "per session 0.0221 and 0.0442 in session 0, fading, flipped by the swap (Guru et al. 2020; "
     "Priestley et al., Fig. 2)",
     configure_guru_track});

const bool registered_wheel = Experiments::instance().add(
    {"ramps_guru_wheel",
     "running wheel of 10 steps paying 2, dual process with features, 10 sessions: the ramp "
     "persists across sessions (Guru et al. 2020; Priestley et al., Fig. 2)",
     configure_guru_wheel});

}  // namespace

}  // namespace bgsim::tasks::ramps
