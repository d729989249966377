#include "tasks/environments/probabilistic_selection.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace bgsim::tasks {
namespace {

[[noreturn]] void refuse(const std::string& field, double value, const std::string& allowed) {
  throw std::invalid_argument("ProbabilisticSelectionParams." + field + " = " +
                              std::to_string(value) + ": must be " + allowed);
}

double uniform01(std::mt19937_64& rng) {
  return static_cast<double>(rng() >> 11) * 0x1.0p-53;
}

// Fisher–Yates with our own uniform draws, so the order is the same on every
// standard library (std::shuffle's use of the engine is unspecified).
void shuffle(std::vector<int>& v, std::mt19937_64& rng) {
  for (std::size_t i = v.size(); i > 1; --i) {
    const auto j = std::min(i - 1, static_cast<std::size_t>(uniform01(rng) * i));
    std::swap(v[i - 1], v[j]);
  }
}

constexpr std::array<std::pair<int, int>, 15> kPairs = {{{0, 1},
                                                         {2, 3},
                                                         {4, 5},
                                                         {0, 2},
                                                         {0, 3},
                                                         {0, 4},
                                                         {0, 5},
                                                         {1, 2},
                                                         {1, 3},
                                                         {1, 4},
                                                         {1, 5},
                                                         {2, 4},
                                                         {2, 5},
                                                         {3, 4},
                                                         {3, 5}}};

}  // namespace

void validate(const ProbabilisticSelectionParams& p) {
  for (double v : p.reward_probability) {
    if (!(v >= 0.0 && v <= 1.0)) refuse("reward_probability[]", v, "in [0, 1]");
  }
  if (p.trials_per_block < 3 || p.trials_per_block % 3 != 0) {
    refuse("trials_per_block", p.trials_per_block, "a positive multiple of 3 (three pairs)");
  }
  if (p.max_training_blocks < 1) refuse("max_training_blocks", p.max_training_blocks, ">= 1");
  for (double v : p.criterion) {
    if (!(v >= 0.0 && v <= 1.0)) refuse("criterion[]", v, "in [0, 1]");
  }
  if (p.test_repeats < 1) refuse("test_repeats", p.test_repeats, ">= 1");
  if (!std::isfinite(p.reward_win)) refuse("reward_win", p.reward_win, "finite");
  if (!std::isfinite(p.reward_loss)) refuse("reward_loss", p.reward_loss, "finite");
  if (!(p.trial_ms > 0.0) || !std::isfinite(p.trial_ms)) refuse("trial_ms", p.trial_ms, "> 0 ms");
}

std::pair<int, int> ProbabilisticSelectionTask::pair(int index) {
  if (index < 0 || index >= kNumPairs) {
    throw std::invalid_argument("ProbabilisticSelectionTask::pair: index = " +
                                std::to_string(index) + ": must lie in [0, 15)");
  }
  return kPairs[index];
}

ProbabilisticSelectionTask::ProbabilisticSelectionTask(const ProbabilisticSelectionParams& params,
                                                       std::uint64_t seed)
    : params_(params), rng_(seed) {
  validate(params_);
  plan_training_block();
}

void ProbabilisticSelectionTask::plan_training_block() {
  plan_.clear();
  const int per_pair = params_.trials_per_block / 3;
  for (int pair_index = 0; pair_index < 3; ++pair_index) {
    for (int i = 0; i < per_pair; ++i)
      plan_.push_back(pair_index);
  }
  shuffle(plan_, rng_);
  next_ = 0;
  block_correct_ = {};
  block_trials_ = {};
}

void ProbabilisticSelectionTask::plan_test() {
  plan_.clear();
  for (int pair_index = 0; pair_index < kNumPairs; ++pair_index) {
    for (int i = 0; i < params_.test_repeats; ++i)
      plan_.push_back(pair_index);
  }
  shuffle(plan_, rng_);
  next_ = 0;
}

void ProbabilisticSelectionTask::close_training_block() {
  ++blocks_run_;
  bool met = true;
  for (int i = 0; i < 3; ++i) {
    const double accuracy = static_cast<double>(block_correct_[i]) / block_trials_[i];
    if (accuracy < params_.criterion[i]) met = false;
  }
  if ((params_.use_criterion && met) || blocks_run_ >= params_.max_training_blocks) {
    phase_ = SelectionPhase::test;
    plan_test();
  } else {
    plan_training_block();
  }
}

TaskStep ProbabilisticSelectionTask::reset() {
  if (open_) {
    throw std::logic_error("ProbabilisticSelectionTask::reset: trial " + std::to_string(trial_) +
                           " is still waiting for a choice; call step(stimulus) first");
  }
  if (phase_ == SelectionPhase::done) {
    throw std::logic_error("ProbabilisticSelectionTask::reset: the session is over (phase done)");
  }
  ++trial_;
  trial_phase_ = phase_;
  current_pair_ = plan_[next_++];
  open_ = true;
  const auto [left, right] = pair(current_pair_);
  const double t0 = static_cast<double>(trial_) * params_.trial_ms;
  TaskStep s;
  s.trial = trial_;
  s.time_step = 0;
  s.time_ms = t0;
  s.state = current_pair_;
  s.events.push_back({t0, EventKind::trial_start, current_pair_, 0.0, false});
  s.events.push_back({t0, EventKind::stimulus_on, left, 0.0, false});
  s.events.push_back({t0, EventKind::stimulus_on, right, 0.0, false});
  s.events.push_back({t0, EventKind::action_request, 0, 0.0, false});
  s.choices = {left, right};
  return s;
}

TaskStep ProbabilisticSelectionTask::step(int stimulus) {
  if (!open_) {
    throw std::logic_error("ProbabilisticSelectionTask::step: no trial is open; call reset()");
  }
  const auto [left, right] = pair(current_pair_);
  const bool chose = stimulus != no_action;
  if (chose && stimulus != left && stimulus != right) {
    throw std::invalid_argument("ProbabilisticSelectionTask::step: stimulus = " +
                                std::to_string(stimulus) + ": must be one of the pair shown (" +
                                std::to_string(left) + ", " + std::to_string(right) + ")");
  }
  open_ = false;
  const double t0 = static_cast<double>(trial_) * params_.trial_ms;
  const double t_end = t0 + params_.trial_ms;
  TaskStep s;
  s.trial = trial_;
  s.time_step = 1;
  s.time_ms = t_end;
  s.state = current_pair_;
  s.terminal = true;
  if (trial_phase_ == SelectionPhase::training) {
    // One draw per training trial, chosen or not, so that every learner
    // given the seed meets the same sequence.
    const double u = uniform01(rng_);
    if (chose) {
      s.reward =
          u < params_.reward_probability[stimulus] ? params_.reward_win : params_.reward_loss;
      s.events.push_back(
          {t0 + 0.5 * params_.trial_ms, EventKind::reward, stimulus, s.reward, false});
    }
    block_correct_[current_pair_] += stimulus == left ? 1 : 0;  // A, C, E are the left members
    ++block_trials_[current_pair_];
  }
  s.events.push_back({t_end, EventKind::stimulus_off, left, 0.0, false});
  s.events.push_back({t_end, EventKind::stimulus_off, right, 0.0, false});
  s.events.push_back({t_end, EventKind::trial_end, current_pair_, 0.0, false});
  if (next_ == plan_.size()) {
    if (trial_phase_ == SelectionPhase::training) {
      close_training_block();
    } else {
      phase_ = SelectionPhase::done;
    }
  }
  return s;
}

}  // namespace bgsim::tasks
