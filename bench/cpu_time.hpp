#pragma once
// CPU time of the process for the whole-network drivers (bench/net_*.cpp).

#include <sys/resource.h>

namespace bgsim::bench {

// CPU time of the process (user + system, all threads) [s]: on a loaded
// machine it moves less than wall time, so the drivers report both.
inline double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_utime.tv_sec + u.ru_stime.tv_sec + 1e-6 * (u.ru_utime.tv_usec + u.ru_stime.tv_usec);
}

}  // namespace bgsim::bench
