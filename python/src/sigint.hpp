#pragma once
// Ctrl-C during a run from Python. Python's own SIGINT handler only sets a
// flag that the interpreter reads between bytecodes — never, while the kernel
// runs without the GIL. So for the length of a run this takes SIGINT over
// (as `bgsim run` does, tools/cli/run_command.cpp): the handler sets the
// simulator's stop flag, the run ends at the next epoch boundary, and once
// Python's handler is back the interrupt is handed to it as if it had come
// then (PyErr_SetInterrupt): the default handler raises KeyboardInterrupt,
// a handler of the user's own does what it does. The network stays usable:
// the next run goes on from where this one stopped.

#include <atomic>
#include <csignal>

namespace bgsim::python {

class SigintStops {
 public:
  // `take`: take SIGINT over (the main thread, with a Python handler in
  // place); otherwise the flag is never set and nothing is touched.
  explicit SigintStops(bool take);
  ~SigintStops() { restore(); }
  SigintStops(const SigintStops&) = delete;
  SigintStops& operator=(const SigintStops&) = delete;

  // The flag for Simulator::set_stop_flag.
  const std::atomic<bool>* flag() const;
  // Gives SIGINT back to the handler that had it (idempotent).
  void restore();
  // Whether a SIGINT came while it was taken.
  bool received() const;

 private:
  bool took_ = false;   // SIGINT was taken over
  bool taken_ = false;  // and is not given back yet
  struct sigaction previous_ {};
};

}  // namespace bgsim::python
