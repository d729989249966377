#!/usr/bin/python3
"""One network over MPI ranks gives the bits of one process (docs/mpi.md).

Runs a network description once with `bgsim run` in one process (no mpirun:
the path of a build without MPI, no communicator, no exchange), then under
`mpirun --oversubscribe -np R bgsim run ... --threads T` for every layout
R x T asked for, and checks that each results folder holds the same data
files as the single-process one, byte for byte, and that the manifests agree
on the counts (spikes, synaptic events, synapses over all ranks). The
reference run must have produced spikes, so that equality means something.

  mpi_identity.py BGSIM MPIEXEC WORKDIR NETWORK DURATION_MS LAYOUTS [--set P=V]...

DURATION_MS "experiment": NETWORK is an experiment description (a closed
loop with a spiking learner), which sets its own length (its trials): no
--duration-ms is passed, and the manifests must agree on the summary (trials,
steps, rewards, the network's spikes and synapses) instead of the counts.

LAYOUTS is a comma-separated list such as 1x1,1x2,2x1,3x1,2x2.
"""
import json
import os
import pathlib
import shutil
import subprocess
import sys
import time


def run(cmd, env):
    started = time.monotonic()
    done = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if done.returncode != 0:
        print(done.stdout)
        sys.exit(f"FAILED (exit {done.returncode}): {' '.join(cmd)}")
    return time.monotonic() - started


def data_files(folder):
    return sorted(p.name for p in folder.iterdir()
                  if p.is_file() and p.name != "manifest.json" and not p.name.startswith("."))


def main():
    if len(sys.argv) < 7:
        sys.exit(__doc__)
    bgsim, mpiexec, work, network, duration, layouts = sys.argv[1:7]
    extra = sys.argv[7:]
    work = pathlib.Path(work)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    env = dict(os.environ)
    # mpirun refuses root unless told (CI containers run as root); shared
    # memory without the ptrace-based single copy, which containers forbid.
    env.update({"OMPI_ALLOW_RUN_AS_ROOT": "1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM": "1",
                "OMPI_MCA_btl_vader_single_copy_mechanism": "none", "OMP_WAIT_POLICY": "passive"})
    experiment = duration == "experiment"
    common = ["run", network, "--quiet", "--overwrite"] + extra
    if not experiment:
        common += ["--duration-ms", duration]

    ref = work / "one_process"
    seconds = run([bgsim] + common + ["--out", str(ref), "--threads", "1"], env)
    ref_manifest = json.loads((ref / "manifest.json").read_text())
    assert ref_manifest["status"] == "complete", ref_manifest.get("error")
    files = data_files(ref)
    spikes = (ref_manifest["summary"]["network"] if experiment else ref_manifest["counts"])["spikes"]
    # A closed loop's steps.csv (decision counts, dopamine levels) may be all
    # the data there is, when the network records nothing itself.
    wanted = "steps.csv" if experiment else ".npy"
    if spikes == 0 or not any(f.endswith(wanted) for f in files):
        sys.exit(f"FAILED: the reference run of {network} wrote no spikes ({files}): nothing to compare")
    print(f"{pathlib.Path(network).name}: one process, {spikes} spikes, files {files} ({seconds:.1f} s)")

    failures = []
    for layout in layouts.split(","):
        ranks, threads = layout.split("x")
        out = work / f"ranks{ranks}_threads{threads}"
        seconds = run([mpiexec, "--oversubscribe", "-np", ranks, bgsim] + common +
                      ["--out", str(out), "--threads", threads], env)
        manifest = json.loads((out / "manifest.json").read_text())
        problems = []
        if manifest["status"] != "complete":
            problems.append(f"status {manifest['status']}: {manifest.get('error')}")
        said = manifest.get("summary", {}).get("network", {}) if experiment else manifest
        if int(ranks) > 1 and said.get("ranks") != int(ranks):
            problems.append(f"manifest says ranks = {said.get('ranks')}")
        if data_files(out) != files:
            problems.append(f"files {data_files(out)} instead of {files}")
        for f in files:
            if (out / f).exists() and (out / f).read_bytes() != (ref / f).read_bytes():
                problems.append(f"{f} differs")
        if experiment:
            # What may differ: wall times, and the ranks the network ran over.
            def summary(m):
                kept = {k: v for k, v in m.get("summary", {}).items() if "wall_time" not in k}
                kept["network"] = {k: v for k, v in kept.get("network", {}).items() if k != "ranks"}
                return kept
            if summary(manifest) != summary(ref_manifest):
                problems.append(f"summary: {summary(manifest)} instead of {summary(ref_manifest)}")
        else:
            for key in ("counts", "network"):
                if manifest.get(key) != ref_manifest.get(key):
                    problems.append(f"{key}: {manifest.get(key)} instead of {ref_manifest.get(key)}")
        verdict = "identical" if not problems else "; ".join(problems)
        print(f"  {ranks} ranks x {threads} threads: {verdict} ({seconds:.1f} s)")
        if problems:
            failures.append(layout)
    if failures:
        sys.exit(f"FAILED: {', '.join(failures)} differ from one process")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
