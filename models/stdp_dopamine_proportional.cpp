#include "models/stdp_dopamine_proportional.hpp"

#include "core/plastic_projection.hpp"

namespace bgsim::models {

// The parameters are stdp_dopamine's, with the same names, units and checks.
const ParamTable<StdpDopamineProportional::Params>& StdpDopamineProportional::param_table() {
  return StdpDopamine::param_table();
}

namespace {
const bool registered = register_plasticity_rule<StdpDopamineProportional>(
    "Dopamine-modulated STDP with an eligibility trace whose weight changes are proportional to "
    "the weight (Izhikevich 2007 with the Hebbian weight dependence of OpAL's actors, Collins & "
    "Frank 2014): c as in stdp_dopamine; with x = (w - w_min)/(w_max - w_min), x' = "
    "dopamine_gain * c * (d - b) * x, w clipped into [w_min, w_max]. Parameters as "
    "stdp_dopamine (phi_half: read a receptor's occupancy). Event-driven, exact between events; "
    "clipped at events, as stdp_dopamine.");
}  // namespace

}  // namespace bgsim::models
