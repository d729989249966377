// The plasticity part of descriptions: "neuromodulators", plastic synapse
// models with their parameters, weight and neuromodulator recorders. One test
// per class of mistake (JSON pointer and hint), the resolved manifest, and a
// built network that learns and writes its traces into a results folder.

#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include "core/io/npy.hpp"
#include "core/io/results_folder.hpp"
#include "networks/builder.hpp"
#include "tests/networks/description_test_support.hpp"

namespace bgsim::networks {
namespace {

json base() {
  return json::parse(R"({
    "resolution_ms": 0.5, "seed": 4, "duration_ms": 400,
    "populations": {
      "ctx": {"model": "poisson_source", "size": 40, "params": {"rate_Hz": 20}},
      "snc": {"model": "poisson_source", "size": 5, "params": {"rate_Hz": 5}},
      "d1": {"model": "izhikevich", "size": 20, "preset": "regular_spiking"}
    },
    "neuromodulators": {
      "da": {"source": "snc", "params": {"tau_ms": 200, "spike_increment": 0.02},
             "pulses": [{"time_ms": 100, "amount": 0.5}, {"time_ms": 250, "amount": -0.1}]}
    },
    "projections": [
      {"name": "ctx->d1", "source": "ctx", "target": "d1", "rule": "fixed_indegree", "indegree": 20,
       "synapse": {"model": "stdp_dopamine", "weight": {"uniform": [3, 5]}, "delay_ms": 1,
                   "params": {"w_max": 10, "A_plus": 0.5, "b": 0.01}}}
    ],
    "stimuli": [{"model": "dc_current", "target": "d1", "params": {"amplitude": 3}}],
    "recorders": [
      {"name": "w", "type": "weight_recorder", "projection": "ctx->d1", "sources": [0, 1],
       "interval_ms": 10},
      {"name": "c", "type": "weight_recorder", "projection": "ctx->d1", "variable": "eligibility",
       "targets": [3], "interval_ms": 5},
      {"name": "da_level", "type": "neuromodulator", "neuromodulator": "da", "interval_ms": 1},
      {"type": "spikes", "population": "d1"}
    ]
  })");
}

using test::problems;
using test::reports;

TEST(PlasticityDescription, ValidDocumentHasNoDiagnostics) {
  const auto ps = problems(base());
  EXPECT_TRUE(ps.empty()) << (ps.empty() ? "" : ps[0]);
}

TEST(PlasticityDescription, UnknownSynapseModelGetsNearestName) {
  json d = base();
  d["projections"][0]["synapse"]["model"] = "stdp_dopamin";
  d["projections"][0]["synapse"]["neuromodulator"] = "da";
  EXPECT_TRUE(reports(d, "/projections/0/synapse/model",
                      "unknown synapse model \"stdp_dopamin\"; did you mean \"stdp_dopamine\"?"));
  EXPECT_TRUE(reports(d, "/projections/0/synapse/model", "available: static, stdp, stdp_dopamine"));
  // The rule's own keys (params, neuromodulator) are not reported again as unknown.
  const auto ps = problems(d);
  std::string all;
  for (const auto& p : ps)
    all += p + "\n";
  EXPECT_EQ(ps.size(), 1u) << all;
}

TEST(PlasticityDescription, RuleParametersAreCheckedWithTheirPointer) {
  json d = base();
  d["projections"][0]["synapse"]["params"]["tau_c_m"] = 1000;
  d["projections"][0]["synapse"]["params"]["A_minus"] = "much";
  EXPECT_TRUE(reports(d, "/projections/0/synapse/params/tau_c_m",
                      "unknown parameter; did you mean \"tau_c_ms\"?"));
  EXPECT_TRUE(reports(d, "/projections/0/synapse/params/A_minus", "expected a finite number"));
  json e = base();
  e["projections"][0]["synapse"]["params"]["tau_c_ms"] = -5;
  EXPECT_TRUE(reports(e, "/projections/0/synapse/params/tau_c_ms", "> 0 [ms], got -5"));
  json f = base();
  f["projections"][0]["synapse"]["params"]["w_min"] = 20;
  EXPECT_TRUE(reports(f, "/projections/0/synapse/params/w_min", "must not exceed w_max"));
  // Parameters of a static synapse do not exist.
  json g = base();
  g["projections"][0]["synapse"] = {{"weight", 1.0}, {"params", {{"A_plus", 1.0}}}};
  EXPECT_TRUE(reports(g, "/projections/0/synapse/params", "unknown key"));
}

TEST(PlasticityDescription, InitialWeightsMustLieInTheRulesBounds) {
  json d = base();
  d["projections"][0]["synapse"]["weight"] = {{"uniform", {3, 12}}};
  EXPECT_TRUE(reports(d, "/projections/0/synapse/weight",
                      "initial weights must lie in the rule's bounds [w_min, w_max] = [0, 10]; "
                      "these range over [3, 12]"));
}

TEST(PlasticityDescription, DopamineRulesNeedAVolume) {
  json d = base();
  d.erase("neuromodulators");
  d["recorders"].erase(2);
  EXPECT_TRUE(reports(d, "/projections/0/synapse", "define a volume under \"neuromodulators\""));
  json e = base();
  e["neuromodulators"]["da2"] = {{"source", "snc"}};
  EXPECT_TRUE(reports(e, "/projections/0/synapse", "name its \"neuromodulator\" (da, da2)"));
  json f = base();
  f["projections"][0]["synapse"]["neuromodulator"] = "dq";
  EXPECT_TRUE(reports(f, "/projections/0/synapse/neuromodulator",
                      "no neuromodulator named \"dq\"; did you mean \"da\"?"));
  // A rule without dopamine takes no neuromodulator.
  json g = base();
  g["projections"][0]["synapse"]["model"] = "stdp";
  g["projections"][0]["synapse"]["params"] = {{"w_max", 10.0}};
  g["projections"][0]["synapse"]["neuromodulator"] = "da";
  g["recorders"].erase(1);
  EXPECT_TRUE(reports(g, "/projections/0/synapse/neuromodulator", "unknown key"));
}

TEST(PlasticityDescription, NeuromodulatorMistakes) {
  json d = base();
  d["neuromodulators"]["da"]["source"] = "sn";
  d["neuromodulators"]["da"]["params"]["tau_m"] = 3;
  d["neuromodulators"]["da"]["params"]["delay_ms"] = -1;
  d["neuromodulators"]["da"]["type"] = "serotonin";
  d["neuromodulators"]["da"]["pulses"][1]["time_ms"] = -4;
  d["neuromodulators"]["da"]["kind"] = 1;
  EXPECT_TRUE(reports(d, "/neuromodulators/da/source",
                      "no population named \"sn\"; did you mean \"snc\"?"));
  EXPECT_TRUE(reports(d, "/neuromodulators/da/params/tau_m", "did you mean \"tau_ms\"?"));
  EXPECT_TRUE(reports(d, "/neuromodulators/da/params/delay_ms", ">= 0 [ms], got -1"));
  EXPECT_TRUE(reports(d, "/neuromodulators/da/type", "available: dopamine"));
  EXPECT_TRUE(reports(d, "/neuromodulators/da/pulses/1/time_ms", "must be >= 0 [ms]"));
  EXPECT_TRUE(reports(d, "/neuromodulators/da/kind", "unknown key"));
}

TEST(PlasticityDescription, WeightRecorderMistakes) {
  json d = base();
  d["recorders"][0]["projection"] = "ctx->d2";
  d["recorders"][1]["variable"] = "eligibilty";
  d["recorders"][1]["targets"] = {3, 25};
  EXPECT_TRUE(reports(d, "/recorders/0/projection",
                      "no projection named \"ctx->d2\"; did you mean \"ctx->d1\"?"));
  EXPECT_TRUE(reports(d, "/recorders/1/variable", "expected \"weight\" or \"eligibility\""));
  EXPECT_TRUE(reports(d, "/recorders/1/targets/1", "neuron 25 outside population d1 of size 20"));
  json e = base();
  e["projections"].push_back(
      {{"name", "static"}, {"source", "ctx"}, {"target", "d1"}, {"synapse", {{"weight", 1.0}}}});
  e["recorders"][0]["projection"] = "static";
  EXPECT_TRUE(reports(e, "/recorders/0/projection", "has static synapses"));
  json f = base();
  f["projections"][0]["synapse"]["model"] = "stdp";
  f["projections"][0]["synapse"]["params"] = {{"w_max", 10.0}};
  EXPECT_TRUE(reports(f, "/recorders/1/variable", "synapse model stdp has no eligibility trace"));
  json g = base();
  g["recorders"][2]["neuromodulator"] = "ad";
  g["recorders"][0]["interval_ms"] = 0.1;
  EXPECT_TRUE(reports(g, "/recorders/2/neuromodulator", "no neuromodulator named \"ad\""));
  EXPECT_TRUE(reports(g, "/recorders/0/interval_ms", "must be at least the resolution"));
  json h = base();
  h["recorders"][0]["type"] = "weights";
  EXPECT_TRUE(reports(h, "/recorders/0/type",
                      "expected one of spikes, state, weight_recorder, neuromodulator"));
}

TEST(PlasticityDescription, ResolvedManifestRebuildsTheSameNetwork) {
  Diagnostics diag;
  const NetworkSpec spec = read_network(base(), diag);
  ASSERT_TRUE(diag.ok()) << diag.str();
  const json resolved = resolved_json(spec);
  const json& syn = resolved["projections"][0]["synapse"];
  EXPECT_EQ(syn["params"]["tau_c_ms"], 1000.0);
  EXPECT_EQ(syn["params"]["A_plus"], 0.5);
  EXPECT_EQ(syn["neuromodulator"], "da");
  EXPECT_EQ(syn["precision"], "single");
  EXPECT_EQ(resolved["neuromodulators"]["da"]["params"]["baseline"], 0.0);
  EXPECT_EQ(resolved["neuromodulators"]["da"]["pulses"].size(), 2u);
  EXPECT_EQ(resolved["recorders"][1]["variable"], "eligibility");
  const NetworkSpec again = read_network(resolved, diag);
  ASSERT_TRUE(diag.ok()) << diag.str();
  EXPECT_EQ(resolved_json(again), resolved);
  auto a = build(spec), b = build(again, {.threads = 2});
  a->run(800);
  b->run(800);
  EXPECT_EQ(a->projection(0).connections().weight, b->projection(0).connections().weight);
}

TEST(PlasticityDescription, ABuiltNetworkLearnsAndWritesItsTraces) {
  namespace fs = std::filesystem;
  Diagnostics diag;
  json d = base();
  d["projections"][0]["synapse"]["precision"] = "double";
  const NetworkSpec spec = read_network(d, diag);
  ASSERT_TRUE(diag.ok()) << diag.str();
  auto sim = build(spec);
  EXPECT_EQ(sim->projection(0).bytes_per_synapse(), 24u);
  const fs::path dir = fs::temp_directory_path() / ("bgsim_plastic_" + std::to_string(::getpid()));
  {
    io::ResultsFolder folder(dir, true);
    io::FileSink sink(folder, sim->resolution());
    sink.add_spike_recorder(sim->spike_recorder(0), sim->population(sim->population_index("d1")));
    sim->run(0);
    for (std::uint32_t i = 0; i < sim->num_synapse_recorders(); ++i) {
      const auto& rec = sim->synapse_recorder(i);
      const auto& proj = sim->projection(rec.projection());
      sink.add_synapse_recorder(rec, proj, sim->population(proj.target()));
    }
    for (std::uint32_t i = 0; i < sim->num_neuromodulator_recorders(); ++i) {
      const auto& rec = sim->neuromodulator_recorder(i);
      sink.add_neuromodulator_recording({rec.name(), "da", 1.0});
    }
    sim->set_sink(&sink);
    const auto w0 = sim->projection(0).connections().weight;
    sim->run(800);
    sim->flush_recorders();
    sink.finish(io::RunStatus::complete, sim->now());
    const auto w1 = sim->projection(0).connections().weight;
    EXPECT_NE(w0, w1);
    const nlohmann::json section = sink.manifest_section();
    ASSERT_EQ(section["recordings"].size(), 4u);
    const auto& w = section["recordings"][1];
    EXPECT_EQ(w["kind"], "synapses");
    const auto conns = sim->projection(0).connections();
    const auto from_0_1 = static_cast<std::size_t>(
        std::count_if(conns.source.begin(), conns.source.end(), [](auto s) { return s < 2; }));
    EXPECT_GT(from_0_1, 10u);
    EXPECT_EQ(w["synapses"], from_0_1);  // every synapse of sources 0 and 1
    EXPECT_EQ(w["samples"], 40u);        // 400 ms every 10 ms
    EXPECT_EQ(w["unit"], "mV");
    EXPECT_EQ(section["recordings"][3]["kind"], "neuromodulator");
    EXPECT_EQ(section["recordings"][3]["samples"], 400u);
  }
  // The files load: the level jumps by 0.5 at the pulse at 100 ms.
  const auto level = io::read_npy(dir / "da_level.npy");
  const auto times = io::read_npy(dir / "da_level_times.npy");
  ASSERT_EQ(level.shape, std::vector<std::size_t>{400});
  const auto v = level.values<double>();
  const auto t = times.values<double>();
  EXPECT_EQ(t[100], 100.0);
  EXPECT_GT(v[100] - v[99], 0.49);
  const auto sources = io::read_npy(dir / "w_sources.npy").values<std::uint32_t>();
  const auto weights = io::read_npy(dir / "w.npy");
  ASSERT_EQ(weights.shape.size(), 2u);
  EXPECT_EQ(weights.shape[0], 40u);
  EXPECT_EQ(weights.shape[1], sources.size());
  for (auto s : sources)
    EXPECT_LT(s, 2u);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace bgsim::networks
