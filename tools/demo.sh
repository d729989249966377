#!/usr/bin/env bash
# Sets up, builds (Release) and runs the main demonstration:
#  0. what bgsim is for: spiking dopamine against the TD error — the spiking
#     conditioning critic and TD(0), TD(lambda) and distributional TD on the
#     identical 200 conditioning trials, their dopamine signals aligned on the
#     cue (about 20 s) -> results/demo/compare (compare_signals.png first);
#  1. the Izhikevich (2003) 1000-neuron spiking network for 2 s of biological
#     time -> results/demo/network (spike trains, membrane traces, manifest);
#  2. the dual-process dopamine-ramp demo (model-based values train model-free
#     values; RPE ramps from the first episode; convergence after 624 vs 1510
#     episodes) -> results/demo/ramps;
#  3. one task, two learners: the spiking actor-critic and the Q-learning agent
#     on the identical reversal bandit (1000 trials, arms swapped at 500; about
#     10 s) -> results/demo/bandit_spiking, results/demo/bandit_q_learning;
# with the figures of each in its plots/ folder.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
cmake --preset release
cmake --build --preset release --parallel "$(nproc)"
bgsim=./build/release/tools/bgsim
$bgsim compare tasks/experiments/conditioning_compare.json --out results/demo/compare --overwrite
/usr/bin/python3 tools/plot_experiment.py results/demo/compare
$bgsim run networks/library/izhikevich2003.json --duration-ms 2000 --out results/demo/network --overwrite
/usr/bin/python3 tools/plot_results.py results/demo/network
$bgsim run networks/library/bg_selection.json --out results/demo/bg_selection --overwrite
/usr/bin/python3 tools/plot_results.py results/demo/bg_selection
$bgsim run tasks/experiments/ramps_demo.json --out results/demo/ramps --overwrite
/usr/bin/python3 tools/plot_experiment.py results/demo/ramps
$bgsim run tasks/experiments/bandit_reversal_spiking.json --out results/demo/bandit_spiking --overwrite
/usr/bin/python3 tools/plot_experiment.py results/demo/bandit_spiking
$bgsim run tasks/experiments/bandit_reversal_q_learning.json --out results/demo/bandit_q_learning --overwrite
/usr/bin/python3 tools/plot_experiment.py results/demo/bandit_q_learning
echo "demo: figures in results/demo/{compare,network,bg_selection,ramps,bandit_spiking,bandit_q_learning}/plots"
