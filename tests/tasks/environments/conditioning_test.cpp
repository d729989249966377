// The conditioning task: drl_sim's trial layout, its events, the reward
// jitter, the draws, and the guarantee that a seed fixes the trial sequence.

#include "tasks/environments/conditioning.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tasks/distributional/delay_task.hpp"

namespace bgsim::tasks {
namespace {

// Plays one whole trial and returns its steps.
std::vector<TaskStep> play_trial(ConditioningTask& task) {
  std::vector<TaskStep> steps{task.reset()};
  while (!steps.back().terminal)
    steps.push_back(task.step(0));
  return steps;
}

bool has_event(const TaskStep& s, EventKind kind) {
  return std::any_of(s.events.begin(), s.events.end(),
                     [kind](const TaskEvent& e) { return e.kind == kind; });
}

// A task with every random element switched on.
ConditioningParams busy_task(std::uint64_t seed) {
  ConditioningParams p;
  TrialType a;
  a.name = "a";
  a.cue_channel = 0;
  a.rewards[0].magnitudes = {0.5, 1.0, 4.0};
  a.rewards[0].probabilities = {0.2, 0.5, 0.3};
  a.rewards[0].delivery_probability = 0.8;
  a.omission_probability = 0.1;
  TrialType b;
  b.name = "b";
  b.frequency = 2.0;
  b.cue_channel = 1;
  b.cue_time_s = 1.0;
  b.cue_duration_s = 0.5;
  b.rewards[0].time_s = 3.0;
  p.trial_types = {a, b};
  p.timing_uncertainty = 1.0;
  p.iti_min_s = 1.0;
  p.iti_max_s = 4.0;
  p.unexpected.probability = 0.2;
  p.seed = seed;
  return p;
}

TEST(ConditioningTask, LayoutFollowsDrlSim) {
  ConditioningTask task(ConditioningParams{});
  EXPECT_EQ(task.steps_per_trial(), 71);  // round(7 / 0.1) + 1
  EXPECT_DOUBLE_EQ(task.step_ms(), 100.0);
  EXPECT_EQ(task.step_of(2.0), 19);
  EXPECT_EQ(task.step_of(6.0), 59);
  const std::vector<TaskStep> steps = play_trial(task);
  ASSERT_EQ(steps.size(), 71u);
  EXPECT_TRUE(has_event(steps[0], EventKind::trial_start));
  for (int k = 0; k < 71; ++k) {
    EXPECT_EQ(steps[k].time_step, k);
    EXPECT_DOUBLE_EQ(steps[k].time_ms, (k + 1) * 100.0);
    EXPECT_EQ(has_event(steps[k], EventKind::stimulus_on), k == 19) << "step " << k;
    EXPECT_EQ(has_event(steps[k], EventKind::reward), k == 59) << "step " << k;
    EXPECT_DOUBLE_EQ(steps[k].reward, k == 59 ? 1.0 : 0.0);
    EXPECT_EQ(steps[k].terminal, k == 70);
    EXPECT_EQ(steps[k].state, k < 19 ? -1 : k - 19);
    EXPECT_FALSE(has_event(steps[k], EventKind::stimulus_off));
  }
  EXPECT_TRUE(has_event(steps[70], EventKind::trial_end));
  // The cue arrives at 2 s and the reward at 6 s of trial time.
  for (const TaskEvent& e : steps[19].events) {
    if (e.kind == EventKind::stimulus_on) {
      EXPECT_DOUBLE_EQ(e.time_ms, 2000.0);
    }
  }
  EXPECT_THROW(task.step(0), std::logic_error);  // the trial is over
  const TaskStep next = task.reset();
  EXPECT_EQ(next.trial, 1);
  EXPECT_DOUBLE_EQ(next.time_ms, 7100.0 + 100.0);  // no interval by default
}

TEST(ConditioningTask, SameSeedGivesTheSameTrialSequence) {
  ConditioningTask first(busy_task(42));
  ConditioningTask second(busy_task(42));
  ConditioningTask other(busy_task(43));
  int differences = 0;
  for (int n = 0; n < 60; ++n) {
    const std::vector<TaskStep> a = play_trial(first);
    const std::vector<TaskStep> b = play_trial(second);
    const std::vector<TaskStep> c = play_trial(other);
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t k = 0; k < a.size(); ++k) {
      EXPECT_EQ(a[k].reward, b[k].reward);
      EXPECT_EQ(a[k].time_ms, b[k].time_ms);
      EXPECT_EQ(a[k].state, b[k].state);
      ASSERT_EQ(a[k].events.size(), b[k].events.size());
      for (std::size_t j = 0; j < a[k].events.size(); ++j) {
        EXPECT_EQ(a[k].events[j].kind, b[k].events[j].kind);
        EXPECT_EQ(a[k].events[j].channel, b[k].events[j].channel);
        EXPECT_EQ(a[k].events[j].magnitude, b[k].events[j].magnitude);
        EXPECT_EQ(a[k].events[j].time_ms, b[k].events[j].time_ms);
      }
      if (a[k].reward != c[k].reward || a[k].time_ms != c[k].time_ms) ++differences;
    }
    EXPECT_EQ(first.trial().type, second.trial().type);
    EXPECT_EQ(first.trial().omission, second.trial().omission);
  }
  EXPECT_GT(differences, 0) << "another seed gave the same trials";
}

TEST(ConditioningTask, IntervalsAndCueOffsetAreKept) {
  ConditioningTask task(busy_task(3));
  double previous_end_ms = 0.0;
  for (int n = 0; n < 200; ++n) {
    const std::vector<TaskStep> steps = play_trial(task);
    const ConditioningTrial& t = task.trial();
    if (n == 0) {
      EXPECT_EQ(t.iti_s, 0.0);
    } else {
      EXPECT_GE(t.iti_s, 1.0);
      EXPECT_LE(t.iti_s, 4.0);
    }
    EXPECT_NEAR(t.start_ms, previous_end_ms + 1000.0 * t.iti_s, 1e-9);
    previous_end_ms = steps.back().time_ms;
    if (t.type == 1) {  // cue 1 s → step 9, off at 1.5 s → step 14
      EXPECT_EQ(t.cue_on_step, 9);
      EXPECT_EQ(t.cue_off_step, 14);
      EXPECT_TRUE(has_event(steps[14], EventKind::stimulus_off));
    }
  }
}

// drl_sim's t_unc: k ± ⌊0.1·u·k⌋, rounded. Reward at 6 s, u = 1: 59 ± 5.
TEST(ConditioningTask, RewardJitterStaysWithinTheDrlSimBound) {
  ConditioningParams p;
  p.timing_uncertainty = 1.0;
  p.seed = 5;
  ConditioningTask task(p);
  int lo = 1000;
  int hi = -1;
  double mean = 0.0;
  const int n = 3000;
  for (int i = 0; i < n; ++i) {
    task.reset();
    const int k = task.trial().rewards.at(0).step;
    lo = std::min(lo, k);
    hi = std::max(hi, k);
    mean += k;
  }
  mean /= n;
  EXPECT_EQ(lo, 54);
  EXPECT_EQ(hi, 64);
  EXPECT_NEAR(mean, 59.0, 0.2);
}

TEST(ConditioningTask, MagnitudesOmissionsAndSurprisesComeAtTheirRates) {
  ConditioningParams p;
  p.trial_types[0].rewards[0].magnitudes = {0.1, 0.3, 1.2, 2.5, 5.0, 10.0, 20.0};
  p.trial_types[0].rewards[0].probabilities = {0.06612594, 0.09090909, 0.14847358, 0.15489467,
                                               0.31159175, 0.150519,   0.07705306};
  p.trial_types[0].omission_probability = 0.25;
  p.unexpected.probability = 0.3;
  p.unexpected.magnitude = 2.0;
  p.seed = 9;
  ConditioningTask task(p);
  const auto& values = p.trial_types[0].rewards[0].magnitudes;
  const auto& probs = p.trial_types[0].rewards[0].probabilities;
  double total = 0.0;
  for (double q : probs)
    total += q;
  std::vector<int> counts(values.size(), 0);
  int omissions = 0;
  int surprises = 0;
  const int n = 20000;
  for (int i = 0; i < n; ++i) {
    const std::vector<TaskStep> steps = play_trial(task);
    const ConditioningTrial& t = task.trial();
    const ScheduledReward& r = t.rewards.at(0);
    const auto it = std::find(values.begin(), values.end(), r.magnitude);
    ASSERT_NE(it, values.end());
    ++counts[it - values.begin()];
    if (t.omission) {
      ++omissions;
      EXPECT_FALSE(r.delivered);
    }
    EXPECT_EQ(r.delivered, !t.omission);
    if (t.unexpected_step >= 0) {
      ++surprises;
      EXPECT_TRUE(has_event(steps[t.unexpected_step], EventKind::reward));
    }
    double delivered = 0.0;
    for (const TaskStep& s : steps)
      delivered += s.reward;
    const double expected =
        (r.delivered ? r.magnitude : 0.0) + (t.unexpected_step >= 0 ? 2.0 : 0.0);
    EXPECT_NEAR(delivered, expected, 1e-12);
  }
  for (std::size_t k = 0; k < values.size(); ++k) {
    EXPECT_NEAR(counts[k] / double(n), probs[k] / total, 0.01) << "magnitude " << values[k];
  }
  EXPECT_NEAR(omissions / double(n), 0.25, 0.015);
  EXPECT_NEAR(surprises / double(n), 0.3, 0.015);
}

// The delay task's schedule, with Python's half-to-even rounding (2.25 s → step 3).
TEST(ConditioningTask, DelayTaskScheduleMatchesDrlSim) {
  distributional::DelayTaskConfig config;
  config.task_seed = 17;
  ConditioningTask task(distributional::delay_task(config));
  ASSERT_EQ(task.params().trial_types.size(), 6u);
  EXPECT_EQ(task.steps_per_trial(), 17);
  EXPECT_EQ(task.n_channels(), 6);
  const std::vector<std::vector<int>> due{{3}, {6}, {9}, {14}, {4, 10}, {1, 4, 6, 8, 10, 12}};
  std::vector<int> type_count(6, 0);
  int periodic_slots = 0;
  int periodic_rewards = 0;
  const int n = 6000;
  for (int i = 0; i < n; ++i) {
    task.reset();
    const ConditioningTrial& t = task.trial();
    ++type_count[t.type];
    EXPECT_EQ(t.cue_channel, t.type);
    EXPECT_EQ(t.cue_on_step, 1);
    ASSERT_EQ(t.rewards.size(), due[t.type].size());
    for (std::size_t j = 0; j < t.rewards.size(); ++j) {
      EXPECT_EQ(t.rewards[j].step, due[t.type][j]);
      if (t.type < 4) {
        EXPECT_EQ(t.rewards[j].magnitude, 3.0);
      }
      if (t.type == 5) {
        ++periodic_slots;
        if (t.rewards[j].magnitude > 0.0) ++periodic_rewards;
      }
    }
  }
  for (int type = 0; type < 6; ++type)
    EXPECT_NEAR(type_count[type] / double(n), 1.0 / 6.0, 0.02);
  EXPECT_NEAR(periodic_rewards / double(periodic_slots), 1.0 / 6.0, 0.015);
}

TEST(ConditioningTask, RefusesBadParametersNamingThem) {
  ConditioningParams p;
  p.trial_types[0].rewards[0].time_s = 9.0;
  try {
    ConditioningTask task(p);
    ADD_FAILURE() << "a reward after the trial was accepted";
  } catch (const std::invalid_argument& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("trial_types[0].rewards[0].time_s = 9"), std::string::npos) << what;
    EXPECT_NE(what.find("inside the trial"), std::string::npos) << what;
  }
  p = ConditioningParams{};
  p.dt_s = -0.1;
  EXPECT_THROW(ConditioningTask{p}, std::invalid_argument);
  p = ConditioningParams{};
  p.trial_types[0].rewards[0].probabilities = {0.5, 0.5};
  EXPECT_THROW(ConditioningTask{p}, std::invalid_argument);
  p = ConditioningParams{};
  p.trial_types[0].omission_probability = 1.5;
  EXPECT_THROW(ConditioningTask{p}, std::invalid_argument);
  p = ConditioningParams{};
  p.iti_min_s = 2.0;
  p.iti_max_s = 1.0;
  EXPECT_THROW(ConditioningTask{p}, std::invalid_argument);
  p = ConditioningParams{};
  p.trial_types.clear();
  EXPECT_THROW(ConditioningTask{p}, std::invalid_argument);

  ConditioningTask task(ConditioningParams{});
  EXPECT_THROW(task.step(0), std::logic_error);  // before the first reset()
  task.reset();
  EXPECT_THROW(task.step(1), std::invalid_argument);
}

// The task's checkpoint holds its generator: after a load the trials go on
// exactly as without the pause (ITIs, omissions, jitter, uncued rewards).
TEST(ConditioningTask, CheckpointGoesOnWithTheSameTrials) {
  ConditioningParams p;
  p.iti_min_s = 1.0;
  p.iti_max_s = 3.0;
  p.trial_types[0].omission_probability = 0.3;
  p.timing_uncertainty = 0.5;
  p.unexpected.probability = 0.4;
  p.seed = 9;
  const auto play = [](ConditioningTask& task, int trials) {
    std::vector<double> seen;
    for (int t = 0; t < trials; ++t) {
      TaskStep s = task.reset();
      seen.push_back(s.time_ms);
      while (!s.terminal) {
        s = task.step(0);
        seen.push_back(s.reward);
      }
    }
    return seen;
  };
  ConditioningTask task(p);
  play(task, 4);
  std::stringstream checkpoint;
  CheckpointWriter w(checkpoint);
  task.save(w);
  const auto straight = play(task, 6);
  ConditioningTask again(p);
  CheckpointReader r(checkpoint);
  again.load(r);
  EXPECT_EQ(play(again, 6), straight);
}

}  // namespace
}  // namespace bgsim::tasks
