#!/usr/bin/python3
"""Turn a bgsim results folder into PNG figures.

usage: plot_results.py RESULTS_DIR [--out DIR]

Writes, into DIR (default RESULTS_DIR/plots):
  raster_<recorder>.png  for each spike recorder: a spike raster (time against
                         neuron index) above the population rate, in Hz per
                         recorded neuron, in bins of a round number of ms;
  state_<recorder>.png   for each state recorder: the sampled traces (at most
                         ten neurons drawn, and the mean over all of them when
                         there are more);
  synapses_<recorder>.png for each weight recorder: the weight (or eligibility)
                         of at most ten synapses, the mean over all and the
                         5-95 % band;
  neuromodulator_<recorder>.png for each neuromodulator recorder: its level;
  stimuli_<table>.png    for each stimulus log (a table with columns time_ms,
                         group, rewarded and response, as a group_stimulus
                         writes): the response to every stimulus over time,
                         the rewarded groups (or group 0 when none is) apart
                         from the others, with their means per time bin.

Names, units, the resolution and the time reached come from the manifest's
"results" section, written by the results sink (core/io/results_folder.hpp);
docs/results.md describes the folder. A folder whose run has not finished, or
whose files are missing, is refused with a message. A run stopped early
("status": "interrupted") is plotted up to the time it reached, and its
figures say so.

Uses Debian's python3-numpy and python3-matplotlib (Agg backend: no display
needed); bash tools/setup.sh installs them.
"""

import argparse
import json
import math
import os
import sys

PROG = "plot_results.py"


class ResultsError(Exception):
    """A results folder that cannot be plotted; the message says why."""


try:
    import numpy as np
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
except ImportError as e:  # pragma: no cover - depends on the machine
    sys.exit(f"{PROG}: error: {e}; install python3-numpy and python3-matplotlib "
             "(bash tools/setup.sh) and run with /usr/bin/python3")


def read_manifest(folder):
    if not os.path.isdir(folder):
        raise ResultsError(f"results folder {folder} does not exist")
    path = os.path.join(folder, "manifest.json")
    if not os.path.isfile(path):
        raise ResultsError(f"{folder} is not a bgsim results folder: it has no manifest.json")
    try:
        with open(path, encoding="utf-8") as f:
            manifest = json.load(f)
    except json.JSONDecodeError as e:
        raise ResultsError(f"{path} is not valid JSON ({e})") from None
    status = manifest.get("status")
    if status == "running":
        raise ResultsError(
            f"{folder} is incomplete: its run has not finished (manifest status \"running\"); "
            "if that run was killed, run it again")
    if status == "failed":
        raise ResultsError(f"{folder} is incomplete: its run failed (manifest status \"failed\")")
    if status not in ("complete", "interrupted"):
        raise ResultsError(f"{path} has no valid \"status\" (found {status!r})")
    if not isinstance(manifest.get("results"), dict):
        raise ResultsError(f"{path} has no \"results\" section: nothing to plot")
    return manifest


def load_npy(folder, name):
    path = os.path.join(folder, name)
    if not os.path.isfile(path):
        raise ResultsError(f"{path} is listed in manifest.json but missing: the folder is "
                           "incomplete")
    try:
        return np.load(path, allow_pickle=False)
    except ValueError as e:
        raise ResultsError(f"{path} is not a readable .npy file ({e})") from None


def nice_bin_ms(duration_ms, dt_ms):
    """A round bin width giving about 100 bins, never finer than dt."""
    target = max(duration_ms / 100.0, dt_ms)
    exponent = math.floor(math.log10(target))
    for mantissa in (1, 2, 5, 10):
        width = mantissa * 10.0 ** exponent
        if width >= target * (1 - 1e-9):
            return width
    return 10.0 ** (exponent + 1)


def save(fig, out_dir, name):
    # Written under a temporary name and renamed, like every results file.
    path = os.path.join(out_dir, name)
    temp = os.path.join(out_dir, f".{name}.partial-{os.getpid()}")
    try:
        fig.savefig(temp, format="png", dpi=120)
        os.replace(temp, path)
    finally:
        plt.close(fig)
        if os.path.exists(temp):
            os.remove(temp)
    return path


def plot_spikes(folder, rec, ctx, out_dir):
    spikes = load_npy(folder, rec["files"]["spikes"])
    if spikes.dtype.names is None or not {"time_ms", "neuron"} <= set(spikes.dtype.names):
        raise ResultsError(f"{rec['files']['spikes']}: expected fields time_ms and neuron, "
                           f"found dtype {spikes.dtype}")
    t, n = spikes["time_ms"], spikes["neuron"]
    neurons = int(rec.get("neurons") or rec.get("population_size") or 0)
    size = int(rec.get("population_size") or neurons or (int(n.max()) + 1 if n.size else 1))
    duration = ctx["duration_ms"] if ctx["duration_ms"] else (float(t.max()) if t.size else 1.0)

    fig, (ax_raster, ax_rate) = plt.subplots(
        2, 1, sharex=True, figsize=(9, 5.5), gridspec_kw={"height_ratios": [3, 1]})
    if t.size:
        marker, ms = ("|", 4) if t.size <= 20000 else (",", 1)
        ax_raster.plot(t, n, linestyle="none", marker=marker, markersize=ms, color="k",
                       rasterized=True)
    else:
        ax_raster.text(0.5, 0.5, "no spikes", transform=ax_raster.transAxes, ha="center",
                       va="center", color="0.4")
    ax_raster.set_ylim(-0.5, size - 0.5)
    ax_raster.set_ylabel("neuron (index in population)")
    mean_rate = t.size / neurons / (duration * 1e-3) if neurons and duration > 0 else float("nan")
    ax_raster.set_title(f"{rec['population']} (recorder {rec['recorder']}): {t.size} spikes from "
                        f"{neurons} neurons, mean {mean_rate:.3g} Hz{ctx['note']}")

    width = nice_bin_ms(duration, ctx["dt_ms"])
    # Whole bins from 0 covering the run; a spike stamped at the very end
    # falls in the last bin (np.histogram closes the last bin on the right).
    edges = np.arange(max(1, math.ceil(duration / width - 1e-9)) + 1) * width
    counts, edges = np.histogram(t, bins=edges)
    rate = counts / (max(neurons, 1) * width * 1e-3)
    ax_rate.stairs(rate, edges, fill=True, color="0.3")
    ax_rate.set_ylabel(f"rate [Hz]\n({width:g} ms bins)")
    ax_rate.set_xlabel("time [ms]")
    ax_rate.set_xlim(0.0, duration)
    fig.tight_layout()
    return save(fig, out_dir, f"raster_{rec['recorder']}.png")


def plot_state(folder, rec, ctx, out_dir):
    files = rec["files"]
    values = load_npy(folder, files["values"])
    times = load_npy(folder, files["times"])
    columns = load_npy(folder, files["neurons"])
    if values.ndim != 2 or values.shape != (times.size, columns.size):
        raise ResultsError(f"{files['values']}: shape {values.shape} does not match "
                           f"{times.size} sample times and {columns.size} neurons")
    label = f"{rec['variable']} [{rec['unit']}]" if rec.get("unit") else rec["variable"]

    fig, ax = plt.subplots(figsize=(10, 4))
    if times.size and columns.size:
        shown = np.unique(np.linspace(0, columns.size - 1, min(columns.size, 10)).round().astype(int))
        for k in shown:
            ax.plot(times, values[:, k], linewidth=0.8, label=f"neuron {columns[k]}")
        if columns.size > shown.size:
            ax.plot(times, values.mean(axis=1), color="k", linewidth=1.5,
                    label=f"mean of {columns.size}")
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small",
                  frameon=False)
    else:
        ax.text(0.5, 0.5, "no samples", transform=ax.transAxes, ha="center", va="center",
                color="0.4")
    ax.set_xlabel("time [ms]")
    ax.set_ylabel(label)
    if ctx["duration_ms"]:
        ax.set_xlim(0.0, ctx["duration_ms"])
    ax.set_title(f"{rec['population']}: {rec['variable']} (recorder {rec['recorder']}, every "
                 f"{rec.get('interval_ms', float('nan')):g} ms){ctx['note']}")
    fig.tight_layout()
    return save(fig, out_dir, f"state_{rec['recorder']}.png")


def plot_synapses(folder, rec, ctx, out_dir):
    files = rec["files"]
    values = load_npy(folder, files["values"])
    times = load_npy(folder, files["times"])
    sources = load_npy(folder, files["sources"])
    targets = load_npy(folder, files["targets"])
    if values.ndim != 2 or values.shape != (times.size, sources.size) or targets.size != sources.size:
        raise ResultsError(f"{files['values']}: shape {values.shape} does not match "
                           f"{times.size} sample times and {sources.size} synapses")
    fig, ax = plt.subplots(figsize=(10, 4))
    if times.size and sources.size:
        if sources.size > 1:
            low, high = np.percentile(values, [5, 95], axis=1)
            ax.fill_between(times, low, high, color="0.85", label="5-95 % of synapses")
        shown = np.unique(np.linspace(0, sources.size - 1, min(sources.size, 10)).round().astype(int))
        for k in shown:
            ax.plot(times, values[:, k], linewidth=0.8, label=f"{sources[k]} -> {targets[k]}")
        if sources.size > shown.size:
            ax.plot(times, values.mean(axis=1), color="k", linewidth=1.5,
                    label=f"mean of {sources.size}")
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small", frameon=False)
    else:
        ax.text(0.5, 0.5, "no samples", transform=ax.transAxes, ha="center", va="center",
                color="0.4")
    ax.set_xlabel("time [ms]")
    ax.set_ylabel(f"{rec['variable']} [{rec.get('unit', '')}]")
    if ctx["duration_ms"]:
        ax.set_xlim(0.0, ctx["duration_ms"])
    ax.set_title(f"{rec['projection']} ({rec.get('model', '')}): {rec['variable']} (recorder "
                 f"{rec['recorder']}, every {rec.get('interval_ms', float('nan')):g} ms){ctx['note']}")
    fig.tight_layout()
    return save(fig, out_dir, f"synapses_{rec['recorder']}.png")


def plot_neuromodulator(folder, rec, ctx, out_dir):
    files = rec["files"]
    values = load_npy(folder, files["values"])
    times = load_npy(folder, files["times"])
    if values.shape != times.shape:
        raise ResultsError(f"{files['values']}: shape {values.shape} does not match "
                           f"{times.size} sample times")
    fig, ax = plt.subplots(figsize=(10, 3))
    ax.plot(times, values, linewidth=0.8, color="tab:purple")
    ax.set_xlabel("time [ms]")
    ax.set_ylabel("level")
    if ctx["duration_ms"]:
        ax.set_xlim(0.0, ctx["duration_ms"])
    ax.set_title(f"{rec['neuromodulator']}: level (recorder {rec['recorder']}, every "
                 f"{rec.get('interval_ms', float('nan')):g} ms){ctx['note']}")
    fig.tight_layout()
    return save(fig, out_dir, f"neuromodulator_{rec['recorder']}.png")


def plot_stimuli(folder, name, file_name, ctx, out_dir):
    """The response to each stimulus of a group stimulus log, over time."""
    path = os.path.join(folder, file_name)
    if not os.path.isfile(path):
        raise ResultsError(f"{path} is listed in manifest.json but missing: the folder is "
                           "incomplete")
    log = np.genfromtxt(path, delimiter=",", names=True, dtype=float, encoding="utf-8")
    log = np.atleast_1d(log)
    t_min = log["time_ms"] / 60000.0
    group, response = log["group"].astype(int), log["response"]
    rewarded_groups = np.unique(group[log["rewarded"] > 0])
    highlight = rewarded_groups if rewarded_groups.size else np.array([0])
    label = (f"rewarded group{'s' if highlight.size > 1 else ''} "
             f"{', '.join(str(g) for g in highlight)}" if rewarded_groups.size
             else "group 0 (not rewarded)")
    special = np.isin(group, highlight)
    fig, ax = plt.subplots(figsize=(10, 4))
    ax.scatter(t_min[~special], response[~special], s=2, color="0.7", label="other groups")
    ax.scatter(t_min[special], response[special], s=8, color="tab:red", label=label)
    duration_min = (ctx["duration_ms"] or (log["time_ms"].max() if log.size else 0.0)) / 60000.0
    if log.size and duration_min > 0:
        edges = np.linspace(0.0, duration_min, 21)
        centres = 0.5 * (edges[1:] + edges[:-1])
        for mask, colour, what in ((special, "tab:red", label), (~special, "k", "other groups")):
            idx = np.digitize(t_min[mask], edges) - 1
            means = [response[mask][idx == k].mean() if np.any(idx == k) else np.nan
                     for k in range(centres.size)]
            ax.plot(centres, means, color=colour, linewidth=1.5, label=f"mean, {what}")
        ax.set_xlim(0.0, duration_min)
    ax.set_xlabel("time [min]")
    ax.set_ylabel("response [spikes]")
    ax.legend(loc="upper left", fontsize="small", frameon=False)
    ax.set_title(f"{name}: spikes of the other neurons in the response window after each "
                 f"stimulus{ctx['note']}")
    fig.tight_layout()
    return save(fig, out_dir, f"stimuli_{name}.png")


def is_stimulus_log(folder, file_name):
    path = os.path.join(folder, file_name)
    if not file_name.endswith(".csv") or not os.path.isfile(path):
        return False
    with open(path, encoding="utf-8") as f:
        header = f.readline().strip().split(",")
    return {"time_ms", "group", "rewarded", "response"} <= set(header)


def plot_folder(folder, out_dir=None):
    """Writes the figures of a results folder; returns their paths."""
    manifest = read_manifest(folder)
    results = manifest["results"]
    dt_ms = float(results.get("resolution_ms") or manifest.get("resolution_ms") or 0.1)
    reached = results.get("time_reached_ms")
    duration = float(reached if reached is not None else manifest.get("duration_ms") or 0.0)
    note = ""
    if manifest["status"] == "interrupted":
        note = f"\n(run interrupted at {duration:g} ms)"
        print(f"{PROG}: warning: {folder}: the run was interrupted at {duration:g} ms; "
              "plotting what it recorded", file=sys.stderr)
    ctx = {"dt_ms": dt_ms, "duration_ms": duration, "note": note}

    out_dir = out_dir or os.path.join(folder, "plots")
    os.makedirs(out_dir, exist_ok=True)
    written = []
    for rec in results.get("recordings", []):
        try:
            if rec.get("kind") == "spikes":
                written.append(plot_spikes(folder, rec, ctx, out_dir))
            elif rec.get("kind") == "state":
                written.append(plot_state(folder, rec, ctx, out_dir))
            elif rec.get("kind") == "synapses":
                written.append(plot_synapses(folder, rec, ctx, out_dir))
            elif rec.get("kind") == "neuromodulator":
                written.append(plot_neuromodulator(folder, rec, ctx, out_dir))
        except KeyError as e:
            raise ResultsError(f"{os.path.join(folder, 'manifest.json')}: recording "
                               f"{rec.get('recorder', '?')!r} lacks the key {e}") from None
    for name, file_name in sorted(results.get("tables", {}).items()):
        if is_stimulus_log(folder, file_name):
            written.append(plot_stimuli(folder, name, file_name, ctx, out_dir))
    return written


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog=PROG, description="Turn a bgsim results folder into PNG figures: a spike raster "
        "with the population rate per spike recorder, the sampled traces per state recorder.")
    parser.add_argument("results_dir", metavar="RESULTS_DIR", help="a folder written by bgsim run")
    parser.add_argument("--out", metavar="DIR",
                        help="where the PNGs go (default: RESULTS_DIR/plots)")
    args = parser.parse_args(argv)
    try:
        written = plot_folder(args.results_dir, args.out)
    except ResultsError as e:
        print(f"{PROG}: error: {e}", file=sys.stderr)
        return 1
    if not written:
        print(f"{PROG}: {args.results_dir} has no recordings to plot", file=sys.stderr)
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
