#pragma once
// stdp_dopamine_proportional — the three-factor rule of Izhikevich (2007)
// with every change proportional to the weight itself, as the Go and NoGo
// weights of OpAL learn (Collins & Frank 2014: G ← G + α_G G δ,
// N ← N + α_N N (−δ)):
//
//   c'(t) = −c/τ_c + A+ · K+(t) · δ(t − t_post) − A− · K−(t) · δ(t − t_pre)
//   x = (w − w_min)/(w_max − w_min)
//   x'(t) = κ c (φ(d) − φ(b)) · x,      w clipped into [w_min, w_max]
//
// c, K+, K−, κ, b and φ (the level itself, or a receptor's occupancy with
// phi_half > 0) are those of stdp_dopamine (models/stdp_dopamine.hpp), and so
// are the parameters. A strong synapse moves more than a weak one for the
// same tag and dopamine: the weights that the outcomes favour grow fastest,
// so a D1 (Go) population comes to tell apart the good options and a D2
// (NoGo) population the bad ones, which is what lets OpAL's dopamine-weighted
// choice favour one or the other (docs/basal_ganglia.md). w_max is a hard
// bound here, not a slowing.
//
// Exact between events: over a piece [a, z] without events, with G = κ c(a)
// I(a, z) / (w_max − w_min) and I the dopamine integral of stdp_dopamine,
//
//   x(z) = x(a) e^{G},
//
// for either sign of d − b, so pieces need not be cut where d − b changes
// sign (a volume fluctuating around b would cut them at every few spikes).
// The clip into [w_min, w_max] acts where stdp_dopamine's does (and NEST's
// stdp_dopamine_synapse's): after each piece, which ends at the synapse's
// events, reads and the kernel's periodic flushes, not within it. For small G this is
// stdp_dopamine's change times x. 16 bytes per synapse.
//
// References: Izhikevich EM (2007) Cereb Cortex 17:2443–2452. Collins AGE,
// Frank MJ (2014) Opponent actor learning (OpAL): modeling interactive
// effects of striatal dopamine on reinforcement learning and choice
// incentive. Psychol Rev 121:337–366.

#include <cmath>
#include <string_view>

#include "core/parameters.hpp"
#include "models/stdp_dopamine.hpp"

namespace bgsim::models {

struct StdpDopamineProportional {
  static constexpr std::string_view name = "stdp_dopamine_proportional";
  static constexpr bool uses_dopamine = true;
  static constexpr bool split_at_sign_changes = false;  // exponential in I: exact across signs

  using Params = StdpDopamine::Params;
  static const ParamTable<Params>& param_table();

  using Eligibility = double;  // c, as stdp_dopamine: 16 bytes per synapse

  static void facilitate(const Params& p, double& w, double& c, double kplus) {
    StdpDopamine::facilitate(p, w, c, kplus);
  }
  static void depress(const Params& p, double& w, double& c, double kminus) {
    StdpDopamine::depress(p, w, c, kminus);
  }
  // A piece without events: I its dopamine integral [level·ms], decay =
  // e^{−length/τ_c}. Exact for either sign of d − b (see the header).
  static void between(const Params& p, double& w, double& c, double I, double decay) {
    const double range = p.w_max - p.w_min;
    const double change = p.dopamine_gain * c * I;  // stdp_dopamine's, unscaled
    if (change != 0.0 && range > 0.0) w = p.w_min + (w - p.w_min) * std::exp(change / range);
    c *= decay;
  }
  static double eligibility(double c) { return c; }
};

}  // namespace bgsim::models
