"""Recordings go to NumPy without a copy (python/src/recordings.hpp): an
array is a read-only view of a sealed block of the recording, which a later
run never changes; reads without new data share one block; a read after more
data joins once into a new block, leaving the arrays handed out before as
they were."""

import json

import numpy as np
import pytest

import bgsim


def test_spikes_are_views_of_one_block_until_the_next_run(library):
    net = bgsim.Network.from_file(library / "brunel2000_small.json")
    net.run(60.0)
    first = net.spikes("exc")
    again = net.spikes("exc")
    assert len(first) > 0
    assert not first.flags.writeable and not first.flags.owndata
    assert np.shares_memory(first, again)  # the same memory, read twice
    with pytest.raises(ValueError):
        first["neuron"][0] = 1
    kept = first.tobytes()
    net.run(40.0)
    later = net.spikes("exc")
    assert len(later) > len(first)
    assert not np.shares_memory(first, later)
    assert first.tobytes() == kept  # a later run changes no array handed out
    assert later[: len(first)].tobytes() == kept
    # The same spikes as a network run in one piece, copies or not.
    whole = bgsim.Network.from_file(library / "brunel2000_small.json")
    whole.run(100.0)
    assert whole.spikes("exc").tobytes() == later.tobytes()
    del net, whole
    assert first.tobytes() == kept  # the array keeps its block alive


def test_state_weights_and_dopamine_are_views(library):
    d = json.loads((library / "izhikevich2007_distal_reward.json").read_text())
    d["recorders"][0]["interval_ms"] = 25
    d["duration_ms"] = 100
    net = bgsim.Network.from_dict(d)
    net.run(50.0)
    w1 = net.weights("chosen_row")
    w2 = net.weights("chosen_row")
    assert np.shares_memory(w1.values, w2.values) and np.shares_memory(w1.times, w2.times)
    assert not w1.values.flags.writeable
    da = net.neuromodulator("dopamine")
    assert np.shares_memory(da.values, net.neuromodulator("dopamine").values)
    assert da.values.ndim == 1 and len(da.values) == len(da.times)
    kept = w1.values.copy()
    net.run(50.0)
    w3 = net.weights("chosen_row")
    assert w3.values.shape[0] > w1.values.shape[0]
    assert np.array_equal(w1.values, kept)
    assert np.array_equal(w3.values[: len(kept)], kept)


def test_an_empty_recording_is_an_empty_array(library):
    net = bgsim.Network.from_file(library / "brunel2000_small.json")
    net.build()
    s = net.spikes("exc")
    assert s.shape == (0,) and s.dtype.names == ("time_ms", "neuron")


def test_an_experiments_arrays_map_its_files(tmp_path, library):
    path = library.parent.parent / "tasks" / "experiments" / "bandit_reversal_spiking.json"
    trials = {"/experiment/params/trials": 5}
    kept = bgsim.run_experiment(path, overrides=trials, out=tmp_path / "r")
    spikes = kept.arrays["snc_spikes"]
    assert isinstance(spikes, np.memmap) and not spikes.flags.writeable
    assert spikes.tobytes() == (tmp_path / "r" / "snc_spikes.npy").read_bytes()[-spikes.nbytes:]
    read = bgsim.run_experiment(path, overrides=trials)  # a temporary folder: read in
    assert not isinstance(read.arrays["snc_spikes"], np.memmap)
    assert read.arrays["snc_spikes"].tobytes() == spikes.tobytes()
