#pragma once
// izhikevich_book — the simple model in the dimensional form of Izhikevich's
// book (2007, ch. 8), with exponential synaptic currents, an NMDA conductance,
// and the dopamine modulation of Humphries et al. (2009).
//
//   C dv/dt = k' (v − v_r')(v − v_t) − u + I                 [pF, nS/mV, mV, pA]
//     du/dt = a (U(v) − u)                                   [1/ms, pA]
//      U(v) = b (v − v_r') + b_cubic · max(v − v_b, 0)³
//   v >= v_peak  ->  spike; v <- c, u <- u + d'
//
//   I = I_e + I_stim + g_ampa' I_syn_ex + I_syn_in + g_nmda' g_NMDA B(v) (E_nmda − v)   [pA]
//   dI_syn_ex/dt = −I_syn_ex / tau_syn_ex,   dI_syn_in/dt = −I_syn_in / tau_syn_in
//   dg_NMDA/dt = −g_NMDA / tau_syn_nmda,     B(v) = 1 / (1 + (Mg / 3.57 mM) e^{−0.062 v/mV})
//
// U(v) is the book's u-nullcline: linear for most cell classes (b_cubic = 0),
// with the cubic term of the fast-spiking interneuron (book §8.2.6, Fig. 8.27:
// U(v) = 0 below v_b, 0.025 (v − v_b)³ above).
//
// Dopamine (the D1 and D2 models of Humphries et al. 2009; the constants are
// the values they fitted). A cell has one receptor type,
// `dopamine_receptor` = D1 or D2 (or none), activated to φ ∈ [0, 1]; then
// with φ1 = φ for a D1 cell (0 otherwise) and φ2 = φ for a D2 cell:
//   D1:  v_r' = v_r (1 + K φ1)   K = d1_K = 0.0289      (K_IR enhancement: a deeper rest)
//        d'   = d (1 − L φ1)     L = d1_L = 0.331       (L-type Ca²⁺: less adaptation)
//        g_nmda' = 1 + β1 φ1     β1 = d1_beta1 = 6.3    (NMDA current enhanced)
//   D2:  k'   = k (1 − α φ2)     α = d2_alpha = 0.032   (less excitable)
//        g_ampa' = 1 − β2 φ2     β2 = d2_beta2 = 0.215  (AMPA current reduced)
// and v_r' = v_r, d' = d, k' = k, g' = 1 at φ = 0 (exactly: the unmodulated
// model is computed bit for bit as before the modulation existed). v_r'
// replaces v_r in both equations, as the resting potential it is. Humphries et
// al.'s AMPA current is the `excitatory` channel here (a current with the
// AMPA-like decay tau_syn_ex), their NMDA current the `nmda` conductance;
// their GABA current (the `inhibitory` channel) is not modulated.
//
// φ is either fixed (`phi`), or, when the population reads a neuromodulator
// (a dopamine volume, "neuromodulator" in its description), a function of
// the level d read at each step (`activation`):
//   linear:      φ = min(max(phi_gain · d, 0), 1)
//   saturating:  φ = d⁺ / (d⁺ + phi_half),  d⁺ = max(d, 0)
// (the saturating form is receptor occupancy by mass action, with phi_half
// the level of half occupancy, as in Dreyer et al. 2010). The update of step
// n uses the level at step n, after the volume's jumps at n
// (docs/conventions.md). Initial state uses the unmodulated v_r.
//
// A spike of weight w [pA] arriving at step n raises I_syn_ex (excitatory
// channel, w > 0) or I_syn_in (inhibitory channel, w < 0 for inhibition, as in
// lif_psc_exp) by w at time n·dt; a spike of weight w [nS] (>= 0) on the
// `nmda` channel raises g_NMDA by w. These then decay exactly. Current from
// devices on the "current" channel [pA] is held over the step and is not
// modulated. The recorded I_syn_ex is the current before the factor g_ampa'.
//
// Integration: one of the schemes of models/izhikevich_schemes.hpp (`scheme`).
// Within a step the synaptic currents and g_NMDA are seen as they decay
// (I_syn(t) = I_syn(0) e^{−t/tau}) at the times each scheme samples the input;
// the rk4 and dopri5 stages therefore see the exact current. Order within the
// update of step n: (0) φ and the modulated parameters for the step;
// (1) arriving weights jump the currents; (2) (v, u) advance by dt; (3) the
// currents decay by e^{−dt/tau}; (4) v >= v_peak (or not a number): spike
// stamped n + 1, v <- c, u <- u + d'. (dopri5 applies the reset at the
// crossing itself, within the step; the stamp is the same.)
//
// Initial state: v = V_init, u = U(V_init) (on the u-nullcline, at rest when
// V_init = v_r and I = 0).
//
// Rheobase: with a linear U the equilibria vanish in a saddle-node bifurcation
// at I_rh = (k' (v_t − v_r') + b)² / (4k') (for b < k' (v_t − v_r')): 51.4 pA
// for regular_spiking, 306.25 pA for msn, 229.5 pA for msn_d1 and msn_d2 at
// φ = 0; at φ = 1, 265.9 pA for msn_d1 (the deeper rest) and 212.6 pA for
// msn_d2 (tests/models/test_izhikevich_book.cpp, test_msn_dopamine.cpp). So
// D1 raises the current threshold and steepens the f–I curve above it (less
// adaptation: d'), D2 flattens the f–I curve (k'); the synaptic factors then
// make D1 cells respond more, D2 cells less, to glutamatergic input, which is
// Humphries et al.'s conclusion ("synaptic effects dominate intrinsic effects").
//
// Presets (V_init = v_r in each):
//   regular_spiking  C 100, k 0.7, v_r −60, v_t −40, v_peak 35, a 0.03, b −2,
//                    c −50, d 100 (layer 5 pyramidal cell, book §8.2.1,
//                    Fig. 8.12); also the defaults of this model.
//   fast_spiking     C 20, k 1, v_r −55, v_t −40, v_peak 25, a 0.2, b 0,
//                    b_cubic 0.025, v_b −55, c −45, d 0 (layer 5 FS interneuron,
//                    book §8.2.6, Fig. 8.27).
//   msn              C 50, k 1, v_r −80, v_t −25, v_peak 40, a 0.01, b −20,
//                    c −55, d 150 (spiny projection neuron of the neostriatum,
//                    book §8.4).
//   dopamine         C 100, k 0.7, v_r −60, v_t −40, v_peak 35 (the
//                    regular-spiking membrane), a 0.005, b 0, c −55, d 50,
//                    tonic_rate_Hz 4: a tonically firing dopamine cell of our
//                    own design (no published Izhikevich parameters for SNc
//                    cells were found). A slow, strong after-spike current
//                    (τ_u = 1/a = 200 ms, b = 0) makes the steady f–I curve
//                    shallow and nearly linear (≈ a/d = 0.1 Hz per pA), so the
//                    rate the current is solved for holds against changes of
//                    the drive (±3 % of I_e: about −7 %/+3 % of the rate at
//                    4 Hz, dt = 1 ms), while a 100 ms input of +200 pA still
//                    gives ≈ 20 Hz over 200 ms (a burst) and inhibition a pause.
//                    Pacemaking at 2–5 Hz: Grace & Bunney (1984) J Neurosci
//                    4:2866–2876.
//   msn_d1, msn_d2   C 15.2, k 1, v_r −80, v_t −29.7, v_peak 40, a 0.01, b −20,
//                    c −55, d 91 (Humphries et al. 2009, tuned to the
//                    compartmental MSN of Moyer et al. 2007), dopamine_receptor
//                    D1 or D2 (φ = 0 until set or read).
//
// References:
//   Izhikevich EM (2007) Dynamical Systems in Neuroscience: The Geometry of
//   Excitability and Bursting. MIT Press, ch. 8.
//   Humphries MD, Lepora N, Wood R, Gurney K (2009) Capturing dopaminergic
//   modulation and bimodal membrane behaviour of striatal medium spiny neurons
//   in accurate, reduced models. Front Comput Neurosci 3:26.
//   Moyer JT, Wolf JA, Finkel LH (2007) Effects of dopaminergic modulation on
//   the integrative properties of the ventral striatal medium spiny neuron.
//   J Neurophysiol 98:3731–3748.
//   Jahr CE, Stevens CF (1990) Voltage dependence of NMDA-activated
//   macroscopic conductances predicted by single-channel kinetics. J Neurosci
//   10:3178–3182 (the Mg²⁺ block B(v)).
//   Dreyer JK, Herrik KF, Berg RW, Hounsgaard JD (2010) Influence of phasic
//   and tonic dopamine release on receptor activation. J Neurosci
//   30:14273–14283 (occupancy of D1 and D2 receptors by dopamine).
//   Izhikevich EM, Edelman GM (2008) Large-scale model of mammalian
//   thalamocortical systems. PNAS 105:3593–3598 (synaptic decay times 5 ms for
//   AMPA and 6 ms for GABA_A, the defaults here).

#include <algorithm>
#include <array>
#include <cmath>
#include <string>
#include <vector>

#include "core/model_population.hpp"
#include "core/parameters.hpp"
#include "models/dopamine_activation.hpp"
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
    double tau_syn_nmda = 160.0;        // decay time of the NMDA conductance [ms]
    double E_nmda = 0.0;                // reversal potential of the NMDA current [mV]
    double Mg = 1.0;                    // extracellular Mg²⁺ concentration (NMDA block) [mM]
    double I_e = 0.0;                   // constant external current [pA]
    double tonic_rate_Hz = 0.0;         // > 0: I_e found so that the cell fires at this rate [Hz]
    double V_init = -60.0;              // initial v; u starts at U(V_init) [mV]
    std::string scheme = "half_steps";  // half_steps, euler, rk4, dopri5
    double abs_tol = 1e-8;              // dopri5 absolute tolerance [mV for v, pA for u]
    double rel_tol = 1e-8;              // dopri5 relative tolerance [1]
    // Dopamine (Humphries et al. 2009).
    std::string dopamine_receptor = "none";  // none, D1, D2
    double phi = 0.0;                   // fixed receptor activation (no neuromodulator read) [1]
    std::string activation = "linear";  // φ from the level read: linear, saturating
    double phi_gain = 1.0;              // linear: φ = clamp(phi_gain · level, 0, 1) [1/level]
    double phi_half = 1.0;              // saturating: φ = level/(level + phi_half) [level]
    double d1_K = 0.0289;               // D1: v_r' = v_r (1 + d1_K φ) [1]
    double d1_L = 0.331;                // D1: d' = d (1 − d1_L φ) [1]
    double d1_beta1 = 6.3;              // D1: NMDA current × (1 + d1_beta1 φ) [1]
    double d2_alpha = 0.032;            // D2: k' = k (1 − d2_alpha φ) [1]
    double d2_beta2 = 0.215;            // D2: excitatory (AMPA) current × (1 − d2_beta2 φ) [1]
  };
  static const ParamTable<Params>& param_table();

  struct State {
    std::vector<double> v;         // membrane potential [mV]
    std::vector<double> u;         // recovery current [pA]
    std::vector<double> I_syn_ex;  // excitatory synaptic current [pA]
    std::vector<double> I_syn_in;  // inhibitory synaptic current [pA]
    std::vector<double> g_nmda;    // NMDA conductance [nS]
  };
  template <class S, class F>
  static void fields(S& s, F&& f) {
    f("v", "mV", s.v);
    f("u", "pA", s.u);
    f("I_syn_ex", "pA", s.I_syn_ex);
    f("I_syn_in", "pA", s.I_syn_in);
    f("g_nmda", "nS", s.g_nmda);
  }

  // The u-nullcline U(v) [pA], around the resting potential v_r [mV].
  static double u_nullcline(const Params& p, double v, double v_r) {
    const double above = std::max(v - p.v_b, 0.0);
    return p.b * (v - v_r) + p.b_cubic * above * above * above;
  }
  static double u_nullcline(const Params& p, double v) { return u_nullcline(p, v, p.v_r); }

  // B(v) (E_nmda − v): the NMDA current per nS of conductance [pA/nS = mV].
  static double nmda_drive(const Params& p, double v) {
    return (p.E_nmda - v) / (1.0 + p.Mg / 3.57 * std::exp(-0.062 * v));
  }

  enum class DopamineReceptor { none, D1, D2 };
  // What dopamine rescales, at one receptor activation φ.
  struct Modulated {
    double k, v_r, d;  // k' [nS/mV], v_r' [mV], d' [pA]
    double ampa;       // g_ampa': factor of the excitatory current [1]
    double nmda;       // g_nmda': factor of the NMDA current [1]
  };
  static Modulated modulated(const Params& p, DopamineReceptor receptor, double phi) {
    const double phi1 = receptor == DopamineReceptor::D1 ? phi : 0.0;
    const double phi2 = receptor == DopamineReceptor::D2 ? phi : 0.0;
    return {p.k * (1.0 - p.d2_alpha * phi2), p.v_r * (1.0 + p.d1_K * phi1),
            p.d * (1.0 - p.d1_L * phi1), 1.0 - p.d2_beta2 * phi2, 1.0 + p.d1_beta1 * phi1};
  }
  // φ from the level of the neuromodulator read.
  static double activation_of(const Params& p, bool saturating, double level) {
    return dopamine_activation(saturating, p.phi_gain, p.phi_half, level);
  }
  static std::string cannot_read_neuromodulator(const Params& p);

  static void init(const Params& p, State& s, std::size_t n) {
    s.v.assign(n, p.V_init);
    s.u.assign(n, u_nullcline(p, p.V_init));
    s.I_syn_ex.assign(n, 0.0);
    s.I_syn_in.assign(n, 0.0);
    s.g_nmda.assign(n, 0.0);
  }

  struct Derived {
    double h = 1.0;
    double I_e = 0.0;  // the constant current: p.I_e, or the one of tonic_rate_Hz [pA]
    double P_ex = 0.0, P_in = 0.0, P_nmda = 0.0;                 // e^{−h/tau_syn}
    double P_ex_half = 0.0, P_in_half = 0.0, P_nmda_half = 0.0;  // e^{−h/(2 tau_syn)}
    IzhikevichScheme scheme = IzhikevichScheme::half_steps;
    DopamineReceptor receptor = DopamineReceptor::none;
    bool saturating = false;  // activation
    Modulated fixed{};        // at the fixed φ (`phi`)
  };
  static Derived prepare(const Params& p, const Resolution& r);

  // The constant current at which a cell without other input fires
  // regularly at `rate_Hz`, on this model's own update at resolution `r`:
  // bisection on the rate measured from the intervals between spikes once
  // they have settled. Throws std::invalid_argument if no current up to
  // 1e6 pA reaches the rate.
  static double tonic_current(const Params& p, const Resolution& r, double rate_Hz);

  static constexpr std::array<Receptor, 4> receptors{{
      {"excitatory", ReceptorKind::spike, "pA"},
      {"inhibitory", ReceptorKind::spike, "pA"},
      {"current", ReceptorKind::current, "pA"},
      {"nmda", ReceptorKind::spike, "nS", WeightSign::nonnegative},
  }};

  static void update(const Params& p, const Derived& d, State& s, const UpdateContext& ctx,
                     std::size_t begin, std::size_t end);
};

}  // namespace bgsim::models
