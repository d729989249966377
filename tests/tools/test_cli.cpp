// End-to-end tests of the bgsim command line, run as a user would: validate,
// run, refuse an existing folder, overwrite, interrupt with Ctrl-C (SIGINT)
// and find an honest results folder, list and describe.

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "core/io/npy.hpp"
#include "tests/core/io/io_test_support.hpp"
#include "tests/tools/cli_harness.hpp"

namespace {

namespace fs = std::filesystem;
using bgsim::test_support::slurp;
using bgsim::test_support::wait_until_running;
using Result = bgsim::test_support::CliResult;
const fs::path source = bgsim::test_support::source_dir;

class Cli : public bgsim::test_support::CliTest {
 protected:
  // Stops a long network run with `sig` and checks the folder it leaves.
  void stops_with_an_honest_folder(const fs::path& out, int sig, int exit_code) {
    const pid_t pid = start({"run", (source / "networks/library/brunel2000_small.json").string(),
                             "--out", out.string(), "--duration-ms", "1000000"});
    wait_until_running(out);
    ::kill(pid, sig);
    const Result r = finish(pid);
    EXPECT_EQ(r.status, exit_code) << r.err;
    const auto manifest = nlohmann::json::parse(slurp(out / "manifest.json"));
    EXPECT_EQ(manifest["status"], "interrupted");
    const double reached = manifest["reached_ms"].get<double>();
    EXPECT_GT(reached, 0.0);
    EXPECT_LT(reached, 1000000.0);
    // The spike file is whole and holds spikes up to the time reached, no later.
    const std::vector<double> times =
        bgsim::io::read_npy(out / "exc_spikes.npy").field<double>("time_ms");
    ASSERT_GT(times.size(), 0u);
    EXPECT_LE(times.back(), reached);
  }
};

const char* small_network = R"({
  "resolution_ms": 0.1, "seed": 5, "duration_ms": 100,
  "populations": {"ctx": {"model": "poisson_source", "size": 50, "params": {"rate_Hz": 40}},
                  "d1": {"model": "lif_psc_exp", "size": 20}},
  "projections": [{"source": "ctx", "target": "d1", "rule": "fixed_indegree", "indegree": 20,
                   "synapse": {"weight": 300, "delay_ms": 1.5}}],
  "recorders": [{"name": "d1", "population": "d1"},
                {"name": "d1_v", "type": "state", "population": "d1", "variable": "V_m", "neurons": [0, 1]}]
})";

// A volume's levels are printed, so that no one computes its tonic level by
// hand: 10 cells at 4 Hz, 0.05 per spike, τ 100 ms give 0.2.
TEST_F(Cli, ValidatePrintsTheLevelsOfEachDopamineVolume) {
  const fs::path file = write("da.json", R"({
    "populations": {"snc": {"model": "poisson_source", "size": 10, "params": {"rate_Hz": 4}}},
    "neuromodulators": {"da": {"source": "snc", "tonic_rate_Hz": 4,
                               "params": {"tau_ms": 100, "spike_increment": 0.05}}}})");
  const Result r = run({"validate", file.string()});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("volume da: baseline 0, tonic level 0.2 (source snc at 4 Hz), initial 0.2"),
            std::string::npos)
      << r.out;
}

TEST_F(Cli, ValidateReportsEveryProblemAndRunsNothing) {
  const fs::path good = write("good.json", small_network);
  Result r = run({"validate", good.string()});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("valid"), std::string::npos);

  nlohmann::json bad = nlohmann::json::parse(small_network);
  bad["populations"]["d1"]["params"] = {{"tua_m", 10}};
  bad["projections"][0]["synapse"]["delay_ms"] = 0.01;
  const fs::path badfile = write("bad.json", bad.dump());
  r = run({"validate", badfile.string()});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("/populations/d1/params/tua_m: unknown parameter; did you mean \"tau_m\"?"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("/projections/0/synapse/delay_ms"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("2 problems"), std::string::npos) << r.err;

  r = run({"run", badfile.string(), "--out", (dir / "never").string()});
  EXPECT_EQ(r.status, 1);
  EXPECT_FALSE(fs::exists(dir / "never")) << "a bad description must leave nothing behind";
}

TEST_F(Cli, RunWritesACompleteFolderAndRefusesToOverwriteIt) {
  const fs::path file = write("net.json", small_network);
  const fs::path out = dir / "results";
  Result r = run({"run", file.string(), "--out", out.string(), "--threads", "2"});
  ASSERT_EQ(r.status, 0) << r.err;
  const auto manifest = nlohmann::json::parse(slurp(out / "manifest.json"));
  EXPECT_EQ(manifest["status"], "complete");
  EXPECT_EQ(manifest["reached_ms"], 100.0);
  EXPECT_EQ(manifest["seed"], 5);
  EXPECT_EQ(manifest["threads"], 2);
  EXPECT_EQ(manifest["description"]["populations"]["d1"]["params"]["C_m"], 250.0);  // resolved
  EXPECT_GT(manifest["counts"]["spikes"].get<int>(), 0);
  EXPECT_TRUE(fs::exists(out / "d1_spikes.npy"));
  EXPECT_TRUE(fs::exists(out / "d1_v.npy"));

  r = run({"run", file.string(), "--out", out.string()});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("overwrite"), std::string::npos) << r.err;
  r = run({"run", file.string(), "--out", out.string(), "--overwrite", "--seed", "6", "--quiet"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
  EXPECT_EQ(nlohmann::json::parse(slurp(out / "manifest.json"))["seed"], 6);
}

TEST_F(Cli, CtrlCStopsAtAStepBoundaryAndLeavesAnHonestFolder) {
  stops_with_an_honest_folder(dir / "interrupted", SIGINT, 130);
}

// SIGTERM (kill, every cluster scheduler) is handled as Ctrl-C is; the exit
// code says which signal it was (128 + 15).
TEST_F(Cli, SigtermStopsAtAStepBoundaryAndLeavesAnHonestFolder) {
  stops_with_an_honest_folder(dir / "terminated", SIGTERM, 143);
}

// A signal while the network is being built (the full Brunel network takes
// about a second) stops the run before its first step, with a whole folder.
TEST_F(Cli, SigtermWhileBuildingLeavesAnInterruptedFolder) {
  const fs::path out = dir / "building";
  const pid_t pid = start({"run", (source / "networks/library/brunel2000.json").string(), "--out",
                           out.string(), "--duration-ms", "1000000"});
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (!fs::exists(out / "manifest.json") && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ::kill(pid, SIGTERM);
  const Result r = finish(pid);
  EXPECT_EQ(r.status, 143) << r.err;
  const auto manifest = nlohmann::json::parse(slurp(out / "manifest.json"));
  EXPECT_EQ(manifest["status"], "interrupted");
  EXPECT_LT(manifest["reached_ms"].get<double>(), 1000000.0);
  EXPECT_TRUE(fs::exists(out / "exc_spikes.npy"));
}

// Streaming (docs/results.md): a run killed outright leaves its recordings
// under their temporary names, each a valid array holding at least every
// spike stamped up to the last flush, which the "running" manifest states;
// NumPy loads them as they are.
TEST_F(Cli, SigkillLeavesEveryFlushedSpikeReadable) {
  const fs::path out = dir / "killed";
  const pid_t pid =
      start({"run", (source / "networks/library/brunel2000_small.json").string(), "--out",
             out.string(), "--duration-ms", "1000000", "--flush-every", "0.2"});
  // Until a few flushes have happened.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  double flushed = 0.0;
  while (flushed < 2000.0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    try {
      const auto m = nlohmann::json::parse(slurp(out / "manifest.json"));
      if (m.contains("results") && m["results"]["time_flushed_ms"].is_number())
        flushed = m["results"]["time_flushed_ms"].get<double>();
    } catch (const nlohmann::json::exception&) {
      // not written yet
    }
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  ::kill(pid, SIGKILL);
  const Result r = finish(pid);
  EXPECT_EQ(r.status, 128 + SIGKILL);

  const auto manifest = nlohmann::json::parse(slurp(out / "manifest.json"));
  EXPECT_EQ(manifest["status"], "running");
  const auto& results = manifest["results"];
  const double t = results["time_flushed_ms"].get<double>();
  EXPECT_GE(t, 2000.0);
  EXPECT_FALSE(fs::exists(out / "exc_spikes.npy")) << "no final name without a finished run";
  const fs::path partial = out / results["partial_files"]["exc_spikes.npy"].get<std::string>();
  const auto spikes = bgsim::io::read_npy(partial, bgsim::io::NpyTrailingBytes::ignore);
  const auto times = spikes.field<double>("time_ms");
  const auto neurons = spikes.field<std::uint32_t>("neuron");
  ASSERT_FALSE(times.empty());
  EXPECT_TRUE(std::is_sorted(times.begin(), times.end()));
  for (const auto n : neurons)
    ASSERT_LT(n, 1000u);
  // Every spike up to the flush, exactly: the same run stopped there.
  const Result reference =
      run({"run", (source / "networks/library/brunel2000_small.json").string(), "--out",
           (dir / "reference").string(), "--duration-ms", nlohmann::json(t).dump(), "--quiet"});
  ASSERT_EQ(reference.status, 0) << reference.err;
  const auto whole = bgsim::io::read_npy(dir / "reference" / "exc_spikes.npy");
  const auto before = std::upper_bound(times.begin(), times.end(), t) - times.begin();
  ASSERT_EQ(static_cast<std::size_t>(before), whole.shape[0]);
  EXPECT_TRUE(std::equal(spikes.data.begin(),
                         spikes.data.begin() + static_cast<std::ptrdiff_t>(whole.data.size()),
                         whole.data.begin()));

  const auto python = bgsim::io::test::python_stack_available();
  if (!python) GTEST_SKIP() << python.message();
  const auto np = bgsim::io::test::run_command(
      std::string(bgsim::io::test::python) + " -c " +
      bgsim::io::test::shell_quote(
          "import json, sys, numpy as np\n"
          "d = sys.argv[1]; r = json.load(open(d + '/manifest.json'))['results']\n"
          "for final, part in r['partial_files'].items():\n"
          "    a = np.load(d + '/' + part)\n"
          "s = np.load(d + '/' + r['partial_files']['exc_spikes.npy'])\n"
          "assert (s['time_ms'] <= r['time_flushed_ms']).sum() > 0\n"
          "print(len(s))\n") +
      " " + bgsim::io::test::shell_quote(out.string()));
  EXPECT_EQ(np.exit_code, 0) << np.output;
}

// A file that cannot grow (here a file-size limit; a full disk alike) fails
// the run with the system's message instead of killing it, and the file keeps
// what its last flush made readable, named in the manifest. The limit (8 MB:
// 11.7 s of Brunel's small network's excitatory spikes) is many flushes
// (every 10 ms of wall time) away, so that some flush comes before it however
// fast the machine. (At 400 kB and 100 ms a fast run reached the limit before
// its first flush.)
TEST_F(Cli, AWriteFailureFailsTheRunAndKeepsWhatWasFlushed) {
  const fs::path out = dir / "full";
  const pid_t pid =
      start({"run", (source / "networks/library/brunel2000_small.json").string(), "--out",
             out.string(), "--duration-ms", "1000000", "--flush-every", "0.01"},
            {.file_size_bytes = 8 * 1000 * 1000});
  const Result r = finish(pid);
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_NE(r.err.find("File too large"), std::string::npos) << r.err;
  const auto manifest = nlohmann::json::parse(slurp(out / "manifest.json"));
  EXPECT_EQ(manifest["status"], "failed");
  EXPECT_EQ(manifest["results"]["status"], "failed");
  const std::string error = manifest["error"].get<std::string>();
  EXPECT_NE(error.find("exc_spikes.npy: File too large"), std::string::npos) << error;
  const auto& results = manifest["results"];
  ASSERT_TRUE(results["partial_files"].contains("exc_spikes.npy")) << results.dump();
  const double t = results["time_flushed_ms"].get<double>();
  EXPECT_GT(t, 0.0);
  const auto spikes =
      bgsim::io::read_npy(out / results["partial_files"]["exc_spikes.npy"].get<std::string>(),
                          bgsim::io::NpyTrailingBytes::ignore);
  const auto times = spikes.field<double>("time_ms");
  ASSERT_FALSE(times.empty());
  EXPECT_GE(times.back(), t - 1.0);
  EXPECT_TRUE(std::is_sorted(times.begin(), times.end()));
}

// A cluster job's log: whole lines every --progress-every seconds, with the
// simulated time, the percentage and the real-time factor. Lines every 0.05 s,
// so that a quick machine (the run takes about 0.5 s at 12x real time) still
// writes several.
TEST_F(Cli, ProgressIsLoggedInLinesWhenStderrIsNotATerminal) {
  const Result r =
      run({"run", (source / "networks/library/brunel2000_small.json").string(), "--out",
           (dir / "logged").string(), "--duration-ms", "6000", "--progress-every", "0.05"});
  ASSERT_EQ(r.status, 0) << r.err;
  std::istringstream lines(r.err);
  int progress = 0;
  for (std::string line; std::getline(lines, line);) {
    EXPECT_EQ(line.find('\r'), std::string::npos) << "no carriage returns in a log";
    if (line.rfind("bgsim: ", 0) != 0 || line.find(" ms simulated (") == std::string::npos)
      continue;
    ++progress;
    EXPECT_NE(line.find("of 6000.0 ms simulated ("), std::string::npos) << line;
    EXPECT_NE(line.find(" %), wall "), std::string::npos) << line;
    EXPECT_NE(line.find("x real time, "), std::string::npos) << line;
    EXPECT_NE(line.find(" s left"), std::string::npos) << line;
  }
  EXPECT_GE(progress, 2) << r.err;

  const Result quiet = run({"run", (source / "networks/library/brunel2000_small.json").string(),
                            "--out", (dir / "quiet").string(), "--duration-ms", "3000",
                            "--progress-every", "0.2", "--quiet"});
  ASSERT_EQ(quiet.status, 0) << quiet.err;
  EXPECT_EQ(quiet.err, "");
}

// A network driven to blow up (a huge current into Izhikevich cells): the run
// stops at the next check, says what, where and when, and the folder is
// whole, with the recordings up to then.
TEST_F(Cli, ABlowUpFailsTheRunNamesTheVariableAndKeepsTheRecordings) {
  const fs::path file = write("blow_up.json", R"({
    "resolution_ms": 1, "duration_ms": 5000,
    "populations": {"cell": {"model": "izhikevich", "size": 10}},
    "projections": [{"source": "cell", "target": "cell", "rule": "one_to_one",
                     "synapse": {"weight": 0, "delay_ms": 1}}],
    "stimuli": [{"name": "huge", "model": "dc_current", "target": "cell",
                 "params": {"amplitude": 1e200, "start_ms": 450}}],
    "recorders": [{"name": "cell", "population": "cell"},
                  {"name": "v", "type": "state", "population": "cell", "variable": "v"}]})");
  const fs::path out = dir / "blown";
  const Result r = run({"run", file.string(), "--out", out.string()});
  EXPECT_EQ(r.status, 2) << r.err;
  const auto manifest = nlohmann::json::parse(slurp(out / "manifest.json"));
  EXPECT_EQ(manifest["status"], "failed");
  const std::string error = manifest["error"].get<std::string>();
  EXPECT_NE(error.find("numerical guard: population cell, neuron 0: "), std::string::npos) << error;
  EXPECT_NE(error.find(" = nan"), std::string::npos) << error;
  EXPECT_NE(error.find("at t = 500 ms (every value was finite at the check at 400 ms"),
            std::string::npos)
      << error;
  EXPECT_NE(r.err.find(error), std::string::npos) << r.err;
  EXPECT_EQ(manifest["results"]["time_reached_ms"], 500.0);
  // Every sample up to the failure, the finite ones before the current came.
  const auto v = bgsim::io::read_npy(out / "v.npy");
  ASSERT_EQ(v.shape, (std::vector<std::size_t>{500, 10}));
  const auto values = v.values<double>();
  for (std::size_t i = 0; i < 450 * 10; ++i)
    ASSERT_TRUE(std::isfinite(values[i])) << i;
  EXPECT_GT(bgsim::io::read_npy(out / "cell_spikes.npy").shape[0], 0u);
}

// A closed-loop experiment stops at a trial boundary: every row of steps.csv
// is a whole trial, the manifest says interrupted and how many trials ran.
TEST_F(Cli, CtrlCStopsAClosedLoopAtATrialBoundary) {
  const fs::path out = dir / "loop_interrupted";
  nlohmann::json doc =
      nlohmann::json::parse(slurp(source / "tasks/experiments/bandit_reversal_spiking.json"));
  doc["experiment"]["params"]["trials"] = 1000000;
  doc["experiment"]["params"]["learner"]["network"] =
      (source / "networks/library/bandit_actor_critic.json").string();
  const fs::path file = dir / "long_loop.json";
  std::ofstream(file) << doc.dump();
  const pid_t pid = start({"run", file.string(), "--out", out.string()});
  wait_until_running(out);
  ::kill(pid, SIGINT);
  const Result r = finish(pid);
  EXPECT_EQ(r.status, 130) << r.err;
  const auto manifest = nlohmann::json::parse(slurp(out / "manifest.json"));
  EXPECT_EQ(manifest["status"], "interrupted");
  const auto trials = manifest["summary"]["trials"].get<std::int64_t>();
  EXPECT_GT(trials, 0);
  EXPECT_LT(trials, 1000000);
  // One row per trial (the bandit: one step each) and the network's time at
  // exactly that many trials of 1 s.
  std::ifstream steps(out / "steps.csv");
  std::int64_t lines = 0;
  for (std::string line; std::getline(steps, line);)
    ++lines;
  EXPECT_EQ(lines, trials + 1);
  EXPECT_EQ(manifest["summary"]["network"]["reached_ms"].get<double>(), 1000.0 * trials);
}

TEST_F(Cli, ListAndDescribeComeFromTheModelTables) {
  Result r = run({"list"});
  EXPECT_EQ(r.status, 0);
  for (const char* name : {"izhikevich", "lif_psc_exp", "lif_psc_delta", "poisson_source",
                           "poisson_input", "fixed_indegree", "ramps_demo"})
    EXPECT_NE(r.out.find(name), std::string::npos) << name;
  r = run({"describe", "lif_psc_exp"});
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.out.find("tau_m"), std::string::npos);
  EXPECT_NE(r.out.find("ms"), std::string::npos);
  EXPECT_NE(r.out.find("membrane time constant"), std::string::npos);
  EXPECT_NE(r.out.find("V_m"), std::string::npos);
  r = run({"describe", "izhikevich_book"});
  EXPECT_EQ(r.status, 0);
  for (const char* part : {"reads a neuromodulator", "dopamine_receptor", "d1_K", "0.0289",
                           "d2_alpha", "phi_half", "msn_d1", "g_nmda", "nmda"})
    EXPECT_NE(r.out.find(part), std::string::npos) << part;
  r = run({"describe", "lif_psc_exq"});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("did you mean \"lif_psc_exp\""), std::string::npos) << r.err;
}

// describe answers for connection rules (their keys) and experiment kinds
// (their parameters with the defaults an empty "params" takes).
TEST_F(Cli, DescribeAnswersForConnectionRulesAndExperimentKinds) {
  Result r = run({"describe", "fixed_outdegree"});
  EXPECT_EQ(r.status, 0) << r.err;
  for (const char* part : {"connection rule", "outdegree", "whole number >= 0", "required",
                           "allow_autapses", "true", "allow_multapses"})
    EXPECT_NE(r.out.find(part), std::string::npos) << part << "\n" << r.out;
  r = run({"describe", "pairwise_bernoulli"});
  EXPECT_NE(r.out.find("another name of fixed_probability"), std::string::npos) << r.out;
  r = run({"describe", "explicit"});
  for (const char* part : {"connections", "source", "delay_ms", ".csv"})
    EXPECT_NE(r.out.find(part), std::string::npos) << part << "\n" << r.out;
  r = run({"describe", "ramps_demo"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out.rfind("ramps_demo (experiment", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("episodes"), std::string::npos) << r.out;
  r = run({"describe", "closed_loop"});  // its task and learner are required
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("required:"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("/experiment/params"), std::string::npos) << r.out;
  r = run({"describe", "ramps_dem"});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("did you mean \"ramps_demo\""), std::string::npos) << r.err;
}

// The Pavlovian experiment of the library for 3 simulated seconds: its group
// stimulus leaves the stimulus log and the groups as tables.
TEST_F(Cli, RunWritesTheStimulusLogOfAGroupStimulus) {
  const fs::path out = dir / "pavlovian";
  const Result r = run({"run", (source / "networks/library/izhikevich2007_pavlovian.json").string(),
                        "--out", out.string(), "--duration-ms", "3000", "--quiet"});
  ASSERT_EQ(r.status, 0) << r.err;
  const auto manifest = nlohmann::json::parse(slurp(out / "manifest.json"));
  EXPECT_EQ(manifest["status"], "complete");
  EXPECT_EQ(manifest["results"]["tables"]["conditioning_stimuli"], "conditioning_stimuli.csv");
  EXPECT_EQ(manifest["results"]["tables"]["conditioning_groups"], "conditioning_groups.csv");
  const auto stimuli = manifest["observers"]["conditioning"]["stimuli"].get<double>();
  EXPECT_GE(stimuli, 10.0);  // one every 100-300 ms
  EXPECT_LE(stimuli, 30.0);
  EXPECT_EQ(manifest["description"]["stimuli"][2]["target"], nlohmann::json({"exc", "inh"}));
  EXPECT_EQ(manifest["description"]["stimuli"][2]["neuromodulator"], "da");
  std::istringstream log(slurp(out / "conditioning_stimuli.csv"));
  std::string line;
  std::getline(log, line);
  EXPECT_EQ(line, "time_ms,group,rewarded,reward_time_ms,group_spikes,response");
  int rows = 0;
  while (std::getline(log, line))
    ++rows;
  EXPECT_EQ(rows, static_cast<int>(stimuli));
  std::istringstream groups(slurp(out / "conditioning_groups.csv"));
  rows = -1;
  while (std::getline(groups, line))
    ++rows;
  EXPECT_EQ(rows, 100 * 50);
}

TEST_F(Cli, RunsAReadyExperiment) {
  const fs::path out = dir / "ramps";
  const Result r =
      run({"run", (source / "tasks/experiments/ramps_demo.json").string(), "--out", out.string()});
  ASSERT_EQ(r.status, 0) << r.err;
  const auto manifest = nlohmann::json::parse(slurp(out / "manifest.json"));
  EXPECT_EQ(manifest["status"], "complete");
  EXPECT_EQ(manifest["summary"]["dual"]["episodes_to_converge"], 624);
  EXPECT_EQ(manifest["summary"]["td"]["episodes_to_converge"], 1510);
  EXPECT_TRUE(fs::exists(out / "traces.csv"));
}

}  // namespace
