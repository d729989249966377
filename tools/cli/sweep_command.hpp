#pragma once
// `bgsim sweep FILE`: the runs of a sweep plan (tools/cli/sweep_plan.hpp),
// each a `bgsim run` in a process of its own, up to --jobs at a time, each
// writing a normal results folder; then one summary table (docs/sweeps.md).
// Under mpirun (`ranks`), rank r of R takes runs r, r + R, r + 2R, …, each
// still a process of its own, and rank 0 writes the folder and the table.

#include <string>

#include "core/communicator.hpp"

namespace bgsim::cli {

struct SweepOptions {
  std::string file;
  std::string out;  // "" -> results/<file stem>
  int jobs = 1;     // runs at a time
  int threads = 1;  // threads of each run
  bool overwrite = false;
  bool quiet = false;
  Communicator* ranks = nullptr;  // the MPI ranks sharing the runs (nullptr: this process)
};

// Exit status: 0 every run complete, 1 a bad sweep file or folder, 2 a run
// failed (the others went on), 130 / 143 stopped by Ctrl-C / SIGTERM.
int sweep_command(const SweepOptions& options);

}  // namespace bgsim::cli
