// The optional dopamine receptor of lif_cond_exp (docs/models.md): the
// excitatory conductance jumps arriving in a step are scaled by g = 1 +
// d1_beta φ (D1) or 1 − d2_beta φ (D2) — Humphries et al.'s (2006) striatal
// weight factors (1 + dop1, 1 − dop2) taken at arrival. Checked on the real
// Simulator: a jump is g times the unmodulated one; no receptor, or φ = 0,
// is the unmodulated model bit for bit; a volume held at a level acts as the
// fixed φ it maps to; a dopamine pulse raises D1 and lowers D2 firing from
// its step on; refusals.

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>

#include "core/neuromodulator.hpp"
#include "models/lif_cond_exp.hpp"
#include "tests/models/dopamine_reader_support.hpp"
#include "tests/models/model_test_support.hpp"

namespace bgsim {
namespace {

using test::Bench;
using test::PulseSplit;
using test::Reader;
using test::spikes;
using test::split_at_pulse;

// g_ex right after one excitatory spike of `w` nS (the step it arrives in,
// decayed over that step).
double g_after_jump(const ParamMap& params, double w) {
  Bench b(0.1);
  ParamMap p = params;
  p["scheme"] = std::string("exponential_euler");
  const auto pop = b.population("lif_cond_exp", "n", 1, p);
  b.spikes_into(pop, "excitatory", {1.0}, w, b.sim.resolution().delay_steps(1.0));
  const Step at = b.steps(2.0) + 1;  // the spike arrives in the update of step 2 ms
  b.record("g", pop, "g_ex", at, 1000000000);
  b.run(at + 1);
  return b.trace("g").at(0);
}

TEST(LifCondExpDopamine, AJumpIsScaledByTheReceptorsGain) {
  const double w = 4.0, none = g_after_jump({}, w);
  EXPECT_GT(none, 0.0);
  for (const auto& [receptor, phi, beta, g] : {std::tuple{"D1", 0.3, 1.0, 1.3},
                                               {"D2", 0.3, 1.0, 0.7},
                                               {"D1", 0.5, 6.3, 1.0 + 6.3 * 0.5},
                                               {"D2", 1.0, 0.215, 1.0 - 0.215}}) {
    SCOPED_TRACE(std::string(receptor) + " phi " + std::to_string(phi));
    const double v = g_after_jump({{"dopamine_receptor", std::string(receptor)},
                                   {"phi", phi},
                                   {std::string(receptor) == "D1" ? "d1_beta" : "d2_beta", beta}},
                                  w);
    EXPECT_NEAR(v, g * none, 1e-14 * g * none);
  }
}

// A population of 20 cells under Poisson excitation and noise, reading volume
// "da" (or not); its spikes as step · 100 + neuron.
Reader reader(const ParamMap& params, bool reads, DopamineVolume::Params volume = {}) {
  Reader r;
  r.bench = std::make_unique<Bench>(0.1, 5);
  Bench& b = *r.bench;
  ParamMap p = params;
  p["scheme"] = std::string("exponential_euler");
  r.pop = b.population("lif_cond_exp", "msn", 20, p);
  b.device("poisson_input", "ctx", r.pop, "excitatory", {{"rate_Hz", 4000.0}, {"weight", 2.0}});
  b.device("noise_current", "noise", r.pop, "current", {{"mean", 200.0}, {"std", 200.0}});
  r.volume = b.sim.add_volume(std::make_unique<DopamineVolume>("da", volume));
  if (reads) b.sim.read_neuromodulator(r.pop, r.volume);
  b.record_spikes("spikes", r.pop);
  return r;
}

TEST(LifCondExpDopamine, NoReceptorIsTheUnmodulatedModelBitForBit) {
  auto plain = reader({}, false);
  auto d1_zero = reader({{"dopamine_receptor", std::string("D1")}}, false);
  auto d2_zero = reader({{"dopamine_receptor", std::string("D2")}}, false);
  const auto a = spikes(plain, 1000.0);
  EXPECT_GT(a.size(), 100u);
  EXPECT_EQ(spikes(d1_zero, 1000.0), a);
  EXPECT_EQ(spikes(d2_zero, 1000.0), a);
  RecordProperty("spikes_in_1s", std::to_string(a.size()));
}

TEST(LifCondExpDopamine, AVolumeHeldAtALevelActsAsTheFixedActivation) {
  const DopamineVolume::Params held{.tau_ms = 200.0, .baseline = 0.3, .spike_increment = 0.0};
  for (const auto& [receptor, activation, half] :
       {std::tuple{"D1", "linear", 1.0}, {"D2", "linear", 1.0}, {"D2", "saturating", 0.5}}) {
    SCOPED_TRACE(std::string(receptor) + " " + activation);
    const ParamMap act{{"dopamine_receptor", std::string(receptor)},
                       {"activation", std::string(activation)},
                       {"phi_half", half},
                       {"d1_beta", 1.0},
                       {"d2_beta", 1.0}};
    const double phi = std::string(activation) == "saturating" ? 0.3 / (0.3 + half) : 0.3;
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
TEST(LifCondExpDopamine, ADopaminePulseRaisesD1AndLowersD2Firing) {
  const DopamineVolume::Params p{.tau_ms = 2000.0, .baseline = 0.0, .spike_increment = 0.0};
  for (const std::string receptor : {"D1", "D2"}) {
    SCOPED_TRACE(receptor);
    const ParamMap params{{"dopamine_receptor", receptor}, {"d1_beta", 1.0}, {"d2_beta", 0.6}};
    auto with = reader(params, true, p), without = reader(params, true, p);
    const PulseSplit s = split_at_pulse(with, without, 1000.0, 2000.0);
    EXPECT_EQ(s.before_with, s.before_without);
    const auto n_with = s.after_with, n_without = s.after_without;
    RecordProperty(receptor + "_spikes_after_with_without",
                   std::to_string(n_with) + " " + std::to_string(n_without));
    EXPECT_GT(n_without, 50);
    // Measured: D1 1918, D2 434 against 1087 spikes; the noise current, which the
    // receptor does not scale, drives a part of the firing.
    if (receptor == "D1")
      EXPECT_GT(n_with, 1.5 * n_without);
    else
      EXPECT_LT(1.5 * n_with, n_without);
  }
}

TEST(LifCondExpDopamine, RefusesBadParametersAndReadingWithoutAReceptor) {
  test::expect_refused("lif_cond_exp", {{"phi", 0.5}},
                       {"phi", "dopamine_receptor is \"none\"", "\"D1\" or \"D2\""});
  test::expect_refused("lif_cond_exp", {{"dopamine_receptor", std::string("d1")}},
                       {"dopamine_receptor", "did you mean \"D1\""});
  test::expect_refused("lif_cond_exp", {{"d2_beta", 1.5}}, {"d2_beta", "[0, 1]"});
  Bench b(0.1);
  const auto pop = b.population("lif_cond_exp", "plain", 2);
  const auto da =
      b.sim.add_volume(std::make_unique<DopamineVolume>("da", DopamineVolume::Params{}));
  EXPECT_THROW(b.sim.read_neuromodulator(pop, da), std::invalid_argument);
}

}  // namespace
}  // namespace bgsim
