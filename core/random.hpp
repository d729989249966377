#pragma once
// Counter-based random streams (Philox4x32-10, Salmon et al. 2011, via Random123).
//
// A stream is identified by (seed, purpose, id, step): the seed of the run, what
// the numbers are for (Purpose), the identity of the neuron or synapse or
// projection, and the time step. The numbers a neuron draws at a step therefore
// do not depend on how neurons are distributed over threads, on the order in
// which threads run, or on what any other neuron drew: the basis of bgsim's
// bit-identical results for every thread count. A stream has no state worth
// saving beyond its identity, so checkpoints need no random-number state.
//
// RandomStream satisfies UniformRandomBitGenerator, so the distributions of
// <random> accept it; uniform() and normal() are provided directly because they
// are on hot paths.

#include <Random123/philox.h>
#include <Random123/uniform.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>

namespace bgsim {

// What a stream's numbers are for. Distinct purposes never share numbers.
enum class Purpose : std::uint16_t {
  neuron_noise = 1,   // per-neuron noise inside a model's update
  source_spikes = 2,  // spike generation of input populations (poisson_source)
  current_noise = 3,  // noisy current injection
  poisson_input = 4,  // Poisson drive drawn per target neuron
  connectivity = 5,   // building projections
  initial_state = 6,  // drawing initial values
  parameters = 7,     // drawing synapse weights and delays
  plasticity = 8,     // stochastic plasticity rules
  task = 9,           // task-driven events
};

// The uniform double in (0, 1] that RandomStream::uniform() makes of two
// consecutive words (hi first): 53 bits, never 0, so log() is safe.
inline double u01(std::uint32_t hi, std::uint32_t lo) {
  return r123::u01<double>((std::uint64_t{hi} << 32) | lo);
}

class RandomStream {
 public:
  using result_type = std::uint32_t;

  // id: neuron gid, synapse index or any other 32-bit identity; step: time step
  // (48 bits are kept, about 890 years at dt = 0.1 ms).
  RandomStream(std::uint64_t seed, Purpose purpose, std::uint64_t id, std::uint64_t step) {
    key_ = {{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}};
    ctr_ = {{0u, static_cast<std::uint32_t>(id), static_cast<std::uint32_t>(step),
             static_cast<std::uint32_t>((step >> 32) & 0xFFFFu) |
                 (static_cast<std::uint32_t>(purpose) << 16)}};
  }

  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return std::numeric_limits<result_type>::max(); }

  result_type operator()() {
    if (used_ == 4) refill();
    return block_[used_++];
  }

  // Uniform double in (0, 1], 53 bits (never 0, so log() is safe).
  double uniform() {
    const std::uint32_t hi = (*this)();
    const std::uint32_t lo = (*this)();
    return u01(hi, lo);
  }

  // Standard normal deviate (Box–Muller; both values are used in turn). The
  // first deviate of a fresh stream is normal_from(u01(w0, w1), u01(w2, w3))
  // of its first block.
  double normal() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    const double u1 = uniform();
    const double u2 = uniform();
    spare_ = normal_from(u1, u2, false);
    has_spare_ = true;
    return normal_from(u1, u2, true);
  }

  // Box–Muller: √(−2 ln u1) cos(2π u2) (first) or sin (second).
  static double normal_from(double u1, double u2, bool first) {
    const double r = std::sqrt(-2.0 * std::log(u1));
    const double phi = 2.0 * 3.14159265358979323846 * u2;
    return first ? r * std::cos(phi) : r * std::sin(phi);
  }

  // Poisson deviate with mean lambda >= 0: Knuth's product method below 12
  // (about lambda + 1 uniforms, the common case of drive per step), the
  // standard library's exact rejection method above.
  std::uint32_t poisson(double lambda) { return poisson(lambda, std::exp(-lambda)); }

  // The same, for callers that draw many deviates of one mean and pass
  // exp(-lambda) computed once.
  std::uint32_t poisson(double lambda, double exp_minus_lambda) {
    if (!(lambda > 0.0)) return 0;
    if (lambda < 12.0) {
      std::uint32_t k = 0;
      double p = uniform();
      while (p > exp_minus_lambda) {
        ++k;
        p *= uniform();
      }
      return k;
    }
    return std::poisson_distribution<std::uint32_t>(lambda)(*this);
  }

 private:
  void refill() {
    block_ = r123::Philox4x32()(ctr_, key_);
    ++ctr_.v[0];
    used_ = 0;
  }

  r123::Philox4x32::key_type key_;
  r123::Philox4x32::ctr_type ctr_;
  r123::Philox4x32::ctr_type block_{};
  unsigned used_ = 4;
  bool has_spare_ = false;
  double spare_ = 0.0;
};

}  // namespace bgsim
