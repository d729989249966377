"""Brian2 peer of networks/library/cuba.json (Brette et al. 2007, benchmark 2).

Builds the network of bgsim's library file in Brian2's C++ standalone mode on
one thread, runs it for --duration-ms and prints one JSON line with the keys
bench_net_throughput prints (see peerlib.py for what is timed).

    /usr/bin/python3 bench/peers/cuba.py --duration-ms 1000

The network, as in the library file: 4000 LIF neurons (3200 excitatory, 800
inhibitory), every ordered pair connected with probability 0.02 (autapses
allowed), dt 0.1 ms,

    dv/dt  = (ge + gi - (v - E_L)) / tau_m     (not integrated while refractory)
    dge/dt = -ge / tau_e,   dgi/dt = -gi / tau_i

tau_m 20 ms, E_L -49 mV, V_th -50 mV, V_reset -60 mV, refractory 5 ms,
tau_e 5 ms, tau_i 10 ms, ge += 1.62 mV per excitatory spike, gi += -9 mV per
inhibitory spike, delay 0.1 ms, initial v uniform in [V_reset, V_th), ge = gi
= 0. Integrated exactly (method 'exact', as bgsim's lif_psc_exp).

Where this peer differs from bgsim, and why:

* Time stamps. Brian2 stamps a spike at the start of the step in which the
  threshold was crossed, bgsim at its end; the delay is counted from the stamp
  in both, and a 0.1 ms delay brings the jump of ge into the integration of
  the step after next in both, so the dynamics agree.
* Refractory period. Brian2 holds v for 49 steps after the step of the
  crossing (t - lastspike counted from its earlier stamp), bgsim for 50 (the
  5 ms from its stamp): 0.1 ms less in Brian2. At about 6 Hz (160 ms between
  spikes) this does not show in the rate.
* Threshold: v >= V_th as in bgsim (Brian2's example writes v > V_th; with
  continuous v the two never differ).
* Random numbers: the connectivity and initial potentials come from Brian2's
  own generator, so the two networks are the same in distribution, not
  synapse by synapse.
* Delays: Brian2's CUBA example has none; bgsim needs at least one step, so
  both use 0.1 ms here.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import peerlib  # noqa: E402

N_EXC, N_INH = 3200, 800
P_CONNECT = 0.02


def build(args):
    """Describes the CUBA network in Brian2 and builds the standalone project."""
    b2 = peerlib.start_standalone(args.directory, dt_ms=0.1, seed=args.seed)
    ms, mV = b2.ms, b2.mV
    namespace = {
        "tau_m": 20 * ms, "tau_e": 5 * ms, "tau_i": 10 * ms,
        "E_L": -49 * mV, "V_th": -50 * mV, "V_reset": -60 * mV,
        "w_e": 60 * 0.27 / 10 * mV, "w_i": -20 * 4.5 / 10 * mV,
    }
    equations = """
    dv/dt = (ge + gi - (v - E_L)) / tau_m : volt (unless refractory)
    dge/dt = -ge / tau_e : volt
    dgi/dt = -gi / tau_i : volt
    """
    neurons = b2.NeuronGroup(N_EXC + N_INH, equations, threshold="v >= V_th",
                             reset="v = V_reset", refractory=5 * ms, method="exact",
                             namespace=namespace)
    neurons.v = "V_reset + rand() * (V_th - V_reset)"
    exc_syn = b2.Synapses(neurons, neurons, on_pre="ge += w_e", delay=0.1 * ms,
                          namespace=namespace)
    exc_syn.connect("i < N_EXC", p=P_CONNECT, namespace={"N_EXC": N_EXC})
    inh_syn = b2.Synapses(neurons, neurons, on_pre="gi += w_i", delay=0.1 * ms,
                          namespace=namespace)
    inh_syn.connect("i >= N_EXC", p=P_CONNECT, namespace={"N_EXC": N_EXC})
    counter = b2.SpikeMonitor(neurons, record=False)
    return peerlib.build_project(args, "cuba", N_EXC + N_INH, counter, [exc_syn, inh_syn],
                                 objects=[neurons, exc_syn, inh_syn, counter])


def main():
    args = peerlib.argument_parser(__doc__, default_duration_ms=1000.0).parse_args()
    directory, build_line = build(args)
    peerlib.finish(args, directory, build_line)


if __name__ == "__main__":
    main()
