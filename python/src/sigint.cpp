#include "python/src/sigint.hpp"

namespace bgsim::python {

namespace {

// One flag for the process: only the main thread takes SIGINT over, and it
// runs one network at a time.
std::atomic<bool> sigint_received{false};

extern "C" void on_sigint(int) {
  sigint_received.store(true);
}

}  // namespace

SigintStops::SigintStops(bool take) {
  sigint_received.store(false);
  if (!take) return;
  struct sigaction action {};
  action.sa_handler = on_sigint;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  took_ = taken_ = sigaction(SIGINT, &action, &previous_) == 0;
}

const std::atomic<bool>* SigintStops::flag() const {
  return took_ ? &sigint_received : nullptr;
}

void SigintStops::restore() {
  if (!taken_) return;
  sigaction(SIGINT, &previous_, nullptr);
  taken_ = false;
}

bool SigintStops::received() const {
  return took_ && sigint_received.load();
}

}  // namespace bgsim::python
