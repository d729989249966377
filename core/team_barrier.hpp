#pragma once
// The barrier of the run loop's team: spin briefly, then sleep.
//
// The step loop meets a barrier four to six times an epoch (core/simulator.cpp,
// Simulator::run), and epochs can be two steps long (1 ms delays at dt = 1 ms):
// the distal reward network meets 250 000 barriers in 100 simulated seconds, a
// few microseconds of work apart. libgomp's `#pragma omp barrier` spins up to
// GOMP_SPINCOUNT (300 000 pauses, milliseconds) before it sleeps, unless
// OMP_WAIT_POLICY is passive. On a machine whose cores are shared with other
// processes the thread being waited for is often not running, and the spinning
// one burns the time slice it needs: 2 threads took 23.5 s where one took 1.1 s
// (bench/README.md). libgomp reads its policy once, when it is loaded, so a
// program cannot set it for itself.
//
// This barrier spins for a bounded time, then sleeps on the generation word
// (a futex). The bound adapts: after a spin that was enough it is four times
// the wait that worked (shrinking by a sixteenth when waits get shorter),
// after a spin that was not it halves, within [1, 100] microseconds — unless
// the sleep that followed ended within 100 µs on a machine that looks quiet
// (the last 1000 sleeps all did): then it is twice that wait. On a
// quiet machine the thread waited for is running and arrives within the
// spin: no system call. On an oversubscribed one it is often not running;
// the spin then falls to a microsecond or two within a few barriers and the
// waiter gives its core away (to the thread it waits for, among others).
// The releasing thread makes a system call only when someone sleeps.
//
// Sequentially consistent order between `generation_` and `sleepers_` is
// what makes the wake-up safe: a waiter announces itself and then reads the
// generation, the releaser bumps the generation and then reads the count, so
// at least one of them sees the other.

#include <algorithm>
#include <atomic>
#include <chrono>

#if defined(__linux__)
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif
#include <cstdint>

namespace bgsim::detail {

class TeamBarrier {
 public:
  static constexpr std::int64_t min_spin_ns = 1'000;  // the spin's bounds [ns]
  static constexpr std::int64_t max_spin_ns = 100'000;
  static constexpr int calm_waits = 100;  // short sleeps before the spin follows them

  // Before the team's first barrier, with every thread waiting (an OpenMP
  // `single` with its implicit barrier).
  void reset(int team) {
    team_ = team;
    arrived_.store(0, std::memory_order_relaxed);
  }

  // Every thread of the team calls it; it returns in each once all have come.
  // Writes before it in any thread are visible after it in every thread.
  void arrive_and_wait() {
    if (team_ <= 1) return;
    const std::uint32_t gen = generation_.load(std::memory_order_acquire);
    if (static_cast<int>(arrived_.fetch_add(1, std::memory_order_acq_rel)) + 1 == team_) {
      arrived_.store(0, std::memory_order_relaxed);
      generation_.fetch_add(1, std::memory_order_seq_cst);
      if (sleepers_.load(std::memory_order_seq_cst) > 0) wake_all();
      return;
    }
    using clock = std::chrono::steady_clock;
    const std::int64_t budget = budget_ns_.load(std::memory_order_relaxed);
    const auto start = clock::now();
    for (int i = 1;; ++i) {
      if (generation_.load(std::memory_order_acquire) != gen) {
        // Spinning was enough: keep a budget of four times the waits that
        // worked, shrinking slowly when they get shorter.
        const std::int64_t waited = (i < 16) ? 0 : since(start);
        budget_ns_.store(
            std::clamp(std::max(budget - budget / 16, 4 * waited), min_spin_ns, max_spin_ns),
            std::memory_order_relaxed);
        return;
      }
      pause();
      if (i % 16 == 0 && since(start) > budget) break;
    }
    budget_ns_.store(std::max(budget / 2, min_spin_ns), std::memory_order_relaxed);
    sleepers_.fetch_add(1, std::memory_order_seq_cst);
    while (generation_.load(std::memory_order_seq_cst) == gen)
      sleep_while(gen);
    sleepers_.fetch_sub(1, std::memory_order_relaxed);
    // A sleep that ended within the spin's upper bound was a wait the spin
    // could have caught: the thread waited for was running, only behind (an
    // uneven phase). On a quiet machine — no wait longer than the bound for
    // the last `calm_waits` sleeps — spin twice that long next time, so that
    // short epochs do not pay a wake-up (tens of microseconds on a virtual
    // machine) at every barrier. A longer wait (a thread not running: the
    // machine is shared) starts the count again and leaves the halved budget.
    const std::int64_t waited = since(start);
    if (waited >= max_spin_ns) {
      calm_.store(0, std::memory_order_relaxed);
    } else if (calm_.fetch_add(1, std::memory_order_relaxed) >= calm_waits) {
      budget_ns_.store(std::clamp(2 * waited, min_spin_ns, max_spin_ns), std::memory_order_relaxed);
    }
  }

 private:
  static std::int64_t since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() -
                                                                start)
        .count();
  }
  // Sleeps until the generation is no longer `gen` (or spuriously). On Linux a
  // futex: libstdc++'s std::atomic::wait first calls sched_yield a dozen
  // times, and on a loaded machine each call can give the core away for a
  // whole time slice (2 threads then took 0.8 s per simulated second of the
  // distal reward network where a plain futex took 0.03 s).
  void sleep_while(std::uint32_t gen) {
#if defined(__linux__)
    syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(&generation_), FUTEX_WAIT_PRIVATE, gen,
            nullptr, nullptr, 0);
#else
    generation_.wait(gen, std::memory_order_acquire);
#endif
  }
  void wake_all() {
#if defined(__linux__)
    syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(&generation_), FUTEX_WAKE_PRIVATE,
            INT32_MAX, nullptr, nullptr, 0);
#else
    generation_.notify_all();
#endif
  }
  static void pause() {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
  }

  int team_ = 1;
  alignas(64) std::atomic<std::uint32_t> arrived_{0};
  alignas(64) std::atomic<std::uint32_t> generation_{0};
  alignas(64) std::atomic<int> sleepers_{0};
  std::atomic<std::int64_t> budget_ns_{20'000};  // how long a waiter spins before it sleeps
  std::atomic<int> calm_{0};  // sleeps since the last one longer than max_spin_ns
};

}  // namespace bgsim::detail
