// The addiction task: phases in order, the drug and its cue, and the same session
// for the same seed whatever is chosen.

#include "tasks/environments/addiction.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "tasks/addiction/relapse.hpp"

namespace bgsim::tasks::addiction {
namespace {

TEST(AddictionTask, SameSeedSameOutcomesAndPhasesInOrder) {
  RelapseConfig c;
  AddictionTask a(c.task, 11), b(c.task, 11);
  std::int64_t episodes = 0;
  int phase = 0, cue_changes = 0;
  bool cue = true;
  while (!a.finished()) {
    a.reset();
    b.reset();
    ++episodes;
    EXPECT_GE(a.phase_index(), phase);
    phase = a.phase_index();
    if (a.drug_cue() != cue) ++cue_changes;
    cue = a.drug_cue();
    for (bool terminal = false; !terminal;) {
      const TaskStep x = a.step(0);  // natural
      const TaskStep y = b.step(1);  // drug lever
      terminal = x.terminal;
      EXPECT_EQ(y.drug, b.drug_available());
      EXPECT_FALSE(x.drug);
      if (!b.drug_available()) {
        EXPECT_DOUBLE_EQ(y.reward, 0.0);
      }
    }
  }
  EXPECT_EQ(episodes, a.total_episodes());
  EXPECT_EQ(cue_changes, 2);  // off in extinction, on again at re-exposure
  EXPECT_THROW(a.reset(), std::logic_error);
  // The natural rewards of two same-seed tasks agree whatever the other action did.
  AddictionTask c1(c.task, 5), c2(c.task, 5);
  c1.reset();
  c2.reset();
  c2.step(1);
  c1.step(1);
  EXPECT_DOUBLE_EQ(c1.step(0).reward, c2.step(0).reward);
}

TEST(AddictionTask, RefusesBadParametersNamingThem) {
  AddictionTaskParams p;
  p.phases.clear();
  EXPECT_THROW(AddictionTask(p, 1), std::invalid_argument);
  p = AddictionTaskParams{};
  p.natural_sd = -1.0;
  try {
    AddictionTask t(p, 1);
    ADD_FAILURE() << "natural_sd = -1 was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("natural_sd"), std::string::npos) << e.what();
  }
  AddictionTask ok(AddictionTaskParams{}, 1);
  ok.reset();
  EXPECT_THROW(ok.step(2), std::invalid_argument);
}

}  // namespace
}  // namespace bgsim::tasks::addiction
