# Type stubs of bgsim (the Python module; docs/python.md). Times in ms.
from collections.abc import Callable, Mapping
from os import PathLike
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

__version__: str

_Description = str | PathLike[str] | Mapping[str, Any]

class Problem(tuple[str, str]):
    file: str
    def __new__(cls, pointer: str, message: str, file: str = ..., text: str | None = ...) -> Problem: ...
    @property
    def pointer(self) -> str: ...
    @property
    def message(self) -> str: ...

class DescriptionError(ValueError):
    problems: list[Problem]
    warnings: list[Problem]
    label: str

class DescriptionWarning(UserWarning): ...
class GuardViolation(RuntimeError): ...

def validate(
    description: _Description,
    *,
    base: str | PathLike[str] | None = ...,
    overrides: Mapping[str, Any] | None = ...,
    raise_error: bool = ...,
) -> list[Problem]: ...

class State(NamedTuple):
    times: npt.NDArray[np.float64]  # (samples,) ms
    values: npt.NDArray[np.float64]  # (samples, neurons), the variable's unit
    neurons: npt.NDArray[np.uint32]  # (neurons,) index within the population

class Weights(NamedTuple):
    times: npt.NDArray[np.float64]  # (samples,) ms
    values: npt.NDArray[np.float64]  # (samples, synapses)
    sources: npt.NDArray[np.uint32]  # (synapses,)
    targets: npt.NDArray[np.uint32]  # (synapses,)

class Trace(NamedTuple):
    times: npt.NDArray[np.float64]  # (samples,) ms
    values: npt.NDArray[np.float64]  # (samples,) level, unit 1

class Network:
    @classmethod
    def from_file(
        cls, path: str | PathLike[str], overrides: Mapping[str, Any] | None = ...
    ) -> Network: ...
    @classmethod
    def from_dict(
        cls,
        description: Mapping[str, Any],
        base: str | PathLike[str] | None = ...,
        overrides: Mapping[str, Any] | None = ...,
    ) -> Network: ...
    @property
    def description(self) -> dict[str, Any]: ...
    @property
    def resolved(self) -> dict[str, Any]: ...
    seed: int
    threads: int
    @property
    def resolution_ms(self) -> float: ...
    @property
    def duration_ms(self) -> float: ...
    @property
    def time_ms(self) -> float: ...
    @property
    def populations(self) -> dict[str, int]: ...
    @property
    def recorders(self) -> dict[str, str]: ...
    @property
    def counters(self) -> dict[str, int]: ...
    def build(self) -> None: ...
    def reset(self) -> None: ...
    def run(self, ms: float | None = ...) -> float: ...
    def spikes(self, recorder: str) -> np.ndarray: ...  # fields time_ms <f8, neuron <u4
    def connections(self, projection: str) -> np.ndarray: ...  # fields source <u4, target <u4, weight <f8, delay_ms <f8
    def state(self, recorder: str) -> State: ...
    def weights(self, recorder: str) -> Weights: ...
    def neuromodulator(self, recorder: str) -> Trace: ...
    def recorder(self, name: str) -> dict[str, Any]: ...
    def tables(self) -> dict[str, dict[str, Any]]: ...

class Parameter(NamedTuple):
    name: str
    unit: str
    default: float | str | list[float] | list[list[float]] | None
    constraint: str
    doc: str
    choices: list[str]

class Model:
    name: str
    kind: str  # "neuron", "device", "synapse", "neuromodulator", "connection_rule", "experiment"
    doc: str
    parameters: list[Parameter]
    state: list[tuple[str, str]]
    receptors: list[str]
    presets: dict[str, dict[str, Any]]
    reads_neuromodulator: bool
    default_receptor: str | None
    required: list[str]  # an experiment: what an empty "params" object lacks
    @property
    def defaults(self) -> dict[str, Any]: ...

def models() -> dict[str, list[Any]]: ...
def describe(name: str) -> Model: ...

# -- experiments (a learner on a task; docs/closed_loop.md, docs/compare.md)

class ExperimentResult:
    manifest: dict[str, Any]
    tables: dict[str, Any]  # file stem -> pandas.DataFrame (every .csv)
    arrays: dict[str, np.ndarray]  # file stem -> array (every .npy)
    folder: str | None  # None: a temporary folder, removed once read
    @property
    def kind(self) -> str: ...
    @property
    def seed(self) -> int: ...
    @property
    def status(self) -> str: ...  # "complete" or "interrupted"
    @property
    def summary(self) -> dict[str, Any]: ...
    @property
    def trials(self) -> Any: ...  # pandas.DataFrame | None
    @property
    def aligned(self) -> npt.NDArray[np.float64] | None: ...  # trials x bins x learners
    def spikes(self, recorder: str) -> np.ndarray: ...

def run_experiment(
    description: _Description,
    *,
    base: str | PathLike[str] | None = ...,
    overrides: Mapping[str, Any] | None = ...,
    seed: int | None = ...,
    threads: int = ...,
    out: str | PathLike[str] | None = ...,
    overwrite: bool = ...,
    kind: str | None = ...,
    progress: Callable[[int, int], object] | None = ...,
) -> ExperimentResult: ...
def compare(
    description: _Description,
    *,
    base: str | PathLike[str] | None = ...,
    overrides: Mapping[str, Any] | None = ...,
    seed: int | None = ...,
    threads: int = ...,
    out: str | PathLike[str] | None = ...,
    overwrite: bool = ...,
    progress: Callable[[int, int], object] | None = ...,
) -> ExperimentResult: ...

# -- tasks and agents, stepped from Python

class TaskEvent:
    time_ms: float
    kind: str  # trial_start, trial_end, stimulus_on, stimulus_off, state_change, pause, action_request, reward
    channel: int
    magnitude: float
    drug: bool

class TaskStep:
    trial: int
    time_step: int
    time_ms: float
    state: int
    reward: float
    drug: bool
    terminal: bool
    events: list[TaskEvent]
    choices: list[int]

class Task:
    def __init__(self, type: str, params: Mapping[str, Any] | None = ..., *, seed: int = ...) -> None: ...
    type: str
    seed: int
    num_states: int
    num_actions: int
    num_stimuli: int
    step_ms: float
    best_action: int
    finished: bool
    @property
    def params(self) -> dict[str, Any]: ...
    def reset(self) -> TaskStep: ...
    def step(self, action: int) -> TaskStep: ...

class Agent:
    def __init__(
        self,
        agent: str | Mapping[str, Any],
        params: Mapping[str, Any] | None = ...,
        *,
        task: Task,
        seed: int = ...,
        threads: int = ...,
        base: str | PathLike[str] | None = ...,
    ) -> None: ...
    kind: str  # "q_learning", "opal", "td_lambda", "distributional_td", "network"
    measure_names: list[str]
    @property
    def resolved(self) -> dict[str, Any]: ...
    def act(self, now: TaskStep) -> int: ...
    def learn(self, from_: TaskStep, action: int, to: TaskStep) -> float: ...
    def end_trial(self, last: TaskStep) -> None: ...
    def measures(self) -> npt.NDArray[np.float64]: ...
    @property
    def time_ms(self) -> float: ...
    def spikes(self, recorder: str) -> np.ndarray: ...

class Session:
    arrays: dict[str, np.ndarray]
    summary: dict[str, Any]
    def __getitem__(self, name: str) -> np.ndarray: ...
    def __len__(self) -> int: ...
    @property
    def delta(self) -> npt.NDArray[np.float64]: ...
    @property
    def value(self) -> npt.NDArray[np.float64] | None: ...
    def to_dataframe(self) -> Any: ...  # pandas.DataFrame

def play(task: Task, agent: Agent, trials: int) -> Session: ...
