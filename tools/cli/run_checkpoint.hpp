#pragma once
// The checkpoint of a network run: `checkpoint.bgsim` in its results folder
// (`bgsim run --checkpoint-every MS`, `bgsim resume DIR`; docs/reliability.md).
//
// What it holds, in this order:
//   1. a header: the format, the bgsim version that wrote it, and what the
//      run was (the description as loaded, includes merged; the seed and
//      duration it ran with; a fingerprint of the resolved description);
//   2. the simulator's whole state (Simulator::save: neurons, synapses,
//      spikes in flight, dopamine, recorders, pending events, counters);
//   3. the results files' state (FileSink::save: each file's rows).
// A resumed run rebuilds the network from 1, checks that it resolves to the
// same fingerprint, loads 2 and takes the data files up again at 3, cut to
// the rows the checkpoint counted; from there it is the run that was never
// stopped, bit for bit.
//
// The file is replaced atomically (core/io/atomic_stream.hpp): a kill, a
// crash or a full disk while one is written leaves the one before. It is for
// the bgsim version and machine that wrote it (native byte order); any other
// version is refused by name, never read into the wrong structures.

#include <cstdint>
#include <filesystem>
#include <istream>
#include <memory>
#include <string>

#include "core/io/results_folder.hpp"
#include "core/simulator.hpp"

namespace bgsim::cli {

inline constexpr const char* run_checkpoint_name = "checkpoint.bgsim";

// What a run was: enough to build it again.
struct RunRecipe {
  std::string document;          // the description, includes merged (JSON text)
  std::string description_file;  // its file name, for the manifest
  std::uint64_t seed = 0;
  double duration_ms = 0.0;
  double checkpoint_every_ms = 0.0;
  std::uint64_t fingerprint = 0;  // of the resolved description (description_fingerprint)
};

// FNV-1a of the resolved description's text: two builds of one recipe agree.
std::uint64_t description_fingerprint(const std::string& resolved_text);

// Writes the checkpoint of `sim` at its current step, atomically. The sink
// must have been synced at this step (the recorders flushed first).
// Over several ranks every rank calls it at the same point (Simulator::save
// is a collective) and rank 0 writes the one checkpoint of one process;
// rank 0 makes the collective even when the file cannot be opened.
void write_run_checkpoint(const io::ResultsFolder& folder, const RunRecipe& recipe, Simulator& sim,
                          const io::FileSink& sink);
// A rank other than 0's half of write_run_checkpoint: its part, to rank 0.
void write_rank_checkpoint(Simulator& sim);

// A checkpoint opened for reading: the recipe first, the states after it.
class RunCheckpointReader {
 public:
  // Opens `folder`'s checkpoint and reads its header; throws a message for a
  // missing file, another format or bgsim version, or a corrupt header.
  explicit RunCheckpointReader(const std::filesystem::path& folder);
  const RunRecipe& recipe() const { return recipe_; }
  Step step() const { return step_; }  // where the checkpoint was written
  // Loads the simulator's state, then takes the data files up again; `sim`
  // and `sink` built and registered from the recipe. Returns the names of
  // the files taken up.
  std::set<std::string> restore(Simulator& sim, io::FileSink& sink);
  // The two halves of restore(): over several ranks every rank loads the
  // state (a collective) and rank 0 alone takes the files up.
  void restore_state(Simulator& sim);
  std::set<std::string> resume_files(io::FileSink& sink);

 private:
  std::filesystem::path path_;
  std::unique_ptr<std::istream> in_;
  RunRecipe recipe_;
  Step step_ = 0;
};

}  // namespace bgsim::cli
