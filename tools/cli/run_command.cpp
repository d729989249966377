#include "tools/cli/run_command.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <functional>
#include <iostream>
#include <new>
#include <optional>
#include <set>

#include "core/communicator.hpp"
#include "core/io/attach_recorders.hpp"
#include "core/io/results_folder.hpp"
#include "core/printable.hpp"
#include "networks/builder.hpp"
#include "networks/loader.hpp"
#include "networks/memory_estimate.hpp"
#include "networks/overrides.hpp"
#include "tasks/experiment.hpp"
#include "tools/cli/experiment_run.hpp"
#include "tools/cli/folder_lock.hpp"
#include "tools/cli/progress.hpp"
#include "tools/cli/results_stream.hpp"
#include "tools/cli/run_checkpoint.hpp"

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
  ~StopSignals() { release(); }
  // Back to the default actions (the run is over; what follows is writing).
  void release() {
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

// With the command line's --set overrides applied (networks/overrides.hpp).
std::optional<Loaded> load(const std::string& file, networks::Diagnostics& diag,
                           const std::vector<std::string>& sets = {}) {
  Loaded l;
  l.doc = networks::load_description(file, diag);
  if (!diag.ok()) return std::nullopt;
  networks::apply_overrides(l.doc.document, networks::parse_overrides(sets, diag), diag);
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

bool check_description(const std::string& file, const std::vector<std::string>& sets,
                       std::string& problems) {
  networks::Diagnostics diag;
  auto loaded = load(file, diag, sets);
  if (loaded) {
    if (loaded->is_experiment)
      tasks::read_experiment_description(loaded->doc.document, diag,
                                         std::filesystem::path(file).parent_path());
    else
      networks::read_network(loaded->doc.document, diag, loaded->doc.origin);
  }
  problems = diag.str();
  return diag.ok();
}

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

// A rank other than 0 of an experiment spread over ranks: it runs the same
// experiment, making every collective rank 0 makes, and writes nothing (rank
// 0 writes the folder and the manifest). Returns its exit status.
int execute_experiment_rank(const tasks::ExperimentDescription& exp, const RunOptions& opt,
                            const std::filesystem::path& out) {
  const io::ResultsFolder folder = io::ResultsFolder::written_elsewhere(out);
  tasks::ExperimentContext cx{folder, exp.seed, opt.threads, &interrupted};
  cx.communicator = opt.communicator;
  try {
    exp.run(cx);
  } catch (const std::exception& e) {
    std::cerr << "bgsim: rank " << opt.communicator->rank() << ": " << printable(e.what()) << "\n";
    return 2;
  }
  return interrupted.load() ? StopSignals::exit_code() : 0;
}

int run_experiment(const nlohmann::json& doc, const RunOptions& opt) {
  namespace fs = std::filesystem;
  // Every rank reads the same description and comes to the same verdict;
  // rank 0 alone says it.
  const bool writer = !opt.communicator || opt.communicator->rank() == 0;
  networks::Diagnostics diag;
  tasks::ExperimentDescription exp =
      tasks::read_experiment_description(doc, diag, std::filesystem::path(opt.file).parent_path());
  if (diag.ok() && !opt.required_kind.empty() && exp.kind != opt.required_kind)
    diag.error("/experiment/kind", "bgsim " + opt.required_kind + " runs experiments of kind " +
                                       quote(opt.required_kind) + "; this one is " +
                                       quote(exp.kind) + " (run it with bgsim run)");
  if (!diag.ok()) {
    if (writer) report(diag, opt.file, "; nothing was run");
    return 1;
  }
  if (opt.communicator && !exp.spreads_over_ranks) {
    if (writer)
      std::cerr << "bgsim: cannot run " << printable(opt.file) << " over "
                << opt.communicator->size() << " ranks: an experiment of kind " << quote(exp.kind)
                << (exp.kind == "closed_loop" ? " with an agent learner" : "")
                << " runs in one process; only a closed loop with a spiking learner spreads its "
                   "network over ranks (docs/mpi.md); nothing was run\n";
    return 1;
  }
  if (opt.seed) {
    exp.seed = *opt.seed;
    exp.resolved["seed"] = *opt.seed;
  }
  if (opt.duration_ms && writer)
    std::cerr << "bgsim: --duration-ms does not apply to an experiment; ignored\n";
  const fs::path out = output_folder(opt.file, opt.out);
  std::optional<StopSignals> signals(std::in_place);  // before the folder exists: see run_command
  std::optional<LockedFolder> locked;
  io::ResultsFolder* folder = writer ? open_output_folder(locked, out, opt.overwrite) : nullptr;
  if (opt.communicator) {
    if (!all_ranks_ok(opt.communicator, !writer || folder)) return 1;
    if (!writer) return execute_experiment_rank(exp, opt, out);
  }
  if (!folder) return 1;
  Progress progress(progress_style(opt), 0.0, opt.progress_every_s);
  tasks::ExperimentContext cx{*folder, exp.seed, opt.threads, &interrupted};
  cx.communicator = opt.communicator;
  cx.progress = [&](std::int64_t done, std::int64_t total) { progress(done, total); };
  const nlohmann::json manifest =
      run_experiment_into(exp, *folder, cx, {fs::path(opt.file).filename().string(), opt.sets},
                          {.stopped = [] { return interrupted.load(); },
                           .after_run = [&] { progress.finish(); },
                           .run_over = [&] { signals.reset(); }});
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

// The synapses of every "connections" recorder's projection, as the run left
// them (the form "rule": "explicit" reads); over several ranks, gathered to
// rank 0 (networks::gather_saved_connections: one collective per recorder,
// made by every rank in the same order, all before anything is written).
std::vector<ConnectionList> gather_connections(const networks::NetworkSpec& spec,
                                               const Simulator& sim, Communicator* ranks) {
  std::vector<ConnectionList> out;
  for (const networks::RecorderSpec& r : spec.recorders)
    if (r.type == "connections")
      out.push_back(networks::gather_saved_connections(sim, spec, r.projection, ranks));
  return out;
}

void write_connections(const networks::NetworkSpec& spec, std::vector<ConnectionList> lists,
                       io::FileSink& sink) {
  std::size_t i = 0;
  for (const networks::RecorderSpec& r : spec.recorders) {
    if (r.type != "connections") continue;
    sink.add_connections(r.name, r.projection, spec.projection(r.projection)->synapse.model,
                         std::move(lists.at(i++)));
  }
}

// The steps between two checkpoints (0: none). They fall on the multiples of
// checkpoint_every_ms of simulated time (and at step 0, so that a run killed
// at any moment can be resumed): the run goes in pieces between them, which
// changes nothing (Determinism.SplittingARunChangesNothing).
Step checkpoint_steps(const Simulator& sim, double checkpoint_every_ms) {
  return checkpoint_every_ms > 0
             ? std::max<Step>(1, sim.resolution().round_to_steps(checkpoint_every_ms))
             : 0;
}

// Runs `sim` to `steps` in pieces between checkpoints; `checkpoint` is called
// at step 0 of a fresh run, between the pieces and when a stop signal ended
// the run early. Over several ranks every rank goes through the same pieces:
// the ranks stop at the same epoch (the exchange tells them), so they make
// the checkpoints' collectives together.
void run_in_pieces(Simulator& sim, Step steps, Step every, bool resumed,
                   const std::function<void()>& checkpoint) {
  if (every && !resumed) checkpoint();
  while (sim.now() < steps) {
    const Step next = every ? std::min(steps, (sim.now() / every + 1) * every) : steps;
    sim.run(next - sim.now());
    if (sim.now() < next) break;  // stopped by a signal
    if (every && sim.now() < steps) checkpoint();
  }
  if (sim.now() < steps && every) checkpoint();  // nothing run is lost to `bgsim resume`
}

// A rank other than 0 of a run over several ranks: it builds its part of the
// network and runs it, taking part in every collective rank 0 makes (the
// build's agreement, loading a checkpoint, the spike exchange of each epoch,
// each checkpoint, the counts at the end), and writes nothing: rank 0 writes
// the results folder and the checkpoints. `resume`, when given, holds the
// checkpoint to go on from.
int execute_rank(const networks::NetworkSpec& spec, const RunOptions& opt,
                 double checkpoint_every_ms, RunCheckpointReader* resume) {
  const int rank = opt.communicator->rank();
  std::unique_ptr<Simulator> sim;
  bool built = true;
  try {
    sim = networks::build(spec, {.threads = opt.threads, .communicator = opt.communicator});
    sim->run(0);  // prepared: its weight recorders know their synapses
  } catch (const std::exception& e) {
    std::cerr << "bgsim: rank " << rank << ": building the network failed: " << printable(e.what())
              << "\n";
    built = false;
  }
  if (!all_ranks_ok(opt.communicator, built)) return 1;
  sim->share_recorders();
  if (!all_ranks_ok(opt.communicator, true)) return 1;  // rank 0 opened its files
  if (resume) {
    bool loaded = true;
    try {
      resume->restore_state(*sim);
    } catch (const std::exception& e) {
      std::cerr << "bgsim: rank " << rank << ": cannot resume: " << printable(e.what()) << "\n";
      loaded = false;
    }
    if (!all_ranks_ok(opt.communicator, loaded)) return 1;
  }
  sim->set_stop_flag(&interrupted);
  const auto checkpoint = [&] {
    bool saved = true;
    try {
      sim->flush_recorders();  // rank 0 syncs its files after this collective
    } catch (const std::exception& e) {
      std::cerr << "bgsim: rank " << rank << ": " << printable(e.what()) << "\n";
      saved = false;
    }
    try {
      write_rank_checkpoint(*sim);
    } catch (const std::exception& e) {
      std::cerr << "bgsim: rank " << rank << ": checkpoint: " << printable(e.what()) << "\n";
      saved = false;
    }
    if (!all_ranks_ok(opt.communicator, saved))
      throw std::runtime_error("the checkpoint could not be written");
  };
  int status = 0;
  try {
    run_in_pieces(*sim, sim->resolution().duration_steps(spec.duration_ms),
                  checkpoint_steps(*sim, checkpoint_every_ms), resume != nullptr, checkpoint);
  } catch (const std::exception& e) {
    std::cerr << "bgsim: rank " << rank << ": " << printable(e.what()) << "\n";
    status = 2;
  }
  try {
    sim->flush_recorders();  // the last rows of state and weight recorders, to rank 0
  } catch (const std::exception& e) {
    std::cerr << "bgsim: rank " << rank << ": " << printable(e.what()) << "\n";
    status = 2;
  }
  gather_connections(spec, *sim, opt.communicator);  // rank 0 writes them
  sim->num_synapses_all_ranks();                     // rank 0 counts them for the manifest
  return status;
}

// A network run, fresh or resumed: the folder exists and holds a "running"
// manifest; `resume`, when given, holds the checkpoint to go on from.
struct NetworkRun {
  const RunOptions& opt;
  networks::NetworkSpec spec;
  RunRecipe recipe;
  io::ResultsFolder folder;
  nlohmann::json manifest;
  RunCheckpointReader* resume = nullptr;
};

// Builds the network and connects its recorders to the folder; returns why
// that failed, or "". Over several ranks, rank 0's half of execute_rank's
// sequence: each local step ends in an agreement of all ranks before the
// next collective (the weight recorders' columns, gathered to rank 0 so that
// their files name every rank's synapses).
std::string build_attached(NetworkRun& job, std::unique_ptr<Simulator>& sim,
                           std::unique_ptr<io::FileSink>& sink) {
  const RunOptions& opt = job.opt;
  std::string error;
  const auto attach = [&] {
    sink = std::make_unique<io::FileSink>(job.folder, sim->resolution());
    io::attach_recorders(*sink, *sim);
    for (const networks::RecorderSpec& r : job.spec.recorders)
      if (r.sonata()) sink->add_sonata_spikes(r.name);
  };
  const auto agree = [&] {
    if (!all_ranks_ok(opt.communicator, error.empty()) && error.empty())
      error = "another rank could not build its part of the network (its message says why)";
    return error.empty();
  };
  try {
    sim = networks::build(job.spec, {.threads = opt.threads, .communicator = opt.communicator});
    if (!opt.communicator)
      attach();
    else
      sim->run(0);  // prepared: its weight recorders know their synapses
  } catch (const std::exception& e) {
    error = printable(e.what());
  }
  if (!agree() || !opt.communicator) return error;
  sim->share_recorders();
  try {
    attach();
  } catch (const std::exception& e) {
    error = printable(e.what());
  }
  agree();
  return error;
}

int execute(NetworkRun& job, StopSignals& signals_guard) {
  namespace fs = std::filesystem;
  const RunOptions& opt = job.opt;
  nlohmann::json& manifest = job.manifest;
  io::ResultsFolder& folder = job.folder;
  manifest["threads"] = opt.threads;
  manifest["checkpoint_every_ms"] = job.recipe.checkpoint_every_ms > 0
                                        ? nlohmann::json(job.recipe.checkpoint_every_ms)
                                        : nlohmann::json(nullptr);

  // A resumed run's layout is this process's: the stopped one may have had
  // other ranks (or none), and its exchange counted only its own part.
  if (opt.communicator)
    manifest["ranks"] = opt.communicator->size();
  else
    manifest.erase("ranks");
  manifest.erase("exchange");

  const auto t_build = std::chrono::steady_clock::now();
  std::unique_ptr<Simulator> sim;
  std::unique_ptr<io::FileSink> sink;
  const std::string build_error = build_attached(job, sim, sink);
  if (!build_error.empty()) {
    std::cerr << "bgsim: building the network failed: " << build_error << "\n";
    manifest["status"] = "failed";
    manifest["error"] = build_error;
    folder.write_manifest(manifest);
    return 1;
  }
  if (job.resume) {
    // The checkpoint's state, and its files taken up where it counted them;
    // what else is in the folder is left over from the stopped process. Over
    // several ranks every rank loads the state first (a collective) and the
    // files are touched only when every rank has.
    std::string why;
    try {
      job.resume->restore_state(*sim);
    } catch (const std::exception& e) {
      why = printable(e.what());
    }
    if (!all_ranks_ok(opt.communicator, why.empty()) && why.empty())
      why = "another rank could not load the checkpoint (its message says why)";
    try {
      if (why.empty()) {
        std::set<std::string> keep = job.resume->resume_files(*sink);
        keep.insert(run_checkpoint_name);
        folder.remove_run_files_except(keep);
      }
    } catch (const std::exception& e) {
      why = printable(e.what());
    }
    if (!why.empty()) {
      std::cerr << "bgsim: cannot resume: " << why << "\n";
      return 1;  // the folder stays as it was: every file checked before any is touched
    }
  }
  const double build_s = seconds_since(t_build);
  const Step start = sim->now();

  const Step steps = sim->resolution().duration_steps(job.spec.duration_ms);
  Progress progress(progress_style(opt), sim->resolution().dt_ms(), opt.progress_every_s);
  ResultsStream stream(*sim, *sink, folder, manifest, opt.flush_every_s);
  sim->set_progress([&](Step now, Step) {
    progress(now, steps);
    stream();
  });
  sim->set_stop_flag(&interrupted);

  const Step every = checkpoint_steps(*sim, job.recipe.checkpoint_every_ms);
  const auto write_checkpoint = [&] {
    stream.flush_files();
    write_run_checkpoint(folder, job.recipe, *sim, *sink);
    manifest["checkpoint"] = {{"file", run_checkpoint_name},
                              {"time_ms", sim->resolution().stamp_ms(sim->now())}};
    stream.write_manifest();
  };
  // Over several ranks, rank 0's half of execute_rank's checkpoint: the
  // recorders' rows to rank 0's files (a collective), the state to rank 0's
  // checkpoint (another), then an agreement, so that a rank that failed
  // stops every rank.
  const auto checkpoint_over_ranks = [&] {
    std::string why;
    try {
      sim->flush_recorders();
    } catch (const std::exception& e) {
      why = printable(e.what());
    }
    try {
      if (why.empty())
        write_checkpoint();
      else
        write_rank_checkpoint(*sim);  // the collective the other ranks make
    } catch (const std::exception& e) {
      if (why.empty()) why = printable(e.what());
    }
    if (!all_ranks_ok(opt.communicator, why.empty()) && why.empty())
      why = "another rank could not write its part of the checkpoint (its message says why)";
    if (!why.empty()) throw std::runtime_error("checkpoint: " + why);
  };

  io::RunStatus status = io::RunStatus::complete;
  std::string error;
  const auto t_run = std::chrono::steady_clock::now();
  try {
    stream.flush_now();  // the manifest names the files being written
    if (opt.communicator)
      run_in_pieces(*sim, steps, every, job.resume != nullptr, checkpoint_over_ranks);
    else
      run_in_pieces(*sim, steps, every, job.resume != nullptr, write_checkpoint);
    if (sim->now() < steps) status = io::RunStatus::interrupted;
  } catch (const std::exception& e) {
    status = io::RunStatus::failed;
    error = printable(e.what());
  }
  const double run_s = seconds_since(t_run);
  signals_guard.release();
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
    write_connections(job.spec, gather_connections(job.spec, *sim, opt.communicator), *sink);
  } catch (const std::exception& e) {
    fail("writing connections: " + printable(e.what()));
  }
  try {
    sink->finish(status, sim->now());
  } catch (const std::exception& e) {
    fail(printable(e.what()));
  }
  const double reached_ms = sim->now_ms();
  const double run_ms = sim->resolution().to_ms(sim->now() - start);
  manifest["status"] = std::string(io::to_string(status));
  if (!error.empty()) manifest["error"] = error;
  manifest["reached_ms"] = reached_ms;
  manifest["wall_time_s"] = {{"build", build_s}, {"simulation", run_s}};
  manifest["real_time_factor"] = run_s > 0 ? run_ms / 1000.0 / run_s : 0.0;
  manifest["network"] = {{"neurons", sim->num_neurons()},
                         {"synapses", sim->num_synapses_all_ranks()}};
  const RunCounters& c = sim->counters();
  manifest["counts"] = {
      {"spikes", c.spikes}, {"synaptic_events", c.synaptic_events}, {"events", c.events}};
  if (opt.communicator) {
    const ExchangeCounters& x = sim->exchange_counters();
    manifest["exchange"] = {{"rank", 0},
                            {"epochs", x.epochs},
                            {"bytes_sent", x.bytes_sent},
                            {"bytes_received", x.bytes_received},
                            {"seconds", x.seconds}};
  }
  manifest["results"] = sink->manifest_section();
  manifest["results"]["status"] = manifest["status"];  // a failure in finish() comes after it
  for (std::uint32_t i = 0; i < sim->num_observers(); ++i)
    for (const auto& [key, value] : sim->observer(i).summary())
      manifest["observers"][sim->observer(i).name()][key] = value;
  // A complete run needs its checkpoint no more (it may be large).
  if (status == io::RunStatus::complete && manifest.contains("checkpoint")) {
    manifest.erase("checkpoint");
    std::error_code ignored;
    fs::remove(folder.path(run_checkpoint_name), ignored);
  }
  try {
    folder.write_manifest(manifest);
  } catch (const std::exception& e) {
    std::cerr << "bgsim: " << e.what() << "\n";
    status = io::RunStatus::failed;
  }

  if (!opt.quiet) {
    std::cout << "bgsim: " << io::to_string(status) << " at " << reached_ms << " ms of "
              << job.spec.duration_ms << " ms; " << c.spikes << " spikes, " << c.synaptic_events
              << " synaptic events; simulation " << run_s << " s ("
              << manifest["real_time_factor"].get<double>() << "x real time), build " << build_s
              << " s\n";
    std::cout << "bgsim: results in " << folder.dir().string() << "\n";
  }
  if (status == io::RunStatus::failed) {
    std::cerr << "bgsim: the run failed at " << reached_ms << " ms: " << error << "\n";
    if (manifest.contains("checkpoint"))
      std::cerr << "bgsim: bgsim resume " << folder.dir().string() << " goes on from "
                << manifest["checkpoint"]["time_ms"].get<double>() << " ms\n";
    return 2;
  }
  if (status == io::RunStatus::interrupted && every && !opt.quiet)
    std::cout << "bgsim: bgsim resume " << folder.dir().string() << " goes on from here\n";
  return status == io::RunStatus::interrupted ? StopSignals::exit_code() : 0;
}

// The description as a recipe: read, with the command line's overrides.
std::optional<networks::NetworkSpec> network_spec(const nlohmann::json& document,
                                                  const std::map<std::string, std::string>& origin,
                                                  std::optional<std::uint64_t> seed,
                                                  std::optional<double> duration_ms,
                                                  networks::Diagnostics& diag) {
  networks::NetworkSpec spec = networks::read_network(document, diag, origin);
  if (!diag.ok()) return std::nullopt;
  if (seed) spec.seed = *seed;
  if (duration_ms) spec.duration_ms = *duration_ms;
  return spec;
}

}  // namespace

int run_command(const RunOptions& opt) {
  namespace fs = std::filesystem;
  // A file-size limit (ulimit -f) makes a write fail with a message, as a
  // full disk does, instead of killing the process.
  std::signal(SIGXFSZ, SIG_IGN);
  networks::Diagnostics diag;
  auto loaded = load(opt.file, diag, opt.sets);
  if (!loaded && !diag.ok()) {
    report(diag, opt.file, "; nothing was run");
    return 1;
  }
  const bool writer = !opt.communicator || opt.communicator->rank() == 0;
  if (loaded && loaded->is_experiment) {
    if (opt.checkpoint_every_ms) {
      if (writer)
        std::cerr << "bgsim: --checkpoint-every applies to network runs; an experiment "
                     "(closed loop, agents) is not checkpointed yet; nothing was run\n";
      return 1;
    }
    return run_experiment(loaded->doc.document, opt);
  }
  if (loaded && !opt.required_kind.empty()) {
    std::cerr << printable(opt.file) << ": bgsim " << opt.required_kind
              << " runs an experiment description ({\"experiment\": {\"kind\": \""
              << opt.required_kind << "\", ...}}), not a network; nothing was run\n";
    return 1;
  }
  if (opt.duration_ms) {
    if (!(*opt.duration_ms >= 0.0)) {
      std::cerr << "bgsim: --duration-ms must be >= 0\n";
      return 1;
    }
  }
  std::optional<networks::NetworkSpec> spec;
  if (loaded)
    spec = network_spec(loaded->doc.document, loaded->doc.origin, opt.seed, std::nullopt, diag);
  if (!diag.ok()) {
    report(diag, opt.file, "; nothing was run");
    return 1;
  }
  std::cerr << diag.warnings_str();
  if (opt.duration_ms) {
    if (const Resolution res(spec->resolution_ms); !res.countable(*opt.duration_ms)) {
      std::cerr << "bgsim: --duration-ms: a run " << res.uncountable(*opt.duration_ms).substr(7)
                << "\n";
      return 1;
    }
    spec->duration_ms = *opt.duration_ms;
  }
  if (opt.checkpoint_every_ms) {
    if (const Resolution res(spec->resolution_ms);
        !(*opt.checkpoint_every_ms > 0.0) || !res.countable(*opt.checkpoint_every_ms)) {
      std::cerr << "bgsim: --checkpoint-every must be a time > 0 [ms] that a run can count\n";
      return 1;
    }
  }
  const fs::path out = output_folder(opt.file, opt.out);

  // From the folder's creation on, SIGINT and SIGTERM leave an interrupted
  // folder: during the build, the run stops before its first step.
  StopSignals signals;
  std::optional<LockedFolder> locked;
  io::ResultsFolder* folder = writer ? open_output_folder(locked, out, opt.overwrite) : nullptr;
  if (!all_ranks_ok(opt.communicator, !writer || folder)) return 1;
  if (!writer) return execute_rank(*spec, opt, opt.checkpoint_every_ms.value_or(0.0), nullptr);

  RunRecipe recipe{.document = loaded->doc.document.dump(),
                   .description_file = fs::path(opt.file).filename().string(),
                   .seed = spec->seed,
                   .duration_ms = spec->duration_ms,
                   .checkpoint_every_ms = opt.checkpoint_every_ms.value_or(0.0),
                   .fingerprint = 0};
  const nlohmann::json resolved = networks::resolved_json(*spec);
  recipe.fingerprint = description_fingerprint(resolved.dump());
  nlohmann::json manifest;
  manifest["status"] = "running";
  manifest["bgsim_version"] = BGSIM_VERSION;
  manifest["description_file"] = recipe.description_file;
  manifest["description"] = resolved;
  if (!spec->neuromodulators.empty()) manifest["dopamine"] = networks::dopamine_levels(*spec);
  manifest["seed"] = spec->seed;
  if (!opt.sets.empty()) manifest["overrides"] = opt.sets;
  NetworkRun job{.opt = opt,
                 .spec = std::move(*spec),
                 .recipe = std::move(recipe),
                 .folder = *folder,
                 .manifest = std::move(manifest),
                 .resume = nullptr};
  return execute(job, signals);
}

// Over several ranks every rank reads the checkpoint (one file, in the
// one-process format, whatever rank count wrote it: docs/mpi.md) and builds
// the network from its recipe; rank 0 alone reopens the folder, says what
// failed and writes.
int resume_command(const RunOptions& opt) {
  namespace fs = std::filesystem;
  std::signal(SIGXFSZ, SIG_IGN);
  const bool writer = !opt.communicator || opt.communicator->rank() == 0;
  const fs::path dir = opt.file;
  nlohmann::json manifest;
  std::optional<io::ResultsFolder> folder;
  std::optional<RunCheckpointReader> checkpoint;
  std::optional<FolderLock> lock;
  bool opened = true;
  try {
    if (writer) {
      folder.emplace(io::ResultsFolder::reopen(dir));
      lock.emplace(dir);
      manifest = io::ResultsFolder::read_manifest(dir);
      const std::string status = manifest.value("status", "");
      if (status == "complete") {
        std::cerr << "bgsim: " << printable(dir.string())
                  << " holds a complete run: nothing to resume\n";
        opened = false;
      }
    }
    if (opened) checkpoint.emplace(dir);
  } catch (const std::exception& e) {
    if (writer)
      std::cerr << "bgsim: cannot resume: " << printable(e.what()) << "\n";
    else
      std::cerr << "bgsim: rank " << opt.communicator->rank()
                << ": cannot resume: " << printable(e.what()) << "\n";
    opened = false;
  }
  if (!all_ranks_ok(opt.communicator, opened)) return 1;
  // From here every rank reads the same recipe and refuses alike.
  const RunRecipe& recipe = checkpoint->recipe();
  networks::Diagnostics diag;
  std::optional<networks::NetworkSpec> spec;
  if (auto doc = networks::parse_json(recipe.document, run_checkpoint_name, diag))
    spec = network_spec(*doc, {}, recipe.seed, recipe.duration_ms, diag);
  if (!diag.ok()) {
    if (writer) report(diag, (dir / run_checkpoint_name).string(), "; nothing was resumed");
    return 1;
  }
  if (description_fingerprint(networks::resolved_json(*spec).dump()) != recipe.fingerprint) {
    if (writer)
      std::cerr << "bgsim: cannot resume: the description in " << run_checkpoint_name
                << " resolves to another network than the one checkpointed (a checkpoint of "
                   "another bgsim build?); run it again\n";
    return 1;
  }
  RunRecipe resumed = recipe;
  if (opt.checkpoint_every_ms) resumed.checkpoint_every_ms = *opt.checkpoint_every_ms;
  StopSignals signals;
  if (!writer) return execute_rank(*spec, opt, resumed.checkpoint_every_ms, &*checkpoint);
  const double from_ms = Resolution(spec->resolution_ms).stamp_ms(checkpoint->step());
  manifest["status"] = "running";
  manifest.erase("error");
  manifest["resumed_from_ms"].push_back(from_ms);
  if (!opt.quiet)
    std::cerr << "bgsim: resuming " << recipe.description_file << " from " << from_ms << " ms of "
              << recipe.duration_ms << " ms\n";
  NetworkRun job{.opt = opt,
                 .spec = std::move(*spec),
                 .recipe = std::move(resumed),
                 .folder = *folder,
                 .manifest = std::move(manifest),
                 .resume = &*checkpoint};
  return execute(job, signals);
}

}  // namespace bgsim::cli
