"""`pip install .` into a virtual environment, without network: Debian's
pip, setuptools and wheel build the module with CMake (setup.py). The test
reuses the build tree of the module under test (BGSIM_BUILD_DIR), so that
nothing is compiled again: what it checks is the packaging — the package
and its stubs land in the environment, and `import bgsim` there runs,
without PYTHONPATH and away from the sources."""

import os
import pathlib
import subprocess
import sys

import pytest

import bgsim
from conftest import SOURCE_DIR

TREE = pathlib.Path(bgsim.__file__).resolve().parents[2]  # <tree>/python/bgsim/__init__.py


def test_pip_install_into_a_virtual_environment(tmp_path):
    if not (TREE / "CMakeCache.txt").exists():
        pytest.skip(f"the module under test is not in a CMake build tree ({TREE})")
    env_dir = tmp_path / "v"
    made = subprocess.run(
        [sys.executable, "-m", "venv", "--system-site-packages", str(env_dir)],
        capture_output=True, text=True)
    if made.returncode != 0:
        pytest.skip("no venv with pip here (Debian: python3-venv): " + made.stderr[-300:])
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["BGSIM_BUILD_DIR"] = str(TREE)
    pip = subprocess.run(
        [str(env_dir / "bin" / "pip"), "install", "--no-build-isolation", "--no-index",
         "--no-cache-dir", str(SOURCE_DIR)],
        capture_output=True, text=True, env=env, timeout=600)
    assert pip.returncode == 0, pip.stdout[-2000:] + pip.stderr[-2000:]
    assert "Successfully installed bgsim" in pip.stdout
    check = """
import json, os, bgsim
folder = os.path.dirname(bgsim.__file__)
task = bgsim.Task("bandit", seed=1)
agent = bgsim.Agent("q_learning", {"alpha": 0.1, "beta": 5}, task=task, seed=1)
session = bgsim.play(task, agent, 20)
net = bgsim.Network.from_file(os.environ["BRUNEL"])
net.run(20.0)
print(json.dumps({"file": bgsim.__file__, "files": sorted(os.listdir(folder)),
                  "version": bgsim.__version__, "steps": len(session),
                  "spikes": len(net.spikes("exc"))}))
"""
    env["BRUNEL"] = str(SOURCE_DIR / "networks" / "library" / "brunel2000_small.json")
    run = subprocess.run([str(env_dir / "bin" / "python"), "-c", check], capture_output=True,
                         text=True, env=env, cwd=tmp_path, timeout=300)
    assert run.returncode == 0, run.stderr
    import json

    out = json.loads(run.stdout)
    assert out["file"].startswith(str(env_dir))  # the installed copy, not the build tree
    assert {"__init__.py", "__init__.pyi", "py.typed"} <= set(out["files"])
    assert any(f.startswith("_core") and f.endswith(".so") for f in out["files"])
    assert out["version"] == bgsim.__version__
    assert out["steps"] == 20
    reference = bgsim.Network.from_file(env["BRUNEL"])
    reference.run(20.0)
    assert out["spikes"] == len(reference.spikes("exc")) > 0
