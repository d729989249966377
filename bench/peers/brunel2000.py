"""Brian2 peer of networks/library/brunel2000.json (Brunel 2000, model A).

Builds the network of bgsim's library file in Brian2's C++ standalone mode on
one thread, runs it for --duration-ms and prints one JSON line with the keys
bench_net_throughput prints (see peerlib.py for what is timed).

    /usr/bin/python3 bench/peers/brunel2000.py --duration-ms 1000

The network, as in the library file: 10 000 excitatory and 2 500 inhibitory
LIF neurons with delta synapses, dv/dt = -v/tau (tau 20 ms), threshold 20 mV,
reset 10 mV, refractory 2 ms (v held at the reset, input arriving meanwhile
discarded), dt 0.1 ms. Every neuron draws 1000 excitatory and 250 inhibitory
sources at random with replacement (bgsim's fixed_indegree with its defaults:
multapses and autapses allowed), 15.6 M synapses of J = 0.1 mV and -g J =
-0.5 mV, delay 1.5 ms. External drive: C_E = 1000 Poisson inputs of 0.1 mV at
nu_ext = eta nu_thr = 2 x 10 Hz = 20 Hz per neuron (bgsim: one poisson_input
of 20 kHz, Poisson(2) pulses per neuron and step; here Brian2's PoissonInput,
Binomial(1000, 0.002) per neuron and step: the same mean, variance 1.996
instead of 2). Initial v uniform in [0, 20) mV.

Where this peer differs from bgsim, and why:

* When a pulse takes effect. bgsim (like NEST's iaf_psc_delta) adds the
  pulses arriving at a step after propagating v over that step; Brian2 adds
  them in its 'synapses' slot, and the next step decays them once before the
  threshold sees them. A pulse therefore counts e^(-0.1/20) = 0.995 times its
  weight in Brian2 when the threshold first sees it.
* Refractory period. Brian2 holds v for 19 steps after the step of the
  crossing, bgsim for 20 (2 ms from its end-of-step stamp); input is
  discarded over 20 steps in both (Brian2's reset at the crossing step
  overwrites the pulses of that step).
* Threshold: v >= theta as in bgsim (Brian2's example writes v > theta).
* Random numbers: connectivity, initial potentials and drive come from numpy
  and Brian2's generators, so the two networks are the same in distribution,
  not synapse by synapse.

Input arriving during the refractory period is discarded in both: Brian2
writes to a variable marked "(unless refractory)" only where not_refractory
holds (a conditional write that covers Synapses and PoissonInput too), and
its reset at the crossing step overwrites that step's pulses. (Gating the
pulses with int(not_refractory_post) on top gives the same spikes to the
last one: 464 329 spikes in 1 s with and without, seed 1.)

--variant selects semantics of Brian2's own Brunel_2000 example (examples/
frompapers/Brunel_2000.py in Brian2's sources, panel C: g = 5, eta = 2),
to find which difference moves the rate:
  pairwise  connections drawn pairwise with p = 0.1 (random in-degree)
            instead of a fixed in-degree
  v0_zero   every neuron starts at v = 0 instead of uniform [0, 20)
'example' means both.
"""

import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import peerlib  # noqa: E402

N_EXC, N_INH = 10000, 2500
C_EXC, C_INH = 1000, 250
VARIANTS = ("pairwise", "v0_zero")


def fixed_indegree(rng, n_source, n_target, indegree, source_offset):
    """Sources drawn with replacement, `indegree` per target (bgsim's rule).

    The pairs are returned sorted by source, then target: Brian2 stores
    synapses in the order they are created and walks a spiking source's
    synapses in that order, so target-major order would scatter every row
    over the whole synapse array (2.3 times the CPU time here) where Brian2's own
    connect() and bgsim keep rows contiguous.
    """
    sources = rng.integers(0, n_source, size=(n_target, indegree), dtype=np.int32)
    targets = np.repeat(np.arange(n_target, dtype=np.int32), indegree)
    sources = sources.ravel()
    order = np.lexsort((targets, sources))
    return sources[order] + source_offset, targets[order]


def build(args):
    """Describes the Brunel network in Brian2 and builds the standalone project."""
    variants = set(VARIANTS if "example" in args.variant else args.variant)
    b2 = peerlib.start_standalone(args.directory, dt_ms=0.1, seed=args.seed)
    ms, mV = b2.ms, b2.mV
    J, g, eta, tau, theta = 0.1 * mV, 5.0, 2.0, 20 * ms, 20 * mV
    nu_thr = theta / (J * C_EXC * tau)
    namespace = {"tau": tau, "theta": theta, "V_r": 10 * mV, "J": J, "g": g}
    neurons = b2.NeuronGroup(N_EXC + N_INH, "dv/dt = -v/tau : volt (unless refractory)",
                             threshold="v >= theta", reset="v = V_r", refractory=2 * ms,
                             method="exact", namespace=namespace)
    neurons.v = "0*mV" if "v0_zero" in variants else "rand() * theta"
    exc_syn = b2.Synapses(neurons, neurons, on_pre="v_post += J", delay=1.5 * ms,
                          namespace=namespace)
    inh_syn = b2.Synapses(neurons, neurons, on_pre="v_post += -g * J", delay=1.5 * ms,
                          namespace=namespace)
    if "pairwise" in variants:
        exc_syn.connect("i < N_EXC", p=0.1, namespace={"N_EXC": N_EXC})
        inh_syn.connect("i >= N_EXC", p=0.1, namespace={"N_EXC": N_EXC})
    else:
        rng = np.random.default_rng(args.seed)
        i, j = fixed_indegree(rng, N_EXC, N_EXC + N_INH, C_EXC, 0)
        exc_syn.connect(i=i, j=j)
        i, j = fixed_indegree(rng, N_INH, N_EXC + N_INH, C_INH, N_EXC)
        inh_syn.connect(i=i, j=j)
    drive = b2.PoissonInput(neurons, "v", N=C_EXC, rate=eta * nu_thr, weight=J)
    counter = b2.SpikeMonitor(neurons, record=False)
    name = "brunel2000" + "".join("+" + v for v in sorted(variants))
    return peerlib.build_project(args, name, N_EXC + N_INH, counter, [exc_syn, inh_syn],
                                 objects=[neurons, exc_syn, inh_syn, drive, counter])


def main():
    parser = peerlib.argument_parser(__doc__, default_duration_ms=1000.0)
    parser.add_argument("--variant", nargs="*", default=[], choices=VARIANTS + ("example",),
                        help="semantics of Brian2's own example instead of bgsim's")
    args = parser.parse_args()
    directory, build_line = build(args)
    peerlib.finish(args, directory, build_line)


if __name__ == "__main__":
    main()
