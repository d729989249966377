"""Experiments from Python: bgsim.run_experiment and bgsim.compare write what
`bgsim run` writes for the same file, byte for byte, and read it back as
DataFrames and arrays."""

import json
import os
import signal
import threading
import time

import numpy as np
import pandas as pd
import pytest

import bgsim

TRIALS = "/experiment/params/trials"


@pytest.fixture
def experiments(library):
    return library.parent.parent / "tasks" / "experiments"


def data_files(folder):
    return sorted(p.name for p in folder.iterdir() if p.is_file() and p.name != "manifest.json")


def assert_same_folders(cli_out, py_out):
    """Every data file the same, byte for byte; the manifests' descriptions,
    seeds and summaries equal apart from wall times."""
    assert data_files(cli_out) == data_files(py_out)
    assert data_files(py_out)
    for name in data_files(cli_out):
        assert (cli_out / name).read_bytes() == (py_out / name).read_bytes(), name
    a = json.loads((cli_out / "manifest.json").read_text())
    b = json.loads((py_out / "manifest.json").read_text())
    for key in ["description", "experiment", "seed", "status", "files", "description_file"]:
        assert a[key] == b[key], key

    def without_times(x):
        if isinstance(x, dict):
            return {k: without_times(v) for k, v in x.items() if "wall_time" not in k
                    and k != "loop_share_of_wall_time"}
        if isinstance(x, list):
            return [without_times(v) for v in x]
        return x

    assert without_times(a["summary"]) == without_times(b["summary"])


def test_agent_closed_loop_equals_the_cli(tmp_path, cli, experiments):
    path = experiments / "bandit_reversal_q_learning.json"
    cli("run", path, "--out", tmp_path / "cli", "--quiet")
    result = bgsim.run_experiment(path, out=tmp_path / "py")
    assert result.kind == "closed_loop" and result.status == "complete"
    assert result.folder == str(tmp_path / "py")
    assert_same_folders(tmp_path / "cli", tmp_path / "py")
    # The per-trial table, every float read back exactly.
    steps = result.trials
    assert isinstance(steps, pd.DataFrame) and len(steps) == 1000
    assert list(steps.columns[:7]) == [
        "trial", "step", "state", "action", "best_action", "reward", "delta"]
    pd.testing.assert_frame_equal(
        steps, pd.read_csv(tmp_path / "cli" / "steps.csv", float_precision="round_trip"))
    assert result.summary["trials"] == 1000
    assert result.summary["total_reward"] == steps["reward"].sum()


def test_spiking_closed_loop_equals_the_cli(tmp_path, cli, experiments):
    path = experiments / "bandit_reversal_spiking.json"
    cli("run", path, "--out", tmp_path / "cli", "--quiet", "--threads", 2,
        "--set", f"{TRIALS}=25")
    result = bgsim.run_experiment(path, overrides={TRIALS: 25}, out=tmp_path / "py")
    assert_same_folders(tmp_path / "cli", tmp_path / "py")
    assert len(result.trials) == 25
    assert {"count_action_0", "da_before", "da_after"} <= set(result.trials.columns)
    # The learner's recordings as arrays, equal to the files.
    spike_keys = [k for k in result.arrays if k.endswith("_spikes")]
    assert spike_keys
    for k in spike_keys:
        assert result.arrays[k].tobytes() == np.load(tmp_path / "cli" / f"{k}.npy").tobytes()
    rec = spike_keys[0][: -len("_spikes")]
    assert result.spikes(rec).dtype.names == ("time_ms", "neuron")
    with pytest.raises(KeyError, match="no spike recording"):
        result.spikes("nowhere")


def test_compare_on_the_bandit_equals_bgsim_compare(tmp_path, cli, experiments):
    path = experiments / "bandit_compare.json"
    cli("compare", path, "--out", tmp_path / "cli", "--quiet", "--set", f"{TRIALS}=30",
        "--set", "/experiment/params/learned_from_trial=10")
    result = bgsim.compare(path, overrides={TRIALS: 30, "/experiment/params/learned_from_trial": 10})
    assert result.folder is None  # a temporary folder, read and removed
    choices = result.trials
    assert len(choices) == 30
    pd.testing.assert_frame_equal(
        choices, pd.read_csv(tmp_path / "cli" / "choices.csv", float_precision="round_trip"))
    assert {"spiking_dopamine_Hz", "q_learning_delta"} <= set(choices.columns)
    cli_manifest = json.loads((tmp_path / "cli" / "manifest.json").read_text())
    assert result.summary.keys() == cli_manifest["summary"].keys()
    for name, table in result.tables.items():
        pd.testing.assert_frame_equal(
            table, pd.read_csv(tmp_path / "cli" / f"{name}.csv", float_precision="round_trip"))


def test_compare_on_conditioning_gives_the_aligned_signals(tmp_path, cli, experiments):
    path = experiments / "conditioning_compare.json"
    short = {TRIALS: 12, "/experiment/params/learned_from_trial": 6,
             "/experiment/params/smooth_trials": 3}
    cli("compare", path, "--out", tmp_path / "cli", "--quiet",
        *[a for k, v in short.items() for a in ("--set", f"{k}={v}")])
    result = bgsim.compare(path, overrides=short, out=tmp_path / "py")
    assert_same_folders(tmp_path / "cli", tmp_path / "py")
    aligned = result.aligned
    assert aligned.ndim == 3 and aligned.shape[0] == 12
    assert aligned.tobytes() == np.load(tmp_path / "cli" / "aligned.npy").tobytes()
    assert len(result.trials) == 12  # trials.csv
    assert "time_courses" in result.tables


def test_a_dict_and_a_seed_as_the_cli(tmp_path, cli, experiments):
    path = experiments / "bandit_reversal_q_learning.json"
    cli("run", path, "--out", tmp_path / "cli", "--quiet", "--seed", 7)
    d = json.loads(path.read_text())
    result = bgsim.run_experiment(d, seed=7)
    assert result.seed == 7 and result.manifest["description"]["seed"] == 7
    pd.testing.assert_frame_equal(
        result.trials,
        pd.read_csv(tmp_path / "cli" / "steps.csv", float_precision="round_trip"))
    other = bgsim.run_experiment(d)  # the description's seed, 1: other trials
    assert not other.trials["reward"].equals(result.trials["reward"])


def test_a_spiking_learner_in_a_dict_finds_its_network_in_base(experiments):
    d = json.loads((experiments / "bandit_reversal_spiking.json").read_text())
    d["experiment"]["params"]["trials"] = 3
    with pytest.raises(bgsim.DescriptionError) as e:
        bgsim.run_experiment(d, base="/")
    assert any(p.pointer.startswith("/experiment/params/learner/network") for p in e.value.problems)
    assert len(bgsim.run_experiment(d, base=experiments).trials) == 3


def test_bad_experiments_are_refused(tmp_path, experiments, library):
    with pytest.raises(bgsim.DescriptionError) as e:
        bgsim.run_experiment(experiments / "bandit_reversal_q_learning.json",
                             overrides={"/experiment/params/learner/params/alpha": -1})
    assert [(p.pointer, p.message) for p in e.value.problems] == [
        ("/experiment/params/learner/params", "alpha must be in [0, 1]")]
    with pytest.raises(ValueError, match="is a network, not an experiment"):
        bgsim.run_experiment(library / "brunel2000_small.json")
    with pytest.raises(ValueError, match="of kind 'compare'; this one is 'closed_loop'"):
        bgsim.compare(experiments / "bandit_reversal_q_learning.json")
    out = tmp_path / "taken"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    with pytest.raises(RuntimeError):
        bgsim.run_experiment(experiments / "bandit_reversal_q_learning.json", out=out)
    assert (out / "notes.txt").read_text() == "mine"


def test_overwrite_a_results_folder(tmp_path, experiments):
    path = experiments / "bandit_reversal_q_learning.json"
    first = bgsim.run_experiment(path, out=tmp_path / "r")
    with pytest.raises(RuntimeError):
        bgsim.run_experiment(path, out=tmp_path / "r")
    again = bgsim.run_experiment(path, out=tmp_path / "r", overwrite=True)
    pd.testing.assert_frame_equal(first.trials, again.trials)


def test_ctrl_c_stops_an_experiment_at_a_trial_boundary(tmp_path, experiments):
    path = experiments / "bandit_reversal_spiking.json"
    timer = threading.Timer(1.5, os.kill, (os.getpid(), signal.SIGINT))
    timer.start()
    t0 = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        bgsim.run_experiment(path, out=tmp_path / "r")  # 1000 trials: about 9 s
    timer.join()
    assert time.monotonic() - t0 < 5.0
    manifest = json.loads((tmp_path / "r" / "manifest.json").read_text())
    assert manifest["status"] == "interrupted"
    steps = pd.read_csv(tmp_path / "r" / "steps.csv")
    assert 0 < len(steps) < 1000
    assert manifest["summary"]["trials"] == len(steps)
    # Python's handler is back: the next SIGINT interrupts Python.
    with pytest.raises(KeyboardInterrupt):
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(1.0)


def test_the_gil_is_released_while_an_experiment_runs(experiments):
    path = experiments / "bandit_reversal_spiking.json"
    done = threading.Event()
    results = []

    def work():
        results.append(bgsim.run_experiment(path, overrides={TRIALS: 150}))
        done.set()

    thread = threading.Thread(target=work)
    thread.start()
    ticks = 0
    while not done.is_set():
        ticks += 1
        time.sleep(0.01)
    thread.join()
    assert ticks > 20  # the main thread ran Python all along
    assert len(results[0].trials) == 150


@pytest.mark.parametrize(
    "name", ["bandit_two_armed", "ramps_demo", "td_lambda_cue_reward", "addiction_redish"])
def test_the_reference_agents_experiments_equal_the_cli(tmp_path, cli, experiments, name):
    path = experiments / f"{name}.json"
    cli("run", path, "--out", tmp_path / "cli", "--quiet")
    result = bgsim.run_experiment(path, out=tmp_path / "py")
    assert_same_folders(tmp_path / "cli", tmp_path / "py")
    assert result.tables or result.arrays
    for stem, table in result.tables.items():
        pd.testing.assert_frame_equal(
            table, pd.read_csv(tmp_path / "cli" / f"{stem}.csv", float_precision="round_trip"))
    for stem, array in result.arrays.items():
        assert array.tobytes() == np.load(tmp_path / "cli" / f"{stem}.npy").tobytes()


def test_progress_is_told_every_trial_and_can_stop_the_experiment(tmp_path, experiments):
    path = experiments / "bandit_reversal_q_learning.json"
    calls = []
    result = bgsim.run_experiment(path, overrides={TRIALS: 20},
                                  progress=lambda done, total: calls.append((done, total)))
    assert calls == [(k, 20) for k in range(1, 21)]
    assert result.status == "complete"
    # A callable that raises ends the experiment at that trial, and its
    # exception comes back once the folder is written.
    def stop_at_5(done, total):
        if done == 5:
            raise ArithmeticError("enough")

    with pytest.raises(ArithmeticError, match="enough"):
        bgsim.run_experiment(path, overrides={TRIALS: 20}, progress=stop_at_5,
                             out=tmp_path / "r")
    manifest = json.loads((tmp_path / "r" / "manifest.json").read_text())
    assert manifest["status"] == "interrupted"
    assert len(pd.read_csv(tmp_path / "r" / "steps.csv")) == 5
    # The same numbers with a callable as without.
    plain = bgsim.run_experiment(path, overrides={TRIALS: 20})
    pd.testing.assert_frame_equal(plain.trials, result.trials)


def test_ctrl_c_stops_an_experiment_with_a_progress_callable(tmp_path, experiments):
    path = experiments / "bandit_reversal_spiking.json"
    seen = []
    timer = threading.Timer(1.5, os.kill, (os.getpid(), signal.SIGINT))
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        bgsim.run_experiment(path, out=tmp_path / "r", progress=lambda d, t: seen.append(d))
    timer.join()
    manifest = json.loads((tmp_path / "r" / "manifest.json").read_text())
    assert manifest["status"] == "interrupted"
    assert 0 < manifest["summary"]["trials"] == len(seen) < 1000
