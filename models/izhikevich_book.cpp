#include "models/izhikevich_book.hpp"

#include <cmath>
#include <sstream>

#include "core/registry.hpp"

namespace bgsim::models {

namespace {
std::string number(double x) {
  std::ostringstream s;
  s << x;
  return s.str();
}
std::string mv(double v) {
  return number(v) + " mV";
}
}  // namespace

const ParamTable<IzhikevichBook::Params>& IzhikevichBook::param_table() {
  using P = Params;
  static const ParamTable<P> table = [] {
    std::vector<ParamTable<P>::Entry> entries{
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
        {{"tau_syn_nmda", "ms", Constraint::positive, "NMDA conductance decay time"},
         &P::tau_syn_nmda},
        {{"E_nmda", "mV", Constraint::finite, "NMDA reversal potential"}, &P::E_nmda},
        {{"Mg", "mM", Constraint::nonnegative,
          "extracellular Mg2+ concentration (NMDA block B(v) = 1/(1 + Mg/3.57 e^(-0.062 v)))"},
         &P::Mg},
        {{"I_e", "pA", Constraint::finite, "constant external current"}, &P::I_e},
        {{"tonic_rate_Hz", "Hz", Constraint::nonnegative,
          "when > 0, the constant current is found (at preparation, by bisection on the "
          "model's own update) so that the cell without other input fires at this rate; "
          "I_e must then be 0"},
         &P::tonic_rate_Hz},
        {{"V_init", "mV", Constraint::finite, "initial v (u starts at U(V_init))"}, &P::V_init},
        {{"scheme", "", Constraint::choice, "integration scheme", izhikevich_scheme_names()},
         &P::scheme},
        {{"abs_tol", "mV", Constraint::positive,
          "dopri5 absolute error tolerance (mV for v, pA for u)"},
         &P::abs_tol},
        {{"rel_tol", "1", Constraint::positive, "dopri5 relative error tolerance"}, &P::rel_tol},
    };
    for (auto& e : dopamine_receptor_entries<P>(
             "dopamine receptor of the cell (Humphries et al. 2009): none, D1 or D2"))
      entries.push_back(std::move(e));
    for (auto& e : std::vector<ParamTable<P>::Entry>{
             {{"d1_K", "1", Constraint::nonnegative,
               "D1: v_r' = v_r (1 + d1_K phi) (K_IR current)"},
              &P::d1_K},
             {{"d1_L", "1", Constraint::unit_interval,
               "D1: d' = d (1 - d1_L phi) (L-type Ca2+ current)"},
              &P::d1_L},
             {{"d1_beta1", "1", Constraint::nonnegative, "D1: NMDA current x (1 + d1_beta1 phi)"},
              &P::d1_beta1},
             {{"d2_alpha", "1", Constraint::unit_interval,
               "D2: k' = k (1 - d2_alpha phi), below 1"},
              &P::d2_alpha},
             {{"d2_beta2", "1", Constraint::unit_interval,
               "D2: excitatory (AMPA) current x (1 - d2_beta2 phi)"},
              &P::d2_beta2},
         })
      entries.push_back(std::move(e));
    return ParamTable<P>(std::move(entries), [](const P& p, std::vector<ParamError>& errors) {
      if (!(p.v_r < p.v_t))
        errors.push_back({"v_r", "the resting potential must be below v_t (" + mv(p.v_t) +
                                     "), got " + mv(p.v_r)});
      if (!(p.v_t < p.v_peak))
        errors.push_back({"v_peak", "the spike cut-off must be above v_t (" + mv(p.v_t) +
                                        "), got " + mv(p.v_peak)});
      if (!(p.c < p.v_peak))
        errors.push_back(
            {"c", "the reset must be below v_peak (" + mv(p.v_peak) + "), got " + mv(p.c)});
      if (!(p.d2_alpha < 1.0))
        errors.push_back({"d2_alpha",
                          "must be below 1 [1], so that k' = k (1 - d2_alpha phi) stays "
                          "positive at phi = 1; got " +
                              number(p.d2_alpha)});
      if (p.tonic_rate_Hz > 0.0 && p.I_e != 0.0)
        errors.push_back({"I_e",
                          "give either I_e or tonic_rate_Hz (which sets the constant "
                          "current itself), not both"});
      check_dopamine_receptor(p.dopamine_receptor, p.phi, errors);
      if (p.dopamine_receptor == "D1" && !(p.v_r * (1.0 + p.d1_K) < p.v_t))
        errors.push_back({"d1_K", "at full D1 activation the resting potential v_r (1 + d1_K) = " +
                                      mv(p.v_r * (1.0 + p.d1_K)) + " must stay below v_t (" +
                                      mv(p.v_t) + ")"});
    });
  }();
  return table;
}

std::string IzhikevichBook::cannot_read_neuromodulator(const Params& p) {
  return cannot_read_dopamine(p.dopamine_receptor, p.phi, "msn_d1 or msn_d2");
}

IzhikevichBook::Derived IzhikevichBook::prepare(const Params& p, const Resolution& r) {
  Derived d;
  d.h = r.dt_ms();
  d.P_ex = std::exp(-d.h / p.tau_syn_ex);
  d.P_in = std::exp(-d.h / p.tau_syn_in);
  d.P_ex_half = std::exp(-0.5 * d.h / p.tau_syn_ex);
  d.P_in_half = std::exp(-0.5 * d.h / p.tau_syn_in);
  d.P_nmda = std::exp(-d.h / p.tau_syn_nmda);
  d.P_nmda_half = std::exp(-0.5 * d.h / p.tau_syn_nmda);
  d.scheme = izhikevich_scheme(p.scheme);
  d.receptor = p.dopamine_receptor == "D1"   ? DopamineReceptor::D1
               : p.dopamine_receptor == "D2" ? DopamineReceptor::D2
                                             : DopamineReceptor::none;
  d.saturating = p.activation == "saturating";
  d.fixed = modulated(p, d.receptor, p.phi);
  d.I_e = p.tonic_rate_Hz > 0.0 ? tonic_current(p, r, p.tonic_rate_Hz) : p.I_e;
  return d;
}

namespace {
// The steady rate of one cell under a constant current [Hz]: the mean of the
// intervals between its spikes 11 … 30 (or 0 without a spike in 60 s).
double steady_rate(const IzhikevichBook::Params& p, const Resolution& r, double current) {
  IzhikevichBook::Params q = p;
  q.tonic_rate_Hz = 0.0;
  q.I_e = current;
  const IzhikevichBook::Derived d = IzhikevichBook::prepare(q, r);
  IzhikevichBook::State s;
  IzhikevichBook::init(q, s, 1);
  const double zero = 0.0;
  const std::array<const double*, 4> input{&zero, &zero, &zero, &zero};
  std::vector<SpikeEvent> spikes;
  UpdateContext ctx;
  ctx.input = input.data();
  ctx.spikes = &spikes;
  std::vector<Step> times;
  const auto horizon = static_cast<Step>(60000.0 / r.dt_ms());
  for (Step n = 0; n < horizon && times.size() < 31; ++n) {
    ctx.step = n;
    IzhikevichBook::update(q, d, s, ctx, 0, 1);
    for (const SpikeEvent& e : spikes)
      times.push_back(e.step);
    spikes.clear();
    // Without a spike by 60 s the rate counts as 0; one spike and then
    // silence (a transient) as well.
  }
  if (times.size() < 31) return 0.0;
  return 1000.0 / (r.to_ms(times[30] - times[10]) / 20.0);
}
}  // namespace

double IzhikevichBook::tonic_current(const Params& p, const Resolution& r, double rate_Hz) {
  double lo = 0.0, hi = 1.0;
  while (steady_rate(p, r, hi) < rate_Hz) {
    lo = hi;
    hi *= 2.0;
    if (hi > 1e6)
      throw std::invalid_argument(
          "izhikevich_book: no constant current up to 1e6 pA makes the "
          "cell fire at tonic_rate_Hz = " +
          number(rate_Hz) + " Hz");
  }
  for (int i = 0; i < 50 && hi - lo > 1e-6 * hi; ++i) {
    const double mid = 0.5 * (lo + hi);
    (steady_rate(p, r, mid) < rate_Hz ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

namespace {
// dv/dt and du/dt of one neuron during one step, with the parameters dopamine
// modulates taken from `m`; the synaptic currents and the NMDA conductance
// decay from their values at the start of the step.
struct BookDynamics {
  const IzhikevichBook::Params& p;
  const IzhikevichBook::Modulated& m;
  double inv_C;
  double I;           // constant part of the input over the step [pA]
  double I_ex, I_in;  // synaptic currents at the start of the step, I_ex modulated [pA]
  double g_nmda;      // NMDA conductance at the start of the step, modulated [nS]
  double inv_tau_ex, inv_tau_in, inv_tau_nmda;

  double dv(double v, double u, double t) const {
    double syn = I_ex * std::exp(-t * inv_tau_ex) + I_in * std::exp(-t * inv_tau_in);
    if (g_nmda != 0.0)
      syn += g_nmda * std::exp(-t * inv_tau_nmda) * IzhikevichBook::nmda_drive(p, v);
    return (m.k * (v - m.v_r) * (v - p.v_t) - u + I + syn) * inv_C;
  }
  double du(double v, double u) const {
    return p.a * (IzhikevichBook::u_nullcline(p, v, m.v_r) - u);
  }
};
}  // namespace

void IzhikevichBook::update(const Params& p, const Derived& d, State& s, const UpdateContext& ctx,
                            std::size_t begin, std::size_t end) {
  const double* ex = ctx.input[0];
  const double* in = ctx.input[1];
  const double* cur = ctx.input[2];
  const double* nm = ctx.input[3];
  double* v = s.v.data();
  double* u = s.u.data();
  double* I_ex = s.I_syn_ex.data();
  double* I_in = s.I_syn_in.data();
  double* g = s.g_nmda.data();
  const double inv_C = 1.0 / p.C;
  // The parameters of this step: at the fixed φ, or at φ of the level read.
  const Modulated m =
      ctx.neuromodulator
          ? modulated(p, d.receptor, activation_of(p, d.saturating, *ctx.neuromodulator))
          : d.fixed;
  if (d.scheme == IzhikevichScheme::half_steps) {
    // The common case written out: the currents at t = 0 and t = h/2 come from
    // precomputed decay factors instead of exp().
    const double half = 0.5 * d.h * inv_C;
    for (std::size_t i = begin; i < end; ++i) {
      const double Iex = I_ex[i] + ex[i], Iin = I_in[i] + in[i], gi = g[i] + nm[i];
      const double Iex_m = m.ampa * Iex, g_m = m.nmda * gi;
      const double I = d.I_e + cur[i];
      const double I0 = I + Iex_m + Iin;
      const double I_half = I + Iex_m * d.P_ex_half + Iin * d.P_in_half;
      double vi = v[i];
      const double ui = u[i];
      double dv = m.k * (vi - m.v_r) * (vi - p.v_t) - ui + I0;
      if (gi != 0.0) dv += g_m * nmda_drive(p, vi);
      vi += half * dv;
      dv = m.k * (vi - m.v_r) * (vi - p.v_t) - ui + I_half;
      if (gi != 0.0) dv += g_m * d.P_nmda_half * nmda_drive(p, vi);
      vi += half * dv;
      u[i] = ui + d.h * p.a * (u_nullcline(p, vi, m.v_r) - ui);
      v[i] = vi;
      I_ex[i] = Iex * d.P_ex;
      I_in[i] = Iin * d.P_in;
      g[i] = gi * d.P_nmda;
    }
    for (std::size_t i = begin; i < end; ++i) {
      if (!(v[i] < p.v_peak)) {  // also catches an overflow to inf or NaN
        v[i] = p.c;
        u[i] += m.d;
        ctx.emit(i);
      }
    }
    return;
  }
  // Spikes are emitted neuron by neuron, in index order (the kernel's
  // (step, gid) order within a thread's block).
  const SpikeReset rule{p.v_peak, p.c, m.d};
  const double inv_tau_ex = 1.0 / p.tau_syn_ex, inv_tau_in = 1.0 / p.tau_syn_in;
  const double inv_tau_nmda = 1.0 / p.tau_syn_nmda;
  for (std::size_t i = begin; i < end; ++i) {
    const double Iex = I_ex[i] + ex[i], Iin = I_in[i] + in[i], gi = g[i] + nm[i];
    const BookDynamics f{p,   m,           inv_C,      d.I_e + cur[i], m.ampa * Iex,
                         Iin, m.nmda * gi, inv_tau_ex, inv_tau_in,     inv_tau_nmda};
    int spikes = izhikevich_step(d.scheme, f, v[i], u[i], d.h, rule, p.abs_tol, p.rel_tol);
    I_ex[i] = Iex * d.P_ex;
    I_in[i] = Iin * d.P_in;
    g[i] = gi * d.P_nmda;
    if (!(v[i] < p.v_peak)) {
      v[i] = p.c;
      u[i] += m.d;
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
  // Humphries et al. (2009): C, v_t and d tuned to the compartmental model of
  // Moyer et al. (2007), the rest as in the book's MSN.
  for (const char* receptor : {"D1", "D2"}) {
    const std::string name = std::string("msn_") + (receptor[1] == '1' ? "d1" : "d2");
    m[name] = book_preset(15.2, 1.0, -80.0, -29.7, 40.0, 0.01, -20.0, -55.0, 91.0);
    m[name]["dopamine_receptor"] = std::string(receptor);
  }
  // A tonically firing dopamine cell (our design; see the header).
  m["dopamine"] = book_preset(100.0, 0.7, -60.0, -40.0, 35.0, 0.005, 0.0, -55.0, 50.0);
  m["dopamine"]["tonic_rate_Hz"] = 4.0;
  m["fast_spiking"] = book_preset(20.0, 1.0, -55.0, -40.0, 25.0, 0.2, 0.0, -45.0, 0.0);
  m["fast_spiking"]["b_cubic"] = 0.025;
  m["fast_spiking"]["v_b"] = -55.0;
  return m;
}

const bool registered = register_neuron_model<IzhikevichBook>(
    "Izhikevich (2007, book ch. 8) simple model in physical units: C v' = k(v − v_r)(v − v_t) − u "
    "+ I, u' = a(U(v) − u) with U(v) = b(v − v_r) + b_cubic·max(v − v_b, 0)³, reset v <- c, u <- "
    "u + d at v >= v_peak. Exponential synaptic currents (pA) on the excitatory and inhibitory "
    "receptors, an NMDA conductance (nS) with Mg2+ block on the nmda receptor, current channel "
    "in pA. Dopamine (Humphries et al. 2009): a D1 cell at receptor activation phi has v_r' = "
    "v_r(1 + K phi), d' = d(1 - L phi), NMDA x (1 + beta1 phi); a D2 cell k' = k(1 - alpha phi), "
    "AMPA x (1 - beta2 phi); phi fixed, or from the level of a dopamine volume the population "
    "reads (\"neuromodulator\"). Schemes: half_steps, euler, rk4, dopri5. Presets: "
    "regular_spiking, fast_spiking, msn (striatal medium spiny neuron, book), msn_d1 and msn_d2 "
    "(Humphries et al. 2009), dopamine (a tonic pacemaker at tonic_rate_Hz; our design).",
    presets());
}  // namespace

}  // namespace bgsim::models
