"""bgsim from Python: build a network from its JSON description, run it,
run it on, and read what it recorded as NumPy arrays.

    import bgsim
    net = bgsim.Network.from_file("networks/library/brunel2000_small.json")
    net.run(200.0)                      # ms
    net.run(300.0)                      # on from 200 ms, as one run of 500 ms
    spikes = net.spikes("exc")          # fields time_ms (float64, ms), neuron (uint32)

The description, the builder and the kernel are those of `bgsim run`: the
same file gives the same numbers, bit for bit. Times are in ms throughout;
every other value is in its model's unit (docs/models.md, bgsim.describe).
The user's guide is docs/python.md.
"""

from __future__ import annotations

import json
import os
import signal
import tempfile
import threading
import warnings
from collections import namedtuple
from collections.abc import Mapping

import numpy as np

from . import _core

__version__ = _core.version

__all__ = [
    "Network",
    "DescriptionError",
    "DescriptionWarning",
    "GuardViolation",
    "Problem",
    "Model",
    "Parameter",
    "State",
    "Weights",
    "Trace",
    "validate",
    "models",
    "describe",
    "ExperimentResult",
    "run_experiment",
    "compare",
    "Task",
    "Agent",
    "Session",
    "play",
]

GuardViolation = _core.GuardViolation
GuardViolation.__doc__ = (
    "A run met a numerical guard (NaN or infinite state, weight or level; a "
    "population past its max_rate_Hz): raised at an epoch boundary, with every "
    "spike up to then recorded."
)


# ---------------------------------------------------------------- problems


class Problem(tuple):
    """One problem of a description, a tuple (pointer, message): the JSON
    pointer of the value at fault (RFC 6901; "" for the whole document) and
    what is wrong and what would be right. `file` names the included file it
    is in ("" for the main one); str() is the line `bgsim validate` prints."""

    def __new__(cls, pointer: str, message: str, file: str = "", text: str | None = None):
        self = super().__new__(cls, (pointer, message))
        self.file = file
        self._text = text if text is not None else f"{pointer or '/'}: {message}"
        return self

    def __getnewargs__(self):
        return (self[0], self[1], self.file, self._text)

    @property
    def pointer(self) -> str:
        return self[0]

    @property
    def message(self) -> str:
        return self[1]

    def __str__(self) -> str:
        return self._text

    def __repr__(self) -> str:
        return f"Problem(pointer={self[0]!r}, message={self[1]!r})"


def _problems(items) -> list:
    return [Problem(pointer, message, file, text) for file, pointer, message, text in items]


class DescriptionError(ValueError):
    """A description with problems: every one of them, each with its JSON
    pointer. str() is the text `bgsim validate FILE` prints (one line per
    problem, then "FILE: N problems")."""

    def __init__(self, text: str, problems: list, warnings_: list | None = None, label: str = ""):
        super().__init__(text)
        self.problems = problems  # list of Problem: (pointer, message)
        self.warnings = warnings_ or []
        self.label = label


class DescriptionWarning(UserWarning):
    """A description that runs, but not as its author likely meant (the CLI
    prints these as "warning: ...")."""


def _plain(value):
    """JSON for what json.dumps does not take: NumPy scalars and arrays."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    raise TypeError(f"a description holds JSON values only, not {type(value).__name__}")


def _absolute_includes(include, base: str):
    def absolute(p):
        return os.path.join(base, p) if isinstance(p, str) else p

    if isinstance(include, str):
        return absolute(include)
    if isinstance(include, list):
        return [absolute(p) for p in include]
    return include


def _absolute_connections(projections, base: str):
    """The file paths of explicit connections ("connections": "w.npy" or an
    object of arrays and paths) made absolute, relative to `base`; arrays
    (NumPy or lists) are left as they are."""
    if not isinstance(projections, list):
        return projections
    out = []
    for p in projections:
        if isinstance(p, Mapping) and "connections" in p:
            p = dict(p)
            c = p["connections"]
            if isinstance(c, (str, os.PathLike)):
                p["connections"] = os.path.join(base, os.fspath(c))
            elif isinstance(c, Mapping):
                p["connections"] = {
                    k: os.path.join(base, os.fspath(v)) if isinstance(v, (str, os.PathLike)) else v
                    for k, v in c.items()
                }
        out.append(p)
    return out


def _sets(overrides) -> list:
    """Overrides pointer -> value as `bgsim run --set POINTER=VALUE` takes them."""
    if overrides is None:
        return []
    if not isinstance(overrides, Mapping):
        raise TypeError("overrides are a dict of JSON pointer -> value")
    return [
        f"{pointer}={json.dumps(value, default=_plain, allow_nan=False)}"
        for pointer, value in overrides.items()
    ]


def _read(description, base=None, label=None, overrides=None) -> "_core.Reading":
    """Reads a file path or a dict with the CLI's reader; problems are kept."""
    sets = _sets(overrides)
    if isinstance(description, (str, os.PathLike)):
        path = os.fspath(description)
        return _core.Reading.from_file(
            path, label or "", None if base is None else os.fspath(base), sets
        )
    if not isinstance(description, Mapping):
        raise TypeError("a description is a file path or a dict, not " + type(description).__name__)
    base = os.path.abspath(os.fspath(base) if base is not None else os.getcwd())
    label = label or "<dict>"
    doc = dict(description)
    if "projections" in doc:
        doc["projections"] = _absolute_connections(doc["projections"], base)
    if "include" not in doc:
        return _core.Reading.from_text(
            json.dumps(doc, default=_plain, allow_nan=False), label, base, sets
        )
    # Includes are read by the CLI's loader, which reads files: the dict goes
    # to a file of its own, its includes made absolute (relative to `base`).
    doc["include"] = _absolute_includes(doc["include"], base)
    with tempfile.TemporaryDirectory(prefix="bgsim-") as folder:
        path = os.path.join(folder, "description.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(doc, f, default=_plain, allow_nan=False)
        return _core.Reading.from_file(path, label, base, sets)


def _warn(reading, stacklevel: int) -> None:
    """Warns at the user's line: `stacklevel` counts the calls above this one."""
    for w in _problems(reading.warnings):
        warnings.warn(str(w), DescriptionWarning, stacklevel=stacklevel + 1)


def _error(reading) -> DescriptionError:
    return DescriptionError(
        reading.text, _problems(reading.problems), _problems(reading.warnings), reading.label
    )


def validate(description, *, base=None, overrides=None, raise_error: bool = False) -> list:
    """Checks a description — a file path or a dict, a network or an
    experiment — as `bgsim validate` does, building and running nothing.

    Returns the list of problems (Problem: pointer, message), empty when the
    description is valid; with raise_error=True a description with problems
    raises DescriptionError instead. Warnings go to Python's warnings
    (DescriptionWarning). `base`: the folder a dict's includes (and an
    experiment's relative paths) are resolved in; default: the current one.
    `overrides`: as in Network.from_file.
    """
    reading = _read(description, base, overrides=overrides)
    _warn(reading, 2)
    if raise_error and reading.problems:
        raise _error(reading)
    return _problems(reading.problems)


# ---------------------------------------------------------------- networks


def _take_sigint() -> bool:
    """Whether a run may take SIGINT over: in the main thread, while Python
    has a handler of its own (not SIG_IGN or SIG_DFL)."""
    return threading.current_thread() is threading.main_thread() and callable(
        signal.getsignal(signal.SIGINT)
    )


State = namedtuple("State", "times values neurons")
State.__doc__ = """A state recorder's samples: times [ms] (samples,), values
(samples × neurons, in the variable's unit; row i is the state at times[i],
before that step's update), neurons (the column's neuron index within its
population)."""

Weights = namedtuple("Weights", "times values sources targets")
Weights.__doc__ = """A weight recorder's samples: times [ms] (samples,), values
(samples × synapses: weight in the unit of the target receptor, or
eligibility), and per column its synapse's source and target index within
their populations."""

Trace = namedtuple("Trace", "times values")
Trace.__doc__ = """A neuromodulator recorder's samples: times [ms] and the
level (unit 1) after the jumps at each time, both (samples,)."""


class Network:
    """A network built from a description (docs/description.md) and run from
    Python. Create it with Network.from_file or Network.from_dict.

    The network is built on the first run (or build()), with the seed and
    thread count of that moment. Each run goes on from where the last one
    stopped; recordings accumulate from time 0 and are read at any moment.
    """

    def __init__(self, reading: "_core.Reading"):
        if not isinstance(reading, _core.Reading):
            raise TypeError("use Network.from_file(path) or Network.from_dict(d)")
        _warn(reading, 3)
        if reading.problems:
            raise _error(reading)
        if reading.is_experiment:
            raise ValueError(
                f"{reading.label} is an experiment (a learner on a task), not a network: "
                "run it with bgsim.run_experiment (docs/python.md)"
            )
        self._net = _core.Network(reading)
        self._label = reading.label

    @classmethod
    def from_file(cls, path, overrides: Mapping | None = None) -> "Network":
        """Reads a description file with its includes (relative to the file).
        `overrides`: JSON pointer -> value, each as `bgsim run --set
        POINTER=VALUE` applies it to the description, includes merged
        ({"/populations/exc/size": 2000}). Raises DescriptionError listing
        every problem."""
        return cls(_read(path, overrides=overrides))

    @classmethod
    def from_dict(
        cls, description: Mapping, base=None, overrides: Mapping | None = None
    ) -> "Network":
        """Reads a description held in a dict (the JSON schema of a file).
        Its includes are resolved in `base` (default: the current folder);
        `overrides` as in from_file. Raises DescriptionError listing every
        problem."""
        return cls(_read(description, base, overrides=overrides))

    def __repr__(self) -> str:
        state = f"at {self.time_ms} ms" if self._net.built else "not built"
        return f"<bgsim.Network {self._label}: {len(self.populations)} populations, {state}>"

    # -- the description

    @property
    def description(self) -> dict:
        """The description as read (includes merged), as a new dict: change
        it and pass it to Network.from_dict for a changed network."""
        return json.loads(self._net.document)

    @property
    def resolved(self) -> dict:
        """The description with every default filled in (the manifest's
        "description"), with this network's seed."""
        return json.loads(self._net.resolved)

    @property
    def seed(self) -> int:
        """The seed of every random draw of the build and the run. Settable
        before the network is built (the first run), or after reset()."""
        return self._net.seed

    @seed.setter
    def seed(self, value: int) -> None:
        self._net.seed = value

    @property
    def threads(self) -> int:
        """OpenMP threads of the run (default 1); settable at any time.
        Results do not depend on it."""
        return self._net.threads

    @threads.setter
    def threads(self, value: int) -> None:
        self._net.threads = value

    @property
    def resolution_ms(self) -> float:
        """The time step dt [ms]."""
        return self._net.resolution_ms

    @property
    def duration_ms(self) -> float:
        """The description's duration_ms: how long run() with no argument
        runs to [ms]."""
        return self._net.duration_ms

    @property
    def time_ms(self) -> float:
        """Simulated time reached [ms] (0 before the first run)."""
        return self._net.time_ms

    @property
    def populations(self) -> dict:
        """Population name -> number of neurons."""
        return {name: size for name, _model, size in self._net.populations}

    @property
    def recorders(self) -> dict:
        """Recorder name -> type ("spikes", "state", "weight_recorder",
        "neuromodulator")."""
        return dict(self._net.recorder_types)

    @property
    def counters(self) -> dict:
        """Counts of the run so far: spikes, synaptic_events, events; once
        built also neurons and synapses."""
        return self._net.counters

    # -- running

    def build(self) -> None:
        """Builds the network now (the first run does it otherwise)."""
        self._net.build()

    def reset(self) -> None:
        """Forgets the simulation and its recordings: the next run builds the
        network afresh (with the seed of that moment) from time 0."""
        self._net.reset()

    def run(self, ms: float | None = None) -> float:
        """Runs `ms` milliseconds from the time reached (rounded to whole
        steps), or, with no argument, on to the description's duration_ms.
        Returns the time reached [ms].

        The GIL is released while the kernel runs. Ctrl-C (SIGINT) stops the
        run at the next epoch boundary (a few ms of simulated time) and raises
        KeyboardInterrupt; everything recorded up to there is readable, and
        the next run goes on from there. Raises GuardViolation if a numerical
        guard fires.
        """
        return self._net.run(None if ms is None else float(ms), _take_sigint())

    # -- results (read-only views of the recordings, no copies: docs/python.md, "Zero copy")

    def spikes(self, recorder: str) -> np.ndarray:
        """The spikes of a spike recorder so far: a structured array with
        fields time_ms (float64, ms) and neuron (uint32, index within the
        population), in time order — the records of the CLI's
        <recorder>_spikes.npy. Read-only, a view of the recording (no copy)."""
        return self._net.spikes(recorder)

    def connections(self, projection: str) -> np.ndarray:
        """A projection's synapses now (the network is built first): a
        structured array with fields source, target (uint32, local indices),
        weight (float64: a plastic synapse's weight now, rounded to the
        precision the projection stores) and delay_ms (float64, whole steps),
        in the order (source, target) — the records a "connections" recorder
        writes. Give it back as {"rule": "explicit", "connections": {...}} with
        its columns, or np.save it and name the file."""
        return self._net.connections(projection)

    def state(self, recorder: str) -> State:
        """The samples of a state recorder so far: State(times, values,
        neurons) as <rec>_times.npy, <rec>.npy and <rec>_neurons.npy."""
        times, values = self._net.samples(recorder, "state")
        return State(times, values, self._net.recorder(recorder, "state")["neurons"])

    def weights(self, recorder: str) -> Weights:
        """The samples of a weight recorder so far: Weights(times, values,
        sources, targets) as <rec>_times.npy, <rec>.npy, <rec>_sources.npy and
        <rec>_targets.npy."""
        times, values = self._net.samples(recorder, "weight_recorder")
        info = self._net.recorder(recorder, "weight_recorder")
        return Weights(times, values, info["sources"], info["targets"])

    def neuromodulator(self, recorder: str) -> Trace:
        """The samples of a neuromodulator recorder so far: Trace(times,
        values), the level of a dopamine volume (unit 1)."""
        times, values = self._net.samples(recorder, "neuromodulator")
        return Trace(times, values.reshape(-1))  # one column: a view, no copy

    def recorder(self, name: str) -> dict:
        """What a recorder records: type, source (population, projection or
        volume), variable, unit, interval_ms, and its columns (neurons;
        sources and targets)."""
        recorders = self.recorders
        if name not in recorders:
            known = ", ".join(repr(n) for n in recorders) or "none"
            raise KeyError(f"no recorder named {name!r}; the description's: {known}")
        return self._net.recorder(name, recorders[name])

    def tables(self) -> dict:
        """The tables observers keep (a group_stimulus's stimulus log and
        groups, as the CLI's <name>.csv): name -> {column: array or list}."""
        out = {}
        for name, columns, rows in self._net.tables():
            table = {}
            for j, column in enumerate(columns):
                cells = [row[j] for row in rows]
                numeric = all(isinstance(c, float) for c in cells)
                table[column] = np.array(cells, dtype=np.float64) if numeric else cells
            out[name] = table
        return out


# ---------------------------------------------------------------- experiments


def _read_folder(folder: str, map_arrays: bool) -> tuple:
    """The tables (every .csv, as DataFrames, floats read back exactly) and
    arrays (every .npy) of a results folder, by file stem. `map_arrays`:
    the arrays are read-only memory maps of the files (no copy; pages are
    read as they are used), else read into memory."""
    import pandas as pd

    tables, arrays = {}, {}
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name)
        stem, ext = os.path.splitext(name)
        if name.startswith(".") or not os.path.isfile(path):
            continue
        if ext == ".csv":
            tables[stem] = pd.read_csv(path, float_precision="round_trip")
        elif ext == ".npy":
            arrays[stem] = np.load(
                path, mmap_mode="r" if map_arrays else None, allow_pickle=False
            )
    return tables, arrays


class ExperimentResult:
    """What an experiment wrote, read back: the results folder of `bgsim run`
    for an experiment (docs/closed_loop.md, docs/compare.md, docs/agents/).

    `manifest` is its manifest.json as a dict; `summary` its summary numbers
    (a comparison's metrics); `tables` every CSV file as a pandas DataFrame
    (by file stem: "steps", "choices", "trials", "aligned", ...) and
    `arrays` every .npy file as an array ("aligned"; a spiking learner's
    recordings, "<rec>_spikes", "<rec>", "<rec>_times"): with a folder of
    your own (`out`), read-only memory maps of its files, not copies; from a
    temporary folder, read into memory. `folder` is the folder it was
    written to, None when it was a temporary one (removed).
    """

    _TRIAL_TABLES = ("choices", "trials", "steps")

    def __init__(self, manifest: dict, tables: dict, arrays: dict, folder: str | None):
        self.manifest = manifest
        self.tables = tables
        self.arrays = arrays
        self.folder = folder

    @property
    def kind(self) -> str:
        """The experiment's kind ("closed_loop", "compare", ...)."""
        return self.manifest["experiment"]

    @property
    def seed(self) -> int:
        return self.manifest["seed"]

    @property
    def status(self) -> str:
        """"complete", or "interrupted" (a Ctrl-C ended it at a trial boundary)."""
        return self.manifest["status"]

    @property
    def summary(self) -> dict:
        """The manifest's summary: per experiment kind its numbers (a
        comparison: its metrics, the Q-learning fits, the correlations)."""
        return self.manifest.get("summary", {})

    @property
    def trials(self):
        """The per-trial table as a pandas DataFrame: choices.csv of a
        comparison on a choice task, trials.csv of a comparison on
        conditioning, else steps.csv (a closed loop: one row per step at which
        the learner acted; the bandit: one per trial). None for a kind that
        writes none of them."""
        for name in self._TRIAL_TABLES:
            if name in self.tables:
                return self.tables[name]
        return None

    @property
    def aligned(self):
        """A conditioning comparison's aligned signals, trials × bins ×
        learners (aligned.npy); None for other kinds."""
        return self.arrays.get("aligned")

    def spikes(self, recorder: str) -> np.ndarray:
        """A spiking learner's spikes of `recorder`: fields time_ms, neuron
        (<rec>_spikes.npy)."""
        key = recorder + "_spikes"
        if key not in self.arrays:
            known = sorted(k[: -len("_spikes")] for k in self.arrays if k.endswith("_spikes"))
            raise KeyError(f"no spike recording {recorder!r}; the experiment's: {known}")
        return self.arrays[key]

    def __repr__(self) -> str:
        return (
            f"<bgsim.ExperimentResult {self.kind} ({self.status}): tables "
            f"{sorted(self.tables)}, arrays {sorted(self.arrays)}>"
        )


def run_experiment(
    description,
    *,
    base=None,
    overrides: Mapping | None = None,
    seed: int | None = None,
    threads: int = 1,
    out=None,
    overwrite: bool = False,
    kind: str | None = None,
    progress=None,
) -> ExperimentResult:
    """Runs an experiment description ({"experiment": {"kind": ..., "params":
    ...}}, a file path or a dict) as `bgsim run FILE` runs it, and returns
    what it wrote as an ExperimentResult.

    `overrides` as in Network.from_file (`--set`); `seed` replaces the
    description's (`--seed`); `threads` for a spiking learner (`--threads`;
    results do not depend on it). `out`: the results folder to write (as
    `--out`; `overwrite` as `--overwrite`); default a temporary folder,
    removed once read. `kind`: refuse an experiment of another kind (as `bgsim
    compare` does). The same file gives the CLI's files byte for byte.
    `progress`: a callable(done, total) called after every trial by the
    experiments that run trial by trial (closed loops, comparisons), as the
    CLI's progress line; an exception it raises ends the experiment at that
    trial ("interrupted") and is raised once the folder is written.

    The GIL is released while it runs. Ctrl-C stops it at the next trial
    boundary: the folder's manifest says "interrupted" and KeyboardInterrupt
    is raised. Raises DescriptionError for a description with problems and
    RuntimeError for a run that failed (the manifest of `out` says why).
    """
    reading = _read(description, base, overrides=overrides)
    _warn(reading, 2)
    if reading.problems:
        raise _error(reading)
    if not reading.is_experiment:
        raise ValueError(
            f"{reading.label} is a network, not an experiment: use bgsim.Network "
            "(an experiment's top level holds \"experiment\")"
        )
    document = json.loads(reading.document)
    found = document["experiment"].get("kind")
    if kind is not None and found != kind:
        raise ValueError(
            f"/experiment/kind: this runs experiments of kind {kind!r}; this one is {found!r} "
            "(run it with bgsim.run_experiment)"
        )
    if isinstance(description, (str, os.PathLike)):
        label = os.path.basename(os.fspath(description))
        folder_base = os.path.dirname(os.fspath(description)) if base is None else os.fspath(base)
    else:
        label = "<dict>"
        folder_base = os.path.abspath(os.fspath(base) if base is not None else os.getcwd())
    sets = _sets(overrides)

    def run(folder: str) -> ExperimentResult:
        manifest = json.loads(
            _core.run_experiment(
                reading, folder_base, label, folder, overwrite,
                None if seed is None else int(seed), int(threads), sets, _take_sigint(),
                progress,
            )
        )
        if manifest["status"] == "failed":
            raise RuntimeError(f"experiment {found} failed: {manifest.get('error', '')}")
        tables, arrays = _read_folder(folder, map_arrays=out is not None)
        return ExperimentResult(manifest, tables, arrays, None if out is None else folder)

    if out is not None:
        return run(os.fspath(out))
    with tempfile.TemporaryDirectory(prefix="bgsim-experiment-") as folder:
        return run(os.path.join(folder, "results"))


def compare(description, **options) -> ExperimentResult:
    """Runs a comparison of learners (an experiment of kind "compare",
    docs/compare.md) as `bgsim compare FILE` does: run_experiment with
    kind="compare" and the same options. Its per-trial table is `.trials`,
    its aligned signals `.aligned` (conditioning) and `.tables`, its metrics
    `.summary`."""
    return run_experiment(description, kind="compare", **options)


# ---------------------------------------------------------------- tasks and agents


def _made(result, label: str):
    problems, warns, text, handle = result
    for w in _problems(warns):
        warnings.warn(str(w), DescriptionWarning, stacklevel=3)
    if handle is None:
        raise DescriptionError(text, _problems(problems), _problems(warns), label)
    return handle


class Task:
    """A task of the closed loop, made by name with the parameters a
    closed-loop file's "task" object takes (docs/closed_loop.md, "Tasks"):
    "bandit", "conditioning", "track", "probabilistic_selection".

    `seed` is the experiment's seed: the task draws from stream 0 of it, as in
    a closed loop, so Task(type, params, seed=s) meets the trials of the
    experiment with seed s. Problems raise DescriptionError with pointers
    ("/params/num_arms").

        task = bgsim.Task("bandit", {"initial_means": [0.8, 0.2]}, seed=1)
        now = task.reset()                  # a TaskStep: trial, state, reward, events, ...
        nxt = task.step(0)                  # the action
    """

    def __init__(self, type: str, params: Mapping | None = None, *, seed: int = 1):
        d = {"type": type, "params": dict(params or {})}
        self._task = _made(
            _core.make_task(json.dumps(d, default=_plain, allow_nan=False), int(seed)), "<task>"
        )

    type = property(lambda self: self._task.type, doc="The task's type name.")
    seed = property(lambda self: self._task.seed, doc="The experiment's seed it was made with.")
    num_states = property(lambda self: self._task.num_states, doc="Discrete states (0: none).")
    num_actions = property(lambda self: self._task.num_actions, doc="Actions (1: Pavlovian).")
    num_stimuli = property(lambda self: self._task.num_stimuli, doc="Stimulus channels.")
    step_ms = property(lambda self: self._task.step_ms, doc="Duration of one step [ms].")
    best_action = property(
        lambda self: self._task.best_action,
        doc="The best action of the trial under way (-1: none).",
    )
    finished = property(
        lambda self: self._task.finished, doc="True when the task has no further trial."
    )

    @property
    def params(self) -> dict:
        """Every parameter, defaults filled in (as a closed loop's manifest)."""
        return json.loads(self._task.params)

    def reset(self):
        """Starts the next trial; returns its first TaskStep."""
        return self._task.reset()

    def step(self, action: int):
        """Takes `action` (-1: none) and returns the next TaskStep: state,
        reward received on entering it, terminal, events, choices."""
        return self._task.step(int(action))

    def __repr__(self) -> str:
        return f"<bgsim.Task {self.type}: {self.num_actions} actions, seed {self.seed}>"


class Agent:
    """A learner of the closed loop, made as a closed-loop file's "learner"
    object makes it (docs/closed_loop.md), for `task`:

        bgsim.Agent("q_learning", {"alpha": 0.1, "beta": 5}, task=task, seed=1)
        bgsim.Agent("opal", {...}, task=task)
        bgsim.Agent("td_lambda", {"alpha": 0.1}, task=conditioning)   # Pavlovian
        bgsim.Agent({"network": "networks/library/bandit_actor_critic.json",
                     "timing": ..., "encoding": ..., "decoding": ..., "reward": ...},
                    task=task, seed=1)             # the spiking learner

    `seed` is the experiment's seed: an agent draws from stream 1 of it, a
    network is built and run with it, as in a closed loop. `threads`: a
    network's threads. `base`: where a network path is resolved (default: the
    current folder). Problems raise DescriptionError with pointers.

    act(now) -> action; learn(from_, action, to) -> δ, the step's prediction
    error (a network: da_after − da_before); end_trial(last); measures() the
    values of measure_names after the last learn (Q-learning: value, q_<a>).
    """

    def __init__(
        self,
        agent,
        params: Mapping | None = None,
        *,
        task: Task,
        seed: int = 1,
        threads: int = 1,
        base=None,
    ):
        if not isinstance(task, Task):
            raise TypeError("task must be a bgsim.Task")
        if isinstance(agent, Mapping):
            if params is not None:
                raise TypeError("give params inside the learner object, not beside it")
            learner = dict(agent)
        else:
            learner = {"agent": agent, "params": dict(params or {})}
        base = os.path.abspath(os.fspath(base) if base is not None else os.getcwd())
        text = json.dumps(learner, default=_plain, allow_nan=False)
        self._agent = _made(
            _core.make_agent(text, task._task, int(seed), int(threads), base), "<agent>"
        )

    kind = property(
        lambda self: self._agent.kind,
        doc='"q_learning", "opal", "td_lambda", "distributional_td" or "network" (spiking).',
    )
    measure_names = property(
        lambda self: list(self._agent.measure_names),
        doc="The names of measures(), the learner's columns of steps.csv.",
    )

    @property
    def resolved(self) -> dict:
        """The learner as read, an agent's parameters with their defaults."""
        return json.loads(self._agent.resolved)

    def act(self, now) -> int:
        """The action in `now` (a TaskStep); -1 for none. A network runs its
        decision period (the GIL is released)."""
        return self._agent.act(now)

    def learn(self, from_, action: int, to) -> float:
        """Learns from the transition from_ --action--> to and returns δ."""
        return self._agent.learn(from_, int(action), to)

    def end_trial(self, last) -> None:
        """The trial that ended with `last` is over (a network: the
        inter-trial interval)."""
        self._agent.end_trial(last)

    def measures(self) -> np.ndarray:
        """What the learner measured on its last act and learn, in the order
        of measure_names (float64)."""
        return self._agent.measures()

    @property
    def time_ms(self) -> float:
        """A spiking learner's network time reached [ms] (0 for an agent
        without a network)."""
        return self._agent.time_ms

    def spikes(self, recorder: str) -> np.ndarray:
        """A spiking learner's spikes so far (fields time_ms, neuron)."""
        try:
            return self._agent.network_spikes(recorder)
        except IndexError as e:
            raise KeyError(f"no spike recorder named {recorder!r}") from e

    def __repr__(self) -> str:
        return f"<bgsim.Agent {self.kind}>"


class Session:
    """What play() returns: per step at which the learner acted, the columns
    of a closed loop's steps.csv as NumPy arrays (`arrays`, by name: trial,
    step, state, action, best_action, reward, delta, then the learner's
    measures), handed over from C++ without a copy; `summary` (trials,
    steps, total_reward, no_actions, stopped)."""

    def __init__(self, columns: list, summary: dict):
        self.arrays = dict(columns)
        self.summary = summary

    def __getitem__(self, name: str) -> np.ndarray:
        return self.arrays[name]

    def __len__(self) -> int:
        return len(self.arrays["trial"])

    @property
    def delta(self) -> np.ndarray:
        """δ of every step (float64)."""
        return self.arrays["delta"]

    @property
    def value(self) -> np.ndarray | None:
        """The learner's value of every step, where it has one (Q-learning,
        OpAL: "value"), else None."""
        return self.arrays.get("value")

    def to_dataframe(self):
        """The columns as a pandas DataFrame (pandas copies them into its
        blocks)."""
        import pandas as pd

        return pd.DataFrame(self.arrays)

    def __repr__(self) -> str:
        return f"<bgsim.Session {len(self)} steps, {self.summary['trials']} trials>"


def play(task: Task, agent: Agent, trials: int) -> Session:
    """Plays `trials` trials (fewer if the task finishes) of `task` with
    `agent` through the closed loop's runner (tasks/loop/session.hpp), in C++
    with the GIL released; both go on from where they are. Ctrl-C ends it at
    the next trial boundary and raises KeyboardInterrupt. Task(…, seed=s),
    Agent(…, seed=s) and play(…, n) give the steps.csv of the closed-loop
    experiment with seed s and n trials."""
    columns, summary = _core.play(task._task, agent._agent, int(trials), _take_sigint())
    return Session(columns, summary)


# ---------------------------------------------------------------- catalogue

Parameter = namedtuple("Parameter", "name unit default constraint doc choices")
Parameter.__doc__ = """One parameter of a model: name, unit ("1" when
dimensionless), default, constraint (as `bgsim describe` states it), a
one-line doc, and the allowed strings of a choice."""


class Model:
    """A model as `bgsim describe NAME` shows it: kind ("neuron", "device",
    "synapse", "neuromodulator", "connection_rule", "experiment"), doc,
    parameters (Parameter; a connection rule's keys; an experiment's
    parameters with their defaults), and for neuron models their state
    variables (name, unit), receptors and presets; for an experiment the
    problems an empty "params" object has (`required`). str() is the CLI's
    text."""

    def __init__(self, d: dict):
        self.name: str = d["name"]
        self.kind: str = d["kind"]
        self.doc: str = d["doc"]
        self.parameters: list = [
            Parameter(p["name"], p["unit"], p["default"], p["constraint"], p["doc"], p["choices"])
            for p in d["parameters"]
        ]
        self.state: list = list(d.get("state", []))
        self.receptors: list = list(d.get("receptors", []))
        self.presets: dict = dict(d.get("presets", {}))
        self.reads_neuromodulator: bool = bool(d.get("reads_neuromodulator", False))
        self.default_receptor: str | None = d.get("default_receptor")
        self.required: list = list(d.get("required", []))
        self._text: str = d["text"]

    @property
    def defaults(self) -> dict:
        """Parameter name -> default."""
        return {p.name: p.default for p in self.parameters}

    def __str__(self) -> str:
        return self._text

    def __repr__(self) -> str:
        return f"<bgsim.Model {self.name} ({self.kind}, {len(self.parameters)} parameters)>"


class _Catalogue(dict):
    """Kind -> names; str() is the text of `bgsim list`."""

    def __init__(self, d: dict, text: str):
        super().__init__(d)
        self._text = text

    def __str__(self) -> str:
        return self._text


def models() -> dict:
    """What bgsim offers, as `bgsim list` shows it: a dict of kind -> names
    for "neuron" (neuron and input population models), "device" (stimuli),
    "synapse" (static and the plasticity rules), "neuromodulator",
    "connection_rule", and "experiment" (name, doc) pairs. str() of it is the
    CLI's text."""
    d = _core.catalogue()
    d["experiment"] = [tuple(e) for e in d["experiment"]]
    return _Catalogue(d, _core.catalogue_text())


def describe(name: str) -> Model:
    """A model's parameters with units, defaults and constraints, as `bgsim
    describe NAME` shows them. KeyError (with the nearest name) if no model
    has that name."""
    return Model(_core.describe(name))
