// The n-armed bandit task: its schedules, its events, and that the same task seed
// gives the same session whatever the controller does.

#include "tasks/environments/bandit.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include <algorithm>
#include <cmath>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

namespace bgsim::tasks {
namespace {

struct Session {
  std::vector<double> means;  // [trial][arm]
  std::vector<int> actions;
  std::vector<double> rewards;
};

// Runs `trials` trials, choosing with `choose(trial)`.
template <class Choose>
Session run(const BanditParams& p, std::uint64_t seed, int trials, Choose choose) {
  BanditTask task(p, seed);
  Session s;
  for (int t = 0; t < trials; ++t) {
    task.reset();
    for (double m : task.means())
      s.means.push_back(m);
    const int a = choose(t);
    s.actions.push_back(a);
    s.rewards.push_back(task.step(a).reward);
  }
  return s;
}

TEST(BanditTask, SameSeedGivesTheSameSequenceWhateverTheController) {
  for (BanditSchedule schedule : {BanditSchedule::complementary, BanditSchedule::drifting}) {
    BanditParams p;
    p.schedule = schedule;
    std::mt19937_64 chooser(99);
    const Session always_zero = run(p, 2024, 1000, [](int) { return 0; });
    const Session random = run(p, 2024, 1000, [&](int) { return static_cast<int>(chooser() % 2); });
    const Session again = run(p, 2024, 1000, [](int) { return 0; });
    EXPECT_EQ(always_zero.means, random.means);
    EXPECT_EQ(always_zero.rewards, again.rewards);
    int shared = 0;
    for (int t = 0; t < 1000; ++t) {
      if (random.actions[t] != 0) continue;
      ++shared;
      EXPECT_EQ(random.rewards[t], always_zero.rewards[t]) << "trial " << t;
    }
    EXPECT_GT(shared, 400);
    const Session other_seed = run(p, 2025, 1000, [](int) { return 0; });
    EXPECT_NE(other_seed.rewards, always_zero.rewards);
  }
}

TEST(BanditTask, ComplementaryBlocksOfTheTwoArmedTask) {
  BanditParams p;  // defaults: blocks of 100, μ_0 ∈ {0.1, 0.5, 0.9}, μ_1 = 1 − μ_0
  BanditTask task(p, 7);
  std::vector<int> seen(3, 0);
  std::vector<double> rewards_arm0;
  double block_mean = 0.0;
  for (int t = 0; t < 3000; ++t) {
    task.reset();
    const double m0 = task.means()[0];
    EXPECT_DOUBLE_EQ(task.means()[1], 1.0 - m0);
    if (task.block_start()) {
      block_mean = m0;
      EXPECT_EQ(t % 100, 0);
      const auto it = std::find(p.block_options.begin(), p.block_options.end(), m0);
      ASSERT_NE(it, p.block_options.end()) << m0;
      ++seen[it - p.block_options.begin()];
    } else {
      EXPECT_DOUBLE_EQ(m0, block_mean) << "mean changed inside block at trial " << t;
    }
    EXPECT_EQ(task.block(), t / 100);
    const TaskStep out = task.step(0);
    if (m0 == 0.9) rewards_arm0.push_back(out.reward);
  }
  for (int count : seen)
    EXPECT_GT(count, 0);
  ASSERT_GT(rewards_arm0.size(), 300u);
  double sum = 0.0;
  for (double r : rewards_arm0)
    sum += r;
  EXPECT_NEAR(sum / rewards_arm0.size(), 0.9, 4.0 * std::sqrt(0.09 / rewards_arm0.size()));
}

TEST(BanditTask, ReversalsDriftAndGaussianOutcomes) {
  BanditParams reversal;
  reversal.schedule = BanditSchedule::reversal;
  reversal.initial_means = {0.8, 0.2};
  reversal.trials_per_block = 50;
  BanditTask r(reversal, 1);
  for (int t = 0; t < 200; ++t) {
    r.reset();
    EXPECT_EQ(r.best_arm(), (t / 50) % 2) << "trial " << t;
    r.step(0);
  }

  BanditParams drifting;
  drifting.schedule = BanditSchedule::drifting;
  drifting.initial_means = {0.5, 0.5};
  drifting.drift_sd = 0.2;  // large steps, to exercise the reflection
  BanditTask d(drifting, 1);
  double travelled = 0.0, previous = 0.5;
  for (int t = 0; t < 2000; ++t) {
    d.reset();
    for (double m : d.means()) {
      EXPECT_GE(m, 0.0);
      EXPECT_LE(m, 1.0);
    }
    travelled += std::abs(d.means()[0] - previous);
    previous = d.means()[0];
    d.step(1);
  }
  EXPECT_GT(travelled, 100.0);

  BanditParams gaussian;
  gaussian.schedule = BanditSchedule::fixed;
  gaussian.outcome = BanditOutcome::gaussian;
  gaussian.num_arms = 3;
  gaussian.initial_means = {-1.0, 2.0, 5.0};
  gaussian.outcome_sd = 0.5;
  BanditTask g(gaussian, 3);
  double sum = 0.0, sum2 = 0.0;
  const int n = 20000;
  for (int t = 0; t < n; ++t) {
    g.reset();
    const double x = g.step(2).reward;
    sum += x;
    sum2 += x * x;
  }
  EXPECT_NEAR(sum / n, 5.0, 4.0 * 0.5 / std::sqrt(n));
  EXPECT_NEAR(std::sqrt(sum2 / n - (sum / n) * (sum / n)), 0.5, 0.02);
}

TEST(BanditTask, EventsAndTiming) {
  BanditParams p;
  p.trial_ms = 2000.0;
  BanditTask task(p, 1);
  task.reset();
  task.step(1);
  const TaskStep open = task.reset();
  EXPECT_EQ(open.trial, 1);
  EXPECT_EQ(open.state, 0);
  ASSERT_EQ(open.events.size(), 4u);  // trial_start, 2 × stimulus_on, action_request
  EXPECT_EQ(open.events.front().kind, EventKind::trial_start);
  EXPECT_DOUBLE_EQ(open.events.front().time_ms, 2000.0);
  EXPECT_EQ(open.events.back().kind, EventKind::action_request);
  const TaskStep close = task.step(1);
  EXPECT_TRUE(close.terminal);
  EXPECT_DOUBLE_EQ(close.time_ms, 4000.0);
  ASSERT_FALSE(close.events.empty());
  EXPECT_EQ(close.events.front().kind, EventKind::reward);
  EXPECT_EQ(close.events.front().channel, 1);
  EXPECT_DOUBLE_EQ(close.events.front().magnitude, close.reward);
  EXPECT_EQ(close.events.back().kind, EventKind::trial_end);
  EXPECT_THROW(task.step(0), std::logic_error);  // no trial open
}

TEST(BanditTask, RefusesBadParametersNamingThem) {
  BanditParams p;
  p.num_arms = 3;  // the complementary schedule is two-armed
  try {
    BanditTask task(p, 1);
    ADD_FAILURE() << "three arms with the complementary schedule were accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("num_arms"), std::string::npos) << e.what();
  }
  p = BanditParams{};
  p.block_options = {0.5, 1.5};
  EXPECT_THROW(BanditTask(p, 1), std::invalid_argument);
  p = BanditParams{};
  p.schedule = BanditSchedule::fixed;
  p.initial_means = {0.5};
  EXPECT_THROW(BanditTask(p, 1), std::invalid_argument);
  BanditTask ok(BanditParams{}, 1);
  ok.reset();
  EXPECT_THROW(ok.step(2), std::invalid_argument);
}

// The bandit's checkpoint: the trial reached and its prepared outcomes; the
// draws of later trials come from counter-based streams keyed by the trial.
TEST(BanditTask, CheckpointGoesOnWithTheSameOutcomes) {
  BanditParams p;
  p.schedule = BanditSchedule::drifting;
  p.outcome = BanditOutcome::gaussian;
  p.initial_means = {0.3, 0.6};
  BanditTask task(p, 5);
  const auto play = [](BanditTask& b, int trials) {
    std::vector<double> seen;
    for (int t = 0; t < trials; ++t) {
      b.reset();
      seen.push_back(b.step(t % 2).reward);
      seen.insert(seen.end(), b.means().begin(), b.means().end());
    }
    return seen;
  };
  play(task, 7);
  task.reset();  // saved with a trial open
  std::stringstream checkpoint;
  CheckpointWriter w(checkpoint);
  task.save(w);
  const double open_reward = task.step(1).reward;
  const auto straight = play(task, 5);
  BanditTask again(p, 5);
  CheckpointReader r(checkpoint);
  again.load(r);
  EXPECT_EQ(again.step(1).reward, open_reward);
  EXPECT_EQ(play(again, 5), straight);
}

}  // namespace
}  // namespace bgsim::tasks
