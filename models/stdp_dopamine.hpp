#pragma once
// stdp_dopamine — dopamine-modulated STDP with an eligibility trace: the
// three-factor rule of Izhikevich (2007), with the semantics and defaults of
// NEST's stdp_dopamine_synapse.
//
//   c'(t) = −c/τ_c + A+ · K+(t) · δ(t − t_post) − A− · K−(t) · δ(t − t_pre)
//   w'(t) = κ · c(t) · (d(t) − b),      w clipped into [w_min, w_max]
//   K+: presynaptic trace, +1 per pre spike, decay τ+;  K−: postsynaptic, τ−
//   d:  the level of the dopamine volume read (core/neuromodulator.hpp)
//
// A post spike after a pre spike (Δt = t_post − t_pre > 0, as the synapse sees
// them) tags the synapse with c += A+ e^{−Δt/τ+}; a pre spike after a post
// spike with c −= A− e^{Δt/τ−}. The tag decays over τ_c (1 s), so dopamine
// arriving seconds later still finds it: the distal reward problem. Between
// events the state is advanced in closed form (`between`, with the dopamine
// integral of core/dopamine_integral.hpp; core/plastic_projection.hpp calls it);
// only pre spikes and reads touch a synapse. Over a piece [a, z] without events
//
//   w(z) = w(a) + κ c(a) I(a, z),   c(z) = c(a) e^{−(z − a)/τ_c},
//   I(a, z) = ∫_a^z e^{−(u − a)/τ_c} (d(u) − b) du,
//
// exact for any d, so pieces need not be cut where d − b changes sign.
//
// Sign below baseline: w' has the sign of κ · c · (d − b). With d < b (a dip
// below the baseline b, e.g. a pause of tonically firing dopamine neurons) a
// positive tag depresses and a negative tag potentiates; at d = b nothing
// changes. NEST's default b = 0 with a volume at baseline 0 never dips.
//
// D1 and D2 are parameters, not code (Frank 2005; Shen et al. 2008): κ =
// dopamine_gain = +1 for D1-like synapses (a burst potentiates tagged causal
// pairs, a dip depresses them), κ = −1 for D2-like ones (the opposite).
//
// Delay convention: dendritic, as NEST (see core/plastic_projection.hpp).
// Dopamine reaches the synapse when the volume's level jumps (a source spike
// stamped t_s at t_s + delay_ms of the volume).
//
// NEST correspondence: A_plus, A_minus, tau_plus, tau_c, b, Wmin, Wmax are
// ours with units in the names; NEST's tau_n and the 1/tau_n per dopamine spike
// are the volume's tau_ms and spike_increment; NEST's tau_minus, a parameter of
// the postsynaptic neuron there, is the rule's tau_minus_ms here.
//
// | parameter     | unit | default | meaning                                      |
// |---------------|------|---------|----------------------------------------------|
// | A_plus        | w/ms | 1.0     | tag per causal pair, times K+ (c in weight   |
// |               |      |         | per ms per unit of level above b)            |
// | A_minus       | w/ms | 1.5     | tag removed per anti-causal pair, times K−   |
// | tau_plus_ms   | ms   | 20      | presynaptic trace decay                      |
// | tau_minus_ms  | ms   | 20      | postsynaptic trace decay                     |
// | tau_c_ms      | ms   | 1000    | eligibility decay                            |
// | b             | level| 0       | dopamine baseline of the rule (volume level) |
// | dopamine_gain | 1    | 1       | κ: +1 D1-like, −1 D2-like                    |
// | w_min, w_max  | w    | 0, 200  | weight bounds (unit of the target receptor)  |
//
// References: Izhikevich EM (2007) Solving the distal reward problem through
// linkage of STDP and dopamine signaling. Cereb Cortex 17:2443–2452. Potjans W,
// Morrison A, Diesmann M (2010) Enabling functional neural circuit simulations
// with distributed computing of neuromodulated plasticity. Front Comput
// Neurosci 4:141 (NEST's stdp_dopamine_synapse). Frank MJ (2005) J Cogn
// Neurosci 17:51–72. Shen W, Flajolet M, Greengard P, Surmeier DJ (2008)
// Dichotomous dopaminergic control of striatal synaptic plasticity. Science
// 321:848–851.

#include <string_view>

#include "core/parameters.hpp"

namespace bgsim::models {

struct StdpDopamine {
  static constexpr std::string_view name = "stdp_dopamine";
  static constexpr bool uses_dopamine = true;
  static constexpr bool split_at_sign_changes = false;  // linear in I: exact across signs

  struct Params {
    double A_plus = 1.0;         // eligibility per causal pair, times K+ [weight/ms]
    double A_minus = 1.5;        // eligibility removed per anti-causal pair, times K− [weight/ms]
    double tau_plus_ms = 20.0;   // presynaptic trace time constant [ms]
    double tau_minus_ms = 20.0;  // postsynaptic trace time constant [ms]
    double tau_c_ms = 1000.0;    // eligibility time constant [ms]
    double b = 0.0;              // dopamine baseline: w' = κ c (d − b) [level]
    double dopamine_gain = 1.0;  // κ: +1 D1-like, −1 D2-like [1]
    double w_min = 0.0;          // lower weight bound [unit of the receptor]
    double w_max = 200.0;        // upper weight bound [unit of the receptor]
    double phi_half = 0.0;       // > 0: read the occupancy d/(d + phi_half), not d [level]
  };
  static const ParamTable<Params>& param_table();

  using Eligibility = double;  // c [weight/ms per unit of level]: 16 bytes per synapse

  static void facilitate(const Params& p, double&, double& c, double kplus) {
    c += p.A_plus * kplus;
  }
  static void depress(const Params& p, double&, double& c, double kminus) {
    c -= p.A_minus * kminus;
  }
  // A piece without events: I its dopamine integral [level·ms], decay = e^{−length/τ_c}.
  static void between(const Params& p, double& w, double& c, double I, double decay) {
    w += p.dopamine_gain * c * I;
    c *= decay;
  }
  static double eligibility(double c) { return c; }
};

}  // namespace bgsim::models
