"""Brian2 peer of networks/library/izhikevich2007_distal_reward.json.

Builds the network of bgsim's library file (the distal reward experiment of
Izhikevich 2007) in Brian2's C++ standalone mode on one thread, runs it for
--duration-ms and prints one JSON line with the keys bench_net_throughput
prints (see peerlib.py for what is timed), plus the number of rewards earned
and the mean weight of the plastic synapses at the end.

    /usr/bin/python3 bench/peers/izhikevich2007.py --duration-ms 10000

The network, as in the library file:

* 1000 Izhikevich neurons, dt = 1 ms: 800 regular spiking (a 0.02, b 0.2,
  c -65, d 8), 200 fast spiking (0.1, 0.2, -65, 2); v = -65, u = b v at the
  start; the published scheme: two half steps of v, then one step of u with
  the new v; spike when v >= 30, then v = c, u += d.
* Input per neuron and step: 13 (rand - 0.5) mV/ms of thalamic current (bgsim's
  uniform_current in [-6.5, 6.5)) plus the weights of the spikes arriving
  that step (bgsim: a pulse of one step whose integral is the weight).
* Each excitatory neuron sends plastic synapses to 80 distinct excitatory
  neurons other than itself and to 20 distinct inhibitory ones; each
  inhibitory neuron a static synapse of -1 to 100 distinct excitatory ones.
  Every delay 1 ms. Plastic weights start at 1, within [0, 4].
* The rule (bgsim's stdp_dopamine, as NEST's stdp_dopamine_synapse):
      c' = -c / tau_c + A+ K+ delta(t - t_post) - A- K- delta(t - t_pre)
      w' = c (d - b)  per ms,   w clipped into [0, 4]
  A+ 0.01, A- 0.015, traces K+ and K- adding 1 per spike and decaying with
  20 ms, tau_c 1 s, b = -0.002; d the dopamine level, decaying to 0 with
  200 ms. Dendritic delays (bgsim's convention): the synapse sees a pre spike
  at its time and a post spike one delay later; a pre and a post spike seen at
  the same time do not pair.
* Reward: the chosen synapse (the second, by target, of excitatory neuron 1's
  excitatory synapses) starts at 0. Whenever its target fires within 20 ms
  after its source (a spike of both in one step counts), a dopamine pulse of
  0.5 follows 1-3 s later (uniform), through bench/peers/reward_queue.hpp.

Where this peer differs from bgsim, and why:

* Plasticity is clock-driven: c and w of all 80 000 plastic synapses are
  advanced every step (Brian2's way of writing a three-factor rule: its
  event-driven equations cannot depend on the dopamine level, which another
  group changes; nor can its 'exact' method, for the same reason). Forward
  Euler at dt = 1 ms: c decays by 1 - 1e-3 per step (exactly: e^-1e-3, a
  relative difference of 5e-7) and w grows by c (d - b) dt, d held over the
  step (bgsim integrates c e^-t/tau_c (d(t) - b) in closed form, so the two
  differ by about dt / (2 tau_dopamine) = 0.25 % of each increment, less than
  the per-step noise of the rule). Weights are clipped when the
  synapse acts (its pre and post events, and the weight it transmits);
  between events w moves in one direction (d - b > 0 always), so this is
  bgsim's clipping.
* --plasticity-dt-ms 10 advances c and w every 10 ms instead of every step,
  as Izhikevich's published code does (c x 0.99 and w += 10 c (d - b) per
  10 ms in these units), while spikes, traces and pairings stay on the 1 ms
  grid. It is the cheaper way a Brian2 user would run this rule, and the
  comparison reports it as a benchmark of its own; the default (1 ms) is the
  faithful peer of bgsim's continuous rule.
* The weight a spike carries is read when it arrives (1 ms after the spike),
  not when it leaves as in bgsim: w moves by at most about 1e-4 in that ms.
* Time stamps: Brian2 stamps a spike at the start of its step, bgsim at the
  end; delays, pairing intervals and reward times are counted here so that
  every interval is the same number of steps as in bgsim.
* Random numbers: connectivity (numpy), thalamic input and reward delays
  (Brian2's generator) are the same in distribution as bgsim's, not draw by
  draw, so the chosen synapse has another target than with bgsim's seed.
"""

import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import peerlib  # noqa: E402

N_EXC, N_INH = 800, 200
EXC_TO_EXC, EXC_TO_INH, INH_TO_EXC = 80, 20, 100
CHOSEN_SOURCE, CHOSEN_SYNAPSE = 1, 1
HERE = os.path.dirname(os.path.abspath(__file__))


def distinct_targets(rng, n_source, pool, count, offset, exclude_self):
    """Per source, `count` distinct targets from [0, pool), sorted (bgsim's
    fixed_outdegree without multapses; without autapses if exclude_self)."""
    sources, targets = [], []
    for s in range(n_source):
        if exclude_self:
            drawn = rng.choice(pool - 1, size=count, replace=False)
            drawn = drawn + (drawn >= s)  # skip s itself
        else:
            drawn = rng.choice(pool, size=count, replace=False)
        sources.append(np.full(count, s, dtype=np.int32))
        targets.append(np.sort(drawn).astype(np.int32) + offset)
    return np.concatenate(sources), np.concatenate(targets)


def reward_functions(b2):
    """Brian2 functions backed by reward_queue.hpp (C++ only)."""
    second = b2.second
    kwds = {"headers": ['"reward_queue.hpp"'], "include_dirs": [HERE]}

    @b2.implementation("cpp", "", name="peer_schedule_reward", **kwds)
    @b2.check_units(t=second, since_pre=second, u=1, dt=second, window=second,
                    delay_min=second, delay_max=second, result=1)
    def schedule_reward(t, since_pre, u, dt, window, delay_min, delay_max):
        raise NotImplementedError("C++ standalone only")

    @b2.implementation("cpp", "", name="peer_rewards_due", **kwds)
    @b2.check_units(t=second, dt=second, result=1)
    def rewards_due(t, dt):
        raise NotImplementedError("C++ standalone only")

    return schedule_reward, rewards_due


def build(args):
    """Describes the distal reward network in Brian2 and builds the project."""
    b2 = peerlib.start_standalone(args.directory, dt_ms=1.0, seed=args.seed)
    ms = b2.ms
    schedule_reward, rewards_due = reward_functions(b2)
    namespace = {
        "h": 1.0, "v_peak": 30.0, "tau_c": 1000 * ms, "tau_plus": 20 * ms,
        "tau_minus": 20 * ms, "tau_dopamine": 200 * ms, "A_plus": 0.01, "A_minus": 0.015,
        "b_rule": -0.002, "w_min": 0.0, "w_max": 4.0, "reward_amount": 0.5,
        "window": 20 * ms, "delay_min": 1000 * ms, "delay_max": 3000 * ms,
        "schedule_reward": schedule_reward, "rewards_due": rewards_due,
    }
    neurons = b2.NeuronGroup(N_EXC + N_INH, """
        v : 1
        u : 1
        a : 1 (constant)
        b : 1 (constant)
        c : 1 (constant)
        d : 1 (constant)
        I_syn : 1
        dopamine : 1 (shared)
        """, threshold="v >= v_peak", reset="v = c\nu += d", namespace=namespace)
    neurons.a = np.r_[np.full(N_EXC, 0.02), np.full(N_INH, 0.1)]
    neurons.b = 0.2
    neurons.c = -65.0
    neurons.d = np.r_[np.full(N_EXC, 8.0), np.full(N_INH, 2.0)]
    neurons.v = -65.0
    neurons.u = "b * v"
    # The published scheme at h = dt = 1 ms; the thalamic current is drawn per
    # neuron and step, the arriving weights count as a current over one step.
    neurons.run_regularly("""
        I = 13 * (rand() - 0.5) + I_syn / h
        v += 0.5 * h * ((0.04 * v + 5) * v + 140 - u + I)
        v += 0.5 * h * ((0.04 * v + 5) * v + 140 - u + I)
        u += h * a * (b * v - u)
        I_syn = 0
        """, when="groups", order=-1, name="izhikevich_step")
    neurons.run_regularly(
        "dopamine = dopamine * exp(-dt / tau_dopamine) + reward_amount * rewards_due(t, dt)",
        when="start", name="dopamine_level")

    rng = np.random.default_rng(args.seed)
    ee_i, ee_j = distinct_targets(rng, N_EXC, N_EXC, EXC_TO_EXC, 0, exclude_self=True)
    ei_i, ei_j = distinct_targets(rng, N_EXC, N_INH, EXC_TO_INH, N_EXC, exclude_self=False)
    ie_i, ie_j = distinct_targets(rng, N_INH, N_EXC, INH_TO_EXC, 0, exclude_self=False)
    chosen_target = ee_j[CHOSEN_SOURCE * EXC_TO_EXC + CHOSEN_SYNAPSE]

    plastic = b2.Synapses(neurons, neurons, model="""
        delig/dt = -elig / tau_c : 1 (clock-driven)
        dw/dt = elig * (dopamine_post - b_rule) / ms : 1 (clock-driven)
        dapre/dt = -apre / tau_plus : 1 (event-driven)
        dapost/dt = -apost / tau_minus : 1 (event-driven)
        last_pre_spike : second
        """, on_pre={
            "pre": """
                elig -= A_minus * apost
                apre += 1
                last_pre_spike = t
                w = clip(w, w_min, w_max)
                """,
            "transmit": "I_syn_post += clip(w, w_min, w_max)",
        }, on_post="""
            elig += A_plus * (apre - int(abs(t - last_pre_spike) < 0.5 * dt))
            apost += 1
            w = clip(w, w_min, w_max)
            """, delay={"transmit": 1 * ms, "post": 1 * ms}, method="euler",
        dt=args.plasticity_dt_ms * ms, namespace=namespace, name="plastic")
    plastic.connect(i=np.r_[ee_i, ei_i], j=np.r_[ee_j, ei_j])
    weights = np.ones(len(ee_i) + len(ei_i))
    weights[CHOSEN_SOURCE * EXC_TO_EXC + CHOSEN_SYNAPSE] = 0.0
    plastic.w = weights
    plastic.last_pre_spike = -1e3 * b2.second

    inhibitory = b2.Synapses(neurons, neurons, on_pre="I_syn_post += -1.0", delay=1 * ms,
                             name="inhibitory")
    inhibitory.connect(i=ie_i + N_EXC, j=ie_j)

    contingency = b2.Synapses(neurons, neurons, model="""
        t_pre_latest : second
        rewards : 1
        """, on_pre="t_pre_latest = t",
        on_post="rewards += schedule_reward(t, t - t_pre_latest, rand(), dt, window, "
                "delay_min, delay_max)",
        namespace=namespace, name="contingency")
    contingency.connect(i=CHOSEN_SOURCE, j=int(chosen_target))
    contingency.t_pre_latest = -1e3 * b2.second

    counter = b2.SpikeMonitor(neurons, record=False)
    extra = {"rewards": (contingency.variables["rewards"], np.float64),
             "plastic_weight_sum": (plastic.variables["w"], np.float64)}
    name = "izhikevich2007_distal_reward"
    if args.plasticity_dt_ms != 1.0:
        name += "+plasticity_dt_%gms" % args.plasticity_dt_ms
    return peerlib.build_project(
        args, name, N_EXC + N_INH, counter, [plastic, inhibitory],
        objects=[neurons, plastic, inhibitory, contingency, counter], extra=extra)


def main():
    parser = peerlib.argument_parser(__doc__, default_duration_ms=10000.0)
    parser.add_argument("--plasticity-dt-ms", type=float, default=1.0,
                        help="interval of the clock-driven updates of c and w [ms] "
                             "(default 1: every step; 10: the published code's)")
    args = parser.parse_args()
    directory, build_line = build(args)
    peerlib.finish(args, directory, build_line)


if __name__ == "__main__":
    main()
