#pragma once
// Shared by the tests of the dopamine rules with a weight dependence
// (stdp_dopamine_soft, stdp_dopamine_proportional, and the pairing helpers
// by stdp_dopamine_corticostriatal's): one synapse driven by given spikes and
// dopamine, the tag of a single causal pair, and the per-step reference of
// x' = κ c (d − b)/range · f(x) for the rule's f.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

#include "core/random.hpp"
#include "models/stdp_dopamine.hpp"
#include "tests/core/test_support.hpp"
#include "tests/models/plasticity_support.hpp"

namespace bgsim::test_support::weight_dependence {

using Params = models::StdpDopamine::Params;

inline constexpr Step ms = 10;  // dt = 0.1 ms
inline constexpr double tau_c = 1000.0, tau_d = 200.0, tau_s = tau_c * tau_d / (tau_c + tau_d);
inline constexpr double tau_pm = 20.0;  // τ+ = τ− of the defaults

inline DopamineVolume::Params volume(double baseline = 0.0, double increment = 0.05) {
  return {.tau_ms = tau_d, .baseline = baseline, .spike_increment = increment};
}

inline Params rule(double a_plus = 1.0, double w_min = 0.0, double w_max = 4.0) {
  Params p;
  p.A_plus = a_plus;
  p.A_minus = 0.5 * a_plus;
  p.w_min = w_min;
  p.w_max = w_max;
  return p;
}

// Spikes in ms of the synapse's frame, offset by 2 ms; post spikes stamped a
// delay earlier (dendritic); dopamine spikes and pulses; runs 40 s past the
// last event.
struct Pairing {
  std::vector<double> pre_ms, post_ms, dopamine_ms;
  std::vector<std::pair<double, double>> pulses;  // (ms, amount)
};

template <class Rule, class Real = double>
double weight_after(const typename Rule::Params& p, double w0, const Pairing& e,
                    DopamineVolume::Params vol = volume()) {
  const Step t0 = 2 * ms, delay = 1 * ms;
  const auto at = [&](double t) { return t0 + static_cast<Step>(std::llround(t * 10)); };
  std::vector<Step> pre, post, da;
  for (double t : e.pre_ms)
    pre.push_back(at(t));
  for (double t : e.post_ms)
    post.push_back(at(t) - delay);
  for (double t : e.dopamine_ms)
    da.push_back(at(t));
  auto s = one_synapse<Rule, Real>(p, w0, delay, pre, post, da, vol);
  Step last = 0;
  for (const auto& [t, amount] : e.pulses) {
    s.sim->pulse(s.volume, at(t), amount);
    last = std::max(last, at(t));
  }
  for (Step t : da)
    last = std::max(last, t);
  s.sim->run(last + 40000 * ms);
  return s.weight();
}

// The tag at T of a pre spike at 0 and a post spike at 10 ms (A+ = 1).
inline double causal_tag(double T) {
  return std::exp(-10.0 / tau_pm) * std::exp(-(T - 10.0) / tau_c);
}

struct Trains {
  std::vector<Step> pre, post;                    // as the synapse sees them
  std::vector<std::pair<Step, double>> dopamine;  // (step, amount)
};

// Explicit Euler of x' = g · f(x, g), g = κ c (d − b)/range, over each step,
// x clipped into [0, 1].
template <class Law>
std::pair<double, double> reference(const Params& p, double w0, const Trains& tr,
                                    const DopamineVolume::Params& vol, double dt, Step steps,
                                    Law f) {
  const double range = p.w_max - p.w_min;
  double x = (w0 - p.w_min) / range, c = 0.0, kp = 0.0, km = 0.0, d = vol.baseline;
  const double fp = std::exp(-dt / p.tau_plus_ms), fm = std::exp(-dt / p.tau_minus_ms);
  const double fc = std::exp(-dt / p.tau_c_ms), fd = std::exp(-dt / vol.tau_ms);
  const auto count = [](const std::vector<Step>& v, Step n) {
    return static_cast<double>(std::count(v.begin(), v.end(), n));
  };
  for (Step n = 0; n < steps; ++n) {
    c += count(tr.post, n) * p.A_plus * kp - count(tr.pre, n) * p.A_minus * km;
    kp += count(tr.pre, n);
    km += count(tr.post, n);
    for (const auto& [at, amount] : tr.dopamine)
      if (at == n) d += amount;
    const double g = p.dopamine_gain * c * (d - p.b) / range;
    x += g * dt * f(x, g);
    x = std::clamp(x, 0.0, 1.0);
    c *= fc;
    d = vol.baseline + (d - vol.baseline) * fd;
    kp *= fp;
    km *= fm;
  }
  return {p.w_min + x * range, c};
}

struct RandomRun {
  double w_event, c_event, w_ref, c_ref;
};

// 3 s of random pre, post and dopamine trains and six pulses of either sign,
// the volume resting below b: the event-driven rule against the reference.
template <class Rule, class Law>
RandomRun random_run_against_reference(std::uint64_t seed, double dt_ms, double gain, double w0,
                                       Law f) {
  const Step per_ms = static_cast<Step>(std::llround(1.0 / dt_ms));
  const Step T = 3000 * per_ms, delay = 2 * per_ms, grid = per_ms / 10;
  RandomStream rng(seed, Purpose::task, 0, 1);
  const auto train = [&](double rate_Hz) {
    std::vector<Step> v;
    for (Step k = 1; k * grid < T - 10 * per_ms; ++k)
      if (rng.uniform() < rate_Hz * 1e-4) v.push_back(k * grid);
    return v;
  };
  const auto pre = train(20.0), post = train(20.0), da = train(3.0);
  Params p = rule(0.01, -1.0, 2.0);
  p.dopamine_gain = gain;
  p.b = 0.02;  // the volume rests at 0.001: every dopamine spike crosses b twice
  const DopamineVolume::Params vol{.tau_ms = 200.0, .baseline = 0.001, .spike_increment = 0.05};
  auto s = one_synapse<Rule, double>(p, w0, delay, pre, post, da, vol, dt_ms);
  Trains tr;
  for (int k = 0; k < 6; ++k) {
    const Step at = grid * (1 + static_cast<Step>(rng.uniform() * 29000.0));
    const double amount = (rng.uniform() - 0.4) * 0.2;
    s.sim->pulse(s.volume, at, amount);
    tr.dopamine.emplace_back(at, amount);
  }
  s.sim->run(T);
  tr.pre = pre;
  for (Step t : post)
    tr.post.push_back(t + delay);
  for (Step t : da)
    tr.dopamine.emplace_back(t, vol.spike_increment);
  const auto [w, c] = reference(p, w0, tr, vol, dt_ms, T, f);
  return {s.weight(), s.eligibility(), w, c};
}

}  // namespace bgsim::test_support::weight_dependence
