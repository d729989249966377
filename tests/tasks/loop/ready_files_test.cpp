// The ready closed-loop experiments (tasks/experiments/bandit_reversal_*.json,
// conditioning_spiking.json, track_spiking.json), read and run as `bgsim run`
// runs them.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "../bandits/ready_experiment_support.hpp"

namespace bgsim::tasks::test {
namespace {

// The agent played through the loop: the Q-learning fit to its own choices
// gives back the α = 0.1 and β = 5 it was given (1000 trials, one reversal),
// on every seed; it prefers the better arm in each half once it has learned.
TEST(ClosedLoopReadyFiles, QLearningAgentsChoicesGiveBackItsParameters) {
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    nlohmann::json doc = ready_description("bandit_reversal_q_learning");
    doc["seed"] = seed;
    ScratchFolder dir;
    const nlohmann::json s = run_description(doc, dir.path());
    EXPECT_EQ(csv_rows(dir / "steps.csv"), 1000u);
    EXPECT_EQ(csv_header(dir / "steps.csv"),
              (std::vector<std::string>{"trial", "step", "state", "action", "best_action",
                                        "reward", "delta"}));
    const auto& fit = s["q_learning_fit"];
    EXPECT_NEAR(fit["fitted_alpha"].get<double>(), 0.1, 0.05) << "seed " << seed;
    EXPECT_NEAR(fit["fitted_beta"].get<double>(), 5.0, 1.5) << "seed " << seed;
    const auto& blocks = s["better_action_fraction_by_block"];
    ASSERT_EQ(blocks.size(), 10u);
    for (int b : {2, 3, 4, 7, 8, 9})
      EXPECT_GT(blocks[b].get<double>(), 0.75) << "seed " << seed << " block " << b;
  }
}

}  // namespace
}  // namespace bgsim::tasks::test
