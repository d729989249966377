"""The notebook-style walk-through (python/examples/walkthrough.py), run end
to end as a user runs it."""

import os
import pathlib
import subprocess
import sys

import bgsim

EXAMPLE = pathlib.Path(__file__).resolve().parents[1] / "examples" / "walkthrough.py"


def test_the_walkthrough_runs_and_draws_a_raster_and_the_bandit(tmp_path):
    png = tmp_path / "raster.png"
    bandit = tmp_path / "bandit.png"
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(pathlib.Path(bgsim.__file__).resolve().parents[1]), env.get("PYTHONPATH", "")]
    )
    done = subprocess.run(
        [sys.executable, str(EXAMPLE), str(png), str(bandit)], capture_output=True, text=True, env=env,
        cwd=tmp_path, timeout=600,
    )
    assert done.returncode == 0, done.stderr
    assert "1000.0 ms:" in done.stdout
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert png.stat().st_size > 10_000
    # The bandit: a Q-learning agent stepped by hand and played, then both
    # learners in the comparison, plotted.
    assert "trial 0: arm" in done.stdout and "299 more trials" in done.stdout
    assert "r(dopamine, delta) after trial 150" in done.stdout
    assert bandit.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert bandit.stat().st_size > 10_000
