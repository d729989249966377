"""A walk through bgsim from Python, cell by cell as in a notebook.

    PYTHONPATH=build/release/python /usr/bin/python3 python/examples/walkthrough.py \
        [raster.png [bandit.png]]

Builds the Izhikevich (2003) network of 800 excitatory and 200 inhibitory
neurons from the library, runs it, runs it on, and draws a raster plot of
its spikes with the membrane potential of one neuron below it. Then the
two-armed bandit: a task and a Q-learning agent stepped by hand, and both
learners — the spiking actor-critic and Q-learning — on the same trials
(the `compare` experiment), their choices and their dopamine side by side.
"""

# %% Where things are: the library of ready networks, beside this file.
import pathlib
import sys

import matplotlib

matplotlib.use("Agg")  # a file, no window (in a notebook, leave this out)
import matplotlib.pyplot as plt
import numpy as np

import bgsim

here = pathlib.Path(__file__).resolve().parent
library = here.parent.parent / "networks" / "library"
experiments = here.parent.parent / "tasks" / "experiments"
out = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else pathlib.Path("izhikevich_raster.png")
out_bandit = pathlib.Path(sys.argv[2]) if len(sys.argv) > 2 else pathlib.Path("bandit.png")

# %% What the network is made of: its models, with units and defaults.
izhikevich = bgsim.describe("izhikevich")
print(izhikevich.name, "-", len(izhikevich.parameters), "parameters;",
      "presets:", ", ".join(izhikevich.presets))

# %% Read the description. Every mistake in it would be raised here at once,
# as bgsim.DescriptionError with a JSON pointer per problem.
net = bgsim.Network.from_file(library / "izhikevich2003.json")
print(net)
print("populations:", net.populations, "recorders:", net.recorders)

# %% Change it before building: a description is a dict.
d = net.description
d["seed"] = 2
net = bgsim.Network.from_dict(d)
net.threads = 2  # the numbers do not depend on it

# %% Run 500 ms, look, and run on: the second run starts where the first ended.
net.run(500.0)
print(f"{net.time_ms} ms: {len(net.spikes('exc'))} excitatory spikes")
net.run(500.0)
print(f"{net.time_ms} ms: {len(net.spikes('exc'))} excitatory spikes")

# %% Results are NumPy arrays: spikes as (time_ms, neuron) records, state as
# times x neurons.
exc, inh = net.spikes("exc"), net.spikes("inh")
rate_Hz = len(exc) / net.populations["exc"] / (net.time_ms / 1000.0)
print(f"mean excitatory rate {rate_Hz:.1f} Hz")
times, v, neurons = net.state("exc_v")

# %% The raster plot, and the membrane potential of one neuron.
fig, (top, bottom) = plt.subplots(2, 1, figsize=(8, 6), sharex=True,
                                  gridspec_kw={"height_ratios": [3, 1]})
top.plot(exc["time_ms"], exc["neuron"], ",", color="tab:blue")
top.plot(inh["time_ms"], inh["neuron"] + net.populations["exc"], ",", color="tab:red")
top.set_ylabel("neuron (excitatory, then inhibitory)")
top.set_title("Izhikevich (2003): 800 excitatory, 200 inhibitory neurons")
bottom.plot(times, v[:, 0], color="black", linewidth=0.8)
bottom.set_ylabel(f"v of neuron {neurons[0]} [mV]")
bottom.set_xlabel("time [ms]")
fig.tight_layout()
fig.savefig(out, dpi=100)
print("raster in", out)
assert np.all(np.isfinite(v))

# %% A task and an agent, by the names and parameters of a closed-loop file
# (docs/closed_loop.md). The seed is the experiment's: the same seed gives
# the same trials whoever plays them.
task = bgsim.Task("bandit", {"initial_means": [0.8, 0.2], "trials_per_block": 150}, seed=1)
agent = bgsim.Agent("q_learning", {"alpha": 0.1, "beta": 5}, task=task, seed=1)
now = task.reset()                       # the trial's first step: its state and events
action = agent.act(now)
after = task.step(action)                # the bandit's trial ends with its outcome
delta = agent.learn(now, action, after)  # the prediction error of the step
agent.end_trial(after)
print(f"trial 0: arm {action}, reward {after.reward}, delta {delta:+.3f},",
      dict(zip(agent.measure_names, agent.measures())))

# %% Or play many trials at once (in C++): δ and Q per step as NumPy arrays.
session = bgsim.play(task, agent, 299)
print(f"{session.summary['trials']} more trials, reward {session.summary['total_reward']};",
      f"mean delta over the last 100: {session.delta[-100:].mean():+.3f}")

# %% Both learners on the same trials: the spiking actor-critic
# (networks/library/bandit_actor_critic.json) and Q-learning, in the
# `compare` experiment (docs/compare.md), shortened to 300 trials with the
# reversal at trial 150. Its per-trial table is a DataFrame.
result = bgsim.compare(
    experiments / "bandit_compare.json",
    overrides={"/experiment/params/trials": 300,
               "/experiment/params/learned_from_trial": 150,
               "/experiment/params/task/params/trials_per_block": 150},
)
choices = result.trials
print(result)
comparison = result.summary["comparison"]["agents"]["q_learning"]
print(f"same choice on {comparison['same_choice_fraction']:.0%} of the trials;",
      f"r(dopamine, delta) after trial 150: {comparison['r_dopamine_vs_delta']}")

# %% Their choices and their dopamine: the spiking learner's dopamine cells
# (rate in the outcome period minus in the decision period) and Q-learning's δ.
window = 20
smooth = lambda x: np.convolve(x, np.ones(window) / window, mode="valid")
trial = choices["trial"].to_numpy()[window - 1:]
fig, (top, bottom) = plt.subplots(2, 1, figsize=(8, 6), sharex=True)
for name, color in [("spiking", "tab:green"), ("q_learning", "tab:purple")]:
    best = (choices[f"{name}_action"] == choices["best_action"]).to_numpy(float)
    top.plot(trial, smooth(best), color=color, label=name)
top.axvline(150, color="grey", linestyle=":")
top.set_ylabel(f"better arm chosen\n(mean of {window} trials)")
top.legend(loc="lower right")
top.set_title("Reversal bandit: the spiking actor-critic and Q-learning on the same trials")
bottom.plot(trial, smooth(choices["spiking_dopamine_Hz"].to_numpy()), color="tab:green")
bottom.set_ylabel("spiking dopamine [Hz]", color="tab:green")
bottom.set_xlabel("trial")
delta_axis = bottom.twinx()
delta_axis.plot(trial, smooth(choices["q_learning_delta"].to_numpy()), color="tab:purple")
delta_axis.set_ylabel("Q-learning delta", color="tab:purple")
fig.tight_layout()
fig.savefig(out_bandit, dpi=100)
print("bandit figure in", out_bandit)
assert len(choices) == 300 and np.isfinite(choices["q_learning_delta"]).all()
