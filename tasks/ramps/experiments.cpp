// The dual-process ramp experiments as ready experiments of `bgsim run`
// (tasks/experiments/ramps_*.json). Each writes its per-episode, per-step
// traces as one tidy CSV (one row per step: agent, episode, step, state,
// next_state, reward, value, delta) and returns its published summary numbers.

#include "core/io/csv.hpp"
#include "tasks/experiment.hpp"
#include "tasks/ramps/demo.hpp"

namespace bgsim::tasks::ramps {

namespace {

void write_traces(io::CsvWriter& csv, const std::string& agent,
                  const std::vector<EpisodeTrace>& episodes) {
  for (std::size_t e = 0; e < episodes.size(); ++e) {
    const EpisodeTrace& t = episodes[e];
    for (std::size_t s = 0; s < t.deltas.size(); ++s)
      csv.row({agent, e, s, t.states[s], t.next_states[s], t.rewards[s], t.values[s], t.deltas[s]});
  }
}

io::CsvWriter trace_csv(const ExperimentContext& cx, const std::string& file) {
  return io::CsvWriter(cx.folder.path(file), {"agent", "episode", "step", "state", "next_state",
                                              "reward", "value", "delta"});
}

ConfiguredExperiment configure_demo(networks::ObjectReader& reader) {
  DemoConfig c;
  ExperimentParams p(reader);
  p.whole("num_states", c.num_states);
  p.number("reward", c.reward);
  p.number("gamma", c.gamma);
  p.number("alpha", c.alpha);
  p.number("k", c.k);
  p.number("alpha_mb", c.alpha_mb);
  p.number("initial_reward", c.initial_reward);
  p.whole("max_episodes", c.max_episodes);
  p.whole("max_steps", c.max_steps);
  p.whole("convergence_decimals", c.convergence_decimals);
  p.finish();
  p.check([&] { validate(c); });
  return {p.resolved(), [c](const ExperimentContext& cx) {
            const DemoResult r = run_demo(c);
            io::CsvWriter csv = trace_csv(cx, "traces.csv");
            write_traces(csv, "dual", r.dual.episodes);
            write_traces(csv, "td", r.td.episodes);
            csv.close();
            io::CsvWriter values(cx.folder.path("values.csv"), {"agent", "state", "v_td", "v_mb"});
            for (std::size_t s = 0; s < r.dual.v_td_after[r.dual.early].size(); ++s)
              values.row({"dual", s, r.dual.v_td_after[r.dual.early][s],
                          r.dual.v_mb_after[r.dual.early][s]});
            values.close();
            const auto run = [](const DemoRun& d) {
              return nlohmann::json{{"converged", d.converged},
                                    {"episodes_to_converge", d.episodes_to_converge},
                                    {"episode_5_percent", d.early},
                                    {"episode_50_percent", d.mid},
                                    {"episode_85_percent", d.late}};
            };
            return nlohmann::json{{"dual", run(r.dual)}, {"td", run(r.td)}};
          }};
}

const bool registered = Experiments::instance().add(
    {"ramps_demo",
     "dual process vs TD on a 20-state track: ramping RPEs from the first episode; "
     "convergence after 624 vs 1510 episodes (Priestley et al.)",
     configure_demo});

}  // namespace

}  // namespace bgsim::tasks::ramps
