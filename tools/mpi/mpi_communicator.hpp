#pragma once
// The ranks of an MPI job as the kernel's Communicator (core/communicator.hpp),
// and the MPI session of the bgsim process: built only with BGSIM_MPI (the
// `mpi` preset; docs/mpi.md).

#include "core/communicator.hpp"

namespace bgsim::cli {

// MPI_Init_thread at construction (MPI_THREAD_SERIALIZED: the spike exchange
// is called by whichever OpenMP thread runs the epoch's single phase, one at a
// time), MPI_Finalize at destruction. One per process, in main().
class MpiSession {
 public:
  MpiSession(int& argc, char**& argv);
  ~MpiSession();
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;
};

class MpiCommunicator final : public Communicator {
 public:
  MpiCommunicator();  // MPI_COMM_WORLD
  int rank() const override { return rank_; }
  int size() const override { return size_; }
  void all_gather(std::span<const std::byte> mine, std::vector<std::byte>& all,
                  std::vector<std::size_t>& counts) override;
  void gather(std::span<const std::byte> mine, std::vector<std::byte>& all,
              std::vector<std::size_t>& counts) override;
  std::uint64_t sum(std::uint64_t mine) override;

 private:
  int rank_ = 0;
  int size_ = 1;
  std::vector<int> counts_, displacements_;
};

}  // namespace bgsim::cli
