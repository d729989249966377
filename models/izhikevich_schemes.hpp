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
//    population's abs_tol / rel_tol; a reference, and slow.
//
// Input is constant over a step in every scheme. Spikes are detected at the
// end of the step (v >= v_peak, or v no longer a number after the quadratic
// term overflowed, which only a spike can cause); dopri5 stop integrating a
// stops integrating a neuron within a step as soon as v passes v_peak (the
// quadratic equation reaches infinity in finite time); the spike is still
// stamped at the end of that step.

#include <array>
#include <cmath>
#include <string>

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

// Advances (v, u) by h under dynamics `f` with f.dv(v, u, I) and f.du(v, u).
template <class Dynamics>
void izhikevich_step(IzhikevichScheme scheme, const Dynamics& f, double& v, double& u, double I,
                     double h, double v_peak, double abs_tol, double rel_tol) {
  namespace ode = boost::numeric::odeint;
  using X = std::array<double, 2>;
  switch (scheme) {
    case IzhikevichScheme::half_steps: {
      v += 0.5 * h * f.dv(v, u, I);
      v += 0.5 * h * f.dv(v, u, I);
      u += h * f.du(v, u);
      return;
    }
    case IzhikevichScheme::euler: {
      const double dv = f.dv(v, u, I), du = f.du(v, u);
      v += h * dv;
      u += h * du;
      return;
    }
    case IzhikevichScheme::rk4: {
      const auto system = [&](const X& x, X& dxdt, double) {
        dxdt[0] = f.dv(x[0], x[1], I);
        dxdt[1] = f.du(x[0], x[1]);
      };
      X x{v, u};
      ode::runge_kutta4<X> stepper;
      stepper.do_step(system, x, 0.0, h);
      v = x[0];
      u = x[1];
      return;
    }
    case IzhikevichScheme::dopri5: {
      const auto system = [&](const X& x, X& dxdt, double) {
        dxdt[0] = f.dv(x[0], x[1], I);
        dxdt[1] = f.du(x[0], x[1]);
      };
      auto stepper = ode::make_controlled<ode::runge_kutta_dopri5<X>>(abs_tol, rel_tol);
      X x{v, u};
      double t = 0.0, dt = h;
      for (int tries = 0; t < h && tries < 100000; ++tries) {
        if (t + dt > h) dt = h - t;
        if (stepper.try_step(system, x, t, dt) == ode::success && x[0] >= v_peak) break;
      }
      v = x[0];
      u = x[1];
      return;
    }
  }
}

}  // namespace bgsim::models
