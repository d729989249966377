#include "core/philox_batch.hpp"

#include <cassert>

namespace bgsim {

namespace {
// Philox4x32 constants (Salmon et al. 2011; the values Random123 uses).
constexpr std::uint64_t M0 = 0xD2511F53u, M1 = 0xCD9E8D57u;
constexpr std::uint32_t W0 = 0x9E3779B9u, W1 = 0xBB67AE85u;
}  // namespace

// Built for the baseline ISA and, where the CPU has them, AVX2 and AVX-512
// (chosen at load time): integer arithmetic only, so every version returns the
// same words.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(BGSIM_NATIVE_BUILD)
__attribute__((target_clones("avx512f", "avx2", "default")))
#endif
void philox_first_blocks(std::uint64_t seed, Purpose purpose, std::uint64_t first_id,
                         std::uint64_t step, std::size_t n, PhiloxWords& out) {
  assert(n <= philox_batch_size);
  const std::uint32_t k0 = static_cast<std::uint32_t>(seed);
  const std::uint32_t k1 = static_cast<std::uint32_t>(seed >> 32);
  // The counter of RandomStream's first block: {0, id, step, step_hi | purpose}.
  const std::uint32_t c2 = static_cast<std::uint32_t>(step);
  const std::uint32_t c3 = static_cast<std::uint32_t>((step >> 32) & 0xFFFFu) |
                           (static_cast<std::uint32_t>(purpose) << 16);
  const std::uint32_t id0 = static_cast<std::uint32_t>(first_id);
  for (std::size_t i = 0; i < n; ++i) {
    std::uint32_t x0 = 0, x1 = id0 + static_cast<std::uint32_t>(i), x2 = c2, x3 = c3;
    std::uint32_t a = k0, b = k1;
#pragma GCC unroll 10
    for (int round = 0; round < 10; ++round) {
      const std::uint64_t p0 = M0 * x0, p1 = M1 * x2;
      const std::uint32_t y0 = static_cast<std::uint32_t>(p1 >> 32) ^ x1 ^ a;
      const std::uint32_t y2 = static_cast<std::uint32_t>(p0 >> 32) ^ x3 ^ b;
      x1 = static_cast<std::uint32_t>(p1);
      x3 = static_cast<std::uint32_t>(p0);
      x0 = y0;
      x2 = y2;
      a += W0;
      b += W1;
    }
    out.w0[i] = x0;
    out.w1[i] = x1;
    out.w2[i] = x2;
    out.w3[i] = x3;
  }
}

}  // namespace bgsim
