#!/usr/bin/python3
"""Turn a bgsim results folder into PNG figures.

usage: plot_results.py RESULTS_DIR [--out DIR]

Writes, into DIR (default RESULTS_DIR/plots), first:
  overview.png           every spike recorder's raster and population rate and
                         every neuromodulator recorder's level on one time
                         axis, with the dopamine baseline b of each plastic
                         projection dashed on the level it reads
                         (tools/plots/overview.py);
  point.png              for a network of networks/library/, the figure of its
                         published result (tools/plots/library.py: the table
                         POINT_FIGURES, network name -> figure);
then one figure per recording:
  raster_<recorder>.png  for each spike recorder: a spike raster (time against
                         neuron index) above the population rate, in Hz per
                         recorded neuron, in bins of a round number of ms;
  state_<recorder>.png   for each state recorder: the sampled traces (at most
                         ten neurons drawn, and the mean over all of them when
                         there are more);
  synapses_<recorder>.png for each weight recorder: the weight (or eligibility)
                         of at most ten synapses — the synapse a contingency
                         rewards among them when recorded —, the mean over all
                         and the 5-95 % band;
  neuromodulator_<recorder>.png for each neuromodulator recorder: its level;
  stimuli_<table>.png    for each stimulus log (a table with columns time_ms,
                         group, rewarded and response, as a group_stimulus
                         writes): the response to every stimulus over time,
                         the rewarded groups (or group 0 when none is) apart
                         from the others, with their means per time bin.

Time axes are in the unit a reader uses for the run's length: ms below 2 s,
s below 5 min, min below 3 h, h beyond.

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
import os
import sys

PROG = "plot_results.py"

try:
    import numpy as np
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
except ImportError as e:  # pragma: no cover - depends on the machine
    sys.exit(f"{PROG}: error: {e}; install python3-numpy and python3-matplotlib "
             "(bash tools/setup.sh) and run with /usr/bin/python3")

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from plots import library, overview  # noqa: E402
from plots import results_folder as rf  # noqa: E402
from plots.results_folder import ResultsError  # noqa: E402


def recorder_title(rec, what, ctx):
    return (f"{what} (recorder {rec['recorder']}, every "
            f"{rec.get('interval_ms', float('nan')):g} ms){ctx['note']}")


def plot_spikes(folder, rec, ctx, out_dir):
    t, n = rf.load_spikes(folder, rec)
    neurons = int(rec.get("neurons") or rec.get("population_size") or 0)
    size = int(rec.get("population_size") or neurons or (int(n.max()) + 1 if n.size else 1))
    unit = ctx["unit"]

    fig, (ax_raster, ax_rate) = plt.subplots(
        2, 1, sharex=True, figsize=(9, 5.5), gridspec_kw={"height_ratios": [3, 1]})
    if t.size:
        marker, ms = ("|", 4) if t.size <= 20000 else (",", 1)
        ax_raster.plot(t / unit.ms, n, linestyle="none", marker=marker, markersize=ms, color="k",
                       rasterized=True)
    else:
        rf.no_data(ax_raster, "no spikes")
    ax_raster.set_ylim(-0.5, size - 0.5)
    ax_raster.set_ylabel("neuron (index in population)")
    ax_raster.set_title(f"{rec['population']} (recorder {rec['recorder']}): {t.size} spikes from "
                        f"{neurons} neurons, mean {rf.mean_rate(rec, t, ctx['duration_ms']):.3g} Hz"
                        f"{ctx['note']}")

    width = rf.nice_bin_ms(ctx["duration_ms"] or (float(t.max()) if t.size else 1.0), ctx["dt_ms"])
    edges, rate = rf.population_rate(t, neurons, ctx["duration_ms"] or width, width)
    ax_rate.stairs(rate, edges / unit.ms, fill=True, color="0.3")
    ax_rate.set_ylabel(f"rate [Hz]\n({rf.format_ms(width)} bins)")
    rf.set_time_axis(ax_rate, ctx)
    fig.tight_layout()
    return rf.save(fig, out_dir, f"raster_{rec['recorder']}.png")


def plot_state(folder, rec, ctx, out_dir):
    files = rec["files"]
    values = rf.load_npy(folder, files["values"])
    times = rf.load_npy(folder, files["times"])
    columns = rf.load_npy(folder, files["neurons"])
    if values.ndim != 2 or values.shape != (times.size, columns.size):
        raise ResultsError(f"{files['values']}: shape {values.shape} does not match "
                           f"{times.size} sample times and {columns.size} neurons")
    label = f"{rec['variable']} [{rec['unit']}]" if rec.get("unit") else rec["variable"]
    t = times / ctx["unit"].ms

    fig, ax = plt.subplots(figsize=(10, 4))
    if times.size and columns.size:
        shown = np.unique(np.linspace(0, columns.size - 1, min(columns.size, 10)).round().astype(int))
        for k in shown:
            ax.plot(t, values[:, k], linewidth=0.8, label=f"neuron {columns[k]}")
        if columns.size > shown.size:
            ax.plot(t, values.mean(axis=1), color="k", linewidth=1.5,
                    label=f"mean of {columns.size}")
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small",
                  frameon=False)
    else:
        rf.no_data(ax, "no samples")
    rf.set_time_axis(ax, ctx)
    ax.set_ylabel(label)
    ax.set_title(f"{rec['population']}: " + recorder_title(rec, rec["variable"], ctx))
    fig.tight_layout()
    return rf.save(fig, out_dir, f"state_{rec['recorder']}.png")


def plot_synapses(folder, rec, ctx, out_dir, manifest):
    s = rf.load_synapses(folder, rec)
    chosen = rf.chosen_column(rf.chosen_synapse(manifest), rec, s)
    t = s.times / ctx["unit"].ms
    fig, ax = plt.subplots(figsize=(10, 4))
    if s.times.size and s.sources.size:
        if s.sources.size > 1:
            low, high = np.percentile(s.values, [5, 95], axis=1)
            ax.fill_between(t, low, high, color="0.85", label="5-95 % of synapses")
        shown = np.unique(np.linspace(0, s.sources.size - 1,
                                      min(s.sources.size, 10)).round().astype(int))
        for k in shown:
            if k != chosen:
                ax.plot(t, s.values[:, k], linewidth=0.8, label=f"{s.sources[k]} -> {s.targets[k]}")
        if s.sources.size > shown.size:
            ax.plot(t, s.values.mean(axis=1), color="k", linewidth=1.5,
                    label=f"mean of {s.sources.size}")
        if chosen is not None:
            ax.plot(t, s.values[:, chosen], color="tab:red", linewidth=2.2,
                    label=f"{s.sources[chosen]} -> {s.targets[chosen]} (rewarded synapse)")
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small", frameon=False)
    else:
        rf.no_data(ax, "no samples")
    rf.set_time_axis(ax, ctx)
    ax.set_ylabel(f"{rec['variable']} [{rec.get('unit', '')}]")
    ax.set_title(f"{rec['projection']} ({rec.get('model', '')}): "
                 + recorder_title(rec, rec["variable"], ctx))
    fig.tight_layout()
    return rf.save(fig, out_dir, f"synapses_{rec['recorder']}.png")


def plot_neuromodulator(folder, rec, ctx, out_dir):
    times, values = rf.load_level(folder, rec)
    fig, ax = plt.subplots(figsize=(10, 3))
    ax.plot(times / ctx["unit"].ms, values, linewidth=0.8, color="tab:purple")
    rf.set_time_axis(ax, ctx)
    ax.set_ylabel("level")
    ax.set_title(f"{rec['neuromodulator']}: " + recorder_title(rec, "level", ctx))
    fig.tight_layout()
    return rf.save(fig, out_dir, f"neuromodulator_{rec['recorder']}.png")


def plot_stimuli(folder, name, file_name, ctx, out_dir):
    """The response to each stimulus of a group stimulus log, over time."""
    log = rf.load_table(folder, file_name)
    fig, ax = plt.subplots(figsize=(10, 4))
    library.draw_responses(ax, log, ctx)
    ax.set_title(f"{name}: spikes of the other neurons in the response window after each "
                 f"stimulus{ctx['note']}")
    fig.tight_layout()
    return rf.save(fig, out_dir, f"stimuli_{name}.png")


def plot_recording(folder, rec, ctx, out_dir, manifest):
    kind = rec.get("kind")
    if kind == "spikes":
        return plot_spikes(folder, rec, ctx, out_dir)
    if kind == "state":
        return plot_state(folder, rec, ctx, out_dir)
    if kind == "synapses":
        return plot_synapses(folder, rec, ctx, out_dir, manifest)
    if kind == "neuromodulator":
        return plot_neuromodulator(folder, rec, ctx, out_dir)
    return None


def plot_folder(folder, out_dir=None):
    """Writes the figures of a results folder; returns their paths."""
    manifest = rf.read_manifest(folder)
    ctx = rf.run_context(folder, manifest)
    if manifest["status"] == "interrupted":
        print(f"{PROG}: warning: {folder}: the run was interrupted at {ctx['duration_ms']:g} ms; "
              "plotting what it recorded", file=sys.stderr)

    out_dir = out_dir or os.path.join(folder, "plots")
    os.makedirs(out_dir, exist_ok=True)
    try:
        written = [overview.overview(folder, manifest, ctx, out_dir),
                   library.point_figure(folder, manifest, ctx, out_dir)]
        for rec in manifest["results"].get("recordings", []):
            written.append(plot_recording(folder, rec, ctx, out_dir, manifest))
    except KeyError as e:
        raise ResultsError(f"{os.path.join(folder, 'manifest.json')}: a recording or the "
                           f"description lacks the key {e}") from None
    for name, file_name in rf.stimulus_logs(folder, manifest):
        written.append(plot_stimuli(folder, name, file_name, ctx, out_dir))
    return [path for path in written if path]


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog=PROG, description="Turn a bgsim results folder into PNG figures: an overview of "
        "every raster, rate and dopamine level, the published result of a library network, "
        "and one figure per recorder.")
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
