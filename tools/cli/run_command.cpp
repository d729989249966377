#include "tools/cli/run_command.hpp"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <new>
#include <optional>

#include "core/io/attach_recorders.hpp"
#include "core/io/results_folder.hpp"
#include "core/printable.hpp"
#include "networks/builder.hpp"
#include "networks/loader.hpp"
#include "networks/memory_estimate.hpp"
#include "tasks/experiment.hpp"
#include "tools/cli/progress.hpp"
#include "tools/cli/results_stream.hpp"

namespace bgsim::cli {

namespace {

std::atomic<bool> interrupted{false};
std::atomic<int> stop_signal{0};  // the signal that stopped the run (SIGINT or SIGTERM)

// First Ctrl-C (SIGINT) or SIGTERM (kill, a cluster scheduler): stop at the
// end of the current epoch (a closed loop: of the current trial) and write
// what was run. A second one: the default action (the process ends at once).
extern "C" void on_interrupt(int sig) {
  interrupted.store(true);
  stop_signal.store(sig);
  std::signal(sig, SIG_DFL);
}

// Handles SIGINT and SIGTERM for the life of the object.
struct StopSignals {
  StopSignals() {
    interrupted.store(false);
    stop_signal.store(0);
    std::signal(SIGINT, on_interrupt);
    std::signal(SIGTERM, on_interrupt);
  }
  ~StopSignals() {
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
  }
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;
  // The shell's convention: 128 + the signal's number.
  static int exit_code() { return 128 + (stop_signal.load() ? stop_signal.load() : SIGINT); }
};

Progress::Style progress_style(const RunOptions& opt) {
  if (opt.quiet) return Progress::Style::quiet;
  return ::isatty(STDERR_FILENO) ? Progress::Style::terminal : Progress::Style::log;
}

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

// A description file, loaded with its includes: a network or an experiment.
struct Loaded {
  networks::LoadedDescription doc;
  bool is_experiment = false;
};

std::optional<Loaded> load(const std::string& file, networks::Diagnostics& diag) {
  Loaded l;
  l.doc = networks::load_description(file, diag);
  if (!diag.ok()) return std::nullopt;
  l.is_experiment = l.doc.document.contains("experiment");
  return l;
}

void report(const networks::Diagnostics& diag, const std::string& file, const char* tail) {
  std::cerr << diag.warnings_str() << diag.str();
  const auto n = diag.items().size();
  std::cerr << printable(file) << ": " << n << (n == 1 ? " problem" : " problems") << tail << "\n";
}

}  // namespace

int validate_command(const std::string& file) {
  networks::Diagnostics diag;
  networks::NetworkSpec spec;
  auto loaded = load(file, diag);
  if (loaded) {
    if (loaded->is_experiment)
      tasks::read_experiment_description(loaded->doc.document, diag,
                                         std::filesystem::path(file).parent_path());
    else
      spec = networks::read_network(loaded->doc.document, diag, loaded->doc.origin);
  }
  if (!diag.ok()) {
    report(diag, file, "");
    return 1;
  }
  std::cerr << diag.warnings_str();
  std::cout << printable(file) << ": valid\n";
  if (!loaded->is_experiment) {
    // What the network will cost, before anyone builds it.
    const networks::MemoryEstimate memory = networks::estimate_memory(spec);
    const std::uint64_t machine = networks::physical_memory_bytes();
    std::cout << "  memory: " << memory.summary();
    if (machine) std::cout << " of " << networks::format_bytes(static_cast<double>(machine));
    std::cout << "\n";
    if (memory.written > 0.0)
      std::cout << "  sampling recorders write about " << networks::format_bytes(memory.written)
                << " (spikes not counted)\n";
  }
  // The levels of each dopamine volume, so that no one computes them by hand.
  const nlohmann::json levels = networks::dopamine_levels(spec);
  for (const auto& [name, v] : levels.items()) {
    std::cout << "  volume " << name << ": baseline " << v["baseline"].get<double>();
    if (!v["tonic_level"].is_null())
      std::cout << ", tonic level " << v["tonic_level"].get<double>() << " (source "
                << v["source"].get<std::string>() << " at " << v["tonic_rate_Hz"].get<double>()
                << " Hz)";
    std::cout << ", initial " << v["initial"].get<double>() << "\n";
  }
  return 0;
}

namespace {

int run_experiment(const nlohmann::json& doc, const RunOptions& opt) {
  namespace fs = std::filesystem;
  networks::Diagnostics diag;
  tasks::ExperimentDescription exp =
      tasks::read_experiment_description(doc, diag, std::filesystem::path(opt.file).parent_path());
  if (diag.ok() && !opt.required_kind.empty() && exp.kind != opt.required_kind)
    diag.error("/experiment/kind", "bgsim " + opt.required_kind + " runs experiments of kind " +
                                       quote(opt.required_kind) + "; this one is " +
                                       quote(exp.kind) + " (run it with bgsim run)");
  if (!diag.ok()) {
    report(diag, opt.file, "; nothing was run");
    return 1;
  }
  if (opt.seed) {
    exp.seed = *opt.seed;
    exp.resolved["seed"] = *opt.seed;
  }
  if (opt.duration_ms)
    std::cerr << "bgsim: --duration-ms does not apply to an experiment; ignored\n";
  const fs::path out =
      opt.out.empty() ? fs::path("results") / fs::path(opt.file).stem() : fs::path(opt.out);
  std::optional<StopSignals> signals(std::in_place);  // before the folder exists: see run_command
  std::unique_ptr<io::ResultsFolder> folder;
  try {
    folder = std::make_unique<io::ResultsFolder>(out, opt.overwrite);
  } catch (const std::exception& e) {
    std::cerr << "bgsim: " << printable(e.what()) << "\n";
    return 1;
  }
  nlohmann::json manifest;
  manifest["bgsim_version"] = BGSIM_VERSION;
  manifest["description_file"] = fs::path(opt.file).filename().string();
  manifest["description"] = exp.resolved;
  manifest["experiment"] = exp.kind;
  manifest["seed"] = exp.seed;
  const auto t0 = std::chrono::steady_clock::now();
  try {
    Progress progress(progress_style(opt), 0.0, opt.progress_every_s);
    tasks::ExperimentContext cx{*folder, exp.seed, opt.threads, &interrupted};
    cx.progress = [&](std::int64_t done, std::int64_t total) { progress(done, total); };
    manifest["summary"] = exp.run(cx);
    progress.finish();
    manifest["status"] = interrupted.load() ? "interrupted" : "complete";
  } catch (const std::bad_alloc&) {
    manifest["status"] = "failed";
    manifest["error"] =
        "ran out of memory: a size or a count among the parameters is too large for this machine";
  } catch (const std::exception& e) {
    manifest["status"] = "failed";
    manifest["error"] = printable(e.what());
  }
  signals.reset();
  manifest["wall_time_s"] = seconds_since(t0);
  nlohmann::json files = nlohmann::json::array();
  for (const auto& entry : fs::directory_iterator(out))
    if (entry.is_regular_file() && entry.path().filename() != "manifest.json" &&
        entry.path().filename().string()[0] != '.')
      files.push_back(entry.path().filename().string());
  std::sort(files.begin(), files.end());
  manifest["files"] = files;
  folder->write_manifest(manifest);
  if (manifest["status"] == "failed") {
    std::cerr << "bgsim: experiment " << exp.kind
              << " failed: " << manifest["error"].get<std::string>() << "\n";
    return 2;
  }
  const bool stopped = manifest["status"] == "interrupted";
  if (!opt.quiet)
    std::cout << "bgsim: experiment " << exp.kind
              << (stopped ? " interrupted after " : " complete in ")
              << manifest["wall_time_s"].get<double>() << " s; results in " << out.string() << "\n";
  return stopped ? StopSignals::exit_code() : 0;
}

}  // namespace

int run_command(const RunOptions& opt) {
  namespace fs = std::filesystem;
  // A file-size limit (ulimit -f) makes a write fail with a message, as a
  // full disk does, instead of killing the process.
  std::signal(SIGXFSZ, SIG_IGN);
  networks::Diagnostics diag;
  auto loaded = load(opt.file, diag);
  if (loaded && loaded->is_experiment) return run_experiment(loaded->doc.document, opt);
  if (loaded && !opt.required_kind.empty()) {
    std::cerr << printable(opt.file) << ": bgsim " << opt.required_kind
              << " runs an experiment description ({\"experiment\": {\"kind\": \""
              << opt.required_kind << "\", ...}}), not a network; nothing was run\n";
    return 1;
  }
  networks::NetworkSpec spec;
  if (loaded) spec = networks::read_network(loaded->doc.document, diag, loaded->doc.origin);
  if (!diag.ok()) {
    report(diag, opt.file, "; nothing was run");
    return 1;
  }
  if (opt.seed) spec.seed = *opt.seed;
  std::cerr << diag.warnings_str();
  if (opt.duration_ms) {
    if (!(*opt.duration_ms >= 0.0)) {
      std::cerr << "bgsim: --duration-ms must be >= 0\n";
      return 1;
    }
    if (const Resolution res(spec.resolution_ms); !res.countable(*opt.duration_ms)) {
      std::cerr << "bgsim: --duration-ms: a run " << res.uncountable(*opt.duration_ms).substr(7)
                << "\n";
      return 1;
    }
    spec.duration_ms = *opt.duration_ms;
  }
  const fs::path out =
      opt.out.empty() ? fs::path("results") / fs::path(opt.file).stem() : fs::path(opt.out);

  // From the folder's creation on, SIGINT and SIGTERM leave an interrupted
  // folder: during the build, the run stops before its first step.
  std::optional<StopSignals> signals(std::in_place);
  std::unique_ptr<io::ResultsFolder> folder;
  try {
    folder = std::make_unique<io::ResultsFolder>(out, opt.overwrite);
  } catch (const std::exception& e) {
    std::cerr << "bgsim: " << printable(e.what()) << "\n";
    return 1;
  }

  nlohmann::json manifest;
  manifest["status"] = "running";
  manifest["bgsim_version"] = BGSIM_VERSION;
  manifest["description_file"] = fs::path(opt.file).filename().string();
  manifest["description"] = networks::resolved_json(spec);
  if (!spec.neuromodulators.empty()) manifest["dopamine"] = networks::dopamine_levels(spec);
  manifest["seed"] = spec.seed;
  manifest["threads"] = opt.threads;

  const auto t_build = std::chrono::steady_clock::now();
  std::unique_ptr<Simulator> sim;
  std::unique_ptr<io::FileSink> sink;
  try {
    sim = networks::build(spec, {.threads = opt.threads});
    sink = std::make_unique<io::FileSink>(*folder, sim->resolution());
    io::attach_recorders(*sink, *sim);
  } catch (const std::exception& e) {
    std::cerr << "bgsim: building the network failed: " << printable(e.what()) << "\n";
    manifest["status"] = "failed";
    manifest["error"] = printable(e.what());
    folder->write_manifest(manifest);
    return 1;
  }
  const double build_s = seconds_since(t_build);

  Progress progress(progress_style(opt), sim->resolution().dt_ms(), opt.progress_every_s);
  ResultsStream stream(*sim, *sink, *folder, manifest, opt.flush_every_s);
  sim->set_progress([&](Step now, Step end) {
    progress(now, end);
    stream();
  });
  sim->set_stop_flag(&interrupted);

  const Step steps = sim->resolution().duration_steps(spec.duration_ms);
  io::RunStatus status = io::RunStatus::complete;
  std::string error;
  const auto t_run = std::chrono::steady_clock::now();
  try {
    stream.flush_now();  // the manifest names the files being written
    sim->run(steps);
    if (sim->now() < steps) status = io::RunStatus::interrupted;
  } catch (const std::exception& e) {
    status = io::RunStatus::failed;
    error = printable(e.what());
  }
  const double run_s = seconds_since(t_run);
  signals.reset();
  progress.finish();

  // What was recorded goes to the files whatever stopped the run. A file that
  // cannot be written (a full disk, a file-size limit) fails the run and
  // keeps what its last flush made readable, under its temporary name.
  const auto fail = [&](const std::string& what) {
    if (status != io::RunStatus::failed) error = what;
    status = io::RunStatus::failed;
  };
  try {
    sim->flush_recorders();
  } catch (const std::exception& e) {
    fail(printable(e.what()));
  }
  try {
    for (std::uint32_t i = 0; i < sim->num_observers(); ++i)
      for (const ResultTable& table : sim->observer(i).tables())
        sink->add_table(table);
  } catch (const std::exception& e) {
    fail("writing the tables of observers: " + printable(e.what()));
  }
  try {
    sink->finish(status, sim->now());
  } catch (const std::exception& e) {
    fail(printable(e.what()));
  }
  const double reached_ms = sim->now_ms();
  manifest["status"] = std::string(io::to_string(status));
  if (!error.empty()) manifest["error"] = error;
  manifest["reached_ms"] = reached_ms;
  manifest["wall_time_s"] = {{"build", build_s}, {"simulation", run_s}};
  manifest["real_time_factor"] = run_s > 0 ? reached_ms / 1000.0 / run_s : 0.0;
  manifest["network"] = {{"neurons", sim->num_neurons()}, {"synapses", sim->num_synapses()}};
  const RunCounters& c = sim->counters();
  manifest["counts"] = {
      {"spikes", c.spikes}, {"synaptic_events", c.synaptic_events}, {"events", c.events}};
  manifest["results"] = sink->manifest_section();
  manifest["results"]["status"] = manifest["status"];  // a failure in finish() comes after it
  for (std::uint32_t i = 0; i < sim->num_observers(); ++i)
    for (const auto& [key, value] : sim->observer(i).summary())
      manifest["observers"][sim->observer(i).name()][key] = value;
  try {
    folder->write_manifest(manifest);
  } catch (const std::exception& e) {
    std::cerr << "bgsim: " << e.what() << "\n";
    status = io::RunStatus::failed;
  }

  if (!opt.quiet) {
    std::cout << "bgsim: " << io::to_string(status) << " at " << reached_ms << " ms of "
              << spec.duration_ms << " ms; " << c.spikes << " spikes, " << c.synaptic_events
              << " synaptic events; simulation " << run_s << " s ("
              << manifest["real_time_factor"].get<double>() << "x real time), build " << build_s
              << " s\n";
    std::cout << "bgsim: results in " << out.string() << "\n";
  }
  if (status == io::RunStatus::failed) {
    std::cerr << "bgsim: the run failed at " << reached_ms << " ms: " << error << "\n";
    return 2;
  }
  return status == io::RunStatus::interrupted ? StopSignals::exit_code() : 0;
}

}  // namespace bgsim::cli
