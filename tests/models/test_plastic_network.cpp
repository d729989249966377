// A recurrent Izhikevich network with dopamine-modulated and plain STDP,
// dopamine from a Poisson "SNc" population and reward pulses: weights and
// eligibilities are bit-identical for 1, 2 and 4 threads, for a run split in
// pieces, with or without recorders reading them, and across a checkpoint.

#include <gtest/gtest.h>

#include <cstring>
#include <sstream>

#include "core/registry.hpp"
#include "tests/core/test_support.hpp"

namespace bgsim {
namespace {

struct Net {
  std::unique_ptr<Simulator> sim;
  std::unique_ptr<MemorySink> sink = std::make_unique<MemorySink>();
  std::uint32_t plastic = 0, plain = 0;
};

std::unique_ptr<Projection> plastic(Simulator& sim, const std::string& model,
                                    const std::string& name, std::uint32_t src, std::uint32_t tgt,
                                    std::uint32_t outdegree, ParamMap params, std::int64_t volume) {
  const auto pairs = networks::connect({.rule = "fixed_outdegree", .outdegree = outdegree},
                                       sim.population(src).size(), sim.population(tgt).size(),
                                       src == tgt, sim.seed(), 77 + src);
  ConnectionList list;
  RandomStream rng(sim.seed(), Purpose::parameters, 77 + src, 1);
  for (const auto& [s, t] : pairs)
    list.add(s, t, 2.0 + rng.uniform(), 10 + static_cast<Step>(rng() % 40));
  return SynapseModels::instance().find(model)->create({.name = name,
                                                        .source = src,
                                                        .target = tgt,
                                                        .channel = 0,
                                                        .source_size = sim.population(src).size(),
                                                        .connections = std::move(list),
                                                        .params = std::move(params),
                                                        .volume = volume});
}

Net build(int threads, bool recorders) {
  Net n;
  n.sim =
      std::make_unique<Simulator>(SimulatorConfig{.dt_ms = 0.5, .seed = 99, .threads = threads});
  Simulator& sim = *n.sim;
  test_support::build_izhikevich_network(sim, 120, 30);
  const auto snc =
      sim.add_population(make_population("poisson_source", "snc", 20, {{"rate_Hz", 8.0}}));
  const auto da = sim.add_volume(std::make_unique<DopamineVolume>(
      "da",
      DopamineVolume::Params{
          .tau_ms = 200.0, .baseline = 0.0, .spike_increment = 0.01, .delay_ms = 1.0},
      snc));
  n.plastic = sim.add_projection(
      plastic(sim, "stdp_dopamine", "exc->exc plastic", 0, 0, 10,
              {{"w_max", 6.0}, {"b", 0.02}, {"A_plus", 0.1}, {"A_minus", 0.15}}, da));
  n.plain = sim.add_projection(
      plastic(sim, "stdp", "exc->inh plastic", 0, 1, 4, {{"w_max", 5.0}, {"lambda", 0.05}}, -1));
  for (Step at : {300, 900, 1500, 1501})
    sim.pulse(da, at, at == 900 ? -0.3 : 0.5);
  sim.set_sink(n.sink.get());
  if (recorders) {
    sim.add_synapse_recorder(std::make_unique<SynapseRecorder>(
        "w", n.plastic, SynapseRecorder::Variable::weight, std::vector<std::uint32_t>{0, 1, 2},
        std::vector<std::uint32_t>{}, 3));
    sim.add_synapse_recorder(std::make_unique<SynapseRecorder>(
        "c", n.plastic, SynapseRecorder::Variable::eligibility, std::vector<std::uint32_t>{},
        std::vector<std::uint32_t>{5, 6, 7, 8}, 7));
    sim.add_synapse_recorder(std::make_unique<SynapseRecorder>(
        "w_plain", n.plain, SynapseRecorder::Variable::weight, std::vector<std::uint32_t>{},
        std::vector<std::uint32_t>{}, 50));
    sim.add_neuromodulator_recorder(std::make_unique<NeuromodulatorRecorder>("da", da, 2));
  }
  for (std::uint32_t p = 0; p < sim.num_populations(); ++p)
    sim.add_spike_recorder(std::make_unique<SpikeRecorder>("spikes" + std::to_string(p), p,
                                                           std::vector<std::uint32_t>{}));
  return n;
}

struct State {
  std::vector<double> w_plastic, c_plastic, w_plain;
  std::vector<SpikeEvent> spikes;
};

State state_of(Net& n) {
  State s;
  s.w_plastic = n.sim->projection(n.plastic).connections().weight;
  s.c_plastic = n.sim->projection(n.plastic).eligibilities();
  s.w_plain = n.sim->projection(n.plain).connections().weight;
  n.sim->flush_recorders();
  for (std::uint32_t p = 0; p < n.sim->num_populations(); ++p) {
    const auto& sp = n.sink->spikes_of("spikes" + std::to_string(p));
    s.spikes.insert(s.spikes.end(), sp.begin(), sp.end());
  }
  return s;
}

bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

void expect_identical(const State& a, const State& b) {
  EXPECT_TRUE(same_bits(a.w_plastic, b.w_plastic));
  EXPECT_TRUE(same_bits(a.c_plastic, b.c_plastic));
  EXPECT_TRUE(same_bits(a.w_plain, b.w_plain));
  ASSERT_EQ(a.spikes.size(), b.spikes.size());
  for (std::size_t i = 0; i < a.spikes.size(); ++i) {
    ASSERT_EQ(a.spikes[i].step, b.spikes[i].step);
    ASSERT_EQ(a.spikes[i].gid, b.spikes[i].gid);
  }
}

constexpr Step steps = 6000;  // 3 s at dt = 0.5 ms: three flushes of the lazy state

TEST(PlasticNetwork, BitIdenticalWeightsFor1_2_4Threads) {
  Net one = build(1, true);
  one.sim->run(steps);
  const State a = state_of(one);
  ASSERT_GT(a.spikes.size(), 1000u);
  // The weights moved, in both directions.
  const auto initial = build(1, false);
  const auto w0 = initial.sim->projection(initial.plastic).connections().weight;
  int up = 0, down = 0;
  for (std::size_t k = 0; k < w0.size(); ++k) {
    up += a.w_plastic[k] > w0[k] + 1e-6;
    down += a.w_plastic[k] < w0[k] - 1e-6;
  }
  EXPECT_GT(up, 50);
  EXPECT_GT(down, 50);
  for (int threads : {2, 4}) {
    Net n = build(threads, true);
    n.sim->run(steps);
    const State b = state_of(n);
    expect_identical(a, b);
    const auto& r1 = one.sink->samples_of("w");
    const auto& r2 = n.sink->samples_of("w");
    EXPECT_EQ(r1.width, r2.width);
    EXPECT_TRUE(same_bits(r1.values, r2.values)) << threads << " threads";
    EXPECT_TRUE(same_bits(one.sink->samples_of("c").values, n.sink->samples_of("c").values));
  }
}

TEST(PlasticNetwork, RecordingDoesNotChangeTheRun) {
  Net with = build(2, true), without = build(2, false);
  with.sim->run(steps);
  without.sim->run(steps);
  expect_identical(state_of(with), state_of(without));
  // The last weight sample is the state at that step.
  const auto& w = with.sink->samples_of("w");
  ASSERT_EQ(w.steps.size(), static_cast<std::size_t>((steps + 2) / 3));
  EXPECT_EQ(w.steps.back(), steps - 3);
  EXPECT_GT(w.width, 20u);
  const auto& da = with.sink->samples_of("da");
  EXPECT_EQ(da.steps.size(), static_cast<std::size_t>(steps / 2));
}

TEST(PlasticNetwork, SplittingARunChangesNothing) {
  Net whole = build(3, false);
  whole.sim->run(steps);
  Net pieces = build(3, false);
  for (Step s : {1, 7, 92, 1900, 2000, 2000})
    pieces.sim->run(s);
  ASSERT_EQ(pieces.sim->now(), steps);
  expect_identical(state_of(whole), state_of(pieces));
}

TEST(PlasticNetwork, CheckpointRoundTripIsExact) {
  for (int restore_threads : {1, 3}) {
    Net first = build(2, true);
    first.sim->run(steps / 2);
    std::stringstream checkpoint;
    first.sim->save(checkpoint);
    first.sim->run(steps / 2);
    const State a = state_of(first);

    Net second = build(restore_threads, true);
    second.sim->load(checkpoint);
    second.sim->run(steps / 2);
    const State b = state_of(second);
    EXPECT_TRUE(same_bits(a.w_plastic, b.w_plastic));
    EXPECT_TRUE(same_bits(a.c_plastic, b.c_plastic));
    EXPECT_TRUE(same_bits(a.w_plain, b.w_plain));
    // Samples after the checkpoint are the same.
    const auto& s1 = first.sink->samples_of("w");
    const auto& s2 = second.sink->samples_of("w");
    ASSERT_GT(s2.steps.size(), 100u);
    const std::size_t tail = s2.values.size();
    ASSERT_LE(tail, s1.values.size());
    EXPECT_TRUE(std::equal(s2.values.begin(), s2.values.end(), s1.values.end() - tail));
  }
}

TEST(PlasticNetwork, AStaticProjectionHasNothingToRecord) {
  Simulator sim;
  test_support::build_izhikevich_network(sim, 10, 5);
  EXPECT_THROW(sim.add_synapse_recorder(std::make_unique<SynapseRecorder>(
                   "w", 0, SynapseRecorder::Variable::weight, std::vector<std::uint32_t>{},
                   std::vector<std::uint32_t>{}, 1)),
               std::invalid_argument);
}

}  // namespace
}  // namespace bgsim
