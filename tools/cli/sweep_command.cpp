#include "tools/cli/sweep_command.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>
#include <span>
#include <string>

#include "core/io/csv.hpp"
#include "core/io/results_folder.hpp"
#include "core/printable.hpp"
#include "tools/cli/folder_lock.hpp"
#include "tools/cli/run_command.hpp"
#include "tools/cli/sweep_plan.hpp"

namespace bgsim::cli {

namespace {

namespace fs = std::filesystem;
using networks::json;

std::atomic<int> sweep_signal{0};

extern "C" void on_sweep_signal(int sig) {
  sweep_signal.store(sig);
}

// One run of the sweep as it went.
struct Outcome {
  std::string status = "not run";  // complete, interrupted, failed, not run
  int exit_code = -1;
  double wall_s = 0.0;
  json manifest;  // the run's manifest, when it wrote one
};

// The scalar numbers of a run's manifest worth a column: an experiment's
// summary (flattened, "a.b"), a network run's time reached and counts.
void scalars(const json& v, const std::string& prefix,
             std::vector<std::pair<std::string, double>>& out) {
  if (v.is_number()) {
    out.emplace_back(prefix, v.get<double>());
  } else if (v.is_object()) {
    for (const auto& [key, value] : v.items())
      scalars(value, prefix.empty() ? key : prefix + "." + key, out);
  }
}

std::vector<std::pair<std::string, double>> measures(const json& manifest) {
  std::vector<std::pair<std::string, double>> out;
  if (!manifest.is_object()) return out;
  if (manifest.contains("summary")) scalars(manifest["summary"], "", out);
  if (manifest.contains("reached_ms")) scalars(manifest["reached_ms"], "reached_ms", out);
  if (manifest.contains("counts")) scalars(manifest["counts"], "", out);
  return out;
}

pid_t launch(const std::vector<std::string>& args, const fs::path& log) {
  const pid_t pid = ::fork();
  if (pid != 0) return pid;
  // A process group of its own: a Ctrl-C at the terminal reaches the sweep
  // alone, which tells each run once (a second signal would end a run
  // without its folder: tools/cli/run_command.cpp).
  ::setpgid(0, 0);
  const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) _exit(126);
  ::dup2(fd, STDOUT_FILENO);
  ::dup2(fd, STDERR_FILENO);
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  std::vector<char*> argv;
  for (const auto& a : args)
    argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  // A run is a process of its own, not a rank of the sweep's MPI job: without
  // the launcher's variables (OMPI_*, PMIX_*) an MPI build starts it as a
  // job of one, instead of as a second claimant to the rank that forked it.
  std::vector<char*> env;
  for (char** e = environ; *e; ++e)
    if (std::strncmp(*e, "OMPI_", 5) != 0 && std::strncmp(*e, "PMIX_", 5) != 0) env.push_back(*e);
  env.push_back(nullptr);
  ::execve("/proc/self/exe", argv.data(), env.data());
  _exit(127);
}

// The outcomes of the runs this rank made, as text for the gather to rank 0.
std::string outcomes_text(const std::vector<Outcome>& outcomes) {
  json all = json::array();
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    const Outcome& o = outcomes[i];
    if (o.status == "not run") continue;
    all.push_back({{"index", i},
                   {"status", o.status},
                   {"exit_code", o.exit_code},
                   {"wall_s", o.wall_s},
                   {"manifest", o.manifest}});
  }
  return all.dump();
}

// Rank 0: every rank's outcomes in place (one gather; the others send theirs).
void gather_outcomes(Communicator& ranks, std::vector<Outcome>& outcomes) {
  const std::string mine = outcomes_text(outcomes);
  std::vector<std::byte> all;
  std::vector<std::size_t> counts;
  ranks.gather(std::as_bytes(std::span(mine.data(), mine.size())), all, counts);
  std::size_t at = 0;
  for (std::size_t r = 0; r < counts.size(); ++r) {
    const std::string text(reinterpret_cast<const char*>(all.data() + at), counts[r]);
    at += counts[r];
    if (r == 0) continue;
    for (const json& o : json::parse(text)) {
      Outcome& into = outcomes.at(o.at("index").get<std::size_t>());
      into.status = o.at("status").get<std::string>();
      into.exit_code = o.at("exit_code").get<int>();
      into.wall_s = o.at("wall_s").get<double>();
      into.manifest = o.at("manifest");
    }
  }
}

std::string describe_run(const SweepRun& run) {
  std::string s = run.name + " (";
  s += run.seed ? "seed " + std::to_string(*run.seed) : std::string("its seed");
  for (const auto& [pointer, value] : run.values)
    s += ", " + pointer + " = " + value.dump();
  return s + ")";
}

}  // namespace

int sweep_command(const SweepOptions& opt) {
  // Over MPI ranks every rank reads the same files and comes to the same
  // verdicts; rank 0 alone speaks of them and writes the sweep's folder.
  const int rank = opt.ranks ? opt.ranks->rank() : 0;
  const int n_ranks = opt.ranks ? opt.ranks->size() : 1;
  const bool lead = rank == 0;
  networks::Diagnostics diag;
  const std::optional<SweepPlan> plan = read_sweep(opt.file, diag);
  if (!plan) {
    if (lead)
      std::cerr << diag.str() << printable(opt.file)
                << ": not a sweep that can run; nothing was run\n";
    return 1;
  }
  // Every run's description checked before any starts: a typo in a pointer
  // is one message, not a hundred failed runs.
  for (const SweepRun& run : plan->runs) {
    std::string problems;
    if (!check_description(plan->description.string(), run.sets(), problems)) {
      if (lead)
        std::cerr << problems << printable(opt.file) << ": " << run.name
                  << " cannot run; nothing was run\n";
      return 1;
    }
    if (plan->pointers.empty()) break;  // every run reads the same description
  }
  const fs::path out = output_folder(opt.file, opt.out);
  std::optional<LockedFolder> locked;
  io::ResultsFolder* folder = lead ? open_output_folder(locked, out, opt.overwrite) : nullptr;
  json manifest = {{"status", "running"},
                   {"bgsim_version", BGSIM_VERSION},
                   {"sweep_file", fs::path(opt.file).filename().string()},
                   {"description", plan->description.filename().string()},
                   {"parameters", plan->pointers},
                   {"jobs", opt.jobs},
                   {"threads", opt.threads},
                   {"runs", plan->runs.size()}};
  if (opt.ranks) manifest["ranks"] = n_ranks;
  if (folder) folder->write_manifest(manifest);
  // The folder exists before any rank starts a run in it.
  const bool opened = !lead || folder;
  if (opt.ranks ? opt.ranks->sum(opened ? 0 : 1) != 0 : !opened) return 1;

  sweep_signal.store(0);
  // Without SA_RESTART: the signal must interrupt waitpid(), so that the
  // runs under way are told at once.
  struct sigaction action {};
  action.sa_handler = on_sweep_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;
  ::sigaction(SIGINT, &action, nullptr);
  ::sigaction(SIGTERM, &action, nullptr);
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<Outcome> outcomes(plan->runs.size());
  std::map<pid_t, std::size_t> running;
  std::map<pid_t, std::chrono::steady_clock::time_point> started;
  // Rank r's runs: r, r + R, r + 2R, … (every run on one rank without MPI).
  std::size_t next = static_cast<std::size_t>(rank), done = 0;
  const std::size_t stride = static_cast<std::size_t>(n_ranks);
  const std::size_t mine =
      plan->runs.size() > next ? (plan->runs.size() - next + stride - 1) / stride : 0;
  bool forwarded = false;
  while (next < plan->runs.size() || !running.empty()) {
    while (!sweep_signal.load() && next < plan->runs.size() &&
           static_cast<int>(running.size()) < opt.jobs) {
      const SweepRun& run = plan->runs[next];
      std::vector<std::string> args{
          "bgsim",   "run",       plan->description.string(), "--out", (out / run.name).string(),
          "--quiet", "--threads", std::to_string(opt.threads)};
      if (run.seed) args.insert(args.end(), {"--seed", std::to_string(*run.seed)});
      for (const auto& set : run.sets())
        args.insert(args.end(), {"--set", set});
      if (opt.overwrite) args.push_back("--overwrite");
      const pid_t pid = launch(args, out / (run.name + ".log"));
      if (pid < 0) {
        std::cerr << "bgsim: cannot start " << run.name << ": " << std::strerror(errno) << "\n";
        break;
      }
      running[pid] = next;
      started[pid] = std::chrono::steady_clock::now();
      next += stride;
    }
    if (sweep_signal.load() && !forwarded) {
      // Stop: no new runs; the running ones stop at their next epoch or
      // trial boundary and leave interrupted folders.
      for (const auto& [pid, index] : running)
        ::kill(pid, sweep_signal.load());
      forwarded = true;
    }
    if (running.empty()) break;
    int wstatus = 0;
    const pid_t pid = ::waitpid(-1, &wstatus, 0);
    if (pid < 0) {
      if (errno == EINTR) continue;
      break;
    }
    const auto it = running.find(pid);
    if (it == running.end()) continue;
    const std::size_t index = it->second;
    running.erase(it);
    Outcome& o = outcomes[index];
    o.exit_code = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
    o.wall_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started[pid]).count();
    try {
      o.manifest = io::ResultsFolder::read_manifest(out / plan->runs[index].name);
      o.status = o.manifest.value("status", "failed");
    } catch (const std::exception&) {
      o.status = "failed";
    }
    if (o.status == "running") o.status = "failed";  // it died without a word
    ++done;
    if (!opt.quiet)
      std::cerr << "bgsim sweep" << (opt.ranks ? " (rank " + std::to_string(rank) + ")" : "")
                << ": " << describe_run(plan->runs[index]) << " " << o.status << " (exit "
                << o.exit_code << ") in " << o.wall_s << " s [" << done << "/" << mine << "]\n";
  }
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);

  // Over ranks: the outcomes to rank 0, and whether any rank was stopped.
  int stop_signal = sweep_signal.load();
  if (opt.ranks) {
    gather_outcomes(*opt.ranks, outcomes);
    const std::uint64_t signals = opt.ranks->sum(stop_signal ? 1 : 0);
    if (signals && !stop_signal) stop_signal = SIGTERM;  // another rank was told to stop
  }
  if (!lead) {
    // The sweep's exit status, as rank 0 decides it once the table is written.
    return static_cast<int>(opt.ranks->sum(0));
  }

  // The summary: one row per run, its parameters and its numbers.
  std::vector<std::string> columns{"run", "seed"};
  columns.insert(columns.end(), plan->pointers.begin(), plan->pointers.end());
  columns.insert(columns.end(), {"status", "exit_code", "wall_s"});
  std::vector<std::string> measured;
  std::vector<std::vector<std::pair<std::string, double>>> numbers;
  for (const Outcome& o : outcomes) {
    numbers.push_back(measures(o.manifest));
    for (const auto& [key, value] : numbers.back())
      if (std::find(measured.begin(), measured.end(), key) == measured.end())
        measured.push_back(key);
  }
  for (const auto& m : measured)
    if (std::find(columns.begin(), columns.end(), m) == columns.end()) columns.push_back(m);
  json runs = json::array();
  int failed = 0, complete = 0;
  try {
    io::CsvWriter table(folder->path("sweep.csv"), columns);
    for (std::size_t i = 0; i < plan->runs.size(); ++i) {
      const SweepRun& run = plan->runs[i];
      const Outcome& o = outcomes[i];
      std::vector<io::CsvCell> row{run.name, run.seed ? io::CsvCell(*run.seed) : io::CsvCell("")};
      for (const auto& pointer : plan->pointers) {
        const auto v = std::find_if(run.values.begin(), run.values.end(),
                                    [&](const auto& p) { return p.first == pointer; });
        if (v == run.values.end())
          row.emplace_back("");
        else if (v->second.is_number())
          row.emplace_back(v->second.get<double>());
        else
          row.emplace_back(v->second.is_string() ? v->second.get<std::string>() : v->second.dump());
      }
      row.emplace_back(o.status);
      row.emplace_back(o.exit_code);
      row.emplace_back(o.wall_s);
      for (std::size_t c = row.size(); c < columns.size(); ++c) {
        const auto m = std::find_if(numbers[i].begin(), numbers[i].end(),
                                    [&](const auto& p) { return p.first == columns[c]; });
        if (m == numbers[i].end())
          row.emplace_back("");
        else
          row.emplace_back(m->second);
      }
      table.row(row);
      failed += o.status == "failed";
      complete += o.status == "complete";
      json r = {{"run", run.name}, {"status", o.status}, {"exit_code", o.exit_code}};
      r["seed"] = run.seed ? json(*run.seed) : json(nullptr);
      for (const auto& [pointer, value] : run.values)
        r["values"][pointer] = value;
      runs.push_back(std::move(r));
    }
    table.close();
  } catch (const std::exception& e) {
    std::cerr << "bgsim: cannot write the sweep's table: " << printable(e.what()) << "\n";
    failed += 1;
  }
  const bool stopped = stop_signal != 0;
  manifest["status"] = stopped ? "interrupted" : failed ? "failed" : "complete";
  manifest["wall_time_s"] =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  manifest["complete"] = complete;
  manifest["failed"] = failed;
  manifest["table"] = "sweep.csv";
  manifest["run_list"] = runs;
  try {
    folder->write_manifest(manifest);
  } catch (const std::exception& e) {
    std::cerr << "bgsim: cannot write the sweep's manifest: " << printable(e.what()) << "\n";
    failed += 1;
  }
  if (!opt.quiet)
    std::cout << "bgsim sweep: " << complete << " of " << plan->runs.size() << " runs complete, "
              << failed << " failed; table " << folder->path("sweep.csv").string() << "\n";
  const int status = stopped ? 128 + stop_signal : failed ? 2 : 0;
  if (opt.ranks) opt.ranks->sum(static_cast<std::uint64_t>(status));  // to every rank
  return status;
}

}  // namespace bgsim::cli
