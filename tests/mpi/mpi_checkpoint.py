#!/usr/bin/python3
"""A run over MPI ranks, stopped and resumed on other rank counts, gives the
bits of one process never stopped (docs/mpi.md: checkpoints over ranks).

Runs a network description once with `bgsim run` in one process, to its end.
Then runs it again with `--checkpoint-every`, stage by stage: the first stage
is `bgsim run`, each later one `bgsim resume` of the same folder, each under
its own layout (ranks x threads; one rank is one process without mpirun).
Every stage but the last is stopped with SIGTERM once it has written a
checkpoint past the one it started from (the ranks stop together and write a
last checkpoint); the last runs to the end. The finished folder must hold the
same data files as the one-process folder, byte for byte, and its manifest the
same counts.

  mpi_checkpoint.py BGSIM MPIEXEC WORKDIR NETWORK DURATION_MS EVERY_MS STAGES [--set P=V]...

STAGES is a comma-separated list of layouts such as 2x1,3x1,1x2.
"""
import json
import os
import pathlib
import shutil
import signal
import subprocess
import sys
import time


def data_files(folder):
    return sorted(p.name for p in folder.iterdir()
                  if p.is_file() and p.name != "manifest.json" and not p.name.startswith("."))


def checkpoint_ms(folder):
    """The time of the folder's last checkpoint, or None."""
    try:
        manifest = json.loads((folder / "manifest.json").read_text())
    except (OSError, ValueError):  # not written yet, or being replaced
        return None
    return manifest.get("checkpoint", {}).get("time_ms")


def command(bgsim, mpiexec, layout, args):
    ranks, threads = layout.split("x")
    cmd = [bgsim] + args + ["--threads", threads]
    return cmd if ranks == "1" else [mpiexec, "--oversubscribe", "-np", ranks] + cmd


def run_stage(cmd, env, out, stop_after_ms):
    """Runs one stage; stops it with SIGTERM once a checkpoint later than
    `stop_after_ms` is written (None: lets it run to its end)."""
    log = out.parent / "stage.log"
    with open(log, "w") as sink:
        proc = subprocess.Popen(cmd, env=env, stdout=sink, stderr=subprocess.STDOUT)
        stopped = False
        while proc.poll() is None:
            if stop_after_ms is not None and not stopped:
                at = checkpoint_ms(out)
                if at is not None and at > stop_after_ms:
                    proc.send_signal(signal.SIGTERM)
                    stopped = True
            time.sleep(0.02)
    return proc.returncode, log.read_text()


def main():
    if len(sys.argv) < 8:
        sys.exit(__doc__)
    bgsim, mpiexec, work, network, duration, every, stages = sys.argv[1:8]
    extra = sys.argv[8:]
    work = pathlib.Path(work)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    env = dict(os.environ)
    env.update({"OMPI_ALLOW_RUN_AS_ROOT": "1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM": "1",
                "OMPI_MCA_btl_vader_single_copy_mechanism": "none", "OMP_WAIT_POLICY": "passive"})
    common = ["run", network, "--duration-ms", duration, "--quiet", "--overwrite"] + extra

    ref = work / "one_process"
    done = subprocess.run([bgsim] + common + ["--out", str(ref), "--threads", "1"], env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if done.returncode != 0:
        print(done.stdout)
        sys.exit(f"FAILED: the one-process run exited {done.returncode}")
    ref_manifest = json.loads((ref / "manifest.json").read_text())
    files = data_files(ref)
    if ref_manifest["counts"]["spikes"] == 0:
        sys.exit(f"FAILED: the reference run of {network} has no spikes: nothing to compare")
    print(f"{pathlib.Path(network).name}: one process, {ref_manifest['counts']['spikes']} spikes, "
          f"files {files}")

    out = work / "stopped_and_resumed"
    layouts = stages.split(",")
    first = common + ["--out", str(out), "--checkpoint-every", every]
    resume = ["resume", str(out), "--quiet"]
    started_ms = 0.0
    for i, layout in enumerate(layouts):
        last = i == len(layouts) - 1
        cmd = command(bgsim, mpiexec, layout, first if i == 0 else resume)
        status, output = run_stage(cmd, env, out, None if last else started_ms)
        manifest = json.loads((out / "manifest.json").read_text())
        if last:
            if status != 0 or manifest["status"] != "complete":
                print(output)
                sys.exit(f"FAILED: the last stage ({layout}) exited {status}, "
                         f"status {manifest['status']}: {manifest.get('error')}")
            print(f"  {layout}: resumed from {started_ms} ms, ran to the end")
            break
        # SIGTERM stops the ranks together, with a last checkpoint; should
        # mpirun kill them instead, the folder is that of a killed run, which
        # resumes from its last checkpoint as well.
        if manifest["status"] not in ("interrupted", "running") or "checkpoint" not in manifest:
            print(output)
            sys.exit(f"FAILED: stage {layout} exited {status} with status {manifest['status']} "
                     f"(expected an interrupted run with a checkpoint; a shorter --checkpoint-every "
                     f"or a longer run would stop it)")
        stopped_ms = manifest["checkpoint"]["time_ms"]
        print(f"  {layout}: {'ran' if i == 0 else f'resumed from {started_ms} ms'}, "
              f"stopped ({manifest['status']}) with a checkpoint at {stopped_ms} ms")
        started_ms = stopped_ms

    problems = []
    if data_files(out) != files:
        problems.append(f"files {data_files(out)} instead of {files}")
    for f in files:
        if (out / f).exists() and (out / f).read_bytes() != (ref / f).read_bytes():
            problems.append(f"{f} differs")
    manifest = json.loads((out / "manifest.json").read_text())
    for key in ("counts", "network"):
        if manifest.get(key) != ref_manifest.get(key):
            problems.append(f"{key}: {manifest.get(key)} instead of {ref_manifest.get(key)}")
    last_ranks = int(layouts[-1].split("x")[0])
    if manifest.get("ranks") != (last_ranks if last_ranks > 1 else None):
        problems.append(f"manifest says ranks = {manifest.get('ranks')} after a last stage of "
                        f"{last_ranks}")
    if problems:
        sys.exit("FAILED: " + "; ".join(problems))
    print("  identical to one process never stopped")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
