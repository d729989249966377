#pragma once
// izhikevich — the simple spiking neuron of Izhikevich (2003), as used in the
// 1000-neuron network of that paper and in the dopamine-modulated STDP
// networks of Izhikevich (2007).
//
//   dv/dt = 0.04 v² + 5 v + 140 − u + I        [v in mV, t in ms]
//   du/dt = a (b v − u)
//   v >= v_peak  ->  spike; v <- c, u <- u + d
//
// I [mV/ms] = I_e + (current channel) + (Σ spike weights arriving this step)/dt.
// A spike of weight w [mV] is a current pulse lasting one step whose integral
// is w: it moves v by about w whatever the resolution, and at dt = 1 ms it is
// exactly the published `I += S` of the reference code.
//
// Integration: `scheme` names one of models/izhikevich_schemes.hpp (half_steps,
// the published scheme, by default; euler; rk4; dopri5, which also resets at
// the crossing within the step). Spikes are stamped at the end of the step.
//
// Presets (Izhikevich 2003, Fig. 2): regular_spiking (a 0.02, b 0.2, c −65,
// d 8), fast_spiking (0.1, 0.2, −65, 2), intrinsically_bursting (0.02, 0.2,
// −55, 4), chattering (0.02, 0.2, −50, 2), low_threshold_spiking (0.02, 0.25,
// −65, 2). Initial state: v = V_init, u = b·V_init (as in the reference code).
//
// Reference: Izhikevich EM (2003) Simple model of spiking neurons. IEEE Trans
// Neural Netw 14:1569–1572.

#include <array>
#include <string>
#include <vector>

#include "core/model_population.hpp"
#include "core/parameters.hpp"
#include "models/izhikevich_schemes.hpp"

namespace bgsim::models {

struct Izhikevich {
  static constexpr std::string_view name = "izhikevich";

  struct Params {
    double a = 0.02;                    // recovery time scale [1/ms]
    double b = 0.2;                     // sensitivity of u to v [1]
    double c = -65.0;                   // reset of v after a spike [mV]
    double d = 8.0;                     // increment of u after a spike [mV/ms]
    double v_peak = 30.0;               // spike cut-off (threshold of detection) [mV]
    double I_e = 0.0;                   // constant input current [mV/ms]
    double V_init = -65.0;              // initial v; u starts at b·V_init [mV]
    std::string scheme = "half_steps";  // half_steps, euler, rk4, dopri5
    double abs_tol = 1e-8;              // dopri5 absolute tolerance [mV]
    double rel_tol = 1e-8;              // dopri5 relative tolerance [1]
  };
  static const ParamTable<Params>& param_table();

  struct State {
    std::vector<double> v;  // membrane potential [mV]
    std::vector<double> u;  // recovery variable [mV/ms]
  };
  template <class S, class F>
  static void fields(S& s, F&& f) {
    f("v", "mV", s.v);
    f("u", "mV/ms", s.u);
  }
  static void init(const Params& p, State& s, std::size_t n) {
    s.v.assign(n, p.V_init);
    s.u.assign(n, p.b * p.V_init);
  }

  struct Derived {
    double h = 1.0;
    double inv_h = 1.0;
    IzhikevichScheme scheme = IzhikevichScheme::half_steps;
  };
  static Derived prepare(const Params& p, const Resolution& r) {
    return {r.dt_ms(), 1.0 / r.dt_ms(), izhikevich_scheme(p.scheme)};
  }

  static constexpr std::array<Receptor, 3> receptors{{
      {"excitatory", ReceptorKind::spike, "mV"},
      {"inhibitory", ReceptorKind::spike, "mV"},
      {"current", ReceptorKind::current, "mV/ms"},
  }};

  static void update(const Params& p, const Derived& d, State& s, const UpdateContext& ctx,
                     std::size_t begin, std::size_t end);
};

}  // namespace bgsim::models
