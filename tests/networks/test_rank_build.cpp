// Building over ranks (docs/mpi.md): rank r of R builds exactly the synapses
// of the one-process network whose targets it owns, in the same order, with
// the same weights and delays; the ranks' parts add up to the whole, and no
// rank holds a synapse onto another rank's neuron. A reward contingency's
// chosen synapse (its initial weight set by the description) lies on one
// rank only and is still found and set there. No MPI is needed: the builder
// only asks the communicator for its rank and size.

#include <gtest/gtest.h>

#include <filesystem>
#include <stdexcept>
#include <string>

#include "core/communicator.hpp"
#include "networks/builder.hpp"
#include "networks/loader.hpp"

namespace bgsim::networks {
namespace {

const std::filesystem::path library =
    std::filesystem::path(BGSIM_SOURCE_DIR) / "networks" / "library";

// Rank `rank` of `size`; building makes no collective call.
class BuildOnlyRanks final : public Communicator {
 public:
  BuildOnlyRanks(int rank, int size) : rank_(rank), size_(size) {}
  int rank() const override { return rank_; }
  int size() const override { return size_; }
  void all_gather(std::span<const std::byte>, std::vector<std::byte>&,
                  std::vector<std::size_t>&) override {
    throw std::logic_error("building must not exchange");
  }
  void gather(std::span<const std::byte>, std::vector<std::byte>&,
              std::vector<std::size_t>&) override {
    throw std::logic_error("building must not gather");
  }
  std::uint64_t sum(std::uint64_t) override { throw std::logic_error("building must not sum"); }

 private:
  int rank_, size_;
};

void expect_ranks_partition(const std::string& file, int ranks) {
  const NetworkSpec spec = read_network_file(library / file);
  const auto whole = build(spec);
  std::vector<std::size_t> held(whole->num_projections(), 0);
  for (int r = 0; r < ranks; ++r) {
    BuildOnlyRanks comm(r, ranks);
    const auto part = build(spec, {.communicator = &comm});
    ASSERT_EQ(part->num_projections(), whole->num_projections());
    for (std::uint32_t j = 0; j < whole->num_projections(); ++j) {
      const Projection& proj = part->projection(j);
      const RankBlock mine = part->owned(proj.target());
      const ConnectionList all = whole->projection(j).connections();
      const ConnectionList got = proj.connections();
      std::size_t k = 0;
      for (std::size_t i = 0; i < all.size(); ++i) {
        if (!mine.owns(all.target[i])) continue;
        ASSERT_LT(k, got.size()) << file << ": rank " << r << " lacks synapses of " << proj.name();
        EXPECT_EQ(got.source[k], all.source[i]);
        EXPECT_EQ(got.target[k], all.target[i]);
        EXPECT_EQ(got.weight[k], all.weight[i]) << proj.name() << " synapse " << i;
        EXPECT_EQ(got.delay[k], all.delay[i]);
        ++k;
      }
      EXPECT_EQ(k, got.size()) << file << ": rank " << r << " holds synapses onto others' neurons";
      held[j] += got.size();
    }
  }
  for (std::uint32_t j = 0; j < whole->num_projections(); ++j) {
    EXPECT_EQ(held[j], whole->projection(j).size()) << whole->projection(j).name();
    EXPECT_GT(whole->projection(j).size(), 0u);
  }
}

TEST(RankBuild, StaticNetworkSplitsExactly) {
  expect_ranks_partition("brunel2000_small.json", 2);
  expect_ranks_partition("brunel2000_small.json", 3);
}

TEST(RankBuild, PlasticNetworkWithContingencySplitsExactly) {
  expect_ranks_partition("izhikevich2007_distal_reward.json", 3);
}

TEST(RankBuild, ContingencyWeightIsSetOnTheRankThatHoldsTheSynapse) {
  // The description sets the chosen synapse's initial weight to 0; the
  // exc->exc weights are otherwise 1 (docs/networks: izhikevich2007).
  const NetworkSpec spec = read_network_file(library / "izhikevich2007_distal_reward.json");
  const auto whole = build(spec);
  std::size_t zeros_whole = 0;
  const std::uint32_t ee = 0;
  ASSERT_EQ(whole->projection(ee).name(), "exc->exc");
  for (double w : whole->projection(ee).connections().weight)
    zeros_whole += w == 0.0;
  ASSERT_EQ(zeros_whole, 1u);
  std::size_t zeros = 0;
  for (int r = 0; r < 4; ++r) {
    BuildOnlyRanks comm(r, 4);
    const auto part = build(spec, {.communicator = &comm});
    for (double w : part->projection(ee).connections().weight)
      zeros += w == 0.0;
  }
  EXPECT_EQ(zeros, 1u);
}

}  // namespace
}  // namespace bgsim::networks
