"""bgsim and Brian2 side by side on the same networks, run alternately.

For each benchmark the Brian2 peer (bench/peers/<network>.py) is generated and
compiled once (compilation is not timed against the run), then bgsim's
bench_net_throughput and the compiled Brian2 binary run alternately,
A B A B ..., --pairs times, each on one thread. Printed per benchmark: the
median wall time per biological second of each simulator, the ratio
Brian2 / bgsim of each pair and its median, the same for CPU time (steadier
on a loaded machine), and the two firing rates with whether they agree
within 10 %. For brunel2000 each round also runs bgsim on 2 threads: the
scaling line compares it with the 1-thread run and checks that the spikes
are identical.

The closed loop (bandit_closed_loop-*: the spiking actor-critic of
networks/library/bandit_actor_critic.json playing the reversal bandit of
tasks/experiments/bandit_reversal_spiking.json) is timed the same way, pair
by pair, with bgsim's bench_net_closed_loop against
bench/peers/bandit_closed_loop.py, which runs in Brian2's runtime mode
(Cython): a task stepped from Python cannot run in its standalone mode. Its
"build" is the peer's warm-up (code generation and compilation, not timed).
Instead of firing rates it compares what the loop is for, the learning
outcome: the fraction of trials on which each simulator chose the better arm
in the last 100 trials of each block (trials 400-500 and 900-1000 of the
1000-trial session; of a shorter session, of each block it reaches); they
agree when each fraction differs by at most 0.15 (absolute). One seed each
and different random streams (the two play different outcome sequences):
a 100-trial fraction near 0.85 has a binomial standard deviation of about
0.036 per side, so 0.15 is about three standard deviations of the
difference, while chance (0.5) lies 0.35 below a learned 0.85.

    /usr/bin/python3 bench/peers/compare.py                       # everything
    /usr/bin/python3 bench/peers/compare.py --benchmarks cuba-1s cuba-10s
    /usr/bin/python3 bench/peers/compare.py --quick --check-rates  # the CI self-test
    /usr/bin/python3 bench/peers/compare.py --benchmarks bandit_closed_loop-1000

Needs a build of bgsim (--bgsim-build, default build/release: the build the
README makes, compiled for this processor, with bench_net_throughput and
bench_net_closed_loop) and Brian2 in
the Python that runs this (Debian's python3-brian: /usr/bin/python3).
Writes the whole record (every run's line, the medians, machine load) as
JSON to --out (default results/bench/peers.json), with the processor's
model and vector extensions and the bgsim build's flags.
"""

import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import peerlib  # noqa: E402

RATE_TOLERANCE = 0.10

# name -> (library file, peer script and its options, duration [ms],
#          bgsim thread-scaling line)
IZHIKEVICH = "izhikevich2007_distal_reward.json"
BENCHMARKS = {
    "izhikevich2007-10s": (IZHIKEVICH, ["izhikevich2007.py"], 10000, False),
    "izhikevich2007-60s": (IZHIKEVICH, ["izhikevich2007.py"], 60000, False),
    # The same with Brian2's plasticity advanced every 10 ms (the published
    # code's scheme, cheaper for Brian2; bgsim runs its usual exact rule).
    "izhikevich2007-60s-plasticity10ms":
        (IZHIKEVICH, ["izhikevich2007.py", "--plasticity-dt-ms", "10"], 60000, False),
    "cuba-1s": ("cuba.json", ["cuba.py"], 1000, False),
    "cuba-10s": ("cuba.json", ["cuba.py"], 10000, False),
    "brunel2000-1s": ("brunel2000.json", ["brunel2000.py"], 1000, True),
    "bg_selection-1s": ("bg_selection.json", ["bg_selection.py"], 1000, True),
}
# name -> (closed_loop experiment file, trials): the spiking learner in its
# loop (bench_net_closed_loop against bench/peers/bandit_closed_loop.py).
BANDIT = "tasks/experiments/bandit_reversal_spiking.json"
CLOSED_LOOP = {
    "bandit_closed_loop-1000": (BANDIT, 1000),
    # The first 200 trials (no reversal yet): a short run of the same loop.
    "bandit_closed_loop-200": (BANDIT, 200),
}
OUTCOME_TOLERANCE = 0.15  # absolute, on each better-arm fraction (see above)
QUICK = ["cuba-1s"]


def processor():
    """The processor's model name and its vector extensions (from /proc/cpuinfo
    on Linux; platform.processor() there is often empty)."""
    model, flags = platform.processor(), []
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                key, _, value = line.partition(":")
                if key.strip() == "model name" and not model:
                    model = value.strip()
                elif key.strip() == "flags" and not flags:
                    flags = [x for x in ("avx2", "fma", "avx512f", "avx512dq", "avx512vl")
                             if x in value.split()]
    except OSError:
        pass
    return {"processor": model, "vector_extensions": flags}


def build_flags(build_dir):
    """What the bgsim build was compiled for, from its CMakeCache.txt: whether
    it is tuned for this processor (BGSIM_NATIVE, the `release` preset) or
    portable, and its build type."""
    flags = {"dir": os.path.relpath(os.path.abspath(build_dir), REPO)}
    try:
        with open(os.path.join(build_dir, "CMakeCache.txt")) as f:
            for line in f:
                key, _, value = line.strip().partition("=")
                name = key.split(":")[0]
                if name == "BGSIM_NATIVE":
                    flags["native"] = value.upper() in ("ON", "1", "TRUE", "YES")
                elif name == "CMAKE_BUILD_TYPE":
                    flags["build_type"] = value
    except OSError:
        pass
    return flags


def parse_args():
    """The command line."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--benchmarks", nargs="+", choices=sorted(BENCHMARKS) + sorted(CLOSED_LOOP),
                        default=list(BENCHMARKS) + ["bandit_closed_loop-1000"],
                        help="which to run (default: all but bandit_closed_loop-200)")
    parser.add_argument("--quick", action="store_true",
                        help="only the smallest case (%s), for testing" % ", ".join(QUICK))
    parser.add_argument("--pairs", type=int, default=3,
                        help="bgsim/Brian2 pairs per benchmark, at least 3 (default 3)")
    parser.add_argument("--bgsim-build", default=os.path.join(REPO, "build", "release"),
                        help="bgsim build folder holding bench/bench_net_throughput and "
                             "bench/bench_net_closed_loop (default: build/release)")
    parser.add_argument("--no-scaling", action="store_true",
                        help="skip the 2-thread bgsim runs of brunel2000")
    parser.add_argument("--work-dir", default=None,
                        help="where the Brian2 projects are built (default: a temporary "
                             "folder, removed at the end)")
    parser.add_argument("--out", default=os.path.join(REPO, "results", "bench", "peers.json"),
                        help="JSON record (default: results/bench/peers.json)")
    parser.add_argument("--check-rates", action="store_true",
                        help="exit with status 1 if any pair of rates differs by more "
                             "than 10 %% (or the 2-thread spikes differ, or a closed "
                             "loop's learning outcomes differ by more than "
                             + repr(OUTCOME_TOLERANCE) + ")")
    args = parser.parse_args()
    if args.pairs < 3:
        parser.error("--pairs must be at least 3")
    if args.quick:
        args.benchmarks = QUICK
        args.no_scaling = True
    return args


def load():
    """The 1, 5 and 15 minute load averages of the machine."""
    return list(os.getloadavg())


def build_brian2(peer, duration_ms, directory):
    """Generates and compiles a peer's project; returns its build line.

    peer -- the script's name and its further options
    """
    command = [sys.executable, os.path.join(HERE, peer[0])] + peer[1:] + [
        "--duration-ms", str(duration_ms), "--directory", directory, "--no-run"]
    result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if result.returncode != 0:
        raise RuntimeError("building the Brian2 peer failed: %s\n%s"
                           % (" ".join(command), result.stderr[-4000:]))
    return json.loads(result.stdout.strip().splitlines()[-1])


def run_bgsim(build_dir, network_file, duration_ms, threads):
    """One run of bench_net_throughput; returns its JSON line."""
    program = os.path.join(build_dir, "bench", "bench_net_throughput")
    command = [program, os.path.join(REPO, "networks", "library", network_file),
               "--duration-ms", str(duration_ms), "--threads", str(threads)]
    result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if result.returncode != 0:
        raise RuntimeError("bgsim failed: %s\n%s" % (" ".join(command), result.stderr))
    line = json.loads(result.stdout.strip().splitlines()[-1])
    line["simulator"] = "bgsim"
    return line


def rates_agree(rate_bgsim, rate_brian2):
    """Relative difference of the rates, and whether it is within tolerance."""
    difference = abs(rate_brian2 - rate_bgsim) / rate_bgsim if rate_bgsim > 0 else float("inf")
    return difference, difference <= RATE_TOLERANCE


def median_of(runs, side, key):
    return statistics.median(run[side][key] for run in runs)


def timing(runs):
    """What every benchmark reports of its pairs: the two simulators' median
    wall and CPU time per biological second and Brian2 / bgsim per pair."""
    wall_ratios = [run["brian2"]["wall_per_biological_s"] / run["bgsim"]["wall_per_biological_s"]
                   for run in runs]
    cpu_ratios = [run["brian2"]["simulation_cpu_s"] / run["bgsim"]["simulation_cpu_s"]
                  for run in runs]
    summary = {}
    for side in ("bgsim", "brian2"):
        summary[side + "_wall_per_biological_s"] = median_of(runs, side, "wall_per_biological_s")
    summary["ratio_per_pair"] = wall_ratios
    summary["ratio_median"] = statistics.median(wall_ratios)
    for side in ("bgsim", "brian2"):
        summary[side + "_cpu_per_biological_s"] = (median_of(runs, side, "simulation_cpu_s") /
                                                   runs[0][side]["biological_s"])
    summary["cpu_ratio_per_pair"] = cpu_ratios
    summary["cpu_ratio_median"] = statistics.median(cpu_ratios)
    return summary


def summarise(runs, scaling):
    """Medians, ratios per pair and the rate check of one benchmark."""
    def median(side, key):
        return median_of(runs, side, key)

    rate_bgsim, rate_brian2 = median("bgsim", "rate_Hz"), median("brian2", "rate_Hz")
    difference, agree = rates_agree(rate_bgsim, rate_brian2)
    summary = {
        **timing(runs),
        "bgsim_rate_Hz": rate_bgsim,
        "brian2_rate_Hz": rate_brian2,
        "rate_difference": difference,
        "rates_agree": agree,
        "bgsim_synapses": runs[0]["bgsim"]["synapses"],
        "brian2_synapses": runs[0]["brian2"]["synapses"],
    }
    if scaling:
        speedups = [run["bgsim"]["wall_per_biological_s"] / run["bgsim_2_threads"]["wall_per_biological_s"]
                    for run in runs]
        summary["scaling"] = {
            "wall_1_thread_per_biological_s": summary["bgsim_wall_per_biological_s"],
            "wall_2_threads_per_biological_s": median("bgsim_2_threads", "wall_per_biological_s"),
            "speedup_per_round": speedups,
            "speedup_median": statistics.median(speedups),
            "spikes_identical": all(run["bgsim"]["spikes"] == run["bgsim_2_threads"]["spikes"]
                                    for run in runs),
        }
    return summary


def run_benchmark(name, args, work_dir):
    """Builds the peer once, then runs the pairs; returns the benchmark's record."""
    network_file, peer, duration_ms, scaling = BENCHMARKS[name]
    scaling = scaling and not args.no_scaling
    project = os.path.join(work_dir, name)
    print("%s: building the Brian2 project ..." % name, file=sys.stderr, flush=True)
    build = build_brian2(peer, duration_ms, project)
    record = {"benchmark": name, "network_file": "networks/library/" + network_file,
              "peer": " ".join(["bench/peers/" + peer[0]] + peer[1:]), "duration_ms": duration_ms,
              "brian2_build_s": build["build_s"], "load_before": load(), "runs": []}
    for k in range(args.pairs):
        print("%s: pair %d of %d ..." % (name, k + 1, args.pairs), file=sys.stderr, flush=True)
        run = {"pair": k + 1, "load": load()}
        run["bgsim"] = run_bgsim(args.bgsim_build, network_file, duration_ms, threads=1)
        run["brian2"] = peerlib.run_project(project)
        if scaling:
            run["bgsim_2_threads"] = run_bgsim(args.bgsim_build, network_file, duration_ms,
                                               threads=2)
        record["runs"].append(run)
    record["load_after"] = load()
    record["summary"] = summarise(record["runs"], scaling)
    shutil.rmtree(project, ignore_errors=True)
    return record


def outcome_windows(trials, per_block=500):
    """The last 100 trials of each block of the session, [first, end)."""
    return [(min(b + per_block, trials) - 100, min(b + per_block, trials))
            for b in range(0, trials, per_block) if min(b + per_block, trials) >= 100]


def run_bgsim_closed_loop(build_dir, experiment, trials):
    """One session of bench_net_closed_loop on one thread; returns its JSON
    line with the keys the comparison reads."""
    program = os.path.join(build_dir, "bench", "bench_net_closed_loop")
    command = [program, os.path.join(REPO, experiment), "--trials", str(trials),
               "--threads", "1", "--seed", "1"]
    result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if result.returncode != 0:
        raise RuntimeError("bgsim failed: %s\n%s" % (" ".join(command), result.stderr))
    line = json.loads(result.stdout.strip().splitlines()[0])
    line["simulator"] = "bgsim"
    line["biological_s"] = line["real_time_factor"] * line["wall_s"]
    line["simulation_s"], line["simulation_cpu_s"] = line["wall_s"], line["cpu_s"]
    line["wall_per_biological_s"] = line["wall_s"] / line["biological_s"]
    return line


def run_brian2_closed_loop(experiment, trials):
    """One session of the Brian2 peer; returns its JSON line."""
    command = [sys.executable, os.path.join(HERE, "bandit_closed_loop.py"),
               "--experiment", os.path.join(REPO, experiment), "--trials", str(trials),
               "--seed", "1"]
    result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if result.returncode != 0:
        raise RuntimeError("the Brian2 peer failed: %s\n%s"
                           % (" ".join(command), result.stderr[-4000:]))
    line = json.loads(result.stdout.strip().splitlines()[-1])
    line["best_action_per_100_trials"] = line.pop("better_arm_per_100")
    return line


def run_closed_loop(name, args):
    """The pairs of one closed-loop benchmark; returns its record."""
    experiment, trials = CLOSED_LOOP[name]
    record = {"benchmark": name, "experiment": experiment, "trials": trials,
              "peer": "bench/peers/bandit_closed_loop.py", "load_before": load(), "runs": []}
    for k in range(args.pairs):
        print("%s: pair %d of %d ..." % (name, k + 1, args.pairs), file=sys.stderr, flush=True)
        run = {"pair": k + 1, "load": load()}
        run["bgsim"] = run_bgsim_closed_loop(args.bgsim_build, experiment, trials)
        run["brian2"] = run_brian2_closed_loop(experiment, trials)
        record["runs"].append(run)
    record["load_after"] = load()
    record["brian2_build_s"] = record["runs"][0]["brian2"]["build_s"]
    runs = record["runs"]

    def median(side, key):
        return median_of(runs, side, key)

    windows = outcome_windows(trials)
    outcome = {}
    for side in ("bgsim", "brian2"):
        per_100 = runs[0][side]["best_action_per_100_trials"]
        outcome[side] = [per_100[end // 100 - 1] for _, end in windows]
    differences = [abs(a - b) for a, b in zip(outcome["bgsim"], outcome["brian2"])]
    record["summary"] = {
        **timing(runs),
        "bgsim_trials_per_s": median("bgsim", "trials_per_s"),
        "brian2_trials_per_s": median("brian2", "trials_per_s"),
        "outcome_windows": windows,
        "bgsim_better_arm": outcome["bgsim"],
        "brian2_better_arm": outcome["brian2"],
        # Not a criterion: the decision window's mean spike counts of the
        # winning and the losing action population (a check of the dynamics).
        "bgsim_window_spikes": [runs[0]["bgsim"].get("window_spikes_most"),
                                runs[0]["bgsim"].get("window_spikes_fewest")],
        "brian2_window_spikes": [runs[0]["brian2"].get("window_spikes_most"),
                                 runs[0]["brian2"].get("window_spikes_fewest")],
        "bgsim_rate_Hz": runs[0]["bgsim"]["spikes"] / (runs[0]["bgsim"]["neurons"]
                                                      * runs[0]["bgsim"]["biological_s"]),
        "brian2_rate_Hz": runs[0]["brian2"]["rate_Hz"],
        "bgsim_reward_per_trial": runs[0]["bgsim"]["reward_per_trial"],
        "brian2_reward_per_trial": runs[0]["brian2"]["rewarded_fraction"],
        "outcome_difference": max(differences),
        "outcome_tolerance": OUTCOME_TOLERANCE,
        "outcomes_agree": max(differences) <= OUTCOME_TOLERANCE,
        "bgsim_synapses": runs[0]["bgsim"]["synapses"],
        "brian2_synapses": runs[0]["brian2"]["synapses"],
    }
    return record


def print_table(records):
    """The human-readable table."""
    header = ("%-34s %13s %13s %-22s %7s %9s %9s %10s %10s %s"
              % ("benchmark", "bgsim wall/s", "Brian2 wall/s", "ratio B/b per pair",
                 "median", "CPU ratio", "build B2", "rate bgsim", "rate B2", "rates"))
    print(header)
    print("-" * len(header))
    for r in records:
        s = r["summary"]
        if "outcomes_agree" in s:
            print("%-34s %12.4gs %12.4gs %-22s %6.2fx %8.2fx %8.0fs %10s %10s %s (%.2f)"
                  % (r["benchmark"], s["bgsim_wall_per_biological_s"],
                     s["brian2_wall_per_biological_s"],
                     " ".join("%.2f" % x for x in s["ratio_per_pair"]), s["ratio_median"],
                     s["cpu_ratio_median"], r["brian2_build_s"],
                     "/".join("%.2f" % x for x in s["bgsim_better_arm"]),
                     "/".join("%.2f" % x for x in s["brian2_better_arm"]),
                     "agree" if s["outcomes_agree"] else "DIFFER", s["outcome_difference"]))
            continue
        print("%-34s %12.4gs %12.4gs %-22s %6.2fx %8.2fx %8.0fs %7.3f Hz %7.3f Hz %s (%.1f %%)"
              % (r["benchmark"], s["bgsim_wall_per_biological_s"],
                 s["brian2_wall_per_biological_s"],
                 " ".join("%.2f" % x for x in s["ratio_per_pair"]), s["ratio_median"],
                 s["cpu_ratio_median"], r["brian2_build_s"], s["bgsim_rate_Hz"],
                 s["brian2_rate_Hz"], "agree" if s["rates_agree"] else "DIFFER",
                 100 * s["rate_difference"]))
    for r in records:
        if "scaling" in r["summary"]:
            c = r["summary"]["scaling"]
            print("%s bgsim scaling: 1 thread %.4g s, 2 threads %.4g s per biological s; "
                  "speedup per round %s, median %.2fx; spikes %s"
                  % (r["benchmark"], c["wall_1_thread_per_biological_s"],
                     c["wall_2_threads_per_biological_s"],
                     " ".join("%.2f" % x for x in c["speedup_per_round"]),
                     c["speedup_median"],
                     "identical" if c["spikes_identical"] else "DIFFER"))
    print("(wall/s: wall time of the run loop per biological second, median of the pairs; "
          "ratio B/b: Brian2 / bgsim)")
    for r in records:
        s = r["summary"]
        if "outcomes_agree" in s:
            print("%s: closed loop, %d trials; Brian2 in runtime mode (Cython), build B2 = its "
                  "warm-up; trials/s bgsim %.1f, Brian2 %.2f; instead of rates the fraction of "
                  "better-arm choices in trials %s (bgsim / Brian2 columns), agreeing within "
                  "%.2f; reward per trial %.3f and %.3f; mean rate %.3f and %.3f Hz; "
                  "spikes of the winning / losing action population in the decision "
                  "window, mean: bgsim %s, Brian2 %s"
                  % (r["benchmark"], r["trials"], s["bgsim_trials_per_s"],
                     s["brian2_trials_per_s"],
                     ", ".join("%d-%d" % tuple(w) for w in s["outcome_windows"]),
                     s["outcome_tolerance"], s["bgsim_reward_per_trial"],
                     s["brian2_reward_per_trial"], s["bgsim_rate_Hz"], s["brian2_rate_Hz"],
                     "/".join("%.1f" % x if x is not None else "?"
                              for x in s["bgsim_window_spikes"]),
                     "/".join("%.1f" % x if x is not None else "?"
                              for x in s["brian2_window_spikes"])))


def main():
    args = parse_args()
    own_work_dir = args.work_dir is None
    work_dir = args.work_dir or tempfile.mkdtemp(prefix="bgsim_peers_")
    started = datetime.datetime.now().astimezone()
    records = []
    try:
        for name in args.benchmarks:
            if name in CLOSED_LOOP:
                records.append(run_closed_loop(name, args))
            else:
                records.append(run_benchmark(name, args, work_dir))
    finally:
        if own_work_dir:
            shutil.rmtree(work_dir, ignore_errors=True)
    document = {
        "started": started.isoformat(timespec="seconds"),
        "finished": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "command": " ".join([os.path.relpath(sys.argv[0], REPO)] + sys.argv[1:]),
        "machine": {"cpus": os.cpu_count(), **processor(), "system": platform.platform()},
        "bgsim_build": build_flags(args.bgsim_build),
        "brian2_version": records[0]["runs"][0]["brian2"]["brian2_version"] if records else None,
        "pairs": args.pairs,
        "benchmarks": records,
    }
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w") as out:
        json.dump(document, out, indent=1)
    print_table(records)
    machine = document["machine"]
    print("processor: %s (%s), %d CPUs" % (machine["processor"] or "unknown",
                                           " ".join(machine["vector_extensions"]) or "no AVX",
                                           machine["cpus"]))
    build = document["bgsim_build"]
    print("bgsim build: %s (%s, %s)" % (build["dir"], build.get("build_type", "?"),
                                        {True: "-march=native", False: "portable"}.get(
                                            build.get("native"), "flags unknown")))
    print("record: %s" % args.out)
    failed = [r["benchmark"] for r in records
              if not r["summary"].get("rates_agree", True)
              or not r["summary"].get("outcomes_agree", True)
              or not r["summary"].get("scaling", {}).get("spikes_identical", True)]
    if args.check_rates and failed:
        print("rates differ by more than %d %% (or 2-thread spikes differ, or learning "
              "outcomes by more than %g): %s"
              % (100 * RATE_TOLERANCE, OUTCOME_TOLERANCE, ", ".join(failed)), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
