#pragma once
// stdp_dopamine_soft — the three-factor rule of Izhikevich (2007) with soft
// (multiplicative) weight bounds, after the weight dependence of van Rossum,
// Bi & Turrigiano (2000) and Gütig et al. (2003) with μ = 1:
//
//   c'(t) = −c/τ_c + A+ · K+(t) · δ(t − t_post) − A− · K−(t) · δ(t − t_pre)
//   x = (w − w_min)/(w_max − w_min)
//   x'(t) = κ c (φ(d) − φ(b)) · (1 − x)   while κ c (φ(d) − φ(b)) > 0
//   x'(t) = κ c (φ(d) − φ(b)) · x         while it is < 0
//
// c, K+, K−, κ, b and φ (the level itself, or a receptor's occupancy with
// phi_half > 0) are those of stdp_dopamine (models/stdp_dopamine.hpp), and so
// are the parameters. Near w_min a synapse barely falls, near w_max it barely
// rises: repeated outcomes drive a weight towards an equilibrium set by how
// often dopamine rose and fell while it was tagged, not towards a bound by
// their count.
//
// Exact between events: c keeps its sign between pre and post spikes (it only
// decays), and the kernel cuts each piece where d − b changes sign
// (split_at_sign_changes), so within a piece the sign of x' is fixed and with
// G = κ c(a) I(a, z) / (w_max − w_min), I the dopamine integral of
// stdp_dopamine over the piece:
//
//   G > 0:  1 − x(z) = (1 − x(a)) e^{−G}         G < 0:  x(z) = x(a) e^{G}
//
// For small G this is stdp_dopamine's change times (1 − x) or x.
// 16 bytes per synapse, as stdp_dopamine.
//
// References: Izhikevich EM (2007) Cereb Cortex 17:2443–2452. van Rossum MCW,
// Bi GQ, Turrigiano GG (2000) J Neurosci 20:8812–8821. Gütig R, Aharonov R,
// Rotter S, Sompolinsky H (2003) J Neurosci 23:3697–3714.

#include <cmath>
#include <string_view>

#include "core/parameters.hpp"
#include "models/stdp_dopamine.hpp"

namespace bgsim::models {

struct StdpDopamineSoft {
  static constexpr std::string_view name = "stdp_dopamine_soft";
  static constexpr bool uses_dopamine = true;
  // The bound that acts depends on the sign of d − b: cut pieces where it changes.
  static constexpr bool split_at_sign_changes = true;

  using Params = StdpDopamine::Params;
  static const ParamTable<Params>& param_table();

  using Eligibility = double;  // c, as stdp_dopamine: 16 bytes per synapse

  static void facilitate(const Params& p, double& w, double& c, double kplus) {
    StdpDopamine::facilitate(p, w, c, kplus);
  }
  static void depress(const Params& p, double& w, double& c, double kminus) {
    StdpDopamine::depress(p, w, c, kminus);
  }
  // One run of constant sign of d − b: I its dopamine integral [level·ms],
  // decay = e^{−length/τ_c}. Exact (see the header).
  static void between(const Params& p, double& w, double& c, double I, double decay) {
    const double range = p.w_max - p.w_min;
    const double change = p.dopamine_gain * c * I;  // stdp_dopamine's, unbounded
    if (change > 0.0 && range > 0.0)
      w = p.w_max - (p.w_max - w) * std::exp(-change / range);
    else if (change < 0.0 && range > 0.0)
      w = p.w_min + (w - p.w_min) * std::exp(change / range);
    c *= decay;
  }
  static double eligibility(double c) { return c; }
};

}  // namespace bgsim::models
