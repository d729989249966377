#include "networks/memory_estimate.hpp"

#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdio>

#include "core/event_queue.hpp"
#include "core/recorder.hpp"
#include "core/registry.hpp"
#include "networks/builder.hpp"

namespace bgsim::networks {

namespace {

// Bytes per neuron of a model's state: one double per state variable, and 8
// for what is not a double (refractory counters) — read from a population of
// one neuron, so a model needs to declare nothing.
double state_bytes(const std::string& model) {
  try {
    return 8.0 +
           8.0 * static_cast<double>(make_population(model, "probe", 1, {})->state_vars().size());
  } catch (const std::exception&) {
    return 8.0;
  }
}

double receptor_count(const std::string& model) {
  try {
    return static_cast<double>(make_population(model, "probe", 0, {})->receptors().size());
  } catch (const std::exception&) {
    return 1.0;
  }
}

// Bytes per synapse of a projection: the static layout (4 bytes when one
// weight and one delay are given for all: core/projection.hpp; explicit
// arrays may carry their own, so they count 12), or the layout its
// plasticity rule and precision give (read from an empty projection).
double synapse_bytes(const ProjectionSpec& pr) {
  const SynapseSpec& s = pr.synapse;
  if (s.model == "static")
    return pr.rule.rule != "explicit" && s.weight.is_constant() && s.delay_ms.is_constant() ? 4.0
                                                                                            : 12.0;
  const SynapseModel* rule = SynapseModels::instance().find(s.model);
  if (!rule) return 12.0;
  try {
    SynapseModelArgs args;
    args.name = "probe";
    args.volume = 0;  // never read: the projection is not bound
    args.double_precision = s.precision == "double";
    return static_cast<double>(rule->create(std::move(args))->bytes_per_synapse());
  } catch (const std::exception&) {
    return 16.0;
  }
}

// The number of synapses a rule makes, on average.
double expected_synapses(const ConnectionRule& r, double ns, double nt, bool same) {
  const double autapses = same && !r.allow_autapses ? std::min(ns, nt) : 0.0;
  if (r.rule == "all_to_all") return ns * nt - autapses;
  if (r.rule == "one_to_one") return same && !r.allow_autapses ? 0.0 : ns;
  if (r.rule == "fixed_probability" || r.rule == "pairwise_bernoulli")
    return r.p * (ns * nt - autapses);
  if (r.rule == "fixed_indegree") return static_cast<double>(r.indegree) * nt;
  if (r.rule == "fixed_outdegree") return static_cast<double>(r.outdegree) * ns;
  if (r.rule == "fixed_total_number" || r.rule == "explicit") return static_cast<double>(r.n);
  return 0.0;
}

std::string count(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, x < 1e7 ? "%.0f" : "%.3g", x);
  return buf;
}

}  // namespace

const MemoryPart* MemoryEstimate::largest() const {
  const auto it = std::max_element(parts.begin(), parts.end(),
                                   [](const auto& a, const auto& b) { return a.bytes < b.bytes; });
  return it == parts.end() ? nullptr : &*it;
}

std::string format_bytes(double bytes) {
  static const char* units[] = {"bytes", "kB", "MB", "GB", "TB", "PB", "EB"};
  std::size_t u = 0;
  while (bytes >= 1000.0 && u + 1 < std::size(units)) {
    bytes /= 1000.0;
    ++u;
  }
  char buf[48];
  if (u == 0)
    std::snprintf(buf, sizeof buf, "%.0f bytes", bytes);
  else
    std::snprintf(buf, sizeof buf, "%.3g %s", bytes, units[u]);
  return buf;
}

std::string MemoryEstimate::summary() const {
  return "about " + format_bytes(total()) + " (neurons " + format_bytes(neurons) +
         ", input buffers " + format_bytes(buffers) + ", synapses " + format_bytes(synapses) +
         ", building " + format_bytes(building) + ", recorders " + format_bytes(recorders) +
         ", events " + format_bytes(events) + ")";
}

MemoryEstimate estimate_memory(const NetworkSpec& spec) {
  MemoryEstimate e;
  const double dt = spec.resolution_ms;
  const double steps = spec.duration_ms / dt;

  // Ring buffers have one slot per step up to the longest delay (rounded up
  // to a power of two), for every population (Simulator::prepare).
  double max_delay_steps = 1.0;
  for (const auto& pr : spec.projections)
    max_delay_steps = std::max(max_delay_steps, std::round(pr.synapse.delay_ms.max() / dt));
  max_delay_steps = std::min(max_delay_steps, 65535.0);  // longer delays are refused
  const double slots =
      static_cast<double>(std::bit_ceil(static_cast<std::uint64_t>(max_delay_steps) + 1));

  for (const auto& p : spec.populations) {
    if (!PopulationModels::instance().find(p.model)) continue;
    const double n = static_cast<double>(p.size);
    const double state = n * state_bytes(p.model);
    const double buffers = n * receptor_count(p.model) * slots * 8.0;
    e.neurons += state;
    e.buffers += buffers;
    e.parts.push_back({"/populations/" + pointer_key(p.name) + "/size",
                       "population " + p.name + ": " + count(n) + " neurons × " +
                           count(state_bytes(p.model)) + " bytes of state and " +
                           count(receptor_count(p.model) * slots * 8.0) + " bytes of input buffers",
                       state + buffers});
  }

  for (std::size_t j = 0; j < spec.projections.size(); ++j) {
    const ProjectionSpec& pr = spec.projections[j];
    const PopulationSpec* src = spec.population(pr.source);
    const PopulationSpec* tgt = spec.population(pr.target);
    if (!src || !tgt) continue;
    const double ns = static_cast<double>(src->size), nt = static_cast<double>(tgt->size);
    const double n = expected_synapses(pr.rule, ns, nt, pr.source == pr.target);
    const double per = synapse_bytes(pr);
    // Row offsets (4 bytes per source); a plastic projection keeps 16 bytes
    // per source (its last update and trace).
    const double rows = ns * (pr.synapse.model == "static" ? 4.0 : 20.0);
    const double bytes = n * per + rows;
    e.synapses += bytes;
    // While drawn: the pairs (8 bytes) and the connection list (source,
    // target, weight, delay: 24 bytes), besides the synapses being made.
    e.building = std::max(e.building, n * 32.0);
    e.parts.push_back(
        {"/projections/" + std::to_string(j),
         "projection " + pr.name + ": " + count(n) + " synapses × " + count(per) + " bytes",
         bytes + n * 32.0});
  }

  for (std::size_t j = 0; j < spec.recorders.size(); ++j) {
    const RecorderSpec& r = spec.recorders[j];
    if (r.type == "connections") {
      // The projection's list (24 bytes per synapse) once, at the end of the run.
      const ProjectionSpec* pr = spec.projection(r.projection);
      const PopulationSpec* src = pr ? spec.population(pr->source) : nullptr;
      const PopulationSpec* tgt = pr ? spec.population(pr->target) : nullptr;
      const double n =
          src && tgt ? expected_synapses(pr->rule, static_cast<double>(src->size),
                                         static_cast<double>(tgt->size), pr->source == pr->target)
                     : 0.0;
      e.written += n * 24.0;
      continue;
    }
    const double samples = r.type == "spikes"
                               ? 0.0
                               : std::floor(steps / std::max(1.0, std::round(r.interval_ms / dt)));
    double width = 1.0;  // values per sample
    if (r.type == "state") {
      const PopulationSpec* p = spec.population(r.population);
      width = r.neurons.empty() ? (p ? static_cast<double>(p->size) : 0.0)
                                : static_cast<double>(r.neurons.size());
    } else if (r.type == "weight_recorder") {
      const ProjectionSpec* pr = spec.projection(r.projection);
      const PopulationSpec* src = pr ? spec.population(pr->source) : nullptr;
      const PopulationSpec* tgt = pr ? spec.population(pr->target) : nullptr;
      if (src && tgt) {
        const double ns = static_cast<double>(src->size), nt = static_cast<double>(tgt->size);
        const double all = expected_synapses(pr->rule, ns, nt, pr->source == pr->target);
        const double fs = r.sources.empty() || ns == 0 ? 1.0 : std::min(1.0, r.sources.size() / ns);
        const double ft = r.targets.empty() || nt == 0 ? 1.0 : std::min(1.0, r.targets.size() / nt);
        width = all * fs * ft;
      }
    }
    // Buffers hold up to a capacity (BuildOptions::recorder_capacity) before
    // they are handed to the files; spike recorders 16 bytes per spike.
    const double capacity = static_cast<double>(BuildOptions{}.recorder_capacity);
    double buffer = 0.0;
    if (r.type == "spikes")
      buffer = capacity * sizeof(SpikeEvent);
    else if (r.type == "neuromodulator")
      buffer = std::min(samples, capacity) * 16.0;
    else
      buffer = std::min(samples * width, std::max(width, capacity * 16.0)) * 8.0;
    const double written = samples * (width + 1.0) * 8.0;
    e.recorders += buffer;
    e.written += written;
    e.parts.push_back(
        {"/recorders/" + std::to_string(j),
         "recorder " + r.name + ": " + count(samples) + " samples of " + count(width) + " values",
         buffer});
  }

  for (const auto& n : spec.neuromodulators) {
    double pulses = static_cast<double>(n.pulses.size());
    if (n.random_pulses) {
      const RandomPulsesSpec& x = *n.random_pulses;
      const double stop = x.stop_ms >= 0.0 ? x.stop_ms : spec.duration_ms;
      pulses += x.rate_Hz * std::max(0.0, stop - x.start_ms) / 1000.0;
    }
    const double bytes = pulses * sizeof(Event);
    e.events += bytes;
    e.parts.push_back(
        {"/neuromodulators/" + pointer_key(n.name) + (n.random_pulses ? "/random_pulses" : ""),
         "volume " + n.name + ": " + count(pulses) + " pulses", bytes});
  }
  return e;
}

std::uint64_t physical_memory_bytes() {
  const long pages = ::sysconf(_SC_PHYS_PAGES);
  const long page = ::sysconf(_SC_PAGESIZE);
  if (pages <= 0 || page <= 0) return 0;
  return static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page);
}

void check_memory(const MemoryEstimate& estimate, std::uint64_t limit_bytes, Diagnostics& diag) {
  if (limit_bytes == 0 || !(estimate.total() > static_cast<double>(limit_bytes))) return;
  const MemoryPart* most = estimate.largest();
  diag.error(most ? most->pointer : "",
             "this description needs " + estimate.summary() + ", more than the " +
                 format_bytes(static_cast<double>(limit_bytes)) + " of memory this machine has" +
                 (most ? "; most of it here: " + most->what + " = " + format_bytes(most->bytes)
                       : std::string()));
}

}  // namespace bgsim::networks
