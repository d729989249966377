// Every build computes the same numbers. The `release` preset compiles for
// the machine it runs on (-march=native: AVX2 or AVX-512 loops), `portable`
// for any x86-64 (SSE2), `sanitize` at -O1 with the sanitizers; none uses
// -ffast-math or FMA contraction, so all must give the same bits
// (docs/speed.md). The digests below were computed once and every build in CI
// must reproduce them: CI runs this test in `release` and in `sanitize`, so a
// pass in both proves the vectorised native code equal to the unvectorised
// -O1 code, bit for bit, on the CI machine's processor.
//
// A digest is FNV-1a over the spikes and samples of the file's recorders
// (step, neuron; sampled values as IEEE bits) and over the checkpoint written
// after the run: every neuron's state, the ring buffers with spikes in flight,
// every synapse's weight and eligibility, device and recorder state. A change
// of the models' numbers on purpose changes these digests; recompute them
// with BGSIM_PRINT_DIGESTS=1 and say why in the commit.

#include <gtest/gtest.h>

#include <bit>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "core/recorder.hpp"
#include "networks/builder.hpp"
#include "networks/loader.hpp"

namespace bgsim::networks {
namespace {

const std::filesystem::path library =
    std::filesystem::path(BGSIM_SOURCE_DIR) / "networks" / "library";

struct Fnv1a {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  void bytes(const void* data, std::size_t n) {
    const auto* p = static_cast<const unsigned char*>(data);
    for (std::size_t i = 0; i < n; ++i)
      h = (h ^ p[i]) * 0x100000001b3ULL;
  }
  void word(std::uint64_t x) { bytes(&x, sizeof x); }
};

struct Digests {
  std::uint64_t recorded = 0;    // spikes and samples of the file's recorders
  std::uint64_t checkpoint = 0;  // the whole state after the run
  std::size_t spikes = 0;
};

Digests run_and_digest(const std::string& file, double duration_ms, int threads,
                       std::vector<PhaseTimes>* phases = nullptr) {
  NetworkSpec spec = read_network_file(library / file);
  spec.duration_ms = duration_ms;
  auto sim = build(spec, {.threads = threads});
  sim->set_phase_timing(phases != nullptr);
  MemorySink sink;
  sim->set_sink(&sink);
  sim->run(sim->resolution().duration_steps(duration_ms));
  std::stringstream checkpoint;
  sim->save(checkpoint);
  sim->flush_recorders();

  Digests d;
  Fnv1a rec;
  for (const auto& r : spec.recorders) {
    rec.bytes(r.name.data(), r.name.size());
    for (const auto& s : sink.spikes_of(r.name)) {
      rec.word(static_cast<std::uint64_t>(s.step));
      rec.word(s.gid);
      ++d.spikes;
    }
    const auto& samples = sink.samples_of(r.name);
    for (Step s : samples.steps)
      rec.word(static_cast<std::uint64_t>(s));
    for (double v : samples.values)
      rec.word(std::bit_cast<std::uint64_t>(v));
  }
  d.recorded = rec.h;
  Fnv1a cp;
  const std::string bytes = checkpoint.str();
  cp.bytes(bytes.data(), bytes.size());
  d.checkpoint = cp.h;
  if (phases) *phases = sim->phase_times();
  return d;
}

struct Golden {
  const char* file;
  double duration_ms;
  std::uint64_t recorded, checkpoint;
  std::size_t spikes;
};

// lif_psc_exp (CUBA), lif_psc_delta with Poisson drive (Brunel), izhikevich
// with stdp_dopamine, the thalamic current and the reward contingency
// (distal reward; its file records a few neurons only), and the Go/NoGo
// striatum (lif_psc_exp with Gaussian noise and dopamine receptors on its
// excitability, stdp_dopamine_proportional through receptor occupancies, a
// critic learning through stdp_dopamine, a dopamine volume fed by spikes in
// flight; its file records nothing, so only its checkpoint digest speaks).
// The Go/NoGo digest once differed between builds through the padding of a
// struct the volume writes raw, not through any number (docs/speed.md, "A
// difference that was not in the numbers").
constexpr Golden golden[] = {
    {"cuba.json", 200.0, 0xbbfa7b91050fe662ULL, 0xe868641c04dfb9d0ULL, 4626},
    {"brunel2000_small.json", 100.0, 0xde9d049ffe06884aULL, 0x6945203bc86455c3ULL, 6741},
    {"izhikevich2007_distal_reward.json", 3000.0, 0xb9b34938ec0a3dd3ULL, 0x6118b499f8f76c5dULL, 43},
    {"gonogo_striatum.json", 300.0, 0xcbf29ce484222325ULL, 0x56de11027f773cedULL, 0},
};

TEST(BuildIdentity, ReadyNetworksGiveTheGoldenDigestsInEveryBuild) {
  const bool print = std::getenv("BGSIM_PRINT_DIGESTS") != nullptr;
  for (const auto& g : golden) {
    const Digests d = run_and_digest(g.file, g.duration_ms, 1);
    if (print)
      std::printf("    {\"%s\", %.1f, 0x%016llxULL, 0x%016llxULL, %zu},\n", g.file, g.duration_ms,
                  static_cast<unsigned long long>(d.recorded),
                  static_cast<unsigned long long>(d.checkpoint), d.spikes);
    EXPECT_EQ(d.spikes, g.spikes) << g.file;
    EXPECT_EQ(d.recorded, g.recorded) << g.file << ": spikes or samples differ from the golden run";
    EXPECT_EQ(d.checkpoint, g.checkpoint) << g.file << ": state differs from the golden run";
  }
}

// The digests do not depend on the thread count either (docs/conventions.md),
// so the same constants hold for two threads.
TEST(BuildIdentity, TwoThreadsGiveTheSameDigests) {
  for (const auto& g : golden) {
    const Digests d = run_and_digest(g.file, g.duration_ms, 2);
    EXPECT_EQ(d.spikes, g.spikes) << g.file;
    EXPECT_EQ(d.recorded, g.recorded) << g.file;
    EXPECT_EQ(d.checkpoint, g.checkpoint) << g.file;
  }
}

// Timing the phases of the step loop (bench_net_throughput --phases) reads
// clocks and changes nothing else.
TEST(BuildIdentity, PhaseTimingChangesNothing) {
  const Golden& g = golden[0];
  std::vector<PhaseTimes> phases;
  const Digests d = run_and_digest(g.file, g.duration_ms, 2, &phases);
  EXPECT_EQ(d.recorded, g.recorded);
  EXPECT_EQ(d.checkpoint, g.checkpoint);
  ASSERT_EQ(phases.size(), 2u);
  for (const auto& t : phases) {
    EXPECT_GT(t.update, 0.0);
    EXPECT_GT(t.delivery, 0.0);
  }
}

}  // namespace
}  // namespace bgsim::networks
