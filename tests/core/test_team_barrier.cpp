// The run loop's barrier (core/team_barrier.hpp): nobody leaves before all
// have come, writes before it are seen after it, and it wakes threads that
// went to sleep (more threads than cores forces that).

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "core/team_barrier.hpp"

namespace bgsim {
namespace {

TEST(TeamBarrier, NobodyPassesBeforeAllHaveComeAndWritesAreSeenAfterIt) {
  for (int team : {2, 3, 8}) {  // 8 threads on two cores: most waits sleep
    detail::TeamBarrier barrier;
    barrier.reset(team);
    constexpr int rounds = 2000;
    std::vector<int> slot(static_cast<std::size_t>(team), -1);
    std::vector<int> errors(static_cast<std::size_t>(team), 0);
    std::vector<std::thread> threads;
    for (int t = 0; t < team; ++t)
      threads.emplace_back([&, t] {
        for (int r = 0; r < rounds; ++r) {
          slot[static_cast<std::size_t>(t)] = r;  // plain writes, ordered by the barrier
          barrier.arrive_and_wait();
          for (int u = 0; u < team; ++u)
            if (slot[static_cast<std::size_t>(u)] != r) ++errors[static_cast<std::size_t>(t)];
          barrier.arrive_and_wait();
        }
      });
    for (auto& th : threads)
      th.join();
    for (int e : errors)
      EXPECT_EQ(e, 0) << team << " threads";
  }
}

TEST(TeamBarrier, ATeamOfOneNeverWaits) {
  detail::TeamBarrier barrier;
  barrier.reset(1);
  for (int i = 0; i < 1000; ++i)
    barrier.arrive_and_wait();
  SUCCEED();
}

}  // namespace
}  // namespace bgsim
