// State uncertainty and ramps (Mikhael et al. 2022) as ready experiments of
// `bgsim run` (tasks/experiments/ramps_uncertainty_assumptions.json,
// ramps_mikhael_track.json). Files and figures: docs/agents/dual_process.md,
// "Running it".

#include "core/io/csv.hpp"
#include "tasks/experiment.hpp"
#include "tasks/ramps/experiment_io.hpp"
#include "tasks/ramps/mikhael.hpp"

namespace bgsim::tasks::ramps {

namespace {

ConfiguredExperiment configure_uncertainty(networks::ObjectReader& reader) {
  UncertaintyAssumptionsConfig c;
  ExperimentParams p(reader);
  p.whole("num_states", c.num_states);
  p.number("reward", c.reward);
  p.whole("episodes", c.episodes);
  p.number("alpha", c.alpha);
  p.number("gamma", c.gamma);
  p.number("sigma_static", c.sigma_static);
  p.number("sigma_t", c.sigma_t);
  p.number("sigma_next", c.sigma_next);
  p.whole("sharp_tail", c.sharp_tail);
  p.number("sigma_tail", c.sigma_tail);
  p.whole("max_steps", c.max_steps);
  p.finish();
  p.check([&] { validate(c); });
  return {p.resolved(), [c](const ExperimentContext& cx) {
            const UncertaintyAssumptionsResult r = run_uncertainty_assumptions(c);
            io::CsvWriter traces = trace_csv(cx, "traces.csv", {"condition"});
            io::CsvWriter values(cx.folder.path("values.csv"),
                                 {"condition", "state", "value", "true_value", "error"});
            io::CsvWriter errors(cx.folder.path("mean_error.csv"),
                                 {"condition", "episode", "mean_error"});
            nlohmann::json summary = nlohmann::json::object();
            for (const auto& [condition, run] :
                 {std::pair{"static", &r.static_run}, std::pair{"dynamic", &r.dynamic_run}}) {
              for (std::size_t e = 0; e < run->episodes.size(); ++e) {
                write_trace(traces, {condition}, static_cast<std::int64_t>(e), run->episodes[e]);
                errors.row({condition, e, run->mean_error[e]});
              }
              for (std::size_t s = 0; s < run->values.size(); ++s)
                values.row({condition, s, run->values[s], r.true_values[s], run->error[s]});
              summary[condition] = {{"max_error", run->max_error},
                                    {"mean_error", run->mean_error.back()}};
            }
            traces.close();
            values.close();
            errors.close();
            return summary;
          }};
}

ConfiguredExperiment configure_mikhael(networks::ObjectReader& reader) {
  MikhaelTrackConfig c;
  ExperimentParams p(reader);
  p.whole("num_states", c.num_states);
  p.number("reward", c.reward);
  p.whole("training_episodes", c.training_episodes);
  p.number("bright_width", c.bright_width);
  p.number("dark_start_width", c.dark_start_width);
  p.number("dark_end_width", c.dark_end_width);
  p.whole("slow_step", c.slow_step);
  p.whole("fast_step", c.fast_step);
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
        const MikhaelTrackResult r = run_mikhael_track(c);
        io::CsvWriter training = trace_csv(cx, "training.csv", {});
        for (const EpisodeTrace& trace : r.training)
          write_trace(training, {}, trace.episode, trace);
        training.close();

        io::CsvWriter traces = trace_csv(cx, "traces.csv", {"lighting", "speed", "step_size"});
        io::CsvWriter probes(cx.folder.path("probes.csv"),
                             {"lighting", "speed", "step_size", "approach_slope", "reward_rpe"});
        nlohmann::json summary = nlohmann::json::object();
        for (const MikhaelProbe& probe : r.probes) {
          const std::string lighting = probe.dark ? "dark" : "bright";
          const std::string speed = probe.fast ? "fast" : "slow";
          const int step_size = probe.fast ? c.fast_step : c.slow_step;
          write_trace(traces, {lighting, speed, step_size}, probe.trace.episode, probe.trace);
          probes.row({lighting, speed, step_size, probe.slope, probe.reward_rpe});
          summary[lighting + "_" + speed] = {{"approach_slope", probe.slope},
                                             {"reward_rpe", probe.reward_rpe}};
        }
        traces.close();
        probes.close();

        io::CsvWriter widths(cx.folder.path("widths.csv"), {"state", "bright_sigma", "dark_sigma"});
        for (std::size_t s = 0; s < r.bright_widths.size(); ++s)
          widths.row({s, r.bright_widths[s], r.dark_widths[s]});
        widths.close();
        return summary;
      }};
}

const bool registered_uncertainty = Experiments::instance().add(
    {"ramps_uncertainty_assumptions",
     "linear TD on a 50-state track under static (σ = 0.1) and dynamic (σ_t = 0.1, σ_t' = 3.0) "
     "state uncertainty: dynamic uncertainty over-estimates the values, static does not "
     "(Mikhael et al. 2022; Priestley et al., Fig. 5)",
     configure_uncertainty});

const bool registered_mikhael = Experiments::instance().add(
    {"ramps_mikhael_track",
     "dual process with blurred features on an 87-state track, probed bright and dark, slow and "
     "fast: darkness flattens the ramp and raises the RPE at the reward (Mikhael et al. 2022; "
     "Priestley et al., Fig. 5)",
     configure_mikhael});

}  // namespace

}  // namespace bgsim::tasks::ramps
