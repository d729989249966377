"""The type stubs (bgsim/__init__.pyi) name what the module has: every
public name and every class member in the stubs exists at run time, and
every name the package exports has a stub."""

import ast
import pathlib

import bgsim

STUBS = pathlib.Path(bgsim.__file__).with_name("__init__.pyi")


def stub_tree():
    return ast.parse(STUBS.read_text())


def test_every_exported_name_has_a_stub():
    tree = stub_tree()
    names = set()
    for node in tree.body:
        if isinstance(node, (ast.ClassDef, ast.FunctionDef)):
            names.add(node.name)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    assert set(bgsim.__all__) - names == set()
    returned_only = {"TaskStep", "TaskEvent"}  # made by tasks, not by the user
    assert {n for n in names - returned_only if not hasattr(bgsim, n)} == set()


def test_every_stubbed_member_exists(library):
    task = bgsim.Task("bandit", seed=1)
    agent = bgsim.Agent("q_learning", task=task)
    session = bgsim.play(task, agent, 2)
    step = task.reset()
    after = task.step(agent.act(step))
    instances = {"Task": task, "Agent": agent, "TaskStep": step, "Session": session,
                 "TaskEvent": after.events[0], "Problem": bgsim.Problem("/a", "b"),
                 "Model": bgsim.describe("izhikevich"),
                 "Network": bgsim.Network.from_file(library / "brunel2000_small.json")}
    experiment = library.parent.parent / "tasks" / "experiments" / "bandit_reversal_q_learning.json"
    instances["ExperimentResult"] = bgsim.run_experiment(
        experiment, overrides={"/experiment/params/trials": 5})
    try:
        bgsim.Task("bandits")
    except bgsim.DescriptionError as e:
        instances["DescriptionError"] = e
    missing = []
    for node in stub_tree().body:
        if not isinstance(node, ast.ClassDef) or node.name.startswith("_"):
            continue
        runtime = getattr(bgsim, node.name, None)
        if runtime is None:
            if node.name in ("TaskStep", "TaskEvent"):  # returned, not exported
                runtime = type(instances[node.name])
            else:
                missing.append(node.name)
                continue
        target = instances.get(node.name, runtime)
        for member in node.body:
            name = None
            if isinstance(member, ast.FunctionDef) and not member.name.startswith("__"):
                name = member.name
            elif isinstance(member, ast.AnnAssign) and isinstance(member.target, ast.Name):
                name = member.target.id
            if name and not (hasattr(runtime, name) or hasattr(target, name)):
                missing.append(f"{node.name}.{name}")
    assert missing == []
