// The JSON layer and stdp_dopamine_corticostriatal: a description using it
// validates, its parameters are checked with their JSON pointers, and the
// built network stores 20-byte synapses whose weights move.

#include <gtest/gtest.h>

#include "networks/builder.hpp"
#include "tests/networks/description_test_support.hpp"

namespace bgsim::networks {
namespace {

json doc() {
  return json::parse(R"({
    "resolution_ms": 0.5, "seed": 4, "duration_ms": 400,
    "populations": {
      "ctx": {"model": "poisson_source", "size": 40, "params": {"rate_Hz": 20}},
      "snc": {"model": "poisson_source", "size": 5, "params": {"rate_Hz": 5}},
      "d1": {"model": "izhikevich", "size": 20, "preset": "regular_spiking"}
    },
    "neuromodulators": {
      "da": {"source": "snc", "params": {"tau_ms": 200, "spike_increment": 0.02},
             "pulses": [{"time_ms": 100, "amount": 0.5}, {"time_ms": 250, "amount": -0.6}]}
    },
    "projections": [
      {"name": "ctx->d1", "source": "ctx", "target": "d1", "rule": "fixed_indegree", "indegree": 20,
       "synapse": {"model": "stdp_dopamine_corticostriatal", "weight": {"uniform": [3, 5]},
                   "delay_ms": 1,
                   "params": {"w_max": 10, "lambda": 0.01, "alpha": 1.5, "b": 0.01}}}
    ],
    "stimuli": [{"model": "dc_current", "target": "d1", "params": {"amplitude": 3}}],
    "recorders": [
      {"name": "c", "type": "weight_recorder", "projection": "ctx->d1", "variable": "eligibility",
       "targets": [3], "interval_ms": 5}
    ]
  })");
}

using test::problems;
using test::reports;

TEST(CorticostriatalDescription, ValidatesAndBuildsA20ByteProjectionThatLearns) {
  const auto ps = problems(doc());
  ASSERT_TRUE(ps.empty()) << ps[0];
  Diagnostics diag;
  const NetworkSpec spec = read_network(doc(), diag);
  ASSERT_TRUE(diag.ok()) << diag.str();
  auto sim = build(spec);
  EXPECT_EQ(sim->projection(0).model(), "stdp_dopamine_corticostriatal");
  EXPECT_EQ(sim->projection(0).bytes_per_synapse(), 20u);
  const auto w0 = sim->projection(0).connections().weight;
  sim->run(800);
  const auto w1 = sim->projection(0).connections().weight;
  ASSERT_EQ(w0.size(), w1.size());
  int moved = 0;
  for (std::size_t k = 0; k < w0.size(); ++k) {
    moved += w1[k] != w0[k];
    EXPECT_GE(w1[k], 0.0);
    EXPECT_LE(w1[k], 10.0);
  }
  EXPECT_GT(moved, static_cast<int>(w0.size()) / 2);
}

TEST(CorticostriatalDescription, ParametersAreCheckedWithTheirPointer) {
  json d = doc();
  d["projections"][0]["synapse"]["params"]["alpah"] = 1;
  EXPECT_TRUE(reports(d, "/projections/0/synapse/params/alpah",
                      "unknown parameter; did you mean \"alpha\"?"));
  json e = doc();
  e["projections"][0]["synapse"]["params"]["lambda"] = -1;
  EXPECT_TRUE(reports(e, "/projections/0/synapse/params/lambda", "got -1"));
  json f = doc();
  f["projections"][0]["synapse"]["params"]["w_min"] = 10;
  EXPECT_TRUE(reports(f, "/projections/0/synapse/params/w_min", "must be below w_max"));
  json g = doc();
  g["projections"][0]["synapse"]["params"]["A_plus"] = 1;  // stdp_dopamine's, not this rule's
  EXPECT_TRUE(reports(g, "/projections/0/synapse/params/A_plus", "unknown parameter"));
  json h = doc();
  h.erase("neuromodulators");
  h["recorders"] = json::array();
  EXPECT_FALSE(problems(h).empty()) << "a dopamine rule without a volume must be refused";
}

}  // namespace
}  // namespace bgsim::networks
