#pragma once
// Reference solutions for the Izhikevich models, computed in the tests with
// Boost.Odeint's Dormand–Prince 5(4) at tight tolerances, independently of
// models/izhikevich_schemes.hpp. A system gives dv/dt(v, u, t) and du/dt(v, u)
// with its input included; t is absolute time [ms].

#include <array>
#include <cmath>
#include <functional>
#include <vector>

#include <boost/numeric/odeint.hpp>

#include "core/time.hpp"

namespace bgsim::test {

struct IzhikevichSystem {
  std::function<double(double v, double u, double t)> dv;
  std::function<double(double v, double u)> du;
  double v_peak, c, d;
};

namespace detail {
using X = std::array<double, 2>;
inline auto rhs(const IzhikevichSystem& s) {
  return [&s](const X& x, X& dxdt, double t) {
    dxdt[0] = s.dv(x[0], x[1], t);
    dxdt[1] = s.du(x[0], x[1]);
  };
}
}  // namespace detail

// v at `times` (increasing, from 0) starting from (v0, u0) at t = 0, without
// resets: for subthreshold runs. The controlled stepper lands on every time in
// `times`, so an input that switches on at one of them is integrated exactly.
inline std::vector<double> reference_trace(const IzhikevichSystem& s, double v0, double u0,
                                           const std::vector<double>& times, double tol = 1e-10) {
  namespace ode = boost::numeric::odeint;
  detail::X x{v0, u0};
  std::vector<double> out;
  ode::integrate_times(ode::make_controlled(tol, tol, ode::runge_kutta_dopri5<detail::X>()),
                       detail::rhs(s), x, times.begin(), times.end(), 1e-3,
                       [&](const detail::X& y, double) { out.push_back(y[0]); });
  return out;
}

// Spike times of the continuous model: v reaches v_peak at t* (located to
// 1e-12 ms in the dense output), then v <- c, u <- u + d at t*.
inline std::vector<double> reference_spike_times(const IzhikevichSystem& s, double v0, double u0,
                                                 double T, double tol = 1e-10) {
  namespace ode = boost::numeric::odeint;
  auto stepper = ode::make_dense_output(tol, tol, ode::runge_kutta_dopri5<detail::X>());
  const auto f = detail::rhs(s);
  std::vector<double> spikes;
  stepper.initialize(detail::X{v0, u0}, 0.0, 1e-3);
  while (stepper.current_time() < T) {
    stepper.do_step(f);
    if (stepper.current_state()[0] < s.v_peak) continue;
    double lo = stepper.previous_time(), hi = stepper.current_time();
    detail::X x;
    while (hi - lo > 1e-12) {
      const double mid = 0.5 * (lo + hi);
      stepper.calc_state(mid, x);
      (x[0] < s.v_peak ? lo : hi) = mid;
    }
    stepper.calc_state(hi, x);
    if (hi >= T) break;
    spikes.push_back(hi);
    stepper.initialize(detail::X{s.c, x[1] + s.d}, hi, 1e-4);
  }
  return spikes;
}

// Spike stamps of the model as bgsim defines it, integrated exactly: each step
// [n dt, (n+1) dt] is integrated to the tolerance; v >= v_peak at its end is a
// spike stamped n + 1 followed by v <- c, u <- u + d.
inline std::vector<Step> reference_grid_stamps(const IzhikevichSystem& s, double v0, double u0,
                                               double dt, Step steps, double tol = 1e-10) {
  namespace ode = boost::numeric::odeint;
  const auto f = detail::rhs(s);
  detail::X x{v0, u0};
  std::vector<Step> stamps;
  for (Step n = 0; n < steps; ++n) {
    ode::integrate_adaptive(ode::make_controlled(tol, tol, ode::runge_kutta_dopri5<detail::X>()), f,
                            x, n * dt, (n + 1) * dt, dt);
    if (!(x[0] < s.v_peak)) {
      stamps.push_back(n + 1);
      x = {s.c, x[1] + s.d};
    }
  }
  return stamps;
}

}  // namespace bgsim::test
