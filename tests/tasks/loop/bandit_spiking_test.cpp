// The spiking actor-critic learns the reversal bandit in closed loop
// (tasks/experiments/bandit_reversal_spiking.json, its non-contingent control,
// networks/library/bandit_actor_critic.json), over five seeds:
//
// * it chooses the better arm on >= 75 % of trials 301–500 and 801–1000 on
//   average, no seed below 65 %;
// * with non-contingent dopamine it stays at chance, 50 ± 10 % on average;
// * the SNc's answer to a reward shrinks as the reward becomes predicted (the
//   critic subtracts): trials 301–500 against 1–50;
// * an omitted reward (after learning) drives the SNc below its tonic rate.
//
// These are the criteria, not tuned to the runs; the figures of each
// seed are printed and recorded in docs/closed_loop.md.

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "../bandits/ready_experiment_support.hpp"

namespace bgsim::tasks::test {
namespace {

// steps.csv as columns of numbers (the table quotes nothing).
std::map<std::string, std::vector<double>> read_steps(const std::filesystem::path& file) {
  const std::vector<std::string> names = csv_header(file);
  std::ifstream in(file);
  std::string line;
  std::getline(in, line);  // the header
  std::map<std::string, std::vector<double>> columns;
  while (std::getline(in, line)) {
    std::stringstream row(line);
    std::size_t k = 0;
    for (std::string f; std::getline(row, f, ','); ++k)
      columns[names.at(k)].push_back(std::stod(f));
  }
  return columns;
}

struct Seed {
  double better_301_500 = 0, better_801_1000 = 0;
  double reward_answer_early = 0, reward_answer_late = 0;  // SNc after a reward [Hz]
  double omission_answer = 0, tonic = 0;                   // [Hz]
};

Seed play(const std::string& file, std::uint64_t seed) {
  nlohmann::json doc = ready_description(file);
  doc["seed"] = seed;
  ScratchFolder dir;
  run_description(doc, dir.path());
  auto c = read_steps(dir / "steps.csv");
  Seed s;
  int n1 = 0, n2 = 0, ne = 0, nl = 0, no = 0;
  const auto& trial = c["trial"];
  for (std::size_t i = 0; i < trial.size(); ++i) {
    const double t = trial[i];
    const bool better = c["action"][i] == c["best_action"][i];
    if (t >= 300 && t < 500) s.better_301_500 += better, ++n1;
    if (t >= 800 && t < 1000) s.better_801_1000 += better, ++n2;
    const double after = c["snc_rate_after_Hz"][i];
    if (c["reward"][i] > 0 && t < 50) s.reward_answer_early += after, ++ne;
    if (c["reward"][i] > 0 && t >= 300 && t < 500) s.reward_answer_late += after, ++nl;
    if (c["reward"][i] == 0 && c["action"][i] >= 0 && t >= 300 && t < 500)
      s.omission_answer += after, ++no;
    s.tonic += c["snc_rate_before_Hz"][i];
  }
  s.better_301_500 /= n1;
  s.better_801_1000 /= n2;
  s.reward_answer_early /= ne;
  s.reward_answer_late /= nl;
  s.omission_answer /= no;
  s.tonic /= static_cast<double>(trial.size());
  return s;
}

TEST(BanditSpiking, ActorCriticLearnsBothHalvesAndItsDopamineStopsAnsweringPredictedRewards) {
  double mean1 = 0, mean2 = 0;
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    const Seed s = play("bandit_reversal_spiking", seed);
    std::cout << "seed " << seed << ": better arm " << s.better_301_500 << " (301-500), "
              << s.better_801_1000 << " (801-1000); SNc after reward " << s.reward_answer_early
              << " Hz (trials 1-50) -> " << s.reward_answer_late << " Hz (301-500); after "
              << "omission " << s.omission_answer << " Hz; tonic " << s.tonic << " Hz\n";
    EXPECT_GE(s.better_301_500, 0.65) << "seed " << seed;
    EXPECT_GE(s.better_801_1000, 0.65) << "seed " << seed;
    // The critic subtracts: the answer to a now-predicted reward falls by at
    // least a quarter, and an omitted reward leaves the SNc below tonic.
    EXPECT_LT(s.reward_answer_late, 0.75 * s.reward_answer_early) << "seed " << seed;
    EXPECT_LT(s.omission_answer, 0.5 * s.tonic) << "seed " << seed;
    EXPECT_GT(s.tonic, 3.0);
    EXPECT_LT(s.tonic, 5.0);
    mean1 += s.better_301_500 / 5;
    mean2 += s.better_801_1000 / 5;
  }
  EXPECT_GE(mean1, 0.75);
  EXPECT_GE(mean2, 0.75);
}

TEST(BanditSpiking, NonContingentDopamineLeavesChoicesAtChance) {
  double mean1 = 0, mean2 = 0;
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    const Seed s = play("bandit_reversal_spiking_control", seed);
    std::cout << "control seed " << seed << ": better arm " << s.better_301_500 << " (301-500), "
              << s.better_801_1000 << " (801-1000)\n";
    mean1 += s.better_301_500 / 5;
    mean2 += s.better_801_1000 / 5;
  }
  EXPECT_NEAR(mean1, 0.5, 0.1);
  EXPECT_NEAR(mean2, 0.5, 0.1);
}

}  // namespace
}  // namespace bgsim::tasks::test
