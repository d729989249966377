#include "tasks/ramps/krausz.hpp"

#include <string>

#include "models/agents/dual_process.hpp"
#include "tasks/environments/grid.hpp"

namespace bgsim::tasks::ramps {
namespace {

// The fixed policy: close the row gap first, then the column gap. From
// (9, 0) to (0, 0) that is straight up, from (0, 9) straight left — the
// reference's two routes.
struct TowardsGoal {
  int cols;
  GridCell goal;
  int operator()(const TaskStep& now) const {
    const int row = now.state / cols;
    const int col = now.state % cols;
    if (row > goal.row) return Grid::kUp;
    if (row < goal.row) return Grid::kDown;
    if (col > goal.col) return Grid::kLeft;
    return Grid::kRight;  // (at the goal the action is ignored)
  }
};

void require_cell(const std::string& name, const GridCell& cell, int rows, int cols) {
  if (cell.row < 0 || cell.row >= rows) {
    detail::refuse(name + ".row", cell.row, "must be in [0, " + std::to_string(rows - 1) + "]");
  }
  if (cell.col < 0 || cell.col >= cols) {
    detail::refuse(name + ".col", cell.col, "must be in [0, " + std::to_string(cols - 1) + "]");
  }
}

}  // namespace

void validate(const KrauszGridConfig& c) {
  detail::require_at_least("KrauszGridConfig.rows", c.rows, 1);
  detail::require_at_least("KrauszGridConfig.cols", c.cols, 1);
  require_cell("KrauszGridConfig.goal", c.goal, c.rows, c.cols);
  require_cell("KrauszGridConfig.start_a", c.start_a, c.rows, c.cols);
  require_cell("KrauszGridConfig.start_b", c.start_b, c.rows, c.cols);
  detail::require_unit_interval("KrauszGridConfig.p_reward", c.p_reward);
  detail::require_finite("KrauszGridConfig.reward", c.reward);
  detail::require_at_least("KrauszGridConfig.training_episodes", c.training_episodes, 0);
  detail::require_unit_interval("KrauszGridConfig.alpha", c.alpha);
  detail::require_unit_interval("KrauszGridConfig.alpha_mb", c.alpha_mb);
  detail::require_unit_interval("KrauszGridConfig.gamma", c.gamma);
  detail::require_unit_interval("KrauszGridConfig.k", c.k);
  detail::require_finite("KrauszGridConfig.initial_reward", c.initial_reward);
  detail::require_at_least("KrauszGridConfig.max_steps", c.max_steps, 1);
}

KrauszGridResult run_krausz_grid(const KrauszGridConfig& c) {
  validate(c);
  GridParams gp;
  gp.rows = c.rows;
  gp.cols = c.cols;
  gp.goal_row = c.goal.row;
  gp.goal_col = c.goal.col;
  gp.p_reward = c.p_reward;
  gp.reward = c.reward;
  gp.seed = c.seed;
  Grid grid(gp);

  agents::DualGridParams dp;
  dp.rows = c.rows;
  dp.cols = c.cols;
  dp.goal_row = c.goal.row;
  dp.goal_col = c.goal.col;
  dp.initial_reward = c.initial_reward;
  dp.rates.alpha = c.alpha;
  dp.rates.alpha_mb = c.alpha_mb;
  dp.rates.gamma = c.gamma;
  dp.rates.k = c.k;
  agents::DualGrid agent(dp);
  const TowardsGoal policy{c.cols, c.goal};

  auto run_from = [&](const GridCell& start) {
    grid.set_start(start.row, start.col);
    return run_episode(grid, agent, policy, c.max_steps);
  };

  KrauszGridResult result;
  double sum_after_reward = 0.0, sum_after_omission = 0.0;
  int n_after_reward = 0, n_after_omission = 0;
  for (int e = 0; e < c.training_episodes; ++e) {
    result.training.push_back(run_from(e % 2 == 0 ? c.start_a : c.start_b));
    result.training_outcome.push_back(grid.trial_reward());
    if (e > 0) {
      const double ramp = approach_mean(result.training.back());
      if (result.training_outcome[static_cast<std::size_t>(e - 1)] > 0.0) {
        sum_after_reward += ramp;
        ++n_after_reward;
      } else {
        sum_after_omission += ramp;
        ++n_after_omission;
      }
    }
  }
  if (n_after_reward > 0) result.training_ramp_after_reward = sum_after_reward / n_after_reward;
  if (n_after_omission > 0) {
    result.training_ramp_after_omission = sum_after_omission / n_after_omission;
  }

  grid.set_reward_probability(0.0);
  result.omission_trial = run_from(c.start_a);
  result.v_mb_after_omission = agent.v_mb_map();
  grid.set_reward_probability(1.0);
  result.reward_trial = run_from(c.start_b);
  result.v_mb_after_reward = agent.v_mb_map();
  grid.set_reward_probability(c.p_reward);
  result.probe_trial = run_from(c.start_a);
  result.ramp_after_omission = approach_mean(result.reward_trial);
  result.ramp_after_reward = approach_mean(result.probe_trial);
  return result;
}

}  // namespace bgsim::tasks::ramps
