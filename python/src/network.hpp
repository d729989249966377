#pragma once
// A network run from Python: a description read into its spec, built on the
// first run with the seed and thread count of the moment, and run on piece by
// piece — the pieces change nothing (Determinism.SplittingARunChangesNothing),
// so run(a) then run(b) equals run(a + b). Built as `bgsim run` builds it
// (networks::build, recorders attached after a run of zero steps), so the
// numbers are the CLI's. Plain C++: the binding (module.cpp) adds the GIL and
// Ctrl-C around run().

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/simulator.hpp"
#include "networks/description.hpp"
#include "python/src/recordings.hpp"

namespace bgsim::python {

// One recorder of the built network, described as the manifest describes it.
struct RecorderInfo {
  std::string name;
  std::string type;                    // "spikes", "state", "weight_recorder", "neuromodulator"
  std::string source;                  // population, projection or neuromodulator recorded
  std::string variable;                // state and weight recorders
  std::string unit;                    // of the recorded values
  double interval_ms = 0.0;            // sampled kinds
  std::vector<std::uint32_t> neurons;  // spikes, state: recorded neurons (local indices)
  std::vector<std::uint32_t> sources;  // weight recorders: per column, local source index
  std::vector<std::uint32_t> targets;  // and local target index
};

class Network {
 public:
  Network(networks::NetworkSpec spec, nlohmann::json document);

  const networks::NetworkSpec& spec() const { return spec_; }
  const nlohmann::json& document() const { return document_; }
  nlohmann::json resolved() const { return networks::resolved_json(spec_); }

  // The seed keys every random draw of the build and the run: it can change
  // only before the network is built (or after reset()).
  std::uint64_t seed() const { return spec_.seed; }
  void set_seed(std::uint64_t seed);
  // Threads may change at any time; results do not depend on them.
  int threads() const { return threads_; }
  void set_threads(int threads);

  bool built() const { return sim_ != nullptr; }
  void build();
  // Forgets the simulation and its recordings: the next run builds afresh
  // and starts at time 0.
  void reset();

  // Whole steps in `ms` (rounded like every duration); throws for a time
  // that is negative, not finite or beyond what a run can count.
  Step steps_in(double ms) const;
  // The steps left to the description's duration_ms (0 once beyond it).
  Step steps_left() const;
  // Runs `steps` from now; `stop`, polled at every epoch boundary, ends it
  // early. Every recorder's data is in recordings() afterwards, whatever
  // stopped the run. Returns the steps run.
  Step run(Step steps, const std::atomic<bool>* stop);

  double now_ms() const { return sim_ ? sim_->now_ms() : 0.0; }
  Simulator& simulator();
  Recordings& recordings();
  const std::vector<RecorderInfo>& recorders() const;  // after build()
  const RecorderInfo& recorder(const std::string& name, const std::string& type) const;

 private:
  networks::NetworkSpec spec_;
  nlohmann::json document_;  // as given, includes merged
  int threads_ = 1;
  std::unique_ptr<Simulator> sim_;
  std::unique_ptr<Recordings> recordings_;
  std::vector<RecorderInfo> recorders_;
};

}  // namespace bgsim::python
