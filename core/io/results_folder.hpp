#pragma once
// The results folder of a run, and the record sink that fills it.
//
// Layout (docs/results.md is the user's reference):
//   manifest.json              the run: description, seed, version, counts, and
//                              "status": running | complete | interrupted | failed
//   <rec>_spikes.npy           per spike recorder: records (time_ms <f8, neuron <u4)
//   <rec>.npy                  per state recorder: float64 [samples, neurons]
//   <rec>_times.npy            its sample times, float64 [samples], ms
//   <rec>_neurons.npy          its columns: local neuron indices, uint32 [neurons]
//   <rec>.npy, <rec>_times.npy per weight recorder: float64 [samples, synapses]
//   <rec>_sources.npy          its columns' synapses: local source and target
//   <rec>_targets.npy          indices, uint32 [synapses] each
//   <rec>.npy, <rec>_times.npy per neuromodulator recorder: float64 [samples]
//   spikes.h5                  SONATA spikes of the spike recorders that ask for
//                              it (core/io/sonata.hpp), made when the run completes
//   spike_counts.csv           per spike recorder: spikes, neurons, mean rate
//   <rec>.npy                  per connections recorder, at the end: records
//                              (source <u4, target <u4, weight <f8, delay_ms <f8)
//   <table>.csv                per table an observer leaves (a stimulus log)
//
// A folder is whole only when its manifest says so. The order that makes this
// true, whatever happens to the process:
//   1. ResultsFolder(dir) writes manifest.json = {"status": "running"} first;
//   2. data files are written under hidden temporary names while the run goes;
//   3. FileSink::finish() gives every data file its name (each rename atomic);
//   4. only then is the final manifest written (atomically), with its status.
// A run killed before 4 leaves a manifest that says "running"; a run stopped
// by Ctrl-C finishes with "interrupted" and files that hold the run up to the
// time reached; no data file ever carries its final name half-written.
//
// Streaming: while the run goes, sync() makes every temporary .npy file a
// valid array of all rows handed over so far (rows first, then the header:
// core/io/npy.hpp). The caller hands the recorders' buffers over first
// (Simulator::flush_recorders) and then writes the "running" manifest, whose
// "results" section (manifest_section) says up to when the files are
// complete ("time_flushed_ms") and where they are ("partial_files"): a run
// killed by SIGKILL, a crash or a power cut (writes not yet on the disk
// aside) leaves everything up to its last sync readable.
//
// Typical use by the command line:
//   io::ResultsFolder folder(out_dir, overwrite);
//   io::FileSink sink(folder, sim.resolution());
//   sink.add_spike_recorder(*rec, sim.population(rec->population()));  // for each
//   sim.add_spike_recorder(std::move(rec));
//   sim.set_sink(&sink);
//   ... sim.run(steps) ...
//   sim.flush_recorders();
//   sink.finish(io::RunStatus::complete, sim.now());
//   manifest["status"] = "complete";
//   manifest["results"] = sink.manifest_section();
//   folder.write_manifest(manifest);

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/io/csv.hpp"
#include "core/io/npy.hpp"
#include "core/observer.hpp"
#include "core/population.hpp"
#include "core/projection.hpp"
#include "core/recorder.hpp"
#include "core/time.hpp"

namespace bgsim::io {

enum class RunStatus { running, complete, interrupted, failed };
std::string_view to_string(RunStatus status);
std::optional<RunStatus> parse_run_status(std::string_view text);

// Why `stem` cannot start a file name in a results folder, or nullopt if it
// can: letters, digits, '_', '-', '.', not starting with '.', at most 200
// characters. For the description layer, to refuse a recorder name early.
std::optional<std::string> file_stem_error(std::string_view stem);

class ResultsFolder {
 public:
  static constexpr std::string_view manifest_name = "manifest.json";

  // Creates `dir` (with its parents) and writes the "running" manifest.
  // Copies refer to the same folder.
  // An existing folder that holds anything is refused unless `overwrite`; with
  // `overwrite` it must be a results folder (hold a manifest.json; anything
  // else is refused, to protect a folder given by mistake), and what a run
  // writes is removed first: manifest.json, *.npy, *.csv, unfinished
  // temporaries and the plots/ folder's *.png. Other files are left alone.
  explicit ResultsFolder(std::filesystem::path dir, bool overwrite = false);
  // The folder of an earlier run, to go on with it (bgsim resume): it must
  // hold a manifest.json; nothing is written or removed.
  static ResultsFolder reopen(std::filesystem::path dir);
  // The folder that another process writes (rank 0 of a run over MPI ranks,
  // docs/mpi.md): it names the folder, and nothing is created, checked or
  // written. The other ranks hold one so that they run the same code.
  static ResultsFolder written_elsewhere(std::filesystem::path dir) {
    return ResultsFolder(std::move(dir), Existing{});
  }

  const std::filesystem::path& dir() const { return dir_; }
  // The path of `file_name` in the folder; refuses names with a folder part.
  std::filesystem::path path(std::string_view file_name) const;

  // Writes manifest.json atomically (pretty-printed). `manifest` must be an
  // object whose "status" is one of the RunStatus names.
  void write_manifest(const nlohmann::json& manifest) const;
  // Reads a folder's manifest; throws naming the file if absent or malformed.
  static nlohmann::json read_manifest(const std::filesystem::path& dir);

  // Removes every file a run writes (as --overwrite does: data files, tables,
  // unfinished temporaries, checkpoints) except the manifest and the files
  // named in `keep`: the leftovers of a killed run once the files a resumed
  // run goes on with are taken up.
  void remove_run_files_except(const std::set<std::string>& keep) const;

 private:
  struct Existing {};
  ResultsFolder(std::filesystem::path dir, Existing) : dir_(std::move(dir)) {}
  std::filesystem::path dir_;
};

// What a spike recording needs beyond the spikes: where local indices start
// and how many neurons it covers (for rates).
struct SpikeRecording {
  std::string recorder;
  std::string population;
  std::uint32_t gid_offset = 0;     // first global id of the population
  std::size_t population_size = 0;  // neurons in the population
  std::size_t neurons = 0;          // neurons recorded (population_size when all)
};

struct StateRecording {
  std::string recorder;
  std::string population;
  std::string variable;
  std::string unit;                    // of the variable ("mV", "pA", "1")
  std::vector<std::uint32_t> neurons;  // local indices: the columns, in order
  double interval_ms = 0.0;            // between samples
};

// The synapses a weight recorder samples: its columns.
struct SynapseRecording {
  std::string recorder;
  std::string projection;
  std::string model;     // synapse model
  std::string variable;  // "weight" or "eligibility"
  std::string unit;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> synapses;  // (source, target), local
  double interval_ms = 0.0;
};

struct NeuromodulatorRecording {
  std::string recorder;
  std::string neuromodulator;
  double interval_ms = 0.0;
};

// A RecordSink that writes the data files of a results folder as the run goes,
// holding no more than one block of rows in memory.
class FileSink final : public RecordSink {
 public:
  FileSink(const ResultsFolder& folder, Resolution resolution);
  ~FileSink() override;  // without finish(): every unfinished file is removed

  // Registration, before the run. The recorder's population must already be
  // in the simulator (its gid offset is fixed then). Each opens its files.
  void add_spike_recorder(const SpikeRecorder& recorder, const Population& population);
  void add_state_recorder(const StateRecorder& recorder, const Population& population);
  void add_spike_recording(SpikeRecording recording);
  void add_state_recording(StateRecording recording);
  // Registration of a weight recorder: after the simulation is prepared (its
  // columns are known then; Simulator::run prepares, or call it with 0 steps).
  void add_synapse_recorder(const SynapseRecorder& recorder, const Projection& projection,
                            const Population& target);
  // The same with the columns given (over several ranks, every rank's:
  // Simulator::recorded_synapses).
  void add_synapse_recorder(const SynapseRecorder& recorder, const Projection& projection,
                            const Population& target,
                            std::vector<std::pair<std::uint32_t, std::uint32_t>> synapses);
  void add_synapse_recording(SynapseRecording recording);
  void add_neuromodulator_recording(NeuromodulatorRecording recording);
  // Also writes the spikes of this (registered) spike recorder into the SONATA
  // file spikes.h5, group /spikes/<population>, once a run completes:
  // finish() makes it from the closed .npy (core/io/sonata.hpp). Throws if
  // this build has no HDF5, or another recorder already gives the population.
  void add_sonata_spikes(const std::string& recorder);
  static constexpr std::string_view sonata_spikes_name = "spikes.h5";
  // Writes a projection's synapses (saved_connections(), core/projection.hpp)
  // as <recorder>.npy at once (after the run and before finish()): a record
  // array source <u4, target <u4 (local indices), weight <f8, delay_ms <f8
  // (whole steps times dt), in the canonical order. It is what a projection
  // with "rule": "explicit" reads back; the manifest lists it under
  // "recordings" (kind "connections").
  void add_connections(const std::string& recorder, const std::string& projection,
                       const std::string& model, const ConnectionList& connections);
  // Writes `table` as <name>.csv at once (an observer's log, after the run and
  // before finish()); the manifest's "tables" lists it.
  void add_table(const ResultTable& table);

  void spikes(const std::string& recorder, std::span<const SpikeEvent> spikes) override;
  void samples(const std::string& recorder, std::span<const Step> steps,
               std::span<const double> values, std::size_t width) override;

  // Makes every data file written so far readable under its temporary name:
  // the files hold every row handed over up to now, which the caller states
  // as `flushed`, the step up to which the recorders have handed everything
  // over (Simulator::flush_recorders at an epoch boundary, Simulator::now()).
  void sync(Step flushed);

  // Closes every data file, each renamed to its final name, and writes
  // spike_counts.csv (and, for a complete run, spikes.h5); `reached` is the step the run stopped at
  // (Simulator::now()). Flush the recorders first (Simulator::flush_recorders). Write the manifest
  // after this, never before. Called once; the sink takes no data afterwards.
  // A file that cannot be closed (a full disk) keeps its temporary name and
  // what its last sync() made valid, and is listed in "partial_files"; the
  // others are closed all the same, then the first error is rethrown.
  void finish(RunStatus status, Step reached);
  bool finished() const { return finished_; }

  // The manifest's "results" object: resolution, status and time reached
  // (once finished), and per recorder its files, columns, units and counts.
  // While running, also "time_flushed_ms" (the last sync's time, null before
  // the first) and "partial_files" (final name -> temporary name of every
  // data file). The plotting tool reads it (tools/plot_results.py).
  nlohmann::json manifest_section() const;

  // Checkpoints (bgsim resume). save() writes, per data file, its name, its
  // temporary name and its rows: call it right after sync(), when the files
  // hold exactly those rows. resume(), on a sink whose recorders were
  // registered as in the run that saved it, takes those files up again (cut
  // to the saved rows: a killed run may have written more) in place of the
  // fresh ones, after checking all of them; `flushed` is the checkpoint's
  // step. Returns the names of the files it took up.
  void save(CheckpointWriter& w) const;
  std::set<std::string> resume(CheckpointReader& r, Step flushed);

 private:
  std::vector<NpyWriter*> writers() const;  // every data file, in registration order
  struct SpikeFile {
    SpikeRecording info;
    std::unique_ptr<NpyWriter> writer;
    std::vector<std::byte> block;  // packed records of one call
    bool sonata = false;           // also in spikes.h5
    bool sonata_written = false;
  };
  struct StateFile {
    StateRecording info;
    std::unique_ptr<NpyWriter> values, times, neurons;
    std::vector<double> block_times;
  };
  // Weight and neuromodulator recorders: a trace of `width` columns.
  struct TraceFile {
    std::string kind;     // "synapses" or "neuromodulator"
    nlohmann::json info;  // what the manifest says about it, besides files and samples
    std::size_t width = 0;
    std::unique_ptr<NpyWriter> values, times, sources, targets;
    std::vector<double> block_times;
  };
  std::filesystem::path claim(const std::string& recorder, const std::string& file_name);
  void write_spike_counts() const;
  void write_sonata();
  void check_open(const std::string& what) const;

  ResultsFolder folder_;
  Resolution resolution_;
  std::map<std::string, SpikeFile> spike_files_;
  std::map<std::string, StateFile> state_files_;
  std::map<std::string, TraceFile> trace_files_;
  enum class Kind { spikes, state, trace };
  std::vector<std::pair<Kind, std::string>> order_;  // as registered
  std::map<std::string, std::string> file_owner_;    // file name -> recorder
  std::map<std::string, std::string> tables_;        // table name -> file name
  std::vector<nlohmann::json> connection_files_;     // their manifest entries, as written
  std::optional<RunStatus> status_;
  Step reached_ = 0;
  std::optional<Step> flushed_;              // the step of the last sync()
  std::vector<const NpyWriter*> abandoned_;  // files that could not be closed
  bool finished_ = false;
};

}  // namespace bgsim::io
