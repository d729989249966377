// Whole-network throughput: builds a network from a JSON description (one of
// networks/library/*.json), runs it, and prints one JSON line per repetition:
// wall time of the simulation loop alone (construction is timed separately),
// real-time factor (simulated / wall time), spikes and mean rate, synaptic
// events per second, bytes per synapse (synapses and their row index), peak
// resident memory of the process, threads, and the CPU time of the loop (all
// threads added up; on a loaded machine it moves less than wall time). This is
// what the figures in bench/README.md come from. With --phases, the line also
// holds the wall time of each phase of the step loop per thread
// (`phase_s`: Simulator::phase_times; "where the time goes").
//
//   bench_net_throughput networks/library/brunel2000.json --threads 2 --duration-ms 1000 --repeat 3

#include <CLI/CLI.hpp>
#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>

#include "bench/cpu_time.hpp"
#include "networks/builder.hpp"
#include "networks/loader.hpp"

using bgsim::bench::cpu_seconds;

int main(int argc, char** argv) {
  CLI::App app{"bgsim whole-network throughput"};
  std::string file;
  int threads = 1, repeat = 1;
  bool phases = false;
  double duration_ms = -1.0;
  app.add_option("FILE", file, "network description")->required()->check(CLI::ExistingFile);
  app.add_option("--threads", threads, "OpenMP threads")->check(CLI::Range(1, 1024));
  app.add_option("--duration-ms", duration_ms, "simulated time [ms] (default: the file's)");
  app.add_option("--repeat", repeat, "repetitions (each builds anew)")->check(CLI::Range(1, 100));
  app.add_flag("--phases", phases,
               "time the phases of the step loop (a few clock reads per population and step)");
  CLI11_PARSE(app, argc, argv);

  bgsim::networks::NetworkSpec spec;
  try {
    spec = bgsim::networks::read_network_file(file);
  } catch (const std::exception& e) {
    std::cerr << e.what();
    return 1;
  }
  if (duration_ms >= 0) spec.duration_ms = duration_ms;
  spec.recorders.clear();  // measure the simulation, not the recording

  using clock = std::chrono::steady_clock;
  for (int r = 0; r < repeat; ++r) {
    const auto t0 = clock::now();
    auto sim = bgsim::networks::build(spec, {.threads = threads});
    sim->run(0);  // lays out synapses per thread: part of construction
    sim->set_phase_timing(phases);
    const auto t1 = clock::now();
    const double cpu0 = cpu_seconds();
    sim->run(sim->resolution().duration_steps(spec.duration_ms));
    const double cpu_s = cpu_seconds() - cpu0;
    const auto t2 = clock::now();
    const double build_s = std::chrono::duration<double>(t1 - t0).count();
    const double run_s = std::chrono::duration<double>(t2 - t1).count();
    std::size_t synapse_bytes = 0;
    for (std::uint32_t j = 0; j < sim->num_projections(); ++j)
      synapse_bytes += sim->projection(j).bytes();
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const auto& c = sim->counters();
    nlohmann::json line{
        {"network", spec.populations.empty() ? file : std::filesystem::path(file).stem().string()},
        {"threads", threads},
        {"biological_s", spec.duration_ms / 1000.0},
        {"build_s", build_s},
        {"simulation_s", run_s},
        {"simulation_cpu_s", cpu_s},
        {"wall_per_biological_s", run_s / (spec.duration_ms / 1000.0)},
        {"real_time_factor", spec.duration_ms / 1000.0 / run_s},
        {"neurons", sim->num_neurons()},
        {"synapses", sim->num_synapses()},
        {"spikes", c.spikes},
        {"rate_Hz", c.spikes / (sim->num_neurons() * spec.duration_ms / 1000.0)},
        {"synaptic_events", c.synaptic_events},
        {"synaptic_events_per_s", c.synaptic_events / run_s},
        {"bytes_per_synapse",
         sim->num_synapses() ? double(synapse_bytes) / sim->num_synapses() : 0.0},
        {"peak_rss_MiB", usage.ru_maxrss / 1024.0}};
    if (phases) {
      nlohmann::json per_phase;
      const auto& times = sim->phase_times();
      const auto column = [&](const char* name, double bgsim::PhaseTimes::*member) {
        std::vector<double> v;
        for (const auto& t : times)
          v.push_back(t.*member);
        per_phase[name] = v;
      };
      column("events", &bgsim::PhaseTimes::events);
      column("devices", &bgsim::PhaseTimes::devices);
      column("update", &bgsim::PhaseTimes::update);
      column("clear", &bgsim::PhaseTimes::clear);
      column("merge", &bgsim::PhaseTimes::merge);
      column("begin_delivery", &bgsim::PhaseTimes::begin_delivery);
      column("delivery", &bgsim::PhaseTimes::delivery);
      column("end_delivery", &bgsim::PhaseTimes::end_delivery);
      column("barrier", &bgsim::PhaseTimes::barrier);
      line["phase_s"] = per_phase;
    }
    std::cout << line.dump() << std::endl;
  }
  return 0;
}
