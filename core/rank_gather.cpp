#include "core/rank_gather.hpp"

#include <algorithm>
#include <cstring>
#include <numeric>
#include <stdexcept>

namespace bgsim {

namespace {
// Values kept per recorder before this rank asks for a gather: 8 MiB, the
// bound of a recorder's own buffer (core/recorder.hpp).
constexpr std::size_t gather_bound = std::size_t{1} << 20;
}  // namespace

RankGather::Columns RankGather::state_columns(const std::string& recorder,
                                              const std::vector<std::uint32_t>& neurons,
                                              std::size_t population_size, int rank, int ranks) {
  Columns c{.recorder = recorder, .mine = {}, .placement = {}, .width = neurons.size()};
  c.placement.resize(static_cast<std::size_t>(ranks));
  for (int r = 0; r < ranks; ++r) {
    const RankBlock block = RankBlock::of(population_size, r, ranks);
    for (std::size_t k = 0; k < neurons.size(); ++k)
      if (block.owns(neurons[k])) c.placement[static_cast<std::size_t>(r)].push_back(k);
  }
  c.mine = c.placement[static_cast<std::size_t>(rank)];
  if (rank != 0) c.placement.clear();  // only rank 0 places columns
  return c;
}

RankGather::Columns RankGather::synapse_columns(
    const std::string& recorder, const std::vector<std::pair<std::uint32_t, std::uint32_t>>& mine,
    Communicator& ranks, std::vector<std::pair<std::uint32_t, std::uint32_t>>& whole) {
  using Pair = std::pair<std::uint32_t, std::uint32_t>;
  std::vector<std::uint32_t> flat;
  flat.reserve(2 * mine.size());
  for (const auto& [s, t] : mine) {
    flat.push_back(s);
    flat.push_back(t);
  }
  std::vector<std::byte> all;
  std::vector<std::size_t> counts;
  ranks.gather(std::as_bytes(std::span<const std::uint32_t>(flat)), all, counts);
  Columns c{.recorder = recorder, .mine = {}, .placement = {}, .width = 0};
  c.mine.resize(mine.size());
  std::iota(c.mine.begin(), c.mine.end(), std::size_t{0});
  whole.clear();
  if (ranks.rank() != 0) return c;
  // Every rank's pairs in rank order, then sorted stably: `from[k]` is the
  // rank whose column is k-th in one-process order.
  std::vector<std::uint32_t> words(all.size() / sizeof(std::uint32_t));
  if (!all.empty()) std::memcpy(words.data(), all.data(), words.size() * sizeof(std::uint32_t));
  std::vector<Pair> pairs;
  for (std::size_t k = 0; k + 1 < words.size(); k += 2)
    pairs.emplace_back(words[k], words[k + 1]);
  std::vector<std::size_t> rank_of;
  for (std::size_t r = 0; r < counts.size(); ++r)
    rank_of.insert(rank_of.end(), counts[r] / (2 * sizeof(std::uint32_t)), r);
  std::vector<std::size_t> order(pairs.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return pairs[a] < pairs[b]; });
  c.width = pairs.size();
  c.placement.assign(counts.size(), {});
  for (std::size_t k = 0; k < order.size(); ++k) {
    c.placement[rank_of[order[k]]].push_back(k);  // ranks' columns come in their own order
    whole.push_back(pairs[order[k]]);
  }
  return c;
}

RankGather::RankGather(Communicator& ranks, std::vector<Columns> recorders)
    : ranks_(ranks), recorders_(std::move(recorders)), pending_(recorders_.size()) {}

void RankGather::spikes(const std::string& recorder, std::span<const SpikeEvent> spikes) {
  if (downstream_) downstream_->spikes(recorder, spikes);
}

void RankGather::samples(const std::string& recorder, std::span<const Step> steps,
                         std::span<const double> values, std::size_t width) {
  std::size_t i = 0;
  while (i < recorders_.size() && recorders_[i].recorder != recorder)
    ++i;
  if (i == recorders_.size()) {  // not one of the recorders gathered here
    if (downstream_) downstream_->samples(recorder, steps, values, width);
    return;
  }
  Pending& p = pending_[i];
  p.steps.insert(p.steps.end(), steps.begin(), steps.end());
  for (std::size_t row = 0; row < steps.size(); ++row)
    for (const std::size_t k : recorders_[i].mine)
      p.values.push_back(values[row * width + k]);
}

bool RankGather::wants_gather() const {
  for (const Pending& p : pending_)
    if (p.steps.size() + p.values.size() >= gather_bound) return true;
  return false;
}

void RankGather::gather() {
  std::exception_ptr first;
  for (std::size_t i = 0; i < recorders_.size(); ++i) {
    try {
      gather_one(i);
    } catch (...) {
      if (!first) first = std::current_exception();
    }
  }
  if (first) std::rethrow_exception(first);
}

// One collective, then (rank 0) the whole rows; whatever fails after the
// collective leaves the other ranks free.
void RankGather::gather_one(std::size_t i) {
  Pending& p = pending_[i];
  const Columns& c = recorders_[i];
  ranks_.gather(std::as_bytes(std::span<const double>(p.values)), all_, counts_);
  const std::vector<Step> steps = std::move(p.steps);
  p.steps.clear();
  p.values.clear();
  if (ranks_.rank() != 0 || steps.empty()) return;
  const std::size_t rows = steps.size();
  whole_.assign(rows * c.width, 0.0);
  const std::byte* at = all_.data();
  for (std::size_t r = 0; r < counts_.size(); ++r) {
    const std::vector<std::size_t>& cols = c.placement.at(r);
    if (counts_[r] != rows * cols.size() * sizeof(double))
      throw std::logic_error("recorder " + c.recorder + ": rank " + std::to_string(r) + " sent " +
                             std::to_string(counts_[r]) + " bytes for " + std::to_string(rows) +
                             " samples of " + std::to_string(cols.size()) + " columns");
    for (std::size_t row = 0; row < rows; ++row)
      for (std::size_t j = 0; j < cols.size(); ++j)
        std::memcpy(&whole_[row * c.width + cols[j]], at + (row * cols.size() + j) * sizeof(double),
                    sizeof(double));
    at += counts_[r];
  }
  if (downstream_) downstream_->samples(c.recorder, steps, whole_, c.width);
}

}  // namespace bgsim
