"""The figure of each library network's point (tools/plot_results.py writes it
as point.png, after overview.png).

POINT_FIGURES maps the network's name (the stem of its file in
networks/library/) to the function that draws it:

* izhikevich2007_distal_reward (and _control): the weight of the chosen
  synapse (the one the contingency rewards) against time, over the mean and
  5-95 % band of the sampled bulk of the projection's weights, with every
  dopamine pulse marked above; beside it the bulk's weight histograms at the
  first and last sample with the chosen synapse's weight marked (Izhikevich
  2007, Fig. 1). In the contingent run the chosen synapse climbs to w_max
  while the bulk stays low; in the control (random pulses) it does not.
* izhikevich2007_pavlovian (and _control): the response (spikes of the rest of
  the network after each stimulus) to the rewarded group S1 and to the other
  groups across time; the mean outgoing excitatory weight of S1's neurons
  against the others'; and the mean response per group over the last quarter
  of the stimuli, S1 in red (Izhikevich 2007, Fig. 2). In the control S1 does
  not stand out.
* izhikevich2003: the raster of all recorded populations (excitatory below,
  inhibitory above, as in Izhikevich 2003, Fig. 3) over the population rate in
  1 ms bins, and the rate's power spectrum with the alpha (8-13 Hz) and gamma
  (30-80 Hz) bands shaded: the rhythms the paper shows.
* brunel2000, brunel2000_small, cuba: the raster and the population rate in
  0.5 ms bins, with the mean rate against the documented one (docs/
  description.md, seed 1), and the distribution of the neurons' coefficients
  of variation of the interspike intervals: asynchronous (a flat population
  rate) and irregular (CV near 1) firing.

* bg_selection (and _depleted): the rate of each nucleus per channel
  (GPi/SNr, GPe, STN, D1, D2) in 50 ms bins, the salience onsets marked
  (Humphries et al. 2006): the selected channel's GPi/SNr output falls below
  its tonic rate while the others' rise; at dopamine 0 nothing falls.

Networks played by a closed loop (bandit_actor_critic, track_place_cells) have
their figures in tools/plots/closed_loop.py (tools/plot_experiment.py).

A point figure whose recordings are missing (a description whose recorders
were changed) is skipped with a warning; the other figures are still drawn.
"""
import functools
import sys

import matplotlib.pyplot as plt
import numpy as np

from plots import results_folder as rf

CHOSEN, BULK, REWARDED, OTHERS = "tab:red", "0.3", "tab:red", "0.55"


class MissingRecording(Exception):
    """The recordings a point figure needs are not in the folder."""


# ------------------------------------------------------------ distal reward


def weight_recordings(folder, manifest, projection):
    """(recording, Synapses) of every weight recorder of a projection."""
    return [(rec, rf.load_synapses(folder, rec)) for rec in rf.recordings(manifest, "synapses")
            if rec.get("projection") == projection and rec.get("variable", "weight") == "weight"]


def chosen_trace(chosen, recorded):
    """Sample times [ms] and weights of the chosen synapse, from the densest
    recording that holds it."""
    best = None
    for rec, s in recorded:
        k = rf.chosen_column(chosen, rec, s)
        if k is not None and (best is None or s.times.size > best[0].size):
            best = (s.times, s.values[:, k])
    if best is None:
        raise MissingRecording(f"no weight recorder of {chosen.projection} holds the chosen "
                               f"synapse (source {chosen.pre}); record it with \"sources\": "
                               f"[{chosen.pre}]")
    return best


def bulk_sample(chosen, recorded):
    """The recording with the most synapses, without the chosen one: the bulk."""
    rec, s = max(recorded, key=lambda item: item[1].sources.size)
    k = rf.chosen_column(chosen, rec, s)
    keep = np.ones(s.sources.size, dtype=bool)
    if k is not None:
        keep[k] = False
    if keep.sum() < 2 or not s.times.size:
        raise MissingRecording(f"no weight recorder of {chosen.projection} samples its bulk")
    return s.times, s.values[:, keep]


def synapse_bounds(manifest, projection):
    for pr in rf.projections(manifest):
        if pr.get("name") == projection:
            params = (pr.get("synapse") or {}).get("params") or {}
            return params.get("w_min", 0.0), params.get("w_max")
    return 0.0, None


def dopamine_pulses(folder, manifest, volume):
    """Times [ms] of the volume's pulses, read from its recorded level."""
    for rec in rf.recordings(manifest, "neuromodulator"):
        if rec.get("neuromodulator") == volume:
            times, level = rf.load_level(folder, rec)
            return rf.pulse_times(manifest, volume, times, level)
    return None


def pulse_label(manifest, chosen, count):
    """What the marked pulses are: rewards of the contingency, or random."""
    spec = rf.volumes(manifest).get(chosen.volume) or {}
    params = (spec.get("contingency") or {}).get("params") or {}
    target = f"{chosen.pre} -> {chosen.post}" if chosen.post is not None else "the chosen synapse"
    pulses = "pulse" if count == 1 else "pulses"
    if params.get("amount", 0.0) > 0:
        delay = (f"{params.get('delay_min_ms', 0) / 1000:g}-"
                 f"{params.get('delay_max_ms', 0) / 1000:g} s")
        return f"{count} dopamine {pulses} (rewards), each {delay} after a pairing of {target}"
    return f"{count} dopamine {pulses} at random times (pairings of {target} earn nothing)"


def draw_weight_course(ax, ctx, times_c, w_c, times_b, bulk, w_max):
    unit = ctx["unit"]
    tb = times_b / unit.ms
    low, high = np.percentile(bulk, [5, 95], axis=1)
    ax.fill_between(tb, low, high, color="0.85", label=f"5-95 % of {bulk.shape[1]} other synapses")
    ax.plot(tb, bulk.mean(axis=1), color=BULK, linewidth=1.5, label="their mean")
    ax.plot(times_c / unit.ms, w_c, color=CHOSEN, linewidth=2.0, label="the chosen synapse")
    if w_max is not None:
        ax.axhline(w_max, color="k", linestyle=":", linewidth=1, label=f"w_max = {w_max:g}")
        ax.set_ylim(-0.05 * w_max, 1.08 * w_max)
    rf.set_time_axis(ax, ctx)
    ax.set_ylabel("weight [mV]")
    ax.legend(loc="center left", fontsize="small", frameon=False)


def draw_weight_histograms(ax, legend_ax, times_b, bulk, times_c, w_c, w_max):
    """The bulk's weights at the first and last sample, the chosen one marked;
    the legend goes into legend_ax."""
    top = w_max if w_max is not None else max(bulk.max(), w_c.max())
    edges = np.linspace(0.0, top, 41)
    samples = ((0, {"color": "0.6", "linestyle": "--"}), (-1, {"color": BULK}))
    for k, style in samples[-min(times_b.size, 2):]:
        ax.hist(bulk[k], bins=edges, histtype="step", linewidth=1.5, orientation="horizontal",
                label=f"other synapses at {format_time(times_b[k])}", **style)
    w_end = float(w_c[np.searchsorted(times_c, times_b[-1], side="right") - 1])
    above = 100.0 * np.mean(bulk[-1] < w_end)
    ax.axhline(w_end, color=CHOSEN, linewidth=2.0,
               label=f"chosen synapse at {format_time(times_b[-1])}:\n{w_end:.2f}, above "
                     f"{above:.1f} % of the bulk")
    ax.set_xscale("log")
    ax.set_xlabel("synapses")
    legend_ax.legend(*ax.get_legend_handles_labels(), loc="center", fontsize="x-small",
                     frameon=False)


def format_time(ms):
    return rf.format_ms(ms) if ms > 0 else "the start"


def distal_reward(folder, manifest, ctx, out_dir):
    """Izhikevich (2007) Fig. 1: the chosen synapse climbs while the bulk stays low."""
    chosen = rf.chosen_synapse(manifest)
    if chosen is None:
        raise MissingRecording("the description has no contingency: no chosen synapse")
    recorded = weight_recordings(folder, manifest, chosen.projection)
    if not recorded:
        raise MissingRecording(f"no weight recorder of {chosen.projection}")
    times_c, w_c = chosen_trace(chosen, recorded)
    times_b, bulk = bulk_sample(chosen, recorded)
    w_max = synapse_bounds(manifest, chosen.projection)[1]
    pulses = dopamine_pulses(folder, manifest, chosen.volume)

    fig, axes = plt.subplots(2, 2, figsize=(11, 5.2), sharey="row",
                             gridspec_kw={"width_ratios": [3, 1], "height_ratios": [1, 6]})
    (ax_pulses, corner), (ax_course, ax_hist) = axes
    corner.axis("off")
    ax_pulses.sharex(ax_course)
    if pulses is not None:
        ax_pulses.eventplot(pulses / ctx["unit"].ms, color="tab:purple", linelengths=0.8)
        ax_pulses.set_title(pulse_label(manifest, chosen, pulses.size), loc="left",
                            fontsize="small")
    else:
        rf.no_data(ax_pulses, "dopamine not recorded")
    ax_pulses.set_yticks([])
    ax_pulses.tick_params(labelbottom=False)
    draw_weight_course(ax_course, ctx, times_c, w_c, times_b, bulk, w_max)
    draw_weight_histograms(ax_hist, corner, times_b, bulk, times_c, w_c, w_max)
    fig.suptitle(f"{rf.network_name(manifest)}: weights of {chosen.projection} (seed "
                 f"{manifest.get('seed', '?')}){ctx['note']}")
    fig.tight_layout()
    return rf.save(fig, out_dir, "point.png")


# ------------------------------------------------------------ Pavlovian conditioning


def draw_responses(ax, log, ctx):
    """The response to every stimulus over time, the rewarded groups (or group 0
    when none is) in red, with the means of both per time bin (20 bins)."""
    unit = ctx["unit"]
    t, response = log["time_ms"] / unit.ms, log["response"]
    highlight, label = rewarded_groups(log)
    special = np.isin(log["group"].astype(int), highlight)
    ax.scatter(t[~special], response[~special], s=2, color="0.75", label="other groups",
               rasterized=True)
    ax.scatter(t[special], response[special], s=8, color=REWARDED, label=label)
    duration = (ctx["duration_ms"] or (log["time_ms"].max() if log.size else 0.0)) / unit.ms
    if log.size and duration > 0:
        edges = np.linspace(0.0, duration, 21)
        centres = 0.5 * (edges[1:] + edges[:-1])
        for mask, colour, what in ((special, REWARDED, label), (~special, "k", "other groups")):
            ax.plot(centres, bin_means(t, response, mask, edges), color=colour, linewidth=1.5,
                    label=f"mean, {what}")
        ax.set_xlim(0.0, duration)
    ax.set_xlabel(f"time [{unit.name}]")
    ax.set_ylabel("response [spikes]")
    ax.legend(loc="upper left", fontsize="small", frameon=False)


def bin_means(t, values, mask, edges):
    """The mean of values[mask] per time bin (NaN where a bin is empty)."""
    idx = np.digitize(t[mask], edges) - 1
    return np.array([values[mask][idx == k].mean() if np.any(idx == k) else np.nan
                     for k in range(edges.size - 1)])


def rewarded_groups(log):
    """The groups a stimulus log rewards (group 0 when none is) and their label."""
    group = log["group"].astype(int)
    rewarded = np.unique(group[log["rewarded"] > 0])
    if not rewarded.size:
        return np.array([0]), "group 0 (S1, not rewarded)"
    plural = "s" if rewarded.size > 1 else ""
    names = ", ".join(f"{g} (S{g + 1})" for g in rewarded)
    return rewarded, f"rewarded group{plural} {names}"


def group_members(groups, group, population):
    """Local indices of a group's members in one population."""
    rows = (groups["group"].astype(int) == group) & (groups["population"].astype(str) == population)
    return groups["neuron"][rows].astype(int)


def outgoing_weights(folder, manifest, groups, highlight):
    """(times [ms], mean outgoing weight of the highlighted groups' neurons, of
    the others' neurons, projection name) from the largest weight recording of
    a projection whose source holds members, or None."""
    best = None
    for pr in rf.projections(manifest):
        members = np.concatenate([group_members(groups, g, pr.get("source")) for g in highlight])
        for rec, s in weight_recordings(folder, manifest, pr.get("name")):
            mine = np.isin(s.sources, members)
            if mine.any() and (~mine).any() and (best is None or s.sources.size > best[0]):
                best = (s.sources.size, s.times, s.values[:, mine].mean(axis=1),
                        s.values[:, ~mine].mean(axis=1), pr.get("name"))
    return best[1:] if best else None


def draw_outgoing(ax, ctx, weights, label):
    if weights is None:
        rf.no_data(ax, "no weight recorder covers the groups' neurons")
        return
    times, mine, others, projection = weights
    t = times / ctx["unit"].ms
    ax.plot(t, mine, "o-", color=REWARDED, markersize=3, label=f"from {label}")
    ax.plot(t, others, "o-", color="k", markersize=3, label="from all other neurons")
    rf.set_time_axis(ax, ctx)
    ax.set_ylabel(f"mean weight of {projection}\n[mV]")
    ax.legend(loc="upper left", fontsize="small", frameon=False)


def draw_late_responses(ax, log, highlight, unit):
    """The mean response per group over the last quarter of the stimuli."""
    late = log[int(0.75 * log.size):]
    group = late["group"].astype(int)
    ids = np.unique(group)
    means = np.array([late["response"][group == g].mean() for g in ids])
    order = np.argsort(means)
    colours = [REWARDED if g in highlight else OTHERS for g in ids[order]]
    ax.bar(np.arange(ids.size), means[order], color=colours, width=1.0)
    ax.set_xticks([])
    ax.set_xlabel(f"the {ids.size} groups, by their response")
    ax.set_ylabel("mean response [spikes]")
    start = late["time_ms"][0] / unit.ms if late.size else np.nan
    ax.set_title(f"last quarter of the stimuli (from {start:.3g} {unit.name})", fontsize="small")


def pavlovian(folder, manifest, ctx, out_dir):
    """Izhikevich (2007) Fig. 2: the network learns to answer the rewarded group."""
    logs = rf.stimulus_logs(folder, manifest)
    if not logs:
        raise MissingRecording("the run wrote no stimulus log (a group_stimulus's table)")
    name, file_name = logs[0]
    log = rf.load_table(folder, file_name)
    if not log.size:
        raise MissingRecording(f"{file_name} holds no stimulus")
    highlight, label = rewarded_groups(log)
    groups_file = manifest["results"].get("tables", {}).get(name[: -len("_stimuli")] + "_groups")
    weights = None
    if groups_file:
        weights = outgoing_weights(folder, manifest, rf.load_table(folder, groups_file), highlight)

    fig = plt.figure(figsize=(12, 6.5))
    grid = fig.add_gridspec(2, 2, width_ratios=[3, 1], height_ratios=[3, 2])
    ax_resp = fig.add_subplot(grid[0, 0])
    ax_weights = fig.add_subplot(grid[1, 0], sharex=ax_resp)
    ax_late = fig.add_subplot(grid[:, 1])
    draw_responses(ax_resp, log, ctx)
    ax_resp.set_xlabel("")
    ax_resp.set_title(f"{name}: spikes of the rest of the network after each stimulus",
                      loc="left", fontsize="small")
    draw_outgoing(ax_weights, ctx, weights, label.split(" (")[0] if weights else label)
    draw_late_responses(ax_late, log, highlight, ctx["unit"])
    fig.suptitle(f"{rf.network_name(manifest)}: responses to {label} and to the other groups "
                 f"(seed {manifest.get('seed', '?')}){ctx['note']}")
    fig.tight_layout()
    return rf.save(fig, out_dir, "point.png")


# ------------------------------------------------------------ rasters and rates


RASTER_ROWS, RASTER_SPIKES = 1000, 60000  # at most, in a point figure's raster


def stacked_spikes(folder, manifest):
    """Every spike recording as (recording, times [ms], neurons)."""
    stacked = [(rec, *rf.load_spikes(folder, rec)) for rec in rf.recordings(manifest, "spikes")]
    if not stacked:
        raise MissingRecording("no spike recorder")
    return stacked


def draw_stacked_raster(ax, stacked, ctx):
    """All spike recordings in one raster, the first at the bottom: evenly
    spaced neurons of each, rows in proportion to the neurons recorded (at
    most RASTER_ROWS rows and about RASTER_SPIKES spikes)."""
    sizes = [int(rec.get("neurons") or 0) for rec, _, _ in stacked]
    total, spikes = max(sum(sizes), 1), sum(t.size for _, t, _ in stacked)
    budget = min(total, RASTER_ROWS, max(len(stacked), int(total * RASTER_SPIKES / max(spikes, 1))))
    offset = 0
    for (rec, t, n), size, colour in zip(stacked, sizes, ("k", "tab:blue", "tab:green") * 4):
        rows = max(1, round(budget * size / total))
        drawn = rf.drawn_neurons(n, rows)
        mask = np.isin(n, drawn)
        rf.draw_spikes(ax, t[mask], np.searchsorted(drawn, n[mask]) + offset, ctx["unit"], colour)
        shown = f"\n({rows} of {size} drawn)" if rows < size else ""
        ax.text(1.005, offset + 0.5 * rows, f"{rec['population']}\n"
                f"{rf.mean_rate(rec, t, ctx['duration_ms']):.3g} Hz{shown}",
                transform=ax.get_yaxis_transform(), va="center", fontsize="small", color=colour)
        offset += rows
    ax.set_ylim(-0.5, offset - 0.5)
    ax.set_yticks([])
    ax.set_ylabel("neurons (evenly spaced in each population)")


def all_spike_times(stacked):
    return np.concatenate([t for _, t, _ in stacked])


def recorded_neurons(stacked):
    return sum(int(rec.get("neurons") or 0) for rec, _, _ in stacked)


def synchrony(stacked, duration_ms, width_ms=5.0):
    """Golomb's synchrony measure on spike counts in bins of width_ms: the
    standard deviation of the population's mean count over the root mean
    variance of the single neurons' counts (about 1/sqrt(N) for independent
    neurons, 1 when all fire together)."""
    bins = max(1, int(duration_ms / width_ms))
    neurons = recorded_neurons(stacked)
    population = np.zeros(bins)
    single = 0.0  # the sum over neurons of the variance of their counts
    for _, t, n in stacked:
        b = np.minimum((t / width_ms).astype(np.int64), bins - 1)
        population += np.bincount(b, minlength=bins)
        _, counts = np.unique(n.astype(np.int64) * bins + b, return_counts=True)
        per_neuron = np.bincount(n.astype(np.int64))
        single += np.sum(counts.astype(float) ** 2) / bins - np.sum((per_neuron / bins) ** 2)
    population /= max(neurons, 1)
    mean_single = single / max(neurons, 1)
    return float(np.sqrt(population.var() / mean_single)) if mean_single > 0 else np.nan


def draw_fine_rate(ax, stacked, ctx, width_ms, documented_Hz):
    """The population rate of all recorded neurons in fine bins, its mean and
    the documented rate."""
    t = all_spike_times(stacked)
    neurons = recorded_neurons(stacked)
    edges, rate = rf.population_rate(t, neurons, ctx["duration_ms"], width_ms)
    ax.stairs(rate, edges / ctx["unit"].ms, color="0.25", linewidth=0.6)
    mean = t.size / max(neurons, 1) / (ctx["duration_ms"] * 1e-3) if ctx["duration_ms"] else np.nan
    ax.axhline(mean, color="tab:blue", linewidth=1.2, label=f"mean {mean:.3g} Hz")
    if documented_Hz is not None:
        ax.axhline(documented_Hz, color="tab:orange", linestyle="--", linewidth=1.2,
                   label=f"documented {documented_Hz:g} Hz")
    ax.set_ylabel(f"rate [Hz]\n({width_ms:g} ms bins)")
    ax.legend(loc="upper right", fontsize="small", frameon=False, ncol=2)
    rf.set_time_axis(ax, ctx)
    return edges, rate


def interspike_cv(stacked, min_spikes=5):
    """The coefficient of variation of each neuron's interspike intervals
    (neurons with at least min_spikes spikes)."""
    cvs = []
    for _, t, row in stacked:
        order = np.lexsort((t, row))
        t, row = t[order], row[order]
        same = row[1:] == row[:-1]
        isi, owner = np.diff(t)[same], row[1:][same]
        if not isi.size:
            continue
        ids, start, count = np.unique(owner, return_index=True, return_counts=True)
        for s, c in zip(start[count >= min_spikes - 1], count[count >= min_spikes - 1]):
            x = isi[s:s + c]
            cvs.append(x.std() / x.mean() if x.mean() > 0 else np.nan)
    return np.array(cvs)


def draw_cv(ax, stacked):
    cv = interspike_cv(stacked)
    cv = cv[np.isfinite(cv)]
    if not cv.size:
        rf.no_data(ax, "too few spikes per neuron")
        return
    ax.hist(cv, bins=np.linspace(0.0, max(2.0, cv.max()), 41), color="0.5")
    ax.axvline(1.0, color="tab:orange", linestyle="--", linewidth=1.2, label="Poisson (CV = 1)")
    ax.axvline(np.median(cv), color="tab:blue", linewidth=1.2,
               label=f"median {np.median(cv):.2f}")
    ax.set_xlabel("CV of interspike intervals")
    ax.set_ylabel("neurons")
    ax.legend(loc="upper right", fontsize="small", frameon=False)


def spike_figure(manifest, ctx, title):
    fig = plt.figure(figsize=(12, 6))
    grid = fig.add_gridspec(2, 2, width_ratios=[3, 1], height_ratios=[3, 1.2])
    ax_raster = fig.add_subplot(grid[0, 0])
    ax_rate = fig.add_subplot(grid[1, 0], sharex=ax_raster)
    ax_side = fig.add_subplot(grid[:, 1])
    ax_raster.tick_params(labelbottom=False)
    fig.suptitle(f"{rf.network_name(manifest)}: {title} (seed {manifest.get('seed', '?')})"
                 f"{ctx['note']}")
    return fig, ax_raster, ax_rate, ax_side


def asynchronous_irregular(folder, manifest, ctx, out_dir, documented_Hz=None):
    """Brunel (2000), CUBA: raster, fine population rate and ISI variability."""
    stacked = stacked_spikes(folder, manifest)
    fig, ax_raster, ax_rate, ax_cv = spike_figure(
        manifest, ctx, "rate, asynchrony and irregularity (Brunel 2000: asynchronous irregular)")
    draw_stacked_raster(ax_raster, stacked, ctx)
    draw_fine_rate(ax_rate, stacked, ctx, max(1.0, ctx["dt_ms"]), documented_Hz)
    chi = synchrony(stacked, ctx["duration_ms"])
    ax_rate.set_title(f"population rate; synchrony chi = {chi:.2f} in 5 ms bins (independent "
                      f"neurons: {1 / np.sqrt(max(recorded_neurons(stacked), 1)):.2f}, "
                      "all in step: 1)", loc="left", fontsize="small")
    draw_cv(ax_cv, stacked)
    fig.tight_layout()
    return rf.save(fig, out_dir, "point.png")


def draw_spectrum(ax, rate, width_ms):
    """The power spectrum of the population rate, alpha and gamma bands shaded."""
    x = rate - rate.mean()
    power = np.abs(np.fft.rfft(x)) ** 2
    freq = np.fft.rfftfreq(x.size, d=width_ms * 1e-3)
    keep = (freq > 0) & (freq <= 100)
    ax.axvspan(8, 13, color="tab:green", alpha=0.2, label="alpha 8-13 Hz")
    ax.axvspan(30, 80, color="tab:orange", alpha=0.15, label="gamma 30-80 Hz")
    ax.semilogy(freq[keep], power[keep] / max(power[keep].max(), 1e-300), color="k", linewidth=0.8)
    if keep.any():
        peak = freq[keep][np.argmax(power[keep])]
        ax.set_title(f"peak at {peak:.0f} Hz", fontsize="small")
    ax.set_xlabel("frequency [Hz]")
    ax.set_ylabel("power of the population rate\n(relative)")
    ax.legend(loc="upper right", fontsize="small", frameon=False)


def rhythms(folder, manifest, ctx, out_dir, documented_Hz=None):
    """Izhikevich (2003) Fig. 3: the raster shows alpha and gamma rhythms."""
    stacked = stacked_spikes(folder, manifest)
    fig, ax_raster, ax_rate, ax_spectrum = spike_figure(
        manifest, ctx, "population rhythms (Izhikevich 2003, Fig. 3: alpha and gamma)")
    draw_stacked_raster(ax_raster, stacked, ctx)
    width = max(1.0, ctx["dt_ms"])
    _, rate = draw_fine_rate(ax_rate, stacked, ctx, width, documented_Hz)
    draw_spectrum(ax_spectrum, rate, width)
    fig.tight_layout()
    return rf.save(fig, out_dir, "point.png")


def salience_onsets(manifest):
    """(population, onset [ms], rate [Hz]) of each salience source that steps
    its rate (bg_selection: sal_0, sal_1)."""
    populations = rf.network_description(manifest).get("populations", {})
    onsets = []
    for name, spec in sorted(populations.items()):
        params = spec.get("params", {})
        for t, r in zip(params.get("rate_times_ms", []), params.get("rate_values_Hz", [])):
            if name.startswith("sal_"):
                onsets.append((name, float(t), float(r)))
    return onsets


def selection(folder, manifest, ctx, out_dir):
    """Humphries et al. (2006): each nucleus's rate per channel against time,
    the salience onsets marked; selection is the GPi/SNr output of a channel
    falling below its tonic rate while the others' stay at or above it."""
    by_nucleus = {}
    for rec in rf.recordings(manifest, "spikes"):
        nucleus, _, channel = rec["population"].rpartition("_")
        if nucleus in ("d1", "d2", "stn", "gpe", "gpi") and channel.isdigit():
            by_nucleus.setdefault(nucleus, []).append((int(channel), rec))
    if "gpi" not in by_nucleus:
        raise MissingRecording("no spike recordings of gpi_0, gpi_1, ...")
    order = [n for n in ("gpi", "gpe", "stn", "d1", "d2") if n in by_nucleus]
    fig, axes = plt.subplots(len(order), 1, figsize=(10, 1.9 * len(order) + 0.8), sharex=True)
    axes = np.atleast_1d(axes)
    width = max(50.0, ctx["dt_ms"])
    onsets = salience_onsets(manifest)
    names = {"gpi": "GPi/SNr", "gpe": "GPe", "stn": "STN", "d1": "D1 MSN", "d2": "D2 MSN"}
    for ax, nucleus in zip(axes, order):
        for channel, rec in sorted(by_nucleus[nucleus], key=lambda x: x[0]):
            t, _ = rf.load_spikes(folder, rec)
            edges, rate = rf.population_rate(t, int(rec.get("neurons") or 0), ctx["duration_ms"],
                                             width)
            ax.step(edges[:-1] / ctx["unit"].ms, rate, where="post", linewidth=1.1,
                    label=f"channel {channel}")
        for name, t0, r in onsets:
            ax.axvline(t0 / ctx["unit"].ms, color="0.4", linestyle="--", linewidth=0.8)
            if nucleus == order[0]:
                ax.annotate(f"{name} +{r:g} Hz", (t0 / ctx["unit"].ms, 1.0),
                            xycoords=("data", "axes fraction"), fontsize="small",
                            ha="left", va="bottom")
        ax.set_ylabel(f"{names[nucleus]}\n[Hz]")
        rf.set_time_axis(ax, ctx, label=ax is axes[-1])
    axes[0].legend(loc="upper right", fontsize="small", frameon=False, ncol=3)
    fig.suptitle(f"{rf.network_name(manifest)}: selection by disinhibition, rates in "
                 f"{rf.format_ms(width)} bins (seed {manifest.get('seed', '?')}){ctx['note']}",
                 y=0.995)
    fig.tight_layout()
    return rf.save(fig, out_dir, "point.png")


# ------------------------------------------------------------ the table


# Documented rates [Hz]: docs/description.md, "The library" (seed 1).
POINT_FIGURES = {
    "izhikevich2007_distal_reward": distal_reward,
    "izhikevich2007_distal_reward_control": distal_reward,
    "izhikevich2007_pavlovian": pavlovian,
    "izhikevich2007_pavlovian_control": pavlovian,
    "izhikevich2003": functools.partial(rhythms, documented_Hz=7.1),
    "brunel2000": functools.partial(asynchronous_irregular, documented_Hz=37.7),
    "brunel2000_small": functools.partial(asynchronous_irregular, documented_Hz=55.6),
    "cuba": functools.partial(asynchronous_irregular, documented_Hz=5.5),
    "bg_selection": selection,
    "bg_selection_depleted": selection,
}


def point_figure(folder, manifest, ctx, out_dir):
    """Writes point.png for a library network; None for any other run, or (with
    a warning) when the recordings it needs are missing."""
    name = rf.network_name(manifest)
    draw = POINT_FIGURES.get(name)
    if draw is None:
        return None
    try:
        return draw(folder, manifest, ctx, out_dir)
    except MissingRecording as e:
        plt.close("all")
        print(f"plot_results.py: warning: no point.png for {name}: {e}", file=sys.stderr)
        return None
