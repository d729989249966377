#!/usr/bin/python3
"""The probabilistic selection task under four dopamine conditions, two
learners side by side: runs `bgsim compare` on
tasks/experiments/selection_gonogo_compare[_COND].json (the spiking Go/NoGo
striatum and OpAL at the matching rho on the identical trials) for each
condition and seed, then writes into OUT

  selection_conditions.csv          one row per condition, seed and learner:
                                    AB in the last training block, choose-A,
                                    avoid-B, choose-A - avoid-B
  selection_conditions_summary.csv  per condition and learner: the mean and
                                    its 95 % t-interval of each
  selection_conditions_paired.csv   per condition other than intact and per
                                    learner, seed by seed against the intact
                                    circuit (a seed shows every condition the
                                    same sequence of pairs): the mean of the
                                    difference, its 95 % t-interval and on how
                                    many seeds it is below zero, for choose-A,
                                    avoid-B and choose-A - avoid-B (written
                                    when intact is among the conditions)
  selection_conditions.png          choose-A and avoid-B per condition, both
                                    learners, with the intervals

Runs already on disk (OUT/COND/seed_S/manifest.json) are read, not run again.

Usage: selection_conditions.py [--seeds N] [--first S] [--out OUT] [--jobs J]
                               [--bgsim BIN] [--root ROOT] [CONDITION ...]
Conditions: intact elevated depleted d2_lesion (default: all four).
"""
import argparse
import concurrent.futures
import csv
import json
import pathlib
import subprocess
import sys

import numpy as np
from scipy import stats

ROOT = pathlib.Path(__file__).resolve().parent.parent
CONDITIONS = ["intact", "elevated", "depleted", "d2_lesion"]
MEASURES = ["ab_last_block", "choose_a", "avoid_b", "choose_a_minus_avoid_b"]


def interval(x):
    """Mean and 95 % t-interval."""
    x = np.asarray(x, float)
    m = float(x.mean())
    if len(x) < 2:
        return m, float("nan"), float("nan")
    h = float(stats.t.ppf(0.975, len(x) - 1) * x.std(ddof=1) / np.sqrt(len(x)))
    return m, m - h, m + h


def run(bgsim, root, cond, seed, out):
    suffix = "" if cond == "intact" else "_" + cond
    exp = root / "tasks" / "experiments" / f"selection_gonogo_compare{suffix}.json"
    folder = out / cond / f"seed_{seed}"
    manifest = folder / "manifest.json"
    if not manifest.exists():
        subprocess.run([bgsim, "compare", str(exp), "--seed", str(seed), "--out", str(folder),
                        "--threads", "1", "--quiet", "--overwrite"], check=True)
    summary = json.loads(manifest.read_text())["summary"]
    rows = []
    for learner in ("spiking", "opal"):
        sel = summary[learner]["selection"]
        rows.append({"condition": cond, "seed": seed, "learner": learner,
                     "ab_last_block": sel["training_accuracy_by_block"][-1]["AB"],
                     "choose_a": sel["choose_a"], "avoid_b": sel["avoid_b"],
                     "choose_a_minus_avoid_b": sel["choose_a_minus_avoid_b"]})
    return rows


def summarise(rows, conditions):
    out = []
    for cond in conditions:
        for learner in ("spiking", "opal"):
            sel = [r for r in rows if r["condition"] == cond and r["learner"] == learner]
            if not sel:
                continue
            row = {"condition": cond, "learner": learner, "n": len(sel)}
            for m in MEASURES:
                row[m], row[m + "_lo"], row[m + "_hi"] = interval([r[m] for r in sel])
            out.append(row)
    return out


def paired(rows, conditions):
    """Each condition minus intact, seed by seed, per learner."""
    by = {(r["condition"], r["learner"], r["seed"]): r for r in rows}
    seeds = sorted({r["seed"] for r in rows})
    out = []
    for cond in conditions:
        if cond == "intact":
            continue
        for learner in ("spiking", "opal"):
            row = {"condition": cond, "learner": learner, "n": len(seeds)}
            for m in MEASURES[1:]:
                d = [by[(cond, learner, s)][m] - by[("intact", learner, s)][m] for s in seeds]
                row[m], row[m + "_lo"], row[m + "_hi"] = interval(d)
                row[m + "_below_zero"] = sum(v < 0 for v in d)
            out.append(row)
    return out


def write_csv(path, rows):
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def figure(path, summary, conditions):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(11, 4), sharey=False)
    x = np.arange(len(conditions))
    colours = {"choose_a": "#2b8cbe", "avoid_b": "#e34a33"}
    for ax, learner in zip(axes, ("spiking", "opal")):
        for i, m in enumerate(("choose_a", "avoid_b")):
            rows = [next(r for r in summary if r["condition"] == c and r["learner"] == learner)
                    for c in conditions]
            mean = np.array([r[m] for r in rows])
            err = np.array([[r[m] - r[m + "_lo"] for r in rows], [r[m + "_hi"] - r[m] for r in rows]])
            ax.bar(x + (i - 0.5) * 0.38, mean, 0.38, yerr=err, capsize=3, color=colours[m],
                   label={"choose_a": "choose A", "avoid_b": "avoid B"}[m])
        ax.axhline(0.5, color="grey", lw=0.8, ls=":")
        ax.set_xticks(x, conditions)
        ax.set_ylim(0, 1.05)
        n = rows[0]["n"]
        ax.set_title(("spiking Go/NoGo striatum" if learner == "spiking" else "OpAL, matching rho")
                     + f" ({n} seeds)")
        ax.set_ylabel("fraction of test trials")
        ax.legend(loc="lower left", fontsize=8)
    fig.suptitle("Probabilistic selection test: choose A and avoid B (mean, 95 % interval)")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("conditions", nargs="*", default=CONDITIONS)
    p.add_argument("--seeds", type=int, default=20)
    p.add_argument("--first", type=int, default=1)
    p.add_argument("--out", default="results/selection_conditions")
    p.add_argument("--jobs", type=int, default=2, help="runs at a time (each on one thread)")
    p.add_argument("--bgsim", default=str(ROOT / "build" / "release" / "tools" / "bgsim"))
    p.add_argument("--root", default=str(ROOT),
                   help="the folder whose tasks/experiments hold the files run (a variant written "
                        "by tools/make_gonogo.py ... ROOT; default: this repository)")
    a = p.parse_args()
    unknown = [c for c in a.conditions if c not in CONDITIONS]
    if unknown:
        sys.exit(f"unknown condition {unknown[0]!r}; known: {', '.join(CONDITIONS)}")
    out = pathlib.Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    rows = []
    runs = [(c, s) for c in a.conditions for s in range(a.first, a.first + a.seeds)]
    with concurrent.futures.ThreadPoolExecutor(max_workers=a.jobs) as pool:
        for done in pool.map(lambda cs: run(a.bgsim, pathlib.Path(a.root), cs[0], cs[1], out), runs):
            rows += done
    print(f"{len(runs)} runs in {out}", flush=True)
    summary = summarise(rows, a.conditions)
    write_csv(out / "selection_conditions.csv", rows)
    write_csv(out / "selection_conditions_summary.csv", summary)
    figure(out / "selection_conditions.png", summary, a.conditions)
    for r in summary:
        print(f"{r['condition']:10s} {r['learner']:8s} n={r['n']}  "
              + "  ".join(f"{m} {r[m]:+.3f} [{r[m + '_lo']:+.3f}, {r[m + '_hi']:+.3f}]"
                          for m in MEASURES))
    if "intact" in a.conditions and len(a.conditions) > 1:
        diffs = paired(rows, a.conditions)
        write_csv(out / "selection_conditions_paired.csv", diffs)
        for r in diffs:
            print(f"{r['condition']:10s} {r['learner']:8s} minus intact, n={r['n']}  "
                  + "  ".join(f"{m} {r[m]:+.3f} [{r[m + '_lo']:+.3f}, {r[m + '_hi']:+.3f}] "
                              f"({r[m + '_below_zero']} below 0)" for m in MEASURES[1:]))


if __name__ == "__main__":
    main()
