"""Running from Python: split runs, seeds, threads, the GIL, results as
NumPy arrays."""

import json
import threading
import time

import numpy as np
import pytest

import bgsim


@pytest.fixture
def brunel(library):
    return bgsim.Network.from_file(library / "brunel2000_small.json")


def test_spikes_are_records_of_time_and_neuron(brunel):
    assert brunel.run(100.0) == 100.0
    s = brunel.spikes("exc")
    assert s.dtype == np.dtype([("time_ms", "<f8"), ("neuron", "<u4")])
    assert len(s) > 0
    assert np.all(np.diff(s["time_ms"]) >= 0)
    assert s["time_ms"].min() > 0 and s["time_ms"].max() <= 100.0
    assert s["neuron"].max() < 1000
    assert brunel.counters["spikes"] == len(s) + len(brunel.spikes("inh"))


def test_a_second_run_goes_on_and_equals_one_run(library):
    split = bgsim.Network.from_file(library / "brunel2000_small.json")
    split.run(80.0)
    first = split.spikes("exc")
    assert split.run(120.0) == 200.0
    whole = bgsim.Network.from_file(library / "brunel2000_small.json")
    whole.run(200.0)
    assert split.spikes("exc").tobytes() == whole.spikes("exc").tobytes()
    assert split.spikes("inh").tobytes() == whole.spikes("inh").tobytes()
    # Arrays handed out earlier are copies: the second run left them alone.
    assert first["time_ms"].max() <= 80.0


def test_run_without_a_time_runs_to_the_descriptions_duration(library):
    d = json.loads((library / "brunel2000_small.json").read_text())
    d["duration_ms"] = 30.0
    net = bgsim.Network.from_dict(d)
    assert net.run() == 30.0
    assert net.run() == 30.0  # nothing left
    assert net.run(5) == 35.0


def test_results_do_not_depend_on_threads(library):
    one = bgsim.Network.from_file(library / "brunel2000_small.json")
    one.run(100.0)
    two = bgsim.Network.from_file(library / "brunel2000_small.json")
    two.threads = 2
    two.run(50.0)
    two.threads = 1  # between runs too
    two.run(50.0)
    assert one.spikes("exc").tobytes() == two.spikes("exc").tobytes()
    with pytest.raises(ValueError):
        two.threads = 0


def test_the_seed_is_set_before_the_build_and_reset_starts_again(brunel, library):
    brunel.seed = 7
    assert brunel.resolved["seed"] == 7
    brunel.run(50.0)
    with pytest.raises(RuntimeError, match="set the seed before the first run"):
        brunel.seed = 8
    seven = brunel.spikes("exc")
    one = bgsim.Network.from_file(library / "brunel2000_small.json")
    one.run(50.0)
    assert seven.tobytes() != one.spikes("exc").tobytes()
    brunel.reset()
    assert brunel.time_ms == 0.0
    brunel.seed = 1
    brunel.run(50.0)
    assert brunel.spikes("exc").tobytes() == one.spikes("exc").tobytes()


def test_changed_parameters_change_the_run(library):
    d = json.loads((library / "brunel2000_small.json").read_text())
    d["stimuli"][0]["params"]["rate_Hz"] = 0.0
    d["stimuli"][1]["params"]["rate_Hz"] = 0.0
    silent = bgsim.Network.from_dict(d)
    silent.run(50.0)
    assert len(silent.spikes("exc")) == 0


def test_state_traces(library):
    net = bgsim.Network.from_file(library / "izhikevich2003.json")
    net.run(20.0)
    times, values, neurons = net.state("exc_v")
    assert neurons.tolist() == [0, 1, 2, 3]
    assert times.tolist() == [float(t) for t in range(20)]  # every 1 ms, before the step
    assert values.shape == (20, 4)
    assert np.all(np.isfinite(values))
    info = net.recorder("exc_v")
    assert info["unit"] == "mV" and info["variable"] == "v" and info["interval_ms"] == 1.0
    net.run(10.0)
    assert net.state("exc_v").values.shape == (30, 4)


def test_unknown_or_mistyped_recorders_raise_key_errors(brunel, library):
    with pytest.raises(KeyError, match="exc"):
        brunel.spikes("ex")
    net = bgsim.Network.from_file(library / "izhikevich2003.json")
    with pytest.raises(ValueError, match="of type"):
        net.spikes("exc_v")


def test_weights_and_dopamine(library):
    d = json.loads((library / "izhikevich2007_distal_reward.json").read_text())
    d["recorders"][0]["interval_ms"] = 50
    net = bgsim.Network.from_dict(d)
    net.run(200.0)
    w = net.weights("chosen_row")
    assert w.times.tolist() == [0.0, 50.0, 100.0, 150.0]
    assert w.values.shape == (4, len(w.sources))
    assert np.all(w.sources == 1) and np.all(w.targets < net.populations["exc"])
    da = net.neuromodulator("dopamine")
    assert da.times.shape == da.values.shape == (20,)
    assert np.all(da.values >= 0)


def test_the_gil_is_released_while_the_kernel_runs(library):
    net = bgsim.Network.from_file(library / "brunel2000_small.json")
    net.build()
    done = threading.Event()
    ticks = 0

    def run():
        net.run(1500.0)
        done.set()

    worker = threading.Thread(target=run)
    start = time.monotonic()
    worker.start()
    while not done.is_set():
        ticks += 1
        time.sleep(0.001)
    worker.join()
    wall = time.monotonic() - start
    # The main thread kept running Python while the run went on: about one
    # tick per ms of wall time (with the GIL held by the run it could not
    # have ticked once after the run began).
    assert wall > 0.05
    assert ticks >= 10


def test_a_network_refuses_calls_while_it_runs_in_another_thread(library):
    net = bgsim.Network.from_file(library / "brunel2000_small.json")
    net.build()
    worker = threading.Thread(target=net.run, args=(5000.0,))
    worker.start()
    refused = False
    while worker.is_alive() and not refused:
        try:
            net.spikes("exc")
        except RuntimeError as e:
            refused = "running in another thread" in str(e)
        time.sleep(0.001)
    worker.join()
    assert refused
    assert net.time_ms == 5000.0
