"""Spikes in SONATA (spikes.h5) beside the .npy files: read back with h5py,
they are the .npy's spikes exactly, also after a run was stopped and resumed,
and the manifest says which formats the folder holds."""

import json
import signal
import subprocess
import time

import h5py
import numpy as np
import pytest

from conftest import CLI


def izhikevich(library, tmp_path, duration_ms=1000, sonata=("exc", "inh")):
    d = json.loads((library / "izhikevich2003.json").read_text())
    d["duration_ms"] = duration_ms
    for r in d["recorders"]:
        if r["type"] == "spikes" and r["name"] in sonata:
            r["formats"] = ["npy", "sonata"]
    path = tmp_path / "izhikevich.json"
    path.write_text(json.dumps(d))
    return path


def check_against_npy(out, recorders):
    """Every group of spikes.h5 holds its recorder's .npy spikes, in order."""
    with h5py.File(out / "spikes.h5", "r") as f:
        assert f.attrs["magic"] == 0x0A7A
        assert list(f.attrs["version"]) == [0, 1]
        assert sorted(f["spikes"].keys()) == sorted(recorders)
        for population in recorders:
            g = f["spikes"][population]
            names = h5py.check_enum_dtype(g.attrs.get_id("sorting").dtype)
            assert names == {"none": 0, "by_id": 1, "by_time": 2}
            assert g.attrs["sorting"] == names["by_time"]
            assert g["timestamps"].attrs["units"] == "ms"
            assert g["timestamps"].dtype == np.float64
            assert g["node_ids"].dtype == np.uint64
            npy = np.load(out / f"{population}_spikes.npy")
            assert len(npy) > 100
            assert np.array_equal(g["timestamps"][:], npy["time_ms"])
            assert np.array_equal(g["node_ids"][:], npy["neuron"].astype(np.uint64))
            assert np.all(np.diff(g["timestamps"][:]) >= 0)  # by_time holds


def test_sonata_spikes_are_the_npy_spikes(tmp_path, cli, library):
    out = tmp_path / "run"
    cli("run", izhikevich(library, tmp_path), "--out", out, "--quiet")
    check_against_npy(out, ["exc", "inh"])
    m = json.loads((out / "manifest.json").read_text())
    assert m["results"]["formats"] == ["npy", "csv", "sonata"]
    recs = {r["recorder"]: r for r in m["results"]["recordings"]}
    assert recs["exc"]["formats"] == ["npy", "sonata"]
    assert recs["exc"]["files"] == {"spikes": "exc_spikes.npy", "sonata": "spikes.h5"}
    assert recs["exc"]["sonata_group"] == "/spikes/exc"
    assert recs["exc_v"].get("formats") is None  # state traces: .npy only, said by "files"
    assert m["description"]["recorders"][0]["formats"] == ["npy", "sonata"]


def test_only_the_recorders_that_ask_are_in_the_file(tmp_path, cli, library):
    out = tmp_path / "run"
    cli("run", izhikevich(library, tmp_path, 300, sonata=("inh",)), "--out", out, "--quiet")
    check_against_npy(out, ["inh"])
    m = json.loads((out / "manifest.json").read_text())
    recs = {r["recorder"]: r for r in m["results"]["recordings"]}
    assert recs["exc"]["formats"] == ["npy"] and "sonata" not in recs["exc"]["files"]


def test_without_sonata_no_h5_is_written(tmp_path, cli, library):
    out = tmp_path / "run"
    cli("run", izhikevich(library, tmp_path, 100, sonata=()), "--out", out, "--quiet")
    assert not (out / "spikes.h5").exists()
    m = json.loads((out / "manifest.json").read_text())
    assert m["results"]["formats"] == ["npy", "csv"]


def test_a_run_stopped_and_resumed_writes_the_same_file(tmp_path, cli, library):
    path = izhikevich(library, tmp_path, 20000)
    whole = tmp_path / "whole"
    cli("run", path, "--out", whole, "--quiet")
    out = tmp_path / "stopped"
    p = subprocess.Popen(
        [str(CLI), "run", str(path), "--out", str(out), "--quiet", "--checkpoint-every", "500"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 60
    while not (out / "checkpoint.bgsim").exists() and time.time() < deadline:
        time.sleep(0.01)
    p.send_signal(signal.SIGINT)
    p.wait(60)
    m = json.loads((out / "manifest.json").read_text())
    if m["status"] == "complete":
        pytest.skip("the run ended before it could be stopped")
    assert m["status"] == "interrupted"
    assert not (out / "spikes.h5").exists()  # made only once the .npy files are final
    assert m["results"]["formats"] == ["npy", "csv"]
    cli("resume", out, "--quiet")
    check_against_npy(out, ["exc", "inh"])
    for name in ["exc", "inh"]:
        with h5py.File(out / "spikes.h5") as a, h5py.File(whole / "spikes.h5") as b:
            for key in ["timestamps", "node_ids"]:
                assert np.array_equal(a["spikes"][name][key][:], b["spikes"][name][key][:])


def test_bad_formats_are_refused_at_their_pointer(tmp_path, cli, library):
    d = json.loads((library / "izhikevich2003.json").read_text())
    d["recorders"][0]["formats"] = ["sonata"]
    d["recorders"][1]["formats"] = ["npy", "nwb"]
    d["recorders"].append(
        {"name": "exc2", "type": "spikes", "population": "exc", "formats": ["npy", "sonata"]}
    )
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(d))
    r = cli("validate", path, check=False)
    assert r.returncode == 1
    assert '/recorders/0/formats: must include "npy"' in r.stderr
    assert '/recorders/1/formats/1: unknown format "nwb"' in r.stderr
    assert "/recorders/3/formats: population exc already has its SONATA group from /recorders/0" in r.stderr
