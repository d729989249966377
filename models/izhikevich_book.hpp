#pragma once
// izhikevich_book — the simple model in the dimensional form of Izhikevich's
// book (2007, ch. 8), with exponential synaptic currents.
//
//   C dv/dt = k (v − v_r)(v − v_t) − u + I          [pF, nS/mV, mV, pA]
//     du/dt = a (U(v) − u)                          [1/ms, pA]
//      U(v) = b (v − v_r) + b_cubic · max(v − v_b, 0)³
//   v >= v_peak  ->  spike; v <- c, u <- u + d
//
//   I = I_e + I_stim + I_syn_ex + I_syn_in          [pA]
//   dI_syn_ex/dt = −I_syn_ex / tau_syn_ex,   dI_syn_in/dt = −I_syn_in / tau_syn_in
//
// U(v) is the book's u-nullcline: linear for most cell classes (b_cubic = 0),
// with the cubic term of the fast-spiking interneuron (book §8.2.6, Fig. 8.27:
// U(v) = 0 below v_b, 0.025 (v − v_b)³ above).
//
// A spike of weight w [pA] arriving at step n raises I_syn_ex (excitatory
// channel, w > 0) or I_syn_in (inhibitory channel, w < 0 for inhibition, as in
// lif_psc_exp) by w at time n·dt; the currents then decay exactly. Current from
// devices on the "current" channel [pA] is held over the step.
//
// Integration: one of the schemes of models/izhikevich_schemes.hpp (`scheme`).
// Within a step the synaptic currents are seen as they decay (I_syn(t) =
// I_syn(0) e^{−t/tau}) at the times each scheme samples the input; the rk4 and
// dopri5 stages therefore see the exact current. Order within the update of
// step n: (1) arriving weights jump the currents; (2) (v, u) advance by dt;
// (3) the currents decay by e^{−dt/tau}; (4) v >= v_peak (or not a number):
// spike stamped n + 1, v <- c, u <- u + d. (dopri5 applies the reset at the
// crossing itself, within the step; the stamp is the same.)
//
// Initial state: v = V_init, u = U(V_init) (on the u-nullcline, at rest when
// V_init = v_r and I = 0).
//
// Rheobase: with a linear U the equilibria vanish in a saddle-node bifurcation
// at I_rh = (k (v_t − v_r) + b)² / (4k) (for b < k (v_t − v_r)): 51.4 pA for
// regular_spiking, 306.25 pA for msn (tests/models/test_izhikevich_book.cpp).
//
// Presets (Izhikevich 2007; V_init = v_r in each):
//   regular_spiking  C 100, k 0.7, v_r −60, v_t −40, v_peak 35, a 0.03, b −2,
//                    c −50, d 100 (layer 5 pyramidal cell, §8.2.1, Fig. 8.12);
//                    also the defaults of this model.
//   fast_spiking     C 20, k 1, v_r −55, v_t −40, v_peak 25, a 0.2, b 0,
//                    b_cubic 0.025, v_b −55, c −45, d 0 (layer 5 FS interneuron,
//                    §8.2.6, Fig. 8.27).
//   msn              C 50, k 1, v_r −80, v_t −25, v_peak 40, a 0.01, b −20,
//                    c −55, d 150 (spiny projection neuron of the neostriatum,
//                    §8.4; used as the basis of Humphries et al. 2009).
//
// Dopamine (left for the plasticity issue; no parameter exists for it yet):
// D1/D2 excitability will follow Humphries et al. (2009), who modulate this
// very model with the D1 and D2 receptor activations φ1, φ2 in [0, 1]:
//   D1: v_r <- v_r (1 + K φ1)  (K_IR enhancement),  d <- d (1 − L φ1);
//   D2: k   <- k (1 − α φ2)    (reduced excitability);
// plus gains on the synaptic currents (NMDA × (1 + β1 φ1) for D1, AMPA ×
// (1 − β2 φ2) for D2). They will enter as effective copies of v_r, d and k
// (and the synaptic gains) recomputed in update() from the dopamine level of
// the population's region whenever it changes; the equations above are then
// evaluated with those copies, and Params gains the receptor type and K, L, α,
// β1, β2.
//
// References:
//   Izhikevich EM (2007) Dynamical Systems in Neuroscience: The Geometry of
//   Excitability and Bursting. MIT Press, ch. 8.
//   Humphries MD, Lepora N, Wood R, Gurney K (2009) Capturing dopaminergic
//   modulation and bimodal membrane behaviour of striatal medium spiny neurons
//   in accurate, reduced models. Front Comput Neurosci 3:26.
//   Izhikevich EM, Edelman GM (2008) Large-scale model of mammalian
//   thalamocortical systems. PNAS 105:3593–3598 (synaptic decay times 5 ms for
//   AMPA and 6 ms for GABA_A, the defaults here).

#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include "core/model_population.hpp"
#include "core/parameters.hpp"
#include "models/izhikevich_schemes.hpp"

namespace bgsim::models {

struct IzhikevichBook {
  static constexpr std::string_view name = "izhikevich_book";

  struct Params {
    double C = 100.0;                   // membrane capacitance [pF]
    double k = 0.7;                     // gain of the quadratic membrane current [nS/mV]
    double v_r = -60.0;                 // resting potential [mV]
    double v_t = -40.0;                 // instantaneous threshold potential [mV]
    double v_peak = 35.0;               // spike cut-off [mV]
    double a = 0.03;                    // rate of the recovery variable u [1/ms]
    double b = -2.0;                    // linear sensitivity of u to v − v_r [nS]
    double b_cubic = 0.0;               // cubic sensitivity of u to v above v_b [pA/mV³]
    double v_b = -55.0;                 // onset of the cubic term (used when b_cubic != 0) [mV]
    double c = -50.0;                   // reset of v after a spike [mV]
    double d = 100.0;                   // increment of u after a spike [pA]
    double tau_syn_ex = 5.0;            // decay time of the excitatory synaptic current [ms]
    double tau_syn_in = 6.0;            // decay time of the inhibitory synaptic current [ms]
    double I_e = 0.0;                   // constant external current [pA]
    double V_init = -60.0;              // initial v; u starts at U(V_init) [mV]
    std::string scheme = "half_steps";  // half_steps, euler, rk4, dopri5
    double abs_tol = 1e-8;              // dopri5 absolute tolerance [mV for v, pA for u]
    double rel_tol = 1e-8;              // dopri5 relative tolerance [1]
  };
  static const ParamTable<Params>& param_table();

  struct State {
    std::vector<double> v;         // membrane potential [mV]
    std::vector<double> u;         // recovery current [pA]
    std::vector<double> I_syn_ex;  // excitatory synaptic current [pA]
    std::vector<double> I_syn_in;  // inhibitory synaptic current [pA]
  };
  template <class S, class F>
  static void fields(S& s, F&& f) {
    f("v", "mV", s.v);
    f("u", "pA", s.u);
    f("I_syn_ex", "pA", s.I_syn_ex);
    f("I_syn_in", "pA", s.I_syn_in);
  }

  // The u-nullcline U(v) [pA].
  static double u_nullcline(const Params& p, double v) {
    const double above = std::max(v - p.v_b, 0.0);
    return p.b * (v - p.v_r) + p.b_cubic * above * above * above;
  }

  static void init(const Params& p, State& s, std::size_t n) {
    s.v.assign(n, p.V_init);
    s.u.assign(n, u_nullcline(p, p.V_init));
    s.I_syn_ex.assign(n, 0.0);
    s.I_syn_in.assign(n, 0.0);
  }

  struct Derived {
    double h = 1.0;
    double P_ex = 0.0, P_in = 0.0;            // e^{−h/tau_syn}
    double P_ex_half = 0.0, P_in_half = 0.0;  // e^{−h/(2 tau_syn)}
    IzhikevichScheme scheme = IzhikevichScheme::half_steps;
  };
  static Derived prepare(const Params& p, const Resolution& r);

  static constexpr std::array<Receptor, 3> receptors{{
      {"excitatory", ReceptorKind::spike, "pA"},
      {"inhibitory", ReceptorKind::spike, "pA"},
      {"current", ReceptorKind::current, "pA"},
  }};

  static void update(const Params& p, const Derived& d, State& s, const UpdateContext& ctx,
                     std::size_t begin, std::size_t end);
};

}  // namespace bgsim::models
