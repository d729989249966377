// The event queue orders by step, then by order of scheduling, and survives a
// checkpoint with that order intact.

#include <gtest/gtest.h>

#include <sstream>

#include "core/event_queue.hpp"

namespace bgsim {
namespace {

TEST(EventQueue, OrdersByStepThenSchedulingOrder) {
  EventQueue q;
  q.schedule({.step = 5, .code = 1});
  q.schedule({.step = 2, .code = 2});
  q.schedule({.step = 5, .code = 3});
  q.schedule({.step = 2, .code = 4});
  EXPECT_EQ(q.next_step(), 2);
  std::vector<int> codes;
  while (!q.empty())
    codes.push_back(q.pop().code);
  EXPECT_EQ(codes, (std::vector<int>{2, 4, 1, 3}));
  EXPECT_EQ(q.next_step(), EventQueue::never);
}

TEST(EventQueue, CheckpointKeepsOrderAndSequence) {
  EventQueue q;
  for (int i = 0; i < 20; ++i)
    q.schedule({.step = i % 4, .code = i, .value = 0.5 * i});
  std::stringstream s;
  CheckpointWriter w(s);
  q.save(w);
  EventQueue r;
  CheckpointReader rd(s);
  r.load(rd);
  // Events scheduled after the restore still come after equal-step ones.
  q.schedule({.step = 0, .code = 100});
  r.schedule({.step = 0, .code = 100});
  while (!q.empty()) {
    ASSERT_FALSE(r.empty());
    const Event a = q.pop(), b = r.pop();
    EXPECT_EQ(a.step, b.step);
    EXPECT_EQ(a.code, b.code);
    EXPECT_EQ(a.value, b.value);
  }
  EXPECT_TRUE(r.empty());
}

}  // namespace
}  // namespace bgsim
