#include "core/philox_batch.hpp"

#include <algorithm>
#include <cassert>

// BGSIM_PHILOX_PORTABLE (the fuzz build, with clang, which refuses the
// AVX-512 helpers at -O1) keeps only the portable blocks.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(BGSIM_PHILOX_PORTABLE)
// Vector types as template arguments and vector returns from functions with a
// target attribute in a baseline-ISA file are what this file is about, and
// GCC 12's AVX-512 headers trip -Wmaybe-uninitialized on their own
// placeholders: silenced here only.
#pragma GCC diagnostic ignored "-Wignored-attributes"
#pragma GCC diagnostic ignored "-Wpsabi"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>
#define BGSIM_PHILOX_X86 1
#endif

namespace bgsim {

namespace {
// Philox4x32 constants (Salmon et al. 2011; the values Random123 uses).
constexpr std::uint64_t M0 = 0xD2511F53u, M1 = 0xCD9E8D57u;
constexpr std::uint32_t W0 = 0x9E3779B9u, W1 = 0xBB67AE85u;

// The key and the counter words shared by the batch; word 1 is id0 + i.
struct Counter {
  std::uint32_t k0, k1, id0, c2, c3;
};

// One lane at a time (GCC vectorises it where it can).
void blocks_portable(const Counter& k, std::size_t n, PhiloxWords& out) {
  for (std::size_t i = 0; i < n; ++i) {
    std::uint32_t x0 = 0, x1 = k.id0 + static_cast<std::uint32_t>(i), x2 = k.c2, x3 = k.c3;
    std::uint32_t a = k.k0, b = k.k1;
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

#ifdef BGSIM_PHILOX_X86
// The same rounds on 8 (AVX2) or 16 (AVX-512) lanes of 32 bits. The 32×32 →
// 64-bit products come from the even lanes (mul_epu32) and from the odd lanes
// shifted down; the high and low halves are blended back into place.
template <class V>
struct Lanes;

template <>
struct Lanes<__m256i> {
  static constexpr std::size_t width = 8;
  [[gnu::target("avx2")]] static __m256i set1(std::uint32_t x) {
    return _mm256_set1_epi32(static_cast<int>(x));
  }
  [[gnu::target("avx2")]] static __m256i iota(std::uint32_t first) {
    return _mm256_add_epi32(_mm256_set1_epi32(static_cast<int>(first)),
                            _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
  }
  [[gnu::target("avx2")]] static __m256i mul_hi_lo(__m256i m, __m256i x, __m256i& lo) {
    const __m256i even = _mm256_mul_epu32(x, m);
    const __m256i odd = _mm256_mul_epu32(_mm256_srli_epi64(x, 32), m);
    lo = _mm256_blend_epi32(even, _mm256_slli_epi64(odd, 32), 0xAA);
    return _mm256_blend_epi32(_mm256_srli_epi64(even, 32), odd, 0xAA);
  }
  [[gnu::target("avx2")]] static __m256i xor3(__m256i a, __m256i b, __m256i c) {
    return _mm256_xor_si256(_mm256_xor_si256(a, b), c);
  }
  [[gnu::target("avx2")]] static void store(std::uint32_t* to, __m256i x) {
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(to), x);
  }
};

template <>
struct Lanes<__m512i> {
  static constexpr std::size_t width = 16;
  [[gnu::target("avx512f")]] static __m512i set1(std::uint32_t x) {
    return _mm512_set1_epi32(static_cast<int>(x));
  }
  [[gnu::target("avx512f")]] static __m512i iota(std::uint32_t first) {
    return _mm512_add_epi32(
        _mm512_set1_epi32(static_cast<int>(first)),
        _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15));
  }
  [[gnu::target("avx512f")]] static __m512i mul_hi_lo(__m512i m, __m512i x, __m512i& lo) {
    const __m512i even = _mm512_mul_epu32(x, m);
    const __m512i odd = _mm512_mul_epu32(_mm512_srli_epi64(x, 32), m);
    lo = _mm512_mask_blend_epi32(0xAAAA, even, _mm512_slli_epi64(odd, 32));
    return _mm512_mask_blend_epi32(0xAAAA, _mm512_srli_epi64(even, 32), odd);
  }
  [[gnu::target("avx512f")]] static __m512i xor3(__m512i a, __m512i b, __m512i c) {
    return _mm512_ternarylogic_epi32(a, b, c, 0x96);
  }
  [[gnu::target("avx512f")]] static void store(std::uint32_t* to, __m512i x) {
    _mm512_storeu_si512(to, x);
  }
};

template <class V>
[[gnu::always_inline]] inline void blocks_simd(const Counter& k, std::size_t n, PhiloxWords& out) {
  using L = Lanes<V>;
  constexpr std::size_t w = L::width;
  const V m0 = L::set1(static_cast<std::uint32_t>(M0)),
          m1 = L::set1(static_cast<std::uint32_t>(M1));
  for (std::size_t i = 0; i < n; i += w) {
    V x0 = L::set1(0), x1 = L::iota(k.id0 + static_cast<std::uint32_t>(i)), x2 = L::set1(k.c2),
      x3 = L::set1(k.c3);
    std::uint32_t a = k.k0, b = k.k1;
    for (int round = 0; round < 10; ++round) {
      V lo0, lo1;
      const V hi0 = L::mul_hi_lo(m0, x0, lo0);
      const V hi1 = L::mul_hi_lo(m1, x2, lo1);
      x0 = L::xor3(hi1, x1, L::set1(a));
      x2 = L::xor3(hi0, x3, L::set1(b));
      x1 = lo1;
      x3 = lo0;
      a += W0;
      b += W1;
    }
    if (i + w <= n) {
      L::store(out.w0 + i, x0);
      L::store(out.w1 + i, x1);
      L::store(out.w2 + i, x2);
      L::store(out.w3 + i, x3);
    } else {  // the tail: whole vectors into scratch, the lanes needed copied
      alignas(64) std::uint32_t t[4][w];
      L::store(t[0], x0);
      L::store(t[1], x1);
      L::store(t[2], x2);
      L::store(t[3], x3);
      std::copy_n(t[0], n - i, out.w0 + i);
      std::copy_n(t[1], n - i, out.w1 + i);
      std::copy_n(t[2], n - i, out.w2 + i);
      std::copy_n(t[3], n - i, out.w3 + i);
    }
  }
}

[[gnu::target("avx2")]] void blocks_avx2(const Counter& k, std::size_t n, PhiloxWords& out) {
  blocks_simd<__m256i>(k, n, out);
}
[[gnu::target("avx512f")]] void blocks_avx512(const Counter& k, std::size_t n, PhiloxWords& out) {
  blocks_simd<__m512i>(k, n, out);
}
#endif

using Blocks = void (*)(const Counter&, std::size_t, PhiloxWords&);

Blocks implementation(PhiloxIsa isa) {
  switch (isa) {
#ifdef BGSIM_PHILOX_X86
    case PhiloxIsa::avx512:
      return __builtin_cpu_supports("avx512f") ? blocks_avx512 : nullptr;
    case PhiloxIsa::avx2:
      return __builtin_cpu_supports("avx2") ? blocks_avx2 : nullptr;
#else
    case PhiloxIsa::avx512:
    case PhiloxIsa::avx2:
      return nullptr;
#endif
    case PhiloxIsa::portable:
      return blocks_portable;
  }
  return nullptr;
}

// The widest the CPU offers, chosen once.
Blocks best() {
  for (PhiloxIsa isa : {PhiloxIsa::avx512, PhiloxIsa::avx2})
    if (Blocks f = implementation(isa)) return f;
  return blocks_portable;
}

Counter counter(std::uint64_t seed, Purpose purpose, std::uint64_t first_id, std::uint64_t step) {
  // The counter of RandomStream's first block: {0, id, step, step_hi | purpose}.
  return {static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32),
          static_cast<std::uint32_t>(first_id), static_cast<std::uint32_t>(step),
          static_cast<std::uint32_t>((step >> 32) & 0xFFFFu) |
              (static_cast<std::uint32_t>(purpose) << 16)};
}
}  // namespace

void philox_first_blocks(std::uint64_t seed, Purpose purpose, std::uint64_t first_id,
                         std::uint64_t step, std::size_t n, PhiloxWords& out) {
  assert(n <= philox_batch_size);
  static const Blocks blocks = best();
  blocks(counter(seed, purpose, first_id, step), n, out);
}

bool philox_first_blocks_with(PhiloxIsa isa, std::uint64_t seed, Purpose purpose,
                              std::uint64_t first_id, std::uint64_t step, std::size_t n,
                              PhiloxWords& out) {
  const Blocks blocks = implementation(isa);
  if (!blocks) return false;
  blocks(counter(seed, purpose, first_id, step), n, out);
  return true;
}

}  // namespace bgsim
