#pragma once
// The first Philox4x32-10 block of many consecutive random streams at once.
//
// Devices and models that draw for every neuron at every step (uniform and
// noise currents, Poisson drive) need one block of four 32-bit words per
// neuron and step: the first block of RandomStream(seed, purpose, id, step) for
// id = first_id, first_id + 1, …. Computed one stream at a time, the ten
// Philox rounds are a chain of dependent multiplications; computed for a run of
// consecutive ids, the same rounds become independent SIMD lanes (8 with AVX2,
// 16 with AVX-512, written with intrinsics because GCC's own vectorisation of
// the 32 × 32 → 64-bit products shuffles more than it multiplies).
// The words are bit-identical to RandomStream's (tests/core/test_random.cpp
// checks this against Random123 for every lane position), so a neuron draws
// the same numbers whichever path computes them and whichever thread owns it.

#include <cstddef>
#include <cstdint>

#include "core/random.hpp"

namespace bgsim {

// Ids per call: a batch of this many blocks fits in 8 KiB of L1.
inline constexpr std::size_t philox_batch_size = 512;

// Four word arrays, one per word of the block, each of philox_batch_size.
struct PhiloxWords {
  alignas(64) std::uint32_t w0[philox_batch_size];
  alignas(64) std::uint32_t w1[philox_batch_size];
  alignas(64) std::uint32_t w2[philox_batch_size];
  alignas(64) std::uint32_t w3[philox_batch_size];
};

// Writes into out the first block of the streams (seed, purpose, first_id + i,
// step) for i in [0, n), n <= philox_batch_size: out.wj[i] is the j-th number
// RandomStream(seed, purpose, first_id + i, step) returns.
// Uses the widest implementation the CPU offers (AVX-512, AVX2, or portable
// C++), chosen once: integer arithmetic, so all return the same words.
void philox_first_blocks(std::uint64_t seed, Purpose purpose, std::uint64_t first_id,
                         std::uint64_t step, std::size_t n, PhiloxWords& out);

// One implementation by name, for tests and benchmarks; false (and out
// untouched) when this CPU or build lacks it.
enum class PhiloxIsa { portable, avx2, avx512 };
bool philox_first_blocks_with(PhiloxIsa isa, std::uint64_t seed, Purpose purpose,
                              std::uint64_t first_id, std::uint64_t step, std::size_t n,
                              PhiloxWords& out);

}  // namespace bgsim
