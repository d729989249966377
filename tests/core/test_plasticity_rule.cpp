// A plasticity rule plugs into the kernel without touching it: a rule defined
// here (its state, its jumps, its law between events), registered in one line,
// built through the registry, driven epoch by epoch and checked against a hand
// computation. Also: the rule's state sets the synapse layout.

#include <gtest/gtest.h>

#include <cmath>
#include <sstream>
#include <string_view>

#include "core/checkpoint.hpp"
#include "core/neuromodulator.hpp"
#include "core/parameters.hpp"
#include "core/plastic_projection.hpp"
#include "core/registry.hpp"

namespace bgsim {
namespace {

// A made-up three-factor rule: a post spike tags the synapse (tag += A K+) and
// counts a pair; a pre spike depresses by β · pairs · K−; between events
// w' = κ · tag · (d − b) and the tag decays over τ_c (the pairs do not).
struct TaggedPairs {
  static constexpr std::string_view name = "test_tagged_pairs";
  static constexpr bool uses_dopamine = true;
  static constexpr bool split_at_sign_changes = false;

  struct Params {
    double A = 0.1;              // tag per pair, times K+ [weight/ms]
    double beta = 0.5;           // depression per counted pair, times K− [weight]
    double kappa = 2.0;          // dopamine gain [1]
    double tau_plus_ms = 20.0;   // [ms]
    double tau_minus_ms = 20.0;  // [ms]
    double tau_c_ms = 100.0;     // [ms]
    double b = 0.1;              // [level]
    double w_min = 0.0;          // [weight]
    double w_max = 10.0;         // [weight]
  };
  static const ParamTable<Params>& param_table() {
    using P = Params;
    static const ParamTable<P> table({
        {{"A", "weight/ms", Constraint::finite, "tag per pair"}, &P::A},
        {{"beta", "weight", Constraint::finite, "depression per counted pair"}, &P::beta},
        {{"kappa", "1", Constraint::finite, "dopamine gain"}, &P::kappa},
        {{"tau_plus_ms", "ms", Constraint::positive, "pre trace"}, &P::tau_plus_ms},
        {{"tau_minus_ms", "ms", Constraint::positive, "post trace"}, &P::tau_minus_ms},
        {{"tau_c_ms", "ms", Constraint::positive, "tag decay"}, &P::tau_c_ms},
        {{"b", "level", Constraint::finite, "dopamine baseline"}, &P::b},
        {{"w_min", "weight", Constraint::finite, "lower bound"}, &P::w_min},
        {{"w_max", "weight", Constraint::finite, "upper bound"}, &P::w_max},
    });
    return table;
  }

  struct Eligibility {
    double tag;    // decays with τ_c
    double pairs;  // post spikes seen, never decays
  };

  static void facilitate(const Params& p, double&, Eligibility& e, double kplus) {
    e.tag += p.A * kplus;
    e.pairs += 1.0;
  }
  static void depress(const Params& p, double& w, Eligibility& e, double kminus) {
    w -= p.beta * e.pairs * kminus;
  }
  static void between(const Params& p, double& w, Eligibility& e, double I, double decay) {
    w += p.kappa * e.tag * I;
    e.tag *= decay;
  }
  static double eligibility(const Eligibility& e) { return e.tag; }
};

const bool registered = register_plasticity_rule<TaggedPairs>("a rule defined by a test");

struct Driven {
  std::unique_ptr<Projection> projection;
  DopamineVolume volume{"da", {.tau_ms = 200.0, .baseline = 0.5, .spike_increment = 0.0}};
};

// One synapse 0 -> 0 (delay 2 steps, dt = 1 ms, w0 = 1), built through the
// registry; dopamine constant at d0 = 0.5.
void build(Driven& d, bool double_precision) {
  const SynapseModel* model = SynapseModels::instance().find("test_tagged_pairs");
  ASSERT_NE(model, nullptr);
  ConnectionList list;
  list.add(0, 0, 1.0, 2);
  d.projection = model->create({.name = "p",
                                .source_size = 1,
                                .connections = std::move(list),
                                .params = {},
                                .volume = 0,
                                .double_precision = double_precision});
  const Resolution res(1.0);
  d.volume.prepare(res, 0);
  DopamineVolume* volumes[] = {&d.volume};
  d.projection->bind({res, 0, 0, volumes});
  d.projection->prepare(Partition::blocks(1, 1), 0);
}

// Epochs [t, t + 1) for t in [from, to), each with the spikes stamped t + 1:
// pre spikes stamped 10, 40 and 120, a post spike stamped 20.
void run(Driven& d, Step from, Step to) {
  InputBuffer input;
  input.resize(1, d.projection->max_delay(), 1);
  for (Step t = from; t < to; ++t) {
    std::vector<SpikeEvent> pre, post;
    if (t + 1 == 10 || t + 1 == 40 || t + 1 == 120) pre.push_back({t + 1, 0, 0});
    if (t + 1 == 20) post.push_back({t + 1, 0, 0});
    d.volume.commit(t + 1);
    d.projection->begin_epoch(t, t + 1);
    d.projection->deliver_epoch({pre, post, t, t + 1, 0, &input});
    d.projection->end_epoch(t, t + 1);
    input.clear(t + 1, 0, 1);
  }
}

TEST(PlasticityRule, RuleDefinedOutsideCoreMatchesHandComputation) {
  ASSERT_TRUE(registered);
  Driven d;
  build(d, true);
  run(d, 0, 100);
  const TaggedPairs::Params p;
  // The synapse sees the post spike at 20 + 2: tag = A e^{−12/τ+}, pairs = 1.
  const double tag22 = p.A * std::exp(-12.0 / p.tau_plus_ms);
  // I(a, z) with d constant: (d0 − b) τ_c (1 − e^{−(z − a)/τ_c}).
  const auto I = [&](double a, double z) {
    return (0.5 - p.b) * p.tau_c_ms * -std::expm1(-(z - a) / p.tau_c_ms);
  };
  // Pre spike at 40: the piece [22, 40], then the depression with
  // K− = e^{−(40 − 2 − 20)/τ−} (the post spike seen 18 ms before).
  double w = 1.0 + p.kappa * tag22 * I(22, 40);
  const double tag40 = tag22 * std::exp(-18.0 / p.tau_c_ms);
  w -= p.beta * 1.0 * std::exp(-18.0 / p.tau_minus_ms);
  // Read at the end of the run, 100: the piece [40, 100].
  w += p.kappa * tag40 * I(40, 100);
  const double tag100 = tag40 * std::exp(-60.0 / p.tau_c_ms);

  EXPECT_NEAR(d.projection->connections().weight.at(0), w, 1e-12 * w);
  EXPECT_NEAR(d.projection->eligibilities().at(0), tag100, 1e-12 * tag100);
  EXPECT_EQ(d.projection->model(), "test_tagged_pairs");
}

TEST(PlasticityRule, StateSetsTheSynapseLayoutAndTheCheckpoint) {
  Driven single, twice;
  build(single, false);
  build(twice, true);
  run(single, 0, 100);
  run(twice, 0, 100);
  // Weight, two numbers of state, target, delay: 20 bytes in float, 32 in double.
  EXPECT_EQ(single.projection->bytes_per_synapse(), 20u);
  EXPECT_EQ(twice.projection->bytes_per_synapse(), 32u);
  EXPECT_NEAR(single.projection->connections().weight.at(0),
              twice.projection->connections().weight.at(0), 1e-6);

  // Both numbers survive a checkpoint: restored into a fresh projection (no
  // pair counted), the pre spike at 120 depresses by β · pairs · K− in both.
  std::stringstream buffer;
  CheckpointWriter w(buffer);
  twice.projection->save(w);
  Driven restored;
  build(restored, true);
  CheckpointReader r(buffer);
  restored.projection->load(r);
  run(twice, 100, 150);
  run(restored, 100, 150);
  EXPECT_EQ(restored.projection->connections().weight, twice.projection->connections().weight);
  EXPECT_EQ(restored.projection->eligibilities(), twice.projection->eligibilities());
}

}  // namespace
}  // namespace bgsim
