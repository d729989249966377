"""Connections in and out: the synapses a run ends with, written by a
"connections" recorder, build the same network in the next run ("rule":
"explicit"), spike for spike; a trained plastic projection comes back with
exactly its saved weights; arrays from Python (NumPy or lists) do the same;
bad arrays raise with their pointer."""

import json

import numpy as np
import pandas as pd
import pytest

import bgsim

PROJECTIONS = ["exc->exc", "exc->inh", "inh->exc"]


def stem(projection):
    return projection.replace("->", "_to_")


def saving(library, tmp_path, duration_ms=500):
    d = json.loads((library / "izhikevich2003.json").read_text())
    d["duration_ms"] = duration_ms
    d["recorders"] += [
        {"name": stem(p), "type": "connections", "projection": p} for p in PROJECTIONS
    ]
    path = tmp_path / "save.json"
    path.write_text(json.dumps(d))
    return d, path


def explicit(d, files):
    """The description `d` with each projection given as the arrays saved."""
    d = json.loads(json.dumps(d))
    d["recorders"] = [r for r in d["recorders"] if r["type"] != "connections"]
    for p in d["projections"]:
        receptor = "inhibitory" if p["name"] == "inh->exc" else "excitatory"
        for key in ["outdegree", "allow_autapses", "allow_multapses"]:
            p.pop(key, None)
        p["rule"] = "explicit"
        p["connections"] = files[p["name"]]
        p["synapse"] = {"receptor": receptor}
    return d


def test_a_network_from_its_saved_connections_fires_the_same_spikes(tmp_path, cli, library):
    d, path = saving(library, tmp_path)
    first = tmp_path / "first"
    cli("run", path, "--out", first, "--quiet")
    m = json.loads((first / "manifest.json").read_text())
    saved = {r["projection"]: r for r in m["results"]["recordings"] if r["kind"] == "connections"}
    assert sorted(saved) == sorted(PROJECTIONS)
    assert saved["exc->exc"]["synapses"] == 800 * 80
    assert saved["exc->exc"]["files"] == {"connections": "exc_to_exc.npy"}
    assert saved["exc->exc"]["time_ms"] == 500.0
    c = np.load(first / "exc_to_exc.npy")
    assert c.dtype.names == ("source", "target", "weight", "delay_ms")
    assert set(np.unique(c["delay_ms"])) == set(float(k) for k in range(1, 21))
    assert np.all(c["weight"] == 6.0) and np.all(c["source"] != c["target"])
    # The next run names the files relative to its own description file.
    (tmp_path / "next").mkdir()
    files = {p: f"../first/{stem(p)}.npy" for p in PROJECTIONS}
    path2 = tmp_path / "next" / "load.json"
    path2.write_text(json.dumps(explicit(d, files)))
    second = tmp_path / "second"
    cli("run", path2, "--out", second, "--quiet", "--threads", 2)
    for rec in ["exc", "inh"]:
        a = (first / f"{rec}_spikes.npy").read_bytes()
        b = (second / f"{rec}_spikes.npy").read_bytes()
        assert len(np.load(first / f"{rec}_spikes.npy")) > 1000
        assert a == b, rec
    m2 = json.loads((second / "manifest.json").read_text())
    assert m2["description"]["projections"][0]["rule"] == "explicit"
    # A CSV with the same columns is the same network (pandas writes it).
    csv = tmp_path / "next" / "inh_to_exc.csv"
    pd.DataFrame(np.load(first / "inh_to_exc.npy")).to_csv(csv, index=False)
    files["inh->exc"] = "inh_to_exc.csv"
    path3 = tmp_path / "next" / "load_csv.json"
    path3.write_text(json.dumps(explicit(d, files)))
    third = tmp_path / "third"
    cli("run", path3, "--out", third, "--quiet")
    assert (third / "exc_spikes.npy").read_bytes() == (first / "exc_spikes.npy").read_bytes()


def test_arrays_from_python_build_the_same_network(library):
    d = json.loads((library / "izhikevich2003.json").read_text())
    d["duration_ms"] = 300
    net = bgsim.Network.from_file(library / "izhikevich2003.json")
    net.run(300.0)
    given = {}
    for p in PROJECTIONS:
        c = net.connections(p)
        # NumPy arrays for three columns, a list for one: both are taken.
        given[p] = {
            "source": c["source"],
            "target": c["target"].tolist(),
            "weight": c["weight"],
            "delay_ms": c["delay_ms"],
        }
    again = bgsim.Network.from_dict(explicit(d, given))
    again.run(300.0)
    for rec in ["exc", "inh"]:
        assert again.spikes(rec).tobytes() == net.spikes(rec).tobytes()
    for p in PROJECTIONS:
        assert again.connections(p).tobytes() == net.connections(p).tobytes()


def test_a_trained_plastic_projection_comes_back_with_its_weights(tmp_path, cli, library):
    d = json.loads((library / "izhikevich2007_distal_reward.json").read_text())
    d["duration_ms"] = 3000
    d["recorders"] = [{"name": "trained", "type": "connections", "projection": "exc->exc"}]
    path = tmp_path / "train.json"
    path.write_text(json.dumps(d))
    out = tmp_path / "train"
    cli("run", path, "--out", out, "--quiet")
    trained = np.load(out / "trained.npy")
    before = bgsim.Network.from_dict(d).connections("exc->exc")
    assert np.count_nonzero(trained["weight"] != before["weight"]) > len(trained) // 10
    p = next(p for p in d["projections"] if p["name"] == "exc->exc")
    for key in ["outdegree", "allow_autapses", "allow_multapses"]:
        p.pop(key, None)
    p["rule"] = "explicit"
    p["connections"] = str(out / "trained.npy")
    p["synapse"].pop("weight")
    p["synapse"].pop("delay_ms")
    for volume in d["neuromodulators"].values():  # its chosen synapse's initial weight
        volume.pop("contingency", None)
    reloaded = bgsim.Network.from_dict(d).connections("exc->exc")
    assert reloaded.tobytes() == trained.tobytes()


def test_bad_arrays_from_python_raise_with_their_pointer(library):
    d = json.loads((library / "izhikevich2003.json").read_text())
    p = d["projections"][2]
    p.pop("outdegree")
    p.pop("allow_multapses")
    p["rule"] = "explicit"
    p["connections"] = {"source": np.array([0, 1, 250]), "target": [0, 1, 2]}
    with pytest.raises(bgsim.DescriptionError) as e:
        bgsim.Network.from_dict(d)
    assert "/projections/2/connections/source: source 250 at position 2 is not a neuron" in str(
        e.value
    )
