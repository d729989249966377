"""The overview of any run (tools/plot_results.py writes it first).

overview.png stacks, on one shared time axis in the run's unit (ms below 2 s,
s below 5 min, min below 3 h, h beyond):

* for every spike recorder, its raster (evenly spaced neurons only when the
  recording is large; the panel says how many) above its population rate in
  Hz per recorded neuron, about 100 bins per run;
* for every neuromodulator recorder, the volume's level, with the dopamine
  baseline b of every plastic projection that reads that volume drawn as a
  dashed line: above it eligible synapses grow, below it they shrink.

Closed-loop runs (networks played by tasks/loop) have the same panels; their
own figures come from tools/plot_experiment.py.
"""
import matplotlib.pyplot as plt

from plots import results_folder as rf

RASTER, RATE, LEVEL = 2.0, 0.9, 1.2  # panel heights [inch]
BASELINE_COLOURS = ("tab:orange", "tab:green", "tab:red", "tab:brown")


def draw_spikes(ax_raster, ax_rate, folder, rec, ctx):
    """A spike recorder's raster and population rate."""
    t, n = rf.load_spikes(folder, rec)
    shown = rf.raster(ax_raster, t, n, rf.neuron_span(rec, n), ctx["unit"])
    subset = f", {shown} of them drawn" if shown else ""
    ax_raster.set_ylabel(f"{rec['population']}\nneuron")
    label = (f"{rec['recorder']}: {rec.get('neurons', '?')} of {rec.get('population_size', '?')} "
             f"neurons recorded{subset}; "
             f"mean {rf.mean_rate(rec, t, ctx['duration_ms']):.3g} Hz")
    ax_raster.set_title(label, loc="left", fontsize="small")
    width = rf.nice_bin_ms(ctx["duration_ms"], ctx["dt_ms"])
    edges, rate = rf.population_rate(t, int(rec.get("neurons") or 0), ctx["duration_ms"], width)
    ax_rate.stairs(rate, edges / ctx["unit"].ms, fill=True, color="0.35")
    ax_rate.set_ylabel(f"rate [Hz]\n{rf.format_ms(width)} bins", fontsize="small")


def draw_level(ax, folder, rec, ctx, baselines):
    """A volume's level with the baselines b of the projections that read it."""
    times, level = rf.load_level(folder, rec)
    ax.plot(times / ctx["unit"].ms, level, linewidth=0.7, color="tab:purple", rasterized=True,
            label=f"level of {rec['neuromodulator']}")
    for colour, (b, names) in zip(BASELINE_COLOURS * 8, sorted(baselines.items())):
        ax.axhline(b, color=colour, linestyle="--", linewidth=1.4, zorder=3,
                   label=f"baseline b = {b:g} ({', '.join(names)})")
    ax.set_ylabel(f"{rec['neuromodulator']}\nlevel")
    ax.set_title(f"{rec['recorder']}: level of volume {rec['neuromodulator']}, every "
                 f"{rec.get('interval_ms', float('nan')):g} ms", loc="left", fontsize="small")
    ax.legend(loc="upper right", fontsize="x-small", frameon=False)


def overview(folder, manifest, ctx, out_dir):
    """Writes overview.png; None when the run has no spike or neuromodulator recorder."""
    spikes = rf.recordings(manifest, "spikes")
    levels = rf.recordings(manifest, "neuromodulator")
    if not spikes and not levels:
        return None
    heights = [RASTER, RATE] * len(spikes) + [LEVEL] * len(levels)
    fig, axes = plt.subplots(len(heights), 1, sharex=True, squeeze=False,
                             figsize=(10, 1.2 + sum(heights)),
                             gridspec_kw={"height_ratios": heights})
    axes = list(axes[:, 0])
    for k, rec in enumerate(spikes):
        draw_spikes(axes[2 * k], axes[2 * k + 1], folder, rec, ctx)
    baselines = rf.dopamine_baselines(manifest)
    for ax, rec in zip(axes[2 * len(spikes):], levels):
        draw_level(ax, folder, rec, ctx, baselines.get(rec["neuromodulator"], {}))
    rf.set_time_axis(axes[-1], ctx)
    name = rf.network_name(manifest) or folder
    fig.suptitle(f"{name}: {ctx['duration_ms'] / ctx['unit'].ms:.3g} {ctx['unit'].name} "
                 f"(seed {manifest.get('seed', '?')}){ctx['note']}")
    fig.tight_layout()
    return rf.save(fig, out_dir, "overview.png")
