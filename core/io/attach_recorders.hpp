#pragma once
// Connects every recorder of a built simulation to a results folder's sink:
// spike and state recorders, weight recorders (once the simulation is
// prepared, when they know their synapses) and neuromodulator recorders. The
// simulation is prepared by this call (a run of zero steps).

#include "core/io/results_folder.hpp"
#include "core/simulator.hpp"

namespace bgsim::io {

void attach_recorders(FileSink& sink, Simulator& sim);

}  // namespace bgsim::io
