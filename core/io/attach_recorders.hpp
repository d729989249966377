#pragma once
// Connects every recorder of a built simulation to a results folder's sink:
// spike and state recorders, weight recorders (once the simulation is
// prepared, when they know their synapses) and neuromodulator recorders. The
// simulation is prepared by this call (a run of zero steps). Over several
// ranks, call it on rank 0 after Simulator::share_recorders(): weight
// recorders' files then name every rank's synapses.

#include "core/io/results_folder.hpp"
#include "core/simulator.hpp"

namespace bgsim::io {

void attach_recorders(FileSink& sink, Simulator& sim);

}  // namespace bgsim::io
