#pragma once
// R ranks as R threads of one process (core/communicator.hpp): the tests of
// what ranks exchange (RankGather.*, RankCheckpoint.*) run without MPI.

#include <barrier>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <span>
#include <thread>
#include <vector>

#include "core/communicator.hpp"

namespace bgsim::test_support {

// R ranks as R threads: each collective deposits every rank's bytes, meets
// at a barrier, reads, and meets again before the slots are reused.
class ThreadRanks {
 public:
  explicit ThreadRanks(int size)
      : size_(size), slots_(static_cast<std::size_t>(size)), barrier_(size) {}

  class Rank final : public Communicator {
   public:
    Rank(ThreadRanks& all, int rank) : all_(all), rank_(rank) {}
    int rank() const override { return rank_; }
    int size() const override { return all_.size_; }
    void all_gather(std::span<const std::byte> mine, std::vector<std::byte>& all,
                    std::vector<std::size_t>& counts) override {
      all_.collect(rank_, mine, all, counts);
    }
    void gather(std::span<const std::byte> mine, std::vector<std::byte>& all,
                std::vector<std::size_t>& counts) override {
      all_.collect(rank_, mine, all, counts);
      if (rank_ != 0) {
        all.clear();
        counts.clear();
      }
    }
    std::uint64_t sum(std::uint64_t mine) override {
      std::vector<std::byte> all;
      std::vector<std::size_t> counts;
      all_.collect(rank_, std::as_bytes(std::span<const std::uint64_t>(&mine, 1)), all, counts);
      std::uint64_t total = 0;
      for (std::size_t r = 0; r < counts.size(); ++r) {
        std::uint64_t x = 0;
        std::memcpy(&x, all.data() + r * sizeof x, sizeof x);
        total += x;
      }
      return total;
    }

   private:
    ThreadRanks& all_;
    int rank_;
  };

  // Runs `body(rank)` on every rank, each in its own thread.
  void run(const std::function<void(Rank&)>& body) {
    std::vector<std::thread> threads;
    for (int r = 0; r < size_; ++r)
      threads.emplace_back([this, r, &body] {
        Rank rank(*this, r);
        body(rank);
      });
    for (auto& t : threads)
      t.join();
  }

 private:
  void collect(int rank, std::span<const std::byte> mine, std::vector<std::byte>& all,
               std::vector<std::size_t>& counts) {
    slots_[static_cast<std::size_t>(rank)].assign(mine.begin(), mine.end());
    barrier_.arrive_and_wait();
    all.clear();
    counts.clear();
    for (const auto& s : slots_) {
      all.insert(all.end(), s.begin(), s.end());
      counts.push_back(s.size());
    }
    barrier_.arrive_and_wait();
  }

  int size_;
  std::vector<std::vector<std::byte>> slots_;
  std::barrier<> barrier_;
};

}  // namespace bgsim::test_support
