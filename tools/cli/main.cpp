// bgsim — the command line.
//
//   bgsim run FILE [--out DIR] [--seed N] [--threads T] [--duration-ms MS] [--set PTR=VALUE]...
//             [--overwrite] [--quiet]
//             [--progress-every S] [--flush-every S] [--checkpoint-every MS]
//   bgsim resume DIR [--threads T] [--quiet] [--progress-every S] [--flush-every S]
//             [--checkpoint-every MS]
//   bgsim compare FILE [--out DIR] [--seed N] [--threads T] [--overwrite] [--quiet]
//   bgsim sweep FILE [--out DIR] [--jobs N] [--threads T] [--overwrite] [--quiet]
//   bgsim validate FILE
//   bgsim list
//   bgsim describe NAME      (a model, connection rule or experiment kind)
//
// Built with BGSIM_MPI (preset `mpi`), `mpirun -np R bgsim run FILE` runs one
// network over R ranks, `mpirun -np R bgsim resume DIR` goes on from its
// checkpoint on any rank count (docs/mpi.md), and `mpirun -np R bgsim sweep
// FILE` shares a sweep's runs among R ranks; the other commands run in one
// process.

#include <CLI/CLI.hpp>

#include <iostream>

#include "core/printable.hpp"
#include "tools/cli/catalogue.hpp"
#include "tools/cli/run_command.hpp"
#include "tools/cli/sweep_command.hpp"
#ifdef BGSIM_MPI
#include "tools/mpi/mpi_communicator.hpp"
#endif

int main(int argc, char** argv) {
#ifdef BGSIM_MPI
  bgsim::cli::MpiSession mpi(argc, argv);
  bgsim::cli::MpiCommunicator ranks;
#endif
  CLI::App app{"bgsim " BGSIM_VERSION
               " - event-driven spiking simulator of the basal ganglia and its dopamine system"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("bgsim ") + BGSIM_VERSION);

  bgsim::cli::RunOptions run;
  std::uint64_t seed = 0;
  double duration_ms = 0.0;
  auto* run_cmd = app.add_subcommand(
      "run", "Run a network or an experiment description and write a results folder");
  run_cmd->add_option("FILE", run.file, "network or experiment description (JSON)")
      ->required()
      ->check(CLI::ExistingFile);
  run_cmd->add_option("--out", run.out, "results folder (default results/<file stem>)");
  auto* seed_opt = run_cmd->add_option("--seed", seed, "random seed (overrides the description's)");
  run_cmd->add_option("--threads", run.threads, "OpenMP threads; results do not depend on it")
      ->check(CLI::Range(1, 1024));
  auto* duration_opt = run_cmd->add_option("--duration-ms", duration_ms,
                                           "simulated time [ms] (overrides the description's)");
  run_cmd
      ->add_option("--set", run.sets,
                   "POINTER=VALUE: set one field of the description (a JSON pointer into it, "
                   "includes merged; VALUE is JSON, or else a string), e.g. "
                   "--set /populations/exc/size=2000; repeatable")
      ->allow_extra_args(false);
  run_cmd->add_flag("--overwrite", run.overwrite, "replace an existing results folder");
  run_cmd->add_flag("--quiet", run.quiet, "no progress and no summary");
  run_cmd
      ->add_option("--progress-every", run.progress_every_s,
                   "seconds of wall time between two progress lines when stderr is not a "
                   "terminal (a cluster job's log)")
      ->capture_default_str()
      ->check(CLI::Range(0.01, 1e9));
  run_cmd
      ->add_option("--flush-every", run.flush_every_s,
                   "seconds of wall time between two flushes of the recordings to disk (what a "
                   "killed run keeps: docs/results.md)")
      ->capture_default_str()
      ->check(CLI::Range(0.01, 1e9));

  double checkpoint_every_ms = 0.0;
  auto* checkpoint_opt =
      run_cmd
          ->add_option("--checkpoint-every", checkpoint_every_ms,
                       "simulated time [ms] between two checkpoints in the results folder, from "
                       "which `bgsim resume` goes on after a kill (network runs)")
          ->check(CLI::PositiveNumber);

  bgsim::cli::RunOptions resume;
  double resume_checkpoint_every_ms = 0.0;
  auto* resume_cmd = app.add_subcommand(
      "resume",
      "Go on with a network run that was interrupted, killed or failed, from the last checkpoint "
      "in its results folder (bgsim run --checkpoint-every); the results are those of a run "
      "never stopped");
  resume_cmd->add_option("DIR", resume.file, "results folder of the run")
      ->required()
      ->check(CLI::ExistingDirectory);
  resume_cmd->add_option("--threads", resume.threads, "OpenMP threads; results do not depend on it")
      ->check(CLI::Range(1, 1024));
  resume_cmd->add_flag("--quiet", resume.quiet, "no progress and no summary");
  resume_cmd
      ->add_option("--progress-every", resume.progress_every_s,
                   "seconds of wall time between two progress lines when stderr is not a terminal")
      ->capture_default_str()
      ->check(CLI::Range(0.01, 1e9));
  resume_cmd
      ->add_option("--flush-every", resume.flush_every_s,
                   "seconds of wall time between two flushes of the recordings to disk")
      ->capture_default_str()
      ->check(CLI::Range(0.01, 1e9));
  auto* resume_checkpoint_opt =
      resume_cmd
          ->add_option("--checkpoint-every", resume_checkpoint_every_ms,
                       "simulated time [ms] between two checkpoints (default: the run's)")
          ->check(CLI::PositiveNumber);

  bgsim::cli::RunOptions compare;
  std::uint64_t compare_seed = 0;
  auto* compare_cmd = app.add_subcommand(
      "compare",
      "Run a spiking learner and agents on the same trials (conditioning, bandit, probabilistic "
      "selection) and put their dopamine signals and choices side by side (docs/compare.md)");
  compare_cmd->add_option("FILE", compare.file, "comparison description (JSON, kind \"compare\")")
      ->required()
      ->check(CLI::ExistingFile);
  compare_cmd->add_option("--out", compare.out, "results folder (default results/<file stem>)");
  auto* compare_seed_opt =
      compare_cmd->add_option("--seed", compare_seed, "random seed (overrides the description's)");
  compare_cmd
      ->add_option("--threads", compare.threads, "OpenMP threads; results do not depend on it")
      ->check(CLI::Range(1, 1024));
  compare_cmd
      ->add_option("--set", compare.sets,
                   "POINTER=VALUE: set one field of the description; repeatable")
      ->allow_extra_args(false);
  compare_cmd->add_flag("--overwrite", compare.overwrite, "replace an existing results folder");
  compare_cmd->add_flag("--quiet", compare.quiet, "no progress and no summary");
  compare.required_kind = "compare";

  bgsim::cli::SweepOptions sweep;
  auto* sweep_cmd = app.add_subcommand(
      "sweep",
      "Run one description over seeds and parameter values, each run a results folder of its "
      "own, up to --jobs at a time, and write one summary table (docs/sweeps.md)");
  sweep_cmd->add_option("FILE", sweep.file, "sweep description (JSON, {\"sweep\": {...}})")
      ->required()
      ->check(CLI::ExistingFile);
  sweep_cmd->add_option("--out", sweep.out, "folder of the sweep (default results/<file stem>)");
  sweep_cmd->add_option("--jobs", sweep.jobs, "runs at a time (processes)")
      ->capture_default_str()
      ->check(CLI::Range(1, 1024));
  sweep_cmd->add_option("--threads", sweep.threads, "OpenMP threads of each run")
      ->capture_default_str()
      ->check(CLI::Range(1, 1024));
  sweep_cmd->add_flag("--overwrite", sweep.overwrite,
                      "replace an existing sweep folder and its runs' folders");
  sweep_cmd->add_flag("--quiet", sweep.quiet, "no line per run and no summary");

  std::string validate_file;
  auto* validate_cmd =
      app.add_subcommand("validate", "Check a description; report every problem; run nothing");
  validate_cmd->add_option("FILE", validate_file, "network or experiment description (JSON)")
      ->required()
      ->check(CLI::ExistingFile);

  auto* list_cmd =
      app.add_subcommand("list", "List models, stimuli, synapses and connection rules");

  std::string model;
  auto* describe_cmd = app.add_subcommand(
      "describe",
      "Parameters (unit, default, constraint), state and presets of a model; the keys of a "
      "connection rule; the parameters and defaults of an experiment kind");
  describe_cmd->add_option("NAME", model, "model, connection rule or experiment kind")->required();

  CLI11_PARSE(app, argc, argv);

#ifdef BGSIM_MPI
  if (ranks.size() > 1) {
    if (!run_cmd->parsed() && !resume_cmd->parsed() && !sweep_cmd->parsed()) {
      if (ranks.rank() == 0)
        std::cerr << "bgsim: over several MPI ranks only `bgsim run` of a network and `bgsim "
                     "resume` (one network spread over the ranks) and `bgsim sweep` (its runs "
                     "shared among the ranks) run (docs/mpi.md); run the other commands without "
                     "mpirun\n";
      return 1;
    }
    run.communicator = &ranks;
    resume.communicator = &ranks;
    sweep.ranks = &ranks;
  }
#endif
  try {
    if (run_cmd->parsed()) {
      if (*seed_opt) run.seed = seed;
      if (*duration_opt) run.duration_ms = duration_ms;
      if (*checkpoint_opt) run.checkpoint_every_ms = checkpoint_every_ms;
      return bgsim::cli::run_command(run);
    }
    if (resume_cmd->parsed()) {
      if (*resume_checkpoint_opt) resume.checkpoint_every_ms = resume_checkpoint_every_ms;
      return bgsim::cli::resume_command(resume);
    }
    if (compare_cmd->parsed()) {
      if (*compare_seed_opt) compare.seed = compare_seed;
      return bgsim::cli::run_command(compare);
    }
    if (sweep_cmd->parsed()) return bgsim::cli::sweep_command(sweep);
    if (validate_cmd->parsed()) return bgsim::cli::validate_command(validate_file);
    if (list_cmd->parsed()) {
      bgsim::cli::list_everything(std::cout);
      return 0;
    }
    if (describe_cmd->parsed()) return bgsim::cli::describe(model, std::cout, std::cerr) ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << "bgsim: " << bgsim::printable(e.what()) << "\n";
    return 2;
  }
  return 0;
}
