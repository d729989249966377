// Dopamine modulation of izhikevich_book (Humphries et al. 2009) on the real
// Simulator: the modulated parameters, the rheobase of the modulated
// saddle-node against the simulation, spike trains against an independent
// integration of the modulated equations, the f–I curves and the response to
// cortical (AMPA + NMDA) input of D1 and D2 cells, a volume held at a level
// acting as the same fixed activation, a dopamine pulse read from a volume,
// and refusals.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "models/izhikevich_book.hpp"
#include "tests/models/dopamine_reader_support.hpp"
#include "tests/models/izhikevich_reference.hpp"
#include "tests/models/model_test_support.hpp"

namespace bgsim {
namespace {

using models::IzhikevichBook;
using Receptor = IzhikevichBook::DopamineReceptor;
using test::Bench;
using test::PulseSplit;
using test::Reader;
using test::spikes;
using test::split_at_pulse;

IzhikevichBook::Params params(const std::string& preset, const ParamMap& extra = {}) {
  auto pop = make_population("izhikevich_book", "p", 1, extra, preset);
  return IzhikevichBook::param_table().apply("izhikevich_book", {}, pop->params());
}

// I_rh = (k' (v_t − v_r') + b)² / (4k'), the saddle-node of the modulated cell.
double rheobase(const IzhikevichBook::Modulated& m, const IzhikevichBook::Params& p) {
  const double root = m.k * (p.v_t - m.v_r) + p.b;
  return root * root / (4.0 * m.k);
}

TEST(MsnDopamine, ParametersFollowTheEquationsOfHumphries2009) {
  const auto d1 = params("msn_d1"), d2 = params("msn_d2");
  EXPECT_EQ(d1.dopamine_receptor, "D1");
  EXPECT_EQ(d2.dopamine_receptor, "D2");
  for (const auto& p : {d1, d2}) {
    EXPECT_EQ(p.C, 15.2);
    EXPECT_EQ(p.v_t, -29.7);
    EXPECT_EQ(p.d, 91.0);
    EXPECT_EQ(p.d1_K, 0.0289);
    EXPECT_EQ(p.d1_L, 0.331);
    EXPECT_EQ(p.d1_beta1, 6.3);
    EXPECT_EQ(p.d2_alpha, 0.032);
    EXPECT_EQ(p.d2_beta2, 0.215);
  }
  // D1 at φ = 0.5: v_r' = v_r (1 + K φ), d' = d (1 − L φ), NMDA × (1 + β1 φ).
  const auto m1 = IzhikevichBook::modulated(d1, Receptor::D1, 0.5);
  EXPECT_DOUBLE_EQ(m1.v_r, -80.0 * (1.0 + 0.0289 * 0.5));
  EXPECT_DOUBLE_EQ(m1.d, 91.0 * (1.0 - 0.331 * 0.5));
  EXPECT_DOUBLE_EQ(m1.nmda, 1.0 + 6.3 * 0.5);
  EXPECT_EQ(m1.k, 1.0);
  EXPECT_EQ(m1.ampa, 1.0);
  // D2 at φ = 0.5: k' = k (1 − α φ), AMPA × (1 − β2 φ).
  const auto m2 = IzhikevichBook::modulated(d2, Receptor::D2, 0.5);
  EXPECT_DOUBLE_EQ(m2.k, 1.0 - 0.032 * 0.5);
  EXPECT_DOUBLE_EQ(m2.ampa, 1.0 - 0.215 * 0.5);
  EXPECT_EQ(m2.v_r, -80.0);
  EXPECT_EQ(m2.d, 91.0);
  EXPECT_EQ(m2.nmda, 1.0);
  // At φ = 0, and for a cell without receptor, exactly the unmodulated values.
  for (const auto& [p, r, phi] :
       {std::tuple{d1, Receptor::D1, 0.0}, {d2, Receptor::D2, 0.0}, {d1, Receptor::none, 1.0}}) {
    const auto m = IzhikevichBook::modulated(p, r, phi);
    EXPECT_EQ(m.k, p.k);
    EXPECT_EQ(m.v_r, p.v_r);
    EXPECT_EQ(m.d, p.d);
    EXPECT_EQ(m.ampa, 1.0);
    EXPECT_EQ(m.nmda, 1.0);
  }
  // φ from the level: linear clamp(gain · level, 0, 1), saturating level/(level + half).
  auto p = params("msn_d1", {{"phi_gain", 2.0}, {"phi_half", 0.2}});
  EXPECT_DOUBLE_EQ(IzhikevichBook::activation_of(p, false, 0.3), 0.6);
  EXPECT_EQ(IzhikevichBook::activation_of(p, false, -0.1), 0.0);
  EXPECT_EQ(IzhikevichBook::activation_of(p, false, 0.8), 1.0);
  EXPECT_DOUBLE_EQ(IzhikevichBook::activation_of(p, true, 0.2), 0.5);
  EXPECT_DOUBLE_EQ(IzhikevichBook::activation_of(p, true, 0.6), 0.75);
  EXPECT_EQ(IzhikevichBook::activation_of(p, true, -1.0), 0.0);
}

// Number of spikes of one cell in T ms from rest under a constant current I
// [pA], at a fixed receptor activation φ.
std::size_t spikes_under(const std::string& preset, double phi, double I, double T,
                         const std::string& scheme = "rk4") {
  Bench bench(0.1);
  const auto pop =
      bench.population("izhikevich_book", "n", 1, {{"scheme", scheme}, {"phi", phi}}, preset);
  bench.device("dc_current", "dc", pop, "current", {{"amplitude", I}});
  bench.record_spikes("spikes", pop);
  bench.run(bench.steps(T));
  return bench.stamps("spikes", pop).size();
}

// The D1 cell's deeper rest raises the saddle-node current by 36.4 pA at
// φ = 1; the D2 cell's smaller k lowers it by 16.9 pA (b < 0: the restoring
// part of k (v − v_r)(v − v_t) shrinks too). The simulation agrees within 1 %:
// silent for 10 s at 0.99 I_rh, firing within 10 s at 1.01 I_rh; and at a
// current between two thresholds one cell fires and the other does not.
TEST(MsnDopamine, RheobaseShiftIsTheSaddleNodeOfTheModulatedParameters) {
  const auto d1 = params("msn_d1"), d2 = params("msn_d2");
  const double base = rheobase(IzhikevichBook::modulated(d1, Receptor::D1, 0.0), d1);
  const double high_d1 = rheobase(IzhikevichBook::modulated(d1, Receptor::D1, 1.0), d1);
  const double high_d2 = rheobase(IzhikevichBook::modulated(d2, Receptor::D2, 1.0), d2);
  EXPECT_NEAR(base, 30.3 * 30.3 / 4.0, 1e-9);
  EXPECT_NEAR(high_d1, std::pow(80.0 * 1.0289 - 29.7 - 20.0, 2) / 4.0, 1e-9);
  EXPECT_NEAR(high_d2, std::pow(0.968 * 50.3 - 20.0, 2) / (4.0 * 0.968), 1e-9);
  EXPECT_NEAR(high_d1 - base, 36.36, 0.01);
  EXPECT_NEAR(high_d2 - base, -16.93, 0.01);
  RecordProperty("rheobase_pA_phi0", test::sci(base));
  RecordProperty("rheobase_pA_D1_phi1", test::sci(high_d1));
  RecordProperty("rheobase_pA_D2_phi1", test::sci(high_d2));
  const double T = 10000.0;
  for (const auto& [preset, phi, I_rh] :
       {std::tuple{"msn_d1", 0.0, base}, {"msn_d1", 1.0, high_d1}, {"msn_d2", 1.0, high_d2}}) {
    SCOPED_TRACE(std::string(preset) + " phi " + std::to_string(phi));
    EXPECT_EQ(spikes_under(preset, phi, 0.99 * I_rh, T), 0u);
    EXPECT_GT(spikes_under(preset, phi, 1.01 * I_rh, T), 0u);
  }
  EXPECT_GT(spikes_under("msn_d1", 0.0, 1.01 * base, T), 0u);
  EXPECT_EQ(spikes_under("msn_d1", 1.0, 1.01 * base, T), 0u);  // D1 raised the threshold
  EXPECT_GT(spikes_under("msn_d2", 1.0, 1.01 * high_d2, T), 0u);
  EXPECT_EQ(spikes_under("msn_d2", 0.0, 1.01 * high_d2, T), 0u);  // D2 lowered it
}

// The spike train of a modulated cell (dopri5: resets at the crossing) is the
// one an independent Dormand–Prince integration of the modulated equations
// gives, spike for spike, each in the step of its continuous crossing.
TEST(MsnDopamine, SpikeTrainsAreThoseOfTheModulatedEquations) {
  const double dt = 0.1, I = 400.0, T = 1000.0, phi = 0.7;
  for (const auto& [preset, receptor] :
       {std::pair{"msn_d1", Receptor::D1}, {"msn_d2", Receptor::D2}}) {
    SCOPED_TRACE(preset);
    const auto p = params(preset);
    const auto m = IzhikevichBook::modulated(p, receptor, phi);
    const test::IzhikevichSystem system{
        [p, m, I](double v, double u, double) {
          return (m.k * (v - m.v_r) * (v - p.v_t) - u + I) / p.C;
        },
        [p, m](double v, double u) { return p.a * (p.b * (v - m.v_r) - u); }, p.v_peak, p.c, m.d};
    const auto exact = test::reference_spike_times(system, p.v_r, 0.0, T);
    Bench bench(dt);
    const auto pop = bench.population(
        "izhikevich_book", "n", 1,
        {{"scheme", std::string("dopri5")}, {"abs_tol", 1e-10}, {"rel_tol", 1e-10}, {"phi", phi}},
        preset);
    bench.device("dc_current", "dc", pop, "current", {{"amplitude", I}});
    bench.record_spikes("spikes", pop);
    bench.run(bench.steps(T));
    const auto stamps = bench.stamps("spikes", pop);
    ASSERT_EQ(stamps.size(), exact.size());
    ASSERT_GE(stamps.size(), 20u);
    for (std::size_t k = 0; k < stamps.size(); ++k) {
      EXPECT_GE(stamps[k] * dt - exact[k], -1e-6) << "spike " << k;
      EXPECT_LE(stamps[k] * dt - exact[k], dt + 1e-6) << "spike " << k;
    }
    RecordProperty(std::string(preset) + "_spikes_400pA_phi07", static_cast<int>(stamps.size()));
  }
}

// f–I curves over 2 s (rk4, dt = 0.1 ms) at φ = 0 and 1. D1 raises the
// threshold (silent at 250 pA, where the unmodulated cell fires) and steepens
// the curve above it (less adaptation, d' = 0.67 d): more spikes from 400 pA
// on. The intrinsic D2 effect is small and, with these constants, slightly
// excitatory at every current (a lower threshold, a few % more spikes): as in
// the compartmental model the constants were fitted to (Moyer et al. 2007),
// dopamine's intrinsic effects oppose its synaptic ones, which dominate (next
// test).
TEST(MsnDopamine, FICurvesShiftAsTheModulatedParametersSay) {
  std::string table;
  for (double I : {250.0, 300.0, 400.0, 700.0}) {
    const auto base = spikes_under("msn_d1", 0.0, I, 2000.0);
    const auto d1 = spikes_under("msn_d1", 1.0, I, 2000.0);
    const auto d2 = spikes_under("msn_d2", 1.0, I, 2000.0);
    table += std::to_string(static_cast<int>(I)) + " pA: " + std::to_string(base) + "/" +
             std::to_string(d1) + "/" + std::to_string(d2) + "; ";
    if (I == 250.0) {
      EXPECT_GT(base, 0u);
      EXPECT_EQ(d1, 0u);
    }
    if (I >= 400.0) {
      EXPECT_GT(static_cast<double>(d1), 1.3 * static_cast<double>(base)) << I;
    }
    EXPECT_GT(d2, base) << I;
    EXPECT_LE(static_cast<double>(d2 - base), 0.1 * static_cast<double>(base) + 6.0) << I;
  }
  RecordProperty("spikes_in_2s_base_D1_D2", table);
}

// Spikes of 20 cells in 2 s under cortical input drawn per neuron and step
// (the same draws for every φ: the stream is keyed by gid and step): AMPA-like
// current pulses on `excitatory` and NMDA conductance jumps on `nmda`.
std::size_t cortical(const std::string& preset, double phi, double ampa_Hz, double ampa_pA,
                     double nmda_Hz, double nmda_nS) {
  Bench bench(0.1, 5);
  const auto pop = bench.population("izhikevich_book", "msn", 20, {{"phi", phi}}, preset);
  bench.device("poisson_input", "ampa", pop, "excitatory",
               {{"rate_Hz", ampa_Hz}, {"weight", ampa_pA}});
  if (nmda_Hz > 0.0)
    bench.device("poisson_input", "nmda", pop, "nmda", {{"rate_Hz", nmda_Hz}, {"weight", nmda_nS}});
  bench.record_spikes("spikes", pop);
  bench.run(bench.steps(2000.0));
  return bench.stamps("spikes", pop).size();
}

// Under the same cortical input, D1 activation raises the response (NMDA
// × 7.3 at φ = 1 outweighs the raised threshold), D2 activation lowers it
// (AMPA × 0.785 outweighs the slightly lower threshold), monotonically in φ.
TEST(MsnDopamine, CorticalInputD1CellsRespondMoreD2CellsLess) {
  std::vector<std::size_t> d1, d2;
  for (double phi : {0.0, 0.25, 0.5, 1.0}) {
    d1.push_back(cortical("msn_d1", phi, 2000.0, 20.0, 2000.0, 0.05));
    d2.push_back(cortical("msn_d2", phi, 2000.0, 20.0, 2000.0, 0.05));
  }
  std::string s1, s2;
  for (std::size_t i = 0; i < d1.size(); ++i) {
    s1 += std::to_string(d1[i]) + " ";
    s2 += std::to_string(d2[i]) + " ";
  }
  RecordProperty("D1_spikes_phi_0_025_05_1", s1);
  RecordProperty("D2_spikes_phi_0_025_05_1", s2);
  EXPECT_GT(d1[0], 40u) << s1;  // the unmodulated cells do fire (a few Hz)
  for (std::size_t i = 1; i < d1.size(); ++i) {
    EXPECT_GT(d1[i], d1[i - 1]) << s1;
    EXPECT_LT(d2[i], d2[i - 1]) << s2;
  }
  EXPECT_GT(d1.back(), 5 * d1.front()) << s1;
  EXPECT_LT(2 * d2.back(), d2.front()) << s2;
  // With AMPA-like input alone, D2 still lowers the response.
  const auto ampa_only_0 = cortical("msn_d2", 0.0, 4000.0, 20.0, 0.0, 0.0);
  const auto ampa_only_1 = cortical("msn_d2", 1.0, 4000.0, 20.0, 0.0, 0.0);
  EXPECT_GT(ampa_only_0, 100u);
  EXPECT_LT(static_cast<double>(ampa_only_1), 0.8 * static_cast<double>(ampa_only_0));
  RecordProperty("D2_ampa_only_spikes_phi_0_1",
                 std::to_string(ampa_only_0) + " " + std::to_string(ampa_only_1));
}

// A network of one population reading volume "da" (or not), under cortical input.
Reader reader(const std::string& preset, const ParamMap& params, bool reads,
              DopamineVolume::Params volume = {}) {
  Reader r;
  r.bench = std::make_unique<Bench>(0.1, 5);
  Bench& b = *r.bench;
  r.pop = b.population("izhikevich_book", "msn", 20, params, preset);
  b.device("poisson_input", "ampa", r.pop, "excitatory", {{"rate_Hz", 2000.0}, {"weight", 20.0}});
  b.device("poisson_input", "nmda", r.pop, "nmda", {{"rate_Hz", 2000.0}, {"weight", 0.05}});
  r.volume = b.sim.add_volume(std::make_unique<DopamineVolume>("da", volume));
  if (reads) b.sim.read_neuromodulator(r.pop, r.volume);
  b.record_spikes("spikes", r.pop);
  return r;
}

// A volume held at a level acts exactly as the fixed activation that level
// gives: the same spikes, bit for bit (linear and saturating activation).
TEST(MsnDopamine, AVolumeHeldAtALevelActsAsTheFixedActivation) {
  const DopamineVolume::Params held{.tau_ms = 200.0, .baseline = 0.6, .spike_increment = 0.0};
  for (const auto& [preset, activation, half] : {std::tuple{"msn_d1", "linear", 1.0},
                                                 {"msn_d2", "saturating", 2.4},
                                                 {"msn_d1", "saturating", 0.3}}) {
    SCOPED_TRACE(std::string(preset) + " " + activation);
    const ParamMap act{{"activation", std::string(activation)}, {"phi_half", half}};
    const double phi = IzhikevichBook::activation_of(params(preset, act),
                                                     std::string(activation) == "saturating", 0.6);
    ParamMap fixed = act;
    fixed["phi"] = phi;
    auto from_volume = reader(preset, act, true, held);
    auto from_phi = reader(preset, fixed, false, held);
    auto without = reader(preset, act, false, held);
    const auto a = spikes(from_volume, 1000.0), b = spikes(from_phi, 1000.0);
    const auto c = spikes(without, 1000.0);
    EXPECT_GT(a.size(), 20u);
    EXPECT_EQ(a, b);
    EXPECT_NE(a, c);  // the level does act
    RecordProperty(std::string(preset) + "_" + activation + "_spikes_at_0_6",
                   std::to_string(a.size()) + " (phi 0: " + std::to_string(c.size()) + ")");
  }
}

// A dopamine pulse read from a volume (level 0 → 1 at 1 s, τ = 2 s), against
// the same run without it: nothing changes before the pulse's step; in the
// second after it D1 cells fire more, D2 cells less.
TEST(MsnDopamine, ADopaminePulseRaisesD1AndLowersD2Firing) {
  const DopamineVolume::Params p{.tau_ms = 2000.0, .baseline = 0.0, .spike_increment = 0.0};
  for (const std::string preset : {"msn_d1", "msn_d2"}) {
    SCOPED_TRACE(preset);
    auto with = reader(preset, {}, true, p), without = reader(preset, {}, true, p);
    const PulseSplit s = split_at_pulse(with, without, 1000.0, 2000.0);
    EXPECT_EQ(s.before_with, s.before_without);
    const auto n_with = s.after_with, n_without = s.after_without;
    RecordProperty(preset + "_spikes_after_with_without",
                   std::to_string(n_with) + " " + std::to_string(n_without));
    EXPECT_GT(n_without, 20);
    if (preset == "msn_d1")
      EXPECT_GT(n_with, 3 * n_without);
    else
      EXPECT_LT(2 * n_with, n_without);
  }
}

TEST(MsnDopamine, RefusesBadParametersNamingParameterAndUnit) {
  test::expect_refused("izhikevich_book", {{"phi", 1.5}}, {"phi", "[0, 1]", "1.5"});
  test::expect_refused("izhikevich_book", {{"phi", 0.5}},
                       {"phi", "dopamine_receptor is \"none\"", "\"D1\" or \"D2\""});
  test::expect_refused("izhikevich_book", {{"dopamine_receptor", std::string("d1")}},
                       {"dopamine_receptor", "did you mean \"D1\""});
  test::expect_refused("izhikevich_book", {{"activation", std::string("sigmoid")}},
                       {"activation", "linear", "saturating"});
  test::expect_refused("izhikevich_book", {{"d2_alpha", 1.0}}, {"d2_alpha", "below 1"});
  test::expect_refused("izhikevich_book", {{"d1_L", -0.1}}, {"d1_L", "[0, 1]"});
  test::expect_refused("izhikevich_book", {{"d1_K", -0.01}}, {"d1_K", ">= 0"});
  test::expect_refused("izhikevich_book", {{"d1_beta1", std::nan("")}}, {"d1_beta1"});
  test::expect_refused("izhikevich_book", {{"phi_half", 0.0}}, {"phi_half", "> 0"});
  test::expect_refused("izhikevich_book", {{"Mg", -1.0}}, {"Mg", "[mM]"});
  test::expect_refused("izhikevich_book", {{"tau_syn_nmda", 0.0}}, {"tau_syn_nmda", "[ms]"});
  test::expect_refused("izhikevich_book",
                       {{"dopamine_receptor", std::string("D1")},
                        {"v_r", 10.0},
                        {"v_t", 20.0},
                        {"v_peak", 40.0},
                        {"c", 15.0},
                        {"V_init", 10.0},
                        {"d1_K", 1.5}},
                       {"d1_K", "v_r (1 + d1_K) = 25 mV", "below v_t"});
  // Reading a neuromodulator needs a receptor, and no fixed activation.
  Bench bench(0.1);
  const auto none = bench.population("izhikevich_book", "none", 1, {}, "msn");
  const auto fixed = bench.population("izhikevich_book", "fixed", 1, {{"phi", 0.3}}, "msn_d1");
  const auto da =
      bench.sim.add_volume(std::make_unique<DopamineVolume>("da", DopamineVolume::Params{}));
  for (const auto& [pop, words] :
       {std::pair{none, "dopamine_receptor is \"none\""}, {fixed, "phi = 0.3 would be ignored"}}) {
    try {
      bench.sim.read_neuromodulator(pop, da);
      ADD_FAILURE() << words;
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find(words), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace bgsim
