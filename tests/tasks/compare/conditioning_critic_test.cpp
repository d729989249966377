// The spiking conditioning critic (networks/library/conditioning_critic.json,
// played by tasks/experiments/conditioning_compare.json) run as `bgsim
// compare` runs it, against the effects it is built for (docs/compare.md,
// "The conditioning circuit"): after training the dopamine cells burst at the
// cue, answer the predicted reward far less, dip when it is omitted, still
// burst to an uncued reward, and their time course follows TD(λ)'s δ.
// Responses are rates minus the baseline (the bins before the cue), in the
// windows of the file: cue [0, 200) ms, reward [0, 200) ms, omission
// [−50, 150) ms around the time the reward was due; "late" = trials 100–199.
// The criteria, as stated there. CI runs seed 1; BGSIM_LONG_TESTS
// runs seeds 1–5.

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "../bandits/ready_experiment_support.hpp"

namespace bgsim::tasks::test {
namespace {

std::vector<std::uint64_t> seeds() {
  if (std::getenv("BGSIM_LONG_TESTS")) return {1, 2, 3, 4, 5};
  return {1};
}

nlohmann::json library_network() {
  std::ifstream in(std::filesystem::path(BGSIM_SOURCE_DIR) / "networks" / "library" /
                   "conditioning_critic.json");
  return nlohmann::json::parse(in);
}

// The comparison's spiking figures, as multiples of the baseline.
struct Figures {
  double baseline_Hz = 0;
  double cs = 0;                   // cue response late / baseline, as a rate ratio
  double us_early = 0;             // reward response, first 10 paired trials [Hz above baseline]
  double us_late = 0;              // the same after learning
  double omission = 0;             // omission-window rate / baseline
  double omission_minimum_ms = 0;  // centre of the lowest bin, from the time due
  double uncued = 0;               // uncued reward response late, as a rate ratio
  nlohmann::json agents;
};

Figures run(nlohmann::json doc, std::uint64_t seed, double reward_time_s = 2.0,
            std::int64_t trials = 200) {
  // The longer the interval, the longer the value takes to reach the cue:
  // 1.5 s is trained for 400 trials (at 200 the cue burst is still growing,
  // 1.35x baseline on seed 1; docs/compare.md).
  doc["seed"] = seed;
  auto& p = doc["experiment"]["params"];
  p["task"]["params"]["reward_time_s"] = reward_time_s;
  p["trials"] = trials;
  p["learned_from_trial"] = trials / 2;
  ScratchFolder dir;
  const nlohmann::json c = run_description(doc, dir.path())["comparison"];
  const auto& s = c["spiking_signal"];
  Figures f;
  f.baseline_Hz = s["baseline_Hz"].get<double>();
  const auto ratio = [&](const char* key) {
    return (f.baseline_Hz + s[key].get<double>()) / f.baseline_Hz;
  };
  f.cs = ratio("cs_response_late_Hz");
  f.us_early = s["us_response_early_Hz"].get<double>();
  f.us_late = s["us_response_late_Hz"].get<double>();
  f.omission = ratio("omission_window_Hz");
  f.omission_minimum_ms = s["omission_minimum_bin_centre_from_us_ms"].get<double>();
  f.uncued = ratio("uncued_us_response_late_Hz");
  f.agents = c["agents"];
  return f;
}

// CS–US 1 s, the ready file: every effect, and the match with TD(λ).
TEST(ConditioningCritic, BurstMovesFromRewardToCueAndFollowsTdLambda) {
  for (std::uint64_t seed : seeds()) {
    const Figures f = run(ready_description("conditioning_compare"), seed);
    EXPECT_GT(f.baseline_Hz, 3.0) << "seed " << seed;
    EXPECT_LT(f.baseline_Hz, 6.0) << "seed " << seed;
    EXPECT_GE(f.cs, 2.0) << "seed " << seed;
    EXPECT_LE(f.us_late, 0.5 * f.us_early) << "seed " << seed;
    EXPECT_LT(f.omission, 0.7) << "seed " << seed;
    EXPECT_LE(std::abs(f.omission_minimum_ms), 50.0) << "seed " << seed;
    EXPECT_GE(f.uncued, 2.0) << "seed " << seed;
    for (const char* agent : {"td_lambda_csc", "td_lambda_microstimulus"})
      EXPECT_GE(f.agents[agent]["r_mean_time_course"].get<double>(), 0.8)
          << agent << ", seed " << seed;
  }
}

// The same network, only the interval changes (the chain spans 1.75 s).
TEST(ConditioningCritic, TimedDipAndCueBurstAtHalfAndOneAndAHalfSeconds) {
  for (const auto& [reward_time_s, trials] : {std::pair{1.5, 200}, std::pair{2.5, 400}}) {
    for (std::uint64_t seed : seeds()) {
      const Figures f = run(ready_description("conditioning_compare"), seed, reward_time_s, trials);
      const std::string at =
          "CS-US " + std::to_string(reward_time_s - 1.0) + " s, seed " + std::to_string(seed);
      EXPECT_GE(f.cs, 2.0) << at;
      EXPECT_LE(f.us_late, 0.5 * f.us_early) << at;
      EXPECT_LT(f.omission, 0.7) << at;
      EXPECT_LE(std::abs(f.omission_minimum_ms), 50.0) << at;
      EXPECT_GE(f.uncued, 2.0) << at;
    }
  }
}

// Without plasticity nothing moves: no cue burst, the reward answered as on
// the first trials, no dip.
TEST(ConditioningCritic, WithoutPlasticityNothingMoves) {
  nlohmann::json net = library_network();
  for (auto& pr : net["projections"])
    if (pr["synapse"].value("model", "static") == "stdp_dopamine") {
      pr["synapse"]["params"]["A_plus"] = 0;
      pr["synapse"]["params"]["A_minus"] = 0;
    }
  nlohmann::json doc = ready_description("conditioning_compare");
  doc["experiment"]["params"]["spiking"]["network"] = net;
  const Figures f = run(doc, 1);
  EXPECT_LT(f.cs, 1.5);
  EXPECT_GT(f.us_late, 0.8 * f.us_early);
  EXPECT_GT(f.omission, 0.8);
}

// Without the striatum's delayed inhibition of the SNc there is no dip.
TEST(ConditioningCritic, WithoutTheDelayedInhibitionThereIsNoDip) {
  nlohmann::json net = library_network();
  bool found = false;
  for (auto& pr : net["projections"])
    if (pr.value("name", "") == "str->snc_delayed") {
      pr["synapse"]["weight"] = 0;
      found = true;
    }
  ASSERT_TRUE(found);
  nlohmann::json doc = ready_description("conditioning_compare");
  doc["experiment"]["params"]["spiking"]["network"] = net;
  const Figures f = run(doc, 1, 2.0, 100);
  EXPECT_GT(f.omission, 1.0);
}

}  // namespace
}  // namespace bgsim::tasks::test
