// Bad input through the command line, as issue 13 found it with mutated
// copies of the ready files: each is refused with a clear message (or
// warned about), promptly, and nothing runs (docs/reliability.md).

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/tools/cli_harness.hpp"

namespace {

namespace fs = std::filesystem;
using bgsim::test_support::slurp;
using Result = bgsim::test_support::CliResult;
const fs::path source = bgsim::test_support::source_dir;

class BadInputCli : public bgsim::test_support::CliTest {
 protected:
  // A ready file with `change` applied, written into `dir` as `name`.
  fs::path mutated(const fs::path& ready, const std::string& name,
                   const std::function<void(nlohmann::json&)>& change) {
    std::ifstream in(source / ready);
    nlohmann::json doc = nlohmann::json::parse(in);
    change(doc);
    std::ofstream(dir / name) << doc.dump(1);
    return dir / name;
  }

  // Runs bgsim with `args`, killed after 60 s (a hang then fails the test).
  Result run(const std::vector<std::string>& args) { return CliTest::run(args, {.alarm_s = 60}); }
};

bool has(const std::string& text, const std::string& words) {
  return text.find(words) != std::string::npos;
}

// Was: "bgsim: std::bad_alloc".
TEST_F(BadInputCli, AHugePopulationIsRefusedAtItsSize) {
  const fs::path f = mutated("networks/library/brunel2000_small.json", "huge.json",
                             [](auto& d) { d["populations"]["exc"]["size"] = 1e12; });
  for (const auto& args :
       {std::vector<std::string>{"validate", f.string()},
        std::vector<std::string>{"run", f.string(), "--out", (dir / "out").string()}}) {
    const Result r = run(args);
    EXPECT_EQ(r.status, 1) << args[0] << "\n" << r.err;
    EXPECT_TRUE(has(r.err, "/populations/exc/size: 1000000000000 neurons")) << r.err;
    EXPECT_FALSE(has(r.err, "bad_alloc")) << r.err;
  }
}

// Was: validate did not return. It returns within seconds whatever the
// machine: refused where the memory is too small, valid where it is not.
TEST_F(BadInputCli, ValidatingABillionNeuronsReturnsPromptly) {
  const fs::path f = mutated("networks/library/brunel2000_small.json", "billion.json",
                             [](auto& d) { d["populations"]["exc"]["size"] = 1e9; });
  const Result r = run({"validate", f.string()});
  EXPECT_LT(r.seconds, 20.0);
  if (r.status == 1)
    EXPECT_TRUE(has(r.err, "of memory this machine has")) << r.err;
  else
    EXPECT_EQ(r.status, 0) << r.err;
}

TEST_F(BadInputCli, ValidatePrintsTheMemoryEstimate) {
  const Result r = run({"validate", (source / "networks/library/brunel2000_small.json").string()});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(has(r.out, "  memory: about ")) << r.out;
  EXPECT_TRUE(has(r.out, "synapses ")) << r.out;
}

// Was: "cannot run a negative number of steps", after building the network.
TEST_F(BadInputCli, ADurationBeyondTheStepCountIsRefusedBeforeAnythingRuns) {
  const fs::path f = mutated("networks/library/brunel2000_small.json", "long.json",
                             [](auto& d) { d["duration_ms"] = 1e300; });
  const Result v = run({"validate", f.string()});
  EXPECT_EQ(v.status, 1);
  EXPECT_TRUE(has(v.err, "/duration_ms: a run of 1e+300 ms is 1e+301 steps")) << v.err;
  const Result r = run({"run", f.string(), "--out", (dir / "out").string()});
  EXPECT_EQ(r.status, 1);
  EXPECT_TRUE(has(r.err, "nothing was run")) << r.err;
  EXPECT_FALSE(fs::exists(dir / "out"));
  const Result o = run({"run", (source / "networks/library/brunel2000_small.json").string(),
                        "--duration-ms", "1e300", "--out", (dir / "out2").string()});
  EXPECT_EQ(o.status, 1);
  EXPECT_TRUE(has(o.err, "--duration-ms: a run of 1e+300 ms")) << o.err;
}

// Was: validate did not return.
TEST_F(BadInputCli, APeriodicRewardScheduleWithoutEndIsRefused) {
  const fs::path f =
      mutated("tasks/experiments/distributional_delay_task.json", "delay.json",
              [](auto& d) { d["experiment"]["params"]["periodic_last_before_s"] = 1e308; });
  const Result r = run({"validate", f.string()});
  EXPECT_EQ(r.status, 1);
  EXPECT_LT(r.seconds, 20.0);
  EXPECT_TRUE(has(r.err, "periodic rewards; at most 1e+06")) << r.err;
}

// Was: a segmentation fault when run.
TEST_F(BadInputCli, AKernelWiderThanAnyTrackIsRefused) {
  const fs::path f = mutated("tasks/experiments/ramps_uncertainty_assumptions.json", "sigma.json",
                             [](auto& d) { d["experiment"]["params"]["sigma_static"] = 1e20; });
  for (const auto& args :
       {std::vector<std::string>{"validate", f.string()},
        std::vector<std::string>{"run", f.string(), "--out", (dir / "out").string()}}) {
    const Result r = run(args);
    EXPECT_EQ(r.status, 1) << args[0] << "\n" << r.err;
    EXPECT_TRUE(has(r.err,
                    "sigma_static = 1e+20 is not allowed: a kernel width must be finite, "
                    "> 0 and at most 250000 states"))
        << r.err;
  }
}

// Was: "bgsim: std::bad_alloc" (an escaped exception, exit 2). A count that
// checking the parameters already cannot hold (10^9 predictors, under a
// 4 GB address-space limit) is a message, and so is one that only the run
// meets (10^9 states: matrices of 10^18 values).
TEST_F(BadInputCli, ACountTooLargeForTheMemoryIsAMessageNotACrash) {
#ifdef BGSIM_SANITIZE
  GTEST_SKIP() << "AddressSanitizer reserves terabytes of address space for its shadow memory "
                  "at start-up, which the 4 GB limit (ulimit -v) forbids, and it reports an "
                  "allocation it cannot make instead of throwing std::bad_alloc";
#endif
  const fs::path f =
      mutated("tasks/experiments/distributional_cue_reward.json", "predictors.json",
              [](auto& d) { d["experiment"]["params"]["n_predictors"] = 1000000000; });
  const std::string limited =
      "ulimit -v 4000000; exec " + bgsim::test_support::bgsim_binary.string() + " ";
  const int v = std::system(
      ("bash -c '" + limited + "validate " + f.string() + " 2> " + (dir / "err").string() + "'")
          .c_str());
  EXPECT_EQ(WEXITSTATUS(v), 1);
  EXPECT_TRUE(has(slurp(dir / "err"),
                  "/experiment/params: checking these parameters ran out of "
                  "memory: a size or a count among them is too large"))
      << slurp(dir / "err");
  const fs::path g = mutated("tasks/experiments/ramps_demo.json", "states.json",
                             [](auto& d) { d["experiment"]["params"]["num_states"] = 1000000000; });
  const int r = std::system(("bash -c '" + limited + "run " + g.string() + " --quiet --out " +
                             (dir / "out").string() + " 2> " + (dir / "err").string() + "'")
                                .c_str());
  EXPECT_EQ(WEXITSTATUS(r), 2);
  EXPECT_TRUE(has(slurp(dir / "err"), "ran out of memory: a size or a count among the parameters"))
      << slurp(dir / "err");
  EXPECT_TRUE(has(slurp(dir / "out" / "manifest.json"), "\"status\": \"failed\""));
}

// Was: the byte echoed raw.
TEST_F(BadInputCli, AByteThatIsNotUtf8IsEchoedEscaped) {
  std::string text = slurp(source / "networks/library/brunel2000_small.json");
  text.replace(text.find("\"exc\""), 5, "\"ex\xFF\"");
  std::ofstream(dir / "latin.json", std::ios::binary) << text;
  const Result r = run({"validate", (dir / "latin.json").string()});
  EXPECT_EQ(r.status, 1);
  EXPECT_FALSE(has(r.err, "\xFF")) << r.err;
  EXPECT_TRUE(has(r.err, "last read: '\"ex\\xFF'")) << r.err;
}

// Was: nothing said. docs/conventions.md says epochs become one step long.
TEST_F(BadInputCli, AVolumeReadWithoutDelayIsWarnedAbout) {
  const std::string doc = R"({
    "resolution_ms": 0.1, "duration_ms": 10,
    "populations": {
      "snc": {"model": "izhikevich_book", "size": 5, "preset": "dopamine"},
      "d1": {"model": "izhikevich_book", "size": 10, "preset": "msn_d1", "neuromodulator": "da"}
    },
    "projections": [{"source": "snc", "target": "d1", "synapse": {"weight": 1, "delay_ms": 1}}],
    "neuromodulators": {"da": {"source": "snc", "params": {"delay_ms": 0}}}
  })";
  std::ofstream(dir / "da.json") << doc;
  const Result r = run({"validate", (dir / "da.json").string()});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(has(r.err, "warning: /neuromodulators/da/params/delay_ms: delay_ms = 0 (0 steps)"))
      << r.err;
  EXPECT_TRUE(has(r.err, "every epoch is one step long")) << r.err;
}

}  // namespace
