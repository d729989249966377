#include <gtest/gtest.h>

#include <cmath>

#include "tasks/ramps/demo.hpp"

namespace bgsim::tasks::ramps {
namespace {

// Published (Priestley et al., reference code dual_process_demo): Dual
// converges after exactly 624 episodes, TD after 1510.
TEST(RampsDemo, ConvergesAfterThePublishedEpisodeCounts) {
  const DemoResult r = run_demo();
  EXPECT_TRUE(r.dual.converged);
  EXPECT_TRUE(r.td.converged);
  EXPECT_EQ(r.dual.episodes_to_converge, 624);
  EXPECT_EQ(r.td.episodes_to_converge, 1510);
  // The figure's training stages.
  EXPECT_EQ(r.dual.early, static_cast<int>(0.05 * 623));
  EXPECT_EQ(r.dual.mid, 312);
  EXPECT_EQ(r.td.late, static_cast<int>(0.85 * 1509));
}

TEST(RampsDemo, DualRampsFromTheFirstEpisodeWhileTdIsFlat) {
  const DemoConfig c;
  const DemoResult r = run_demo(c);
  const EpisodeTrace& dual = r.dual.episodes.front();
  const EpisodeTrace& td = r.td.episodes.front();
  const int n = c.num_states;
  ASSERT_EQ(dual.size(), n);
  ASSERT_EQ(td.size(), n);
  for (int t = 0; t < n - 1; ++t) {
    const int s = dual.states[static_cast<std::size_t>(t)];
    const double expected = c.k * std::pow(c.gamma, n - 1 - s) * c.initial_reward;
    EXPECT_NEAR(dual.deltas[static_cast<std::size_t>(t)], expected, 1e-15) << "step " << t;
    EXPECT_EQ(td.deltas[static_cast<std::size_t>(t)], 0.0) << "step " << t;
  }
  EXPECT_EQ(dual.deltas.back(), 1.0);
  EXPECT_EQ(td.deltas.back(), 1.0);
  // A ramp: strictly rising towards the goal.
  for (int t = 1; t < n - 1; ++t) {
    EXPECT_GT(dual.deltas[static_cast<std::size_t>(t)],
              dual.deltas[static_cast<std::size_t>(t - 1)]);
  }
}

TEST(RampsCompareArchitectures, NormativeDualProcessConvergesFastest) {
  const CompareArchitecturesResult r = run_compare_architectures();
  ASSERT_GT(r.normative.episodes_to_threshold, 0);
  ASSERT_GT(r.td.episodes_to_threshold, 0);
  ASSERT_GT(r.naive.episodes_to_threshold, 0);
  EXPECT_LT(r.normative.episodes_to_threshold, r.td.episodes_to_threshold);
  EXPECT_LT(r.normative.episodes_to_threshold, r.naive.episodes_to_threshold);
  // And at every decade of training its value error is the smallest.
  for (int e : {9, 99, 999}) {
    EXPECT_LT(r.normative.value_error[static_cast<std::size_t>(e)],
              r.td.value_error[static_cast<std::size_t>(e)]);
    EXPECT_LT(r.normative.value_error[static_cast<std::size_t>(e)],
              r.naive.value_error[static_cast<std::size_t>(e)]);
  }
  // All three end at the true value.
  EXPECT_NEAR(r.normative.value_error.back(), 0.0, 1e-6);
  EXPECT_NEAR(r.td.value_error.back(), 0.0, 1e-6);
  EXPECT_NEAR(r.naive.value_error.back(), 0.0, 1e-4);
}

}  // namespace
}  // namespace bgsim::tasks::ramps
