#pragma once
// The second pass of a neuron update: find the few neurons marked in the first
// (a threshold crossing) and act on them in index order.
//
// Spikes are rare (a neuron at 5 Hz with dt = 0.1 ms crosses once in 2000
// steps), so a plain loop with a branch per neuron costs more than the work it
// finds. Here blocks of 64 neurons are first tested with a branch-free
// reduction that vectorises; only blocks holding a mark are scanned one by
// one.

#include <cstddef>

namespace bgsim {

// Calls act(i) for every i in [begin, end) with marked(i), in index order.
// `marked` must be cheap and free of side effects (it is evaluated twice for
// the neurons of a block that holds a mark).
template <class Marked, class Act>
inline void for_each_marked(std::size_t begin, std::size_t end, Marked marked, Act act) {
  constexpr std::size_t block = 64;
  std::size_t i = begin;
  for (; i + block <= end; i += block) {
    int any = 0;
    for (std::size_t j = i; j < i + block; ++j)
      any |= static_cast<int>(marked(j));
    if (!any) continue;
    for (std::size_t j = i; j < i + block; ++j)
      if (marked(j)) act(j);
  }
  for (; i < end; ++i)
    if (marked(i)) act(i);
}

}  // namespace bgsim
