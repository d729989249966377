#include "models/stdp.hpp"

#include "core/plastic_projection.hpp"

namespace bgsim::models {

const ParamTable<Stdp::Params>& Stdp::param_table() {
  using P = Params;
  static const ParamTable<P> table(
      {
          {{"lambda", "1", Constraint::nonnegative, "learning rate"}, &P::lambda},
          {{"alpha", "1", Constraint::nonnegative, "depression relative to potentiation"},
           &P::alpha},
          {{"mu_plus", "1", Constraint::nonnegative,
            "weight dependence of potentiation: 0 additive, 1 multiplicative"},
           &P::mu_plus},
          {{"mu_minus", "1", Constraint::nonnegative,
            "weight dependence of depression: 0 additive, 1 multiplicative"},
           &P::mu_minus},
          {{"tau_plus_ms", "ms", Constraint::positive, "presynaptic trace time constant"},
           &P::tau_plus_ms},
          {{"tau_minus_ms", "ms", Constraint::positive, "postsynaptic trace time constant"},
           &P::tau_minus_ms},
          {{"w_min", "weight", Constraint::finite,
            "lower weight bound (unit of the target receptor)"},
           &P::w_min},
          {{"w_max", "weight", Constraint::finite,
            "upper weight bound (unit of the target receptor)"},
           &P::w_max},
      },
      [](const P& p, std::vector<ParamError>& errors) {
        if (!(p.w_min < p.w_max))
          errors.push_back({"w_min", "must be below w_max (" + std::to_string(p.w_max) + "), got " +
                                         std::to_string(p.w_min)});
      });
  return table;
}

namespace {
const bool registered = register_plasticity_rule<Stdp>(
    "Pair-based STDP with all-to-all traces (NEST stdp_synapse): at a post spike "
    "x += lambda (1-x)^mu_plus K+, at a pre spike x -= alpha lambda x^mu_minus K-, with "
    "x = (w - w_min)/(w_max - w_min) kept in [0, 1]; mu 0 additive, 1 multiplicative. "
    "Event-driven, exact; dendritic delays.");
}  // namespace

}  // namespace bgsim::models
