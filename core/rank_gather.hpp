#pragma once
// The rows of state and weight recorders over several ranks (docs/mpi.md):
// each rank samples only its own columns (the neurons it owns, the synapses
// it holds), and rank 0 writes the one file, in the column order of one
// process.
//
// The recorders hand their rows to this sink as they do to any (when their
// buffer fills, or on a flush); it keeps each rank's own columns, and
// gather() sends them to rank 0 in one collective per recorder (MPI_Gather
// of the sizes, then MPI_Gatherv of the values), where each rank's columns
// are put in their places in the whole row and the rows handed to the
// results' sink. gather() is a collective: every rank calls it at the same
// points (Simulator::flush_recorders, at the end of an epoch the ranks agree
// on in the spike exchange, and at the end of a run), and it makes every one
// of its collectives even when writing fails on rank 0, so that no rank is
// left waiting.

#include <cstddef>
#include <cstdint>
#include <exception>
#include <string>
#include <utility>
#include <vector>

#include "core/communicator.hpp"
#include "core/recorder.hpp"

namespace bgsim {

class RankGather final : public RecordSink {
 public:
  // One recorder's columns: where this rank's values are in the recorder's
  // own rows, and where every rank's go in the whole row (rank 0 only).
  struct Columns {
    std::string recorder;
    std::vector<std::size_t> mine;                    // indices into the recorder's rows
    std::vector<std::vector<std::size_t>> placement;  // per rank: its columns in the whole row
    std::size_t width = 0;                            // of the whole row
  };

  // A state recorder over neurons `neurons` (its columns, local indices) of a
  // population of `population_size`: rank r sends the columns whose neuron
  // it owns (RankBlock).
  static Columns state_columns(const std::string& recorder,
                               const std::vector<std::uint32_t>& neurons,
                               std::size_t population_size, int rank, int ranks);
  // A weight recorder: this rank's columns (source, target) in canonical
  // order; every rank's are gathered to rank 0 (one collective) and sorted
  // stably by (source, target), which is the one-process order (ranks hold
  // ascending blocks of targets, a pair's multapses all on one rank, in
  // connection order). `whole` receives that list on rank 0 (empty on the
  // others).
  static Columns synapse_columns(const std::string& recorder,
                                 const std::vector<std::pair<std::uint32_t, std::uint32_t>>& mine,
                                 Communicator& ranks,
                                 std::vector<std::pair<std::uint32_t, std::uint32_t>>& whole);

  RankGather(Communicator& ranks, std::vector<Columns> recorders);

  // Rank 0: the sink of the results (the other ranks: nullptr).
  void set_downstream(RecordSink* sink) { downstream_ = sink; }

  void spikes(const std::string& recorder, std::span<const SpikeEvent> spikes) override;
  // Keeps this rank's columns of the rows (no collective).
  void samples(const std::string& recorder, std::span<const Step> steps,
               std::span<const double> values, std::size_t width) override;

  // True when the rows kept here have grown past their bound: this rank asks
  // the others for a gather (in the next spike exchange).
  bool wants_gather() const;
  // Every recorder's rows to rank 0 and on to its sink (a collective, one
  // per recorder); rethrows, after the last collective, what writing threw.
  void gather();

 private:
  struct Pending {
    std::vector<Step> steps;
    std::vector<double> values;  // rows of this rank's columns
  };
  void gather_one(std::size_t i);

  Communicator& ranks_;
  std::vector<Columns> recorders_;
  std::vector<Pending> pending_;
  RecordSink* downstream_ = nullptr;
  std::vector<std::byte> all_;
  std::vector<std::size_t> counts_;
  std::vector<double> whole_;
};

}  // namespace bgsim
