#pragma once
// Integration schemes shared by the Izhikevich models. The quadratic
// membrane equation has no closed form, so the scheme is a named, documented
// choice, selectable per population:
//
//  * "half_steps" — the published scheme (Izhikevich 2003, 2007 code): v takes
//    two forward-Euler half steps of h/2, then u one step of h using the new v.
//    At h = 1 ms this is exactly the published update.
//  * "euler" — plain forward Euler on (v, u) from the values at the step start.
//  * "rk4" — classical fourth-order Runge–Kutta (Boost.Odeint runge_kutta4).
//  * "dopri5" — Dormand–Prince 5(4) with error control (Boost.Odeint), to the
//    population's abs_tol / rel_tol: the accuracy reference, and slow. It also
//    resolves spikes in time: a stage that carries v past v_peak is retaken
//    with half the step until the crossing is bracketed to 1e-9·h; there
//    v <- c, u <- u + d, and integration continues to the end of the step.
//    Its trajectory is therefore the continuous model's (reset at the crossing)
//    to the tolerance; only the stamp is on the grid.
//
// The dynamics give dv/dt at a time t in [0, h] after the start of the step,
// so an input that varies within the step (a decaying synaptic current) is
// seen where the scheme samples it: at t = 0 and h/2 by half_steps, at 0 by
// euler, at the Runge–Kutta stages by rk4 and dopri5.
//
// Spikes of the fixed-step schemes (half_steps, euler, rk4) are detected at
// the end of the step: v >= v_peak, or v no longer a number after the
// quadratic term overflowed, which only a spike can cause; the reset is then
// applied at the end of the step. Either way the spike is stamped at the end
// of the step in which v reached v_peak (core/time.hpp).
//
// The two fixed-step schemes are both first order and converge to each other
// and to the exact solution as h -> 0 (tests/models/test_izhikevich.cpp
// measures both). half_steps is kept because published results depend on it.
// Note that a reset at the end of the step is part of the fixed-step schemes'
// model, not of the continuous one: v runs on above v_peak for the rest of the
// step and u integrates that excursion, so their spike trains differ from the
// continuous model's by O(h) per spike even when rk4 integrates exactly.

#include <algorithm>
#include <array>
#include <cmath>
#include <string>
#include <vector>

#include <boost/numeric/odeint.hpp>

namespace bgsim::models {

enum class IzhikevichScheme { half_steps, euler, rk4, dopri5 };

inline IzhikevichScheme izhikevich_scheme(const std::string& name) {
  if (name == "euler") return IzhikevichScheme::euler;
  if (name == "rk4") return IzhikevichScheme::rk4;
  if (name == "dopri5") return IzhikevichScheme::dopri5;
  return IzhikevichScheme::half_steps;
}

inline const std::vector<std::string>& izhikevich_scheme_names() {
  static const std::vector<std::string> names{"half_steps", "euler", "rk4", "dopri5"};
  return names;
}

// The spike rule: v >= v_peak  ->  v <- c, u <- u + d.
struct SpikeReset {
  double v_peak, c, d;
};

// Advances (v, u) by h under dynamics `f`: f.dv(v, u, t) is dv/dt at time t
// after the start of the step (input included), f.du(v, u) is du/dt. Returns
// the number of spikes the scheme resolved and reset within the step (dopri5
// only; the fixed-step schemes leave detection to the caller and return 0).
template <class Dynamics>
int izhikevich_step(IzhikevichScheme scheme, const Dynamics& f, double& v, double& u, double h,
                    const SpikeReset& spike, double abs_tol, double rel_tol) {
  namespace ode = boost::numeric::odeint;
  using X = std::array<double, 2>;
  const auto system = [&](const X& x, X& dxdt, double t) {
    dxdt[0] = f.dv(x[0], x[1], t);
    dxdt[1] = f.du(x[0], x[1]);
  };
  switch (scheme) {
    case IzhikevichScheme::half_steps: {
      v += 0.5 * h * f.dv(v, u, 0.0);
      v += 0.5 * h * f.dv(v, u, 0.5 * h);
      u += h * f.du(v, u);
      return 0;
    }
    case IzhikevichScheme::euler: {
      const double dv = f.dv(v, u, 0.0), du = f.du(v, u);
      v += h * dv;
      u += h * du;
      return 0;
    }
    case IzhikevichScheme::rk4: {
      X x{v, u};
      ode::runge_kutta4<X> stepper;
      stepper.do_step(system, x, 0.0, h);
      v = x[0];
      u = x[1];
      return 0;
    }
    case IzhikevichScheme::dopri5: {
      auto stepper = ode::make_controlled<ode::runge_kutta_dopri5<X>>(abs_tol, rel_tol);
      const double resolution = 1e-9 * h;  // how closely a crossing is bracketed [ms]
      X x{v, u};
      int spikes = 0;
      double t = 0.0, dt = h;
      for (int tries = 0; t < h && tries < 100000; ++tries) {
        const bool clipped = dt >= h - t;
        double step = clipped ? h - t : dt;
        const X before = x;
        const double t_before = t;
        if (stepper.try_step(system, x, t, step) != ode::success) {
          dt = step;  // rejected: retry with the smaller step proposed
          continue;
        }
        if (!(x[0] < spike.v_peak)) {
          const double taken = t - t_before;
          // Retake a crossing step at half its length until it is bracketed;
          // the stepper caches the derivative of the state it produced, so it
          // forgets it whenever the state is set from outside.
          stepper.reset();
          if (taken > resolution) {
            x = before;
            t = t_before;
            dt = 0.5 * taken;
            continue;
          }
          x = {spike.c, x[1] + spike.d};
          ++spikes;
          dt = h - t;
          continue;
        }
        if (clipped) t = h;  // t + (h − t) may round below h
        dt = clipped ? std::max(dt, step) : step;
      }
      v = x[0];
      u = x[1];
      return spikes;
    }
  }
  return 0;
}

}  // namespace bgsim::models
