// The spiking Go/NoGo learner (networks/library/gonogo_striatum.json, played
// by tasks/experiments/selection_gonogo_spiking.json; docs/basal_ganglia.md,
// "Go/NoGo learning" and "The ready circuit") on the probabilistic selection
// task: with intact, elevated or depleted dopamine it learns the training
// pairs, and depleting dopamine lowers choose-A against avoid-B (Frank et al.
// 2004), with NoGo weights that single out B. What it does not do — raise
// choose-A against avoid-B when dopamine is elevated — is measured and
// written down there, not asserted here.

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <numeric>
#include <string>
#include <vector>

#include "../bandits/ready_experiment_support.hpp"
#include "core/io/npy.hpp"

namespace bgsim::tasks::test {
namespace {

nlohmann::json selection_of(const char* kind, std::uint64_t seed) {
  nlohmann::json doc = ready_description(kind);
  doc["seed"] = seed;
  ScratchFolder dir;
  return run_description(doc, dir.path())["selection"];
}

// The mean weight of each stimulus's s_k -> d2_k synapses (NoGo) at the end
// of a session of `kind`, recorded by connection recorders added to the
// network the experiment plays (given inline in its place).
std::array<double, 6> nogo_weights_of(const char* kind, std::uint64_t seed) {
  nlohmann::json doc = ready_description(kind);
  doc["seed"] = seed;
  nlohmann::json& learner = doc["experiment"]["params"]["learner"];
  std::ifstream in(std::filesystem::path(BGSIM_SOURCE_DIR) / "tasks" / "experiments" /
                   learner["network"].get<std::string>());
  nlohmann::json net = nlohmann::json::parse(in);
  for (int k = 0; k < 6; ++k)
    net["recorders"].push_back(
        {{"name", "nogo_" + std::to_string(k)},
         {"type", "connections"},
         {"projection", "s_" + std::to_string(k) + "->d2_" + std::to_string(k)}});
  learner["network"] = net;
  ScratchFolder dir;
  run_description(doc, dir.path());
  std::array<double, 6> out{};
  for (int k = 0; k < 6; ++k) {
    const auto w =
        io::read_npy(dir / ("nogo_" + std::to_string(k) + ".npy")).field<double>("weight");
    out[k] = std::accumulate(w.begin(), w.end(), 0.0) / static_cast<double>(w.size());
  }
  return out;
}

// How far B's NoGo weight stands above the mean of C, D, E and F's [pA].
double nogo_excess_of_b(const std::array<double, 6>& w) {
  return w[1] - (w[2] + w[3] + w[4] + w[5]) / 4.0;
}

// Measured over seeds 1–20 (tools/selection_conditions.py): A chosen on
// 98 % of AB trials in the last training block (90–100 % on every seed);
// the task asks for at least 65 %.
TEST(GoNoGoSpiking, IntactCircuitLearnsTheTrainingPairs) {
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    const nlohmann::json sel = selection_of("selection_gonogo_spiking", seed);
    const auto& last = sel["training_accuracy_by_block"].back();
    EXPECT_GE(last["AB"].get<double>(), 0.65) << "seed " << seed;
    EXPECT_GT(last["CD"].get<double>(), 0.5) << "seed " << seed;
    EXPECT_TRUE(sel["choose_a"].is_number());
    EXPECT_TRUE(sel["avoid_b"].is_number());
  }
}

// Measured over seeds 1–20: A on 99 % of AB trials in the last block with
// elevated dopamine (95–100 % on every seed), 93 % depleted (85–100 %;
// seeds 1–3: 90, 85, 95 %). The rules read dopamine around each circuit's
// own tonic level, so a shifted level slows learning but does not turn it
// into drift.
TEST(GoNoGoSpiking, ShiftedDopamineCircuitsStillLearnTheTrainingPairs) {
  for (const char* variant :
       {"selection_gonogo_spiking_elevated", "selection_gonogo_spiking_depleted"}) {
    for (std::uint64_t seed : {1u, 2u, 3u}) {
      const nlohmann::json sel = selection_of(variant, seed);
      const auto& last = sel["training_accuracy_by_block"].back();
      EXPECT_GE(last["AB"].get<double>(), 0.65) << variant << ", seed " << seed;
    }
  }
}

// Choose-A − avoid-B of the depleted circuit minus the intact circuit's, one
// difference per seed (the two are shown the same sequence of pairs).
std::vector<double> depletion_effects(std::uint64_t first, std::uint64_t last) {
  std::vector<double> out;
  for (std::uint64_t seed = first; seed <= last; ++seed) {
    const nlohmann::json intact = selection_of("selection_gonogo_spiking", seed);
    const nlohmann::json depleted = selection_of("selection_gonogo_spiking_depleted", seed);
    const double balance_intact =
        intact["choose_a"].get<double>() - intact["avoid_b"].get<double>();
    const double balance_depleted =
        depleted["choose_a"].get<double>() - depleted["avoid_b"].get<double>();
    out.push_back(balance_depleted - balance_intact);
  }
  return out;
}

double mean(const std::vector<double>& x) {
  return std::accumulate(x.begin(), x.end(), 0.0) / static_cast<double>(x.size());
}

// Frank et al. (2004): without dopamine, patients choose A less and avoid B
// more. Seeds 21–40 were set aside to confirm the effect once the circuit
// was fixed (seeds 1–4 had been used to choose it): depleted minus intact
// -0.123 [-0.179, -0.067] (mean, 95 % t-interval), below zero on 16 of 20
// seeds; seeds 1–20 give -0.173 [-0.260, -0.086] (docs/basal_ganglia.md).
// CI runs the first four confirmation seeds (-0.21, -0.17, -0.29, -0.12):
// their mean must stay below -0.05.
TEST(GoNoGoSpiking, DepletionLowersChooseAAgainstAvoidB) {
  const std::vector<double> d = depletion_effects(21, 24);
  EXPECT_LT(mean(d), -0.05) << "per seed: " << d[0] << " " << d[1] << " " << d[2] << " " << d[3];
}

// What the NoGo weights count (docs/basal_ganglia.md, "What the NoGo weights
// count"). In the intact circuit the D2 receptor is near saturation at the
// tonic level (occupancy 0.67), so a burst barely lowers a NoGo weight that a
// pause raises, and NoGo follows how many times a stimulus lost rather than
// the fraction of its choices that lost: B's NoGo stands -0.8 to +2.1 pA
// above the mean of C-F's (seeds 1-24). At the depleted tonic level (occupancy 0.38) a burst
// undoes what a pause taught, and B's stands +2.9 to +7.2 pA above, on every
// seed, as OpAL's N_B does. Seeds 21 and 22: intact +0.2 and +0.3, depleted
// +6.3 and +5.3.
TEST(GoNoGoSpiking, DepletionSinglesOutBInTheNoGoWeights) {
  for (std::uint64_t seed : {21u, 22u}) {
    const double intact = nogo_excess_of_b(nogo_weights_of("selection_gonogo_spiking", seed));
    const double depleted =
        nogo_excess_of_b(nogo_weights_of("selection_gonogo_spiking_depleted", seed));
    EXPECT_GT(depleted, 2.0) << "seed " << seed;
    EXPECT_GT(depleted - intact, 1.0) << "seed " << seed << ": intact " << intact;
  }
}

// The confirmation itself: over seeds 21–40 the mean with its 95 %
// t-interval lies below zero (t at 19 degrees of freedom: 2.093).
TEST(GoNoGoSpiking, DepletionLowersChooseAAgainstAvoidBOverTwentySeeds) {
  if (std::getenv("BGSIM_LONG_TESTS") == nullptr)
    GTEST_SKIP() << "40 sessions (~4 min); set BGSIM_LONG_TESTS to run";
  const std::vector<double> d = depletion_effects(21, 40);
  const double m = mean(d);
  double ss = 0.0;
  for (double v : d)
    ss += (v - m) * (v - m);
  const double half = 2.093 * std::sqrt(ss / static_cast<double>(d.size() - 1)) /
                      std::sqrt(static_cast<double>(d.size()));
  EXPECT_LT(m + half, 0.0) << "mean " << m << ", half-width " << half;
}

}  // namespace
}  // namespace bgsim::tasks::test
