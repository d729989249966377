#include "models/stdp_corticostriatal.hpp"

#include "core/plastic_projection.hpp"

namespace bgsim::models {

const ParamTable<StdpCorticostriatal::Params>& StdpCorticostriatal::param_table() {
  using P = Params;
  static const ParamTable<P> table(
      {
          {{"lambda", "1/ms", Constraint::nonnegative,
            "learning rate per unit of dopamine above or below b"},
           &P::lambda},
          {{"alpha", "1", Constraint::nonnegative,
            "depression relative to potentiation (weight dependence alpha * x)"},
           &P::alpha},
          {{"tau_plus_ms", "ms", Constraint::positive, "presynaptic trace time constant"},
           &P::tau_plus_ms},
          {{"tau_minus_ms", "ms", Constraint::positive, "postsynaptic trace time constant"},
           &P::tau_minus_ms},
          {{"tau_c_ms", "ms", Constraint::positive,
            "time constant of both eligibility traces (causal and anti-causal)"},
           &P::tau_c_ms},
          {{"b", "level", Constraint::finite,
            "dopamine baseline, in the level of the volume read: above it causal pairs "
            "potentiate, below it anti-causal ones"},
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
      [](const P& p, std::vector<ParamError>& errors) {
        if (!(p.w_min < p.w_max))
          errors.push_back({"w_min", "must be below w_max (" + std::to_string(p.w_max) +
                                         ") for the soft bounds, got " + std::to_string(p.w_min)});
      });
  return table;
}

namespace {
const bool registered = register_plasticity_rule<StdpCorticostriatal>(
    "Corticostriatal dopamine-modulated STDP of Sosis & Rubin (2024): causal pairs feed E+, "
    "anti-causal pairs E- (both decay with tau_c); with s = dopamine_gain * (d - b) >= 0, "
    "dx/dt = lambda s (E+ (1 - x) - alpha E- x); below baseline the traces swap roles, "
    "dx/dt = lambda |s| (E- (1 - x) - alpha E+ x); x = (w - w_min)/(w_max - w_min). "
    "Event-driven, exact between events (split where d crosses b); dendritic delays; two "
    "eligibilities: 20 bytes per synapse.");
}  // namespace

}  // namespace bgsim::models
