#include <gtest/gtest.h>

#include <cmath>

#include "tasks/ramps/demo.hpp"

namespace bgsim::tasks::ramps {
namespace {

TEST(RampsDemo, ConvergesAfterThePublishedEpisodeCounts) {
  const DemoResult r = run_demo();
  EXPECT_TRUE(r.dual.converged);
  EXPECT_TRUE(r.td.converged);
  EXPECT_EQ(r.dual.episodes_to_converge, 624);
  EXPECT_EQ(r.td.episodes_to_converge, 1510);
}

}  // namespace
}  // namespace bgsim::tasks::ramps
