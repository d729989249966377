// stdp_dopamine_corticostriatal (Sosis & Rubin 2024): the event-driven closed
// form against hand-computed values of single pairings followed by dopamine
// above and below baseline (the role swap of the two traces), a run whose
// dopamine crosses the baseline between two jumps, the per-step reference on
// random trains, bounds, silence, thread-count determinism, parameter errors
// and the 20-byte layout.

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <sstream>

#include "core/random.hpp"
#include "models/stdp_corticostriatal.hpp"
#include "tests/core/test_support.hpp"
#include "tests/models/plasticity_support.hpp"
#include "tests/models/weight_dependence_support.hpp"

namespace bgsim {
namespace {

using models::StdpCorticostriatal;
using models::StdpDopamine;
using test_support::one_synapse;
using Params = StdpCorticostriatal::Params;

using test_support::weight_dependence::ms;
using test_support::weight_dependence::Pairing;
using test_support::weight_dependence::tau_c;
using test_support::weight_dependence::tau_d;
using test_support::weight_dependence::tau_pm;
using test_support::weight_dependence::tau_s;
using test_support::weight_dependence::volume;

Params rule(double lambda = 0.1, double alpha = 1.0) {
  Params p;
  p.lambda = lambda;
  p.alpha = alpha;
  return p;
}

// One run of constant sign: x* + (x0 − x*) e^{−λ g P}, g = Ea + α Eb.
double run_of(double x0, double ea, double eb, double lambda, double alpha, double P) {
  const double g = ea + alpha * eb;
  const double xs = ea / g;
  return xs + (x0 - xs) * std::exp(-lambda * g * P);
}

// Spikes in ms of the synapse's frame (tests/models/weight_dependence_support.hpp).
template <class Rule = StdpCorticostriatal, class Real = double>
double final_weight(const typename Rule::Params& p, double w0, const Pairing& e,
                    DopamineVolume::Params vol = volume()) {
  return test_support::weight_dependence::weight_after<Rule, Real>(p, w0, e, vol);
}

// E+ at T of a pre spike at 0 and a post spike at 10 ms.
double causal_tag(double T) {
  return std::exp(-10.0 / tau_pm) * std::exp(-(T - 10.0) / tau_c);
}

TEST(StdpCorticostriatal, CausalPairThenBurstPotentiatesWithSoftBound) {
  // s > 0: E+ potentiates, x∞ = 1 − (1 − x0) e^{−λ E+(T) a τ_s}; on a range
  // [−1, 3] with w0 = 1 (x0 = 0.5).
  for (double T : {20.0, 100.0, 1000.0, 5000.0}) {
    Params p = rule();
    p.w_min = -1.0;
    p.w_max = 3.0;
    const double x = run_of(0.5, causal_tag(T), 0.0, p.lambda, p.alpha, 0.05 * tau_s);
    const double want = -1.0 + 4.0 * x;
    const double got = final_weight(p, 1.0, {{0.0}, {10.0}, {T}, {}});
    EXPECT_NEAR(got, want, 1e-9 * std::abs(want)) << "dopamine at " << T << " ms";
    EXPECT_GT(got, 1.0);
    const Pairing e{{0.0}, {10.0}, {T}, {}};
    const double single = final_weight<StdpCorticostriatal, float>(p, 1.0, e);
    EXPECT_NEAR(single, want, 1e-6 * std::abs(want)) << "float storage";
  }
}

TEST(StdpCorticostriatal, DipSwapsTheRolesOfTheTraces) {
  const double T = 100.0, a = 0.05, x0 = 0.3;
  for (double alpha : {1.0, 3.0}) {
    const Params p = rule(0.1, alpha);
    // Causal pair, then a dip of the same size: E+ is now the depressing
    // trace, x∞ = x0 e^{−λ α E+ a τ_s} (∝ x0: soft bound at w_min).
    const double dip = final_weight(p, x0, {{0.0}, {10.0}, {}, {{T, -a}}});
    const double want_dip = run_of(x0, 0.0, causal_tag(T), p.lambda, alpha, a * tau_s);
    EXPECT_NEAR(dip, want_dip, 1e-9 * want_dip);
    EXPECT_NEAR(want_dip, x0 * std::exp(-p.lambda * alpha * causal_tag(T) * a * tau_s), 1e-15);
    EXPECT_LT(dip, x0);
    // Anti-causal pair (post at 0, pre at 10), then the dip: E− potentiates
    // exactly as E+ does after a burst — the same value, independent of α.
    const double anti = final_weight(p, x0, {{10.0}, {0.0}, {}, {{T, -a}}});
    const double burst = final_weight(p, x0, {{0.0}, {10.0}, {}, {{T, a}}});
    const double want = run_of(x0, causal_tag(T), 0.0, p.lambda, alpha, a * tau_s);
    EXPECT_NEAR(anti, want, 1e-9 * want);
    EXPECT_NEAR(burst, want, 1e-9 * want);
    EXPECT_GT(anti, x0);
    // And the anti-causal pair followed by a burst depresses by α.
    const double anti_burst = final_weight(p, x0, {{10.0}, {0.0}, {}, {{T, a}}});
    EXPECT_NEAR(anti_burst, want_dip, 1e-9 * want_dip);
  }
}

TEST(StdpCorticostriatal, NetCausalTagThenDipPotentiatesWhereStdpDopamineDepresses) {
  // pre 0, post 10, pre 30 ms: E+ = e^{−1/2} (at 10 ms), E− = e^{−1} (at 30
  // ms); a dip at 100 ms. Corticostriatal: fixed point E−/(E− + α E+) ≈ 0.38
  // above x0 = 0.2, so the weight rises. stdp_dopamine (A+ = A− = 1: c > 0)
  // multiplies the net causal tag by d − b < 0: it falls.
  const double T = 100.0, a = 0.05, x0 = 0.2;
  const Params p = rule(0.1, 1.0);
  const Pairing e{{0.0, 30.0}, {10.0}, {}, {{T, -a}}};
  const double ep = causal_tag(T), em = std::exp(-1.0) * std::exp(-(T - 30.0) / tau_c);
  const double want = run_of(x0, em, ep, p.lambda, p.alpha, a * tau_s);
  const double got = final_weight(p, x0, e);
  EXPECT_NEAR(got, want, 1e-9 * want);
  EXPECT_GT(got, x0 + 1e-3);
  StdpDopamine::Params q;
  q.A_plus = 1.0;
  q.A_minus = 1.0;
  q.w_min = -10.0;
  q.w_max = 10.0;
  const double izh = final_weight<StdpDopamine>(q, x0, e);
  EXPECT_LT(izh, x0 - 1e-3);
  std::printf("net-causal tag + dip: corticostriatal %.9f -> %.9f, stdp_dopamine -> %.9f\n", x0,
              got, izh);
}

TEST(StdpCorticostriatal, DopamineCrossingTheBaselineBetweenJumpsSplitsExactly) {
  // Volume at baseline 0, rule baseline b = 0.01: before the dopamine spike
  // d − b = −b (the causal tag depresses); the spike at T raises d to a =
  // 0.05 (it potentiates) until d decays through b at T + τ_d ln(a/b), after
  // which it depresses again, for ever. Three runs, each by hand.
  const double T = 300.0, a = 0.05, b = 0.01, x0 = 0.5;
  Params p = rule(0.1, 2.0);
  p.b = b;
  const double E10 = std::exp(-10.0 / tau_pm);  // E+ at 10 ms
  // [10, T]: I = −b τ_c (1 − e^{−(T − 10)/τ_c}), roles swapped.
  double x = run_of(x0, 0.0, E10, p.lambda, p.alpha, b * tau_c * -std::expm1(-(T - 10.0) / tau_c));
  // [T, T + L]: I = a τ_s (1 − e^{−L/τ_s}) − b τ_c (1 − e^{−L/τ_c}).
  const double L = tau_d * std::log(a / b);
  const double I_up = a * tau_s * -std::expm1(-L / tau_s) - b * tau_c * -std::expm1(-L / tau_c);
  ASSERT_GT(I_up, 0.0);
  x = run_of(x, causal_tag(T), 0.0, p.lambda, p.alpha, I_up);
  // [T + L, ∞): I = b τ_s − b τ_c < 0.
  x = run_of(x, 0.0, causal_tag(T + L), p.lambda, p.alpha, b * (tau_c - tau_s));
  const double got = final_weight(p, x0, {{0.0}, {10.0}, {T}, {}}, volume(0.0, a));
  EXPECT_NEAR(got, x, 1e-9 * x);
  // Evaluating [T, ∞) as one piece (no split) would give another value.
  const double unsplit =
      run_of(run_of(x0, 0.0, E10, p.lambda, p.alpha, b * tau_c * -std::expm1(-(T - 10.0) / tau_c)),
             causal_tag(T), 0.0, p.lambda, p.alpha, a * tau_s - b * tau_c);
  EXPECT_GT(std::abs(unsplit - x), 1e-3);
  std::printf("crossing: split %.12f (event-driven %.12f), unsplit %.6f\n", x, got, unsplit);
}

TEST(StdpCorticostriatal, D2GainTurnsABurstIntoADip) {
  const double T = 100.0, x0 = 0.6;
  Params d1 = rule(), d2 = rule();
  d2.dopamine_gain = -1.0;
  const double burst_d2 = final_weight(d2, x0, {{0.0}, {10.0}, {T}, {}});
  const double dip_d1 = final_weight(d1, x0, {{0.0}, {10.0}, {}, {{T, -0.05}}});
  const double burst_d1 = final_weight(d1, x0, {{0.0}, {10.0}, {T}, {}});
  EXPECT_NEAR(burst_d2, dip_d1, 1e-12);
  EXPECT_LT(burst_d2, x0);
  EXPECT_GT(burst_d1, x0);
}

TEST(StdpCorticostriatal, BoundsHoldWithHugeLearningRates) {
  Params p = rule(1e4, 1.0);
  p.w_min = 1.0;
  p.w_max = 2.0;
  const double up = final_weight(p, 1.5, {{0.0}, {10.0}, {100.0}, {}});
  const double down = final_weight(p, 1.5, {{0.0}, {10.0}, {}, {{100.0, -0.05}}});
  EXPECT_LE(up, 2.0);
  EXPECT_NEAR(up, 2.0, 1e-12);
  EXPECT_GE(down, 1.0);
  EXPECT_NEAR(down, 1.0, 1e-12);
  // Initial weights outside the range are clipped into it.
  EXPECT_EQ(final_weight(p, 7.0, {{}, {}, {}, {}}), 2.0);
}

TEST(StdpCorticostriatal, NoChangeWithoutPairs) {
  Params p = rule(0.5, 1.0);
  p.b = 0.02;  // dopamine crosses b: the split runs, and still nothing moves
  const Pairing dopamine_only{{}, {}, {50.0, 300.0, 310.0}, {{700.0, -0.2}, {900.0, 0.4}}};
  EXPECT_EQ(final_weight(p, 0.4, dopamine_only), 0.4);
  const Pairing post_only{{}, {10.0, 20.0, 500.0}, {50.0}, {{700.0, -0.2}}};
  EXPECT_EQ(final_weight(p, 0.4, post_only), 0.4);
  const Pairing pre_only{{10.0, 20.0, 500.0}, {}, {50.0}, {{700.0, -0.2}}};
  EXPECT_EQ(final_weight(p, 0.4, pre_only), 0.4);
  // A pair but dopamine at b for ever: d0 = b.
  Params q = rule(0.5, 1.0);
  q.b = 0.01;
  EXPECT_EQ(final_weight(q, 0.4, {{0.0}, {10.0}, {}, {}}, volume(0.01)), 0.4);
}

// ---- per-step reference --------------------------------------------------

struct Trains {
  std::vector<Step> pre, post;                    // as the synapse sees them
  std::vector<std::pair<Step, double>> dopamine;  // (step, amount)
};

// Explicit Euler of dx/dt over each step with the sign of κ(d − b) at its
// start; traces as in tests/models/plasticity_support.hpp.
std::pair<double, double> reference(const Params& p, double w0, const Trains& tr,
                                    const DopamineVolume::Params& vol, double dt, Step steps) {
  const double range = p.w_max - p.w_min;
  double x = (w0 - p.w_min) / range, ep = 0.0, em = 0.0, kp = 0.0, km = 0.0, d = vol.baseline;
  const double fp = std::exp(-dt / p.tau_plus_ms), fm = std::exp(-dt / p.tau_minus_ms);
  const double fc = std::exp(-dt / p.tau_c_ms), fd = std::exp(-dt / vol.tau_ms);
  const auto count = [](const std::vector<Step>& v, Step n) {
    return static_cast<double>(std::count(v.begin(), v.end(), n));
  };
  for (Step n = 0; n < steps; ++n) {
    ep += count(tr.post, n) * kp;
    em += count(tr.pre, n) * km;
    kp += count(tr.pre, n);
    km += count(tr.post, n);
    for (const auto& [at, amount] : tr.dopamine)
      if (at == n) d += amount;
    const double s = p.dopamine_gain * (d - p.b);
    const double ea = s >= 0 ? ep : em, eb = s >= 0 ? em : ep;
    x += p.lambda * std::abs(s) * dt * (ea * (1.0 - x) - p.alpha * eb * x);
    x = std::clamp(x, 0.0, 1.0);
    ep *= fc;
    em *= fc;
    d = vol.baseline + (d - vol.baseline) * fd;
    kp *= fp;
    km *= fm;
  }
  return {p.w_min + x * range, ep - em};
}

struct RandomRun {
  double w_event, c_event, w_ref, c_ref;
};

RandomRun random_run(std::uint64_t seed, double dt_ms, double gain) {
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
  Params p = rule(5e-4, 1.5);
  p.dopamine_gain = gain;
  p.b = 0.02;  // the volume rests at 0.001: every dopamine spike crosses b twice
  p.w_min = -1.0;
  p.w_max = 2.0;
  const DopamineVolume::Params vol{.tau_ms = 200.0, .baseline = 0.001, .spike_increment = 0.05};
  auto s = one_synapse<StdpCorticostriatal, double>(p, 0.5, delay, pre, post, da, vol, dt_ms);
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
  const auto [w, c] = reference(p, 0.5, tr, vol, dt_ms, T);
  return {s.weight(), s.eligibility(), w, c};
}

TEST(StdpCorticostriatal, ClosedFormAgreesWithThePerStepReferenceWithinOrderDt) {
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    for (double gain : {1.0, -1.0}) {
      const RandomRun coarse = random_run(seed, 0.1, gain);
      const RandomRun fine = random_run(seed, 0.01, gain);
      // The closed form does not depend on dt (spikes on a common grid).
      EXPECT_NEAR(coarse.w_event, fine.w_event, 1e-9 * std::abs(coarse.w_event) + 1e-12);
      EXPECT_NEAR(coarse.c_event, fine.c_event, 1e-9 * std::abs(coarse.c_event) + 1e-12);
      const double err_coarse = std::abs(coarse.w_event - coarse.w_ref);
      const double err_fine = std::abs(fine.w_event - fine.w_ref);
      std::printf("seed %d gain %+g: w %.6f (from 0.5), |err| dt=0.1: %.3g, dt=0.01: %.3g\n",
                  static_cast<int>(seed), gain, coarse.w_event, err_coarse, err_fine);
      EXPECT_GT(std::abs(coarse.w_event - 0.5), 1e-2) << "the weight must move";
      EXPECT_LT(err_coarse, 1e-3 * std::max(1.0, std::abs(coarse.w_event - 0.5)));
      EXPECT_LT(err_fine, err_coarse / 5.0 + 1e-12) << "the reference must converge as O(dt)";
      EXPECT_NEAR(coarse.c_event, coarse.c_ref, 1e-9 + 1e-9 * std::abs(coarse.c_ref));
    }
  }
}

// ---- layout, parameters, threads ------------------------------------------

TEST(StdpCorticostriatal, TwoEligibilitiesCost20BytesPerSynapse) {
  auto f = one_synapse<StdpCorticostriatal, float>(rule(), 0.5, 10, {}, {}, {});
  auto d = one_synapse<StdpCorticostriatal, double>(rule(), 0.5, 10, {}, {}, {});
  EXPECT_EQ(f.projection->bytes_per_synapse(), 20u);
  EXPECT_EQ(d.projection->bytes_per_synapse(), 32u);
  auto izh = one_synapse<StdpDopamine, float>({}, 0.5, 10, {}, {}, {});
  EXPECT_EQ(izh.projection->bytes_per_synapse(), 16u);
}

std::string error_of(const ParamMap& params) {
  const SynapseModel* m = SynapseModels::instance().find("stdp_dopamine_corticostriatal");
  if (!m) return "not registered";
  try {
    m->resolve(params);
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

TEST(StdpCorticostriatal, BadParametersAreRefused) {
  EXPECT_EQ(error_of({}), "");
  EXPECT_NE(error_of({{"w_min", 1.0}, {"w_max", 1.0}}).find("w_min: must be below w_max"),
            std::string::npos)
      << error_of({{"w_min", 1.0}, {"w_max", 1.0}});
  EXPECT_NE(error_of({{"lambda", -1.0}}).find("lambda"), std::string::npos);
  EXPECT_NE(error_of({{"alpha", -0.5}}).find("alpha"), std::string::npos);
  EXPECT_NE(error_of({{"tau_c_ms", 0.0}}).find("tau_c_ms"), std::string::npos);
  EXPECT_NE(error_of({{"tau_plus_ms", -20.0}}).find("tau_plus_ms"), std::string::npos);
  EXPECT_NE(error_of({{"A_plus", 1.0}}).find("A_plus"), std::string::npos);
  std::printf("e.g. %s\n", error_of({{"w_min", 1.0}, {"w_max", 1.0}}).c_str());
}

struct Network {
  std::unique_ptr<Simulator> sim;
  std::uint32_t proj = 0;
  std::vector<double> w0;
};

Network network(int threads) {
  Network n;
  n.sim = std::make_unique<Simulator>(SimulatorConfig{.dt_ms = 0.5, .seed = 7, .threads = threads});
  Simulator& sim = *n.sim;
  test_support::build_izhikevich_network(sim, 120, 30);
  const auto snc =
      sim.add_population(make_population("poisson_source", "snc", 20, {{"rate_Hz", 8.0}}));
  const auto da = sim.add_volume(std::make_unique<DopamineVolume>(
      "da", DopamineVolume::Params{.tau_ms = 200.0, .spike_increment = 0.01, .delay_ms = 1.0},
      snc));
  const auto pairs = networks::connect({.rule = "fixed_outdegree", .outdegree = 10}, 120, 120, true,
                                       sim.seed(), 5);
  ConnectionList list;
  RandomStream rng(sim.seed(), Purpose::parameters, 5, 1);
  for (const auto& [s, t] : pairs)
    list.add(s, t, 2.0 + rng.uniform(), 10 + static_cast<Step>(rng() % 40));
  // b near the mean level (about 0.32): dopamine crosses it all the time.
  n.proj =
      sim.add_projection(SynapseModels::instance()
                             .find("stdp_dopamine_corticostriatal")
                             ->create({.name = "exc->exc",
                                       .source = 0,
                                       .target = 0,
                                       .channel = 0,
                                       .source_size = 120,
                                       .connections = std::move(list),
                                       .params = {{"w_max", 6.0}, {"b", 0.3}, {"lambda", 2e-3}},
                                       .volume = da}));
  for (Step at : {300, 900, 1500, 2500})
    sim.pulse(da, at, at == 900 ? -0.4 : 0.5);
  n.w0 = sim.projection(n.proj).connections().weight;
  return n;
}

std::pair<std::vector<double>, std::vector<double>> state(const Network& n) {
  return {n.sim->projection(n.proj).connections().weight,
          n.sim->projection(n.proj).eligibilities()};
}

bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

constexpr Step network_steps = 4000;  // 2 s at dt = 0.5 ms: two flushes

TEST(StdpCorticostriatal, BitIdenticalWeightsFor1And2Threads) {
  Network one = network(1), two = network(2);
  one.sim->run(network_steps);
  two.sim->run(network_steps);
  const auto [w1, c1] = state(one);
  const auto [w2, c2] = state(two);
  int up = 0, down = 0;
  for (std::size_t k = 0; k < w1.size(); ++k) {
    up += w1[k] > one.w0[k] + 1e-4;
    down += w1[k] < one.w0[k] - 1e-4;
  }
  std::printf("%zu synapses: %d up, %d down\n", w1.size(), up, down);
  EXPECT_GT(up, 20);
  EXPECT_GT(down, 20);
  EXPECT_TRUE(same_bits(w1, w2));
  EXPECT_TRUE(same_bits(c1, c2));
}

TEST(StdpCorticostriatal, CheckpointRoundTripIsExact) {
  Network first = network(2);
  first.sim->run(network_steps / 2);
  std::stringstream checkpoint;
  first.sim->save(checkpoint);
  first.sim->run(network_steps / 2);
  Network second = network(1);
  second.sim->load(checkpoint);
  second.sim->run(network_steps / 2);
  const auto [w1, c1] = state(first);
  const auto [w2, c2] = state(second);
  EXPECT_TRUE(same_bits(w1, w2));
  EXPECT_TRUE(same_bits(c1, c2));
}

}  // namespace
}  // namespace bgsim
