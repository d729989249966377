#include "models/lif_psc_exp.hpp"

#include <cmath>

#include "core/marked_scan.hpp"
#include "core/registry.hpp"
#include "models/dopamine_activation.hpp"

namespace bgsim::models {

const ParamTable<LifPscExp::Params>& LifPscExp::param_table() {
  using P = Params;
  static const ParamTable<P> table = [] {
    std::vector<ParamTable<P>::Entry> entries{
        {{"C_m", "pF", Constraint::positive, "membrane capacitance"}, &P::C_m},
        {{"tau_m", "ms", Constraint::positive, "membrane time constant"}, &P::tau_m},
        {{"tau_syn_ex", "ms", Constraint::positive, "excitatory synaptic current decay time"},
         &P::tau_syn_ex},
        {{"tau_syn_in", "ms", Constraint::positive, "inhibitory synaptic current decay time"},
         &P::tau_syn_in},
        {{"t_ref", "ms", Constraint::nonnegative, "absolute refractory period"}, &P::t_ref},
        {{"E_L", "mV", Constraint::finite, "resting potential"}, &P::E_L},
        {{"V_reset", "mV", Constraint::finite, "reset potential, below V_th"}, &P::V_reset},
        {{"V_th", "mV", Constraint::finite, "spike threshold"}, &P::V_th},
        {{"I_e", "pA", Constraint::finite, "constant external current"}, &P::I_e},
        {{"V_init", "mV", Constraint::finite, "initial membrane potential"}, &P::V_init},
    };
    for (auto& e : dopamine_receptor_entries<P>(
             "dopamine receptor scaling the excitatory current: none, D1 (x (1 + d1_beta phi)) or "
             "D2 (x (1 - d2_beta phi))"))
      entries.push_back(std::move(e));
    entries.push_back(
        {{"d1_beta", "1", Constraint::nonnegative, "D1: excitatory current x (1 + d1_beta phi)"},
         &P::d1_beta});
    entries.push_back(
        {{"d2_beta", "1", Constraint::unit_interval, "D2: excitatory current x (1 - d2_beta phi)"},
         &P::d2_beta});
    return ParamTable<P>(std::move(entries), [](const P& p, std::vector<ParamError>& errors) {
      if (p.V_reset >= p.V_th)
        errors.push_back({"V_reset", "must be below V_th (" + std::to_string(p.V_th) +
                                         " mV), got " + std::to_string(p.V_reset) + " mV"});
      check_dopamine_receptor(p.dopamine_receptor, p.phi, errors);
    });
  }();
  return table;
}

double LifPscExp::psc_propagator(double C_m, double tau_m, double tau_syn, double h) {
  const double beta = 1.0 / tau_syn - 1.0 / tau_m;
  const double factor = beta == 0.0 ? h : -std::expm1(-h * beta) / beta;
  return std::exp(-h / tau_m) * factor / C_m;
}

LifPscExp::Derived LifPscExp::prepare(const Params& p, const Resolution& r) {
  const double h = r.dt_ms();
  Derived d;
  d.P22 = std::exp(-h / p.tau_m);
  d.P20 = -p.tau_m / p.C_m * std::expm1(-h / p.tau_m);
  d.P11_ex = std::exp(-h / p.tau_syn_ex);
  d.P11_in = std::exp(-h / p.tau_syn_in);
  d.P21_ex = psc_propagator(p.C_m, p.tau_m, p.tau_syn_ex, h);
  d.P21_in = psc_propagator(p.C_m, p.tau_m, p.tau_syn_in, h);
  d.refractory_steps = static_cast<std::int32_t>(r.duration_steps(p.t_ref));
  d.receptor = lif_receptor(p.dopamine_receptor);
  d.saturating = p.activation == "saturating";
  return d;
}

std::string LifPscExp::cannot_read_neuromodulator(const Params& p) {
  return cannot_read_dopamine(p.dopamine_receptor, p.phi, "");
}

namespace {
// The integration pass; with `Current` false the current channel is silent
// (nothing writes it) and its zeros are not read: P20·(I_e + 0), the value
// the loop would compute, is taken once. With `Consume` the input just read
// is zeroed in the same pass (UpdateContext::consume): the slot is in cache
// here, and a second pass over it cost a tenth to a fifth of CUBA's time.
template <bool Current, bool Consume>
void integrate(const LifPscExp::Params& p, const LifPscExp::Derived& d, double P21_ex,
               LifPscExp::State& s, const UpdateContext& ctx, std::size_t begin, std::size_t end) {
  double* __restrict in_ex = Consume ? ctx.consume[0] : const_cast<double*>(ctx.input[0]);
  double* __restrict in_in = Consume ? ctx.consume[1] : const_cast<double*>(ctx.input[1]);
  double* __restrict in_cur = Consume ? ctx.consume[2] : const_cast<double*>(ctx.input[2]);
  double* __restrict V = s.V_m.data();
  double* __restrict I_ex = s.I_syn_ex.data();
  double* __restrict I_in = s.I_syn_in.data();
  std::int32_t* __restrict refr = s.refractory.data();
  const double E_L = p.E_L, I_e = p.I_e, theta = p.V_th - p.E_L;
  const double P22 = d.P22, P21_in = d.P21_in, P20 = d.P20;
  const double P11_ex = d.P11_ex, P11_in = d.P11_in, silent_drive = P20 * (I_e + 0.0);
// Mark a crossing with refractory = −1. The arrays never overlap (ivdep: no
// run-time alias checks, too many here). With Consume both synaptic channels
// are zeroed, silent or not (a silent one holds zeros already).
#pragma GCC ivdep
  for (std::size_t i = begin; i < end; ++i) {
    const double iex = I_ex[i] + in_ex[i], iin = I_in[i] + in_in[i];
    const double y0 = V[i] - E_L;
    const double drive = Current ? P20 * (I_e + in_cur[i]) : silent_drive;
    const double integrated = P22 * y0 + P21_ex * iex + P21_in * iin + drive;
    const bool active = refr[i] == 0;
    const double y = active ? integrated : y0;
    const std::int32_t r = active ? 0 : refr[i] - 1;
    I_ex[i] = iex * P11_ex;
    I_in[i] = iin * P11_in;
    V[i] = y + E_L;
    refr[i] = y >= theta ? -1 : r;
    if constexpr (Consume) {
      in_ex[i] = 0.0;
      in_in[i] = 0.0;
      if constexpr (Current) in_cur[i] = 0.0;
    }
  }
}
}  // namespace

// Two passes so that the first vectorises: integrate every neuron (the
// membrane held while refractory) and mark crossings; then reset the marked
// ones and emit their spikes in index order.
void LifPscExp::update(const Params& p, const Derived& d, State& s, const UpdateContext& ctx,
                       std::size_t begin, std::size_t end) {
  const bool current = !(ctx.silent & 4u);
  // The excitatory propagator of this step, scaled by dopamine's g (above).
  double P21_ex = d.P21_ex;
  if (d.receptor != 0) {
    const double phi = ctx.neuromodulator ? dopamine_activation(d.saturating, p.phi_gain,
                                                                p.phi_half, *ctx.neuromodulator)
                                          : p.phi;
    P21_ex *= excitatory_gain(p, d, phi);
  }
  if (ctx.consume)
    current ? integrate<true, true>(p, d, P21_ex, s, ctx, begin, end)
            : integrate<false, true>(p, d, P21_ex, s, ctx, begin, end);
  else
    current ? integrate<true, false>(p, d, P21_ex, s, ctx, begin, end)
            : integrate<false, false>(p, d, P21_ex, s, ctx, begin, end);
  double* V = s.V_m.data();
  std::int32_t* refr = s.refractory.data();
  const double E_L = p.E_L, reset = p.V_reset - p.E_L;
  for_each_marked(
      begin, end, [refr](std::size_t i) { return refr[i] < 0; },
      [&](std::size_t i) {
        V[i] = reset + E_L;
        refr[i] = d.refractory_steps;
        ctx.emit(i);
      });
}

namespace {
const bool registered = register_neuron_model<LifPscExp>(
    "Leaky integrate-and-fire neuron with exponential post-synaptic currents, integrated "
    "exactly with precomputed propagators (Rotter & Diesmann 1999); NEST's iaf_psc_exp. "
    "Receptors: excitatory and inhibitory (jumps of the synaptic currents, pA), current "
    "(held over the step, pA). Optional dopamine receptor (D1/D2) scaling the excitatory "
    "current, phi fixed or from the level of a dopamine volume the population reads.");
}  // namespace

}  // namespace bgsim::models
