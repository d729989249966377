#pragma once
// Grid world with a probabilistic goal reward (Krausz et al. 2023, Neuron,
// "Dual credit assignment processes underlie dopamine signals in a complex
// spatial environment"; as simulated by Priestley et al., reference code
// github.com/lpriestley/dopamine_ramps, class KrauszGrid).
//
// Cells (row, col), rows × cols; discrete state s = row · cols + col. Actions
// 0 up (row − 1), 1 down (row + 1), 2 left (col − 1), 3 right (col + 1),
// clipped at the walls. At the start of every trial the goal's reward is drawn
// once, r_goal ~ R · Bernoulli(p), from the task's own random stream; the
// reward is delivered on the step taken from the goal, which ends the trial
// (the agent does not move on it), as on the linear track.
//
// Trials start from the cell set by set_start() (default: the bottom-left
// cell, (rows − 1, 0)).

#include <cstdint>
#include <random>
#include <string_view>

#include "tasks/task.hpp"

namespace bgsim::tasks {

struct GridParams {
  int rows = 10;            // grid height [cells], at least 1
  int cols = 10;            // grid width [cells], at least 1
  int goal_row = 0;         // goal row [cell], in [0, rows)
  int goal_col = 0;         // goal column [cell], in [0, cols)
  double p_reward = 0.5;    // probability that the goal is rewarded on a trial [dimensionless]
  double reward = 1.0;      // reward magnitude when it is delivered [reward units], finite
  double step_ms = 100.0;   // duration of one step [ms], > 0
  std::uint64_t seed = 18;  // seed of the task's random stream (reward draws) [—]
};

void validate(const GridParams& p);

class Grid final : public Task {
 public:
  static constexpr int kUp = 0;
  static constexpr int kDown = 1;
  static constexpr int kLeft = 2;
  static constexpr int kRight = 3;

  explicit Grid(const GridParams& params = {});

  std::string_view name() const override { return "grid"; }
  int num_states() const override { return params_.rows * params_.cols; }
  int num_actions() const override { return 4; }
  double step_ms() const override { return params_.step_ms; }
  TaskStep reset() override;  // new trial from the start cell; draws the goal reward
  TaskStep step(int action) override;

  int index(int row, int col) const { return row * params_.cols + col; }
  int row() const { return row_; }
  int col() const { return col_; }
  int goal_state() const { return index(params_.goal_row, params_.goal_col); }
  // The reward the goal holds on the current trial (0 or `reward`).
  double trial_reward() const { return trial_reward_; }
  const GridParams& params() const { return params_; }

  void set_start(int row, int col);
  void set_reward_probability(double p);  // e.g. 0 or 1 for forced test trials

 private:
  GridParams params_;
  std::mt19937_64 rng_;
  int start_row_ = 0;
  int start_col_ = 0;
  int row_ = 0;
  int col_ = 0;
  double trial_reward_ = 0.0;
  std::int64_t trial_ = -1;
  int time_step_ = 0;
  double time_ms_ = 0.0;
  bool in_trial_ = false;
};

}  // namespace bgsim::tasks
