#pragma once
// Spikes in SONATA's HDF5 spike format (the file format of the SONATA data
// format, Dai et al. 2020, PLoS Comput Biol 16: e1007696; read by libsonata,
// bmtk, NEST, NEURON and h5py):
//
//   /                          attributes magic = 0x0A7A (uint32), version = [0, 1]
//   /spikes/<population>       group, attribute sorting: enum {none, by_id, by_time}
//                              (uint8; 2 = by_time)
//   /spikes/<population>/timestamps   float64 [spikes], attribute units = "ms"
//   /spikes/<population>/node_ids     uint64 [spikes]: the neuron's index in its
//                                     population (SONATA node ids count from 0
//                                     in each population, as bgsim's local indices do)
//
// The file is made from a run's spike `.npy` files (records time_ms <f8,
// neuron <u4) once they are final: they are streamed during the run and
// survive a kill and a resume, so the HDF5 file needs no checkpointing of its
// own. Reading goes in blocks of rows (bounded memory whatever the run's
// length) and the file is written under a temporary name and renamed, as every
// results file is. The rows keep the .npy's order, which is the kernel's
// spike order: by time stamp, and by neuron within a step (`by_time`).
//
// HDF5 is optional: without Debian's libhdf5-dev at configure time,
// sonata_supported() is false and write_sonata_spikes() throws saying so.

#include <filesystem>
#include <string>
#include <vector>

namespace bgsim::io {

// Whether this build can write SONATA files (HDF5 was found).
bool sonata_supported();
// The sentence that says why not, for error messages.
std::string sonata_unsupported_reason();

struct SonataSpikeSource {
  std::string population;            // the group's name under /spikes
  std::filesystem::path spikes_npy;  // records (time_ms <f8, neuron <u4), in time order
};

// Writes `file` (atomically) with one group per source. Throws naming the
// file on any HDF5 or reading error, and std::runtime_error when HDF5 is
// absent. Populations must be distinct.
void write_sonata_spikes(const std::filesystem::path& file,
                         const std::vector<SonataSpikeSource>& sources);

}  // namespace bgsim::io
