// Dopamine set up without arithmetic (docs/description.md, "Neuromodulators"):
// a volume's initial level apart from its baseline, the tonic level its
// source's stated rate produces, and a rule's baseline b given relative to it.

#include <gtest/gtest.h>

#include <cmath>

#include "core/simulator.hpp"
#include "networks/builder.hpp"
#include "tests/networks/description_test_support.hpp"

namespace bgsim::networks {
namespace {

using test::problems;
using test::reports;

// 20 dopamine cells at 5 Hz, 0.01 per spike, τ 200 ms: tonic level
// 0.1 + 0.01 · 20 · 5 Hz · 0.2 s = 0.3.
json base() {
  return json::parse(R"({
    "resolution_ms": 1, "seed": 2, "duration_ms": 20000,
    "populations": {
      "ctx": {"model": "poisson_source", "size": 10, "params": {"rate_Hz": 10}},
      "snc": {"model": "poisson_source", "size": 20, "params": {"rate_Hz": 5}},
      "str": {"model": "lif_psc_exp", "size": 5}
    },
    "neuromodulators": {
      "da": {"source": "snc", "tonic_rate_Hz": 5,
             "params": {"tau_ms": 200, "baseline": 0.1, "spike_increment": 0.01}}
    },
    "projections": [
      {"name": "ctx->str", "source": "ctx", "target": "str", "rule": "all_to_all",
       "synapse": {"model": "stdp_dopamine", "weight": 1, "params": {"b": "tonic + 0.05"}}}
    ]
  })");
}

NetworkSpec read(const json& doc) {
  Diagnostics diag;
  NetworkSpec spec = read_network(doc, diag);
  EXPECT_TRUE(diag.ok()) << diag.str();
  return spec;
}

TEST(TonicDopamine, TonicLevelFollowsFromTheStatedRate) {
  const NetworkSpec spec = read(base());
  ASSERT_EQ(spec.neuromodulators.size(), 1u);
  const auto tonic = tonic_level(spec.neuromodulators[0], spec);
  ASSERT_TRUE(tonic.has_value());
  EXPECT_NEAR(*tonic, 0.3, 1e-12);
  // Without a stated rate there is none, and the volume starts at its baseline.
  json d = base();
  d["neuromodulators"]["da"].erase("tonic_rate_Hz");
  d["projections"][0]["synapse"]["params"]["b"] = 0.2;
  const NetworkSpec plain = read(d);
  EXPECT_FALSE(tonic_level(plain.neuromodulators[0], plain).has_value());
  EXPECT_FALSE(plain.neuromodulators[0].initial.has_value());
}

// The rule's b is the number the tonic level gives, in the resolved description too.
TEST(TonicDopamine, BaselineOfTheRuleRelativeToTonic) {
  const NetworkSpec spec = read(base());
  const auto& b = spec.projections[0].synapse.params.at("b");
  ASSERT_TRUE(std::holds_alternative<double>(b));
  EXPECT_NEAR(std::get<double>(b), 0.35, 1e-12);
  const json resolved = resolved_json(spec);
  EXPECT_NEAR(resolved["projections"][0]["synapse"]["params"]["b"].get<double>(), 0.35, 1e-12);
  EXPECT_NEAR(resolved["neuromodulators"]["da"]["initial"].get<double>(), 0.3, 1e-12);
  EXPECT_DOUBLE_EQ(resolved["neuromodulators"]["da"]["tonic_rate_Hz"].get<double>(), 5.0);
  json minus = base();
  minus["projections"][0]["synapse"]["params"]["b"] = "tonic-0.1";
  EXPECT_NEAR(std::get<double>(read(minus).projections[0].synapse.params.at("b")), 0.2, 1e-12);
}

// With a stated tonic rate the volume starts at its tonic level, so a run
// does not open with a false dip; the level then stays there on average.
TEST(TonicDopamine, VolumeStartsAtItsTonicLevelAndStaysThere) {
  const NetworkSpec spec = read(base());
  auto sim = build(spec, {});
  const auto v = sim->volume_index("da");
  const auto& volume = sim->volume(v);
  EXPECT_NEAR(volume.knots().front().level, 0.3, 1e-12);
  double sum = 0;
  int n = 0;
  for (int k = 1; k <= 20; ++k) {
    sim->run(1000.0);
    sum += volume.level(volume.horizon() - 1);
    ++n;
  }
  EXPECT_NEAR(sum / n, 0.3, 0.03);  // Poisson drive: the mean of 20 samples, 1 s apart
}

TEST(TonicDopamine, InitialLevelMayBeGivenOrBeTheBaseline) {
  json d = base();
  d["neuromodulators"]["da"]["initial"] = 0.7;
  EXPECT_DOUBLE_EQ(*read(d).neuromodulators[0].initial, 0.7);
  d["neuromodulators"]["da"]["initial"] = "baseline";
  EXPECT_DOUBLE_EQ(*read(d).neuromodulators[0].initial, 0.1);
}

TEST(TonicDopamine, MistakesAreReportedWhereTheyAre) {
  json d = base();
  d["neuromodulators"]["da"]["initial"] = "tonik";
  EXPECT_TRUE(reports(d, "/neuromodulators/da/initial", "\"baseline\" or \"tonic\""));
  d = base();
  d["neuromodulators"]["da"]["tonic_rate_Hz"] = -1;
  EXPECT_TRUE(reports(d, "/neuromodulators/da/tonic_rate_Hz", "must be >= 0"));
  d = base();
  d["neuromodulators"]["da"].erase("source");
  EXPECT_TRUE(reports(d, "/neuromodulators/da/tonic_rate_Hz", "needs the \"source\""));
  d = base();
  d["neuromodulators"]["da"].erase("tonic_rate_Hz");
  EXPECT_TRUE(reports(d, "/projections/0/synapse/params/b", "give it a \"source\" and that"));
  d = base();
  d["projections"][0]["synapse"]["params"]["b"] = "tonic * 2";
  EXPECT_TRUE(reports(d, "/projections/0/synapse/params/b", "\"tonic + x\""));
}

// A source of dopamine cells that fire at a stated rate (izhikevich_book,
// preset "dopamine", tonic_rate_Hz) gives the volume its tonic level: no
// rate written twice.
TEST(TonicDopamine, DopamineCellsStateTheirRateToTheVolume) {
  json d = base();
  d["populations"]["snc"] = {{"model", "izhikevich_book"},
                             {"size", 20},
                             {"preset", "dopamine"},
                             {"params", {{"tonic_rate_Hz", 5}}}};
  d["neuromodulators"]["da"].erase("tonic_rate_Hz");
  const NetworkSpec spec = read(d);
  EXPECT_NEAR(*tonic_level(spec.neuromodulators[0], spec), 0.3, 1e-12);
  // The preset's own 4 Hz when the population gives none.
  d["populations"]["snc"].erase("params");
  const NetworkSpec preset = read(d);
  EXPECT_NEAR(*tonic_level(preset.neuromodulators[0], preset), 0.1 + 0.01 * 20 * 4 * 0.2, 1e-12);
  // And the cells do fire at it: the level's mean is its tonic value. (The
  // cells start alike and fire in step, so the level is a saw tooth of
  // period 200 ms: sampled every 13 ms over 10 s, not at its own period.)
  auto sim = build(spec, {});
  const auto& volume = sim->volume(sim->volume_index("da"));
  sim->run(2000.0);
  double sum = 0;
  const int n = 770;
  for (int k = 0; k < n; ++k) {
    sim->run(13.0);
    sum += volume.level(volume.horizon() - 1);
  }
  EXPECT_NEAR(sum / n, 0.3, 0.01);
}

}  // namespace
}  // namespace bgsim::networks
