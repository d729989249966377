"""Reading a bgsim results folder for the figures (docs/results.md).

Shared by tools/plot_results.py, tools/plots/overview.py and
tools/plots/library.py: the manifest and its checks, the data files of each
recording, the time unit a figure's axis is drawn in, the population rate,
the raster, and what the resolved description says about plasticity (the
dopamine baseline b of each plastic projection, the chosen synapse of a
contingency).

A folder that cannot be plotted raises ResultsError with a message for the
user (never a traceback).
"""
import collections
import json
import math
import os

import numpy as np
import matplotlib.pyplot as plt


class ResultsError(Exception):
    """A results folder that cannot be plotted; the message says why."""


# ------------------------------------------------------------ the manifest


def read_manifest(folder):
    """The manifest of a finished run: complete, interrupted, or failed with its
    recordings up to the failure (a file that could not be written is missing
    and refused when a figure needs it)."""
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
    if status == "failed" and not (manifest.get("results") or {}).get("recordings"):
        raise ResultsError(f"{folder} holds nothing to plot: its run failed before recording "
                           f"(manifest status \"failed\": {manifest.get('error', 'no error given')})")
    if status not in ("complete", "interrupted", "failed"):
        raise ResultsError(f"{path} has no valid \"status\" (found {status!r})")
    if not isinstance(manifest.get("results"), dict):
        # A closed-loop experiment keeps its network's section in its summary.
        network = (manifest.get("summary") or {}).get("network") or {}
        if not isinstance(network.get("results"), dict):
            raise ResultsError(f"{path} has no \"results\" section: nothing to plot")
        manifest["results"] = network["results"]
    manifest["network_description"] = network_description(manifest)
    return manifest


EXPERIMENTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tasks",
                           "experiments")


def network_description(manifest):
    """The network's description: the resolved one of a network run; for a
    closed-loop experiment, whose manifest names only the network's file
    (relative to tasks/experiments/), that file when it is found there, else {}."""
    description = manifest.get("description") or {}
    if "projections" in description or "populations" in description:
        return description
    learner = ((description.get("experiment") or {}).get("params") or {}).get("learner") or {}
    network = learner.get("network")
    if not isinstance(network, str):
        return {}
    try:
        with open(os.path.join(EXPERIMENTS, network), encoding="utf-8") as f:
            return json.load(f)
    except (OSError, json.JSONDecodeError):
        return {}


def network_name(manifest):
    """The network's name: its "name" if the manifest keeps one, else the
    stem of the description file (networks/library/<name>.json)."""
    name = manifest.get("name") or manifest["network_description"].get("name")
    if name:
        return name
    file_name = manifest.get("description_file") or ""
    return os.path.splitext(os.path.basename(file_name))[0]


def recordings(manifest, kind):
    """The recordings of one kind ("spikes", "state", "synapses", "neuromodulator")."""
    return [r for r in manifest["results"].get("recordings", []) if r.get("kind") == kind]


# ------------------------------------------------------------ data files


def load_npy(folder, name):
    path = os.path.join(folder, name)
    if not os.path.isfile(path):
        raise ResultsError(f"{path} is listed in manifest.json but missing: the folder is "
                           "incomplete")
    try:
        return np.load(path, allow_pickle=False)
    except ValueError as e:
        raise ResultsError(f"{path} is not a readable .npy file ({e})") from None


def load_spikes(folder, rec):
    """(time_ms, neuron) of a spike recording."""
    spikes = load_npy(folder, rec["files"]["spikes"])
    if spikes.dtype.names is None or not {"time_ms", "neuron"} <= set(spikes.dtype.names):
        raise ResultsError(f"{rec['files']['spikes']}: expected fields time_ms and neuron, "
                           f"found dtype {spikes.dtype}")
    return spikes["time_ms"], spikes["neuron"]


Synapses = collections.namedtuple("Synapses", "times values sources targets")


def load_synapses(folder, rec):
    """A weight recording: sample times [ms], values [samples x synapses], and
    the source and target of each column."""
    files = rec["files"]
    s = Synapses(load_npy(folder, files["times"]), load_npy(folder, files["values"]),
                 load_npy(folder, files["sources"]), load_npy(folder, files["targets"]))
    if (s.values.ndim != 2 or s.values.shape != (s.times.size, s.sources.size)
            or s.targets.size != s.sources.size):
        raise ResultsError(f"{files['values']}: shape {s.values.shape} does not match "
                           f"{s.times.size} sample times and {s.sources.size} synapses")
    return s


def load_level(folder, rec):
    """A neuromodulator recording: sample times [ms] and levels."""
    files = rec["files"]
    values, times = load_npy(folder, files["values"]), load_npy(folder, files["times"])
    if values.shape != times.shape:
        raise ResultsError(f"{files['values']}: shape {values.shape} does not match "
                           f"{times.size} sample times")
    return times, values


def is_stimulus_log(folder, file_name):
    """Whether a table is a group stimulus's log (time_ms, group, rewarded, response)."""
    path = os.path.join(folder, file_name)
    if not file_name.endswith(".csv") or not os.path.isfile(path):
        return False
    with open(path, encoding="utf-8") as f:
        header = f.readline().strip().split(",")
    return {"time_ms", "group", "rewarded", "response"} <= set(header)


def load_table(folder, file_name):
    """A CSV table as a structured array (text columns as str)."""
    path = os.path.join(folder, file_name)
    if not os.path.isfile(path):
        raise ResultsError(f"{path} is listed in manifest.json but missing: the folder is "
                           "incomplete")
    return np.atleast_1d(np.genfromtxt(path, delimiter=",", names=True, dtype=None,
                                       encoding="utf-8"))


def stimulus_logs(folder, manifest):
    """(name, file name) of every group stimulus log of the run."""
    tables = manifest["results"].get("tables", {})
    return [(name, f) for name, f in sorted(tables.items()) if is_stimulus_log(folder, f)]


# ------------------------------------------------------------ run and time


TimeUnit = collections.namedtuple("TimeUnit", "name ms")


def time_unit(duration_ms):
    """The unit a reader uses for a run this long: ms below 2 s, s below
    5 min, min below 3 h, h beyond."""
    if duration_ms < 2000.0:
        return TimeUnit("ms", 1.0)
    if duration_ms < 300000.0:
        return TimeUnit("s", 1000.0)
    if duration_ms < 3 * 3600000.0:
        return TimeUnit("min", 60000.0)
    return TimeUnit("h", 3600000.0)


def run_context(folder, manifest):
    """What every figure needs about the run: resolution, time reached (the
    duration plotted), its time unit, and a note when it was interrupted."""
    results = manifest["results"]
    dt_ms = float(results.get("resolution_ms") or manifest.get("resolution_ms") or 0.1)
    reached = results.get("time_reached_ms")
    duration = float(reached if reached is not None else manifest.get("duration_ms") or 0.0)
    note = ""
    if manifest["status"] == "interrupted":
        note = f"\n(run interrupted at {duration:g} ms)"
    elif manifest["status"] == "failed":
        error = str(manifest.get("error") or "no error given")
        note = f"\n(run failed at {duration:g} ms: {error[:90]}{'...' if len(error) > 90 else ''})"
    return {"dt_ms": dt_ms, "duration_ms": duration, "note": note,
            "unit": time_unit(duration), "folder": folder}


def set_time_axis(ax, ctx, label=True):
    """x from 0 to the time reached, in the run's unit."""
    unit = ctx["unit"]
    if ctx["duration_ms"]:
        ax.set_xlim(0.0, ctx["duration_ms"] / unit.ms)
    if label:
        ax.set_xlabel(f"time [{unit.name}]")


def nice_bin_ms(duration_ms, dt_ms, bins=100):
    """A round bin width giving about `bins` bins, never finer than dt."""
    target = max(duration_ms / bins, dt_ms)
    exponent = math.floor(math.log10(target))
    for mantissa in (1, 2, 5, 10):
        width = mantissa * 10.0 ** exponent
        if width >= target * (1 - 1e-9):
            return width
    return 10.0 ** (exponent + 1)


def format_ms(width_ms):
    """A bin width in its natural unit: 10 ms, 2 s, 5 min."""
    for name, ms in (("h", 3600000.0), ("min", 60000.0), ("s", 1000.0)):
        if width_ms >= ms:
            return f"{width_ms / ms:g} {name}"
    return f"{width_ms:g} ms"


def population_rate(t_ms, neurons, duration_ms, width_ms):
    """Bin edges [ms] and the rate [Hz per recorded neuron] in whole bins from 0
    covering the run; a spike stamped at the very end falls in the last bin."""
    edges = np.arange(max(1, math.ceil(duration_ms / width_ms - 1e-9)) + 1) * width_ms
    counts, edges = np.histogram(t_ms, bins=edges)
    return edges, counts / (max(neurons, 1) * width_ms * 1e-3)


def mean_rate(rec, t_ms, duration_ms):
    """Mean rate [Hz] per recorded neuron over the run."""
    neurons = int(rec.get("neurons") or 0)
    return t_ms.size / neurons / (duration_ms * 1e-3) if neurons and duration_ms > 0 else math.nan


# ------------------------------------------------------------ drawing


def save(fig, out_dir, name):
    """Writes a PNG under a temporary name and renames it, like every results file."""
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


def no_data(ax, text):
    ax.text(0.5, 0.5, text, transform=ax.transAxes, ha="center", va="center", color="0.4")


def neuron_span(rec, neuron):
    """The rows a raster of this recording needs: (first, last) neuron index,
    the whole population when every neuron was recorded."""
    size = int(rec.get("population_size") or 0)
    if neuron.size and (not size or int(rec.get("neurons") or 0) < size):
        return int(neuron.min()), int(neuron.max())
    return 0, max(size, 1) - 1


def drawn_neurons(neuron, keep):
    """About `keep` evenly spaced neurons among those that fired (all of them
    when keep is larger)."""
    fired = np.unique(neuron)
    if keep >= fired.size:
        return fired
    return fired[np.unique(np.linspace(0, fired.size - 1, max(keep, 1)).round().astype(int))]


def draw_spikes(ax, t, y, unit, colour="k"):
    """Dots of a raster at times t [ms] (drawn in `unit`) and rows y."""
    marker, ms = ("|", 2.5) if t.size <= 20000 else (",", 1)
    ax.plot(t / unit.ms, y, linestyle="none", marker=marker, markersize=ms, color=colour,
            rasterized=True)


def raster(ax, t_ms, neuron, span, unit, max_neurons=300, max_spikes=60000):
    """Draws a raster (time in `unit` against neuron index, rows span[0] to
    span[1]); when the recording is large, only evenly spaced neurons are drawn
    (about `max_neurons`, and fewer when they would give more than `max_spikes`
    spikes). Returns the number of neurons drawn, or None when all were."""
    ax.set_ylim(span[0] - 0.5, span[1] + 0.5)
    if not t_ms.size:
        no_data(ax, "no spikes")
        return None
    fired = np.unique(neuron).size
    drawn = drawn_neurons(neuron, min(max_neurons, int(fired * max_spikes / t_ms.size)))
    mask = np.isin(neuron, drawn)
    draw_spikes(ax, t_ms[mask], neuron[mask], unit)
    return drawn.size if drawn.size < fired else None


# ------------------------------------------------------------ plasticity


def projections(manifest):
    return manifest["network_description"].get("projections", [])


def volumes(manifest):
    return manifest["network_description"].get("neuromodulators") or {}


def dopamine_baselines(manifest):
    """Volume name -> {b: [projection names]} for every projection whose
    synapse model has a dopamine baseline b (stdp_dopamine): the level above
    which its eligible synapses grow."""
    names = list(volumes(manifest))
    baselines = {}
    for pr in projections(manifest):
        synapse = pr.get("synapse") or {}
        b = (synapse.get("params") or {}).get("b")
        if b is None:
            continue
        volume = synapse.get("neuromodulator") or (names[0] if len(names) == 1 else None)
        baselines.setdefault(volume, {}).setdefault(float(b), []).append(pr.get("name", "?"))
    return baselines


Chosen = collections.namedtuple("Chosen", "volume projection pre synapse post")


def chosen_synapse(manifest):
    """The synapse a contingency rewards (docs/description.md, "contingency"):
    its volume, projection, source neuron, rank among that neuron's synapses,
    and target neuron (from the observers' summary; None if not reported)."""
    for volume, spec in volumes(manifest).items():
        c = spec.get("contingency")
        if not c:
            continue
        post = None
        for summary in (manifest.get("observers") or {}).values():
            if summary.get("pre_neuron") == c.get("source") and "post_neuron" in summary:
                post = int(summary["post_neuron"])
        return Chosen(volume, c.get("projection"), int(c.get("source", 0)),
                      int(c.get("synapse", 0)), post)
    return None


def chosen_column(chosen, rec, synapses):
    """The column of a weight recording that holds the chosen synapse, or None.
    Columns are in the projection's order, so the synapse-th column of the
    source neuron is the chosen one when the recorder took all its targets."""
    if chosen is None or rec.get("projection") != chosen.projection:
        return None
    columns = np.flatnonzero(synapses.sources == chosen.pre)
    if chosen.synapse < columns.size:
        k = int(columns[chosen.synapse])
        if chosen.post is None or synapses.targets[k] == chosen.post:
            return k
    if chosen.post is not None:
        match = columns[synapses.targets[columns] == chosen.post]
        if match.size:
            return int(match[0])
    return None


def pulse_amounts(manifest, volume):
    """The positive pulse sizes a volume receives (contingency, random pulses,
    scheduled pulses, group stimulus rewards)."""
    spec = volumes(manifest).get(volume) or {}
    amounts = [((spec.get("contingency") or {}).get("params") or {}).get("amount"),
               (spec.get("random_pulses") or {}).get("amount")]
    amounts += [p.get("amount") for p in spec.get("pulses") or []]
    for st in manifest["network_description"].get("stimuli", []):
        if st.get("model") == "group_stimulus":
            amounts.append((st.get("params") or {}).get("reward_amount"))
    return [float(a) for a in amounts if a is not None and float(a) > 0]


def pulse_times(manifest, volume, times, level):
    """Times [ms] at which the recorded level jumps up by at least half the
    smallest pulse the volume receives (rewards, random pulses)."""
    amounts = pulse_amounts(manifest, volume)
    if not amounts or level.size < 2:
        return np.array([])
    jumps = np.flatnonzero(np.diff(level) > 0.5 * min(amounts)) + 1
    return times[jumps]
