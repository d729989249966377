#include "models/stdp_dopamine.hpp"

#include "core/plastic_projection.hpp"

namespace bgsim::models {

namespace {
void check_bounds(double w_min, double w_max, std::vector<ParamError>& errors) {
  if (!(w_min <= w_max))
    errors.push_back({"w_min", "must not exceed w_max (" + std::to_string(w_max) + "), got " +
                                   std::to_string(w_min)});
}
}  // namespace

const ParamTable<StdpDopamine::Params>& StdpDopamine::param_table() {
  using P = Params;
  static const ParamTable<P> table(
      {
          {{"A_plus", "weight/ms", Constraint::finite,
            "eligibility added per causal pair, times K+ (weight change per ms per unit of "
            "dopamine level above b)"},
           &P::A_plus},
          {{"A_minus", "weight/ms", Constraint::finite,
            "eligibility removed per anti-causal pair, times K-"},
           &P::A_minus},
          {{"tau_plus_ms", "ms", Constraint::positive, "presynaptic trace time constant"},
           &P::tau_plus_ms},
          {{"tau_minus_ms", "ms", Constraint::positive, "postsynaptic trace time constant"},
           &P::tau_minus_ms},
          {{"tau_c_ms", "ms", Constraint::positive, "eligibility trace time constant"},
           &P::tau_c_ms},
          {{"b", "level", Constraint::finite,
            "dopamine baseline, in the level of the volume read: w' = gain * c * (d - b)"},
           &P::b},
          {{"dopamine_gain", "1", Constraint::finite,
            "sign and scale of the dopamine factor: +1 D1-like, -1 D2-like"},
           &P::dopamine_gain},
          {{"w_min", "weight", Constraint::finite,
            "lower weight bound (unit of the target receptor)"},
           &P::w_min},
          {{"w_max", "weight", Constraint::finite,
            "upper weight bound (unit of the target receptor)"},
           &P::w_max},
          {{"phi_half", "level", Constraint::nonnegative,
            "0: the rule reads the level d; > 0: it reads the receptor occupancy d/(d + phi_half) "
            "(half occupancy at this level; Dreyer et al. 2010), b included: the factor is "
            "phi(d) - phi(b)"},
           &P::phi_half},
      },
      [](const P& p, std::vector<ParamError>& errors) { check_bounds(p.w_min, p.w_max, errors); });
  return table;
}

namespace {
const bool registered = register_plasticity_rule<StdpDopamine>(
    "Dopamine-modulated STDP with an eligibility trace (Izhikevich 2007; NEST "
    "stdp_dopamine_synapse): c' = -c/tau_c + A_plus K+ at post spikes - A_minus K- at pre "
    "spikes; w' = dopamine_gain * c * (d - b), clipped into [w_min, w_max]; d is the level of "
    "the neuromodulator read. Event-driven, exact between events; dendritic delays. "
    "dopamine_gain +1: D1-like, -1: D2-like.");
}  // namespace

}  // namespace bgsim::models
