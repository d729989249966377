// The probabilistic selection task (Frank et al. 2004) and OpAL on it at three
// dopamine levels (Collins & Frank 2014): choose-A − avoid-B changes sign with ρ.

#include "tasks/environments/probabilistic_selection.hpp"

#include <gtest/gtest.h>

#include <array>
#include <stdexcept>
#include <string>
#include <vector>

#include "tasks/bandits/probabilistic_selection_opal.hpp"

namespace bgsim::tasks {
namespace {

TEST(ProbabilisticSelectionTask, TrainingBlocksThenAFeedbackFreeTest) {
  ProbabilisticSelectionParams p;
  p.use_criterion = false;
  ProbabilisticSelectionTask task(p, 5);
  std::array<int, 3> per_pair{};
  std::array<int, 15> test_pairs{};
  std::array<double, 6> wins{}, picks{};
  int training = 0, test = 0;
  while (task.phase() != SelectionPhase::done) {
    const TaskStep start = task.reset();
    const auto [first, second] = task.offered();
    EXPECT_EQ(start.state, task.current_pair());
    const int choice = (training + test) % 2 ? first : second;
    const TaskStep end = task.step(choice);
    if (task.trial_phase() == SelectionPhase::training) {
      ASSERT_LT(start.state, 3);
      ++per_pair[start.state];
      ++training;
      picks[choice] += 1;
      wins[choice] += end.reward;
      if (training % 60 == 0) {
        for (int n : per_pair)
          EXPECT_EQ(n, 20 * training / 60);  // 20 per pair per block
      }
    } else {
      ++test;
      ++test_pairs[start.state];
      EXPECT_DOUBLE_EQ(end.reward, 0.0);
      for (const auto& e : end.events)
        EXPECT_NE(e.kind, EventKind::reward);
    }
  }
  EXPECT_EQ(training, 6 * 60);
  EXPECT_EQ(test, 15 * 6);
  for (int n : test_pairs)
    EXPECT_EQ(n, 6);
  // Each stimulus pays with its own probability (A–F: .8 .2 .7 .3 .6 .4); 60 picks each.
  for (int s = 0; s < 6; ++s) {
    ASSERT_GT(picks[s], 0);
    EXPECT_NEAR(wins[s] / picks[s], p.reward_probability[s], 0.25) << "stimulus " << s;
  }
  EXPECT_THROW(task.reset(), std::logic_error);  // the session is over
}

TEST(ProbabilisticSelectionTask, CriterionEndsTrainingEarly) {
  ProbabilisticSelectionTask task(ProbabilisticSelectionParams{}, 9);
  int training = 0;
  while (task.phase() == SelectionPhase::training) {
    task.reset();
    task.step(task.offered().first);  // always A, C, E: 100 % accurate
    ++training;
  }
  EXPECT_EQ(training, 60);
  EXPECT_EQ(task.training_blocks_run(), 1);
}

TEST(ProbabilisticSelectionTask, RefusesStimuliNotShownAndBadParameters) {
  ProbabilisticSelectionTask task(ProbabilisticSelectionParams{}, 1);
  task.reset();
  const auto [first, second] = task.offered();
  int other = 0;
  while (other == first || other == second)
    ++other;
  try {
    task.step(other);
    ADD_FAILURE() << "a stimulus that was not shown was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("one of the pair shown"), std::string::npos) << e.what();
  }
  ProbabilisticSelectionParams p;
  p.trials_per_block = 61;
  EXPECT_THROW(ProbabilisticSelectionTask(p, 1), std::invalid_argument);
}

TEST(ProbabilisticSelectionOpal, ChooseAMinusAvoidBChangesSignWithDopamine) {
  bandits::SelectionOpalConfig c;  // ρ ∈ {−0.8, 0, +0.8}
  c.subjects = 200;
  c.keep_trials = false;
  const bandits::SelectionOpalResult r = bandits::run_selection_opal(c, 2004);
  ASSERT_EQ(r.levels.size(), 3u);
  const auto& low = r.levels[0];
  const auto& mid = r.levels[1];
  const auto& high = r.levels[2];
  // Low dopamine (off medication) avoids B better than it chooses A; high dopamine
  // (on medication) the reverse — from the test choices and from the policy.
  EXPECT_LT(low.choose_a - low.avoid_b, -0.02) << low.choose_a << " vs " << low.avoid_b;
  EXPECT_GT(high.choose_a - high.avoid_b, 0.02) << high.choose_a << " vs " << high.avoid_b;
  EXPECT_LT(low.choose_a_probability, low.avoid_b_probability);
  EXPECT_GT(high.choose_a_probability, high.avoid_b_probability);
  // The difference grows with ρ through the middle level.
  const double d_mid = mid.choose_a_probability - mid.avoid_b_probability;
  EXPECT_LT(low.choose_a_probability - low.avoid_b_probability, d_mid);
  EXPECT_LT(d_mid, high.choose_a_probability - high.avoid_b_probability);
  // All three levels learned the task (the better stimulus of each training pair).
  for (const auto& level : r.levels)
    EXPECT_GT(level.training_accuracy, 0.75);
  // Go weights carry the good stimulus, NoGo weights the bad one.
  EXPECT_GT(mid.go[0], mid.go[1]);
  EXPECT_GT(mid.nogo[1], mid.nogo[0]);
}

TEST(ProbabilisticSelectionOpal, TracesRecordEveryTrial) {
  bandits::SelectionOpalConfig c;
  c.subjects = 2;
  c.rho_levels = {0.0};
  const bandits::SelectionOpalResult r = bandits::run_selection_opal(c, 1);
  ASSERT_EQ(r.trials.size(), 2u * (360 + 90));
  int tests = 0;
  for (const auto& t : r.trials) {
    if (t.test) {
      ++tests;
      EXPECT_DOUBLE_EQ(t.delta, 0.0);
    } else {
      EXPECT_DOUBLE_EQ(t.delta, t.reward - t.value);
    }
  }
  EXPECT_EQ(tests, 2 * 90);
}

}  // namespace
}  // namespace bgsim::tasks
