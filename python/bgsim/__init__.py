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
                f"{reading.label} is an experiment (a learner on a task); experiments "
                "cannot run from Python yet: run it with `bgsim run` (docs/python.md)"
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
        take_sigint = threading.current_thread() is threading.main_thread() and callable(
            signal.getsignal(signal.SIGINT)
        )
        return self._net.run(None if ms is None else float(ms), take_sigint)

    # -- results (each call returns new arrays: copies of the recordings)

    def spikes(self, recorder: str) -> np.ndarray:
        """The spikes of a spike recorder so far: a structured array with
        fields time_ms (float64, ms) and neuron (uint32, index within the
        population), in time order — the records of the CLI's
        <recorder>_spikes.npy."""
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
        return Trace(times, values[:, 0].copy())

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
