#include "models/lif_psc_exp.hpp"

#include <cmath>

#include "core/registry.hpp"

namespace bgsim::models {

const ParamTable<LifPscExp::Params>& LifPscExp::param_table() {
  using P = Params;
  static const ParamTable<P> table(
      {
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
      },
      [](const P& p, std::vector<ParamError>& errors) {
        if (p.V_reset >= p.V_th)
          errors.push_back({"V_reset", "must be below V_th (" + std::to_string(p.V_th) +
                                           " mV), got " + std::to_string(p.V_reset) + " mV"});
      });
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
  return d;
}

void LifPscExp::update(const Params& p, const Derived& d, State& s, const UpdateContext& ctx,
                       std::size_t begin, std::size_t end) {
  const double* in_ex = ctx.input[0];
  const double* in_in = ctx.input[1];
  const double* in_cur = ctx.input[2];
  double* V = s.V_m.data();
  double* I_ex = s.I_syn_ex.data();
  double* I_in = s.I_syn_in.data();
  std::int32_t* refr = s.refractory.data();
  const double theta = p.V_th - p.E_L, reset = p.V_reset - p.E_L;
  for (std::size_t i = begin; i < end; ++i) {
    I_ex[i] += in_ex[i];
    I_in[i] += in_in[i];
    double y = V[i] - p.E_L;
    if (refr[i] == 0) {
      y = d.P22 * y + d.P21_ex * I_ex[i] + d.P21_in * I_in[i] + d.P20 * (p.I_e + in_cur[i]);
    } else {
      --refr[i];
    }
    I_ex[i] *= d.P11_ex;
    I_in[i] *= d.P11_in;
    if (y >= theta) {
      y = reset;
      refr[i] = d.refractory_steps;
      ctx.emit(i);
    }
    V[i] = y + p.E_L;
  }
}

namespace {
const bool registered = register_neuron_model<LifPscExp>(
    "Leaky integrate-and-fire neuron with exponential post-synaptic currents, integrated "
    "exactly with precomputed propagators (Rotter & Diesmann 1999); NEST's iaf_psc_exp. "
    "Receptors: excitatory and inhibitory (jumps of the synaptic currents, pA), current "
    "(held over the step, pA).");
}  // namespace

}  // namespace bgsim::models
