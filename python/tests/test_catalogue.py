"""The catalogue: bgsim.models() and bgsim.describe() say what `bgsim list`
and `bgsim describe` say, as Python objects."""

import pytest

import bgsim


def test_models_lists_every_kind(cli):
    m = bgsim.models()
    assert "izhikevich" in m["neuron"] and "lif_psc_exp" in m["neuron"]
    assert "poisson_input" in m["device"]
    assert m["synapse"][0] == "static" and "stdp_dopamine" in m["synapse"]
    assert m["neuromodulator"] == ["dopamine"]
    assert "fixed_indegree" in m["connection_rule"]
    assert all(len(e) == 2 for e in m["experiment"])
    assert str(m) == cli("list").stdout


def test_describe_gives_parameters_with_units_defaults_and_constraints(cli):
    m = bgsim.describe("lif_psc_exp")
    assert m.kind == "neuron"
    tau_m = next(p for p in m.parameters if p.name == "tau_m")
    assert tau_m.unit == "ms"
    assert isinstance(tau_m.default, float) and tau_m.default > 0
    assert tau_m.constraint and tau_m.doc
    assert ("V_m", "mV") in m.state
    assert m.defaults["tau_m"] == tau_m.default
    assert str(m) == cli("describe", "lif_psc_exp").stdout


def test_describe_every_kind(cli):
    assert bgsim.describe("izhikevich").presets["regular_spiking"]
    assert bgsim.describe("poisson_input").kind == "device"
    assert bgsim.describe("poisson_input").default_receptor
    rule = bgsim.describe("stdp_dopamine")
    assert rule.kind == "synapse" and rule.reads_neuromodulator
    assert bgsim.describe("dopamine").kind == "neuromodulator"
    for name in ["poisson_input", "stdp_dopamine", "dopamine"]:
        assert str(bgsim.describe(name)) == cli("describe", name).stdout


def test_an_unknown_name_is_a_key_error_with_the_nearest_name():
    with pytest.raises(KeyError, match="did you mean \\\\?\"izhikevich\\\\?\""):
        bgsim.describe("izhikevic")


def test_describe_answers_for_rules_and_experiment_kinds(cli):
    out = cli("describe", "fixed_indegree").stdout
    assert "connection rule" in out and "indegree" in out and "allow_multapses" in out
    out = cli("describe", "explicit").stdout
    assert "connections" in out and "delay_ms" in out
    rule = bgsim.describe("fixed_probability")
    assert rule.kind == "connection_rule"
    assert [p.name for p in rule.parameters] == ["p", "allow_autapses"]
    assert str(rule) == cli("describe", "fixed_probability").stdout
    kind = bgsim.models()["experiment"][0][0]
    out = cli("describe", kind).stdout
    assert out.startswith(f"{kind} (experiment")
    e = bgsim.describe(kind)
    assert e.kind == "experiment" and str(e) == out
    r = cli("describe", "fixed_indegre", check=False)
    assert r.returncode == 1 and 'did you mean "fixed_indegree"?' in r.stderr
