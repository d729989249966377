// Reading descriptions: one test per class of mistake (each reported with its
// JSON pointer, all at once, before anything is built), includes, and the
// round trip description -> resolved manifest -> the same network.

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "networks/builder.hpp"
#include "networks/loader.hpp"
#include "tests/networks/description_test_support.hpp"

namespace bgsim::networks {
namespace {

json base() {
  return json::parse(R"({
    "resolution_ms": 0.1, "seed": 3, "duration_ms": 50,
    "populations": {
      "ctx": {"model": "poisson_source", "size": 20, "params": {"rate_Hz": 50}},
      "d1": {"model": "lif_psc_exp", "size": 10, "params": {"tau_m": 15},
             "initial": {"V_m": {"uniform": [-70, -60]}}}
    },
    "projections": [
      {"name": "ctx->d1", "source": "ctx", "target": "d1", "rule": "fixed_indegree", "indegree": 5,
       "synapse": {"weight": {"normal": {"mean": 300, "std": 50, "clip": [0, 600]}},
                   "delay_ms": {"uniform": [1, 3]}}}
    ],
    "stimuli": [{"model": "dc_current", "target": "d1", "params": {"amplitude": 100}}],
    "recorders": [{"type": "spikes", "population": "d1"},
                  {"type": "state", "population": "d1", "variable": "V_m", "interval_ms": 0.5}]
  })");
}

using test::problems;
using test::reports;

TEST(Description, ValidDocumentHasNoDiagnostics) {
  EXPECT_TRUE(problems(base()).empty());
}

TEST(Description, UnknownParameterGetsNearestName) {
  json d = base();
  d["populations"]["d1"]["params"]["tua_m"] = 3;
  EXPECT_TRUE(
      reports(d, "/populations/d1/params/tua_m", "unknown parameter; did you mean \"tau_m\"?"));
}

TEST(Description, UnknownKeysAnywhereGetNearestName) {
  json d = base();
  d["populatoins"] = json::object();
  d["projections"][0]["synapse"]["wieght"] = 1;
  d["recorders"][0]["populaton"] = "d1";
  EXPECT_TRUE(reports(d, "/populatoins", "did you mean \"populations\"?"));
  EXPECT_TRUE(reports(d, "/projections/0/synapse/wieght", "did you mean \"weight\"?"));
  EXPECT_TRUE(reports(d, "/recorders/0/populaton", "did you mean \"population\"?"));
}

TEST(Description, WrongTypes) {
  json d = base();
  d["seed"] = "one";
  d["populations"]["d1"]["size"] = -3;
  d["projections"][0]["indegree"] = 2.5;
  EXPECT_TRUE(reports(d, "/seed", "expected a whole number"));
  EXPECT_TRUE(reports(d, "/populations/d1/size", "expected a whole number"));
  EXPECT_TRUE(reports(d, "/projections/0/indegree", "expected a whole number"));
}

TEST(Description, NaNInfinityAndOutOfRangeValues) {
  json d = base();
  d["populations"]["d1"]["params"]["tau_m"] = -1.0;
  d["populations"]["d1"]["params"]["C_m"] = std::numeric_limits<double>::quiet_NaN();
  d["populations"]["d1"]["params"]["E_L"] = std::numeric_limits<double>::infinity();
  d["resolution_ms"] = 0;
  EXPECT_TRUE(
      reports(d, "/populations/d1/params/tau_m", "must be a finite number > 0 [ms], got -1"));
  EXPECT_TRUE(
      reports(d, "/populations/d1/params/C_m", "must be a finite number > 0 [pF], got nan"));
  EXPECT_TRUE(reports(d, "/populations/d1/params/E_L", "must be a finite number [mV], got inf"));
  EXPECT_TRUE(reports(d, "/resolution_ms", "must be > 0"));
  json e = base();
  e["populations"]["d1"]["params"]["V_reset"] = -50.0;  // above V_th = -55
  EXPECT_TRUE(reports(e, "/populations/d1/params/V_reset", "must be below V_th"));
}

TEST(Description, DelaysBelowTheResolution) {
  json d = base();
  d["projections"][0]["synapse"]["delay_ms"] = 0.05;
  EXPECT_TRUE(reports(d, "/projections/0/synapse/delay_ms", "below the resolution"));
  d["projections"][0]["synapse"]["delay_ms"] = json::parse(R"({"uniform": [0.01, 2]})");
  EXPECT_TRUE(reports(d, "/projections/0/synapse/delay_ms", "below the resolution"));
  d["projections"][0]["synapse"]["delay_ms"] =
      json::parse(R"({"normal": {"mean": 1, "std": 0.2}})");
  EXPECT_TRUE(reports(d, "/projections/0/synapse/delay_ms", "\"redraw\""));
}

TEST(Description, ReferencesToMissingPopulations) {
  json d = base();
  d["projections"][0]["target"] = "d2";
  d["stimuli"][0]["target"] = "dl";
  d["recorders"][1]["population"] = "ctX";
  EXPECT_TRUE(
      reports(d, "/projections/0/target", "no population named \"d2\"; did you mean \"d1\"?"));
  EXPECT_TRUE(reports(d, "/stimuli/0/target", "did you mean \"d1\"?"));
  EXPECT_TRUE(reports(d, "/recorders/1/population", "did you mean \"ctx\"?"));
}

TEST(Description, ProbabilityOutsideTheUnitInterval) {
  json d = base();
  d["projections"][0] = json::parse(
      R"({"source": "ctx", "target": "d1", "rule": "fixed_probability", "p": 1.2, "synapse": {"weight": 1}})");
  EXPECT_TRUE(reports(d, "/projections/0/p", "probability in [0, 1]"));
}

TEST(Description, InDegreeLargerThanTheSourceWithoutMultapses) {
  json d = base();
  d["projections"][0]["indegree"] = 21;
  d["projections"][0]["allow_multapses"] = false;
  EXPECT_TRUE(reports(d, "/projections/0/indegree", "exceeds the 20 distinct sources"));
  d["projections"][0]["allow_multapses"] = true;
  EXPECT_TRUE(problems(d).empty());
}

TEST(Description, RuleParametersThatDoNotBelongAreUnknown) {
  json d = base();
  d["projections"][0]["p"] = 0.1;  // fixed_indegree takes no p
  EXPECT_TRUE(reports(d, "/projections/0/p", "unknown key"));
}

TEST(Description, UnknownModelsRecordedVariablesAndReceptors) {
  json d = base();
  d["populations"]["d1"]["model"] = "lif_psc_exq";
  EXPECT_TRUE(reports(d, "/populations/d1/model", "did you mean \"lif_psc_exp\"?"));
  json e = base();
  e["recorders"][1]["variable"] = "V";
  e["projections"][0]["synapse"]["receptor"] = "excitatroy";
  EXPECT_TRUE(reports(e, "/recorders/1/variable", "no state variable \"V\""));
  EXPECT_TRUE(reports(e, "/projections/0/synapse/receptor", "did you mean \"excitatory\"?"));
}

TEST(Description, RecorderNamesMustBeFileNames) {
  json d = base();
  d["recorders"][0]["name"] = "ctx->d1";
  EXPECT_TRUE(reports(d, "/recorders/0/name", "cannot name its files"));
}

TEST(Description, EveryMistakeIsReportedAtOnce) {
  json d = base();
  d["populations"]["d1"]["params"]["tua_m"] = 3;
  d["projections"][0]["target"] = "nowhere";
  d["recorders"][1]["interval_ms"] = 0.01;
  d["duration_ms"] = -5;
  EXPECT_EQ(problems(d).size(), 4u);
}

TEST(Description, ResolvedManifestRebuildsTheSameNetwork) {
  Diagnostics diag;
  const NetworkSpec spec = read_network(base(), diag);
  ASSERT_TRUE(diag.ok()) << diag.str();
  const json resolved = resolved_json(spec);
  // Every default is filled in.
  EXPECT_EQ(resolved["populations"]["d1"]["params"]["C_m"], 250.0);
  EXPECT_EQ(resolved["projections"][0]["synapse"]["receptor"], "excitatory");
  EXPECT_EQ(resolved["projections"][0]["allow_autapses"], true);
  const NetworkSpec again = read_network(resolved, diag);
  ASSERT_TRUE(diag.ok()) << diag.str();
  EXPECT_EQ(resolved_json(again), resolved);
  auto a = build(spec), b = build(again, {.threads = 2});
  const ConnectionList ca = a->projection(0).connections(), cb = b->projection(0).connections();
  EXPECT_EQ(ca.source, cb.source);
  EXPECT_EQ(ca.target, cb.target);
  EXPECT_EQ(ca.weight, cb.weight);
  EXPECT_EQ(ca.delay, cb.delay);
  for (std::size_t i = 0; i < a->population(1).size(); ++i)
    EXPECT_EQ(a->population(1).state("V_m")[i], b->population(1).state("V_m")[i]);
  for (double w : ca.weight) {
    EXPECT_GE(w, 0.0);
    EXPECT_LE(w, 600.0);
  }
}

// Numerical guards (docs/description.md, "Guards"): read, checked, resolved,
// and handed to the simulator (a population's own bound over the global one).
TEST(Description, GuardsAndRateBoundsAreReadResolvedAndBuilt) {
  json doc = base();
  doc["guards"] = {{"interval_ms", 20}, {"max_rate_Hz", 300}};
  doc["populations"]["d1"]["max_rate_Hz"] = 150;
  Diagnostics diag;
  const NetworkSpec spec = read_network(doc, diag);
  ASSERT_TRUE(diag.ok()) << diag.str();
  const json resolved = resolved_json(spec);
  EXPECT_EQ(resolved["guards"], json::parse(R"({"finite": true, "interval_ms": 20.0,
                                                "max_rate_Hz": 300.0})"));
  EXPECT_EQ(resolved["populations"]["d1"]["max_rate_Hz"], 150.0);
  EXPECT_FALSE(resolved["populations"]["ctx"].contains("max_rate_Hz"));
  const auto sim = build(spec);
  EXPECT_EQ(sim->guards().interval_ms, 20.0);
  EXPECT_EQ(sim->guards().max_rate_Hz, (std::vector<double>{300.0, 150.0}));
  // Without a "guards" object: the defaults, which no network notices.
  const json defaults = resolved_json(read_network(base(), diag));
  EXPECT_EQ(defaults["guards"], json::parse(R"({"finite": true, "interval_ms": 100.0,
                                                "max_rate_Hz": null})"));

  doc["guards"] = {{"interval_ms", 0}, {"max_rate_Hz", -5}, {"finit", false}};
  doc["populations"]["d1"]["max_rate_Hz"] = "fast";
  EXPECT_TRUE(reports(doc, "/guards/interval_ms", "must be > 0 [ms]"));
  EXPECT_TRUE(reports(doc, "/guards/max_rate_Hz", "must be > 0 [Hz]"));
  EXPECT_TRUE(reports(doc, "/guards/finit", "did you mean \"finite\""));
  EXPECT_TRUE(reports(doc, "/populations/d1/max_rate_Hz", "expected a number"));
}

class Files : public ::testing::Test {
 protected:
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("bgsim_description_" + std::to_string(::getpid()));
  void SetUp() override { std::filesystem::create_directories(dir / "modules"); }
  void TearDown() override { std::filesystem::remove_all(dir); }
  void write(const std::string& name, const std::string& text) {
    std::ofstream(dir / name) << text;
  }
  Diagnostics load(const std::string& name) {
    Diagnostics diag;
    auto loaded = load_description(dir / name, diag);
    if (diag.ok()) read_network(loaded.document, diag, loaded.origin);
    return diag;
  }
};

TEST_F(Files, IncludesResolveRelativeToTheIncludingFile) {
  write("modules/bg.json", R"({"include": ["inner.json"],
    "populations": {"gpe": {"model": "lif_psc_exp", "size": 5}}})");
  write("modules/inner.json", R"({"populations": {"stn": {"model": "lif_psc_exp", "size": 5}}})");
  write(
      "main.json",
      R"({"include": "modules/bg.json", "populations": {"ctx": {"model": "poisson_source", "size": 3}},
    "projections": [{"source": "stn", "target": "gpe", "synapse": {"weight": 10}}]})");
  const Diagnostics d = load("main.json");
  EXPECT_TRUE(d.ok()) << d.str();
  const NetworkSpec spec = read_network_file(dir / "main.json");
  EXPECT_EQ(spec.populations.size(), 3u);
}

TEST_F(Files, IncludeCyclesAndUnreadableFiles) {
  write("a.json", R"({"include": "b.json", "populations": {}})");
  write("b.json", R"({"include": ["a.json", "missing.json"]})");
  const Diagnostics d = load("a.json");
  std::string all = d.str();
  EXPECT_NE(all.find("include cycle: a.json -> b.json -> a.json"), std::string::npos) << all;
  EXPECT_NE(all.find("cannot read"), std::string::npos) << all;
  EXPECT_NE(all.find("/include/1"), std::string::npos) << all;
}

TEST_F(Files, ErrorsInIncludedFilesNameTheFile) {
  write("bg.json",
        R"({"populations": {"gpe": {"model": "lif_psc_exp", "size": 5, "params": {"tua_m": 1}}}})");
  write("main.json",
        R"({"include": "bg.json", "populations": {"gpe": {"model": "lif_psc_exp", "size": 1}}})");
  const std::string all = load("main.json").str();
  EXPECT_NE(all.find("defined twice"), std::string::npos) << all;
  write("main2.json", R"({"include": "bg.json"})");
  const std::string all2 = load("main2.json").str();
  EXPECT_NE(all2.find("bg.json: /populations/gpe/params/tua_m"), std::string::npos) << all2;
}

TEST_F(Files, MalformedJsonGivesLineAndColumn) {
  write("bad.json", "{\n  \"seed\": 1,\n  \"populations\": {,}\n}\n");
  const std::string all = load("bad.json").str();
  EXPECT_NE(all.find("syntax error at line 3, column 19"), std::string::npos) << all;
  write("huge.json", "{\"seed\": 1, \"duration_ms\": 1e999}");
  const std::string huge = load("huge.json").str();
  EXPECT_NE(huge.find("number overflow"), std::string::npos) << huge;
}

}  // namespace
}  // namespace bgsim::networks
