#include "models/lif_psc_delta.hpp"

#include <cmath>

#include "core/marked_scan.hpp"
#include "core/registry.hpp"

namespace bgsim::models {

const ParamTable<LifPscDelta::Params>& LifPscDelta::param_table() {
  using P = Params;
  static const ParamTable<P> table(
      {
          {{"C_m", "pF", Constraint::positive, "membrane capacitance"}, &P::C_m},
          {{"tau_m", "ms", Constraint::positive, "membrane time constant"}, &P::tau_m},
          {{"t_ref", "ms", Constraint::nonnegative, "absolute refractory period"}, &P::t_ref},
          {{"E_L", "mV", Constraint::finite, "resting potential"}, &P::E_L},
          {{"V_reset", "mV", Constraint::finite, "reset potential, below V_th"}, &P::V_reset},
          {{"V_th", "mV", Constraint::finite, "spike threshold"}, &P::V_th},
          {{"I_e", "pA", Constraint::finite, "constant external current"}, &P::I_e},
          {{"V_init", "mV", Constraint::finite, "initial membrane potential"}, &P::V_init},
      },
      [](const P& p, std::vector<ParamError>& errors) {
        if (p.V_reset >= p.V_th)
          errors.push_back({"V_reset", "must be below V_th (" + std::to_string(p.V_th) +
                                           " mV), got " + std::to_string(p.V_reset) + " mV"});
      });
  return table;
}

LifPscDelta::Derived LifPscDelta::prepare(const Params& p, const Resolution& r) {
  const double h = r.dt_ms();
  return {std::exp(-h / p.tau_m), -p.tau_m / p.C_m * std::expm1(-h / p.tau_m),
          static_cast<std::int32_t>(r.duration_steps(p.t_ref))};
}

namespace {
// The integration pass; with `Current` false the current channel is silent
// (nothing writes it) and its zeros are not read: P20·(I_e + 0), the value
// the loop would compute, is taken once.
template <bool Current>
void integrate(const LifPscDelta::Params& p, const LifPscDelta::Derived& d, LifPscDelta::State& s,
               const UpdateContext& ctx, std::size_t begin, std::size_t end) {
  const double* __restrict ex = ctx.input[0];
  const double* __restrict in = ctx.input[1];
  const double* __restrict cur = ctx.input[2];
  double* __restrict V = s.V_m.data();
  std::int32_t* __restrict refr = s.refractory.data();
  const double E_L = p.E_L, V_th = p.V_th, I_e = p.I_e, P22 = d.P22, P20 = d.P20;
  const double silent_drive = P20 * (I_e + 0.0);
// Input during refractoriness is discarded; a crossing is marked with
// refractory = −1. The arrays never overlap (ivdep: no run-time alias checks).
#pragma GCC ivdep
  for (std::size_t i = begin; i < end; ++i) {
    const bool active = refr[i] == 0;
    const double drive = Current ? P20 * (I_e + cur[i]) : silent_drive;
    const double integrated = E_L + P22 * (V[i] - E_L) + drive + ex[i] + in[i];
    const double v = active ? integrated : V[i];
    const std::int32_t r = active ? 0 : refr[i] - 1;
    V[i] = v;
    refr[i] = v >= V_th ? -1 : r;
  }
}
}  // namespace

// Two passes so that the first vectorises: integrate every neuron and mark
// crossings; then reset the marked ones and emit their spikes in index order.
void LifPscDelta::update(const Params& p, const Derived& d, State& s, const UpdateContext& ctx,
                         std::size_t begin, std::size_t end) {
  if (ctx.silent & 4u)
    integrate<false>(p, d, s, ctx, begin, end);
  else
    integrate<true>(p, d, s, ctx, begin, end);
  double* V = s.V_m.data();
  std::int32_t* refr = s.refractory.data();
  for_each_marked(
      begin, end, [refr](std::size_t i) { return refr[i] < 0; },
      [&](std::size_t i) {
        V[i] = p.V_reset;
        refr[i] = d.refractory_steps;
        ctx.emit(i);
      });
}

namespace {
const bool registered = register_neuron_model<LifPscDelta>(
    "Leaky integrate-and-fire neuron with delta synapses (a spike of weight w moves V by w mV), "
    "integrated exactly; NEST's iaf_psc_delta, the neuron of Brunel (2000). Input arriving "
    "during the refractory period is discarded.");
}  // namespace

}  // namespace bgsim::models
