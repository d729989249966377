#include "models/stdp_dopamine_soft.hpp"

#include "core/plastic_projection.hpp"

namespace bgsim::models {

// The parameters are stdp_dopamine's, with the same names, units and checks.
const ParamTable<StdpDopamineSoft::Params>& StdpDopamineSoft::param_table() {
  return StdpDopamine::param_table();
}

namespace {
const bool registered = register_plasticity_rule<StdpDopamineSoft>(
    "Dopamine-modulated STDP with an eligibility trace and soft weight bounds (Izhikevich 2007 "
    "with the multiplicative weight dependence of van Rossum et al. 2000 / Guetig et al. 2003): "
    "c as in stdp_dopamine; with x = (w - w_min)/(w_max - w_min), x' = dopamine_gain * c * "
    "(d - b) * (1 - x) while that factor is positive and * x while it is negative, so a weight "
    "slows as it nears either bound. Parameters as stdp_dopamine (phi_half: read a receptor's "
    "occupancy). Event-driven, exact between events (pieces cut where d - b changes sign).");
}  // namespace

}  // namespace bgsim::models
