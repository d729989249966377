#pragma once
// The ranks of a run spread over processes (MPI): what the kernel needs of
// them, and nothing more. The kernel knows no MPI; the command line gives it
// an implementation (tools/mpi/) when bgsim is built with BGSIM_MPI, and a
// simulator without one is a single rank, exactly as before (docs/mpi.md).
//
// Every call is a collective: all ranks make the same calls in the same
// order, each from one thread at a time.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace bgsim {

class Communicator {
 public:
  virtual ~Communicator() = default;
  virtual int rank() const = 0;
  virtual int size() const = 0;
  // Every rank's bytes, concatenated in rank order, into `all` on every rank;
  // `counts[r]` is the number of bytes rank r gave. One collective (sizes
  // first, then the data).
  virtual void all_gather(std::span<const std::byte> mine, std::vector<std::byte>& all,
                          std::vector<std::size_t>& counts) = 0;
  // The same, into rank 0 only (`all` and `counts` are left empty on the
  // others): what only rank 0 writes.
  virtual void gather(std::span<const std::byte> mine, std::vector<std::byte>& all,
                      std::vector<std::size_t>& counts) = 0;
  // The sum over ranks, on every rank.
  virtual std::uint64_t sum(std::uint64_t mine) = 0;
};

// True on every rank when `ok` is true on every rank (one collective); `ok`
// itself in one process (no communicator). A rank that failed alone would
// leave the others waiting in the next collective, so failures are agreed on.
inline bool all_ranks_ok(Communicator* ranks, bool ok) {
  return ranks ? ranks->sum(ok ? 0 : 1) == 0 : ok;
}

// Which of `neurons` neurons rank `rank` of `ranks` owns: [first, last), the
// same contiguous blocks that threads get (Partition::blocks).
struct RankBlock {
  std::size_t first = 0;
  std::size_t last = 0;
  bool owns(std::size_t neuron) const { return neuron >= first && neuron < last; }
  static RankBlock of(std::size_t neurons, int rank, int ranks) {
    const auto r = static_cast<std::size_t>(rank);
    const auto n = static_cast<std::size_t>(ranks);
    return {neurons * r / n, neurons * (r + 1) / n};
  }
};

}  // namespace bgsim
