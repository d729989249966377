// Bad input to the description reader (docs/reliability.md): every quantity
// that sets a size, a count or a duration is checked before anything is
// allocated or counted, with the JSON pointer of the culprit; user text in
// messages is escaped; warnings for runs that are valid but slow.

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "networks/builder.hpp"
#include "networks/loader.hpp"
#include "networks/memory_estimate.hpp"
#include "tests/networks/description_test_support.hpp"

namespace bgsim::networks {
namespace {

using test::problems;
using test::reports;

json small() {
  return json::parse(R"({
    "resolution_ms": 0.1, "duration_ms": 100,
    "populations": {
      "ctx": {"model": "poisson_source", "size": 20, "params": {"rate_Hz": 50}},
      "d1": {"model": "lif_psc_exp", "size": 10}
    },
    "projections": [{"source": "ctx", "target": "d1", "rule": "fixed_indegree", "indegree": 5,
                     "synapse": {"weight": 100, "delay_ms": 1}}],
    "recorders": [{"type": "spikes", "population": "d1"}]
  })");
}

// The largest resident set the process has had [bytes].
double peak_rss() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) * 1024.0;
}

TEST(BadInput, PopulationsBeyondThirtyTwoBitNeuronNumbersAreRefused) {
  json doc = small();
  doc["populations"]["d1"]["size"] = 1e12;  // was: std::bad_alloc
  EXPECT_TRUE(
      reports(doc, "/populations/d1/size",
              "1000000000000 neurons: bgsim numbers neurons with 32 bits, 4294967295 at most"));
  doc["populations"]["d1"]["size"] = 3e9;
  doc["populations"]["ctx"]["size"] = 3e9;
  EXPECT_TRUE(reports(doc, "/populations", "6000000000 neurons in all"));
}

TEST(BadInput, ADescriptionLargerThanTheMachineIsRefusedWithBothFigures) {
  json doc = small();
  doc["populations"]["ctx"]["size"] = 1000000;
  doc["populations"]["d1"]["size"] = 1000000;
  // 10^12 synapses of one weight and delay: 4 bytes each (core/projection.hpp)
  doc["projections"][0]["rule"] = "all_to_all";
  doc["projections"][0].erase("indegree");
  const std::string machine = format_bytes(static_cast<double>(physical_memory_bytes()));
  EXPECT_TRUE(reports(doc, "/projections/0", "this description needs about 36 TB"));
  EXPECT_TRUE(
      reports(doc, "/projections/0", "more than the " + machine + " of memory this machine has"));
  EXPECT_TRUE(reports(doc, "/projections/0", "projection ctx->d1: 1e+12 synapses × 4 bytes"));
}

TEST(BadInput, TheEstimateFollowsTheKernelsLayouts) {
  json doc = small();
  doc["duration_ms"] = 1000;
  doc["recorders"].push_back(
      {{"type", "state"}, {"population", "d1"}, {"variable", "V_m"}, {"interval_ms", 1}});
  Diagnostics diag;
  const NetworkSpec spec = read_network(doc, diag);
  ASSERT_TRUE(diag.ok()) << diag.str();
  const MemoryEstimate e = estimate_memory(spec);
  // 50 synapses of one weight and delay (4 bytes: their targets) and 20 row
  // offsets of 4 bytes.
  EXPECT_DOUBLE_EQ(e.synapses, 50 * 4 + 20 * 4);
  // Ring buffers of 16 slots (delay 10 steps): lif_psc_exp has 3 receptors,
  // poisson_source none.
  EXPECT_DOUBLE_EQ(e.buffers, 10 * 3 * 16 * 8);
  // The state recorder writes 1000 samples of 10 neurons and their times.
  EXPECT_DOUBLE_EQ(e.written, 1000 * 11 * 8);
  // What the built network holds: the synapses as estimated.
  const auto sim = build(spec, {.threads = 1});
  sim->run(0);
  EXPECT_EQ(sim->num_synapses(), 50u);
  std::size_t bytes = 0;
  for (std::uint32_t j = 0; j < sim->num_projections(); ++j)
    bytes += sim->projection(j).bytes();
  EXPECT_NEAR(static_cast<double>(bytes), e.synapses, 0.25 * e.synapses);

  // Drawn weights: each synapse keeps its own (12 bytes).
  doc["projections"][0]["synapse"]["weight"] = {{"uniform", {50, 100}}};
  const NetworkSpec drawn = read_network(doc, diag);
  ASSERT_TRUE(diag.ok()) << diag.str();
  EXPECT_DOUBLE_EQ(estimate_memory(drawn).synapses, 50 * 12 + 20 * 4);
  const auto heavy = build(drawn, {.threads = 1});
  heavy->run(0);
  EXPECT_EQ(heavy->projection(0).bytes_per_synapse(), 12u);
  EXPECT_EQ(sim->projection(0).bytes_per_synapse(), 4u);
}

// validate must return promptly whatever the file holds: a population's
// parameters are checked on one neuron, never on as many as it asks for.
TEST(BadInput, ReadingAllocatesNothingThePopulationsSizeAsksFor) {
  json doc = small();
  doc["populations"]["d1"]["size"] = 100000000;  // 10^8 neurons: 3 GB of state
  const double before = peak_rss();
  Diagnostics diag;
  const NetworkSpec spec = read_network(doc, diag);
  EXPECT_LT(peak_rss() - before, 200e6) << "reading allocated the population";
  EXPECT_EQ(spec.population("d1")->size, 100000000u);
}

TEST(BadInput, DurationsThatOverflowTheStepCountAreRefused) {
  json doc = small();
  doc["duration_ms"] = 1e300;  // was: "cannot run a negative number of steps"
  EXPECT_TRUE(reports(doc, "/duration_ms",
                      "a run of 1e+300 ms is 1e+301 steps of dt = 0.1 ms, beyond the 2^48"));
  doc["duration_ms"] = 1000;
  doc["resolution_ms"] = 1e-300;
  EXPECT_TRUE(reports(doc, "/duration_ms", "beyond the 2^48"));
}

TEST(BadInput, TimesInParametersPulsesAndRecordersThatOverflowAreRefused) {
  json doc = small();
  doc["stimuli"] = json::parse(
      R"([{"model": "dc_current", "target": "d1", "params": {"amplitude": 1, "stop_ms": 1e300}}])");
  doc["recorders"].push_back(
      {{"type", "state"}, {"population", "d1"}, {"variable", "V_m"}, {"interval_ms", 1e300}});
  doc["neuromodulators"] = json::parse(R"({"da": {"pulses": [{"time_ms": 1e300, "amount": 1}],
      "random_pulses": {"rate_Hz": 1, "stop_ms": 1e299}}})");
  EXPECT_TRUE(reports(doc, "/stimuli/0/params/stop_ms", "beyond the 2^48"));
  EXPECT_TRUE(reports(doc, "/recorders/1/interval_ms", "beyond the 2^48"));
  EXPECT_TRUE(reports(doc, "/neuromodulators/da/pulses/0/time_ms", "beyond the 2^48"));
  EXPECT_TRUE(reports(doc, "/neuromodulators/da/random_pulses/stop_ms", "beyond the 2^48"));
}

TEST(BadInput, RandomPulsesThatWouldFillTheMemoryAreRefused) {
  json doc = small();
  doc["duration_ms"] = 1e9;
  doc["neuromodulators"] = json::parse(R"({"da": {"random_pulses": {"rate_Hz": 1e9}}})");
  EXPECT_TRUE(reports(doc, "/neuromodulators/da/random_pulses", "volume da: 1e+15 pulses"));
}

// docs/conventions.md: a volume read by a population and driven by spikes
// with delay_ms 0 makes every epoch one step long. Valid, and slow: a warning.
TEST(BadInput, AVolumeReadWithoutDelayIsAWarningNotAnError) {
  json doc = json::parse(R"({
    "resolution_ms": 0.1, "duration_ms": 100,
    "populations": {
      "snc": {"model": "izhikevich_book", "size": 5, "preset": "dopamine"},
      "d1": {"model": "izhikevich_book", "size": 10, "preset": "msn_d1", "neuromodulator": "da"}
    },
    "projections": [{"source": "snc", "target": "d1", "synapse": {"weight": 1, "delay_ms": 2}}],
    "neuromodulators": {"da": {"source": "snc", "params": {"delay_ms": 0}}}
  })");
  Diagnostics diag;
  read_network(doc, diag);
  EXPECT_TRUE(diag.ok()) << diag.str();
  ASSERT_EQ(diag.warnings().size(), 1u) << diag.warnings_str();
  EXPECT_EQ(diag.warnings()[0].pointer, "/neuromodulators/da/params/delay_ms");
  EXPECT_NE(diag.warnings_str().find(
                "warning: /neuromodulators/da/params/delay_ms: delay_ms = 0 (0 steps) on a volume "
                "driven by snc and read by population d1: every epoch is one step long"),
            std::string::npos)
      << diag.warnings_str();
  EXPECT_NE(diag.warnings_str().find(
                "at least the shortest synaptic delay (2 ms) keeps epochs of 21 steps"),
            std::string::npos)
      << diag.warnings_str();
  // Left out, the delay is its default 0: the same warning, at the volume.
  doc["neuromodulators"]["da"].erase("params");
  Diagnostics quiet;
  read_network(doc, quiet);
  ASSERT_EQ(quiet.warnings().size(), 1u);
  EXPECT_EQ(quiet.warnings()[0].pointer, "/neuromodulators/da");
  // A delay of one step: no warning.
  doc["neuromodulators"]["da"]["params"]["delay_ms"] = 1;
  Diagnostics none;
  read_network(doc, none);
  EXPECT_TRUE(none.warnings().empty()) << none.warnings_str();
}

// Found by sweeping every number of the ready files: a volume's bad
// parameter escaped as an exception (bgsim exited with 2) where a dopamine
// rule's baseline is "tonic".
TEST(BadInput, ABadVolumeParameterIsReportedNotThrown) {
  std::ifstream in(std::filesystem::path(BGSIM_SOURCE_DIR) /
                   "networks/library/conditioning_critic.json");
  json doc = json::parse(in);
  doc["neuromodulators"]["da"]["params"]["tau_ms"] = 0;
  std::vector<std::string> ps;
  EXPECT_NO_THROW(ps = problems(doc));
  EXPECT_TRUE(reports(doc, "/neuromodulators/da/params/tau_ms", "must be a finite number > 0"));
}

TEST(BadInput, UserTextInMessagesIsEscaped) {
  json doc = small();
  // A control character (ESC, as in a terminal colour) in a name and a model.
  doc["populations"]["d\x1b[31m"] = {{"model", "lif\x07"}, {"size", 1}};
  Diagnostics diag;
  read_network(doc, diag);
  const std::string all = diag.str();
  EXPECT_EQ(all.find('\x1b'), std::string::npos) << all;
  EXPECT_EQ(all.find('\x07'), std::string::npos) << all;
  EXPECT_NE(all.find("/populations/d\\x1B[31m/model: unknown model \"lif\\x07\""),
            std::string::npos)
      << all;
}

class BadFiles : public ::testing::Test {
 protected:
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("bgsim_bad_input_" + std::to_string(::getpid()));
  void SetUp() override { std::filesystem::create_directories(dir); }
  void TearDown() override { std::filesystem::remove_all(dir); }
  std::string load(const std::string& text) {
    std::ofstream(dir / "main.json", std::ios::binary) << text;
    Diagnostics diag;
    load_description(dir / "main.json", diag);
    return diag.str();
  }
};

// A byte that is not UTF-8 (Latin-1 é) is echoed as \xE9, never raw.
TEST_F(BadFiles, BytesThatAreNotUtf8AreEscaped) {
  const std::string all = load("{\"populations\": {\"caf\xE9\": {}}}");
  EXPECT_EQ(all.find('\xE9'), std::string::npos) << all;
  EXPECT_NE(all.find("ill-formed UTF-8 byte; last read: '\"caf\\xE9\"'"), std::string::npos) << all;
}

// A device or a pipe named as a file would be read for ever.
TEST_F(BadFiles, OnlyRegularFilesAreRead) {
  const std::string all = load(R"({"include": "/dev/zero", "populations": {}})");
  EXPECT_NE(all.find("/include: cannot read \"/dev/zero\": not a regular file"), std::string::npos)
      << all;
}

// Found by fuzz_experiment: a file name the system refuses made
// weakly_canonical throw out of the loader.
TEST_F(BadFiles, ANameTheSystemRefusesIsAFileThatCannotBeRead) {
  const std::string all =
      load(R"({"include": ")" + std::string(5000, 'a') + R"(", "populations": {}})");
  EXPECT_NE(all.find("/include: cannot read"), std::string::npos) << all.substr(0, 200);
}

}  // namespace
}  // namespace bgsim::networks
