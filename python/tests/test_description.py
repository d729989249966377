"""Reading descriptions: files and dicts, includes, problems as the CLI
states them, validate()."""

import json

import pytest

import bgsim


def test_from_file_reads_a_library_network(library):
    net = bgsim.Network.from_file(library / "brunel2000_small.json")
    assert net.populations == {"exc": 1000, "inh": 250}
    assert net.recorders == {"exc": "spikes", "inh": "spikes"}
    assert net.resolution_ms == 0.1
    assert net.duration_ms == 500.0
    assert net.seed == 1
    assert net.time_ms == 0.0


def test_from_dict_of_a_file_is_the_same_network(library):
    path = library / "brunel2000_small.json"
    a = bgsim.Network.from_file(path)
    b = bgsim.Network.from_dict(json.loads(path.read_text()))
    assert a.resolved == b.resolved
    assert a.description == b.description


def test_description_is_a_copy_to_change_and_read_again(library):
    net = bgsim.Network.from_file(library / "brunel2000_small.json")
    d = net.description
    d["populations"]["exc"]["params"]["tau_m"] = 10.0
    d["stimuli"][0]["params"]["rate_Hz"] = 1000.0
    changed = bgsim.Network.from_dict(d)
    params = changed.resolved["populations"]["exc"]["params"]
    assert params["tau_m"] == 10.0
    assert net.resolved["populations"]["exc"]["params"]["tau_m"] == 20.0
    assert changed.resolved["stimuli"][0]["params"]["rate_Hz"] == 1000.0


BAD = {
    "populations": {
        "exc": {"model": "izhikevich", "size": 10, "params": {"aa": 0.02}},
    },
    "projections": [
        {"source": "exc", "target": "inhh", "rule": "all_to_all", "synapse": {"weight": 1.0}}
    ],
}


def test_a_bad_description_raises_every_problem_as_the_cli_prints_them(tmp_path, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.json").write_text(json.dumps(BAD))
    with pytest.raises(bgsim.DescriptionError) as raised:
        bgsim.Network.from_file("bad.json")
    e = raised.value
    assert len(e.problems) == 2
    pointers = [pointer for pointer, _message in e.problems]
    assert "/populations/exc/params/aa" in pointers
    assert any(p.startswith("/projections/0") for p in pointers)
    assert any("did you mean" in message for _pointer, message in e.problems)
    shown = cli("validate", "bad.json", check=False)
    assert shown.returncode == 1
    assert str(e) + "\n" == shown.stderr
    assert str(e).endswith("bad.json: 2 problems")


def test_a_bad_dict_raises_the_same_problems():
    with pytest.raises(bgsim.DescriptionError) as raised:
        bgsim.Network.from_dict(BAD)
    assert len(raised.value.problems) == 2
    assert str(raised.value).endswith("<dict>: 2 problems")
    assert isinstance(raised.value, ValueError)


def test_validate_returns_the_problems_or_raises(tmp_path, library):
    assert bgsim.validate(library / "brunel2000_small.json") == []
    problems = bgsim.validate(BAD)
    assert len(problems) == 2
    assert all(isinstance(p, bgsim.Problem) and len(p) == 2 for p in problems)
    assert problems[0].pointer == problems[0][0]
    with pytest.raises(bgsim.DescriptionError):
        bgsim.validate(BAD, raise_error=True)
    (tmp_path / "broken.json").write_text('{"populations": {')
    (syntax,) = bgsim.validate(tmp_path / "broken.json")
    assert "syntax error at line 1" in syntax.message


def test_validate_checks_experiments_too(library):
    experiment = library.parent.parent / "tasks" / "experiments" / "bandit_reversal_q_learning.json"
    assert bgsim.validate(experiment) == []
    with pytest.raises(ValueError, match="is an experiment"):
        bgsim.Network.from_file(experiment)


POPULATIONS = {"populations": {"a": {"model": "izhikevich", "size": 3}}}


def test_includes_of_a_dict_are_read_from_the_current_folder_or_a_base(tmp_path, monkeypatch):
    (tmp_path / "parts").mkdir()
    (tmp_path / "parts" / "pops.json").write_text(json.dumps(POPULATIONS))
    d = {
        "include": ["pops.json"],
        "duration_ms": 10,
        "recorders": [{"name": "a", "type": "spikes", "population": "a"}],
    }
    net = bgsim.Network.from_dict(d, base=tmp_path / "parts")
    assert net.populations == {"a": 3}
    monkeypatch.chdir(tmp_path / "parts")
    assert bgsim.Network.from_dict(d).populations == {"a": 3}
    monkeypatch.chdir(tmp_path)
    with pytest.raises(bgsim.DescriptionError) as raised:
        bgsim.Network.from_dict(d)
    (problem,) = raised.value.problems
    assert problem.pointer == "/include/0"
    assert "cannot read" in problem.message


def test_problems_in_an_included_file_name_it(tmp_path):
    (tmp_path / "pops.json").write_text(
        json.dumps({"populations": {"a": {"model": "izhikevic", "size": 3}}})
    )
    (tmp_path / "main.json").write_text(json.dumps({"include": "pops.json"}))
    (problem,) = bgsim.validate(tmp_path / "main.json")
    assert problem.pointer == "/populations/a/model"
    assert problem.file.endswith("pops.json")
    assert str(problem).startswith(problem.file + ": /populations/a/model: ")


def test_numpy_values_are_taken_in_a_dict(library):
    import numpy as np

    d = json.loads((library / "brunel2000_small.json").read_text())
    d["populations"]["exc"]["size"] = np.int64(100)
    d["stimuli"][0]["params"]["rate_Hz"] = np.float32(1500.0)
    assert bgsim.Network.from_dict(d).populations["exc"] == 100


def test_a_description_that_is_not_a_path_or_dict_is_refused():
    with pytest.raises(TypeError):
        bgsim.Network.from_dict(["not", "a", "dict"])
    with pytest.raises(TypeError):
        bgsim.validate(42)


VOLUME_WITHOUT_DELAY = {
    "populations": {
        "snc": {"model": "izhikevich", "size": 5},
        "d1": {"model": "izhikevich_book", "preset": "msn_d1", "size": 5, "neuromodulator": "da"},
    },
    "neuromodulators": {"da": {"source": "snc", "params": {"delay_ms": 0}}},
    "duration_ms": 5,
}


def test_warnings_are_python_warnings_at_the_callers_line():
    with pytest.warns(bgsim.DescriptionWarning, match="/neuromodulators/da/params/delay_ms") as w:
        assert bgsim.validate(VOLUME_WITHOUT_DELAY) == []
    assert w[0].filename == __file__
    with pytest.warns(bgsim.DescriptionWarning, match="every epoch is one step long") as w:
        net = bgsim.Network.from_dict(VOLUME_WITHOUT_DELAY)
    assert w[0].filename == __file__
    assert net.run() == 5.0


def test_an_override_that_names_nothing_is_a_problem_at_its_pointer(library):
    path = library / "brunel2000_small.json"
    (problem,) = bgsim.validate(path, overrides={"/populations/nope/size": 3})
    assert problem.pointer == "/populations/nope/size"
    with pytest.raises(bgsim.DescriptionError):
        bgsim.Network.from_dict(json.loads(path.read_text()), overrides={"/nope": 1})
    net = bgsim.Network.from_dict(
        json.loads(path.read_text()), overrides={"/populations/exc/size": 10}
    )
    assert net.populations["exc"] == 10
