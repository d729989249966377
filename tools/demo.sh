#!/usr/bin/env bash
# Sets up, builds (Release) and runs the main demonstration: the Izhikevich
# (2003) 1000-neuron network for 2 s of biological time, written to
# results/demo (spike trains, membrane traces, manifest) with its figures in
# results/demo/plots.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
cmake --preset release
cmake --build --preset release --parallel "$(nproc)"
./build/release/tools/bgsim run networks/library/izhikevich2003.json \
  --duration-ms 2000 --out results/demo --overwrite
/usr/bin/python3 tools/plot_results.py results/demo
echo "demo: figures in results/demo/plots"
