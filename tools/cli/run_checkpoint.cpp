#include "tools/cli/run_checkpoint.hpp"

#include <fstream>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <streambuf>

#include "core/checkpoint.hpp"
#include "core/io/atomic_stream.hpp"
#include "core/printable.hpp"

namespace bgsim::cli {

namespace {

constexpr const char* magic = "bgsim-run-checkpoint";
constexpr std::uint32_t format = 1;

}  // namespace

std::uint64_t description_fingerprint(const std::string& resolved_text) {
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char c : resolved_text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

namespace {

// Takes every byte and keeps none: the stream a rank other than 0 saves
// into (rank 0 alone writes the checkpoint, Simulator::save).
class DiscardBuffer : public std::streambuf {
 protected:
  int overflow(int c) override { return traits_type::not_eof(c); }
  std::streamsize xsputn(const char*, std::streamsize n) override { return n; }
};

void save_nowhere(Simulator& sim) {
  DiscardBuffer discard;
  std::ostream out(&discard);
  sim.save(out);
}

}  // namespace

void write_run_checkpoint(const io::ResultsFolder& folder, const RunRecipe& recipe, Simulator& sim,
                          const io::FileSink& sink) {
  std::optional<io::AtomicOstream> out;
  try {
    out.emplace(folder.path(run_checkpoint_name));
    CheckpointWriter w(*out);
    w.section(magic);
    w.value(format);
    w.string(BGSIM_VERSION);
    w.string(recipe.document);
    w.string(recipe.description_file);
    w.value(recipe.seed);
    w.value(recipe.duration_ms);
    w.value(recipe.checkpoint_every_ms);
    w.value(recipe.fingerprint);
    w.value(sim.now());
  } catch (...) {
    if (sim.ranks() > 1) save_nowhere(sim);  // the collective the other ranks make
    throw;
  }
  sim.save(*out);
  CheckpointWriter w(*out);
  sink.save(w);
  out->commit();
}

void write_rank_checkpoint(Simulator& sim) {
  save_nowhere(sim);
}

RunCheckpointReader::RunCheckpointReader(const std::filesystem::path& folder)
    : path_(folder / run_checkpoint_name) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path_, ec))
    throw std::runtime_error(folder.string() + " holds no " + run_checkpoint_name +
                             ": the run was stopped before its first checkpoint, or ran "
                             "without --checkpoint-every; run it again");
  auto file = std::make_unique<std::ifstream>(path_, std::ios::binary);
  if (!*file) throw std::runtime_error("cannot read " + path_.string());
  in_ = std::move(file);
  CheckpointReader r(*in_);
  const std::string where = path_.string() + ": ";
  try {
    if (r.string() != magic) throw std::runtime_error("not a bgsim run checkpoint");
  } catch (const std::runtime_error&) {
    throw std::runtime_error(where + "not a bgsim run checkpoint");
  }
  const auto got_format = r.value<std::uint32_t>();
  if (got_format != format)
    throw std::runtime_error(where + "a checkpoint of format " + std::to_string(got_format) +
                             "; this bgsim reads format " + std::to_string(format));
  const std::string version = r.string();
  if (version != BGSIM_VERSION)
    throw std::runtime_error(where + "written by bgsim " + printable(version) +
                             "; this is bgsim " BGSIM_VERSION
                             ", which does not read another version's checkpoints (resume with "
                             "the version that wrote it, or run again)");
  recipe_.document = r.string(std::uint64_t{1} << 34);  // a description of up to 16 GiB
  recipe_.description_file = r.string();
  recipe_.seed = r.value<std::uint64_t>();
  recipe_.duration_ms = r.value<double>();
  recipe_.checkpoint_every_ms = r.value<double>();
  recipe_.fingerprint = r.value<std::uint64_t>();
  step_ = r.value<Step>();
}

std::set<std::string> RunCheckpointReader::restore(Simulator& sim, io::FileSink& sink) {
  restore_state(sim);
  return resume_files(sink);
}

void RunCheckpointReader::restore_state(Simulator& sim) {
  sim.load(*in_);
  if (sim.now() != step_) throw std::runtime_error(path_.string() + ": corrupt checkpoint");
}

std::set<std::string> RunCheckpointReader::resume_files(io::FileSink& sink) {
  CheckpointReader r(*in_);
  return sink.resume(r, step_);
}

}  // namespace bgsim::cli
