#include "tasks/environments/bandit.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace bgsim::tasks {
namespace {

[[noreturn]] void refuse(const std::string& field, double value, const std::string& allowed) {
  throw std::invalid_argument("BanditParams." + field + " = " + std::to_string(value) +
                              ": must be " + allowed);
}

// Uniform in [0, 1): the stream's (0, 1] turned around.
double uniform01(RandomStream& rng) {
  return 1.0 - rng.uniform();
}

}  // namespace

void validate(const BanditParams& p) {
  if (p.num_arms < 2) refuse("num_arms", p.num_arms, "at least 2");
  if (p.trials_per_block < 1) refuse("trials_per_block", p.trials_per_block, "at least 1");
  if (!(p.trial_ms > 0.0) || !std::isfinite(p.trial_ms)) refuse("trial_ms", p.trial_ms, "> 0 ms");
  const bool bernoulli = p.outcome == BanditOutcome::bernoulli;
  if (p.schedule == BanditSchedule::complementary) {
    if (p.num_arms != 2) {
      refuse("num_arms", p.num_arms, "2 for the complementary schedule (μ_1 = 1 − μ_0)");
    }
    if (p.block_options.empty()) {
      throw std::invalid_argument(
          "BanditParams.block_options is empty: the complementary schedule needs at least one "
          "value of μ_0");
    }
    for (double v : p.block_options) {
      if (!(v >= 0.0 && v <= 1.0)) refuse("block_options[]", v, "in [0, 1]");
    }
  } else {
    if (static_cast<int>(p.initial_means.size()) != p.num_arms) {
      throw std::invalid_argument(
          "BanditParams.initial_means has " + std::to_string(p.initial_means.size()) +
          " entries: must have one per arm (" + std::to_string(p.num_arms) + ")");
    }
    for (double v : p.initial_means) {
      if (!std::isfinite(v)) refuse("initial_means[]", v, "finite");
      if (bernoulli && !(v >= 0.0 && v <= 1.0)) {
        refuse("initial_means[]", v, "in [0, 1] for Bernoulli outcomes");
      }
    }
  }
  if (!(p.outcome_sd >= 0.0) || !std::isfinite(p.outcome_sd)) {
    refuse("outcome_sd", p.outcome_sd, "finite and >= 0");
  }
  if (p.schedule == BanditSchedule::drifting) {
    if (!(p.drift_sd >= 0.0) || !std::isfinite(p.drift_sd)) {
      refuse("drift_sd", p.drift_sd, "finite and >= 0");
    }
    if (!(p.drift_lower < p.drift_upper) || !std::isfinite(p.drift_lower) ||
        !std::isfinite(p.drift_upper)) {
      refuse("drift_lower", p.drift_lower, "finite and below drift_upper");
    }
    if (bernoulli && (p.drift_lower < 0.0 || p.drift_upper > 1.0)) {
      refuse("drift_upper", p.drift_upper,
             "within [0, 1] together with drift_lower for Bernoulli outcomes");
    }
    for (double v : p.initial_means) {
      if (v < p.drift_lower || v > p.drift_upper) {
        refuse("initial_means[]", v, "within [drift_lower, drift_upper]");
      }
    }
  }
}

BanditTask::BanditTask(const BanditParams& params, std::uint64_t seed)
    : params_(params), seed_(seed) {
  validate(params_);
  if (params_.schedule == BanditSchedule::complementary) {
    means_.assign(2, 0.5);
  } else {
    means_ = params_.initial_means;
  }
  outcomes_.assign(params_.num_arms, 0.0);
}

void BanditTask::begin_block(RandomStream& rng) {
  switch (params_.schedule) {
    case BanditSchedule::complementary: {
      const auto k = params_.block_options.size();
      const auto i = std::min(k - 1, static_cast<std::size_t>(uniform01(rng) * k));
      means_[0] = params_.block_options[i];
      means_[1] = 1.0 - means_[0];
      break;
    }
    case BanditSchedule::reversal:
      // A reversal at every block start but the first: arm a takes arm a+1's mean.
      if (trial_ > 0) std::rotate(means_.begin(), means_.begin() + 1, means_.end());
      break;
    case BanditSchedule::fixed:
    case BanditSchedule::drifting:
      break;
  }
}

void BanditTask::draw_outcomes(RandomStream& rng) {
  for (int a = 0; a < params_.num_arms; ++a) {
    if (params_.outcome == BanditOutcome::bernoulli) {
      outcomes_[a] = uniform01(rng) < means_[a] ? 1.0 : 0.0;
    } else {
      outcomes_[a] = means_[a] + params_.outcome_sd * rng.normal();
    }
  }
}

void BanditTask::drift(RandomStream& rng) {
  const double lo = params_.drift_lower, hi = params_.drift_upper;
  for (double& m : means_) {
    double x = m + params_.drift_sd * rng.normal();
    // Reflect at the bounds until inside (a step larger than the range folds back).
    while (x < lo || x > hi)
      x = x < lo ? 2.0 * lo - x : 2.0 * hi - x;
    m = x;
  }
}

TaskStep BanditTask::reset() {
  if (open_) {
    throw std::logic_error("BanditTask::reset: trial " + std::to_string(trial_) +
                           " is still waiting for a choice; call step(action) first");
  }
  ++trial_;
  RandomStream rng(seed_, Purpose::task, 0, static_cast<std::uint64_t>(trial_));
  if (params_.schedule == BanditSchedule::drifting && trial_ > 0) drift(rng);
  if (block_start()) begin_block(rng);
  draw_outcomes(rng);
  open_ = true;

  const double t0 = static_cast<double>(trial_) * params_.trial_ms;
  TaskStep s;
  s.trial = trial_;
  s.time_step = 0;
  s.time_ms = t0 + step_ms();
  s.state = 0;
  s.events.push_back({t0, EventKind::trial_start, static_cast<int>(block()), 0.0, false});
  for (int a = 0; a < params_.num_arms; ++a) {
    s.events.push_back({t0, EventKind::stimulus_on, a, 0.0, false});
  }
  s.events.push_back({t0, EventKind::action_request, 0, 0.0, false});
  return s;
}

TaskStep BanditTask::step(int action) {
  if (!open_) {
    throw std::logic_error("BanditTask::step: no trial is open; call reset() first");
  }
  if ((action < 0 && action != no_action) || action >= params_.num_arms) {
    throw std::invalid_argument("BanditTask::step: action = " + std::to_string(action) +
                                ": must be an arm in [0, " + std::to_string(params_.num_arms) +
                                ") or no_action");
  }
  open_ = false;
  const double t0 = static_cast<double>(trial_) * params_.trial_ms;
  const double t_choice = t0 + step_ms();
  const double t_end = t0 + params_.trial_ms;
  TaskStep s;
  s.trial = trial_;
  s.time_step = 1;
  s.time_ms = t_end;
  s.state = 0;
  s.terminal = true;
  if (action != no_action) {
    s.reward = outcomes_[action];
    s.events.push_back({t_choice, EventKind::reward, action, s.reward, false});
  }
  for (int a = 0; a < params_.num_arms; ++a) {
    s.events.push_back({t_end, EventKind::stimulus_off, a, 0.0, false});
  }
  s.events.push_back({t_end, EventKind::trial_end, 0, 0.0, false});
  return s;
}

int BanditTask::best_arm() const {
  return static_cast<int>(std::max_element(means_.begin(), means_.end()) - means_.begin());
}

void BanditTask::save(CheckpointWriter& w) const {
  w.section("bandit_task");
  w.value(trial_);
  w.value(open_);
  w.vector(means_);
  w.vector(outcomes_);
}

void BanditTask::load(CheckpointReader& r) {
  r.section("bandit_task");
  trial_ = r.value<std::int64_t>();
  open_ = r.value<bool>();
  r.vector(means_, static_cast<std::int64_t>(params_.num_arms));
  r.vector(outcomes_, static_cast<std::int64_t>(params_.num_arms));
}

}  // namespace bgsim::tasks
