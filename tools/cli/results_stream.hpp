#pragma once
// Keeps a running network's results folder readable on disk, so that a run
// killed outright (SIGKILL, a crash, a node that goes down) loses only the
// last few seconds.
//
// At an epoch boundary, at least `every_s` seconds of wall time after the
// last time (and on flush_now()), in this order:
//   1. the recorders hand every buffered spike and sample to the sink
//      (Simulator::flush_recorders): the files then hold the run up to now;
//   2. every .npy file becomes a valid array of all its rows (FileSink::sync:
//      rows first, then the header's shape);
//   3. the "running" manifest is rewritten (atomically) with the results
//      section, which names each file's temporary name ("partial_files") and
//      the time up to which they are complete ("time_flushed_ms").
// A reader therefore never finds a manifest promising more than the files
// hold. Memory stays bounded whatever the flush interval: recorders hand
// their buffers over whenever they fill (core/recorder.hpp).
//
// The cost: a clock reading per epoch, and per flush a few small writes and
// one atomic manifest (an fsync): nothing measurable at 5 s
// (bench/README.md, "Streaming results").
//
// Over several ranks (docs/mpi.md) flushing the recorders is a collective
// (state and weight recorders' columns are gathered to rank 0), so rank 0,
// which keeps this stream, does not flush alone: when a flush is due it asks
// for one (Simulator::request_flush), every rank flushes at the end of the
// next epoch, and steps 2 and 3 follow at that epoch's end.

#include <chrono>

#include <nlohmann/json.hpp>

#include "core/io/results_folder.hpp"
#include "core/simulator.hpp"

namespace bgsim::cli {

class ResultsStream {
 public:
  // `manifest` is the run's manifest so far (status "running"); it is kept
  // by reference and its "results" entry replaced at every flush.
  ResultsStream(Simulator& sim, io::FileSink& sink, const io::ResultsFolder& folder,
                nlohmann::json& manifest, double every_s)
      : sim_(sim),
        sink_(sink),
        folder_(folder),
        manifest_(manifest),
        every_(std::chrono::duration_cast<std::chrono::steady_clock::duration>(
            std::chrono::duration<double>(every_s))),
        last_(std::chrono::steady_clock::now()) {}

  // At an epoch boundary (Simulator::set_progress): flushes when it is due.
  void operator()() {
    const auto now = std::chrono::steady_clock::now();
    if (sim_.ranks() > 1) {
      if (requested_ && sim_.last_flush() == sim_.now()) {
        requested_ = false;
        sink_.sync(sim_.now());
        write_manifest();
      }
      if (requested_ || now - last_ < every_) return;
      last_ = now;
      requested_ = true;
      sim_.request_flush();
      return;
    }
    if (now - last_ < every_) return;
    last_ = now;
    flush_now();
  }

  void flush_now() {
    flush_files();
    write_manifest();
  }
  // Steps 1 and 2 alone: the files hold the run up to now (a checkpoint
  // counts their rows then, before the manifest names it). Over several
  // ranks, only before the run, when the recorders hold nothing yet (a flush
  // of the recorders is a collective there: see above).
  void flush_files() {
    if (sim_.ranks() == 1) sim_.flush_recorders();
    sink_.sync(sim_.now());
  }
  void write_manifest() {
    manifest_["results"] = sink_.manifest_section();
    folder_.write_manifest(manifest_);
  }

 private:
  Simulator& sim_;
  io::FileSink& sink_;
  const io::ResultsFolder& folder_;
  nlohmann::json& manifest_;
  std::chrono::steady_clock::duration every_;
  std::chrono::steady_clock::time_point last_;
  bool requested_ = false;  // over ranks: a flush asked for and not yet made
};

}  // namespace bgsim::cli
