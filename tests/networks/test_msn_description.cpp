// Populations that read a neuromodulator in descriptions ("neuromodulator":
// NAME): the mistakes (JSON pointer and hint), the resolved manifest, and a
// built striatum whose D1 and D2 cells read an SNc-driven volume: its spikes
// are bit-identical for 1 and 2 threads and for a run split in pieces, and
// depend on the dopamine.

#include <gtest/gtest.h>

#include <sstream>

#include "networks/builder.hpp"
#include "tests/networks/description_test_support.hpp"

namespace bgsim::networks {
namespace {

// SNc spikes drive "da" (1 ms to the jump); cortex drives D1 and D2 cells
// through AMPA-like and NMDA synapses (2 ms); D2 cells inhibit D1 cells.
json striatum() {
  return json::parse(R"({
    "resolution_ms": 0.1, "seed": 11, "duration_ms": 600,
    "populations": {
      "ctx": {"model": "poisson_source", "size": 100, "params": {"rate_Hz": 40}},
      "snc": {"model": "poisson_source", "size": 20,
              "params": {"rate_Hz": 4, "rate_times_ms": [300], "rate_values_Hz": [40]}},
      "d1": {"model": "izhikevich_book", "size": 30, "preset": "msn_d1", "neuromodulator": "da"},
      "d2": {"model": "izhikevich_book", "size": 30, "preset": "msn_d2", "neuromodulator": "da",
             "params": {"activation": "saturating", "phi_half": 0.05}}
    },
    "neuromodulators": {
      "da": {"source": "snc", "params": {"tau_ms": 200, "spike_increment": 0.01, "delay_ms": 1}},
      "unused": {"params": {"baseline": 0.1}}
    },
    "projections": [
      {"name": "ctx->d1", "source": "ctx", "target": "d1", "rule": "fixed_indegree",
       "indegree": 50, "synapse": {"weight": 20, "delay_ms": 2}},
      {"name": "ctx->d1 nmda", "source": "ctx", "target": "d1", "rule": "fixed_indegree",
       "indegree": 50, "synapse": {"weight": 0.05, "delay_ms": 2, "receptor": "nmda"}},
      {"name": "ctx->d2", "source": "ctx", "target": "d2", "rule": "fixed_indegree",
       "indegree": 50, "synapse": {"weight": 20, "delay_ms": 2}},
      {"name": "ctx->d2 nmda", "source": "ctx", "target": "d2", "rule": "fixed_indegree",
       "indegree": 50, "synapse": {"weight": 0.05, "delay_ms": 2, "receptor": "nmda"}},
      {"name": "d2->d1", "source": "d2", "target": "d1", "rule": "fixed_probability", "p": 0.2,
       "synapse": {"weight": -30, "delay_ms": 1.5}}
    ],
    "recorders": [
      {"type": "spikes", "population": "d1"}, {"type": "spikes", "population": "d2"},
      {"name": "da_level", "type": "neuromodulator", "neuromodulator": "da"}
    ]
  })");
}

using test::problems;
using test::reports;

TEST(MsnDescription, ValidDocumentHasNoDiagnostics) {
  const auto ps = problems(striatum());
  EXPECT_TRUE(ps.empty()) << (ps.empty() ? "" : ps[0]);
}

TEST(MsnDescription, MistakesAreReportedWithPointerAndHint) {
  json d = striatum();
  d["populations"]["d1"]["neuromodulator"] = "dz";
  EXPECT_TRUE(reports(d, "/populations/d1/neuromodulator",
                      "no neuromodulator named \"dz\"; did you mean \"da\"? (neuromodulators: "
                      "da, unused)"));
  d = striatum();
  d["populations"]["d1"]["neuromodulator"] = 3;
  EXPECT_TRUE(reports(d, "/populations/d1/neuromodulator", "expected a string"));
  d = striatum();
  d["populations"]["d1"]["preset"] = "msn";  // no dopamine receptor
  EXPECT_TRUE(reports(d, "/populations/d1/neuromodulator",
                      "population d1 (izhikevich_book) cannot read neuromodulator da: its "
                      "dopamine_receptor is \"none\""));
  d = striatum();
  d["populations"]["d1"]["params"] = {{"phi", 0.4}};
  EXPECT_TRUE(reports(d, "/populations/d1/neuromodulator", "phi = 0.4 would be ignored"));
  d = striatum();
  d["populations"]["ctx"]["neuromodulator"] = "da";
  EXPECT_TRUE(reports(d, "/populations/ctx/neuromodulator",
                      "population ctx (poisson_source) cannot read neuromodulator da: model "
                      "poisson_source has no parameter a neuromodulator acts on"));
  d = striatum();
  d["neuromodulators"] = json::object();
  EXPECT_TRUE(reports(d, "/populations/d1/neuromodulator",
                      "no neuromodulator named \"da\" (define it under \"neuromodulators\")"));
  d = striatum();
  d["populations"]["d2"]["params"]["activation"] = "sigmoid";
  EXPECT_TRUE(reports(d, "/populations/d2/params/activation", "linear"));
  d = striatum();
  d["populations"]["d2"]["neuromodulater"] = "da";
  EXPECT_TRUE(reports(d, "/populations/d2/neuromodulater", "did you mean \"neuromodulator\""));
}

std::vector<SpikeEvent> run(const json& doc, int threads, std::vector<double> pieces_ms,
                            std::vector<double>* level = nullptr) {
  Diagnostics diag;
  const NetworkSpec spec = read_network(doc, diag);
  EXPECT_TRUE(diag.ok());
  auto sim = build(spec, {.threads = threads});
  MemorySink sink;
  sim->set_sink(&sink);
  for (double ms : pieces_ms)
    sim->run(sim->resolution().duration_steps(ms));
  sim->flush_recorders();
  EXPECT_EQ(sim->epoch_steps(), 11);  // the volume's 10 steps + 1 (the synapses allow 16)
  std::vector<SpikeEvent> all = sink.spikes_of("d1");
  const auto& d2 = sink.spikes_of("d2");
  all.insert(all.end(), d2.begin(), d2.end());
  if (level) *level = sink.samples_of("da_level").values;
  return all;
}

bool same(const std::vector<SpikeEvent>& a, const std::vector<SpikeEvent>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i].step != b[i].step || a[i].gid != b[i].gid) return false;
  return true;
}

TEST(MsnDescription, BitIdenticalForThreadsAndSplitsAndDopamineMatters) {
  std::vector<double> level;
  const auto ref = run(striatum(), 1, {600.0}, &level);
  ASSERT_GT(ref.size(), 100u);
  EXPECT_GT(*std::max_element(level.begin(), level.end()), 0.2);  // the SNc burst after 300 ms
  EXPECT_TRUE(same(run(striatum(), 2, {600.0}), ref));
  EXPECT_TRUE(same(run(striatum(), 1, {123.4, 0.1, 300.0, 176.5}), ref));
  EXPECT_TRUE(same(run(striatum(), 2, {299.9, 300.1}), ref));
  // Without dopamine (no increment) the same network spikes differently.
  json flat = striatum();
  flat["neuromodulators"]["da"]["params"]["spike_increment"] = 0.0;
  const auto without = run(flat, 1, {600.0});
  EXPECT_FALSE(same(without, ref));
  // More D1 and fewer D2 spikes once the SNc bursts (from 300 ms on), than
  // without dopamine.
  const auto count = [](const std::vector<SpikeEvent>& s, std::uint32_t first, std::uint32_t last) {
    return std::count_if(s.begin(), s.end(), [&](const SpikeEvent& e) {
      return e.step > 3000 && e.gid >= first && e.gid < last;
    });
  };
  const std::uint32_t d1 = 120, d2 = 150;  // gid offsets: ctx 100, snc 20, then d1, d2
  RecordProperty(
      "d1_spikes_after_300ms_with_without",
      std::to_string(count(ref, d1, d1 + 30)) + " " + std::to_string(count(without, d1, d1 + 30)));
  RecordProperty(
      "d2_spikes_after_300ms_with_without",
      std::to_string(count(ref, d2, d2 + 30)) + " " + std::to_string(count(without, d2, d2 + 30)));
  EXPECT_GT(count(ref, d1, d1 + 30), count(without, d1, d1 + 30));
  EXPECT_LT(count(ref, d2, d2 + 30), count(without, d2, d2 + 30));
}

// Saved at 300 ms (the SNc burst begins), restored into a fresh build with
// another thread count: the second half is the uninterrupted run's.
TEST(MsnDescription, CheckpointRoundTripIsExact) {
  Diagnostics diag;
  const NetworkSpec spec = read_network(striatum(), diag);
  ASSERT_TRUE(diag.ok());
  const auto second_half = [](Simulator& sim, MemorySink& sink) {
    sim.run(sim.resolution().duration_steps(300.0));
    sim.flush_recorders();
    std::vector<SpikeEvent> out;
    for (const char* pop : {"d1", "d2"})
      for (const SpikeEvent& e : sink.spikes_of(pop))
        if (e.step > 3000) out.push_back(e);
    return out;
  };
  MemorySink sink_a, sink_b;
  auto a = build(spec, {.threads = 1});
  a->set_sink(&sink_a);
  a->run(a->resolution().duration_steps(300.0));
  std::stringstream checkpoint;
  a->save(checkpoint);
  const auto uninterrupted = second_half(*a, sink_a);
  ASSERT_GT(uninterrupted.size(), 50u);
  auto b = build(spec, {.threads = 2});
  b->set_sink(&sink_b);
  b->load(checkpoint);
  EXPECT_TRUE(same(second_half(*b, sink_b), uninterrupted));
}

TEST(MsnDescription, ResolvedManifestKeepsTheReadingAndRebuildsTheSameNetwork) {
  Diagnostics diag;
  const NetworkSpec spec = read_network(striatum(), diag);
  ASSERT_TRUE(diag.ok());
  const json resolved = resolved_json(spec);
  EXPECT_EQ(resolved["populations"]["d1"]["neuromodulator"], "da");
  EXPECT_EQ(resolved["populations"]["d2"]["params"]["activation"], "saturating");
  EXPECT_EQ(resolved["populations"]["d1"]["params"]["d1_K"], 0.0289);
  EXPECT_FALSE(resolved["populations"]["ctx"].contains("neuromodulator"));
  const auto sim = build(spec);
  EXPECT_EQ(sim->neuromodulator_of(sim->population_index("d1")),
            std::int64_t{sim->volume_index("da")});
  EXPECT_EQ(sim->neuromodulator_of(sim->population_index("ctx")), -1);
  EXPECT_TRUE(same(run(resolved, 1, {600.0}), run(striatum(), 1, {600.0})));
}

}  // namespace
}  // namespace bgsim::networks
