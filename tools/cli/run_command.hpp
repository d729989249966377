#pragma once
// `bgsim run`, `bgsim compare` and `bgsim validate`.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace bgsim {
class Communicator;
}

namespace bgsim::cli {

struct RunOptions {
  std::string file;
  std::string out;                    // "" -> results/<file stem>
  std::optional<std::uint64_t> seed;  // overrides the description's
  std::optional<double> duration_ms;  // overrides the description's
  std::vector<std::string> sets;      // --set POINTER=VALUE, in order (networks/overrides.hpp)
  int threads = 1;
  bool overwrite = false;
  bool quiet = false;
  // Wall time between two progress lines when stderr is not a terminal [s].
  double progress_every_s = 10.0;
  // Wall time between two flushes of the recordings to disk [s].
  double flush_every_s = 5.0;
  // Simulated time between two checkpoints [ms] (`bgsim run
  // --checkpoint-every`); for `bgsim resume`, overrides the run's.
  std::optional<double> checkpoint_every_ms;
  // `bgsim compare`: the file must be an experiment of this kind ("" any file).
  std::string required_kind;
  // The ranks of an MPI job (`mpirun bgsim run`, docs/mpi.md), or nullptr:
  // one process. Rank 0 writes the results folder.
  Communicator* communicator = nullptr;
};

// Exit status: 0 complete, 1 bad description or output folder, 2 failure
// during the run (a numerical guard, a write error), 130 interrupted by
// Ctrl-C and 143 by SIGTERM (as shells report them: 128 + the signal).
int run_command(const RunOptions& options);
// `bgsim resume DIR` (options.file is the folder): goes on with the run
// whose checkpoint the folder holds, to its end (tools/cli/run_checkpoint.hpp).
int resume_command(const RunOptions& options);
int validate_command(const std::string& file);
// Whether `file` with `sets` applied reads without problems (a network or an
// experiment); the problems, as `validate` prints them, go to `problems`.
bool check_description(const std::string& file, const std::vector<std::string>& sets,
                       std::string& problems);

}  // namespace bgsim::cli
