#pragma once
// A network description: one JSON document (see docs/description.md)
// read into plain structs, every mistake reported at once with its JSON
// pointer, and written back out fully resolved (every default filled in) for
// the manifest. Reading checks everything that can be checked without
// building: model and parameter names and values, references between
// sections, connection-rule feasibility, delays against the resolution.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/parameters.hpp"
#include "networks/connection_arrays.hpp"
#include "networks/connection_rules.hpp"
#include "networks/diagnostics.hpp"
#include "networks/json_reader.hpp"
#include "networks/value_spec.hpp"

namespace bgsim::networks {

// Neurons are numbered with 32 bits (gids): a network holds at most this many.
inline constexpr std::uint64_t max_neurons = 0xFFFFFFFFu;

struct PopulationSpec {
  std::string name;
  std::string model;
  std::string preset;  // "" for none
  std::uint64_t size = 0;
  ParamMap params;  // as given (the resolved set is in the manifest)
  std::vector<std::pair<std::string, ValueSpec>> initial;  // state variable -> value per neuron
  std::string neuromodulator;  // the volume whose level the population reads; "" for none
  // The highest mean rate per neuron the run may reach over a guard window
  // [Hz] (core/guards.hpp); none: the description's guards.max_rate_Hz.
  std::optional<double> max_rate_Hz;
};

// The numerical guards of a run (core/guards.hpp, docs/description.md).
struct GuardSpec {
  bool finite = true;                 // stop on NaN or infinite state, weights, levels
  double interval_ms = 100.0;         // simulated time between checks [ms]
  std::optional<double> max_rate_Hz;  // bound of every population without its own [Hz]
};

struct SynapseSpec {
  std::string model = "static";                 // "static" or a registered plasticity rule
  ValueSpec weight = ValueSpec::constant(1.0);  // in the unit of the target receptor
  ValueSpec delay_ms = ValueSpec::constant(1.0);
  std::string receptor;              // resolved: never empty after reading
  ParamMap params;                   // of the plasticity rule, as given
  std::string neuromodulator;        // the volume a dopamine rule reads (resolved when only one)
  std::string precision = "single";  // weight storage: single (16 B/synapse) or double (24 B)
};

// Pulses contingent on the pairing of the two neurons of one chosen synapse
// (models/reward_contingency.hpp): the synapse is the `synapse`-th of neuron
// `source` in the projection's order (by target).
struct ContingencySpec {
  std::string projection;
  std::uint32_t source = 0;
  std::uint32_t synapse = 0;
  std::optional<double> initial_weight;  // of the chosen synapse
  ParamMap params;                       // window_ms, delay_min_ms, delay_max_ms, amount
};

// Pulses at Poisson times (a non-contingent control).
struct RandomPulsesSpec {
  double rate_Hz = 0.0;
  double amount = 0.5;
  double start_ms = 0.0;
  double stop_ms = -1.0;  // < 0: the description's duration
};

// A dopamine volume (core/neuromodulator.hpp): its level is driven by the
// spikes of `source`, by pulses at given times, by a reward contingency and by
// random pulses.
struct NeuromodulatorSpec {
  std::string name;
  std::string type = "dopamine";
  std::string source;  // population; "" for none
  ParamMap params;
  std::vector<std::pair<double, double>> pulses;  // (time_ms, amount)
  std::optional<ContingencySpec> contingency;
  std::optional<RandomPulsesSpec> random_pulses;
  // The source's tonic rate per neuron, as stated by the description [Hz];
  // gives the volume's tonic level (tonic_level()).
  std::optional<double> tonic_rate_Hz;
  // The level at time 0, resolved ("tonic", "baseline" or a number); none:
  // the baseline.
  std::optional<double> initial;
};

struct ProjectionSpec {
  std::string name;
  std::string source, target;
  ConnectionRule rule;
  SynapseSpec synapse;
  // "rule": "explicit": the synapses as given (networks/connection_arrays.hpp)
  std::optional<ConnectionArrays> connections;
};

struct StimulusSpec {
  std::string name;
  std::string model;
  std::string target;                // the first of `targets`
  std::vector<std::string> targets;  // more than one only for devices that span populations
  std::string receptor;              // resolved from the device's default when not given
  std::string neuromodulator;        // the volume a device that sends dopamine pulses goes to
  ParamMap params;
};

struct RecorderSpec {
  std::string name;
  // "spikes", "state", "weight_recorder", "neuromodulator" or "connections"
  // (a projection's synapses at the end of the run)
  std::string type;
  std::string population;                       // spikes and state
  std::string variable;                         // state; weight_recorder: "weight" or "eligibility"
  std::vector<std::uint32_t> neurons;           // empty: all
  double interval_ms = 1.0;                     // every sampled kind
  std::string projection;                       // weight_recorder, connections
  std::vector<std::uint32_t> sources, targets;  // weight_recorder: empty: all
  std::string neuromodulator;                   // neuromodulator
  // spikes: the file formats written, "npy" always; "sonata" adds the
  // population's group to spikes.h5 (core/io/sonata.hpp) when the run completes
  std::vector<std::string> formats{"npy"};
  bool sonata() const;
};

struct NetworkSpec {
  double resolution_ms = 0.1;
  std::uint64_t seed = 1;
  double duration_ms = 1000.0;
  std::vector<PopulationSpec> populations;
  std::vector<ProjectionSpec> projections;
  std::vector<StimulusSpec> stimuli;
  std::vector<RecorderSpec> recorders;
  std::vector<NeuromodulatorSpec> neuromodulators;
  GuardSpec guards;

  const PopulationSpec* population(const std::string& name) const;
  const NeuromodulatorSpec* neuromodulator(const std::string& name) const;
  const ProjectionSpec* projection(const std::string& name) const;
};

// The mean level a volume holds while its source fires at its stated tonic
// rate r (tonic_rate_Hz): d_tonic = d0 + k · N · r · τ_d (d0 the baseline,
// k the increment per spike, N the source's size, τ_d in s) — the mean of
// the level's shot noise for any stationary spike train of that rate
// (Campbell's theorem). None without a stated rate.
std::optional<double> tonic_level(const NeuromodulatorSpec& volume, const NetworkSpec& spec);

// Per volume: its source, stated tonic rate, baseline, tonic level (null
// without a stated rate) and initial level — for the manifest and `bgsim
// validate`, so a user reads the levels instead of computing them.
json dopamine_levels(const NetworkSpec& spec);

// Reads a description (includes already merged, see loader.hpp). Problems go
// to `diag`; the returned spec is meaningful only if diag.ok().
// `origin` maps top-level entries to the file they came from, for messages.
NetworkSpec read_network(const json& doc, Diagnostics& diag,
                         const std::map<std::string, std::string>& origin = {});

// The description with every default filled in: what was run.
json resolved_json(const NetworkSpec& spec);

}  // namespace bgsim::networks
