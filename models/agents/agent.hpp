#pragma once
// A reference agent is a pure learner: a state or a feature vector and a reward
// in; value, prediction error δ and action preferences out. It knows no task
// (tasks/ adapts tasks to agents). Every agent exposes, per time step, the
// value it predicted and the δ it computed: the signal bgsim compares with the
// dopamine of a spiking circuit.

#include <string>

namespace bgsim::agents {

// What an agent reports for one learning step.
struct StepSignal {
  double value = 0.0;  // V(s) (or Q(s, a)) before the update
  double delta = 0.0;  // prediction error δ of the step
};

}  // namespace bgsim::agents
