#include "tasks/environments/addiction.hpp"

#include <cmath>
#include <stdexcept>

namespace bgsim::tasks {
namespace {

[[noreturn]] void refuse(const std::string& field, double value, const std::string& allowed) {
  throw std::invalid_argument("AddictionTaskParams." + field + " = " + std::to_string(value) +
                              ": must be " + allowed);
}

void check_sd(const std::string& field, double v) {
  if (!(v >= 0.0) || !std::isfinite(v)) refuse(field, v, "finite and >= 0");
}

}  // namespace

void validate(const AddictionTaskParams& p) {
  if (!std::isfinite(p.natural_mean)) refuse("natural_mean", p.natural_mean, "finite");
  if (!std::isfinite(p.drug_mean)) refuse("drug_mean", p.drug_mean, "finite");
  if (!std::isfinite(p.unavailable_mean)) refuse("unavailable_mean", p.unavailable_mean, "finite");
  check_sd("natural_sd", p.natural_sd);
  check_sd("drug_sd", p.drug_sd);
  check_sd("unavailable_sd", p.unavailable_sd);
  if (!(p.step_ms > 0.0) || !std::isfinite(p.step_ms)) refuse("step_ms", p.step_ms, "> 0 ms");
  if (p.phases.empty()) {
    throw std::invalid_argument("AddictionTaskParams.phases is empty: give at least one phase");
  }
  for (std::size_t i = 0; i < p.phases.size(); ++i) {
    const auto& ph = p.phases[i];
    const std::string at = "phases[" + std::to_string(i) + "].";
    if (ph.episodes < 1) refuse(at + "episodes", ph.episodes, ">= 1");
    if (ph.steps_per_episode < 1) refuse(at + "steps_per_episode", ph.steps_per_episode, ">= 1");
  }
}

AddictionTask::AddictionTask(const AddictionTaskParams& params, std::uint64_t seed)
    : params_(params), rng_(seed) {
  validate(params_);
}

std::int64_t AddictionTask::total_episodes() const {
  std::int64_t n = 0;
  for (const auto& ph : params_.phases)
    n += ph.episodes;
  return n;
}

bool AddictionTask::finished() const {
  return !open_ && episode_ + 1 >= total_episodes();
}

TaskStep AddictionTask::reset() {
  if (open_) {
    throw std::logic_error("AddictionTask::reset: episode " + std::to_string(episode_) +
                           " is still running (" + std::to_string(step_) + " of " +
                           std::to_string(phase().steps_per_episode) + " steps)");
  }
  if (finished()) {
    throw std::logic_error("AddictionTask::reset: all " + std::to_string(total_episodes()) +
                           " episodes of the session have been run");
  }
  ++episode_;
  if (++episode_in_phase_ >= phase().episodes) {
    ++phase_;
    episode_in_phase_ = 0;
  }
  step_ = 0;
  open_ = true;
  TaskStep s;
  s.trial = episode_;
  s.time_step = 0;
  s.time_ms = now_ms_;
  s.state = 0;
  s.events.push_back({now_ms_, EventKind::trial_start, phase_, 0.0, false});
  if (drug_cue()) s.events.push_back({now_ms_, EventKind::stimulus_on, 0, 0.0, false});
  s.events.push_back({now_ms_, EventKind::action_request, 0, 0.0, false});
  return s;
}

TaskStep AddictionTask::step(int action) {
  if (!open_) throw std::logic_error("AddictionTask::step: no episode is running; call reset()");
  if (action != kNaturalAction && action != kDrugAction) {
    throw std::invalid_argument("AddictionTask::step: action = " + std::to_string(action) +
                                ": must be 0 (natural) or 1 (drug)");
  }
  // Both outcomes, natural first: the stream does not depend on the choice.
  // (mean + sd·z with z ~ N(0, 1): a zero sd is allowed and still consumes its draw.)
  const double natural_reward = params_.natural_mean + params_.natural_sd * normal_(rng_);
  const double z = normal_(rng_);
  const double drug_reward = drug_available()
                                 ? params_.drug_mean + params_.drug_sd * z
                                 : params_.unavailable_mean + params_.unavailable_sd * z;
  const double t_reward = now_ms_ + 0.5 * params_.step_ms;
  now_ms_ += params_.step_ms;
  ++step_;

  TaskStep s;
  s.trial = episode_;
  s.time_step = step_;
  s.time_ms = now_ms_;
  s.state = 0;
  s.drug = action == kDrugAction && drug_available();
  s.reward = action == kDrugAction ? drug_reward : natural_reward;
  s.terminal = step_ >= phase().steps_per_episode;
  s.events.push_back({t_reward, EventKind::reward, action, s.reward, s.drug});
  if (s.terminal) {
    open_ = false;
    if (drug_cue()) s.events.push_back({now_ms_, EventKind::stimulus_off, 0, 0.0, false});
    s.events.push_back({now_ms_, EventKind::trial_end, phase_, 0.0, false});
  } else {
    s.events.push_back({now_ms_, EventKind::action_request, 0, 0.0, false});
  }
  return s;
}

}  // namespace bgsim::tasks
