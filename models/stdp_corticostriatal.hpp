#pragma once
// stdp_dopamine_corticostriatal — the corticostriatal dopamine-modulated STDP
// rule of Sosis & Rubin (2024): two eligibility traces, one fed by causal
// (pre → post) pairs and one by anti-causal (post → pre) pairs, converted into
// weight changes by dopamine with soft bounds; when dopamine falls below its
// baseline the roles of the two traces swap.
//
// Equations (Sosis & Rubin 2024, Methods, "corticostriatal" model; the form
// below is the one of the authors' published code, bsosis/DA-STDP,
// poisson_model.py, in bgsim's units and with a general baseline b, range
// [w_min, w_max] and gain κ; the paper's equation numbers could not be checked
// against the paper's text from here, so none are quoted):
//
//   traces      K+ ← K+ + 1 at each pre spike,  τ+ dK+/dt = −K+
//               K− ← K− + 1 at each post spike, τ− dK−/dt = −K−
//   eligibility E+ ← E+ + K+ at each post spike (causal pairs)
//               E− ← E− + K− at each pre spike  (anti-causal pairs)
//               τ_c dE±/dt = −E±
//   weight      x = (w − w_min)/(w_max − w_min),  s(t) = κ (d(t) − b)
//               s ≥ 0:  dx/dt = λ s  [E+ (1 − x) − α E− x]
//               s < 0:  dx/dt = λ |s| [E− (1 − x) − α E+ x]
//
// With a dopamine burst (s > 0) causal pairs potentiate, anti-causal ones
// depress; with a dip (s < 0) the anti-causal trace becomes the potentiating
// one and the causal trace the depressing one. In either case potentiation is
// soft-bounded by (1 − x) and depression by α x: the weight stays inside
// [w_min, w_max] by itself. For a pure causal tag the direction is the same as
// stdp_dopamine's (burst: up, dip: down); the rules differ when both traces
// are present: a net-causal tag followed by a dip potentiates a weak synapse
// (x below E−/(E− + α E+)), where stdp_dopamine depresses it.
//
// Closed form between events. Both traces decay with τ_c, so over a run [a, z]
// in which s keeps its sign the equation is linear in x with a fixed point
// x* = E_a/(E_a + α E_b) (E_a the potentiating trace of that sign, E_b the
// other, both at a) and
//
//   x(z) = x(a) + λ P (E_a − g x(a)) φ(λ g P),   g = E_a + α E_b,
//   P = |κ| |I(a, z)|,  I(a, z) = ∫_a^z e^{−(u − a)/τ_c} (d(u) − b) du,
//   φ(y) = (1 − e^{−y})/y  (= 1 at y = 0; computed with expm1),
//
// exact for any run length. Runs end where d − b changes sign: at a dopamine
// jump across b or where d, relaxing towards the volume's baseline, crosses b
// (core/dopamine_integral.hpp computes those times in closed form). Because
// the two signs have different fixed points, the order of the runs matters and
// a window is evaluated run by run (cost per synapse event: one run per sign
// change inside the window; no change at all when b equals the volume's
// baseline and dopamine only rises above it).
//
// D1/D2: the paper models one (D1-like) population; κ = dopamine_gain = −1
// gives a D2-like synapse in the sense of Shen et al. (2008): a dip acts as a
// burst does for D1 and vice versa (bgsim's extension, as for stdp_dopamine).
//
// The eligibility a recorder or eligibilities() reads is E+ − E−.
// Delay convention: dendritic, as for stdp and stdp_dopamine.
//
// | parameter     | unit      | default | meaning (paper's symbol)                   |
// |---------------|-----------|---------|--------------------------------------------|
// | lambda        | 1/ms      | 1e-5    | learning rate λ per unit of κ(d − b)       |
// |               |           |         | (paper: 0.01 s⁻¹, random-dopamine setting) |
// | alpha         | 1         | 1       | depression relative to potentiation α      |
// | tau_plus_ms   | ms        | 20      | presynaptic trace decay τ (paper: 20 ms)   |
// | tau_minus_ms  | ms        | 20      | postsynaptic trace decay τ (paper: 20 ms)  |
// | tau_c_ms      | ms        | 1000    | eligibility decay τ_eli (paper: 1 s)       |
// | b             | 1         | 0       | dopamine baseline (paper: 0, DA is the     |
// |               |           |         | deviation from baseline)                   |
// | dopamine_gain | 1         | 1       | κ: +1 D1-like, −1 D2-like (bgsim)          |
// | w_min, w_max  | w         | 0, 1    | weight range (paper: [0, 1])               |
//
// References: Sosis B, Rubin JE (2024) Distinct dopaminergic spike-timing-
// dependent plasticity rules are suited to different functional roles.
// bioRxiv 2024.06.24.600372 (PMC11230239); code: github.com/bsosis/DA-STDP.
// Gütig R et al. (2003) J Neurosci 23:3697–3714 (soft bounds). Shen W,
// Flajolet M, Greengard P, Surmeier DJ (2008) Science 321:848–851.

#include <cmath>
#include <string_view>

#include "core/parameters.hpp"

namespace bgsim::models {

struct StdpCorticostriatal {
  static constexpr std::string_view name = "stdp_dopamine_corticostriatal";
  static constexpr bool uses_dopamine = true;
  // The law has a fixed point that depends on the sign of d − b: every piece
  // between events is cut where that sign changes (core/dopamine_integral.hpp).
  static constexpr bool split_at_sign_changes = true;

  struct Params {
    double lambda = 1e-5;        // learning rate λ [1/ms per unit of d − b]
    double alpha = 1.0;          // depression relative to potentiation α [1]
    double tau_plus_ms = 20.0;   // presynaptic trace time constant [ms]
    double tau_minus_ms = 20.0;  // postsynaptic trace time constant [ms]
    double tau_c_ms = 1000.0;    // time constant of both eligibility traces [ms]
    double b = 0.0;              // dopamine baseline [1]
    double dopamine_gain = 1.0;  // κ: +1 D1-like, −1 D2-like [1]
    double w_min = 0.0;          // lower weight bound [unit of the receptor]
    double w_max = 1.0;          // upper weight bound [unit of the receptor]
    double phi_half = 0.0;       // > 0: read the occupancy d/(d + phi_half), not d [level]
  };
  static const ParamTable<Params>& param_table();

  // Two traces: weight, E+, E− in float32, target, delay — 20 bytes per synapse.
  struct Eligibility {
    double plus;   // E+: causal pairs
    double minus;  // E−: anti-causal pairs
  };

  // A post spike: the causal trace gains the presynaptic trace.
  static void facilitate(const Params&, double&, Eligibility& e, double kplus) { e.plus += kplus; }
  // A pre spike: the anti-causal trace gains the postsynaptic trace.
  static void depress(const Params&, double&, Eligibility& e, double kminus) { e.minus += kminus; }

  // One run of constant sign of d − b: I its discounted integral of (d − b),
  // decay = e^{−length/τ_c}. Exact (see the header).
  static void between(const Params& p, double& w, Eligibility& e, double I, double decay) {
    const double s = p.dopamine_gain * I;
    if (s != 0.0) {
      const bool burst = s > 0.0;
      const double ea = burst ? e.plus : e.minus, eb = burst ? e.minus : e.plus;
      const double P = std::abs(s), range = p.w_max - p.w_min;
      const double x = (w - p.w_min) / range, g = ea + p.alpha * eb;
      const double y = p.lambda * g * P;
      const double phi = y > 0.0 ? -std::expm1(-y) / y : 1.0;
      w = p.w_min + (x + p.lambda * P * (ea - g * x) * phi) * range;
    }
    e.plus *= decay;
    e.minus *= decay;
  }
  // What recorders and eligibilities() show.
  static double eligibility(const Eligibility& e) { return e.plus - e.minus; }
};

}  // namespace bgsim::models
