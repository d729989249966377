// The rows of state and weight recorders over ranks (core/rank_gather.hpp,
// docs/mpi.md): each rank keeps its own columns, and a gather puts them in
// the one-process column order on rank 0. No MPI is needed: the ranks here
// are threads of one process meeting at a barrier.

#include "core/rank_gather.hpp"
#include "tests/core/thread_ranks.hpp"

#include <gtest/gtest.h>

#include <barrier>
#include <cmath>
#include <cstring>
#include <functional>
#include <stdexcept>
#include <thread>

namespace bgsim {
namespace {

using test_support::ThreadRanks;

TEST(RankGather, StateColumnsFollowTheRanksBlocks) {
  // Neurons 9, 0, 5, 3 of 10 over 3 ranks: blocks [0, 3), [3, 6), [6, 10).
  const std::vector<std::uint32_t> neurons = {9, 0, 5, 3};
  const auto c0 = RankGather::state_columns("v", neurons, 10, 0, 3);
  EXPECT_EQ(c0.width, 4u);
  EXPECT_EQ(c0.mine, (std::vector<std::size_t>{1}));
  ASSERT_EQ(c0.placement.size(), 3u);
  EXPECT_EQ(c0.placement[1], (std::vector<std::size_t>{2, 3}));
  EXPECT_EQ(c0.placement[2], (std::vector<std::size_t>{0}));
  const auto c2 = RankGather::state_columns("v", neurons, 10, 2, 3);
  EXPECT_EQ(c2.mine, (std::vector<std::size_t>{0}));
  EXPECT_TRUE(c2.placement.empty());  // only rank 0 places columns
}

// Every rank samples whole rows, valid only in its own columns (NaN
// elsewhere, as another rank's neurons are to it); rank 0 must receive the
// rows of one process.
TEST(RankGather, StateRowsOnRankZeroAreThoseOfOneProcess) {
  const std::vector<std::uint32_t> neurons = {9, 0, 5, 3, 6};
  const std::vector<Step> steps = {0, 10, 20};
  const auto value = [](std::size_t row, std::uint32_t neuron) { return 100.0 * row + neuron; };
  ThreadRanks ranks(3);
  MemorySink out;
  ranks.run([&](ThreadRanks::Rank& comm) {
    RankGather gather(comm, {RankGather::state_columns("v", neurons, 10, comm.rank(), 3)});
    if (comm.rank() == 0) gather.set_downstream(&out);
    const RankBlock mine = RankBlock::of(10, comm.rank(), 3);
    std::vector<double> rows;
    for (std::size_t row = 0; row < steps.size(); ++row)
      for (const std::uint32_t n : neurons)
        rows.push_back(mine.owns(n) ? value(row, n) : std::nan(""));
    // Two handovers, as a recorder whose buffer filled would make.
    gather.samples("v", std::span(steps).first(1), std::span(rows).first(neurons.size()),
                   neurons.size());
    gather.samples("v", std::span(steps).subspan(1), std::span(rows).subspan(neurons.size()),
                   neurons.size());
    EXPECT_FALSE(gather.wants_gather());
    gather.gather();
  });
  const auto& got = out.samples_of("v");
  EXPECT_EQ(got.steps, steps);
  ASSERT_EQ(got.width, neurons.size());
  ASSERT_EQ(got.values.size(), steps.size() * neurons.size());
  for (std::size_t row = 0; row < steps.size(); ++row)
    for (std::size_t k = 0; k < neurons.size(); ++k)
      EXPECT_EQ(got.values[row * neurons.size() + k], value(row, neurons[k]))
          << "row " << row << ", column " << k;
}

// A weight recorder: each rank holds the synapses onto its targets, in
// canonical order; the whole columns are sorted stably by (source, target),
// a multapse's synapses staying in their rank's order.
TEST(RankGather, SynapseColumnsAreSortedIntoOneProcessOrder) {
  using Pair = std::pair<std::uint32_t, std::uint32_t>;
  const std::vector<std::vector<Pair>> held = {
      {{0, 0}, {2, 1}}, {{0, 3}, {0, 3}, {1, 4}}, {{0, 7}, {2, 6}}};
  const std::vector<Pair> expected = {{0, 0}, {0, 3}, {0, 3}, {0, 7}, {1, 4}, {2, 1}, {2, 6}};
  // The value of a rank's column j at row i: which synapse it is, whole.
  const std::vector<std::vector<double>> id = {{0, 5}, {1, 2, 4}, {3, 6}};
  std::vector<Pair> whole;
  MemorySink out;
  ThreadRanks ranks(3);
  ranks.run([&](ThreadRanks::Rank& comm) {
    const auto r = static_cast<std::size_t>(comm.rank());
    std::vector<Pair> mine_whole;
    auto columns = RankGather::synapse_columns("w", held[r], comm, mine_whole);
    if (r == 0)
      whole = mine_whole;
    else
      EXPECT_TRUE(mine_whole.empty());
    RankGather gather(comm, {std::move(columns)});
    if (r == 0) gather.set_downstream(&out);
    const std::vector<Step> steps = {0, 5};
    std::vector<double> rows;
    for (std::size_t row = 0; row < steps.size(); ++row)
      for (const double k : id[r])
        rows.push_back(10.0 * static_cast<double>(row) + k);
    gather.samples("w", steps, rows, held[r].size());
    gather.gather();
  });
  EXPECT_EQ(whole, expected);
  const auto& got = out.samples_of("w");
  ASSERT_EQ(got.width, expected.size());
  ASSERT_EQ(got.values.size(), 2 * expected.size());
  for (std::size_t row = 0; row < 2; ++row)
    for (std::size_t k = 0; k < expected.size(); ++k)
      EXPECT_EQ(got.values[row * expected.size() + k], 10.0 * static_cast<double>(row) + k);
}

// Rank 0 cannot write the first recorder's rows (a full disk): it still
// makes the second recorder's collective, so no rank is left waiting, and
// then says what failed.
TEST(RankGather, AWriteThatFailsOnRankZeroLeavesNoRankWaiting) {
  class FullDisk final : public RecordSink {
   public:
    void spikes(const std::string&, std::span<const SpikeEvent>) override {}
    void samples(const std::string& recorder, std::span<const Step>, std::span<const double>,
                 std::size_t) override {
      if (recorder == "a") throw std::runtime_error("disk full");
      ++written;
    }
    int written = 0;
  };
  FullDisk disk;
  ThreadRanks ranks(2);
  ranks.run([&](ThreadRanks::Rank& comm) {
    RankGather gather(comm, {RankGather::state_columns("a", {0, 3}, 4, comm.rank(), 2),
                             RankGather::state_columns("b", {1, 2}, 4, comm.rank(), 2)});
    if (comm.rank() == 0) gather.set_downstream(&disk);
    const std::vector<Step> steps = {0};
    const std::vector<double> row = {1.0, 2.0};
    gather.samples("a", steps, row, 2);
    gather.samples("b", steps, row, 2);
    if (comm.rank() == 0) {
      EXPECT_THROW(gather.gather(), std::runtime_error);
    } else {
      EXPECT_NO_THROW(gather.gather());
    }
  });
  EXPECT_EQ(disk.written, 1);  // "b" was written all the same
}

}  // namespace
}  // namespace bgsim
