// Bad input to the experiment readers (docs/reliability.md): every quantity
// that sets a loop bound or a size is checked as the experiment is read, so
// `bgsim validate` returns promptly and `bgsim run` never overflows.

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>

#include <nlohmann/json.hpp>

#include "networks/diagnostics.hpp"
#include "tasks/environments/conditioning.hpp"
#include "tasks/experiment.hpp"
#include "tasks/representations/track_features.hpp"

namespace bgsim::tasks {
namespace {

const std::filesystem::path folder =
    std::filesystem::path(BGSIM_SOURCE_DIR) / "tasks" / "experiments";

// The diagnostics of a ready experiment with one parameter changed.
std::string problems_with(const std::string& file, const std::string& key,
                          const nlohmann::json& value) {
  std::ifstream in(folder / file);
  nlohmann::json doc = nlohmann::json::parse(in);
  doc["experiment"]["params"][key] = value;
  networks::Diagnostics diag;
  read_experiment_description(doc, diag, folder);
  return diag.str();
}

bool has(const std::string& text, const std::string& words) {
  return text.find(words) != std::string::npos;
}

// Was: validate did not return (the rewards were listed one by one).
TEST(BadExperiments, PeriodicRewardsAreCountedBeforeTheyAreListed) {
  const std::string all =
      problems_with("distributional_delay_task.json", "periodic_last_before_s", 1e308);
  EXPECT_TRUE(has(all,
                  "/experiment/params: DelayTaskConfig.periodic_first_s = 1.25, "
                  "periodic_interval_s = 1.05 and periodic_last_before_s = 1e+308 make "))
      << all;
  EXPECT_TRUE(has(all, "periodic rewards; at most 1e+06 are allowed")) << all;
  EXPECT_TRUE(has(problems_with("distributional_delay_task.json", "periodic_interval_s", 1e-300),
                  "periodic rewards; at most 1e+06"));
}

// Was: a segmentation fault (the kernel's radius 4σ overflowed an int).
TEST(BadExperiments, KernelWidthsAreBounded) {
  const std::string all = problems_with("ramps_uncertainty_assumptions.json", "sigma_static", 1e20);
  EXPECT_TRUE(has(all,
                  "/experiment/params: UncertaintyAssumptionsConfig.sigma_static = 1e+20 is "
                  "not allowed: a kernel width must be finite, > 0 and at most 250000 states"))
      << all;
  EXPECT_THROW(gaussian_kernel(1e20), std::invalid_argument);
  EXPECT_THROW(static_uncertainty_features(50, 1e20, 5, 0.1), std::invalid_argument);
  EXPECT_EQ(gaussian_kernel(max_kernel_width).size(), 2000001u);
  EXPECT_TRUE(has(problems_with("ramps_mikhael_track.json", "dark_end_width", 1e300),
                  "dark_end_width × num_states"));
}

// Times and trial lengths that would overflow a step count are refused.
TEST(BadExperiments, TrialsAndTimesBeyondAnIntAreRefused) {
  EXPECT_TRUE(has(problems_with("distributional_cue_reward.json", "trial_s", 1e308),
                  "a trial holds at most 1000000 steps"));
  EXPECT_TRUE(has(problems_with("distributional_cue_reward.json", "reward_time_s", 1e308),
                  "rewards[0].time_s = 1e+308 is not allowed: it must fall inside the trial"));
  ConditioningParams p;
  p.trial_types[0].rewards[0].time_s = 1e300;
  EXPECT_THROW(ConditioningTask{p}, std::invalid_argument);
}

// Found by fuzz_experiment: a task parameter of the wrong type made the
// comparison's reader throw (json::value) instead of reporting it.
TEST(BadExperiments, AComparisonsTaskParameterOfTheWrongTypeIsReported) {
  std::ifstream in(folder / "conditioning_compare.json");
  nlohmann::json doc = nlohmann::json::parse(in);
  doc["experiment"]["params"]["task"]["params"]["dt_s"] = "0.05";
  networks::Diagnostics diag;
  EXPECT_NO_THROW(read_experiment_description(doc, diag, folder));
  EXPECT_TRUE(has(diag.str(), "/experiment/params/task/params/dt_s")) << diag.str();
}

}  // namespace
}  // namespace bgsim::tasks
