#include "core/io/attach_recorders.hpp"

namespace bgsim::io {

void attach_recorders(FileSink& sink, Simulator& sim) {
  for (std::uint32_t i = 0; i < sim.num_spike_recorders(); ++i)
    sink.add_spike_recorder(sim.spike_recorder(i),
                            sim.population(sim.spike_recorder(i).population()));
  for (std::uint32_t i = 0; i < sim.num_state_recorders(); ++i)
    sink.add_state_recorder(sim.state_recorder(i),
                            sim.population(sim.state_recorder(i).population()));
  sim.run(0);  // prepares the simulation: weight recorders know their synapses then
  for (std::uint32_t i = 0; i < sim.num_synapse_recorders(); ++i) {
    const SynapseRecorder& rec = sim.synapse_recorder(i);
    const Projection& proj = sim.projection(rec.projection());
    sink.add_synapse_recorder(rec, proj, sim.population(proj.target()), sim.recorded_synapses(i));
  }
  for (std::uint32_t i = 0; i < sim.num_neuromodulator_recorders(); ++i) {
    const NeuromodulatorRecorder& rec = sim.neuromodulator_recorder(i);
    sink.add_neuromodulator_recording({.recorder = rec.name(),
                                       .neuromodulator = sim.volume(rec.volume()).name(),
                                       .interval_ms = sim.resolution().stamp_ms(rec.interval())});
  }
  sim.set_sink(&sink);
}

}  // namespace bgsim::io
