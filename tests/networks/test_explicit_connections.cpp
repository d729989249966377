// Explicit connections ("rule": "explicit", networks/connection_arrays.hpp):
// a network built from the synapses another run saved is that network, spike
// for spike; a trained plastic projection saved and loaded has exactly the
// saved weights; every form (record .npy, CSV, arrays, 1-D .npy files) gives
// the same synapses; bad arrays are refused at their JSON pointer.

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "core/io/npy.hpp"
#include "core/io/results_folder.hpp"
#include "networks/builder.hpp"
#include "tests/networks/description_test_support.hpp"

namespace bgsim::networks {
namespace {

using test::problems;
using test::reports;

namespace fs = std::filesystem;

// A folder for the saved arrays, removed at the end of the test.
struct Scratch {
  fs::path dir;
  Scratch() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir = fs::temp_directory_path() /
          ("bgsim-explicit-" + std::to_string(::getpid()) + "-" + info->name());
    fs::remove_all(dir);
    fs::create_directories(dir);
  }
  ~Scratch() {
    std::error_code ignored;
    fs::remove_all(dir, ignored);
  }
};

// Izhikevich's (2003) network, small: drawn weights and delays of both signs,
// every synapse static, thalamic noise.
json izhikevich() {
  return json::parse(R"({
    "resolution_ms": 1.0, "seed": 7, "duration_ms": 300,
    "populations": {
      "exc": {"model": "izhikevich", "size": 160, "preset": "regular_spiking"},
      "inh": {"model": "izhikevich", "size": 40, "preset": "fast_spiking"}
    },
    "projections": [
      {"name": "exc->exc", "source": "exc", "target": "exc", "rule": "fixed_outdegree",
       "outdegree": 16, "allow_autapses": false,
       "synapse": {"weight": {"uniform": [4, 8]}, "delay_ms": {"uniform_int": [1, 20]}}},
      {"name": "exc->inh", "source": "exc", "target": "inh", "rule": "fixed_outdegree",
       "outdegree": 4, "synapse": {"weight": 6.0, "delay_ms": {"uniform_int": [1, 20]}}},
      {"name": "inh->exc", "source": "inh", "target": "exc", "rule": "fixed_outdegree",
       "outdegree": 20, "synapse": {"weight": {"normal": {"mean": -5, "std": 1, "clip": [-8, -2]}},
                                    "delay_ms": 1.0}}
    ],
    "stimuli": [
      {"name": "thalamus", "model": "poisson_input", "target": "exc", "receptor": "current",
       "params": {"rate_Hz": 8, "weight": 20}},
      {"name": "thalamus_inh", "model": "poisson_input", "target": "inh", "receptor": "current",
       "params": {"rate_Hz": 8, "weight": 20}}
    ],
    "recorders": [{"name": "exc", "type": "spikes", "population": "exc"},
                  {"name": "inh", "type": "spikes", "population": "inh"}]
  })");
}

std::vector<SpikeEvent> run_spikes(const json& doc, const std::string& recorder, int threads = 1) {
  Diagnostics diag;
  const NetworkSpec spec = read_network(doc, diag);
  EXPECT_TRUE(diag.ok()) << diag.str();
  auto sim = build(spec, {.threads = threads});
  MemorySink sink;
  sim->set_sink(&sink);
  sim->run(sim->resolution().duration_steps(spec.duration_ms));
  sim->flush_recorders();
  return sink.spikes_of(recorder);
}

// Saves every projection of a built network as a "connections" recorder
// would, returns the files by projection name.
std::map<std::string, fs::path> save_all(Simulator& sim, const NetworkSpec& spec,
                                         const fs::path& dir) {
  io::ResultsFolder folder(dir / "saved");
  io::FileSink sink(folder, sim.resolution());
  std::map<std::string, fs::path> files;
  for (std::uint32_t j = 0; j < sim.num_projections(); ++j) {
    std::string stem = sim.projection(j).name();
    for (char& c : stem)
      if (c == '-' || c == '>') c = '_';
    sink.add_connections(stem, sim.projection(j).name(), std::string(sim.projection(j).model()),
                         saved_connections(sim, spec, sim.projection(j).name()));
    files[sim.projection(j).name()] = folder.path(stem + ".npy");
  }
  sink.finish(io::RunStatus::complete, 0);
  return files;
}

bool same(const ConnectionList& a, const ConnectionList& b) {
  return a.source == b.source && a.target == b.target && a.weight == b.weight && a.delay == b.delay;
}

TEST(ExplicitConnections, ANetworkBuiltFromSavedArraysFiresSpikeForSpikeAsTheOriginal) {
  Scratch scratch;
  const json original = izhikevich();
  Diagnostics diag;
  const NetworkSpec original_spec = read_network(original, diag);
  auto sim = build(original_spec);
  sim->run(0);
  const auto files = save_all(*sim, original_spec, scratch.dir);
  json loaded = original;
  for (json& p : loaded["projections"]) {
    const std::string receptor = p["name"] == "inh->exc" ? "inhibitory" : "excitatory";
    p = {{"name", p["name"]},
         {"source", p["source"]},
         {"target", p["target"]},
         {"rule", "explicit"},
         {"connections", files.at(p["name"].get<std::string>()).string()},
         {"synapse", {{"receptor", receptor}}}};
  }
  const NetworkSpec spec = read_network(loaded, diag);
  ASSERT_TRUE(diag.ok()) << diag.str();
  auto again = build(spec);
  again->run(0);
  for (std::uint32_t j = 0; j < sim->num_projections(); ++j)
    EXPECT_TRUE(same(sim->projection(j).connections(), again->projection(j).connections()));
  for (const char* rec : {"exc", "inh"}) {
    const auto a = run_spikes(original, rec), b = run_spikes(loaded, rec, 2);
    ASSERT_GT(a.size(), 50u) << rec;  // the network fires
    ASSERT_EQ(a.size(), b.size()) << rec;
    for (std::size_t i = 0; i < a.size(); ++i)
      ASSERT_TRUE(a[i].step == b[i].step && a[i].gid == b[i].gid) << rec << " spike " << i;
  }
  // The resolved description reads again to the same network (the manifest's promise).
  const NetworkSpec twice = read_network(resolved_json(spec), diag);
  ASSERT_TRUE(diag.ok()) << diag.str();
  EXPECT_EQ(resolved_json(twice), resolved_json(spec));
  EXPECT_FALSE(resolved_json(spec)["projections"][0]["synapse"].contains("weight"));
}

json plastic() {
  return json::parse(R"({
    "resolution_ms": 0.5, "seed": 4, "duration_ms": 2000,
    "populations": {
      "ctx": {"model": "poisson_source", "size": 40, "params": {"rate_Hz": 20}},
      "snc": {"model": "poisson_source", "size": 5, "params": {"rate_Hz": 5}},
      "d1": {"model": "izhikevich", "size": 20, "preset": "regular_spiking"}
    },
    "neuromodulators": {
      "da": {"source": "snc", "params": {"tau_ms": 200, "spike_increment": 0.02},
             "pulses": [{"time_ms": 100, "amount": 0.5}, {"time_ms": 250, "amount": 0.4}]}
    },
    "projections": [
      {"name": "ctx->d1", "source": "ctx", "target": "d1", "rule": "fixed_indegree", "indegree": 20,
       "synapse": {"model": "stdp_dopamine", "weight": {"uniform": [3, 5]}, "delay_ms": 1,
                   "params": {"w_max": 10, "A_plus": 0.5, "b": 0.01}}}
    ],
    "stimuli": [{"model": "dc_current", "target": "d1", "params": {"amplitude": 3}}]
  })");
}

TEST(ExplicitConnections, ATrainedPlasticProjectionSavedAndLoadedHasExactlyTheSavedWeights) {
  Scratch scratch;
  for (const char* precision : {"single", "double"}) {
    json doc = plastic();
    doc["projections"][0]["synapse"]["precision"] = precision;
    Diagnostics diag;
    const NetworkSpec spec = read_network(doc, diag);
    ASSERT_TRUE(diag.ok()) << diag.str();
    auto sim = build(spec);
    const ConnectionList before = sim->projection(0).connections();
    sim->run(sim->resolution().duration_steps(spec.duration_ms));
    const ConnectionList trained = saved_connections(*sim, spec, "ctx->d1");
    std::size_t changed = 0;
    for (std::size_t k = 0; k < trained.size(); ++k)
      changed += trained.weight[k] != before.weight[k];
    ASSERT_GT(changed, trained.size() / 2) << "the projection learned";
    fs::remove_all(scratch.dir / "saved");
    const auto files = save_all(*sim, spec, scratch.dir);

    json next = doc;
    json& p = next["projections"][0];
    p.erase("indegree");
    p["rule"] = "explicit";
    p["connections"] = files.at("ctx->d1").string();
    p["synapse"].erase("weight");
    p["synapse"].erase("delay_ms");
    const NetworkSpec loaded = read_network(next, diag);
    ASSERT_TRUE(diag.ok()) << diag.str();
    auto reloaded = build(loaded);
    reloaded->run(0);  // prepared: the weights as the synapses store them
    EXPECT_TRUE(same(reloaded->projection(0).connections(), trained)) << precision;
    const io::NpyArray saved = io::read_npy(files.at("ctx->d1"));
    EXPECT_EQ(saved.field<double>("weight"), trained.weight);
  }
}

TEST(ExplicitConnections, EveryFormGivesTheSameSynapses) {
  Scratch scratch;
  const std::vector<std::uint32_t> source{0, 0, 3, 1, 2}, target{1, 1, 0, 4, 2};
  const std::vector<double> weight{0.5, 0.25, 1.5, 2.0, 0.125}, delay{1.0, 2.5, 1.2, 3.0, 0.5};
  json doc = json::parse(R"({
    "resolution_ms": 0.5,
    "populations": {"a": {"model": "poisson_source", "size": 4, "params": {"rate_Hz": 5}},
                    "b": {"model": "lif_psc_exp", "size": 5}},
    "projections": [{"source": "a", "target": "b", "rule": "explicit"}]
  })");
  std::vector<ConnectionList> built;
  const auto build_with = [&](const json& connections, const json& synapse = json::object()) {
    json d = doc;
    d["projections"][0]["connections"] = connections;
    d["projections"][0]["synapse"] = synapse;
    Diagnostics diag;
    const NetworkSpec spec = read_network(d, diag);
    EXPECT_TRUE(diag.ok()) << diag.str();
    if (!diag.ok()) return;
    auto sim = build(spec);
    sim->run(0);  // prepared: connections() in the canonical order
    built.push_back(sim->projection(0).connections());
  };
  build_with({{"source", source}, {"target", target}, {"weight", weight}, {"delay_ms", delay}});
  {
    std::ofstream csv(scratch.dir / "c.csv");
    csv << "source,target,weight,delay_ms\n";
    for (std::size_t k = 0; k < source.size(); ++k)
      csv << source[k] << "," << target[k] << "," << weight[k] << "," << delay[k] << "\n";
  }
  build_with((scratch.dir / "c.csv").string());
  {
    io::NpyWriter s = io::NpyWriter::vector<std::int64_t>(scratch.dir / "s.npy");
    io::NpyWriter w = io::NpyWriter::vector<double>(scratch.dir / "w.npy");
    for (std::size_t k = 0; k < source.size(); ++k) {
      s.append(std::vector<std::int64_t>{source[k]});
      w.append(std::vector<double>{weight[k]});
    }
    s.close();
    w.close();
  }
  build_with({{"source", (scratch.dir / "s.npy").string()},
              {"target", target},
              {"weight", (scratch.dir / "w.npy").string()},
              {"delay_ms", delay}});
  ASSERT_EQ(built.size(), 3u);
  EXPECT_TRUE(same(built[0], built[1]));
  EXPECT_TRUE(same(built[0], built[2]));
  // The canonical order (source, target, repeated pairs as given), weights as
  // given, delays rounded to steps as every delay (1.2 ms -> 2 steps of 0.5,
  // 0.5 ms -> 1).
  EXPECT_EQ(built[0].source, (std::vector<std::uint32_t>{0, 0, 1, 2, 3}));
  EXPECT_EQ(built[0].target, (std::vector<std::uint32_t>{1, 1, 4, 2, 0}));
  EXPECT_EQ(built[0].weight, (std::vector<double>{0.5, 0.25, 2.0, 0.125, 1.5}));
  EXPECT_EQ(built[0].delay, (std::vector<Step>{2, 5, 6, 1, 2}));
  // Weights and delays may come from the synapse instead.
  build_with({{"source", source}, {"target", target}}, {{"weight", 2.0}, {"delay_ms", 1.5}});
  ASSERT_EQ(built.size(), 4u);
  EXPECT_EQ(built[3].weight, std::vector<double>(5, 2.0));
  EXPECT_EQ(built[3].delay, std::vector<Step>(5, 3));
}

TEST(ExplicitConnections, BadArraysAreRefusedAtTheirPointer) {
  Scratch scratch;
  json doc = json::parse(R"({
    "resolution_ms": 0.5,
    "populations": {"a": {"model": "poisson_source", "size": 4, "params": {"rate_Hz": 5}},
                    "b": {"model": "lif_psc_exp", "size": 5}},
    "projections": [{"source": "a", "target": "b", "rule": "explicit",
                     "connections": {"source": [0, 1, 2], "target": [0, 1, 2],
                                     "weight": [1, 1, 1], "delay_ms": [1, 1, 1]},
                     "synapse": {}}]
  })");
  ASSERT_TRUE(problems(doc).empty()) << problems(doc)[0];
  const std::string at = "/projections/0/connections";
  auto with = [&](const std::string& key, const json& value) {
    json d = doc;
    d["projections"][0]["connections"][key] = value;
    return d;
  };
  EXPECT_TRUE(reports(with("target", {0, 1}), at + "/target",
                      "target has 2 entries; source has 3 (one entry per synapse)"));
  EXPECT_TRUE(reports(with("source", {0, 4, 9}), at + "/source",
                      "source 4 at position 1 is not a neuron of the source population (4 "
                      "neurons: 0 to 3); 2 entries are out of range"));
  EXPECT_TRUE(reports(with("target", {0, 1.5, 2}), at + "/target", "target 1.5 at position 1"));
  EXPECT_TRUE(reports(with("target", {0, -1, 2}), at + "/target", "target -1 at position 1"));
  EXPECT_TRUE(reports(with("delay_ms", {1, 0.2, 1}), at,
                      "delay_ms 0.2 at position 1 is below the resolution dt = 0.5 ms"));
  EXPECT_TRUE(reports(with("weight", {1, "x", 1}), at + "/weight/1", "expected a number"));
  EXPECT_TRUE(reports(with("wieght", {1, 1, 1}), at + "/wieght", "did you mean \"weight\"?"));
  EXPECT_TRUE(reports(with("weight", "missing.npy"), at + "/weight", "missing.npy"));
  {
    json d = doc;
    d["projections"][0]["connections"].erase("source");
    EXPECT_TRUE(reports(d, at, "missing \"source\""));
  }
  {
    json d = doc;
    d["projections"][0]["synapse"]["weight"] = 2.0;
    EXPECT_TRUE(reports(d, "/projections/0/synapse/weight", "give them once"));
  }
  {
    json d = doc;
    d["projections"][0]["connections"].erase("weight");
    EXPECT_TRUE(reports(d, "/projections/0/synapse", "missing \"weight\""));
  }
  {
    json d = doc;
    d["projections"][0]["allow_autapses"] = false;
    EXPECT_TRUE(reports(d, "/projections/0/allow_autapses", "no meaning for explicit"));
    d["projections"][0].erase("connections");
    EXPECT_TRUE(reports(d, "/projections/0", "\"connections\""));
  }
  {  // a plastic rule's bounds
    json d = with("weight", {1, 5, 1});
    d["projections"][0]["synapse"] = {{"model", "stdp"}, {"params", {{"w_max", 4}}}};
    EXPECT_TRUE(reports(d, at,
                        "weight 5 at position 1 lies outside the rule's bounds [w_min, w_max] "
                        "= [0, 4] (synapse model stdp)"));
  }
  {  // files
    std::ofstream(scratch.dir / "bad.csv") << "source,target,wieght\n0,1,2\n";
    std::ofstream(scratch.dir / "short.csv") << "source,target\n0,1\n2\n";
    std::ofstream(scratch.dir / "text.csv") << "source,target\n0,one\n";
    std::ofstream(scratch.dir / "c.txt") << "";
    json d = doc;
    auto file = [&](const std::string& name) {
      d["projections"][0]["connections"] = (scratch.dir / name).string();
      return d;
    };
    EXPECT_TRUE(reports(file("bad.csv"), at,
                        "bad.csv: unknown column \"wieght\"; did you mean \"weight\"?"));
    EXPECT_TRUE(reports(file("short.csv"), at, "short.csv, line 3: 1 cells; the header names 2"));
    EXPECT_TRUE(
        reports(file("text.csv"), at, "text.csv, line 2, column target: \"one\" is not a number"));
    EXPECT_TRUE(reports(file("c.txt"), at, "expected a .npy or .csv file"));
    EXPECT_TRUE(reports(file("none.npy"), at, "none.npy"));
    d["projections"][0]["connections"] = 3;
    EXPECT_TRUE(reports(d, at, "expected the path of a .npy or .csv file"));
  }
}

}  // namespace
}  // namespace bgsim::networks
