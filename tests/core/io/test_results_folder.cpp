// The results folder: refusing to clobber, overwriting only what a run wrote,
// an atomic manifest that always says what state the folder is in; and the
// FileSink: the files it writes, their contents, and what finish() leaves.

#include "core/io/results_folder.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>

#include "tests/core/io/io_test_support.hpp"

namespace bgsim::io {
namespace {

using test::contains;
using test::message_of;
using test::ScratchDir;

TEST(ResultsFolder, CreatesTheFolderMarkedRunning) {
  ScratchDir scratch;
  const auto dir = scratch / "runs" / "first";  // parents are created too
  ResultsFolder folder(dir);
  EXPECT_EQ(ScratchDir::list(dir), std::vector<std::string>{"manifest.json"});
  EXPECT_EQ(ResultsFolder::read_manifest(dir)["status"], "running");
  EXPECT_EQ(folder.path("a.npy"), dir / "a.npy");
  EXPECT_TRUE(contains(message_of<std::invalid_argument>([&] { folder.path("../a.npy"); }),
                       "not a file name"));
  // An existing empty folder is taken as it is.
  std::filesystem::create_directories(scratch / "empty");
  ResultsFolder in_empty(scratch / "empty");
  EXPECT_EQ(ScratchDir::list(scratch / "empty"), std::vector<std::string>{"manifest.json"});
}

TEST(ResultsFolder, RefusesAnExistingFolderWithoutOverwrite) {
  ScratchDir scratch;
  const auto dir = scratch / "run";
  { ResultsFolder first(dir); }
  const auto msg = message_of<std::runtime_error>([&] { ResultsFolder second(dir); });
  EXPECT_TRUE(contains(msg, dir.string()));
  EXPECT_TRUE(contains(msg, "--overwrite"));

  // A folder that is not a results folder is never cleared, even when asked.
  test::write_text(scratch / "notes.txt", "mine");
  EXPECT_TRUE(
      contains(message_of<std::runtime_error>([&] { ResultsFolder f(scratch.path(), true); }),
               "not a results folder"));
  EXPECT_TRUE(std::filesystem::exists(scratch / "notes.txt"));

  test::write_text(scratch / "file", "x");
  EXPECT_TRUE(contains(message_of<std::runtime_error>([&] { ResultsFolder f(scratch / "file"); }),
                       "not a folder"));
}

TEST(ResultsFolder, OverwriteClearsWhatARunWritesAndNothingElse) {
  ScratchDir scratch;
  const auto dir = scratch / "run";
  {
    ResultsFolder old(dir);
    old.write_manifest({{"status", "complete"}, {"seed", 1}});
  }
  for (const char* f : {"old_spikes.npy", "spike_counts.csv", ".v.npy.partial-1-0", "README.txt"})
    test::write_text(dir / f, "x");
  std::filesystem::create_directories(dir / "plots");
  test::write_text(dir / "plots" / "raster_old.png", "x");

  ResultsFolder fresh(dir, true);
  EXPECT_EQ(ScratchDir::list(dir), (std::vector<std::string>{"README.txt", "manifest.json"}));
  EXPECT_EQ(ResultsFolder::read_manifest(dir),
            nlohmann::json({{"status", "running"}, {"bgsim_version", BGSIM_VERSION}}));
}

TEST(ResultsFolder, ManifestIsWrittenAtomicallyAndMustCarryAStatus) {
  ScratchDir scratch;
  ResultsFolder folder(scratch / "run");
  folder.write_manifest({{"status", "interrupted"}, {"time_reached_ms", 12.5}, {"name", "ü"}});
  const auto m = ResultsFolder::read_manifest(folder.dir());
  EXPECT_EQ(m["status"], "interrupted");
  EXPECT_EQ(m["time_reached_ms"], 12.5);
  EXPECT_EQ(ScratchDir::list(folder.dir()), std::vector<std::string>{"manifest.json"});
  EXPECT_TRUE(contains(message_of<std::invalid_argument>([&] {
                         folder.write_manifest({{"status", "done"}});
                       }),
                       "\"status\" must be one of"));
  EXPECT_TRUE(contains(
      message_of<std::invalid_argument>([&] { folder.write_manifest(nlohmann::json::array()); }),
      "manifest.json"));
  EXPECT_EQ(ResultsFolder::read_manifest(folder.dir())["status"], "interrupted")
      << "a refused manifest leaves the last one in place";
  test::write_text(folder.dir() / "manifest.json", "{\"status\": ");
  EXPECT_TRUE(
      contains(message_of<std::runtime_error>([&] { ResultsFolder::read_manifest(folder.dir()); }),
               "manifest.json: malformed JSON"));
}

// A sink fed by hand: populations "exc" (gids 10..19) and "inh" (gids 20..24).
struct HandFedSink {
  ScratchDir scratch;
  ResultsFolder folder{scratch / "run"};
  FileSink sink{folder, Resolution(0.1)};

  HandFedSink() {
    sink.add_spike_recording({.recorder = "exc",
                              .population = "exc",
                              .gid_offset = 10,
                              .population_size = 10,
                              .neurons = 10});
    sink.add_spike_recording({.recorder = "inh",
                              .population = "inh",
                              .gid_offset = 20,
                              .population_size = 5,
                              .neurons = 2});
    sink.add_state_recording({.recorder = "v_exc",
                              .population = "exc",
                              .variable = "V_m",
                              .unit = "mV",
                              .neurons = {1, 4, 7},
                              .interval_ms = 0.5});
  }
};

// bgsim resume, the sink's part: save() counts each file's rows at a sync;
// a new sink registered alike takes the files up from there, and the folder
// ends as one sink fed without a stop would have left it.
TEST(FileSink, ResumeFromASavedSinkEndsWithTheFilesOfARunNeverStopped) {
  const auto feed = [](FileSink& sink, Step from, Step to) {
    for (Step t = from; t < to; ++t) {
      sink.spikes("exc", std::vector<SpikeEvent>{{t, static_cast<std::uint32_t>(10 + t % 10), 0}});
      const std::vector<Step> steps{t};
      const std::vector<double> v{1.0 * t, -1.0 * t, 0.5 * t};
      sink.samples("v_exc", steps, v, 3);
    }
  };
  HandFedSink whole;
  feed(whole.sink, 0, 40);
  whole.sink.finish(RunStatus::complete, 40);

  HandFedSink killed;
  std::stringstream checkpoint;
  feed(killed.sink, 0, 15);
  killed.sink.sync(15);
  {
    CheckpointWriter w(checkpoint);
    killed.sink.save(w);
  }
  feed(killed.sink, 15, 22);  // after the checkpoint: lost to the resume
  killed.sink.sync(22);
  // The process dies here: its files stay under their temporary names.
  const auto left = ScratchDir::list(killed.folder.dir());

  FileSink again(ResultsFolder::reopen(killed.folder.dir()), Resolution(0.1));
  again.add_spike_recording({.recorder = "exc",
                             .population = "exc",
                             .gid_offset = 10,
                             .population_size = 10,
                             .neurons = 10});
  again.add_spike_recording({.recorder = "inh",
                             .population = "inh",
                             .gid_offset = 20,
                             .population_size = 5,
                             .neurons = 2});
  again.add_state_recording({.recorder = "v_exc",
                             .population = "exc",
                             .variable = "V_m",
                             .unit = "mV",
                             .neurons = {1, 4, 7},
                             .interval_ms = 0.5});
  CheckpointReader r(checkpoint);
  const std::set<std::string> taken = again.resume(r, 15);
  EXPECT_EQ(taken.size(), 5u);  // exc, inh spikes; v_exc values, times, neurons
  for (const auto& name : taken)
    EXPECT_TRUE(std::find(left.begin(), left.end(), name) != left.end()) << name;
  feed(again, 15, 40);
  again.finish(RunStatus::complete, 40);
  for (const char* name : {"exc_spikes.npy", "inh_spikes.npy", "v_exc.npy", "v_exc_times.npy",
                           "v_exc_neurons.npy", "spike_counts.csv"})
    EXPECT_EQ(test::read_bytes(killed.folder.path(name)), test::read_bytes(whole.folder.path(name)))
        << name;
}

TEST(FileSink, WritesSpikesInMillisecondsAndLocalIndices) {
  HandFedSink h;
  const std::vector<SpikeEvent> block1 = {{3, 10, 0}, {3, 19, 0}};
  const std::vector<SpikeEvent> block2 = {{7, 15, 0}};
  h.sink.spikes("exc", block1);
  h.sink.spikes("exc", block2);
  h.sink.spikes("inh", std::vector<SpikeEvent>{{5, 21, 1}});
  h.sink.finish(RunStatus::complete, 100);

  const auto a = read_npy(h.folder.path("exc_spikes.npy"));
  // Exact decimal multiples of dt (Resolution::stamp_ms): 0.3, not 3 · 0.1.
  EXPECT_EQ(a.field<double>("time_ms"), (std::vector<double>{0.3, 0.3, 0.7}));
  EXPECT_EQ(a.field<std::uint32_t>("neuron"), (std::vector<std::uint32_t>{0, 9, 5}));
  EXPECT_EQ(read_npy(h.folder.path("inh_spikes.npy")).field<std::uint32_t>("neuron"),
            std::vector<std::uint32_t>{1});
}

// docs/results.md: spike times are exact multiples of dt. Step 299283 at
// dt = 0.1 ms is written 29928.3, not 29928.300000000003 (299283 · 0.1).
TEST(FileSink, WritesSpikeAndSampleTimesAsExactDecimalMultiplesOfDt) {
  HandFedSink h;
  h.sink.spikes("exc", std::vector<SpikeEvent>{{299283, 10, 0}, {1234567, 11, 0}});
  h.sink.samples("v_exc", std::vector<Step>{299283}, std::vector<double>{1, 2, 3}, 3);
  h.sink.finish(RunStatus::complete, 1234568);
  EXPECT_EQ(read_npy(h.folder.path("exc_spikes.npy")).field<double>("time_ms"),
            (std::vector<double>{29928.3, 123456.7}));
  EXPECT_EQ(read_npy(h.folder.path("v_exc_times.npy")).values<double>(),
            std::vector<double>{29928.3});
}

TEST(FileSink, WritesStateAsMatrixWithTimesAndColumns) {
  HandFedSink h;
  h.sink.samples("v_exc", std::vector<Step>{0, 5}, std::vector<double>{1, 2, 3, 4, 5, 6}, 3);
  h.sink.samples("v_exc", std::vector<Step>{10}, std::vector<double>{7, 8, 9}, 3);
  EXPECT_TRUE(
      contains(message_of<std::logic_error>([&] {
                 h.sink.samples("v_exc", std::vector<Step>{15}, std::vector<double>{1, 2}, 2);
               }),
               "added with 3 neurons"));
  h.sink.finish(RunStatus::complete, 20);
  const auto v = read_npy(h.folder.path("v_exc.npy"));
  EXPECT_EQ(v.shape, (std::vector<std::size_t>{3, 3}));
  EXPECT_EQ(v.values<double>(), (std::vector<double>{1, 2, 3, 4, 5, 6, 7, 8, 9}));
  EXPECT_EQ(read_npy(h.folder.path("v_exc_times.npy")).values<double>(),
            (std::vector<double>{0.0, 0.5, 1.0}));
  EXPECT_EQ(read_npy(h.folder.path("v_exc_neurons.npy")).values<std::uint32_t>(),
            (std::vector<std::uint32_t>{1, 4, 7}));
}

TEST(FileSink, FinishNamesEveryFileAndWritesSpikeCounts) {
  HandFedSink h;
  h.sink.spikes("exc", std::vector<SpikeEvent>{{3, 10, 0}, {4, 11, 0}});
  // Until finish(), only the manifest carries a final name.
  for (const auto& name : ScratchDir::list(h.folder.dir()))
    EXPECT_TRUE(name == "manifest.json" || is_partial_file_name(name)) << name;
  h.sink.finish(RunStatus::interrupted, 1000);  // 100 ms
  EXPECT_EQ(ScratchDir::list(h.folder.dir()),
            (std::vector<std::string>{"exc_spikes.npy", "inh_spikes.npy", "manifest.json",
                                      "spike_counts.csv", "v_exc.npy", "v_exc_neurons.npy",
                                      "v_exc_times.npy"}));
  EXPECT_EQ(test::read_bytes(h.folder.path("spike_counts.csv")),
            "recorder,population,neurons,spikes,duration_ms,rate_Hz\n"
            "exc,exc,10,2,100,2\n"
            "inh,inh,2,0,100,0\n");
  const auto m = h.sink.manifest_section();
  EXPECT_EQ(m["status"], "interrupted");
  EXPECT_EQ(m["time_reached_ms"], 100.0);
  EXPECT_EQ(m["resolution_ms"], 0.1);
  ASSERT_EQ(m["recordings"].size(), 3u);
  EXPECT_EQ(m["recordings"][0]["files"]["spikes"], "exc_spikes.npy");
  EXPECT_EQ(m["recordings"][0]["spikes"], 2);
  EXPECT_EQ(m["recordings"][2]["kind"], "state");
  EXPECT_EQ(m["recordings"][2]["unit"], "mV");
  EXPECT_EQ(m["tables"]["spike_counts"], "spike_counts.csv");
  EXPECT_TRUE(contains(message_of<std::logic_error>([&] {
                         h.sink.spikes("exc", std::vector<SpikeEvent>{{5, 10, 0}});
                       }),
                       "after finish()"));
}

TEST(FileSink, DestroyedWithoutFinishLeavesOnlyTheRunningManifest) {
  ScratchDir scratch;
  const auto dir = scratch / "run";
  {
    ResultsFolder folder(dir);
    FileSink sink(folder, Resolution(0.1));
    sink.add_spike_recording(
        {.recorder = "exc", .population = "exc", .population_size = 3, .neurons = 3});
    sink.spikes("exc", std::vector<SpikeEvent>{{1, 0, 0}});
  }  // a run that failed with an exception
  EXPECT_EQ(ScratchDir::list(dir), std::vector<std::string>{"manifest.json"});
  EXPECT_EQ(ResultsFolder::read_manifest(dir)["status"], "running");
}

TEST(FileSink, RefusesNamesThatCollideOrCannotNameAFile) {
  ScratchDir scratch;
  ResultsFolder folder(scratch / "run");
  FileSink sink(folder, Resolution(0.1));
  sink.add_spike_recording(
      {.recorder = "exc", .population = "exc", .population_size = 1, .neurons = 1});
  EXPECT_TRUE(contains(message_of<std::invalid_argument>([&] {
                         sink.add_state_recording({.recorder = "exc_spikes",
                                                   .population = "exc",
                                                   .variable = "v",
                                                   .unit = "mV",
                                                   .neurons = {0},
                                                   .interval_ms = 1});
                       }),
                       "recorders \"exc\" and \"exc_spikes\" would both write exc_spikes.npy"));
  EXPECT_TRUE(contains(message_of<std::invalid_argument>([&] {
                         sink.add_spike_recording({.recorder = "ctx->d1", .population = "ctx"});
                       }),
                       "\"ctx->d1\" cannot name a file"));
  EXPECT_TRUE(contains(message_of<std::invalid_argument>([&] {
                         sink.add_spike_recording({.recorder = "exc", .population = "exc"});
                       }),
                       "added twice"));
  EXPECT_TRUE(contains(message_of<std::logic_error>([&] {
                         sink.spikes("exc", std::vector<SpikeEvent>{{1, 5, 0}});
                       }),
                       "outside population exc"));
  EXPECT_TRUE(contains(message_of<std::logic_error>([&] {
                         sink.spikes("nobody", std::vector<SpikeEvent>{{1, 0, 0}});
                       }),
                       "never added"));
  EXPECT_TRUE(
      contains(message_of<std::invalid_argument>([&] { sink.finish(RunStatus::running, 0); }),
               "final status"));
  EXPECT_FALSE(file_stem_error("d1_left-2.5").has_value());
  EXPECT_TRUE(file_stem_error(".hidden").has_value());
  EXPECT_TRUE(file_stem_error("").has_value());
}

}  // namespace
}  // namespace bgsim::io
