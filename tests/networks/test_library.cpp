// Every network shipped in networks/library/ reads without a diagnostic, and
// the ones small enough for CI run and fire within their documented range.

#include <gtest/gtest.h>

#include <filesystem>

#include "core/recorder.hpp"
#include "networks/builder.hpp"
#include "networks/loader.hpp"

namespace bgsim::networks {
namespace {

const std::filesystem::path library =
    std::filesystem::path(BGSIM_SOURCE_DIR) / "networks" / "library";

// Mean rate [Hz] of each spike recorder over a run of the file's duration.
std::map<std::string, double> run_rates(const std::string& file, double duration_ms) {
  NetworkSpec spec = read_network_file(library / file);
  spec.duration_ms = duration_ms;
  auto sim = build(spec);
  MemorySink sink;
  sim->set_sink(&sink);
  sim->run(sim->resolution().duration_steps(spec.duration_ms));
  sim->flush_recorders();
  std::map<std::string, double> rates;
  for (const auto& r : spec.recorders)
    if (r.type == "spikes")
      rates[r.name] = sink.spikes_of(r.name).size() /
                      (spec.population(r.population)->size * duration_ms * 1e-3);
  return rates;
}

TEST(Library, EveryFileReadsCleanly) {
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(library)) {
    if (entry.path().extension() != ".json") continue;
    ++files;
    EXPECT_NO_THROW(read_network_file(entry.path())) << entry.path().filename();
  }
  EXPECT_GE(files, 3);
}

// Documented range: 2-12 Hz excitatory, 5-40 Hz inhibitory (see the file's description).
TEST(Library, Izhikevich2003FiresInItsDocumentedRange) {
  const auto rates = run_rates("izhikevich2003.json", 2000.0);
  EXPECT_GT(rates.at("exc"), 2.0);
  EXPECT_LT(rates.at("exc"), 12.0);
  EXPECT_GT(rates.at("inh"), 5.0);
  EXPECT_LT(rates.at("inh"), 40.0);
}

// Documented range for the asynchronous irregular regime: 10-60 Hz.
TEST(Library, BrunelSmallFiresInItsDocumentedRange) {
  const auto rates = run_rates("brunel2000_small.json", 500.0);
  EXPECT_GT(rates.at("exc"), 10.0);
  EXPECT_LT(rates.at("exc"), 60.0);
  EXPECT_GT(rates.at("inh"), 10.0);
  EXPECT_LT(rates.at("inh"), 60.0);
}

// Documented: about 5-6 Hz, as Brian2's CUBA example (Brette et al. 2007);
// bench/peers/cuba.py builds the same network in Brian2 (5.6 Hz there).
TEST(Library, CubaFiresInItsDocumentedRange) {
  const auto rates = run_rates("cuba.json", 1000.0);
  EXPECT_GT(rates.at("exc"), 4.5);
  EXPECT_LT(rates.at("exc"), 7.0);
  EXPECT_GT(rates.at("inh"), 4.5);
  EXPECT_LT(rates.at("inh"), 7.0);
}

}  // namespace
}  // namespace bgsim::networks
