#pragma once
// Ready experiments of the reference agents, run by `bgsim run` from a
// description whose top level names an experiment instead of a network:
//
//   {"name": "...", "seed": 1,
//    "experiment": {"kind": "ramps_demo", "params": {"episodes": 10000}}}
//
// Each kind registers itself (one line, next to its driver) with a function
// that reads its parameters — reporting every mistake with its JSON pointer,
// before anything runs — and returns the run to perform. The run writes its
// traces into the results folder (core/io: .npy and CSV) and returns the
// summary numbers that go into the manifest. tools/plot_experiment.py turns a
// results folder into the experiment's figures.

#include <nlohmann/json.hpp>

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/io/results_folder.hpp"
#include "networks/diagnostics.hpp"
#include "networks/json_reader.hpp"

namespace bgsim {
class Communicator;
}

namespace bgsim::tasks {

struct ExperimentContext {
  const io::ResultsFolder& folder;  // where the traces go
  std::uint64_t seed = 1;           // the description's seed (or --seed)
  int threads = 1;                  // threads for a spiking network (--threads)
  // Set (by Ctrl-C) to stop at the next trial boundary; nullptr: never.
  const std::atomic<bool>* stop = nullptr;
  // Told (trials done, trials in all) after every trial by experiments that
  // run trial by trial; may be empty.
  std::function<void(std::int64_t, std::int64_t)> progress = nullptr;
  // The ranks a spiking network is spread over (mpirun; docs/mpi.md); nullptr:
  // one process. Given only to a kind that spreads over ranks (below). Every
  // rank runs the same experiment; only rank 0 writes into the folder.
  Communicator* communicator = nullptr;
};

// The run of a configured experiment: writes its traces into the folder and
// returns its summary numbers (a JSON object) for the manifest.
using ExperimentRun = std::function<nlohmann::json(const ExperimentContext&)>;

struct ConfiguredExperiment {
  nlohmann::json params;  // every parameter, defaults filled in (for the manifest)
  ExperimentRun run;
  // The run spreads its network over MPI ranks (ExperimentContext::communicator);
  // false: bgsim refuses it under mpirun with more than one rank.
  bool spreads_over_ranks = false;
};

// Reads the experiment's "params" object (the reader points at it; call
// finish() with the valid keys) and returns the configured run; problems go to
// the reader's diagnostics, and the run is not called if there are any.
using ExperimentConfigure = std::function<ConfiguredExperiment(networks::ObjectReader& params)>;
// The same, for a kind whose parameters name files (a network description):
// `directory` is the folder of the experiment file, against which relative
// paths are resolved (as a description's includes are).
using ExperimentConfigureIn = std::function<ConfiguredExperiment(
    networks::ObjectReader& params, const std::filesystem::path& directory)>;

struct ExperimentKind {
  std::string name;
  std::string doc;  // what it reproduces, with the reference
  ExperimentConfigure configure;
  ExperimentConfigureIn configure_in = nullptr;  // used instead of `configure` when set
};

class Experiments {
 public:
  static Experiments& instance() {
    static Experiments registry;
    return registry;
  }
  bool add(ExperimentKind kind);
  const ExperimentKind* find(const std::string& name) const;
  std::vector<std::string> names() const;

 private:
  std::map<std::string, ExperimentKind> kinds_;
};

// Reads an experiment's parameters into the fields of its config struct,
// leaving defaults where a key is absent, and collects the resolved set:
//   ExperimentParams p(reader);
//   p.number("gamma", config.gamma);
//   p.whole("episodes", config.episodes);
//   p.finish();  // unknown keys reported with the nearest valid one
//   return {p.resolved(), run};
class ExperimentParams {
 public:
  explicit ExperimentParams(networks::ObjectReader& reader) : r_(reader) {}
  void number(const std::string& key, double& field);
  void whole(const std::string& key, int& field);
  void seed(const std::string& key, std::uint64_t& field);
  void flag(const std::string& key, bool& field);
  void numbers(const std::string& key, std::vector<double>& field);
  void text(const std::string& key, std::string& field, const std::vector<std::string>& choices);
  // Runs `check` (a config's validate(), throwing std::invalid_argument) and
  // reports its message at the params object.
  template <class F>
  void check(F&& check) {
    try {
      check();
    } catch (const std::invalid_argument& e) {
      r_.error("", e.what());
    }
  }
  void finish() { r_.finish(keys_); }
  bool ok() const { return r_.diagnostics().ok(); }
  const nlohmann::json& resolved() const { return resolved_; }
  networks::ObjectReader& reader() { return r_; }

 private:
  networks::ObjectReader& r_;
  std::vector<std::string> keys_;
  nlohmann::json resolved_ = nlohmann::json::object();
};

// What `bgsim describe KIND` shows of an experiment kind: every parameter with
// the default it takes when the "params" object is empty, and what an empty
// object lacks (required keys, as "pointer: message" under /experiment/params).
struct ExperimentDefaults {
  nlohmann::json params = nlohmann::json::object();
  std::vector<std::string> required;
};
ExperimentDefaults experiment_defaults(const ExperimentKind& kind);

// A read experiment description, ready to run.
struct ExperimentDescription {
  std::string kind;
  std::uint64_t seed = 1;
  nlohmann::json resolved;  // the description with every parameter filled in
  ExperimentRun run;
  bool spreads_over_ranks = false;  // ConfiguredExperiment::spreads_over_ranks
};

// Reads a top-level description with an "experiment" key. Problems go to diag.
// `directory`: the folder of the file it came from (relative paths in it are
// resolved there); empty: the working directory.
ExperimentDescription read_experiment_description(const nlohmann::json& doc,
                                                  networks::Diagnostics& diag,
                                                  const std::filesystem::path& directory = {});

}  // namespace bgsim::tasks
