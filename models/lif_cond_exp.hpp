#pragma once
// lif_cond_exp — leaky integrate-and-fire neuron with exponentially decaying
// synaptic conductances, with the parameters, defaults and refractory
// semantics of NEST's iaf_cond_exp.
//
//   C_m dV/dt = −g_L (V − E_L) − g_ex (V − E_ex) − g_in (V − E_in) + I_e + I_stim
//   dg_ex/dt  = −g_ex / tau_syn_ex,   dg_in/dt = −g_in / tau_syn_in
//   V >= V_th  ->  spike; V <- V_reset, clamped for t_ref
//
// Spike weights are conductance jumps [nS], and they are magnitudes: a spike
// of weight w >= 0 arriving at step n raises g_ex (excitatory receptor) or g_in
// (inhibitory receptor) by w at time n·dt; inhibition comes from E_in, not from
// the sign. Both receptors refuse negative weights when a projection is added
// (core WeightSign::nonnegative). This differs from NEST, which has a single
// spike port and routes a weight by its sign (w < 0 raises g_in by −w): bgsim
// routes by receptor, as PyNN does, so a weight taken from a NEST script for an
// inhibitory synapse is entered here as its absolute value. Current injected on
// the "current" channel [pA] is held constant over the step.
//
// Integration over one step h = dt: the state (V, g_ex, g_in) is advanced by
// Boost.Odeint's Dormand–Prince 5(4) stepper with error control to abs_tol and
// rel_tol (the tolerances apply to V in mV and to the conductances in nS). The
// step-size controller starts from the last accepted internal step of the
// neuron (state h_ode; 0 means "start from dt"), as NEST does with its GSL
// solver. After the step the conductances are set to their exact values
// g·e^{−h/tau} (the solver's approximation of them differs by less than the
// tolerance; this keeps them from drifting).
//
// scheme "exponential_euler" instead takes one step: with the conductances
// replaced by their exact means over the step (ḡ = g·(1 − e^{−h/τ})·τ/h), V
// relaxes exactly towards V∞ = (g_L E_L + ḡ_ex E_ex + ḡ_in E_in + I)/G with
// rate G/C_m, G = g_L + ḡ_ex + ḡ_in:
//   V(h) = V∞ + (V(0) − V∞)·e^{−h G / C_m}
// — Brian2's 'exponential_euler' for this model, with the conductances'
// mean instead of their start value. The error falls with the square of the
// step: 7e-4 mV at dt = 0.1 ms after a 50 nS, 0.2 ms excitatory jump
// (tests/models/test_lif_cond_exp.cpp); several times cheaper than dopri5.
//
// Order within the update of step n (state at n·dt -> (n+1)·dt):
//   1. conductance jumps arriving at step n are added to g_ex / g_in;
//   2. if refractory: the count decreases, V stays at V_reset and the
//      conductances decay exactly; otherwise (V, g_ex, g_in) are integrated
//      with I_e + I_stim constant over the step;
//   3. if V >= V_th: spike stamped n + 1, V <- V_reset, refractory for
//      round(t_ref / dt) steps.
// So, as in lif_psc_exp, V is held at V_reset from the spike stamp for exactly
// round(t_ref / dt) steps and free again from there.
//
// Dopamine (optional; after Humphries, Stewart & Gurney 2006, whose striatal
// dopamine multiplies the cortical weights onto D1 cells by 1 + dop1 and onto
// D2 cells by 1 − dop2). A cell with `dopamine_receptor` D1 or D2 scales the
// excitatory conductance jumps that arrive in a step by g:
//   D1:  g = 1 + d1_beta φ      D2:  g = 1 − d2_beta φ
// with φ ∈ [0, 1] the receptor's activation (fixed `phi`, or read at each
// step from the level of the volume the population names;
// models/dopamine_activation.hpp). With d1_beta = d2_beta = 1 and φ = dop
// this is the paper's weight factor, taken at the moment of arrival: what a
// change of dopamine alters is the input arriving from then on, not the
// conductance already open. Without a receptor the update is the one above,
// bit for bit (g = 1 multiplies exactly). The defaults of d1_beta and d2_beta
// are Humphries et al.'s (2009) fitted factors, as in lif_psc_exp.
//
// Reference: NEST iaf_cond_exp (parameters, defaults and refractory clamp);
// Meffin H, Burkitt AN, Grayden DB (2004) An analytical model for the large,
// fluctuating synaptic conductance state typical of neocortical neurons in
// vivo. J Comput Neurosci 16:159–175. Dormand JR, Prince PJ (1980) A family of
// embedded Runge–Kutta formulae. J Comput Appl Math 6:19–26.

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/model_population.hpp"
#include "core/parameters.hpp"
#include "models/dopamine_activation.hpp"

namespace bgsim::models {

struct LifCondExp {
  static constexpr std::string_view name = "lif_cond_exp";

  struct Params {
    double C_m = 250.0;             // membrane capacitance [pF]
    double g_L = 16.6667;           // leak conductance [nS]
    double E_L = -70.0;             // leak reversal (resting) potential [mV]
    double E_ex = 0.0;              // excitatory reversal potential [mV]
    double E_in = -85.0;            // inhibitory reversal potential [mV]
    double V_th = -55.0;            // spike threshold [mV]
    double V_reset = -60.0;         // reset potential [mV]
    double t_ref = 2.0;             // absolute refractory period [ms]
    double tau_syn_ex = 0.2;        // decay time of the excitatory conductance [ms]
    double tau_syn_in = 2.0;        // decay time of the inhibitory conductance [ms]
    double I_e = 0.0;               // constant external current [pA]
    double V_init = -70.0;          // initial membrane potential [mV]
    double abs_tol = 1e-8;          // Dormand–Prince absolute tolerance [mV for V, nS for g]
    double rel_tol = 1e-8;          // Dormand–Prince relative tolerance [1]
    std::string scheme = "dopri5";  // dopri5 or exponential_euler
    // Dopamine (above): none, D1, D2; the activation φ fixed, or from the level read.
    std::string dopamine_receptor = "none";
    double phi = 0.0;                   // fixed receptor activation [1]
    std::string activation = "linear";  // linear, saturating
    double phi_gain = 1.0;              // linear: φ = clamp(phi_gain · level, 0, 1) [1/level]
    double phi_half = 1.0;              // saturating: φ = level/(level + phi_half) [level]
    double d1_beta = 6.3;               // D1: excitatory jumps × (1 + d1_beta φ) [1]
    double d2_beta = 0.215;             // D2: excitatory jumps × (1 − d2_beta φ) [1]
  };
  static const ParamTable<Params>& param_table();

  struct State {
    std::vector<double> V_m;               // membrane potential [mV]
    std::vector<double> g_ex;              // excitatory conductance [nS]
    std::vector<double> g_in;              // inhibitory conductance [nS]
    std::vector<double> h_ode;             // last accepted solver step, 0 = start from dt [ms]
    std::vector<std::int32_t> refractory;  // refractory steps left
  };
  template <class S, class F>
  static void fields(S& s, F&& f) {
    f("V_m", "mV", s.V_m);
    f("g_ex", "nS", s.g_ex);
    f("g_in", "nS", s.g_in);
    f("h_ode", "ms", s.h_ode);
    f("refractory", "steps", s.refractory);
  }
  static void init(const Params& p, State& s, std::size_t n) {
    s.V_m.assign(n, p.V_init);
    s.g_ex.assign(n, 0.0);
    s.g_in.assign(n, 0.0);
    s.h_ode.assign(n, 0.0);
    s.refractory.assign(n, 0);
  }

  struct Derived {
    double h = 0.1;
    double P_ex = 0.0, P_in = 0.0;  // e^{−h/tau_syn}
    double M_ex = 0.0, M_in = 0.0;  // mean of e^{−t/tau_syn} over the step, (1 − P) tau / h
    bool exponential_euler = false;
    std::int32_t refractory_steps = 0;
    int receptor = 0;         // 0 none, 1 D1, 2 D2
    bool saturating = false;  // activation
  };
  static Derived prepare(const Params& p, const Resolution& r);
  // g at activation φ (1 without a receptor).
  static double excitatory_gain(const Params& p, const Derived& d, double phi) {
    return models::excitatory_gain(d.receptor, p.d1_beta, p.d2_beta, phi);
  }
  static std::string cannot_read_neuromodulator(const Params& p);

  static constexpr std::array<Receptor, 3> receptors{{
      {"excitatory", ReceptorKind::spike, "nS", WeightSign::nonnegative},
      {"inhibitory", ReceptorKind::spike, "nS", WeightSign::nonnegative},
      {"current", ReceptorKind::current, "pA"},
  }};

  static void update(const Params& p, const Derived& d, State& s, const UpdateContext& ctx,
                     std::size_t begin, std::size_t end);
};

}  // namespace bgsim::models
