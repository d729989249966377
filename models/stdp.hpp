#pragma once
// stdp — pair-based spike-timing-dependent plasticity with all-to-all traces,
// additive or multiplicative weight dependence and weight bounds; the
// semantics and defaults of NEST's stdp_synapse (Gütig et al. 2003 weight
// dependence), generalised to a lower bound w_min.
//
//   x = (w − w_min) / (w_max − w_min)                      (normalised weight)
//   post spike:  x ← min(1, x + λ (1 − x)^μ+ K+)            K+: pre trace, τ+
//   pre spike:   x ← max(0, x − α λ x^μ− K−)                K−: post trace, τ−
//
// μ+ = μ− = 0 is additive STDP (the bounds clip), μ+ = μ− = 1 multiplicative
// (soft bounds, NEST's default); values between interpolate. A pre and a post
// spike at the same time do not pair. The weight changes only at spikes, so
// the event-driven form (core/plastic_projection.hpp) is exact; the
// eligibility number of the synapse is unused. Delay convention: dendritic
// (Δt = t_post + d − t_pre), as NEST.
//
// | parameter    | unit | default | meaning                                   |
// |--------------|------|---------|-------------------------------------------|
// | lambda       | 1    | 0.01    | learning rate λ                           |
// | alpha        | 1    | 1       | depression / potentiation ratio α         |
// | mu_plus      | 1    | 1       | weight dependence of potentiation (0 add.)|
// | mu_minus     | 1    | 1       | weight dependence of depression (0 add.)  |
// | tau_plus_ms  | ms   | 20      | presynaptic trace decay                   |
// | tau_minus_ms | ms   | 20      | postsynaptic trace decay                  |
// | w_min, w_max | w    | 0, 100  | weight bounds (unit of the receptor)      |
//
// References: Bi G, Poo M (1998) J Neurosci 18:10464–10472. Song S, Miller KD,
// Abbott LF (2000) Nat Neurosci 3:919–926. Gütig R, Aharonov R, Rotter S,
// Sompolinsky H (2003) J Neurosci 23:3697–3714. Morrison A, Diesmann M,
// Gerstner W (2008) Biol Cybern 98:459–478 (NEST's stdp_synapse).

#include <algorithm>
#include <cmath>
#include <string_view>

#include "core/parameters.hpp"

namespace bgsim::models {

struct Stdp {
  static constexpr std::string_view name = "stdp";
  static constexpr bool uses_dopamine = false;

  struct Params {
    double lambda = 0.01;        // learning rate λ [1]
    double alpha = 1.0;          // depression relative to potentiation α [1]
    double mu_plus = 1.0;        // weight dependence of potentiation: 0 additive, 1 mult. [1]
    double mu_minus = 1.0;       // weight dependence of depression: 0 additive, 1 mult. [1]
    double tau_plus_ms = 20.0;   // presynaptic trace time constant [ms]
    double tau_minus_ms = 20.0;  // postsynaptic trace time constant [ms]
    double w_min = 0.0;          // lower weight bound [unit of the receptor]
    double w_max = 100.0;        // upper weight bound [unit of the receptor]
  };
  static const ParamTable<Params>& param_table();

  // No eligibility: the number each synapse keeps for it is unused (the
  // synapse stays at the 16 bytes, and checkpoints at the format, it had).
  using Eligibility = double;

  static void facilitate(const Params& p, double& w, double&, double kplus) {
    const double range = p.w_max - p.w_min;
    if (!(range > 0.0)) return;
    const double x = (w - p.w_min) / range;
    const double up = std::min(1.0, x + p.lambda * std::pow(1.0 - x, p.mu_plus) * kplus);
    w = p.w_min + up * range;
  }
  static void depress(const Params& p, double& w, double&, double kminus) {
    const double range = p.w_max - p.w_min;
    if (!(range > 0.0)) return;
    const double x = (w - p.w_min) / range;
    const double down = std::max(0.0, x - p.alpha * p.lambda * std::pow(x, p.mu_minus) * kminus);
    w = p.w_min + down * range;
  }
};

}  // namespace bgsim::models
