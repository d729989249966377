#include "tasks/environments/conditioning.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>
#include <stdexcept>

namespace bgsim::tasks {
namespace {

[[noreturn]] void refuse(const std::string& field, double value, const std::string& allowed) {
  std::ostringstream msg;
  msg << "ConditioningParams." << field << " = " << value << " is not allowed: " << allowed;
  throw std::invalid_argument(msg.str());
}

void check_probability(const std::string& field, double p) {
  if (!std::isfinite(p) || p < 0.0 || p > 1.0) refuse(field, p, "a probability must lie in [0, 1]");
}

// Python's round (half to even) under the default floating-point rounding
// mode; saturated at the ends of int (and NaN to INT_MIN), so that a time of
// 1e308 s becomes a step outside every trial, refused as such, never an
// overflow.
int round_half_even(double x) {
  const double r = std::nearbyint(x);
  if (!(r >= static_cast<double>(std::numeric_limits<int>::min())))
    return std::numeric_limits<int>::min();
  if (!(r <= static_cast<double>(std::numeric_limits<int>::max())))
    return std::numeric_limits<int>::max();
  return static_cast<int>(r);
}

// Index of the first cumulative weight above u·total; weights are ≥ 0 with a
// positive sum. The last positive weight catches rounding at the top end.
std::size_t pick(const std::vector<double>& weights, double u01) {
  double total = 0.0;
  for (double w : weights)
    total += w;
  const double target = u01 * total;
  double cumulative = 0.0;
  std::size_t last_positive = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    if (weights[i] <= 0.0) continue;
    last_positive = i;
    cumulative += weights[i];
    if (target < cumulative) return i;
  }
  return last_positive;
}

}  // namespace

ConditioningTask::ConditioningTask(const ConditioningParams& params) : params_(params) {
  const ConditioningParams& p = params_;
  if (!std::isfinite(p.dt_s) || p.dt_s <= 0.0) {
    refuse("dt_s", p.dt_s, "the step must be finite and positive, in [s]");
  }
  if (!std::isfinite(p.trial_s) || p.trial_s < p.dt_s) {
    refuse("trial_s", p.trial_s,
           "the trial must be finite and at least one step (dt_s) long, in [s]");
  }
  if (!(p.trial_s / p.dt_s < max_steps_per_trial)) {
    refuse("trial_s", p.trial_s,
           "a trial holds at most " + std::to_string(max_steps_per_trial) +
               " steps of dt_s (trial_s / dt_s = " + std::to_string(p.trial_s / p.dt_s) + ")");
  }
  steps_per_trial_ = round_half_even(p.trial_s / p.dt_s) + 1;
  std::ostringstream inside;
  inside << "it must fall inside the trial, in [" << p.dt_s << ", " << p.trial_s << "] s";
  auto check_time = [&](const std::string& field, double t) {
    if (!std::isfinite(t)) refuse(field, t, inside.str());
    const int k = step_of(t);
    if (k < 0 || k >= steps_per_trial_) refuse(field, t, inside.str());
  };

  if (p.trial_types.empty()) {
    throw std::invalid_argument("ConditioningParams.trial_types is empty: give at least one type");
  }
  double total_frequency = 0.0;
  int max_channel = 0;
  for (std::size_t i = 0; i < p.trial_types.size(); ++i) {
    const TrialType& type = p.trial_types[i];
    const std::string at = "trial_types[" + std::to_string(i) + "].";
    if (!std::isfinite(type.frequency) || type.frequency < 0.0) {
      refuse(at + "frequency", type.frequency, "it must be finite and ≥ 0");
    }
    total_frequency += type.frequency;
    if (type.cue_channel < -1) {
      refuse(at + "cue_channel", type.cue_channel, "it must be ≥ 0, or −1 for no cue");
    }
    if (type.cue_channel >= 0) {
      max_channel = std::max(max_channel, type.cue_channel);
      check_time(at + "cue_time_s", type.cue_time_s);
      if (!std::isfinite(type.cue_duration_s) || type.cue_duration_s < 0.0) {
        refuse(at + "cue_duration_s", type.cue_duration_s,
               "it must be finite and ≥ 0 (0: until the trial ends), in [s]");
      }
    }
    check_probability(at + "omission_probability", type.omission_probability);
    for (std::size_t j = 0; j < type.rewards.size(); ++j) {
      const RewardSpec& r = type.rewards[j];
      const std::string rat = at + "rewards[" + std::to_string(j) + "].";
      check_time(rat + "time_s", r.time_s);
      check_probability(rat + "delivery_probability", r.delivery_probability);
      if (r.magnitudes.empty()) {
        throw std::invalid_argument("ConditioningParams." + rat +
                                    "magnitudes is empty: give at least one reward size");
      }
      if (r.probabilities.size() != r.magnitudes.size()) {
        refuse(rat + "probabilities.size()", static_cast<double>(r.probabilities.size()),
               "it must equal magnitudes.size() = " + std::to_string(r.magnitudes.size()));
      }
      double total = 0.0;
      for (std::size_t m = 0; m < r.magnitudes.size(); ++m) {
        if (!std::isfinite(r.magnitudes[m])) {
          refuse(rat + "magnitudes[" + std::to_string(m) + "]", r.magnitudes[m],
                 "it must be finite");
        }
        if (!std::isfinite(r.probabilities[m]) || r.probabilities[m] < 0.0) {
          refuse(rat + "probabilities[" + std::to_string(m) + "]", r.probabilities[m],
                 "it must be finite and ≥ 0");
        }
        total += r.probabilities[m];
      }
      if (total <= 0.0) refuse(rat + "probabilities (sum)", total, "the sum must be positive");
    }
  }
  if (total_frequency <= 0.0) {
    refuse("trial_types[*].frequency (sum)", total_frequency, "the sum must be positive");
  }
  n_channels_ = max_channel + 1;

  if (!std::isfinite(p.timing_uncertainty) || p.timing_uncertainty < 0.0) {
    refuse("timing_uncertainty", p.timing_uncertainty, "it must be finite and ≥ 0");
  }
  if (!std::isfinite(p.iti_min_s) || p.iti_min_s < 0.0) {
    refuse("iti_min_s", p.iti_min_s, "it must be finite and ≥ 0, in [s]");
  }
  if (!std::isfinite(p.iti_max_s) || p.iti_max_s < p.iti_min_s) {
    refuse("iti_max_s", p.iti_max_s, "it must be finite and ≥ iti_min_s, in [s]");
  }
  check_probability("unexpected.probability", p.unexpected.probability);
  if (p.unexpected.probability > 0.0) {
    if (!std::isfinite(p.unexpected.magnitude)) {
      refuse("unexpected.magnitude", p.unexpected.magnitude, "it must be finite");
    }
    check_time("unexpected.earliest_s", p.unexpected.earliest_s);
    check_time("unexpected.latest_s", p.unexpected.latest_s);
    if (p.unexpected.latest_s < p.unexpected.earliest_s) {
      refuse("unexpected.latest_s", p.unexpected.latest_s, "it must not be before earliest_s");
    }
  }
  rng_.seed(p.seed);
}

int ConditioningTask::step_of(double time_s) const {
  return round_half_even(time_s / params_.dt_s) - 1;
}

void ConditioningTask::draw_trial() {
  const ConditioningParams& p = params_;
  ConditioningTrial t;
  t.index = next_trial_++;
  std::uniform_real_distribution<double> unit_distribution(0.0, 1.0);
  const auto unit = [&] { return unit_distribution(rng_); };
  // 1. Inter-trial interval (none before the first trial).
  if (t.index > 0) t.iti_s = p.iti_min_s + (p.iti_max_s - p.iti_min_s) * unit();
  t.start_ms = next_start_ms_ + t.iti_s * 1000.0;
  // 2. Trial type.
  std::vector<double> frequencies;
  frequencies.reserve(p.trial_types.size());
  for (const TrialType& type : p.trial_types)
    frequencies.push_back(type.frequency);
  t.type = static_cast<int>(pick(frequencies, unit()));
  const TrialType& type = p.trial_types[t.type];
  if (type.cue_channel >= 0) {
    t.cue_channel = type.cue_channel;
    t.cue_on_step = step_of(type.cue_time_s);
    t.cue_off_step = steps_per_trial_;
    if (type.cue_duration_s > 0.0) {
      t.cue_off_step = std::clamp(step_of(type.cue_time_s + type.cue_duration_s), t.cue_on_step + 1,
                                  steps_per_trial_);
    }
  }
  // 3. Omission probe.
  t.omission = unit() < type.omission_probability;
  // 4. The type's rewards: delivery, magnitude, timing jitter.
  t.reward.assign(steps_per_trial_, 0.0);
  for (const RewardSpec& spec : type.rewards) {
    ScheduledReward r;
    const bool comes = unit() < spec.delivery_probability;
    r.magnitude = spec.magnitudes[pick(spec.probabilities, unit())];
    const int k = step_of(spec.time_s);
    // ⌊0.1·u·k⌋ steps either side (drl_sim: int(0.1·unc·step)); k ≥ 0 here.
    const int spread = static_cast<int>(0.1 * p.timing_uncertainty * k);
    const double jittered = (k - spread) + 2.0 * spread * unit();
    r.step = std::clamp(round_half_even(jittered), 0, steps_per_trial_ - 1);
    r.delivered = comes && !t.omission;
    if (r.delivered) t.reward[r.step] += r.magnitude;
    t.rewards.push_back(r);
  }
  // 5. Unexpected reward.
  const bool surprise = unit() < p.unexpected.probability;
  const int first = std::max(0, step_of(p.unexpected.earliest_s));
  const int last = std::clamp(step_of(p.unexpected.latest_s), first, steps_per_trial_ - 1);
  const int surprise_step =
      first + std::min(static_cast<int>((last - first + 1) * unit()), last - first);
  if (surprise) {
    t.unexpected_step = surprise_step;
    t.reward[surprise_step] += p.unexpected.magnitude;
  }
  trial_ = std::move(t);
  next_start_ms_ = trial_.start_ms + steps_per_trial_ * step_ms();
}

TaskStep ConditioningTask::make_step(int k) const {
  TaskStep s;
  s.trial = trial_.index;
  s.time_step = k;
  s.time_ms = trial_.start_ms + (k + 1) * step_ms();
  s.reward = trial_.reward[k];
  s.terminal = k == steps_per_trial_ - 1;
  s.state = -1;
  if (trial_.cue_channel >= 0 && k >= trial_.cue_on_step) {
    s.state = trial_.cue_channel * steps_per_trial_ + (k - trial_.cue_on_step);
  }
  auto event = [&](EventKind kind, double time_ms, int channel = 0, double magnitude = 0.0) {
    TaskEvent e;
    e.kind = kind;
    e.time_ms = time_ms;
    e.channel = channel;
    e.magnitude = magnitude;
    s.events.push_back(e);
  };
  if (k == 0) event(EventKind::trial_start, trial_.start_ms, trial_.type);
  if (trial_.cue_channel >= 0 && k == trial_.cue_off_step) {
    event(EventKind::stimulus_off, s.time_ms, trial_.cue_channel);
  }
  if (trial_.cue_channel >= 0 && k == trial_.cue_on_step) {
    event(EventKind::stimulus_on, s.time_ms, trial_.cue_channel);
  }
  for (const ScheduledReward& r : trial_.rewards) {
    if (r.delivered && r.step == k) event(EventKind::reward, s.time_ms, 0, r.magnitude);
  }
  if (trial_.unexpected_step == k) {
    event(EventKind::reward, s.time_ms, 0, params_.unexpected.magnitude);
  }
  // trial_end also ends every stimulus still on.
  if (s.terminal) event(EventKind::trial_end, s.time_ms, trial_.type);
  return s;
}

TaskStep ConditioningTask::reset() {
  draw_trial();
  k_ = 0;
  return make_step(k_);
}

TaskStep ConditioningTask::step(int action) {
  if (action != 0) {
    std::ostringstream msg;
    msg << "ConditioningTask::step: action " << action
        << " is not allowed: the task is Pavlovian and has the single action 0";
    throw std::invalid_argument(msg.str());
  }
  if (k_ < 0 || k_ >= steps_per_trial_ - 1) {
    throw std::logic_error(
        "ConditioningTask::step: no trial under way; call reset() to start the next trial");
  }
  ++k_;
  return make_step(k_);
}

void ConditioningTask::save(CheckpointWriter& w) const {
  w.section("conditioning_task");
  std::ostringstream generator;  // the engine's state, as <random> writes it
  generator << rng_;
  w.string(generator.str());
  w.value(next_trial_);
  w.value(next_start_ms_);
  w.value(k_);
  const ConditioningTrial& t = trial_;
  w.value(t.index);
  w.value(t.type);
  w.value(t.start_ms);
  w.value(t.iti_s);
  w.value(t.cue_channel);
  w.value(t.cue_on_step);
  w.value(t.cue_off_step);
  w.value(t.omission);
  w.vector(t.rewards);
  w.value(t.unexpected_step);
  w.vector(t.reward);
}

void ConditioningTask::load(CheckpointReader& r) {
  r.section("conditioning_task");
  std::istringstream generator(r.string());
  generator >> rng_;
  if (!generator) throw std::runtime_error("checkpoint: unreadable state of the conditioning task");
  next_trial_ = r.value<std::int64_t>();
  next_start_ms_ = r.value<double>();
  k_ = r.value<int>();
  ConditioningTrial& t = trial_;
  t.index = r.value<std::int64_t>();
  t.type = r.value<int>();
  t.start_ms = r.value<double>();
  t.iti_s = r.value<double>();
  t.cue_channel = r.value<int>();
  t.cue_on_step = r.value<int>();
  t.cue_off_step = r.value<int>();
  t.omission = r.value<bool>();
  r.vector(t.rewards);
  t.unexpected_step = r.value<int>();
  r.vector(t.reward);
}

}  // namespace bgsim::tasks
