#pragma once
// What a plasticity rule supplies to the event-driven projection
// (core/plastic_projection.hpp): the kernel owns time — when a synapse acts,
// the traces K+ and K−, the dopamine integral of a window, clipping, storage,
// recorders and checkpoints — and the rule owns every law. A rule is one
// header in models/ (e.g. models/stdp_dopamine.hpp), registered in one line
// with register_plasticity_rule<Rule>("doc…"); the kernel never names it.
//
//   static constexpr std::string_view name;         the JSON model name
//   static constexpr bool uses_dopamine;            reads a dopamine volume
//   struct Params { tau_plus_ms, tau_minus_ms, w_min, w_max, …;
//                   and for dopamine rules tau_c_ms, b };
//   static const ParamTable<Params>& param_table();
//
//   using Eligibility = …;                          the per-synapse state
//       double (one trace) or a struct of doubles, e.g. { double plus, minus; }.
//       The kernel computes in double and stores each double as one number of
//       the projection's storage type: with float storage a synapse is
//       weight, the state's numbers, target, delay — 16 bytes for one trace,
//       20 for two. It starts at all zeros.
//
//   static void facilitate(const Params&, double& w, Eligibility&, double kplus);
//       a post spike; kplus: the pre trace just before it
//   static void depress(const Params&, double& w, Eligibility&, double kminus);
//       a pre spike; kminus: the post trace just before it
//
// and, for dopamine rules, the law between two events of the synapse:
//
//   static void between(const Params&, double& w, Eligibility&, double I, double decay);
//       one piece [a, z] with no event of the synapse inside: I is the
//       dopamine integral ∫_a^z e^{−(u − a)/τ_c} (d(u) − b) du [level·ms]
//       (core/dopamine_integral.hpp), decay = e^{−(z − a)/τ_c}. Exact for
//       any length; the kernel clips w into [w_min, w_max] after it. A rule
//       whose Params has `phi_half` > 0 gets ∫ e^{…} (φ(d) − φ(b)) du [ms]
//       instead: dopamine through a receptor's occupancy (receptor_half()).
//   static constexpr bool split_at_sign_changes;
//       true if `between` needs d − b of one sign over its piece (a rule whose
//       law is not linear in I, e.g. models/stdp_corticostriatal.hpp): the
//       kernel then cuts pieces where d − b changes sign (the dopamine
//       integral tracks those times), at some cost per sign change.
//   static double eligibility(const Eligibility&);
//       the one number recorders and eligibilities() show.
//
// The rule never sees steps, threads or storage: a new rule is its header,
// its registration and its tests.

#include <algorithm>
#include <array>
#include <bit>
#include <concepts>
#include <cstddef>
#include <string_view>
#include <type_traits>
#include <utility>

namespace bgsim {

// A rule's per-synapse state: double or a struct made only of doubles, which
// the kernel reads as an array of `count` numbers (std::bit_cast, so without
// knowing the fields' names).
template <class E>
concept EligibilityState = std::is_trivially_copyable_v<E> && std::is_default_constructible_v<E> &&
                           (sizeof(E) % sizeof(double) == 0) &&
                           (alignof(E) == alignof(double));

template <EligibilityState E>
struct EligibilityLayout {
  static constexpr std::size_t count = sizeof(E) / sizeof(double);

  // The stored numbers (Real: float or double) as the rule's state.
  template <class Real>
  static E load(const std::array<Real, count>& stored) {
    std::array<double, count> a;
    for (std::size_t i = 0; i < count; ++i)
      a[i] = static_cast<double>(stored[i]);
    return std::bit_cast<E>(a);
  }
  template <class Real>
  static void store(const E& e, std::array<Real, count>& stored) {
    const auto a = std::bit_cast<std::array<double, count>>(e);
    for (std::size_t i = 0; i < count; ++i)
      stored[i] = static_cast<Real>(a[i]);
  }
  static E from_numbers(const std::array<double, count>& a) { return std::bit_cast<E>(a); }
};

// What a dopamine rule adds: the law between events and what is recorded.
template <class Rule>
concept DopamineRule = requires(const typename Rule::Params& p, double& w,
                                typename Rule::Eligibility& e) {
  { p.tau_c_ms } -> std::convertible_to<double>;
  { p.b } -> std::convertible_to<double>;
  { Rule::split_at_sign_changes } -> std::convertible_to<bool>;
  Rule::between(p, w, e, 1.0, 1.0);
  { Rule::eligibility(std::as_const(e)) } -> std::convertible_to<double>;
};

// What every rule has: a name, its parameters, and the jumps at spikes.
template <class Rule>
concept PlasticityRuleBase = requires(const typename Rule::Params& p, double& w,
                                      typename Rule::Eligibility& e) {
  { Rule::name } -> std::convertible_to<std::string_view>;
  { Rule::uses_dopamine } -> std::convertible_to<bool>;
  { p.tau_plus_ms } -> std::convertible_to<double>;
  { p.tau_minus_ms } -> std::convertible_to<double>;
  { p.w_min } -> std::convertible_to<double>;
  { p.w_max } -> std::convertible_to<double>;
  Rule::facilitate(p, w, e, 1.0);
  Rule::depress(p, w, e, 1.0);
};

template <class Rule>
concept PlasticityRule = EligibilityState<typename Rule::Eligibility> && PlasticityRuleBase<Rule> &&
    (!Rule::uses_dopamine || DopamineRule<Rule>);

// The half-occupancy level K of the receptor a dopamine rule reads through
// (its optional parameter `phi_half`): > 0, the rule's I is the integral of
// φ(d) − φ(b), φ(d) = d⁺/(d⁺ + K) (core/receptor_occupancy.hpp); 0, or a rule
// without the parameter, reads d − b.
template <class Params>
double receptor_half(const Params& p) {
  if constexpr (requires { p.phi_half; })
    return p.phi_half;
  else
    return 0.0;
}

}  // namespace bgsim
