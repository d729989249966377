"""The notebook-style walk-through (python/examples/walkthrough.py), run end
to end as a user runs it."""

import os
import pathlib
import subprocess
import sys

import bgsim

EXAMPLE = pathlib.Path(__file__).resolve().parents[1] / "examples" / "walkthrough.py"


def test_the_walkthrough_runs_and_draws_a_raster(tmp_path):
    png = tmp_path / "raster.png"
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(pathlib.Path(bgsim.__file__).resolve().parents[1]), env.get("PYTHONPATH", "")]
    )
    done = subprocess.run(
        [sys.executable, str(EXAMPLE), str(png)], capture_output=True, text=True, env=env,
        cwd=tmp_path, timeout=600,
    )
    assert done.returncode == 0, done.stderr
    assert "1000.0 ms:" in done.stdout
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert png.stat().st_size > 10_000
