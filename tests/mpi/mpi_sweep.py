#!/usr/bin/python3
"""A sweep's runs shared among MPI ranks (docs/sweeps.md, docs/mpi.md).

Runs one sweep of six runs (two seeds x three points, one point failing on
its numerical guard) first in one process (`bgsim sweep`, no mpirun), then under
`mpirun --oversubscribe -np RANKS bgsim sweep`, and checks that:

* every run's folder holds the data files of the one-process sweep's run,
  byte for byte (each run is a process of its own, whichever rank starts it);
* the table has the same rows, column for column, but the wall times;
* the failing runs are rows "failed" with their exit code, the others
  complete, and the sweep exits 2;
* the manifest says how many ranks shared the runs, and each rank started
  runs r, r + R, … (its lines in the output say so).

  mpi_sweep.py BGSIM MPIEXEC WORKDIR NETWORK RANKS
"""
import csv
import json
import os
import pathlib
import shutil
import subprocess
import sys


def sweep(cmd, env):
    done = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return done.returncode, done.stdout


def rows(folder):
    with open(folder / "sweep.csv", newline="") as f:
        table = list(csv.DictReader(f))
    for row in table:
        del row["wall_s"]
    return table


def data_files(folder):
    return sorted(p.name for p in folder.iterdir()
                  if p.is_file() and p.name != "manifest.json" and not p.name.startswith("."))


def main():
    if len(sys.argv) != 6:
        sys.exit(__doc__)
    bgsim, mpiexec, work, network, ranks = sys.argv[1:6]
    work = pathlib.Path(work)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    plan = work / "plan.json"
    # Run 2 bounds the excitatory rate below what the network fires: its
    # guard stops it (exit 2).
    plan.write_text(json.dumps({"sweep": {
        "description": network,
        "seeds": [1, 2],
        "points": [{"/duration_ms": 200},
                   {"/duration_ms": 200, "/populations/exc/max_rate_Hz": 0.5},
                   {"/duration_ms": 100}]}}))
    env = dict(os.environ)
    env.update({"OMPI_ALLOW_RUN_AS_ROOT": "1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM": "1",
                "OMPI_MCA_btl_vader_single_copy_mechanism": "none", "OMP_WAIT_POLICY": "passive"})

    one = work / "one_process"
    status, out = sweep([bgsim, "sweep", str(plan), "--out", str(one), "--quiet"], env)
    if status != 2:
        print(out)
        sys.exit(f"FAILED: the one-process sweep exited {status}, not 2")
    shared = work / "ranks"
    status, out = sweep([mpiexec, "--oversubscribe", "-np", ranks, bgsim, "sweep", str(plan),
                         "--out", str(shared)], env)
    print(out)
    if status != 2:
        sys.exit(f"FAILED: the sweep over {ranks} ranks exited {status}, not 2")

    manifest = json.loads((shared / "manifest.json").read_text())
    assert manifest["ranks"] == int(ranks), manifest
    assert manifest["status"] == "failed" and manifest["complete"] == 4 and manifest["failed"] == 2
    theirs, mine = rows(one), rows(shared)
    assert theirs == mine, (theirs, mine)
    # Points vary slowest, seeds fastest: runs 2 and 3 are the bounded point.
    assert [r["status"] for r in mine] == ["complete"] * 2 + ["failed"] * 2 + ["complete"] * 2, mine
    assert [r["exit_code"] for r in mine] == ["0", "0", "2", "2", "0", "0"], mine
    compared = 0
    for row in mine:
        name = row["run"]
        files = data_files(one / name)
        assert files == data_files(shared / name), (name, files)
        for f in files:
            assert (one / name / f).read_bytes() == (shared / name / f).read_bytes(), (name, f)
            compared += 1
        mf = json.loads((shared / name / "manifest.json").read_text())
        assert "ranks" not in mf, f"{name} ran as a rank of the sweep's job, not on its own"
    assert compared > 0
    for r in range(int(ranks)):
        mine_runs = [f"run_{i:04d}" for i in range(r, len(mine), int(ranks))]
        for name in mine_runs:
            assert f"(rank {r}): {name}" in out, (r, name)
    print(f"OK: {len(mine)} runs over {ranks} ranks, {compared} files identical to one process")


if __name__ == "__main__":
    main()
