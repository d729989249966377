#pragma once
// lif_psc_exp — leaky integrate-and-fire neuron with exponentially decaying
// post-synaptic currents, integrated exactly (Rotter & Diesmann 1999), with the
// parameters and semantics of NEST's iaf_psc_exp.
//
//   C_m dV/dt   = -(C_m / tau_m) (V - E_L) + I_ex + I_in + I_e + I_stim
//   dI_ex/dt    = -I_ex / tau_syn_ex,   dI_in/dt = -I_in / tau_syn_in
//   V >= V_th  ->  spike; V <- V_reset, clamped for t_ref
//
// A spike of weight w [pA] arriving at step n raises I_ex (w > 0 on the
// excitatory channel) or I_in (inhibitory channel; weights there are negative
// for inhibition, as in NEST) by w at time n·dt. Current injected by devices
// on the "current" channel [pA] is held constant over the step.
//
// Exact propagation over one step h = dt (y = V - E_L):
//   y(t+h)    = P22 y + P21_ex I_ex + P21_in I_in + P20 (I_e + I_stim)
//   I_x(t+h)  = P11_x I_x
//   P22 = e^{-h/tau_m},  P11_x = e^{-h/tau_syn_x},  P20 = -(tau_m/C_m) expm1(-h/tau_m)
//   P21_x = (1/C_m) e^{-h/tau_m} (1 - e^{-h β}) / β,  β = 1/tau_syn_x - 1/tau_m
// The last form has no singularity at tau_m == tau_syn_x: (1 - e^{-hβ})/β is
// computed as -expm1(-hβ)/β, which tends to h as β -> 0 and is taken as h at 0.
//
// Order within the update of step n (state at n·dt -> (n+1)·dt):
//   1. synaptic input arriving at step n jumps I_ex / I_in;
//   2. if not refractory, V is propagated with the currents at n·dt; otherwise
//      the refractory count decreases and V stays at V_reset;
//   3. the currents decay by P11;
//   4. if V >= V_th: spike stamped n + 1, V <- V_reset, refractory for
//      round(t_ref / dt) steps (the steps of the next updates with V clamped).
//
// Dopamine (optional; our design, after Humphries et al. 2009). A cell with
// `dopamine_receptor` D1 or D2 scales its excitatory current's effect on the
// membrane by g, held over each step, with φ ∈ [0, 1] the receptor's
// activation (fixed `phi`, or read at each step from the level of the volume
// the population names, models/dopamine_activation.hpp):
//   D1:  g = 1 + d1_beta φ      D2:  g = 1 − d2_beta φ
// so V sees P21_ex · g · I_ex. This lumps into one current what Humphries
// et al. (2009) fitted to the compartmental MSN of Moyer et al. (2007) as
// separate factors (D1: NMDA × (1 + 6.3 φ1); D2: AMPA × (1 − 0.215 φ2)):
// D1 raises and D2 lowers the cell's response to its excitatory input
// (Gerfen & Surmeier 2011). Without a receptor (the default) the update is
// the one above, bit for bit. The recorded I_syn_ex is before the factor g.
//
// Reference: Rotter S, Diesmann M (1999) Exact digital simulation of
// time-invariant linear systems with applications to neuronal modeling.
// Biol Cybern 81:381–402.

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/model_population.hpp"
#include "core/parameters.hpp"
#include "models/dopamine_activation.hpp"

namespace bgsim::models {

struct LifPscExp {
  static constexpr std::string_view name = "lif_psc_exp";

  struct Params {
    double C_m = 250.0;       // membrane capacitance [pF]
    double tau_m = 10.0;      // membrane time constant [ms]
    double tau_syn_ex = 2.0;  // decay time of excitatory synaptic current [ms]
    double tau_syn_in = 2.0;  // decay time of inhibitory synaptic current [ms]
    double t_ref = 2.0;       // absolute refractory period [ms]
    double E_L = -70.0;       // resting potential [mV]
    double V_reset = -70.0;   // reset potential [mV]
    double V_th = -55.0;      // spike threshold [mV]
    double I_e = 0.0;         // constant external current [pA]
    double V_init = -70.0;    // initial membrane potential [mV]
    // Dopamine (above): none, D1, D2; the activation φ fixed, or from the level read.
    std::string dopamine_receptor = "none";
    double phi = 0.0;                   // fixed receptor activation [1]
    std::string activation = "linear";  // linear, saturating
    double phi_gain = 1.0;              // linear: φ = clamp(phi_gain · level, 0, 1) [1/level]
    double phi_half = 1.0;              // saturating: φ = level/(level + phi_half) [level]
    double d1_beta = 6.3;               // D1: excitatory current × (1 + d1_beta φ) [1]
    double d2_beta = 0.215;             // D2: excitatory current × (1 − d2_beta φ) [1]
  };
  static const ParamTable<Params>& param_table();

  struct State {
    std::vector<double> V_m;               // membrane potential [mV]
    std::vector<double> I_syn_ex;          // excitatory synaptic current [pA]
    std::vector<double> I_syn_in;          // inhibitory synaptic current [pA]
    std::vector<std::int32_t> refractory;  // refractory steps left
  };
  template <class S, class F>
  static void fields(S& s, F&& f) {
    f("V_m", "mV", s.V_m);
    f("I_syn_ex", "pA", s.I_syn_ex);
    f("I_syn_in", "pA", s.I_syn_in);
    f("refractory", "steps", s.refractory);
  }
  static void init(const Params& p, State& s, std::size_t n) {
    s.V_m.assign(n, p.V_init);
    s.I_syn_ex.assign(n, 0.0);
    s.I_syn_in.assign(n, 0.0);
    s.refractory.assign(n, 0);
  }

  struct Derived {
    double P22 = 0, P20 = 0, P11_ex = 0, P11_in = 0, P21_ex = 0, P21_in = 0;
    std::int32_t refractory_steps = 0;
    int receptor = 0;         // 0 none, 1 D1, 2 D2
    bool saturating = false;  // activation
  };
  // g at activation φ (1 without a receptor).
  static double excitatory_gain(const Params& p, const Derived& d, double phi) {
    return models::excitatory_gain(d.receptor, p.d1_beta, p.d2_beta, phi);
  }
  static std::string cannot_read_neuromodulator(const Params& p);
  static Derived prepare(const Params& p, const Resolution& r);

  static constexpr std::array<Receptor, 3> receptors{{
      {"excitatory", ReceptorKind::spike, "pA"},
      {"inhibitory", ReceptorKind::spike, "pA"},
      {"current", ReceptorKind::current, "pA"},
  }};

  static void update(const Params& p, const Derived& d, State& s, const UpdateContext& ctx,
                     std::size_t begin, std::size_t end);
  static constexpr bool consumes_input = true;  // zeroes its input as it reads it

  // The propagator from a synaptic current to the membrane potential over h:
  // (1/C) e^{-h/tau_m} (1 - e^{-h(1/tau_s - 1/tau_m)}) / (1/tau_s - 1/tau_m).
  static double psc_propagator(double C_m, double tau_m, double tau_syn, double h);
};

}  // namespace bgsim::models
