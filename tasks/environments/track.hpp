#pragma once
// Linear track and running wheel (the environments of the dual-process
// dopamine-ramp experiments: Guru et al. 2020, Kim et al. 2020, Mikhael et
// al. 2022, as simulated by Priestley et al., "Dopamine ramps as a normative
// consequence of dual process control"; reference code
// github.com/lpriestley/dopamine_ramps, classes Track and Wheel).
//
// States 0 .. n−1; every trial starts at 0; the goal is n−1. Action 1 moves
// forward by `step_size` states (clipped at the goal), action 0 moves back by
// the same amount (clipped at 0); no_action stays in place. The reward is delivered on the step
// taken *from* the goal; that step ends the trial (TaskStep::terminal), and the agent does not move
// on it:
//
//   step from s:  r = R·[s = goal],  terminal = [s = goal],
//                 s' = s if terminal, else min(n−1, s + step_size)   (forward)
//
// Two manipulations of Kim et al. (2020):
//   teleport(dest)  jump to dest in one step; the reward and the end of the
//                   trial are those of the *destination* (r = R·[dest = goal]);
//   pause(pos)      hold the agent at pos for one step (r = R·[pos = goal]).
//
// The running wheel (Guru et al. 2020) has the same dynamics: the animal runs
// in place for n steps before the reward, so what differs is the agent's
// representation (tasks/representations/track_features.hpp: wheel_features), not the task.
//
// Time: each step, teleport or pause lasts `step_ms`; the reference model has
// no time unit, so the default (100 ms) only places events on a clock.

#include <cstdint>
#include <string_view>

#include "tasks/task.hpp"

namespace bgsim::tasks {

struct TrackParams {
  int num_states = 10;     // number of positions n, start 0, goal n−1 [states], at least 1
  double reward = 1.0;     // reward delivered on the step from the goal [reward units], finite
  int step_size = 1;       // positions advanced per step (running speed) [states/step], >= 1
  double step_ms = 100.0;  // duration of one step [ms], > 0
};

void validate(const TrackParams& p);

class Track : public Task {
 public:
  static constexpr int kBack = 0;     // action: move towards the start
  static constexpr int kForward = 1;  // action: move towards the goal

  explicit Track(const TrackParams& params = {});

  std::string_view name() const override { return "linear_track"; }
  int num_states() const override { return params_.num_states; }
  int num_actions() const override { return 2; }
  double step_ms() const override { return params_.step_ms; }
  TaskStep reset() override;
  TaskStep step(int action) override;
  void save(CheckpointWriter& w) const override;
  void load(CheckpointReader& r) override;

  // Kim et al. (2020) manipulations; each takes one step of time.
  TaskStep teleport(int destination);  // destination is clipped to [0, n−1]
  TaskStep pause(int position);        // holds the agent at `position`

  int position() const { return position_; }
  int goal_state() const { return params_.num_states - 1; }
  const TrackParams& params() const { return params_; }
  void set_reward(double reward);     // e.g. the reward swap of Guru et al.
  void set_step_size(int step_size);  // running speed (Kim et al., Mikhael et al.)

 private:
  TaskStep begin_step();
  void finish_step(TaskStep& out, int origin, double reward, bool terminal);

  TrackParams params_;
  int position_ = 0;
  std::int64_t trial_ = -1;
  int time_step_ = 0;
  double time_ms_ = 0.0;
  bool in_trial_ = false;
};

// The running wheel of Guru et al. (2020): a Track under another name.
class RunningWheel final : public Track {
 public:
  using Track::Track;
  std::string_view name() const override { return "running_wheel"; }
};

}  // namespace bgsim::tasks
