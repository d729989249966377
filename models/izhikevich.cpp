#include "models/izhikevich.hpp"

#include "core/marked_scan.hpp"
#include "core/registry.hpp"

namespace bgsim::models {

const ParamTable<Izhikevich::Params>& Izhikevich::param_table() {
  using P = Params;
  static const ParamTable<P> table(
      {
          {{"a", "1/ms", Constraint::positive, "time scale of the recovery variable u"}, &P::a},
          {{"b", "1", Constraint::finite, "sensitivity of u to subthreshold v"}, &P::b},
          {{"c", "mV", Constraint::finite, "after-spike reset of v"}, &P::c},
          {{"d", "mV/ms", Constraint::finite, "after-spike increment of u"}, &P::d},
          {{"v_peak", "mV", Constraint::finite, "spike cut-off; above c"}, &P::v_peak},
          {{"I_e", "mV/ms", Constraint::finite, "constant input current"}, &P::I_e},
          {{"V_init", "mV", Constraint::finite, "initial v (u starts at b·V_init)"}, &P::V_init},
          {{"scheme", "", Constraint::choice, "integration scheme", izhikevich_scheme_names()},
           &P::scheme},
          {{"abs_tol", "mV", Constraint::positive, "dopri5 absolute error tolerance"}, &P::abs_tol},
          {{"rel_tol", "1", Constraint::positive, "dopri5 relative error tolerance"}, &P::rel_tol},
      },
      [](const P& p, std::vector<ParamError>& errors) {
        if (p.c >= p.v_peak)
          errors.push_back({"c", "the reset must be below v_peak (" + std::to_string(p.v_peak) +
                                     " mV), got " + std::to_string(p.c) + " mV"});
      });
  return table;
}

namespace {
// Input is constant over the step, so dv/dt does not depend on t.
struct SimpleDynamics {
  double a, b, I;
  double dv(double v, double u, double) const { return (0.04 * v + 5.0) * v + 140.0 - u + I; }
  double du(double v, double u) const { return a * (b * v - u); }
};
}  // namespace

void Izhikevich::update(const Params& p, const Derived& d, State& s, const UpdateContext& ctx,
                        std::size_t begin, std::size_t end) {
  const double* __restrict ex = ctx.input[0];
  const double* __restrict in = ctx.input[1];
  const double* __restrict cur = ctx.input[2];
  double* __restrict v = s.v.data();
  double* __restrict u = s.u.data();
  if (d.scheme == IzhikevichScheme::half_steps) {
    // The common case, written out so that it vectorises: constants in locals
    // (a store to v or u could otherwise alias them) and restrict pointers
    // (the state and input arrays never overlap).
    const double half = 0.5 * d.h, h_a = d.h * p.a, b = p.b, I_e = p.I_e, inv_h = d.inv_h;
#pragma GCC ivdep
    for (std::size_t i = begin; i < end; ++i) {
      const double I = I_e + cur[i] + (ex[i] + in[i]) * inv_h;
      double vi = v[i], ui = u[i];
      vi += half * ((0.04 * vi + 5.0) * vi + 140.0 - ui + I);
      vi += half * ((0.04 * vi + 5.0) * vi + 140.0 - ui + I);
      ui += h_a * (b * vi - ui);
      v[i] = vi;
      u[i] = ui;
    }
    const double v_peak = p.v_peak;
    for_each_marked(
        begin, end, [&](std::size_t i) { return !(v[i] < v_peak); },  // also inf and NaN
        [&](std::size_t i) {
          v[i] = p.c;
          u[i] += p.d;
          ctx.emit(i);
        });
    return;
  }
  // Spikes are emitted neuron by neuron, in index order (the kernel's
  // (step, gid) order within a thread's block).
  const SpikeReset rule{p.v_peak, p.c, p.d};
  for (std::size_t i = begin; i < end; ++i) {
    const double I = p.I_e + cur[i] + (ex[i] + in[i]) * d.inv_h;
    int spikes = izhikevich_step(d.scheme, SimpleDynamics{p.a, p.b, I}, v[i], u[i], d.h, rule,
                                 p.abs_tol, p.rel_tol);
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
ParamMap preset(double a, double b, double c, double d) {
  return {{"a", a}, {"b", b}, {"c", c}, {"d", d}};
}
const bool registered = register_neuron_model<Izhikevich>(
    "Izhikevich (2003) simple spiking neuron: v' = 0.04v² + 5v + 140 − u + I, u' = a(bv − u), "
    "reset v <- c, u <- u + d at v >= v_peak. Spike weights are charge-preserving one-step "
    "current pulses (w mV per spike at any dt). Schemes: half_steps (published), euler, rk4, "
    "dopri5.",
    {{"regular_spiking", preset(0.02, 0.2, -65.0, 8.0)},
     {"fast_spiking", preset(0.1, 0.2, -65.0, 2.0)},
     {"intrinsically_bursting", preset(0.02, 0.2, -55.0, 4.0)},
     {"chattering", preset(0.02, 0.2, -50.0, 2.0)},
     {"low_threshold_spiking", preset(0.02, 0.25, -65.0, 2.0)}});
}  // namespace

}  // namespace bgsim::models
