"""Shared plumbing of the Brian2 peers of bgsim's library networks.

Each peer script (brunel2000.py, cuba.py, izhikevich2007.py) describes its
network in Brian2 and hands it to this module, which

* sets up Brian2's C++ standalone device on one thread (no OpenMP), so that
  the network runs as compiled C++ as Brian2's users run it for speed;
* wraps the network's run loop in two clocks written into the generated
  main(): wall time (CLOCK_MONOTONIC) and process CPU time, so that the time
  reported is the run loop alone -- code generation and compilation are timed
  separately (build_s), and so are the binary's set-up (creating synapses,
  reading static arrays) and the writing of its results;
* counts spikes with a SpikeMonitor that keeps counts only (record=False),
  as bgsim's bench_net_throughput counts spikes without recording them;
* prints one JSON line with the keys bench_net_throughput prints where they
  mean the same thing.

A project is built once (``build_project``) and its binary can then be run
many times (``run_project``): this is what bench/peers/compare.py does to run
bgsim and Brian2 alternately. Run with the Python that has Brian2
(Debian's python3-brian: /usr/bin/python3).
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np

META_FILE = "peer_meta.json"
TIMING_FILE = os.path.join("results", "peer_timing.txt")

# C++ put around the network's run() call in the generated main.cpp (which
# includes <time.h> and <fstream>). Wall and CPU time of the run loop alone.
_TIMER_START = """
struct timespec _peer_wall_start, _peer_cpu_start;
clock_gettime(CLOCK_MONOTONIC, &_peer_wall_start);
clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &_peer_cpu_start);
"""
_TIMER_STOP = """
{
    struct timespec _peer_wall_stop, _peer_cpu_stop;
    clock_gettime(CLOCK_MONOTONIC, &_peer_wall_stop);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &_peer_cpu_stop);
    const double _peer_wall = (_peer_wall_stop.tv_sec - _peer_wall_start.tv_sec)
        + 1e-9 * (_peer_wall_stop.tv_nsec - _peer_wall_start.tv_nsec);
    const double _peer_cpu = (_peer_cpu_stop.tv_sec - _peer_cpu_start.tv_sec)
        + 1e-9 * (_peer_cpu_stop.tv_nsec - _peer_cpu_start.tv_nsec);
    std::ofstream _peer_out("%s");
    _peer_out.precision(9);
    _peer_out << _peer_wall << " " << _peer_cpu << std::endl;
}
""" % TIMING_FILE


def argument_parser(description, default_duration_ms):
    """The command line every peer script shares (a script may add options)."""
    parser = argparse.ArgumentParser(
        description=description,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration-ms", type=float, default=default_duration_ms,
                        help="biological time to simulate [ms] (default %(default)s)")
    parser.add_argument("--seed", type=int, default=1,
                        help="seed of the connectivity, initial state and dynamics")
    parser.add_argument("--directory", default=None,
                        help="where to write the Brian2 project (default: a new "
                             "temporary folder, removed afterwards only if not given)")
    parser.add_argument("--no-run", action="store_true",
                        help="generate and compile the project, print the build line, "
                             "do not run it (compare.py runs it later)")
    return parser


def start_standalone(directory, dt_ms, seed):
    """Selects Brian2's C++ standalone device on one thread; returns brian2."""
    import warnings
    warnings.filterwarnings("ignore", category=FutureWarning)  # numpy vs pythran
    import brian2 as b2
    b2.set_device("cpp_standalone", directory=directory, build_on_run=False)
    b2.prefs.devices.cpp_standalone.openmp_threads = 0
    b2.prefs.devices.cpp_standalone.extra_make_args_unix = ["-j2"]  # a 2-core machine
    b2.prefs.logging.console_log_level = "WARNING"
    b2.defaultclock.dt = dt_ms * b2.ms
    b2.seed(seed)
    np.random.seed(seed)
    return b2


def build_project(args, network, neurons, monitor, synapses, objects, extra=None):
    """Adds the run, compiles the project and records what run_project needs.

    network  -- name, as in bgsim's library file
    neurons  -- number of neurons (for the mean rate)
    monitor  -- the SpikeMonitor(record=False) counting all neurons' spikes, or
                a list of them (one per group; their counts are added up)
    synapses -- list of Synapses objects, whose sizes are added up
    objects  -- every Brian2 object of the network (groups, synapses,
                inputs, monitors): the run is an explicit Network of them
    extra    -- optional dict of further Brian2 variables to report after a
                run, name -> (variable, dtype); each is summed.
    Returns the directory and the build line (a dict).
    """
    import brian2 as b2
    device = b2.get_device()
    directory = args.directory or tempfile.mkdtemp(prefix="bgsim_peer_%s_" % network)
    device.project_dir = directory
    device.insert_code("before_network_run", _TIMER_START)
    device.insert_code("after_network_run", _TIMER_STOP)
    b2.Network(*objects).run(args.duration_ms * b2.ms)
    start = time.perf_counter()
    device.build(directory=directory, compile=True, run=False, with_output=False)
    build_s = time.perf_counter() - start
    meta = {
        "network": network,
        "biological_s": args.duration_ms / 1000.0,
        "neurons": int(neurons),
        "count_files": [device.get_array_filename(m.variables["count"])
                        for m in (monitor if isinstance(monitor, list) else [monitor])],
        "synapse_files": [device.get_array_filename(s.variables["_synaptic_pre"])
                          for s in synapses],
        "extra": {name: [device.get_array_filename(var), np.dtype(dtype).str]
                  for name, (var, dtype) in (extra or {}).items()},
        "build_s": build_s,
        "brian2_version": b2.__version__,
    }
    with open(os.path.join(directory, META_FILE), "w") as out:
        json.dump(meta, out, indent=1)
    return directory, {"network": network, "simulator": "brian2",
                       "build_s": build_s, "directory": directory}


def _load(directory, name, dtype):
    return np.fromfile(os.path.join(directory, name), dtype=dtype)


def run_project(directory):
    """Runs a built project's binary once; returns its line (a dict).

    simulation_s is the wall time of the run loop alone, simulation_cpu_s its
    CPU time; spikes and synapses are read from the files the binary writes.
    """
    with open(os.path.join(directory, META_FILE)) as f:
        meta = json.load(f)
    result = subprocess.run(["./main"], cwd=directory, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    if result.returncode != 0:
        raise RuntimeError("Brian2 binary in %s failed:\n%s" % (directory, result.stdout))
    with open(os.path.join(directory, TIMING_FILE)) as f:
        wall_s, cpu_s = (float(x) for x in f.read().split())
    spikes = sum(int(_load(directory, name, np.int32).sum()) for name in meta["count_files"])
    synapses = sum(os.path.getsize(os.path.join(directory, name)) // 4
                   for name in meta["synapse_files"])
    bio_s = meta["biological_s"]
    line = {
        "network": meta["network"],
        "simulator": "brian2",
        "brian2_version": meta["brian2_version"],
        "threads": 1,
        "biological_s": bio_s,
        "build_s": meta["build_s"],
        "simulation_s": wall_s,
        "simulation_cpu_s": cpu_s,
        "wall_per_biological_s": wall_s / bio_s,
        "real_time_factor": bio_s / wall_s,
        "neurons": meta["neurons"],
        "synapses": synapses,
        "spikes": spikes,
        "rate_Hz": spikes / (meta["neurons"] * bio_s),
    }
    for name, (filename, dtype) in meta["extra"].items():
        line[name] = _load(directory, filename, np.dtype(dtype)).sum().item()
    return line


def finish(args, directory, build_line):
    """Prints the build line (--no-run) or runs once and prints the run line.

    A project in a temporary folder of our own is removed after its run.
    """
    if args.no_run:
        print(json.dumps(build_line))
        return
    try:
        print(json.dumps(run_project(directory)))
        sys.stdout.flush()
    finally:
        if args.directory is None:
            shutil.rmtree(directory, ignore_errors=True)
