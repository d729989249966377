"""Brian2 peer of networks/library/bg_selection.json (the basal-ganglia
selection circuit of Humphries, Stewart & Gurney 2006; docs/basal_ganglia.md).

Reads the library file itself (with its includes) and builds the same network
in Brian2's C++ standalone mode on one thread, so the two cannot drift apart;
runs it for --duration-ms and prints one JSON line with the keys
bench_net_throughput prints (peerlib.py says what is timed).

    /usr/bin/python3 bench/peers/bg_selection.py --duration-ms 1000

What the file holds and how it is written here: the lif_cond_exp
populations as one NeuronGroup with per-neuron constants (a subgroup each),

    C_m dv/dt = g_L (E_L - v) + g_ex (E_ex - v) + g_in (E_in - v) + I_e + I_noise
    dg_ex/dt = -g_ex / tau_syn_ex,   dg_in/dt = -g_in / tau_syn_in

(v held while refractory, reset to V_reset at v >= V_th), initial v uniform
as the file draws it; one PoissonGroup per poisson_source (a rate that steps
at rate_times_ms as the file says); each noise_current as I_noise, drawn per
neuron and step and held over the step (a run_regularly every dt); each
fixed_probability projection as Synapses with a conductance jump of the
file's weight after its delay, autapses as the file allows.

Where this peer differs from bgsim, and why:

* Integration. bgsim integrates lif_cond_exp with Boost.Odeint's
  Dormand-Prince 5(4) to the file's tolerance (1e-6); Brian2 with its
  'exponential_euler' method, the one its documentation suggests for
  conductance-based neurons (v is linear given the conductances). The
  rates agree within compare.py's tolerance or the comparison says so.
* Time stamps and refractoriness as in cuba.py (one step apart; no effect at
  these rates).
* Random numbers: connectivity, initial potentials, Poisson trains and noise
  come from Brian2's own generator: the same in distribution only.
"""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import peerlib  # noqa: E402

LIBRARY = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "networks",
                       "library")


def load(name):
    """The description with its includes merged (theirs first, as bgsim does)."""
    path = os.path.join(LIBRARY, name)
    with open(path) as f:
        doc = json.load(f)
    merged = {"populations": {}, "projections": [], "stimuli": []}
    for inc in doc.get("include", []):
        part = load(os.path.relpath(os.path.join(os.path.dirname(path), inc), LIBRARY))
        merged["populations"].update(part["populations"])
        merged["projections"] += part["projections"]
        merged["stimuli"] += part["stimuli"]
    merged["populations"].update(doc.get("populations", {}))
    merged["projections"] += doc.get("projections", [])
    merged["stimuli"] += doc.get("stimuli", [])
    for key in ("resolution_ms", "seed"):
        if key in doc:
            merged[key] = doc[key]
    return merged


PARAMS = [("C_m", "pF", "farad"), ("g_L", "nS", "siemens"), ("E_L", "mV", "volt"),
          ("E_ex", "mV", "volt"), ("E_in", "mV", "volt"), ("V_th", "mV", "volt"),
          ("V_reset", "mV", "volt"), ("tau_syn_ex", "ms", "second"),
          ("tau_syn_in", "ms", "second"), ("I_e", "pA", "amp"), ("t_ref", "ms", "second")]


def neuron_group(b2, populations, noise):
    """Every lif_cond_exp population as one NeuronGroup with per-neuron
    constants (fewer objects: what a Brian2 user tuning for speed writes), and
    the subgroup of each population."""
    lif = [(name, spec) for name, spec in populations.items() if spec["model"] == "lif_cond_exp"]
    size = sum(spec["size"] for _, spec in lif)
    constants = "\n".join("%s : %s (constant)" % (key, unit) for key, _, unit in PARAMS)
    equations = """
    dv/dt = (g_L * (E_L - v) + g_ex * (E_ex - v) + g_in * (E_in - v) + I_e + I_noise) / C_m
            : volt (unless refractory)
    dg_ex/dt = -g_ex / tau_syn_ex : siemens
    dg_in/dt = -g_in / tau_syn_in : siemens
    I_noise : amp
    noise_std : amp (constant)
    """ + constants
    group = b2.NeuronGroup(size, equations, threshold="v >= V_th", reset="v = V_reset",
                           refractory="t_ref", method="exponential_euler", name="lif")
    subgroups, first = {}, 0
    for name, spec in lif:
        sub = group[first:first + spec["size"]]
        for key, unit, _ in PARAMS:
            setattr(sub, key, spec["params"][key] * getattr(b2, unit))
        sub.noise_std = noise.get(name, 0.0) * b2.pA
        lo, hi = spec["initial"]["V_m"]["uniform"]
        sub.v = "(%g + rand() * %g) * mV" % (lo, hi - lo)
        subgroups[name] = sub
        first += spec["size"]
    noise_update = group.run_regularly("I_noise = noise_std * randn()", dt=b2.defaultclock.dt)
    return group, subgroups, [group, noise_update], size


def poisson_group(b2, name, spec):
    """A poisson_source population; its rate steps at the file's times."""
    p = spec["params"]
    rate = "%g * Hz" % p["rate_Hz"]
    for t, r in zip(p.get("rate_times_ms", []), p.get("rate_values_Hz", [])):
        rate = "(t < %g * ms) * (%s) + (t >= %g * ms) * %g * Hz" % (t, rate, t, r)
    return b2.PoissonGroup(spec["size"], rates=rate, name=name)


def build(args):
    """Describes the circuit in Brian2 and builds the standalone project."""
    net = load("bg_selection.json")
    b2 = peerlib.start_standalone(args.directory, dt_ms=net["resolution_ms"], seed=args.seed)
    noise = {s["target"]: s["params"]["std"] for s in net["stimuli"]
             if s["model"] == "noise_current"}
    group, groups, objects, neurons = neuron_group(b2, net["populations"], noise)
    for name, spec in net["populations"].items():
        if spec["model"] == "poisson_source":
            groups[name] = poisson_group(b2, name, spec)
            objects.append(groups[name])
        elif spec["model"] != "lif_cond_exp":
            raise SystemExit("bg_selection.py: no Brian2 form for model " + spec["model"])
    synapses = []
    for pr in net["projections"]:
        syn = pr["synapse"]
        var = "g_ex" if syn["receptor"] == "excitatory" else "g_in"
        s = b2.Synapses(groups[pr["source"]], groups[pr["target"]],
                        on_pre="%s_post += %g * nS" % (var, syn["weight"]),
                        delay=syn["delay_ms"] * b2.ms)
        same = pr["source"] == pr["target"]
        if same and not pr.get("allow_autapses", True):
            s.connect(condition="i != j", p=pr["p"])
        else:
            s.connect(p=pr["p"])
        synapses.append(s)
    objects += synapses
    # Every population's spikes over every population's cells, Poisson
    # sources included, as bgsim's rate_Hz counts them.
    counters = [b2.SpikeMonitor(group, record=False)]
    for name, spec in net["populations"].items():
        if spec["model"] == "poisson_source":
            counters.append(b2.SpikeMonitor(groups[name], record=False))
            neurons += spec["size"]
    objects += counters
    return peerlib.build_project(args, "bg_selection", neurons, counters, synapses,
                                 objects=objects)


def main():
    args = peerlib.argument_parser(__doc__, default_duration_ms=1000.0).parse_args()
    directory, build_line = build(args)
    peerlib.finish(args, directory, build_line)


if __name__ == "__main__":
    main()
