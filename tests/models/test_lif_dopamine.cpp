// The optional dopamine receptor of lif_psc_exp (docs/models.md): the
// excitatory current acts on V × g, g = 1 + d1_beta φ (D1) or 1 − d2_beta φ
// (D2). Checked on the real Simulator: one PSC against g times the closed
// form; no receptor, or φ = 0, is the unmodulated model bit for bit; a volume
// held at a level acts as the fixed φ it maps to; a dopamine pulse read from
// a volume raises D1 and lowers D2 firing from its step on; refusals.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <memory>

#include "core/neuromodulator.hpp"
#include "models/lif_psc_exp.hpp"
#include "tests/models/dopamine_reader_support.hpp"
#include "tests/models/model_test_support.hpp"

namespace bgsim {
namespace {

using test::Bench;
using test::PulseSplit;
using test::Reader;
using test::spikes;
using test::split_at_pulse;

constexpr double C_m = 250.0, tau_m = 10.0, tau_syn = 2.0, E_L = -70.0;

// V(t) − E_L after one excitatory current jump w at t = 0 (unmodulated).
double psc_response(double w, double t) {
  return w / C_m * tau_m * tau_syn / (tau_m - tau_syn) *
         (std::exp(-t / tau_m) - std::exp(-t / tau_syn));
}

// The membrane potential 5 ms after one excitatory spike of `w` pA.
double v_after_psc(const ParamMap& params, double w) {
  Bench b(0.1);
  const auto pop = b.population("lif_psc_exp", "n", 1, params);
  b.spikes_into(pop, "excitatory", {1.0}, w, b.sim.resolution().delay_steps(1.0));
  const double t0 = 2.0;  // the spike arrives at 1 + 1 ms
  const Step at = b.steps(t0 + 5.0);
  b.record("V", pop, "V_m", at, 1000000000);
  b.run(at + 1);
  return b.trace("V").at(0);
}

TEST(LifPscExpDopamine, APscIsScaledByTheReceptorsGain) {
  const double w = 200.0, exact = psc_response(w, 5.0);  // 1 mV: below threshold at g 7.3
  const double none = v_after_psc({}, w) - E_L;
  EXPECT_NEAR(none, exact, 1e-12);
  for (const auto& [receptor, phi, g] : {std::tuple{"D1", 0.5, 1.0 + 6.3 * 0.5},
                                         {"D2", 0.5, 1.0 - 0.215 * 0.5},
                                         {"D1", 1.0, 1.0 + 6.3},
                                         {"D2", 1.0, 1.0 - 0.215}}) {
    SCOPED_TRACE(std::string(receptor) + " phi " + std::to_string(phi));
    const double v =
        v_after_psc({{"dopamine_receptor", std::string(receptor)}, {"phi", phi}}, w) - E_L;
    EXPECT_NEAR(v, g * exact, 1e-12 * g);
  }
  // d1_beta and d2_beta set the gain.
  const double v =
      v_after_psc({{"dopamine_receptor", std::string("D2")}, {"phi", 0.5}, {"d2_beta", 0.6}}, w);
  EXPECT_NEAR(v - E_L, 0.7 * exact, 1e-12);
}

// A population of 20 cells under Poisson excitation and noise, reading volume
// "da" (or not); its spikes as step · 100 + neuron.
Reader reader(const ParamMap& params, bool reads, DopamineVolume::Params volume = {}) {
  Reader r;
  r.bench = std::make_unique<Bench>(0.1, 5);
  Bench& b = *r.bench;
  r.pop = b.population("lif_psc_exp", "msn", 20, params);
  b.device("poisson_input", "ctx", r.pop, "excitatory", {{"rate_Hz", 4000.0}, {"weight", 30.0}});
  b.device("noise_current", "noise", r.pop, "current", {{"mean", 100.0}, {"std", 200.0}});
  r.volume = b.sim.add_volume(std::make_unique<DopamineVolume>("da", volume));
  if (reads) b.sim.read_neuromodulator(r.pop, r.volume);
  b.record_spikes("spikes", r.pop);
  return r;
}

// Without a receptor, or with one at φ = 0, the spikes are those of the
// unmodulated model, bit for bit (g is exactly 1: the propagator is unchanged).
TEST(LifPscExpDopamine, NoReceptorIsTheUnmodulatedModelBitForBit) {
  auto plain = reader({}, false);
  auto d1_zero = reader({{"dopamine_receptor", std::string("D1")}}, false);
  auto d2_zero = reader({{"dopamine_receptor", std::string("D2")}}, false);
  const auto a = spikes(plain, 1000.0);
  EXPECT_GT(a.size(), 100u);
  EXPECT_EQ(spikes(d1_zero, 1000.0), a);
  EXPECT_EQ(spikes(d2_zero, 1000.0), a);
  RecordProperty("spikes_in_1s", std::to_string(a.size()));
}

// A volume held at a level acts exactly as the fixed φ that level gives
// (linear and saturating activation), and differently from φ = 0.
TEST(LifPscExpDopamine, AVolumeHeldAtALevelActsAsTheFixedActivation) {
  const DopamineVolume::Params held{.tau_ms = 200.0, .baseline = 0.6, .spike_increment = 0.0};
  for (const auto& [receptor, activation, half] :
       {std::tuple{"D1", "linear", 1.0}, {"D2", "saturating", 0.5}, {"D1", "saturating", 50.0}}) {
    SCOPED_TRACE(std::string(receptor) + " " + activation);
    const ParamMap act{{"dopamine_receptor", std::string(receptor)},
                       {"activation", std::string(activation)},
                       {"phi_half", half}};
    const double phi =
        std::string(activation) == "saturating" ? 0.6 / (0.6 + half) : std::min(0.6, 1.0);
    ParamMap fixed = act;
    fixed["phi"] = phi;
    auto from_volume = reader(act, true, held), from_phi = reader(fixed, false, held);
    auto without = reader(act, false, held);
    const auto a = spikes(from_volume, 1000.0);
    EXPECT_EQ(a, spikes(from_phi, 1000.0));
    EXPECT_NE(a, spikes(without, 1000.0));
  }
}

// A pulse (level 0 → 1 at 1 s, τ 2 s) changes nothing before its step; in
// the second after it D1 cells fire more and D2 cells less than without it.
TEST(LifPscExpDopamine, ADopaminePulseRaisesD1AndLowersD2Firing) {
  const DopamineVolume::Params p{.tau_ms = 2000.0, .baseline = 0.0, .spike_increment = 0.0};
  for (const std::string receptor : {"D1", "D2"}) {
    SCOPED_TRACE(receptor);
    // D2 at full effect (d2_beta 0.6) so that the change is well above the noise.
    const ParamMap params{{"dopamine_receptor", receptor}, {"d1_beta", 1.0}, {"d2_beta", 0.6}};
    auto with = reader(params, true, p), without = reader(params, true, p);
    const PulseSplit s = split_at_pulse(with, without, 1000.0, 2000.0);
    EXPECT_EQ(s.before_with, s.before_without);
    const auto n_with = s.after_with, n_without = s.after_without;
    RecordProperty(receptor + "_spikes_after_with_without",
                   std::to_string(n_with) + " " + std::to_string(n_without));
    EXPECT_GT(n_without, 50);
    if (receptor == "D1")
      EXPECT_GT(n_with, 2 * n_without);
    else
      EXPECT_LT(2 * n_with, n_without);
  }
}

TEST(LifPscExpDopamine, RefusesBadParametersAndReadingWithoutAReceptor) {
  test::expect_refused("lif_psc_exp", {{"phi", 0.5}},
                       {"phi", "dopamine_receptor is \"none\"", "\"D1\" or \"D2\""});
  test::expect_refused("lif_psc_exp", {{"dopamine_receptor", std::string("d2")}},
                       {"dopamine_receptor", "did you mean \"D2\""});
  test::expect_refused("lif_psc_exp", {{"d2_beta", 1.5}}, {"d2_beta", "[0, 1]"});
  test::expect_refused("lif_psc_exp", {{"d1_beta", -1.0}}, {"d1_beta", ">= 0"});
  test::expect_refused("lif_psc_exp", {{"phi_half", 0.0}}, {"phi_half", "> 0"});
  Bench b(0.1);
  const auto pop = b.population("lif_psc_exp", "plain", 2);
  const auto da =
      b.sim.add_volume(std::make_unique<DopamineVolume>("da", DopamineVolume::Params{}));
  try {
    b.sim.read_neuromodulator(pop, da);
    ADD_FAILURE() << "a cell without receptor read the volume";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("dopamine_receptor is \"none\""), std::string::npos)
        << e.what();
  }
  const auto fixed = b.population("lif_psc_exp", "fixed", 2,
                                  {{"dopamine_receptor", std::string("D1")}, {"phi", 0.3}});
  EXPECT_THROW(b.sim.read_neuromodulator(fixed, da), std::invalid_argument);
}

}  // namespace
}  // namespace bgsim
