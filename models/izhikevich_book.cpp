#include "models/izhikevich_book.hpp"

#include <cmath>
#include <sstream>

#include "core/registry.hpp"

namespace bgsim::models {

namespace {
std::string mv(double v) {
  std::ostringstream s;
  s << v << " mV";
  return s.str();
}
}  // namespace

const ParamTable<IzhikevichBook::Params>& IzhikevichBook::param_table() {
  using P = Params;
  static const ParamTable<P> table(
      {
          {{"C", "pF", Constraint::positive, "membrane capacitance"}, &P::C},
          {{"k", "nS/mV", Constraint::positive, "gain of the quadratic membrane current"}, &P::k},
          {{"v_r", "mV", Constraint::finite, "resting potential, below v_t"}, &P::v_r},
          {{"v_t", "mV", Constraint::finite, "instantaneous threshold potential"}, &P::v_t},
          {{"v_peak", "mV", Constraint::finite, "spike cut-off, above v_t and c"}, &P::v_peak},
          {{"a", "1/ms", Constraint::positive, "rate of the recovery variable u"}, &P::a},
          {{"b", "nS", Constraint::finite, "linear sensitivity of u to v - v_r"}, &P::b},
          {{"b_cubic", "pA/mV^3", Constraint::nonnegative,
            "cubic sensitivity of u to v above v_b (fast-spiking interneurons)"},
           &P::b_cubic},
          {{"v_b", "mV", Constraint::finite, "onset of the cubic term of U(v)"}, &P::v_b},
          {{"c", "mV", Constraint::finite, "after-spike reset of v, below v_peak"}, &P::c},
          {{"d", "pA", Constraint::finite, "after-spike increment of u"}, &P::d},
          {{"tau_syn_ex", "ms", Constraint::positive, "excitatory synaptic current decay time"},
           &P::tau_syn_ex},
          {{"tau_syn_in", "ms", Constraint::positive, "inhibitory synaptic current decay time"},
           &P::tau_syn_in},
          {{"I_e", "pA", Constraint::finite, "constant external current"}, &P::I_e},
          {{"V_init", "mV", Constraint::finite, "initial v (u starts at U(V_init))"}, &P::V_init},
          {{"scheme", "", Constraint::choice, "integration scheme", izhikevich_scheme_names()},
           &P::scheme},
          {{"abs_tol", "mV", Constraint::positive,
            "dopri5 absolute error tolerance (mV for v, pA for u)"},
           &P::abs_tol},
          {{"rel_tol", "1", Constraint::positive, "dopri5 relative error tolerance"}, &P::rel_tol},
      },
      [](const P& p, std::vector<ParamError>& errors) {
        if (!(p.v_r < p.v_t))
          errors.push_back({"v_r", "the resting potential must be below v_t (" + mv(p.v_t) +
                                       "), got " + mv(p.v_r)});
        if (!(p.v_t < p.v_peak))
          errors.push_back({"v_peak", "the spike cut-off must be above v_t (" + mv(p.v_t) +
                                          "), got " + mv(p.v_peak)});
        if (!(p.c < p.v_peak))
          errors.push_back(
              {"c", "the reset must be below v_peak (" + mv(p.v_peak) + "), got " + mv(p.c)});
      });
  return table;
}

IzhikevichBook::Derived IzhikevichBook::prepare(const Params& p, const Resolution& r) {
  Derived d;
  d.h = r.dt_ms();
  d.P_ex = std::exp(-d.h / p.tau_syn_ex);
  d.P_in = std::exp(-d.h / p.tau_syn_in);
  d.P_ex_half = std::exp(-0.5 * d.h / p.tau_syn_ex);
  d.P_in_half = std::exp(-0.5 * d.h / p.tau_syn_in);
  d.scheme = izhikevich_scheme(p.scheme);
  return d;
}

namespace {
// dv/dt and du/dt of one neuron during one step; the synaptic currents decay
// from their values at the start of the step.
struct BookDynamics {
  const IzhikevichBook::Params& p;
  double inv_C;
  double I;           // constant part of the input over the step [pA]
  double I_ex, I_in;  // synaptic currents at the start of the step [pA]
  double inv_tau_ex, inv_tau_in;

  double dv(double v, double u, double t) const {
    const double syn = I_ex * std::exp(-t * inv_tau_ex) + I_in * std::exp(-t * inv_tau_in);
    return (p.k * (v - p.v_r) * (v - p.v_t) - u + I + syn) * inv_C;
  }
  double du(double v, double u) const { return p.a * (IzhikevichBook::u_nullcline(p, v) - u); }
};
}  // namespace

void IzhikevichBook::update(const Params& p, const Derived& d, State& s, const UpdateContext& ctx,
                            std::size_t begin, std::size_t end) {
  const double* ex = ctx.input[0];
  const double* in = ctx.input[1];
  const double* cur = ctx.input[2];
  double* v = s.v.data();
  double* u = s.u.data();
  double* I_ex = s.I_syn_ex.data();
  double* I_in = s.I_syn_in.data();
  const double inv_C = 1.0 / p.C;
  if (d.scheme == IzhikevichScheme::half_steps) {
    // The common case written out: the currents at t = 0 and t = h/2 come from
    // precomputed decay factors instead of exp().
    const double half = 0.5 * d.h * inv_C;
    for (std::size_t i = begin; i < end; ++i) {
      const double Iex = I_ex[i] + ex[i], Iin = I_in[i] + in[i];
      const double I = p.I_e + cur[i];
      const double I0 = I + Iex + Iin;
      const double I_half = I + Iex * d.P_ex_half + Iin * d.P_in_half;
      double vi = v[i];
      const double ui = u[i];
      vi += half * (p.k * (vi - p.v_r) * (vi - p.v_t) - ui + I0);
      vi += half * (p.k * (vi - p.v_r) * (vi - p.v_t) - ui + I_half);
      u[i] = ui + d.h * p.a * (u_nullcline(p, vi) - ui);
      v[i] = vi;
      I_ex[i] = Iex * d.P_ex;
      I_in[i] = Iin * d.P_in;
    }
    for (std::size_t i = begin; i < end; ++i) {
      if (!(v[i] < p.v_peak)) {  // also catches an overflow to inf or NaN
        v[i] = p.c;
        u[i] += p.d;
        ctx.emit(i);
      }
    }
    return;
  }
  // Spikes are emitted neuron by neuron, in index order (the kernel's
  // (step, gid) order within a thread's block).
  const SpikeReset rule{p.v_peak, p.c, p.d};
  const double inv_tau_ex = 1.0 / p.tau_syn_ex, inv_tau_in = 1.0 / p.tau_syn_in;
  for (std::size_t i = begin; i < end; ++i) {
    const double Iex = I_ex[i] + ex[i], Iin = I_in[i] + in[i];
    const BookDynamics f{p, inv_C, p.I_e + cur[i], Iex, Iin, inv_tau_ex, inv_tau_in};
    int spikes = izhikevich_step(d.scheme, f, v[i], u[i], d.h, rule, p.abs_tol, p.rel_tol);
    I_ex[i] = Iex * d.P_ex;
    I_in[i] = Iin * d.P_in;
    if (!(v[i] < p.v_peak)) {
      v[i] = p.c;
      u[i] += p.d;
      ++spikes;
    }
    for (; spikes > 0; --spikes)
      ctx.emit(i);
  }
}

namespace {
ParamMap book_preset(double C, double k, double v_r, double v_t, double v_peak, double a, double b,
                     double c, double d) {
  return {{"C", C}, {"k", k}, {"v_r", v_r}, {"v_t", v_t}, {"v_peak", v_peak},
          {"a", a}, {"b", b}, {"c", c},     {"d", d},     {"V_init", v_r}};
}

std::map<std::string, ParamMap> presets() {
  std::map<std::string, ParamMap> m;
  m["regular_spiking"] = book_preset(100.0, 0.7, -60.0, -40.0, 35.0, 0.03, -2.0, -50.0, 100.0);
  m["msn"] = book_preset(50.0, 1.0, -80.0, -25.0, 40.0, 0.01, -20.0, -55.0, 150.0);
  m["fast_spiking"] = book_preset(20.0, 1.0, -55.0, -40.0, 25.0, 0.2, 0.0, -45.0, 0.0);
  m["fast_spiking"]["b_cubic"] = 0.025;
  m["fast_spiking"]["v_b"] = -55.0;
  return m;
}

const bool registered = register_neuron_model<IzhikevichBook>(
    "Izhikevich (2007, book ch. 8) simple model in physical units: C v' = k(v − v_r)(v − v_t) − u "
    "+ I, u' = a(U(v) − u) with U(v) = b(v − v_r) + b_cubic·max(v − v_b, 0)³, reset v <- c, u <- "
    "u + d at v >= v_peak. Exponential synaptic currents (pA) on the excitatory and inhibitory "
    "receptors, current channel in pA. Schemes: half_steps, euler, rk4, dopri5. Presets: "
    "regular_spiking, fast_spiking, msn (striatal medium spiny neuron).",
    presets());
}  // namespace

}  // namespace bgsim::models
