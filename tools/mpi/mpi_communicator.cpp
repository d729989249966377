#include "tools/mpi/mpi_communicator.hpp"

#include <mpi.h>

#include <limits>
#include <stdexcept>
#include <string>

namespace bgsim::cli {

MpiSession::MpiSession(int& argc, char**& argv) {
  int provided = MPI_THREAD_SINGLE;
  MPI_Init_thread(&argc, &argv, MPI_THREAD_SERIALIZED, &provided);
  if (provided < MPI_THREAD_SERIALIZED) {
    MPI_Finalize();
    throw std::runtime_error(
        "the MPI library offers no MPI_THREAD_SERIALIZED, which bgsim's threads need");
  }
}

MpiSession::~MpiSession() {
  MPI_Finalize();
}

MpiCommunicator::MpiCommunicator() {
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

// The sizes in one MPI_Allgather, the bytes in one MPI_Allgatherv.
void MpiCommunicator::all_gather(std::span<const std::byte> mine, std::vector<std::byte>& all,
                                 std::vector<std::size_t>& counts) {
  if (mine.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()))
    throw std::runtime_error("spike exchange: " + std::to_string(mine.size()) +
                             " bytes from one rank in one epoch, more than MPI counts in an int");
  const int n = static_cast<int>(mine.size());
  counts_.resize(static_cast<std::size_t>(size_));
  displacements_.resize(static_cast<std::size_t>(size_));
  MPI_Allgather(&n, 1, MPI_INT, counts_.data(), 1, MPI_INT, MPI_COMM_WORLD);
  std::size_t total = 0;
  counts.resize(counts_.size());
  for (std::size_t r = 0; r < counts_.size(); ++r) {
    if (total > static_cast<std::size_t>(std::numeric_limits<int>::max()))
      throw std::runtime_error("spike exchange: more than 2^31 bytes in one epoch");
    displacements_[r] = static_cast<int>(total);
    counts[r] = static_cast<std::size_t>(counts_[r]);
    total += counts[r];
  }
  all.resize(total);
  MPI_Allgatherv(mine.data(), n, MPI_BYTE, all.data(), counts_.data(), displacements_.data(),
                 MPI_BYTE, MPI_COMM_WORLD);
}

// The sizes in one MPI_Gather, the bytes in one MPI_Gatherv, to rank 0.
void MpiCommunicator::gather(std::span<const std::byte> mine, std::vector<std::byte>& all,
                             std::vector<std::size_t>& counts) {
  if (mine.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()))
    throw std::runtime_error("gather: " + std::to_string(mine.size()) +
                             " bytes from one rank, more than MPI counts in an int");
  const int n = static_cast<int>(mine.size());
  counts_.assign(static_cast<std::size_t>(size_), 0);
  displacements_.assign(static_cast<std::size_t>(size_), 0);
  MPI_Gather(&n, 1, MPI_INT, counts_.data(), 1, MPI_INT, 0, MPI_COMM_WORLD);
  all.clear();
  counts.clear();
  if (rank_ == 0) {
    std::size_t total = 0;
    for (std::size_t r = 0; r < counts_.size(); ++r) {
      if (total > static_cast<std::size_t>(std::numeric_limits<int>::max()))
        throw std::runtime_error("gather: more than 2^31 bytes");
      displacements_[r] = static_cast<int>(total);
      counts.push_back(static_cast<std::size_t>(counts_[r]));
      total += counts.back();
    }
    all.resize(total);
  }
  MPI_Gatherv(mine.data(), n, MPI_BYTE, all.data(), counts_.data(), displacements_.data(), MPI_BYTE,
              0, MPI_COMM_WORLD);
}

std::uint64_t MpiCommunicator::sum(std::uint64_t mine) {
  std::uint64_t total = 0;
  MPI_Allreduce(&mine, &total, 1, MPI_UINT64_T, MPI_SUM, MPI_COMM_WORLD);
  return total;
}

}  // namespace bgsim::cli
