// Long runs that survive (issue 13): `bgsim run --checkpoint-every` and
// `bgsim resume`. A run killed outright at random moments, several times, and
// resumed each time, ends with results that are bit-identical to a run never
// stopped; so does one stopped by Ctrl-C or by a full disk. A checkpoint of
// another version or another network, a damaged one, or a folder without one
// is refused with a message and the folder is left as it was.

#include <signal.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "tests/tools/cli_harness.hpp"

namespace {

namespace fs = std::filesystem;
using bgsim::test_support::CliResult;
using bgsim::test_support::slurp;
using bgsim::test_support::source_dir;
using bgsim::test_support::wait_until_running;

bool has(const std::string& text, const std::string& words) {
  return text.find(words) != std::string::npos;
}

nlohmann::json manifest_of(const fs::path& out) {
  return nlohmann::json::parse(slurp(out / "manifest.json"));
}

// The data files and tables of a finished folder, by name.
std::map<std::string, std::string> results_files(const fs::path& out) {
  std::map<std::string, std::string> files;
  for (const auto& e : fs::directory_iterator(out)) {
    const std::string name = e.path().filename().string();
    if (e.is_regular_file() && name != "manifest.json") files[name] = slurp(e.path());
  }
  return files;
}

class Resume : public bgsim::test_support::CliTest {
 protected:
  // The distal-reward network (Izhikevich 2007: plastic synapses, a dopamine
  // volume, scheduled rewards) with a state recorder added, so that a run
  // writes every kind of file: spikes, state, weights, dopamine.
  fs::path every_kind_of_file() {
    const fs::path library = source_dir / "networks/library/izhikevich2007_distal_reward.json";
    return write("distal_reward_recorded.json", R"({
      "include": [")" + library.string() + R"("],
      "recorders": [{"name": "exc_v", "type": "state", "population": "exc", "variable": "v",
                     "neurons": [0, 1, 2], "interval_ms": 5}]
    })");
  }

  // Compares a resumed folder with the reference, file for file and count for count.
  static void expect_same_results(const fs::path& reference, const fs::path& resumed) {
    const auto want = results_files(reference), got = results_files(resumed);
    ASSERT_FALSE(want.empty());
    std::vector<std::string> want_names, got_names;
    for (const auto& [name, bytes] : want)
      want_names.push_back(name);
    for (const auto& [name, bytes] : got)
      got_names.push_back(name);
    ASSERT_EQ(want_names, got_names) << "the resumed folder holds other files";
    for (const auto& [name, bytes] : want)
      EXPECT_TRUE(bytes == got.at(name)) << name << " differs from the run never stopped";
    const auto a = manifest_of(reference), b = manifest_of(resumed);
    EXPECT_EQ(b["status"], "complete");
    EXPECT_EQ(a["counts"], b["counts"]);
    EXPECT_EQ(a["reached_ms"], b["reached_ms"]);
    EXPECT_EQ(a["description"], b["description"]);
    EXPECT_FALSE(b.contains("checkpoint")) << "a complete run keeps no checkpoint";
  }
};

TEST_F(Resume, ARunKilledAtRandomMomentsAndResumedIsBitIdentical) {
  const fs::path file = every_kind_of_file();
  const std::string duration = "300000";
  const fs::path reference = dir / "reference", out = dir / "killed";
  const auto t0 = std::chrono::steady_clock::now();
  const CliResult ref = run(
      {"run", file.string(), "--out", reference.string(), "--duration-ms", duration, "--quiet"});
  const double ref_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  ASSERT_EQ(ref.status, 0) << ref.err;

  // SIGKILL at a random moment (seeded, so the schedule is the same from run
  // to run; where in the simulation it falls depends on the machine, and the
  // results must not), six times; then the run is let finish. Each delay is
  // at most 14 % of the run never stopped, so that six of them cannot add up
  // to a whole run on a quick machine (a resume also loses what followed its
  // checkpoint): every kill falls before the end.
  std::mt19937 rng(20261206);
  std::uniform_int_distribution<int> delay_ms(std::max(5, static_cast<int>(0.02 * ref_ms)),
                                              std::max(10, static_cast<int>(0.14 * ref_ms)));
  const std::vector<std::string> first{
      "run",    file.string(),        "--out", out.string(),    "--duration-ms",
      duration, "--checkpoint-every", "10000", "--flush-every", "0.02",
      "--quiet"};
  const std::vector<std::string> resume{"resume", out.string(), "--quiet", "--flush-every", "0.02"};
  std::vector<std::string> next = first;
  int killed = 0, restarted = 0;
  CliResult last;
  for (int attempt = 0; attempt < 12; ++attempt) {
    const pid_t pid = start(next, {.alarm_s = 600});
    if (killed < 6) {
      // The first kill falls in the run, after its checkpoint at step 0
      // (however slow the machine, or a sanitized build, is to get there);
      // the others anywhere, the rebuild of a resume included.
      const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(300);
      while (attempt == 0 && !fs::exists(out / "checkpoint.bgsim") &&
             std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(rng)));
      ::kill(pid, SIGKILL);
    }
    last = finish(pid);
    if (last.status == 0) break;
    if (last.status != 128 + SIGKILL) FAIL() << "exit " << last.status << ": " << last.err;
    ++killed;
    if (fs::exists(out / "checkpoint.bgsim")) {
      next = resume;
    } else {
      // Killed before the first checkpoint: nothing to resume, the run
      // starts again (over what the killed one left).
      ++restarted;
      next = first;
      if (fs::exists(out)) next.push_back("--overwrite");
    }
  }
  ASSERT_EQ(last.status, 0) << last.err;
  EXPECT_EQ(killed, 6);
  expect_same_results(reference, out);
  // Each resume is in the manifest, with the time it went on from.
  const auto resumes = manifest_of(out)["resumed_from_ms"];
  EXPECT_GE(resumes.size(), 1u) << "no kill fell after the first checkpoint";
  for (const auto& t : resumes)
    EXPECT_EQ(std::fmod(t.get<double>(), 10000.0), 0.0) << "checkpoints fall on multiples of 10 s";
  std::cout << "killed " << killed << " times, started again " << restarted
            << " times, resumed from " << resumes.dump() << " ms; the run never stopped took "
            << ref_ms << " ms\n";
}

// Ctrl-C: the run stops at an epoch boundary, writes a checkpoint there and a
// whole "interrupted" folder; resume (with another thread count) goes on from
// exactly there and takes the finished files up again.
TEST_F(Resume, CtrlCThenResumeIsTheRunNeverStopped) {
  const fs::path file = every_kind_of_file();
  const fs::path reference = dir / "reference", out = dir / "stopped";
  const std::string duration = "150000";
  ASSERT_EQ(
      run({"run", file.string(), "--out", reference.string(), "--duration-ms", duration, "--quiet"})
          .status,
      0);
  const pid_t pid = start({"run", file.string(), "--out", out.string(), "--duration-ms", duration,
                           "--checkpoint-every", "50000"});
  wait_until_running(out, std::chrono::milliseconds(300));
  ::kill(pid, SIGINT);
  const CliResult stopped = finish(pid);
  if (stopped.status == 0) GTEST_SKIP() << "the run ended before Ctrl-C reached it";
  ASSERT_EQ(stopped.status, 130) << stopped.err;
  EXPECT_TRUE(has(stopped.out, "bgsim resume")) << stopped.out;
  const auto m = manifest_of(out);
  EXPECT_EQ(m["status"], "interrupted");
  ASSERT_TRUE(m.contains("checkpoint")) << m.dump(1);
  EXPECT_EQ(m["checkpoint"]["time_ms"], m["reached_ms"]) << "the checkpoint is where it stopped";
  EXPECT_TRUE(fs::exists(out / "exc_spikes.npy")) << "an interrupted folder is whole";

  const CliResult r = run({"resume", out.string(), "--threads", "2", "--quiet"});
  ASSERT_EQ(r.status, 0) << r.err;
  expect_same_results(reference, out);
  EXPECT_EQ(manifest_of(out)["resumed_from_ms"], nlohmann::json::array({m["reached_ms"]}));
}

// A full disk (here a file-size limit) fails the run with a message; the
// checkpoint before it stays whole, and once there is room again the run
// resumes from it to the results of a run never stopped.
TEST_F(Resume, AFullDiskFailsTheRunAndResumeGoesOnOnceThereIsRoom) {
  const fs::path network = source_dir / "networks/library/brunel2000_small.json";
  const fs::path reference = dir / "reference", out = dir / "full";
  ASSERT_EQ(run({"run", network.string(), "--out", reference.string(), "--duration-ms", "10000",
                 "--quiet"})
                .status,
            0);
  const CliResult full =
      run({"run", network.string(), "--out", out.string(), "--duration-ms", "10000",
           "--checkpoint-every", "500", "--flush-every", "0.01", "--quiet"},
          {.file_size_bytes = 4 * 1000 * 1000});
  ASSERT_EQ(full.status, 2) << full.err;
  EXPECT_TRUE(has(full.err, "File too large")) << full.err;
  EXPECT_TRUE(has(full.err, "bgsim resume")) << full.err;
  const auto m = manifest_of(out);
  EXPECT_EQ(m["status"], "failed");
  ASSERT_TRUE(m.contains("checkpoint")) << m.dump(1);
  EXPECT_GT(m["checkpoint"]["time_ms"].get<double>(), 0.0);

  const CliResult r = run({"resume", out.string(), "--quiet"});
  ASSERT_EQ(r.status, 0) << r.err;
  expect_same_results(reference, out);
}

// What is refused, and with what message; each time the folder is left as
// it was (every file byte for byte), and the run still resumes afterwards.
TEST_F(Resume, RefusesWhatItCannotResumeAndTouchesNothing) {
  const fs::path network = source_dir / "networks/library/brunel2000_small.json";
  const fs::path distal = source_dir / "networks/library/izhikevich2007_distal_reward.json";
  const fs::path out = dir / "stopped";
  const pid_t pid = start({"run", network.string(), "--out", out.string(), "--duration-ms", "20000",
                           "--checkpoint-every", "1000", "--quiet"});
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    try {
      const auto m = manifest_of(out);
      if (m.contains("checkpoint") && m["checkpoint"]["time_ms"].get<double>() >= 1000.0) break;
    } catch (const std::exception&) {
      // not written yet
    }
  }
  ::kill(pid, SIGKILL);
  ASSERT_EQ(finish(pid).status, 128 + SIGKILL) << "the run ended before it was killed";
  const fs::path checkpoint = out / "checkpoint.bgsim";
  const std::string original = slurp(checkpoint);

  // A run still going is not resumed, nor overwritten, under it.
  const pid_t live = start({"run", network.string(), "--out", (dir / "live").string(),
                            "--duration-ms", "1000000", "--checkpoint-every", "1000", "--quiet"});
  wait_until_running(dir / "live", std::chrono::milliseconds(300));
  for (const auto& args : {std::vector<std::string>{"resume", (dir / "live").string()},
                           std::vector<std::string>{"run", network.string(), "--out",
                                                    (dir / "live").string(), "--overwrite"}}) {
    const pid_t p = start(args, {.alarm_s = 60});
    const CliResult r = finish(p);
    EXPECT_EQ(r.status, 1) << args[0] << ": " << r.err;
    EXPECT_TRUE(has(r.err, "is in use by another bgsim process")) << r.err;
  }
  ::kill(live, SIGKILL);
  finish(live);

  const auto before = results_files(out);

  const auto refused = [&](const std::string& bytes, const std::string& message) {
    std::ofstream(checkpoint, std::ios::binary | std::ios::trunc) << bytes;
    const CliResult r = run({"resume", out.string(), "--quiet"}, {.alarm_s = 60});
    EXPECT_EQ(r.status, 1) << r.err;
    EXPECT_TRUE(has(r.err, message)) << "expected: " << message << "\ngot: " << r.err;
    std::ofstream(checkpoint, std::ios::binary | std::ios::trunc) << original;
    EXPECT_TRUE(results_files(out) == before) << "a refused resume changed the folder";
  };
  // Another version: the version in the header, changed.
  std::string other_version = original;
  const std::size_t v = other_version.find(BGSIM_VERSION);
  ASSERT_NE(v, std::string::npos);
  other_version[v] = '9';
  refused(other_version, "written by bgsim 9");
  // A description that no longer resolves to the network checkpointed (as
  // another build might read it): one delay changed inside the checkpoint.
  std::string other_network = original;
  const std::size_t d = other_network.find("\"delay_ms\":");
  ASSERT_NE(d, std::string::npos);
  const std::size_t digit = other_network.find_first_of("123456789", d);
  other_network[digit] = other_network[digit] == '2' ? '3' : '2';
  refused(other_network, "resolves to another network than the one checkpointed");
  // Damaged: cut short, or no checkpoint at all.
  refused(original.substr(0, original.size() / 2), "checkpoint");
  refused("not a checkpoint", "not a bgsim run checkpoint");
  // The checkpoint of another network's run, put into this folder.
  const fs::path other = dir / "distal";
  const pid_t p = start({"run", distal.string(), "--out", other.string(), "--duration-ms",
                         "100000000", "--checkpoint-every", "1000", "--quiet"});
  wait_until_running(other, std::chrono::milliseconds(300));
  ::kill(p, SIGINT);
  ASSERT_EQ(finish(p).status, 130);
  refused(slurp(other / "checkpoint.bgsim"), "cannot resume writing");

  fs::remove(checkpoint);
  const CliResult none = run({"resume", out.string(), "--quiet"});
  EXPECT_EQ(none.status, 1);
  EXPECT_TRUE(has(none.err, "holds no checkpoint.bgsim")) << none.err;
  std::ofstream(checkpoint, std::ios::binary) << original;

  // After all that, it resumes; and a complete run has nothing to resume.
  const CliResult r = run({"resume", out.string(), "--quiet"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(manifest_of(out)["status"], "complete");
  const CliResult again = run({"resume", out.string(), "--quiet"});
  EXPECT_EQ(again.status, 1);
  EXPECT_TRUE(has(again.err, "holds a complete run: nothing to resume")) << again.err;
}

// Checkpoints are for network runs; an experiment refuses the option rather
// than ignore it.
TEST_F(Resume, AnExperimentRefusesCheckpoints) {
  const CliResult r = run({"run", (source_dir / "tasks/experiments/bandit_compare.json").string(),
                           "--out", (dir / "exp").string(), "--checkpoint-every", "1000"});
  EXPECT_EQ(r.status, 1);
  EXPECT_TRUE(has(r.err, "--checkpoint-every applies to network runs")) << r.err;
  EXPECT_FALSE(fs::exists(dir / "exp"));
}

}  // namespace
