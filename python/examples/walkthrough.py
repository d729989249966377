"""A walk through bgsim from Python, cell by cell as in a notebook.

    PYTHONPATH=build/release/python /usr/bin/python3 python/examples/walkthrough.py [raster.png]

Builds the Izhikevich (2003) network of 800 excitatory and 200 inhibitory
neurons from the library, runs it, runs it on, and draws a raster plot of
its spikes with the membrane potential of one neuron below it.
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
out = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else pathlib.Path("izhikevich_raster.png")

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
