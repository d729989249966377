"""A run from Python and the same run from `bgsim run` give the same arrays,
bit for bit (the CLI's .npy files against the module's arrays)."""

import json

import numpy as np

import bgsim


def test_brunel_spikes_equal_the_clis_npy_files(tmp_path, cli, library):
    path = library / "brunel2000_small.json"
    out = tmp_path / "cli"
    cli("run", path, "--out", out, "--duration-ms", 150, "--quiet")
    net = bgsim.Network.from_file(path)
    net.run(60.0)
    net.run(90.0)  # in two pieces: the pieces change nothing
    for rec in ["exc", "inh"]:
        from_cli = np.load(out / f"{rec}_spikes.npy")
        from_python = net.spikes(rec)
        assert from_python.dtype == from_cli.dtype
        assert len(from_python) == len(from_cli) > 0
        assert from_python.tobytes() == from_cli.tobytes()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["counts"]["spikes"] == net.counters["spikes"]
    resolved = net.resolved
    resolved["duration_ms"] = 150.0  # the CLI's --duration-ms
    assert manifest["description"] == resolved


def test_state_weight_and_dopamine_traces_equal_the_clis(tmp_path, cli, library):
    d = json.loads((library / "izhikevich2007_distal_reward.json").read_text())
    d["recorders"][0]["interval_ms"] = 25
    d["duration_ms"] = 150
    d["seed"] = 3
    path = tmp_path / "distal.json"
    path.write_text(json.dumps(d))
    out = tmp_path / "cli"
    cli("run", path, "--out", out, "--quiet", "--threads", 2)
    net = bgsim.Network.from_dict(d)
    net.run()
    w = net.weights("chosen_row")
    assert w.times.tobytes() == np.load(out / "chosen_row_times.npy").tobytes()
    assert w.values.tobytes() == np.load(out / "chosen_row.npy").tobytes()
    assert w.sources.tobytes() == np.load(out / "chosen_row_sources.npy").tobytes()
    assert w.targets.tobytes() == np.load(out / "chosen_row_targets.npy").tobytes()
    da = net.neuromodulator("dopamine")
    assert da.times.tobytes() == np.load(out / "dopamine_times.npy").tobytes()
    assert da.values.tobytes() == np.load(out / "dopamine.npy").tobytes()
    assert net.spikes("exc").tobytes() == np.load(out / "exc_spikes.npy").tobytes()


def test_izhikevich_state_equals_the_clis(tmp_path, cli, library):
    path = library / "izhikevich2003.json"
    out = tmp_path / "cli"
    cli("run", path, "--out", out, "--duration-ms", 100, "--quiet")
    net = bgsim.Network.from_file(path)
    net.run(100.0)
    times, values, neurons = net.state("exc_v")
    assert times.tobytes() == np.load(out / "exc_v_times.npy").tobytes()
    assert values.tobytes() == np.load(out / "exc_v.npy").tobytes()
    assert neurons.tobytes() == np.load(out / "exc_v_neurons.npy").tobytes()


def test_observer_tables_equal_the_clis_csv_files(tmp_path, cli, library):
    import pandas as pd

    d = json.loads((library / "izhikevich2007_pavlovian.json").read_text())
    d["duration_ms"] = 1500
    path = tmp_path / "pavlovian.json"
    path.write_text(json.dumps(d))
    out = tmp_path / "cli"
    cli("run", path, "--out", out, "--quiet")
    net = bgsim.Network.from_dict(d)
    net.run()
    tables = net.tables()
    assert set(tables) == {"conditioning_stimuli", "conditioning_groups"}
    for name, table in tables.items():
        from_cli = pd.read_csv(out / f"{name}.csv", float_precision="round_trip")
        assert list(table) == list(from_cli.columns)
        for column, values in table.items():
            if isinstance(values, np.ndarray):
                expected = from_cli[column].to_numpy(dtype=np.float64)
                assert np.array_equal(values, expected, equal_nan=True), (name, column)
            else:
                assert values == from_cli[column].astype(str).tolist(), (name, column)
    assert len(tables["conditioning_stimuli"]["time_ms"]) > 3


def test_overrides_are_the_clis_set(tmp_path, cli, library):
    path = library / "brunel2000_small.json"
    out = tmp_path / "cli"
    sets = {"/populations/exc/params/tau_m": 10.0, "/stimuli/0/params/rate_Hz": 1500}
    cli("run", path, "--out", out, "--duration-ms", 100, "--quiet",
        *[arg for p, v in sets.items() for arg in ("--set", f"{p}={v}")])
    net = bgsim.Network.from_file(path, overrides=sets)
    assert net.description["populations"]["exc"]["params"]["tau_m"] == 10.0
    net.run(100.0)
    assert net.spikes("exc").tobytes() == np.load(out / "exc_spikes.npy").tobytes()
    plain = bgsim.Network.from_file(path)
    plain.run(100.0)
    assert plain.spikes("exc").tobytes() != net.spikes("exc").tobytes()
