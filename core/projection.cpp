#include "core/projection.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace bgsim {

Partition Partition::blocks(std::size_t neurons, int threads) {
  return blocks(0, neurons, threads);
}

Partition Partition::blocks(std::size_t first, std::size_t last, int threads) {
  Partition p;
  for (int t = 0; t <= threads; ++t)
    p.begin.push_back(first + (last - first) * static_cast<std::size_t>(t) /
                                  static_cast<std::size_t>(threads));
  return p;
}

Partition Partition::whole(std::size_t first, std::size_t last, int threads, int owner) {
  Partition p;
  for (int t = 0; t <= threads; ++t)
    p.begin.push_back(t <= owner ? first : last);
  return p;
}

int Partition::owner(std::size_t neuron) const {
  const auto it = std::upper_bound(begin.begin(), begin.end(), neuron);
  return static_cast<int>(it - begin.begin()) - 1;
}

StaticProjection::StaticProjection(std::string name, std::uint32_t source, std::uint32_t target,
                                   std::uint32_t channel, std::size_t source_size,
                                   ConnectionList connections)
    : Projection(std::move(name), source, target, channel),
      source_size_(source_size),
      size_(connections.size()),
      pending_(std::move(connections)) {
  min_delay_ = std::numeric_limits<Step>::max();
  for (std::size_t k = 0; k < size_; ++k) {
    const Step d = pending_.delay[k];
    if (d < 1 || d > std::numeric_limits<std::uint16_t>::max())
      throw std::invalid_argument("projection " + this->name() + ": delay of " + std::to_string(d) +
                                  " steps outside [1, 65535]");
    if (pending_.source[k] >= source_size_)
      throw std::invalid_argument("projection " + this->name() + ": source index out of range");
    if (!std::isfinite(pending_.weight[k]))
      throw std::invalid_argument("projection " + this->name() + ": weight is not finite");
    min_delay_ = std::min(min_delay_, d);
    max_delay_ = std::max(max_delay_, d);
  }
  if (size_ == 0) min_delay_ = max_delay_ = 1;
  // Homogeneous when the weights agree as stored (float32, bit for bit) and
  // the delays agree: then each synapse is its target alone.
  if (size_ > 0) {
    weight_ = static_cast<float>(pending_.weight[0]);
    delay_ = static_cast<std::uint16_t>(pending_.delay[0]);
    homogeneous_ = min_delay_ == max_delay_;
    for (std::size_t k = 1; k < size_ && homogeneous_; ++k)
      homogeneous_ = std::bit_cast<std::uint32_t>(static_cast<float>(pending_.weight[k])) ==
                     std::bit_cast<std::uint32_t>(weight_);
  }
}

void StaticProjection::prepare(const Partition& targets, std::uint32_t source_gid_offset) {
  source_gid_offset_ = source_gid_offset;
  if (!rows_.empty()) pending_ = connections();  // re-partitioning for another thread count
  const int threads = targets.threads();
  rows_.assign(threads, Rows{});
  // Counting sort by source within each thread's partition keeps connection order.
  std::vector<int> owner(size_);
  for (std::size_t k = 0; k < size_; ++k) {
    owner[k] = targets.owner(pending_.target[k]);
    if (owner[k] < 0 || owner[k] >= threads)
      throw std::invalid_argument("projection " + name() + ": target " +
                                  std::to_string(pending_.target[k]) +
                                  " is not among the neurons this rank owns");
  }
  for (int t = 0; t < threads; ++t)
    rows_[t].offset.assign(source_size_ + 1, 0);
  for (std::size_t k = 0; k < size_; ++k)
    ++rows_[owner[k]].offset[pending_.source[k] + 1];
  for (auto& r : rows_) {
    for (std::size_t s = 0; s < source_size_; ++s)
      r.offset[s + 1] += r.offset[s];
    if (homogeneous_)
      r.targets.resize(r.offset[source_size_]);
    else
      r.synapses.resize(r.offset[source_size_]);
  }
  std::vector<std::vector<std::uint32_t>> fill(threads);
  for (int t = 0; t < threads; ++t)
    fill[t].assign(rows_[t].offset.begin(), rows_[t].offset.end() - 1);
  for (std::size_t k = 0; k < size_; ++k) {
    Rows& r = rows_[owner[k]];
    const std::uint32_t at = fill[owner[k]][pending_.source[k]]++;
    if (homogeneous_)
      r.targets[at] = pending_.target[k];
    else
      r.synapses[at] = {pending_.target[k], static_cast<float>(pending_.weight[k]),
                        static_cast<std::uint16_t>(pending_.delay[k])};
  }
  pending_ = ConnectionList{};
}

namespace {

// Rows are read once per spike, and with several threads each thread's row
// holds only its own targets (0.5–2 KB in Brunel's network at two threads):
// too short for the hardware prefetcher to ramp up before the row
// ends. So the rows of the spikes `row_ahead` places on are fetched by hand,
// up to `row_prefetch_bytes` of each; the prefetcher follows longer ones.
// Brunel's network, order 2500: delivery 0.36 -> 0.23 s per 0.5 biological s
// on one thread, 0.24 -> 0.10 s on each of two (bench/README.md, issue 16).
constexpr std::size_t row_ahead = 4;              // spikes
constexpr std::size_t row_prefetch_bytes = 2048;  // 32 cache lines

template <class T>
void prefetch_row(const T* begin, const T* end) {
  const char* p = reinterpret_cast<const char*>(begin);
  const char* stop = std::min(reinterpret_cast<const char*>(end), p + row_prefetch_bytes);
  for (; p < stop; p += 64)
    __builtin_prefetch(p);
}

}  // namespace

std::uint64_t StaticProjection::deliver(std::span<const SpikeEvent> spikes, int thread,
                                        InputBuffer& input) {
  const Rows& r = rows_[thread];
  if (homogeneous_) return deliver_homogeneous(spikes, r, input);
  const std::uint32_t* offset = r.offset.data();
  const Synapse* syn = r.synapses.data();
  const std::uint32_t ch = channel();
  std::uint64_t events = 0;
  for (std::size_t i = 0; i < spikes.size(); ++i) {
    if (i + row_ahead < spikes.size()) {
      const std::uint32_t next = spikes[i + row_ahead].gid - source_gid_offset_;
      prefetch_row(syn + offset[next], syn + offset[next + 1]);
    }
    const SpikeEvent& s = spikes[i];
    const std::uint32_t src = s.gid - source_gid_offset_;
    const std::uint32_t first = offset[src], last = offset[src + 1];
    for (std::uint32_t k = first; k < last; ++k)
      input.add(ch, s.step + syn[k].delay, syn[k].target, syn[k].weight);
    events += last - first;
  }
  return events;
}

// One weight and one delay: each spike's row adds the same value into one
// slot of the ring buffer, in the order of the rows, so the sums are those of
// the general loop above bit for bit.
std::uint64_t StaticProjection::deliver_homogeneous(std::span<const SpikeEvent> spikes,
                                                    const Rows& r, InputBuffer& input) const {
  const std::uint32_t* offset = r.offset.data();
  const std::uint32_t* target = r.targets.data();
  const double w = weight_;
  const std::uint32_t ch = channel();
  std::uint64_t events = 0;
  for (std::size_t i = 0; i < spikes.size(); ++i) {
    if (i + row_ahead < spikes.size()) {
      const std::uint32_t next = spikes[i + row_ahead].gid - source_gid_offset_;
      prefetch_row(target + offset[next], target + offset[next + 1]);
    }
    const SpikeEvent& s = spikes[i];
    const std::uint32_t src = s.gid - source_gid_offset_;
    const std::uint32_t first = offset[src], last = offset[src + 1];
    double* slot = input.slot(ch, s.step + delay_);
    for (std::uint32_t k = first; k < last; ++k)
      slot[target[k]] += w;
    events += last - first;
  }
  return events;
}

std::size_t StaticProjection::bytes() const {
  std::size_t b = 0;
  for (const Rows& r : rows_)
    b += r.offset.capacity() * sizeof(std::uint32_t) + r.synapses.capacity() * sizeof(Synapse) +
         r.targets.capacity() * sizeof(std::uint32_t);
  return b;
}

ConnectionList StaticProjection::connections() const {
  if (rows_.empty()) return pending_;
  struct Entry {
    std::uint32_t source;
    Synapse synapse;
  };
  std::vector<Entry> all;
  all.reserve(size_);
  for (const Rows& r : rows_)
    for (std::size_t s = 0; s < source_size_; ++s)
      for (std::uint32_t k = r.offset[s]; k < r.offset[s + 1]; ++k)
        all.push_back({static_cast<std::uint32_t>(s), synapse(r, k)});
  // Stable: synapses of one (source, target) pair live in one thread's row, in
  // connection order, so their relative order survives.
  std::stable_sort(all.begin(), all.end(), [](const Entry& a, const Entry& b) {
    return a.source != b.source ? a.source < b.source : a.synapse.target < b.synapse.target;
  });
  ConnectionList out;
  for (const Entry& e : all)
    out.add(e.source, e.synapse.target, e.synapse.weight, e.synapse.delay);
  return out;
}

// Static synapses never change; the checkpoint only checks the shape.
void StaticProjection::save(CheckpointWriter& w) const {
  w.section(name());
  w.value<std::uint64_t>(size_);
}

void StaticProjection::load(CheckpointReader& r) {
  r.section(name());
  if (r.value<std::uint64_t>() != size_)
    throw std::runtime_error("checkpoint: projection " + name() + " has another synapse count");
}

// Over ranks the one-process checkpoint holds the count of every rank's synapses.
void StaticProjection::save_merged(std::span<CheckpointReader> parts, CheckpointWriter& w) const {
  std::uint64_t total = 0;
  for (CheckpointReader& part : parts) {
    part.section(name());
    total += part.value<std::uint64_t>();
  }
  w.section(name());
  w.value(total);
}

void StaticProjection::share_layout(Communicator& ranks) {
  size_all_ranks_ = ranks.sum(size_);
}

void StaticProjection::load_part(CheckpointReader& r) {
  r.section(name());
  if (r.value<std::uint64_t>() != size_all_ranks_)
    throw std::runtime_error("checkpoint: projection " + name() + " has another synapse count");
}

}  // namespace bgsim
