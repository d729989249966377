#pragma once
// What a description will cost before anything is allocated: the memory of
// its neurons, input ring buffers, synapses (their expected number under each
// connection rule), the peak while a projection is drawn, recorder buffers and
// scheduled events, and the bytes its recorders write. `bgsim validate` prints
// it; reading a description refuses one whose estimate exceeds the machine's
// physical memory, naming the part that costs most (docs/reliability.md).
//
// The figures follow the kernel's layouts (docs/design.md): static synapses
// 12 bytes, plastic ones as their rule's layout says (16 or 20 bytes in
// single precision), ring buffers of 8 bytes per neuron, receptor and slot
// (slots: the next power of two above the longest delay in steps), one double
// per state variable and neuron. They are expectations, not bounds: a random
// rule's count is its mean, and spikes are not counted (they depend on rates).

#include <cstdint>
#include <string>
#include <vector>

#include "networks/description.hpp"

namespace bgsim::networks {

struct MemoryPart {
  std::string pointer;  // the part of the description it comes from
  std::string what;     // e.g. "12 bytes per synapse × 8e+10 synapses"
  double bytes = 0.0;
};

struct MemoryEstimate {
  // In bytes, summed over the description (doubles: a hostile description
  // may ask for more than 2^64 bytes).
  double neurons = 0.0;           // state variables
  double buffers = 0.0;           // input ring buffers
  double synapses = 0.0;          // synapses and their row indices, once built
  double building = 0.0;          // the largest projection's drawn list while it is built
  double recorders = 0.0;         // recorder buffers (the rest goes to disk as it fills)
  double events = 0.0;            // scheduled pulses
  double written = 0.0;           // bytes the sampling recorders write over the duration
  std::vector<MemoryPart> parts;  // one per population, projection, recorder

  double total() const { return neurons + buffers + synapses + building + recorders + events; }
  // The part that costs most; nullptr when there is none.
  const MemoryPart* largest() const;
  // "about 1.2 GB (neurons 10 MB, input buffers 2 MB, ...)".
  std::string summary() const;
};

MemoryEstimate estimate_memory(const NetworkSpec& spec);

// The machine's physical memory in bytes (sysconf); 0 if unknown.
std::uint64_t physical_memory_bytes();

// Reports an error when the estimate exceeds `limit_bytes` (0: no limit),
// at the JSON pointer of the part that costs most, with both figures.
void check_memory(const MemoryEstimate& estimate, std::uint64_t limit_bytes, Diagnostics& diag);

// 1536 -> "1.5 kB"; powers of 1000, three significant digits.
std::string format_bytes(double bytes);

}  // namespace bgsim::networks
