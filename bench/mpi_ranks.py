#!/usr/bin/python3
"""One network over MPI ranks against threads (docs/mpi.md, bench/README.md).

Runs `bgsim run NETWORK --duration-ms MS` of the MPI build as
1 rank x 1 thread, 2 ranks x 1 thread and 1 rank x 2 threads (or the layouts
given), and prints per layout: the simulation's wall time per biological
second (from the manifest, building excluded), the share of it rank 0 spent in
the spike exchange (the collective, waiting for the slower rank included),
the bytes exchanged per epoch, each rank's peak resident memory
(/usr/bin/time's maximum RSS) and the CPU time of all ranks together (user +
system, building included, MPI's polling included). Checks that every layout
gives the spikes of the first.

  bench/mpi_ranks.py [--bgsim build/mpi/tools/bgsim] [--network FILE]
                     [--duration-ms 1000] [--layouts 1x1,2x1,1x2] [--out DIR]
"""
import argparse
import json
import os
import pathlib
import re
import subprocess


def main():
    here = pathlib.Path(__file__).resolve().parent.parent
    p = argparse.ArgumentParser()
    p.add_argument("--bgsim", default=str(here / "build/mpi/tools/bgsim"))
    p.add_argument("--network", default=str(here / "networks/library/brunel2000.json"))
    p.add_argument("--duration-ms", default="1000")
    p.add_argument("--layouts", default="1x1,2x1,1x2")
    p.add_argument("--out", default="mpi_ranks_results")
    a = p.parse_args()
    env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
               OMPI_MCA_btl_vader_single_copy_mechanism="none")
    out = pathlib.Path(a.out)
    first = None
    print("| ranks x threads | wall s per biological s | exchange share (rank 0) | "
          "bytes per epoch (all ranks) | epochs | peak RSS per rank | CPU s, all ranks | spikes |")
    print("|---|---|---|---|---|---|---|---|")
    for layout in a.layouts.split(","):
        ranks, threads = layout.split("x")
        folder = out / f"r{ranks}t{threads}"
        cmd = ["mpirun", "--oversubscribe", "-np", ranks, "/usr/bin/time", "-f", "RSS %M KiB CPU %U %S",
               a.bgsim, "run", a.network, "--duration-ms", a.duration_ms, "--threads", threads,
               "--quiet", "--overwrite", "--out", str(folder)]
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
        found = re.findall(r"RSS (\d+) KiB CPU ([\d.]+) ([\d.]+)", done.stderr)
        rss = [int(r) / 1024 for r, _, _ in found]
        cpu = sum(float(u) + float(s) for _, u, s in found)
        m = json.loads((folder / "manifest.json").read_text())
        sim_s = m["wall_time_s"]["simulation"]
        bio_s = m["reached_ms"] / 1000
        x = m.get("exchange")
        share = f"{100 * x['seconds'] / sim_s:.1f} %" if x else "—"
        per_epoch = f"{x['bytes_received'] / x['epochs']:.0f}" if x else "—"
        epochs = x["epochs"] if x else "—"
        spikes = m["counts"]["spikes"]
        data = {f: (folder / f).read_bytes() for f in ("exc_spikes.npy", "inh_spikes.npy")
                if (folder / f).exists()}
        if first is None:
            first = data
        same = "" if data == first else " (DIFFERENT SPIKES)"
        print(f"| {ranks} x {threads} | {sim_s / bio_s:.2f} | {share} | {per_epoch} | {epochs} | "
              f"{', '.join(f'{r:.0f} MiB' for r in sorted(rss))} | {cpu:.1f} | {spikes}{same} |")


if __name__ == "__main__":
    main()
