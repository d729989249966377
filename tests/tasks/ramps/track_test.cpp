#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "tasks/environments/grid.hpp"
#include "tasks/environments/track.hpp"

namespace bgsim::tasks {
namespace {

bool has_event(const TaskStep& step, EventKind kind) {
  for (const TaskEvent& e : step.events) {
    if (e.kind == kind) return true;
  }
  return false;
}

TEST(RampsTrack, RewardComesOnTheStepTakenFromTheGoal) {
  TrackParams p;
  p.num_states = 4;
  p.reward = 2.5;
  Track track(p);
  TaskStep now = track.reset();
  EXPECT_EQ(now.state, 0);
  EXPECT_TRUE(has_event(now, EventKind::trial_start));
  for (int s = 1; s <= 3; ++s) {
    now = track.step(Track::kForward);
    EXPECT_EQ(now.state, s);
    EXPECT_EQ(now.reward, 0.0);
    EXPECT_FALSE(now.terminal);
  }
  now = track.step(Track::kForward);  // from the goal
  EXPECT_EQ(now.state, 3);
  EXPECT_EQ(now.reward, 2.5);
  EXPECT_TRUE(now.terminal);
  EXPECT_TRUE(has_event(now, EventKind::reward));
  EXPECT_TRUE(has_event(now, EventKind::trial_end));
  EXPECT_DOUBLE_EQ(now.time_ms, 4 * p.step_ms);
  EXPECT_THROW(track.step(Track::kForward), std::logic_error);  // the trial is over
}

TEST(RampsTrack, StepSizeTeleportAndPause) {
  TrackParams p;
  p.num_states = 10;
  p.step_size = 4;
  Track track(p);
  track.reset();
  EXPECT_EQ(track.step(Track::kForward).state, 4);
  EXPECT_EQ(track.step(Track::kForward).state, 8);
  EXPECT_EQ(track.step(Track::kForward).state, 9);  // clipped at the goal
  track.reset();
  TaskStep t = track.teleport(7);
  EXPECT_EQ(t.state, 7);
  EXPECT_TRUE(has_event(t, EventKind::state_change));
  t = track.pause(7);
  EXPECT_EQ(t.state, 7);
  EXPECT_TRUE(has_event(t, EventKind::pause));
  t = track.teleport(42);  // clipped; the destination is the goal, so the trial ends rewarded
  EXPECT_EQ(t.state, 9);
  EXPECT_TRUE(t.terminal);
  EXPECT_EQ(t.reward, 1.0);
}

TEST(RampsTrack, RefusesBadParametersNamingThem) {
  TrackParams p;
  p.step_size = 0;
  try {
    Track t(p);
    ADD_FAILURE() << "step_size = 0 was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("TrackParams.step_size = 0"), std::string::npos);
  }
  Track t;
  t.reset();
  EXPECT_THROW(t.step(2), std::invalid_argument);
  EXPECT_THROW(t.pause(-1), std::invalid_argument);
}

TEST(RampsGrid, SameSeedSameTrialSequenceWhateverTheController) {
  GridParams p;
  p.seed = 7;
  Grid a(p), b(p);
  std::vector<double> ra, rb;
  int rewarded = 0;
  for (int trial = 0; trial < 400; ++trial) {
    a.reset();
    b.reset();
    // Different controllers: one walks straight up to the goal, one bumps into walls.
    for (int i = 0; i < 9; ++i)
      a.step(Grid::kUp);
    b.step(Grid::kDown);
    b.step(Grid::kLeft);
    ra.push_back(a.step(Grid::kUp).reward);
    rb.push_back(b.trial_reward());
    rewarded += ra.back() > 0.0;
  }
  EXPECT_EQ(ra, rb);
  EXPECT_NEAR(rewarded / 400.0, 0.5, 0.08);
}

TEST(RampsGrid, MovesAndStopsAtTheWalls) {
  GridParams p;
  p.rows = 3;
  p.cols = 3;
  p.goal_row = 0;
  p.goal_col = 0;
  p.p_reward = 1.0;
  Grid g(p);
  g.set_start(2, 2);
  TaskStep s = g.reset();
  EXPECT_EQ(s.state, g.index(2, 2));
  EXPECT_EQ(g.step(Grid::kRight).state, g.index(2, 2));
  EXPECT_EQ(g.step(Grid::kUp).state, g.index(1, 2));
  EXPECT_EQ(g.step(Grid::kLeft).state, g.index(1, 1));
  EXPECT_EQ(g.step(Grid::kLeft).state, g.index(1, 0));
  EXPECT_EQ(g.step(Grid::kUp).state, g.index(0, 0));
  s = g.step(Grid::kUp);
  EXPECT_TRUE(s.terminal);
  EXPECT_EQ(s.reward, 1.0);
  EXPECT_THROW(g.set_start(3, 0), std::invalid_argument);
  EXPECT_THROW(g.set_reward_probability(1.5), std::invalid_argument);
}

}  // namespace
}  // namespace bgsim::tasks
