#include "models/lif_cond_exp.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include <boost/numeric/odeint.hpp>

#include "core/registry.hpp"
#include "models/dopamine_activation.hpp"

namespace bgsim::models {

const ParamTable<LifCondExp::Params>& LifCondExp::param_table() {
  using P = Params;
  static const ParamTable<P> table = [] {
    std::vector<ParamTable<P>::Entry> entries{
        {{"C_m", "pF", Constraint::positive, "membrane capacitance"}, &P::C_m},
        {{"g_L", "nS", Constraint::positive, "leak conductance"}, &P::g_L},
        {{"E_L", "mV", Constraint::finite, "leak reversal (resting) potential"}, &P::E_L},
        {{"E_ex", "mV", Constraint::finite, "excitatory reversal potential"}, &P::E_ex},
        {{"E_in", "mV", Constraint::finite, "inhibitory reversal potential"}, &P::E_in},
        {{"V_th", "mV", Constraint::finite, "spike threshold"}, &P::V_th},
        {{"V_reset", "mV", Constraint::finite, "reset potential, below V_th"}, &P::V_reset},
        {{"t_ref", "ms", Constraint::nonnegative, "absolute refractory period"}, &P::t_ref},
        {{"tau_syn_ex", "ms", Constraint::positive, "excitatory conductance decay time"},
         &P::tau_syn_ex},
        {{"tau_syn_in", "ms", Constraint::positive, "inhibitory conductance decay time"},
         &P::tau_syn_in},
        {{"I_e", "pA", Constraint::finite, "constant external current"}, &P::I_e},
        {{"V_init", "mV", Constraint::finite, "initial membrane potential"}, &P::V_init},
        {{"abs_tol", "mV", Constraint::positive,
          "Dormand-Prince absolute error tolerance (mV for V, nS for g)"},
         &P::abs_tol},
        {{"rel_tol", "1", Constraint::positive, "Dormand-Prince relative error tolerance"},
         &P::rel_tol},
        {{"scheme",
          "",
          Constraint::choice,
          "dopri5 (adaptive, to abs_tol/rel_tol) or exponential_euler (one step, the "
          "conductances' mean over it; error falling with dt squared)",
          {"dopri5", "exponential_euler"}},
         &P::scheme},
    };
    for (auto& e : dopamine_receptor_entries<P>(
             "dopamine receptor scaling the excitatory conductance jumps: none, D1 (x (1 + "
             "d1_beta phi)) or D2 (x (1 - d2_beta phi))"))
      entries.push_back(std::move(e));
    entries.push_back({{"d1_beta", "1", Constraint::nonnegative,
                        "D1: excitatory conductance jumps x (1 + d1_beta phi)"},
                       &P::d1_beta});
    entries.push_back({{"d2_beta", "1", Constraint::unit_interval,
                        "D2: excitatory conductance jumps x (1 - d2_beta phi)"},
                       &P::d2_beta});
    return ParamTable<P>(std::move(entries), [](const P& p, std::vector<ParamError>& errors) {
      if (p.V_reset >= p.V_th) {
        std::ostringstream s;
        s << "must be below V_th (" << p.V_th << " mV), got " << p.V_reset << " mV";
        errors.push_back({"V_reset", s.str()});
      }
      check_dopamine_receptor(p.dopamine_receptor, p.phi, errors);
    });
  }();
  return table;
}

std::string LifCondExp::cannot_read_neuromodulator(const Params& p) {
  return cannot_read_dopamine(p.dopamine_receptor, p.phi, "");
}

LifCondExp::Derived LifCondExp::prepare(const Params& p, const Resolution& r) {
  Derived d;
  d.h = r.dt_ms();
  d.P_ex = std::exp(-d.h / p.tau_syn_ex);
  d.P_in = std::exp(-d.h / p.tau_syn_in);
  d.M_ex = (1.0 - d.P_ex) * p.tau_syn_ex / d.h;
  d.M_in = (1.0 - d.P_in) * p.tau_syn_in / d.h;
  d.exponential_euler = p.scheme == "exponential_euler";
  d.refractory_steps = static_cast<std::int32_t>(r.duration_steps(p.t_ref));
  d.receptor = lif_receptor(p.dopamine_receptor);
  d.saturating = p.activation == "saturating";
  return d;
}

void LifCondExp::update(const Params& p, const Derived& d, State& s, const UpdateContext& ctx,
                        std::size_t begin, std::size_t end) {
  namespace ode = boost::numeric::odeint;
  using X = std::array<double, 3>;  // V [mV], g_ex [nS], g_in [nS]
  const double* in_ex = ctx.input[0];
  const double* in_in = ctx.input[1];
  const double* in_cur = ctx.input[2];
  double* V = s.V_m.data();
  double* g_ex = s.g_ex.data();
  double* g_in = s.g_in.data();
  double* h_ode = s.h_ode.data();
  std::int32_t* refr = s.refractory.data();
  const double h = d.h;
  const double inv_C = 1.0 / p.C_m;
  const double inv_tau_ex = 1.0 / p.tau_syn_ex, inv_tau_in = 1.0 / p.tau_syn_in;
  // Dopamine's g on the excitatory jumps of this step (above); 1 multiplies exactly.
  double gain = 1.0;
  if (d.receptor != 0)
    gain = excitatory_gain(p, d,
                           ctx.neuromodulator ? dopamine_activation(d.saturating, p.phi_gain,
                                                                    p.phi_half, *ctx.neuromodulator)
                                              : p.phi);
  for (std::size_t i = begin; i < end; ++i) {
    const double gex = g_ex[i] + gain * in_ex[i];
    const double gin = g_in[i] + in_in[i];
    if (refr[i] > 0) {
      --refr[i];
      V[i] = p.V_reset;
    } else if (d.exponential_euler) {
      const double ge = gex * d.M_ex, gi = gin * d.M_in;
      const double G = p.g_L + ge + gi;
      const double V_inf = (p.g_L * p.E_L + ge * p.E_ex + gi * p.E_in + p.I_e + in_cur[i]) / G;
      V[i] = V_inf + (V[i] - V_inf) * std::exp(-h * G * inv_C);
    } else {
      const double I = p.I_e + in_cur[i];
      const auto system = [&](const X& x, X& dxdt, double) {
        dxdt[0] =
            (-p.g_L * (x[0] - p.E_L) - x[1] * (x[0] - p.E_ex) - x[2] * (x[0] - p.E_in) + I) * inv_C;
        dxdt[1] = -x[1] * inv_tau_ex;
        dxdt[2] = -x[2] * inv_tau_in;
      };
      // A fresh stepper per neuron and step: the FSAL derivative it caches
      // belongs to one trajectory.
      auto stepper = ode::make_controlled<ode::runge_kutta_dopri5<X>>(p.abs_tol, p.rel_tol);
      X x{V[i], gex, gin};
      double t = 0.0;
      double guess = h_ode[i] > 0.0 ? h_ode[i] : h;
      for (int tries = 0; t < h && tries < 100000; ++tries) {
        const bool clipped = guess > h - t;
        double dt = clipped ? h - t : guess;
        if (stepper.try_step(system, x, t, dt) == ode::success) {
          if (clipped)
            t = h;  // reached the end of the step (t + (h - t) may round below h)
          else
            guess = dt;  // the controller's proposal for the next step
        } else {
          guess = dt;  // the reduced step to retry with
        }
      }
      h_ode[i] = guess;
      V[i] = x[0];
    }
    g_ex[i] = gex * d.P_ex;
    g_in[i] = gin * d.P_in;
    if (V[i] >= p.V_th) {
      V[i] = p.V_reset;
      refr[i] = d.refractory_steps;
      ctx.emit(i);
    }
  }
}

namespace {
const bool registered = register_neuron_model<LifCondExp>(
    "Leaky integrate-and-fire neuron with exponentially decaying synaptic conductances "
    "(NEST's iaf_cond_exp parameters and refractory clamp), integrated per step with "
    "Boost.Odeint's Dormand-Prince 5(4) to abs_tol/rel_tol, or one exponential-Euler step "
    "(scheme). Receptors: excitatory and "
    "inhibitory (conductance jumps in nS, weights >= 0; E_in makes inhibition), current "
    "(held over the step, pA). Optional dopamine receptor (D1/D2) scaling the excitatory "
    "jumps, phi fixed or from the level of a dopamine volume the population reads.");
}  // namespace

}  // namespace bgsim::models
