// Krausz et al. (2023) grid as a ready experiment of `bgsim run`
// (tasks/experiments/ramps_krausz_grid.json). The grid's reward draws are
// seeded by the description's seed. Files and figures:
// docs/agents/dual_process.md, "Running it".

#include <limits>

#include "core/io/csv.hpp"
#include "tasks/experiment.hpp"
#include "tasks/ramps/experiment_io.hpp"
#include "tasks/ramps/krausz.hpp"

namespace bgsim::tasks::ramps {

namespace {

// A cell as [row, col]: the JSON reads like the figure's coordinates.
nlohmann::json read_cell(ExperimentParams& p, const std::string& key, GridCell& cell) {
  std::vector<int> rc = {cell.row, cell.col};
  read_whole_numbers(p, key, rc);
  if (rc.size() == 2) {
    cell = {rc[0], rc[1]};
  } else {
    p.reader().error(key,
                     "expected a cell [row, col], got " + std::to_string(rc.size()) + " numbers");
  }
  return nlohmann::json::array({cell.row, cell.col});
}

// The reward a trial delivered (only its terminal step pays).
double outcome_of(const EpisodeTrace& trace) {
  double sum = 0.0;
  for (double r : trace.rewards)
    sum += r;
  return sum;
}

ConfiguredExperiment configure_krausz(networks::ObjectReader& reader) {
  KrauszGridConfig c;
  ExperimentParams p(reader);
  p.whole("rows", c.rows);
  p.whole("cols", c.cols);
  nlohmann::json goal = read_cell(p, "goal", c.goal);
  p.number("p_reward", c.p_reward);
  p.number("reward", c.reward);
  p.whole("training_episodes", c.training_episodes);
  nlohmann::json start_a = read_cell(p, "start_a", c.start_a);
  nlohmann::json start_b = read_cell(p, "start_b", c.start_b);
  p.number("alpha", c.alpha);
  p.number("alpha_mb", c.alpha_mb);
  p.number("gamma", c.gamma);
  p.number("k", c.k);
  p.number("initial_reward", c.initial_reward);
  p.whole("max_steps", c.max_steps);
  p.finish();
  p.check([&] { validate(c); });
  nlohmann::json resolved = p.resolved();
  resolved["goal"] = goal;
  resolved["start_a"] = start_a;
  resolved["start_b"] = start_b;
  return {
      resolved, [c](const ExperimentContext& cx) {
        KrauszGridConfig config = c;
        config.seed = cx.seed;  // the description's seed draws the rewards
        const KrauszGridResult r = run_krausz_grid(config);

        io::CsvWriter traces =
            trace_csv(cx, "traces.csv",
                      {"trial_type", "start_row", "start_col", "outcome", "previous_outcome"});
        double previous = std::numeric_limits<double>::quiet_NaN();
        std::int64_t episode = 0;
        auto write = [&](const std::string& type, const GridCell& start, double outcome,
                         const EpisodeTrace& trace) {
          write_trace(traces, {type, start.row, start.col, outcome, previous}, episode++, trace);
          previous = outcome;
        };
        for (std::size_t e = 0; e < r.training.size(); ++e)
          write("training", e % 2 == 0 ? c.start_a : c.start_b, r.training_outcome[e],
                r.training[e]);
        write("omission", c.start_a, outcome_of(r.omission_trial), r.omission_trial);
        write("reward", c.start_b, outcome_of(r.reward_trial), r.reward_trial);
        write("probe", c.start_a, outcome_of(r.probe_trial), r.probe_trial);
        traces.close();

        io::CsvWriter maps(cx.folder.path("v_mb.csv"), {"after", "row", "col", "v_mb"});
        for (const auto& [after, map] : {std::pair{"omission", &r.v_mb_after_omission},
                                         std::pair{"reward", &r.v_mb_after_reward}})
          for (Eigen::Index i = 0; i < map->rows(); ++i)
            for (Eigen::Index j = 0; j < map->cols(); ++j)
              maps.row({after, i, j, (*map)(i, j)});
        maps.close();

        int rewarded = 0;
        for (double o : r.training_outcome)
          rewarded += o > 0.0 ? 1 : 0;
        return nlohmann::json{{"ramp_after_omission", r.ramp_after_omission},
                              {"ramp_after_reward", r.ramp_after_reward},
                              {"training_ramp_after_omission", r.training_ramp_after_omission},
                              {"training_ramp_after_reward", r.training_ramp_after_reward},
                              {"training_rewarded_trials", rewarded},
                              {"seed", cx.seed}};
      }};
}

const bool registered = Experiments::instance().add(
    {"ramps_krausz_grid",
     "dual process on a 10 × 10 grid whose goal pays with p = 0.5, trials alternating between "
     "two starts: a reward on one trial raises the ramp on the next, even from the other start "
     "(Krausz et al. 2023; Priestley et al., Fig. 6)",
     configure_krausz});

}  // namespace

}  // namespace bgsim::tasks::ramps
