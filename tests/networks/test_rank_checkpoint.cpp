// Checkpoints over ranks (docs/mpi.md): R ranks write, on rank 0, the
// checkpoint one process writes at the same step, byte for byte, and a
// one-process checkpoint loaded on R' ranks goes on to the state one process
// reaches. No MPI is needed: the ranks here are threads of one process
// meeting at a barrier, and each runs its part of the network as an MPI rank
// does (the spike exchange included).

#include <gtest/gtest.h>

#include <barrier>
#include <cstring>
#include <filesystem>
#include <functional>
#include <sstream>
#include <string>
#include <thread>

#include "core/communicator.hpp"
#include "networks/builder.hpp"
#include "networks/loader.hpp"
#include "tests/core/thread_ranks.hpp"

namespace bgsim::networks {
namespace {

using test_support::ThreadRanks;

const std::filesystem::path library =
    std::filesystem::path(BGSIM_SOURCE_DIR) / "networks" / "library";

std::string checkpoint_of(Simulator& sim) {
  std::ostringstream out;
  sim.save(out);
  return std::move(out).str();
}

// One process runs to `first_ms` (checkpoint A) and on to `second_ms`
// (checkpoint B). `ranks` ranks run to `first_ms`: rank 0's checkpoint must
// be A. `ranks_after` ranks load A and run to `second_ms`: theirs must be B.
void expect_checkpoints_of_one_process(const std::string& file, int ranks, int ranks_after,
                                       double first_ms, double second_ms) {
  const NetworkSpec spec = read_network_file(library / file);
  const auto one = build(spec);
  const Step first = one->resolution().duration_steps(first_ms);
  const Step second = one->resolution().duration_steps(second_ms);
  one->run(first);
  const std::string a = checkpoint_of(*one);
  one->run(second - first);
  const std::string b = checkpoint_of(*one);
  ASSERT_GT(one->counters().spikes, 0u);

  std::string got_a;
  ThreadRanks written(ranks);
  written.run([&](ThreadRanks::Rank& comm) {
    const auto sim = build(spec, {.communicator = &comm});
    sim->run(first);
    const std::string mine = checkpoint_of(*sim);
    if (comm.rank() == 0) got_a = mine;
  });
  EXPECT_TRUE(got_a == a) << ranks << " ranks wrote another checkpoint than one process ("
                          << got_a.size() << " bytes against " << a.size() << ")";

  std::string got_b;
  ThreadRanks resumed(ranks_after);
  resumed.run([&](ThreadRanks::Rank& comm) {
    const auto sim = build(spec, {.communicator = &comm});
    std::istringstream in(a);
    sim->load(in);
    sim->run(second - first);
    const std::string mine = checkpoint_of(*sim);
    if (comm.rank() == 0) got_b = mine;
  });
  EXPECT_TRUE(got_b == b) << ranks_after << " ranks resumed to another state than one process ("
                          << got_b.size() << " bytes against " << b.size() << ")";
}

// Plastic synapses under dopamine, a reward contingency, weight recorders.
TEST(RankCheckpoint, DistalRewardOverTwoRanksIsTheOneProcessCheckpoint) {
  expect_checkpoints_of_one_process("izhikevich2007_distal_reward.json", 2, 3, 1003.0, 2000.0);
}

// A dopamine volume driven by SNc spikes of every rank.
TEST(RankCheckpoint, GoNoGoStriatumOverThreeRanksIsTheOneProcessCheckpoint) {
  expect_checkpoints_of_one_process("gonogo_striatum.json", 3, 2, 301.0, 600.0);
}

// Static synapses and Poisson drive; a one-process checkpoint resumed over ranks.
TEST(RankCheckpoint, BrunelOverFourRanksIsTheOneProcessCheckpoint) {
  expect_checkpoints_of_one_process("brunel2000_small.json", 4, 1, 101.0, 200.0);
}

}  // namespace
}  // namespace bgsim::networks
