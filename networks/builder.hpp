#pragma once
// Builds a runnable simulation from a read description: populations with their
// initial state, projections with drawn weights and delays, stimuli and
// recorders. Everything random is drawn from counter-based streams keyed by
// the description's seed and the identity of what is drawn (population gid and
// state variable; projection and synapse index), so the network is the same
// for every thread count.

#include <memory>

#include "core/simulator.hpp"
#include "networks/description.hpp"

namespace bgsim::networks {

struct BuildOptions {
  int threads = 1;
  std::size_t recorder_capacity = 1 << 16;  // spikes or sample rows buffered before a flush
  // The ranks of a run over several processes (docs/mpi.md): each rank then
  // builds only the synapses onto the neurons it owns. nullptr: one rank.
  Communicator* communicator = nullptr;
};

// The spec must have been read without errors. Throws std::runtime_error
// for what only building can reveal (a redraw window that never hits).
std::unique_ptr<Simulator> build(const NetworkSpec& spec, const BuildOptions& options = {});

// The synapses of projection `name` of a network built from `spec`, as a
// "connections" recorder writes them: Projection::connections() (a plastic
// synapse's weight advanced to the end of the last epoch, in the canonical
// order once the simulation is prepared), each weight rounded to the
// precision the projection stores (float32, unless a plastic synapse's
// "precision" is "double"), so that "rule": "explicit" gives back exactly
// these weights. Throws std::out_of_range for an unknown name.
ConnectionList saved_connections(const Simulator& sim, const NetworkSpec& spec,
                                 const std::string& name);

// The same over the ranks of a run spread over processes (docs/mpi.md): each
// rank holds the synapses onto its own neurons, and rank 0 receives every
// rank's, in the one-process order (the others get an empty list). One
// collective (MPI_Gather(v)) that every rank makes; without `ranks`, exactly
// saved_connections().
ConnectionList gather_saved_connections(const Simulator& sim, const NetworkSpec& spec,
                                        const std::string& name, Communicator* ranks);

}  // namespace bgsim::networks
