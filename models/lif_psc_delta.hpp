#pragma once
// lif_psc_delta — leaky integrate-and-fire neuron with delta-shaped synaptic
// input (a spike of weight w moves the membrane potential by w mV at once),
// integrated exactly; NEST's iaf_psc_delta and the neuron of Brunel (2000).
//
//   dV/dt = -(V - E_L) / tau_m + (I_e + I_stim) / C_m + Σ w δ(t − t_arrival)
//   V >= V_th  ->  spike; V <- V_reset, clamped for t_ref
//
// Order within the update of step n (state at n·dt -> (n+1)·dt):
//   1. if not refractory: V <- E_L + P22 (V − E_L) + P20 (I_e + I_stim) + (input
//      arriving at step n); during the refractory period that input is
//      discarded, as in NEST;
//   2. if V >= V_th: spike stamped n + 1, V <- V_reset, refractory for
//      round(t_ref / dt) steps.
// P22 = e^{-h/tau_m}, P20 = -(tau_m / C_m) expm1(-h/tau_m).
//
// Reference: Brunel N (2000) Dynamics of sparsely connected networks of
// excitatory and inhibitory spiking neurons. J Comput Neurosci 8:183–208.

#include <array>
#include <cstdint>
#include <vector>

#include "core/model_population.hpp"
#include "core/parameters.hpp"

namespace bgsim::models {

struct LifPscDelta {
  static constexpr std::string_view name = "lif_psc_delta";

  struct Params {
    double C_m = 250.0;      // membrane capacitance [pF]
    double tau_m = 10.0;     // membrane time constant [ms]
    double t_ref = 2.0;      // absolute refractory period [ms]
    double E_L = -70.0;      // resting potential [mV]
    double V_reset = -70.0;  // reset potential [mV]
    double V_th = -55.0;     // spike threshold [mV]
    double I_e = 0.0;        // constant external current [pA]
    double V_init = -70.0;   // initial membrane potential [mV]
  };
  static const ParamTable<Params>& param_table();

  struct State {
    std::vector<double> V_m;               // membrane potential [mV]
    std::vector<std::int32_t> refractory;  // refractory steps left
  };
  template <class S, class F>
  static void fields(S& s, F&& f) {
    f("V_m", "mV", s.V_m);
    f("refractory", "steps", s.refractory);
  }
  static void init(const Params& p, State& s, std::size_t n) {
    s.V_m.assign(n, p.V_init);
    s.refractory.assign(n, 0);
  }

  struct Derived {
    double P22 = 0, P20 = 0;
    std::int32_t refractory_steps = 0;
  };
  static Derived prepare(const Params& p, const Resolution& r);

  static constexpr std::array<Receptor, 3> receptors{{
      {"excitatory", ReceptorKind::spike, "mV"},
      {"inhibitory", ReceptorKind::spike, "mV"},
      {"current", ReceptorKind::current, "pA"},
  }};

  static void update(const Params& p, const Derived& d, State& s, const UpdateContext& ctx,
                     std::size_t begin, std::size_t end);
};

}  // namespace bgsim::models
