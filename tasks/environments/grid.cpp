#include "tasks/environments/grid.hpp"

#include "core/parameters.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>
#include <string>

namespace bgsim::tasks {
namespace {

void require_index(const std::string& name, int value, int size) {
  if (value < 0 || value >= size) {
    refuse(name, value, "must be in [0, " + std::to_string(size - 1) + "]");
  }
}

void require_probability(const std::string& name, double p) {
  if (!(std::isfinite(p) && p >= 0.0 && p <= 1.0))
    refuse(name, p, "must be a probability in [0, 1]");
}

}  // namespace

void validate(const GridParams& p) {
  if (p.rows < 1) refuse("GridParams.rows", p.rows, "must be at least 1");
  if (p.cols < 1) refuse("GridParams.cols", p.cols, "must be at least 1");
  require_index("GridParams.goal_row", p.goal_row, p.rows);
  require_index("GridParams.goal_col", p.goal_col, p.cols);
  require_probability("GridParams.p_reward", p.p_reward);
  if (!std::isfinite(p.reward)) refuse("GridParams.reward", p.reward, "must be finite");
  if (!(std::isfinite(p.step_ms) && p.step_ms > 0.0)) {
    refuse("GridParams.step_ms", p.step_ms, "must be a finite duration > 0 ms");
  }
}

Grid::Grid(const GridParams& params) : params_(params), rng_(params.seed) {
  validate(params_);
  start_row_ = params_.rows - 1;
  start_col_ = 0;
}

void Grid::set_start(int row, int col) {
  require_index("Grid::set_start row", row, params_.rows);
  require_index("Grid::set_start col", col, params_.cols);
  start_row_ = row;
  start_col_ = col;
}

void Grid::set_reward_probability(double p) {
  require_probability("Grid::set_reward_probability p", p);
  params_.p_reward = p;
}

TaskStep Grid::reset() {
  ++trial_;
  time_step_ = 0;
  row_ = start_row_;
  col_ = start_col_;
  in_trial_ = true;
  // One draw per trial, whatever p is, so the stream stays aligned across
  // conditions that only change p.
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  trial_reward_ = uniform(rng_) < params_.p_reward ? params_.reward : 0.0;

  TaskStep out;
  out.trial = trial_;
  out.time_ms = time_ms_;
  out.state = index(row_, col_);
  out.events.push_back({time_ms_, EventKind::trial_start, 0, 0.0, false});
  out.events.push_back({time_ms_, EventKind::state_change, out.state, 0.0, false});
  return out;
}

TaskStep Grid::step(int action) {
  if (action < kUp || action > kRight) {
    refuse("Grid::step action", action, "must be 0 (up), 1 (down), 2 (left) or 3 (right)");
  }
  if (!in_trial_) throw std::logic_error("Grid: step called outside a trial (call reset())");
  time_ms_ += params_.step_ms;
  ++time_step_;
  TaskStep out;
  out.trial = trial_;
  out.time_step = time_step_;
  out.time_ms = time_ms_;

  const int origin = index(row_, col_);
  const bool terminal = origin == goal_state();
  const double reward = terminal ? trial_reward_ : 0.0;
  if (!terminal) {
    switch (action) {
      case kUp:
        row_ = std::max(0, row_ - 1);
        break;
      case kDown:
        row_ = std::min(params_.rows - 1, row_ + 1);
        break;
      case kLeft:
        col_ = std::max(0, col_ - 1);
        break;
      default:
        col_ = std::min(params_.cols - 1, col_ + 1);
        break;
    }
  }
  out.state = index(row_, col_);
  out.reward = reward;
  out.terminal = terminal;
  if (out.state != origin) {
    out.events.push_back({time_ms_, EventKind::state_change, out.state, 0.0, false});
  }
  if (reward != 0.0) out.events.push_back({time_ms_, EventKind::reward, out.state, reward, false});
  if (terminal) {
    out.events.push_back({time_ms_, EventKind::trial_end, 0, 0.0, false});
    in_trial_ = false;
  }
  return out;
}

}  // namespace bgsim::tasks
