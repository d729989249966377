#!/usr/bin/env python3
"""Figures of a ready experiment's results folder (bgsim run tasks/experiments/*.json).

Usage: plot_experiment.py RESULTS_DIR [--out DIR]

Reads manifest.json, finds the experiment kind, and calls the plotting
function registered for it in tools/plots/<family>.py (each module has a
PLOTS dict: kind -> function(folder, manifest, out_dir) -> list of PNG paths).
Runs with Debian's matplotlib (Agg backend): /usr/bin/python3.
"""
import argparse
import importlib
import json
import pathlib
import pkgutil
import sys

import matplotlib

matplotlib.use("Agg")

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def registry():
    plots = {}
    for module in pkgutil.iter_modules([str(HERE / "plots")]):
        mod = importlib.import_module("plots." + module.name)
        plots.update(getattr(mod, "PLOTS", {}))
    return plots


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results")
    parser.add_argument("--out", help="folder for the PNGs (default RESULTS/plots)")
    args = parser.parse_args()
    folder = pathlib.Path(args.results)
    manifest_path = folder / "manifest.json"
    if not manifest_path.is_file():
        sys.exit(f"plot_experiment: {manifest_path} not found (is {folder} a results folder?)")
    manifest = json.loads(manifest_path.read_text())
    if manifest.get("status") != "complete":
        sys.exit(f"plot_experiment: the run in {folder} is {manifest.get('status')!r}, not complete")
    kind = manifest.get("experiment")
    plots = registry()
    if kind not in plots:
        sys.exit(f"plot_experiment: no figure for experiment {kind!r} (known: {', '.join(sorted(plots))})")
    out = pathlib.Path(args.out) if args.out else folder / "plots"
    out.mkdir(parents=True, exist_ok=True)
    for path in plots[kind](folder, manifest, out):
        print(path)


if __name__ == "__main__":
    main()
