#pragma once
// What the dopamine-receptor tests of the neuron models share
// (test_lif_dopamine, test_lif_cond_dopamine, test_msn_dopamine): a
// population that may read volume "da", its spikes as step · 100 + neuron,
// and the split of two runs at a dopamine pulse given to one of them.

#include <algorithm>
#include <memory>
#include <vector>

#include "core/neuromodulator.hpp"
#include "tests/models/model_test_support.hpp"

namespace bgsim::test {

struct Reader {
  std::unique_ptr<Bench> bench;
  std::uint32_t pop = 0, volume = 0;
};

// Runs the reader for T_ms; its population's spikes, as step · 100 + neuron.
inline std::vector<Step> spikes(Reader& r, double T_ms) {
  r.bench->run(r.bench->steps(T_ms));
  std::vector<Step> out;
  for (const SpikeEvent& e : r.bench->sink.spikes_of("spikes"))
    out.push_back(e.step * 100 + e.gid);
  return out;
}

// `with` gets a pulse of 1 into its volume at pulse_ms; both run for T_ms.
// The spikes stamped up to the pulse's step come from updates before it.
struct PulseSplit {
  std::vector<Step> before_with, before_without;
  long after_with = 0, after_without = 0;
};

inline PulseSplit split_at_pulse(Reader& with, Reader& without, double pulse_ms, double T_ms) {
  const Step pulse = with.bench->steps(pulse_ms);
  with.bench->sim.pulse(with.volume, pulse, 1.0);
  const auto a = spikes(with, T_ms), b = spikes(without, T_ms);
  const auto first_after = [pulse](const std::vector<Step>& s) {
    return std::find_if(s.begin(), s.end(), [pulse](Step x) { return x / 100 > pulse; });
  };
  const auto a_after = first_after(a), b_after = first_after(b);
  return {std::vector<Step>(a.begin(), a_after), std::vector<Step>(b.begin(), b_after),
          a.end() - a_after, b.end() - b_after};
}

}  // namespace bgsim::test
