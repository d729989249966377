// tools/plot_results.py on results folders: one written by a real simulation
// (a spike_source driving lif_psc_exp cells) becomes PNGs; short runs of
// library networks by the bgsim binary get their overview and point figures;
// a missing or unfinished folder is refused with a message. Needs
// /usr/bin/python3 with python3-numpy and python3-matplotlib (tools/setup.sh
// installs them).

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "core/io/results_folder.hpp"
#include "core/registry.hpp"
#include "core/simulator.hpp"
#include "tests/core/io/io_test_support.hpp"

namespace bgsim::io {
namespace {

using test::contains;
using test::ScratchDir;

test::CommandResult plot(const std::vector<std::string>& args) {
  std::string command = test::python;
  command += ' ';
  command += test::shell_quote(std::string(BGSIM_SOURCE_DIR) + "/tools/plot_results.py");
  for (const auto& a : args) {
    command += ' ';
    command += test::shell_quote(a);
  }
  return test::run_command(command);
}

// 4 input neurons spiking every 10 ms (staggered by 1 ms) onto 8 LIF cells,
// all to all; 200 ms, recorded as bgsim run records it.
void simulate_into(const std::filesystem::path& dir) {
  Simulator sim({.dt_ms = 0.1, .seed = 5, .threads = 1});
  std::vector<std::vector<double>> times(4);
  for (int k = 0; k < 4; ++k)
    for (double t = 5.0 + k; t < 200.0; t += 10.0)
      times[k].push_back(t);
  const auto src = sim.add_population(
      make_population("spike_source", "input", 4, {{"spike_times_ms", std::move(times)}}));
  const auto lif = sim.add_population(make_population("lif_psc_exp", "cells", 8, {}));
  ConnectionList connections;
  for (std::uint32_t s = 0; s < 4; ++s)
    for (std::uint32_t t = 0; t < 8; ++t)
      connections.add(s, t, 1500.0, sim.resolution().delay_steps(1.0));  // [pA]
  const int channel = sim.population(lif).receptor_index("excitatory");
  ASSERT_GE(channel, 0);
  sim.add_projection(std::make_unique<StaticProjection>(
      "input->cells", src, lif, static_cast<std::uint32_t>(channel), 4, std::move(connections)));

  ResultsFolder folder(dir);
  FileSink sink(folder, sim.resolution());
  auto rec_input = std::make_unique<SpikeRecorder>("input", src, std::vector<std::uint32_t>{});
  auto rec_cells = std::make_unique<SpikeRecorder>("cells", lif, std::vector<std::uint32_t>{});
  auto rec_v = std::make_unique<StateRecorder>("v_cells", lif, "V_m",
                                               std::vector<std::uint32_t>{0, 3, 5}, 10);
  sink.add_spike_recorder(*rec_input, sim.population(src));
  sink.add_spike_recorder(*rec_cells, sim.population(lif));
  sink.add_state_recorder(*rec_v, sim.population(lif));
  sim.add_spike_recorder(std::move(rec_input));
  sim.add_spike_recorder(std::move(rec_cells));
  sim.add_state_recorder(std::move(rec_v));
  sim.set_sink(&sink);

  sim.run(sim.resolution().duration_steps(200.0));
  sim.flush_recorders();
  sink.finish(RunStatus::complete, sim.now());
  const auto section = sink.manifest_section();
  folder.write_manifest({{"status", "complete"}, {"duration_ms", 200.0}, {"results", section}});

  EXPECT_EQ(section["recordings"][0]["spikes"], 4 * 20);
  EXPECT_GT(section["recordings"][1]["spikes"], 0) << "the LIF cells should fire";
  EXPECT_EQ(section["recordings"][2]["samples"], 200);
}

TEST(PlotResults, TurnsASimulatedRunIntoPngs) {
  ASSERT_TRUE(test::python_stack_available());
  ScratchDir scratch;
  const auto dir = scratch / "run";
  simulate_into(dir);
  const auto figures = scratch / "figures";
  const auto r = plot({dir.string(), "--out", figures.string()});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(ScratchDir::list(figures),
            (std::vector<std::string>{"overview.png", "raster_cells.png", "raster_input.png",
                                      "state_v_cells.png"}));
  EXPECT_TRUE(r.output.starts_with((figures / "overview.png").string())) << "overview first";
  for (const auto& name : ScratchDir::list(figures)) {
    const std::string png = test::read_bytes(figures / name);
    EXPECT_EQ(png.substr(0, 8), "\x89PNG\r\n\x1a\n") << name;
    EXPECT_GT(png.size(), 5000u) << name << " looks empty";
  }
  // Without --out the figures go to RESULTS_DIR/plots.
  const auto default_out = plot({dir.string()});
  ASSERT_EQ(default_out.exit_code, 0) << default_out.output;
  EXPECT_EQ(ScratchDir::list(dir / "plots").size(), 4u);
}

// A stimulus log as a group stimulus leaves it (FileSink::add_table), beside
// an ordinary table: only the log becomes a figure.
TEST(PlotResults, DrawsTheResponsesOfAStimulusLog) {
  ASSERT_TRUE(test::python_stack_available());
  ScratchDir scratch;
  const auto dir = scratch / "run";
  ResultsFolder folder(dir);
  FileSink sink(folder, Resolution(1.0));
  ResultTable log{
      .name = "cs_stimuli",
      .columns = {"time_ms", "group", "rewarded", "reward_time_ms", "group_spikes", "response"},
      .rows = {}};
  for (int k = 0; k < 300; ++k) {
    const bool s1 = k % 10 == 0;
    log.rows.push_back({200.0 * k, s1 ? 0.0 : 1.0 + k % 9, s1 ? 1.0 : 0.0,
                        s1 ? 200.0 * k + 500.0 : std::nan(""), 50.0, s1 ? 3.0 * k : 60.0});
  }
  sink.add_table(log);
  sink.add_table({.name = "cs_groups",
                  .columns = {"group", "population", "neuron"},
                  .rows = {{0.0, std::string("exc"), 3.0}, {1.0, std::string("inh"), 7.0}}});
  EXPECT_THROW(sink.add_table({.name = "cs_groups", .columns = {"a"}, .rows = {}}),
               std::invalid_argument);
  EXPECT_THROW(sink.add_table({.name = "odd", .columns = {"a", "b"}, .rows = {{1.0}}}),
               std::invalid_argument);
  sink.finish(RunStatus::complete, 60000);
  const auto section = sink.manifest_section();
  EXPECT_EQ(section["tables"]["cs_stimuli"], "cs_stimuli.csv");
  EXPECT_EQ(section["tables"]["cs_groups"], "cs_groups.csv");
  EXPECT_EQ(test::read_bytes(dir / "cs_groups.csv"), "group,population,neuron\n0,exc,3\n1,inh,7\n");
  folder.write_manifest({{"status", "complete"}, {"duration_ms", 60000.0}, {"results", section}});
  const auto r = plot({dir.string(), "--out", (scratch / "figures").string()});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(ScratchDir::list(scratch / "figures"),
            (std::vector<std::string>{"stimuli_cs_stimuli.png"}));
}

TEST(PlotResults, PlotsAnInterruptedRunAndSaysSo) {
  ASSERT_TRUE(test::python_stack_available());
  ScratchDir scratch;
  const auto dir = scratch / "run";
  simulate_into(dir);
  auto m = ResultsFolder::read_manifest(dir);
  m["status"] = "interrupted";
  test::write_text(dir / "manifest.json", m.dump());
  const auto r = plot({dir.string(), "--out", (scratch / "figures").string()});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(contains(r.output, "interrupted at 200 ms"));
  EXPECT_EQ(ScratchDir::list(scratch / "figures").size(), 4u);
}

// A library network run as a user runs it (the bgsim binary, shortened with
// --duration-ms): overview.png first, then point.png, the figure of the
// network's result (tools/plots/library.py), then one per recorder.
test::CommandResult run_library(const std::string& file, double duration_ms,
                                const std::filesystem::path& out) {
  std::string command = std::string(BGSIM_BINARY_DIR) + "/tools/bgsim";
  command = test::shell_quote(command) + " run " +
            test::shell_quote(std::string(BGSIM_SOURCE_DIR) + "/networks/library/" + file) +
            " --duration-ms " + std::to_string(duration_ms) + " --quiet --out " +
            test::shell_quote(out.string());
  return test::run_command(command);
}

TEST(PlotResults, DrawsTheOverviewAndThePointOfLibraryNetworks) {
  ASSERT_TRUE(test::python_stack_available());
  ASSERT_TRUE(std::filesystem::exists(std::string(BGSIM_BINARY_DIR) + "/tools/bgsim"))
      << "build the bgsim binary first";
  ScratchDir scratch;
  // 20 s of the distal reward network (about 0.2 s): the chosen synapse, the
  // sampled bulk and a reward or two; 20 s of conditioning (about 100
  // stimuli); 200 ms of Brunel's network at order 250; 1.5 s of the
  // basal-ganglia selection circuit (its first salience comes on at 1 s).
  const std::vector<std::pair<std::string, double>> runs{
      {"izhikevich2007_distal_reward.json", 20000.0},
      {"izhikevich2007_pavlovian.json", 20000.0},
      {"brunel2000_small.json", 200.0},
      {"bg_selection.json", 1500.0}};
  for (const auto& [file, duration_ms] : runs) {
    SCOPED_TRACE(file);
    const auto dir = scratch / file.substr(0, file.size() - 5);
    const auto run = run_library(file, duration_ms, dir);
    ASSERT_EQ(run.exit_code, 0) << run.output;
    const auto figures = dir / "figures";
    const auto r = plot({dir.string(), "--out", figures.string()});
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_FALSE(contains(r.output, "warning")) << r.output;
    const std::string overview = (figures / "overview.png").string();
    const std::string point = (figures / "point.png").string();
    EXPECT_TRUE(r.output.starts_with(overview + "\n" + point + "\n")) << r.output;
    for (const auto& name : {"overview.png", "point.png"}) {
      const std::string png = test::read_bytes(figures / name);
      EXPECT_EQ(png.substr(0, 8), "\x89PNG\r\n\x1a\n") << name;
      EXPECT_GT(png.size(), 20000u) << name << " looks empty";
    }
  }
}

// Without the recordings its point figure needs, a library network still gets
// every other figure, and a warning says why point.png is missing.
TEST(PlotResults, SkipsThePointFigureWithAWarningWhenItsRecordingsAreMissing) {
  ASSERT_TRUE(test::python_stack_available());
  ScratchDir scratch;
  const auto dir = scratch / "run";
  simulate_into(dir);
  auto m = ResultsFolder::read_manifest(dir);
  m["description_file"] = "izhikevich2007_distal_reward.json";  // but no contingency
  test::write_text(dir / "manifest.json", m.dump());
  const auto r = plot({dir.string(), "--out", (scratch / "figures").string()});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(contains(r.output, "warning: no point.png for izhikevich2007_distal_reward"))
      << r.output;
  EXPECT_EQ(ScratchDir::list(scratch / "figures").size(), 4u);
}

// A run stopped by a numerical guard keeps its recordings up to the failure
// (docs/results.md): it is plotted, its error quoted; one that failed before
// recording anything is refused with its error.
TEST(PlotResults, PlotsAFailedRunUpToItsFailureAndRefusesOneWithoutRecordings) {
  ASSERT_TRUE(test::python_stack_available());
  ScratchDir scratch;
  const auto dir = scratch / "run";
  simulate_into(dir);
  auto m = ResultsFolder::read_manifest(dir);
  m["status"] = "failed";
  m["error"] = "numerical guard: population cells, neuron 3: V_m = nan mV at t = 150 ms";
  test::write_text(dir / "manifest.json", m.dump());
  const auto r = plot({dir.string(), "--out", (scratch / "figures").string()});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_GE(ScratchDir::list(scratch / "figures").size(), 3u);

  m["results"]["recordings"] = nlohmann::json::array();
  test::write_text(dir / "manifest.json", m.dump());
  const auto refused = plot({dir.string(), "--out", (scratch / "figures2").string()});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_TRUE(contains(refused.output, "failed before recording")) << refused.output;
  EXPECT_TRUE(contains(refused.output, "V_m = nan")) << refused.output;
}

TEST(PlotResults, RefusesMissingAndIncompleteFoldersWithAMessage) {
  ASSERT_TRUE(test::python_stack_available());
  ScratchDir scratch;

  const auto missing = plot({(scratch / "nowhere").string()});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_TRUE(contains(missing.output, "nowhere does not exist")) << missing.output;

  std::filesystem::create_directories(scratch / "stranger");
  const auto stranger = plot({(scratch / "stranger").string()});
  EXPECT_EQ(stranger.exit_code, 1);
  EXPECT_TRUE(contains(stranger.output, "no manifest.json")) << stranger.output;

  {
    ResultsFolder running(scratch / "running");  // a run still going, or killed
    const auto r = plot({running.dir().string()});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_TRUE(contains(r.output, "incomplete")) << r.output;
    EXPECT_TRUE(contains(r.output, "\"running\"")) << r.output;
  }

  const auto dir = scratch / "run";
  simulate_into(dir);
  std::filesystem::remove(dir / "v_cells_times.npy");
  const auto r = plot({dir.string(), "--out", (scratch / "figures").string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.output, "v_cells_times.npy is listed in manifest.json but missing"))
      << r.output;
  EXPECT_FALSE(contains(r.output, "Traceback")) << r.output;
}

}  // namespace
}  // namespace bgsim::io
