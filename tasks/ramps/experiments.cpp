// The dual-process ramp experiments of demo.hpp as ready experiments of
// `bgsim run` (tasks/experiments/ramps_demo.json,
// ramps_compare_architectures.json). The other ramp experiments register
// next to this file (*_experiments.cpp); the trace table is described in
// experiment_io.hpp, the files and figures in docs/agents/dual_process.md.

#include "core/io/csv.hpp"
#include "tasks/experiment.hpp"
#include "tasks/ramps/demo.hpp"
#include "tasks/ramps/experiment_io.hpp"

namespace bgsim::tasks::ramps {

namespace {

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
            io::CsvWriter csv = trace_csv(cx, "traces.csv", {"agent"});
            for (const auto& [agent, run] : {std::pair{"dual", &r.dual}, std::pair{"td", &r.td}})
              for (std::size_t e = 0; e < run->episodes.size(); ++e)
                write_trace(csv, {agent}, static_cast<std::int64_t>(e), run->episodes[e]);
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

ConfiguredExperiment configure_compare_architectures(networks::ObjectReader& reader) {
  CompareArchitecturesConfig c;
  ExperimentParams p(reader);
  p.whole("num_states", c.num_states);
  p.whole("episodes", c.episodes);
  p.number("reward", c.reward);
  p.number("gamma", c.gamma);
  p.number("alpha", c.alpha);
  p.number("k", c.k);
  p.number("alpha_mb", c.alpha_mb);
  p.number("initial_reward", c.initial_reward);
  p.whole("max_steps", c.max_steps);
  p.number("error_threshold", c.error_threshold);
  p.finish();
  p.check([&] { validate(c); });
  return {p.resolved(), [c](const ExperimentContext& cx) {
            const CompareArchitecturesResult r = run_compare_architectures(c);
            const std::pair<const char*, const ArchitectureRun*> runs[] = {
                {"normative", &r.normative}, {"naive", &r.naive}, {"td", &r.td}};
            io::CsvWriter csv = trace_csv(cx, "traces.csv", {"agent"});
            io::CsvWriter errors(cx.folder.path("value_error.csv"),
                                 {"agent", "episode", "value_error"});
            nlohmann::json summary = nlohmann::json::object();
            for (const auto& [agent, run] : runs) {
              for (std::size_t e = 0; e < run->episodes.size(); ++e) {
                write_trace(csv, {agent}, static_cast<std::int64_t>(e), run->episodes[e]);
                errors.row({agent, e, run->value_error[e]});
              }
              summary[agent] = {{"episodes_to_threshold", run->episodes_to_threshold},
                                {"final_value_error", run->value_error.back()}};
            }
            csv.close();
            errors.close();
            // The published effect in one word: which architecture learned
            // first (−1, never, counts as last).
            const char* fastest = nullptr;
            int best = -1;
            for (const auto& [agent, run] : runs) {
              const int n = run->episodes_to_threshold;
              if (n >= 0 && (best < 0 || n < best)) {
                best = n;
                fastest = agent;
              }
            }
            summary["error_threshold"] = c.error_threshold;
            summary["fastest"] = fastest ? nlohmann::json(fastest) : nlohmann::json(nullptr);
            return summary;
          }};
}

const bool registered_demo = Experiments::instance().add(
    {"ramps_demo",
     "dual process vs TD on a 20-state track: ramping RPEs from the first episode; "
     "convergence after 624 vs 1510 episodes (Priestley et al.)",
     configure_demo});

const bool registered_compare = Experiments::instance().add(
    {"ramps_compare_architectures",
     "normative dual process vs naive dual process vs TD on a 10-state track: value error "
     "mean_s(γ^(n−1−s) − V_TD(s)) over 5000 episodes; the normative dual process learns fastest "
     "(Priestley et al., Fig. 1C)",
     configure_compare_architectures});

}  // namespace

}  // namespace bgsim::tasks::ramps
