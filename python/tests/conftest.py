"""Where the tests find bgsim's sources and its command line.

ctest sets BGSIM_SOURCE_DIR, BGSIM_CLI and PYTHONPATH (python/CMakeLists.txt).
Run by hand from the source folder, after a release build:

    PYTHONPATH=build/release/python /usr/bin/python3 -m pytest -q python/tests
"""

import os
import pathlib
import subprocess

import pytest

SOURCE_DIR = pathlib.Path(
    os.environ.get("BGSIM_SOURCE_DIR") or pathlib.Path(__file__).resolve().parents[2]
).resolve()
LIBRARY = SOURCE_DIR / "networks" / "library"
CLI = pathlib.Path(
    os.environ.get("BGSIM_CLI") or SOURCE_DIR / "build" / "release" / "tools" / "bgsim"
).resolve()  # absolute: tests change the working folder


@pytest.fixture
def library():
    """The folder of the ready networks (networks/library)."""
    return LIBRARY


@pytest.fixture
def cli():
    """Runs the bgsim command line; returns the CompletedProcess (text)."""
    if not CLI.exists():
        pytest.skip(f"no bgsim command line at {CLI} (set BGSIM_CLI)")

    def run(*args, check=True):
        return subprocess.run(
            [str(CLI), *map(str, args)], capture_output=True, text=True, check=check
        )

    return run
