// The distal reward experiment (Izhikevich 2007) as shipped in
// networks/library/izhikevich2007_distal_reward.json: the reward schedule of
// the contingency; a shortened variant in CI (5 simulated minutes, the same
// network with twice the STDP amplitudes and rewards 0.2-0.6 s after the
// pairing instead of 1-3 s: still distal, with dozens of other pairings in
// between, but each reward finds more of the chosen synapse's tag, so a few
// rewards suffice), with a control that gets the same number of rewards at
// random times; and the published outcome over a simulated hour against the
// non-contingent control of the library (BGSIM_LONG_TESTS).

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <numeric>

#include "core/random.hpp"
#include "models/reward_contingency.hpp"
#include "networks/builder.hpp"
#include "networks/loader.hpp"

namespace bgsim::networks {
namespace {

std::string library(const std::string& name) {
  return std::string(BGSIM_SOURCE_DIR) + "/networks/library/" + name;
}

struct Run {
  std::unique_ptr<Simulator> sim;
  MemorySink sink;
  const models::PairContingency* contingency = nullptr;
  std::uint32_t exc = 0, da = 0;
};

// `shorten`: the CI variant (STDP amplitudes x2, rewards after 0.2-0.6 s);
// `control_pulses`: the contingency earns nothing and this many pulses of 0.5
// arrive at uniformly random times instead.
std::unique_ptr<Run> build_library(const std::string& file, double duration_ms,
                                   bool shorten = false, int control_pulses = -1) {
  NetworkSpec spec = read_network_file(library(file));
  spec.duration_ms = duration_ms;
  spec.recorders.clear();
  if (shorten) {
    for (auto& pr : spec.projections)
      if (pr.synapse.model == "stdp_dopamine")
        for (const char* a : {"A_plus", "A_minus"})
          pr.synapse.params[a] = 2.0 * std::get<double>(pr.synapse.params.at(a));
    ParamMap& c = spec.neuromodulators.at(0).contingency->params;
    c["delay_min_ms"] = 200.0;
    c["delay_max_ms"] = 600.0;
  }
  if (control_pulses >= 0) {
    NeuromodulatorSpec& n = spec.neuromodulators.at(0);
    n.contingency->params["amount"] = 0.0;
    RandomStream rng(spec.seed, Purpose::task, 12345, 0);
    for (int k = 0; k < control_pulses; ++k)
      n.pulses.emplace_back(duration_ms * (1.0 - rng.uniform()), 0.5);
  }
  auto r = std::make_unique<Run>();
  r->sim = build(spec);
  r->exc = r->sim->population_index("exc");
  r->da = r->sim->volume_index("da");
  r->contingency = dynamic_cast<const models::PairContingency*>(&r->sim->observer(0));
  r->sim->add_spike_recorder(
      std::make_unique<SpikeRecorder>("exc", r->exc, std::vector<std::uint32_t>{}));
  r->sim->add_neuromodulator_recorder(std::make_unique<NeuromodulatorRecorder>("da", r->da, 1));
  r->sim->set_sink(&r->sink);
  return r;
}

// The chosen synapse and the bulk of the excitatory weights (all the others).
struct Weights {
  double chosen = 0.0, bulk_mean = 0.0, fraction_of_bulk_below_chosen = 0.0;
};

Weights weights(const Run& r) {
  const ConnectionList c = r.sim->projection(0).connections();
  Weights w;
  std::vector<double> bulk;
  for (std::size_t k = 0; k < c.size(); ++k) {
    if (c.source[k] == r.contingency->pre().neuron && c.target[k] == r.contingency->post().neuron)
      w.chosen = c.weight[k];
    else
      bulk.push_back(c.weight[k]);
  }
  w.bulk_mean = std::accumulate(bulk.begin(), bulk.end(), 0.0) / static_cast<double>(bulk.size());
  w.fraction_of_bulk_below_chosen =
      static_cast<double>(
          std::count_if(bulk.begin(), bulk.end(), [&](double x) { return x < w.chosen; })) /
      static_cast<double>(bulk.size());
  return w;
}

TEST(DistalReward, TheChosenSynapseStartsAtZeroAndTheBulkAtOne) {
  auto r = build_library("izhikevich2007_distal_reward.json", 0.0);
  r->sim->run(0);
  const Weights w = weights(*r);
  EXPECT_EQ(w.chosen, 0.0);
  EXPECT_EQ(w.bulk_mean, 1.0);
  EXPECT_EQ(r->contingency->pre().neuron, 1u);
  EXPECT_NE(r->contingency->post().neuron, 1u);
}

TEST(DistalReward, EveryPairingEarnsAPulseOneToThreeSecondsLater) {
  // 60 s of the published network: rates in its regime, and the reward
  // schedule of the contingency checked against the spikes themselves.
  auto r = build_library("izhikevich2007_distal_reward.json", 60000.0);
  r->sim->run(60000);
  r->sim->flush_recorders();
  const auto& spikes = r->sink.spikes_of("exc");
  const double rate = static_cast<double>(spikes.size()) / 800.0 / 60.0;
  EXPECT_GT(rate, 0.5);
  EXPECT_LT(rate, 4.0);
  const std::uint32_t n1 = r->sim->population(r->exc).gid_offset() + r->contingency->pre().neuron;
  const std::uint32_t n2 = r->sim->population(r->exc).gid_offset() + r->contingency->post().neuron;
  std::vector<Step> pre, post;
  for (const auto& s : spikes) {
    if (s.gid == n1) pre.push_back(s.step);
    if (s.gid == n2) post.push_back(s.step);
  }
  // The pairings the contingency saw are exactly the post spikes with a pre
  // spike at most 19 steps (ms) before or at the same step.
  std::vector<Step> expected;
  for (Step t : post) {
    const auto it = std::upper_bound(pre.begin(), pre.end(), t);
    if (it != pre.begin() && t - *(it - 1) < 20) expected.push_back(t);
  }
  ASSERT_GT(expected.size(), 0u) << "the short run must hold a pairing";
  EXPECT_EQ(r->contingency->pairings(), expected);
  const auto& rewards = r->contingency->rewards();
  ASSERT_EQ(rewards.size(), expected.size());
  const auto& level = r->sink.samples_of("da");
  for (std::size_t i = 0; i < rewards.size(); ++i) {
    EXPECT_GE(rewards[i] - expected[i], 1000);
    EXPECT_LT(rewards[i] - expected[i], 3000);
    if (rewards[i] < 60000) {  // the level jumps by 0.5 there
      const double before = level.values[static_cast<std::size_t>(rewards[i] - 1)];
      const double after = level.values[static_cast<std::size_t>(rewards[i])];
      EXPECT_NEAR(after - before * std::exp(-1.0 / 200.0), 0.5, 1e-9);
    }
  }
}

// The number of rewards the shortened contingent run earns (seed 1); the
// control gets exactly as many.
constexpr int short_run_rewards = 9;

TEST(DistalReward, ShortVariantTheChosenSynapseRisesFarAboveTheBulk) {
  auto r = build_library("izhikevich2007_distal_reward.json", 300000.0, true);
  r->sim->run(300000);
  const Weights w = weights(*r);
  EXPECT_EQ(static_cast<int>(r->contingency->rewards().size()), short_run_rewards);
  EXPECT_GE(w.chosen, 3.5);  // at the top of [0, 4]
  EXPECT_LT(w.bulk_mean, 1.0);
  EXPECT_GT(w.fraction_of_bulk_below_chosen, 0.99);
}

TEST(DistalReward, ShortVariantControlWithAsManyRandomRewardsDoesNotRise) {
  auto r = build_library("izhikevich2007_distal_reward.json", 300000.0, true, short_run_rewards);
  r->sim->run(300000);
  const Weights w = weights(*r);
  EXPECT_EQ(r->sim->counters().events - r->contingency->rewards().size(),
            static_cast<std::uint64_t>(short_run_rewards));
  EXPECT_LT(w.chosen, 1.0);
  EXPECT_LT(w.bulk_mean, 1.0);
  EXPECT_LT(w.fraction_of_bulk_below_chosen, 0.9);
}

TEST(DistalReward, LongHourChosenSynapseReachesTheTopWhileTheControlDoesNot) {
  if (!std::getenv("BGSIM_LONG_TESTS")) GTEST_SKIP() << "an hour of simulated time (~1 min)";
  auto contingent = build_library("izhikevich2007_distal_reward.json", 3600000.0);
  contingent->sim->run(3600000);
  const Weights w = weights(*contingent);
  EXPECT_GE(w.chosen, 3.0);
  EXPECT_LT(w.bulk_mean, 1.0);
  EXPECT_GT(w.fraction_of_bulk_below_chosen, 0.97);
  auto control = build_library("izhikevich2007_distal_reward_control.json", 3600000.0);
  control->sim->run(3600000);
  const Weights c = weights(*control);
  EXPECT_LT(c.chosen, 1.5);
  EXPECT_LT(c.fraction_of_bulk_below_chosen, 0.9);
  // The control's random pulses (its contingency schedules pulses of 0) number
  // about as many as the contingent run earned.
  const auto random_pulses =
      control->sim->counters().events - control->contingency->rewards().size();
  EXPECT_NEAR(static_cast<double>(random_pulses),
              static_cast<double>(contingent->contingency->rewards().size()), 40.0);
}

}  // namespace
}  // namespace bgsim::networks
