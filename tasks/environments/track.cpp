#include "tasks/environments/track.hpp"

#include "core/parameters.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>
#include <string>

namespace bgsim::tasks {
namespace {}  // namespace

void validate(const TrackParams& p) {
  if (p.num_states < 1) refuse("TrackParams.num_states", p.num_states, "must be at least 1");
  if (!std::isfinite(p.reward)) refuse("TrackParams.reward", p.reward, "must be finite");
  if (p.step_size < 1) refuse("TrackParams.step_size", p.step_size, "must be at least 1 state");
  if (!(std::isfinite(p.step_ms) && p.step_ms > 0.0)) {
    refuse("TrackParams.step_ms", p.step_ms, "must be a finite duration > 0 ms");
  }
}

Track::Track(const TrackParams& params) : params_(params) {
  validate(params_);
}

TaskStep Track::reset() {
  ++trial_;
  time_step_ = 0;
  position_ = 0;
  in_trial_ = true;
  TaskStep out;
  out.trial = trial_;
  out.time_step = 0;
  out.time_ms = time_ms_;
  out.state = position_;
  out.events.push_back({time_ms_, EventKind::trial_start, 0, 0.0, false});
  out.events.push_back({time_ms_, EventKind::state_change, position_, 0.0, false});
  return out;
}

TaskStep Track::begin_step() {
  if (!in_trial_) {
    throw std::logic_error("Track: step, teleport or pause called outside a trial (call reset())");
  }
  time_ms_ += params_.step_ms;
  ++time_step_;
  TaskStep out;
  out.trial = trial_;
  out.time_step = time_step_;
  out.time_ms = time_ms_;
  return out;
}

void Track::finish_step(TaskStep& out, int origin, double reward, bool terminal) {
  out.state = position_;
  out.reward = reward;
  out.terminal = terminal;
  if (position_ != origin) {
    out.events.push_back({time_ms_, EventKind::state_change, position_, 0.0, false});
  }
  if (reward != 0.0) out.events.push_back({time_ms_, EventKind::reward, position_, reward, false});
  if (terminal) {
    out.events.push_back({time_ms_, EventKind::trial_end, 0, 0.0, false});
    in_trial_ = false;
  }
}

TaskStep Track::step(int action) {
  if (action != kBack && action != kForward && action != no_action) {
    refuse("Track::step action", action, "must be 0 (back), 1 (forward) or no_action (stay)");
  }
  TaskStep out = begin_step();
  const int origin = position_;
  const bool terminal = origin == goal_state();
  const double reward = terminal ? params_.reward : 0.0;
  if (!terminal && action != no_action) {
    position_ = action == kForward ? std::min(goal_state(), position_ + params_.step_size)
                                   : std::max(0, position_ - params_.step_size);
  }
  finish_step(out, origin, reward, terminal);
  return out;
}

TaskStep Track::teleport(int destination) {
  TaskStep out = begin_step();
  const int origin = position_;
  position_ = std::clamp(destination, 0, goal_state());
  const bool terminal = position_ == goal_state();
  finish_step(out, origin, terminal ? params_.reward : 0.0, terminal);
  return out;
}

TaskStep Track::pause(int position) {
  if (position < 0 || position > goal_state()) {
    refuse("Track::pause position", position,
           "must be a track position in [0, " + std::to_string(goal_state()) + "]");
  }
  TaskStep out = begin_step();
  const int origin = position_;
  position_ = position;
  const bool terminal = position_ == goal_state();
  out.events.push_back({time_ms_, EventKind::pause, position_, 1.0, false});
  finish_step(out, origin, terminal ? params_.reward : 0.0, terminal);
  return out;
}

void Track::set_reward(double reward) {
  TrackParams p = params_;
  p.reward = reward;
  validate(p);
  params_ = p;
}

void Track::set_step_size(int step_size) {
  TrackParams p = params_;
  p.step_size = step_size;
  validate(p);
  params_ = p;
}

void Track::save(CheckpointWriter& w) const {
  w.section("track");
  w.value(params_);
  w.value(position_);
  w.value(trial_);
  w.value(time_step_);
  w.value(time_ms_);
  w.value(in_trial_);
}

void Track::load(CheckpointReader& r) {
  r.section("track");
  params_ = r.value<TrackParams>();  // set_reward and set_step_size change them
  position_ = r.value<int>();
  trial_ = r.value<std::int64_t>();
  time_step_ = r.value<int>();
  time_ms_ = r.value<double>();
  in_trial_ = r.value<bool>();
}

}  // namespace bgsim::tasks
