"""Brian2 peer of the closed-loop spiking bandit:
tasks/experiments/bandit_reversal_spiking.json playing
networks/library/bandit_actor_critic.json (docs/closed_loop.md).

Reads the experiment file and the network file it names (with any includes)
itself, so the peer and bgsim cannot drift apart, builds the network in
Brian2's *runtime* mode with the Cython code-generation target, and plays the
same reversal bandit in closed loop: one Network, built once, run once for
all trials, with the task stepped from Python by a network_operation on a
clock of its own (the greatest common divisor of the loop's times: 100 ms).
Prints one JSON line with the keys the other peers print (peerlib.py) and the
learning outcome.

    /usr/bin/python3 bench/peers/bandit_closed_loop.py                # 1000 trials
    /usr/bin/python3 bench/peers/bandit_closed_loop.py --trials 100
    /usr/bin/python3 bench/peers/bandit_closed_loop.py --open-loop standalone

Why runtime mode: Brian2's C++ standalone mode (the other peers) writes a
program that runs the whole simulation without Python, so a task whose next
input depends on the network's last output cannot be stepped in it. Brian2's
documentation (user guide, "Computational methods and efficiency", version
2.5.1, the one Debian ships) names mixing the simulation with Python code
through a NetworkOperation as what runtime mode offers, and warns that its
Python loop costs something at every time step. Runtime mode runs each
object's generated code, compiled here by Cython (--target numpy: NumPy).

What is timed: the one net.run() of all trials (the network's steps, the
network_operation's Python calls and the task), wall time and the process's
CPU time. Not timed: reading the files, building the objects, and a warm-up
run of one step whose state is then thrown away (Network.store/restore),
which compiles every object's Cython code (or loads it from Brian2's disk
cache); its wall time is build_s. The timed run's own preparation (Brian2
checks and readies every object at the start of each run()) is inside the
timing, once. One run with a network_operation rather than one run() per
phase of each trial (four per trial) keeps that preparation to one; the
per-phase form was not measured.

One trial, as the experiment file gives it (step_ms 100, window_ms [0, 100],
outcome_ms 200, reward_delay_ms 100, iti_ms 700; trials of 1 s):

* at its start the cue (a poisson_source of 50 cells) goes to 40 Hz for 100
  ms, then back to its rest (0 Hz);
* at 100 ms the action is the action population (action_0, action_1) with
  more spikes in [0, 100) ms; equal counts are broken at random (own
  stream); no spike at all is no action, unrewarded;
* the task draws both arms' Bernoulli outcomes every trial, whatever is
  chosen (as bgsim's bandit does), with means from the task's
  initial_means, swapped at every block start but the first
  (schedule "reversal", trials_per_block 500): 0.8 / 0.2, then 0.2 / 0.8;
* a reward of 1 drives the relay us at rest + 100 Hz from 100 ms after the
  decision (200 ms into the trial) for 100 ms;
* the rest of the trial (outcome period, inter-trial interval) runs with
  every input at rest.

The network, as the library file gives it: every lif_psc_exp population as
one NeuronGroup with per-neuron constants (NEST's iaf_psc_exp, bgsim's
defaults of docs/models.md where the file gives none),

    dV/dt = -(V - E_L) / tau_m + (I_ex + I_in + I_e + I_noise) / C_m
    dI_ex/dt = -I_ex / tau_syn_ex,   dI_in/dt = -I_in / tau_syn_in

integrated with Brian2's 'exact' method (linear, so exact with I_noise held
over the step, as bgsim's propagator is), V held while refractory, reset at
V >= V_th; V uniform in the file's range at the start. Each noise_current is
I_noise = mean + std xi, xi ~ N(0, 1) drawn per neuron and step. The
poisson_source populations are PoissonGroups whose rates the task sets. The
dopamine volume 'da' is a variable of every LIF cell (the same value in
each: Synapses cannot read a linked variable of a one-cell group),
d(da)/dt = (baseline - da) / tau_ms, integrated exactly, raised by
spike_increment at every spike of its source (snc) through a zero-delay
synapse from each snc cell to each LIF cell (these 8500 are not counted in
"synapses", as bgsim's volume is not a projection). Static
projections add their weight (pA) to I_ex or I_in after their delay (the
striatum's inhibition of the SNc: 200 ms). The plastic projections
(stdp_dopamine: cue -> action_0, action_1, striatum) follow
docs/models.md's rule,

    c' = -c / tau_c + A+ K+ delta(t - t_post) - A- K- delta(t - t_pre)
    w' = dopamine_gain c (d - b)   [pA per ms],  w clipped into [w_min, w_max]

with all-to-all traces K+ and K- (+1 per spike, decaying with tau_plus and
tau_minus), dendritic delays (the synapse sees a pre spike at its time and a
post spike one delay later; a pre and a post spike seen at the same time do
not pair), as bench/peers/izhikevich2007.py writes it.

Where this peer differs from bgsim, and why (the learning outcome is what
compare.py checks, within its stated tolerance, not spike for spike):

* Runtime against standalone. Brian2 here pays Python's per-object cost at
  every step, which its standalone mode (the other peers) does not; that is
  the price of a task in the loop, not of the network. bgsim's loop is C++
  around a kernel that stops and starts between phases (five calls per trial).
  --open-loop runtime and --open-loop standalone run the same network at
  rest (no task, every input at its rest rate) for as long as the session
  in either mode, which tells that price apart (bench/README.md).
* The three-factor rule between events. bgsim advances c and w in closed
  form at each event (a pre spike, a dopamine jump, a read): the integral of
  c(t) (d(t) - b) over each piece, c and d - baseline decaying exponentially
  between jumps, w clipped after each piece. Brian2's event-driven equations
  cannot read the dopamine level, which another group changes (as
  izhikevich2007.py says), so here a run_regularly advances c and w every
  step, by the same closed form over the step: every jump of c and d falls
  on a step boundary in both simulators, so a step is a piece or lies within
  one, and

      w += gain c0 ((d0 - baseline) F_cd + (baseline - b) F_c),  c *= e^(-dt/tau_c)
      F_x = tau_x (1 - e^(-dt/tau_x)),  1/tau_cd = 1/tau_c + 1/tau_d

  (checked against a numerical integral of one step to 1e-15; the forward
  Euler step w += c0 (d0 - b) dt, the first form of this peer, was 3.7 %
  off in that step, d0 = 1.3 and b = 1.11, and is further off near the
  tonic level, where d0 - b is small against d0). What
  remains different: w is clipped at every step rather than at the end of
  each piece (a piece spans several steps between the SNc's spikes, about
  every 5 ms at its tonic rate; it matters only when w crosses a bound inside
  a piece), and rounding. Not compared with bgsim synapse by synapse.
* Which dopamine level a step sees: an snc spike of Brian2's step n (bgsim's
  stamp n + 1, below) raises d in that step (a zero-delay synapse), so the
  rule's step n + 1 reads it; in bgsim the level after the jumps at n + 1
  governs the piece from n + 1 on: the same interval. Likewise a pre or post
  event changes c from the next step on in both.
* The weight a spike carries is read when it arrives (1 ms after the spike),
  not when it leaves as in bgsim: the difference is at most one step of w'.
* Time stamps: Brian2 stamps a spike at the start of its step, bgsim at the
  end; a rate set at step s makes spikes from step s on in both. So the
  decision window counts Brian2's spikes at steps [s, s + 100), which are
  bgsim's stamps [s + 1, s + 101): one step later than bgsim's window.
* Refractory period (as cuba.py says): Brian2 holds V for 1 step after the
  step of the crossing (t - lastspike counted from its earlier stamp), bgsim
  for 2 (round(t_ref / dt) from its stamp): 1 ms less in Brian2, at rates
  of a few Hz at rest and about 25 Hz per cell in the winning population's
  decision window (95-99 spikes of 40 cells in 100 ms, measured).
* Random numbers: connectivity and initial weights (numpy), initial
  potentials, Poisson spikes and noise (Brian2's generator), the task's
  outcomes and the tie breaks (numpy, streams of their own) are the same in
  distribution as bgsim's, not draw by draw. So the two play different
  outcome sequences and their choices differ trial by trial; the learning
  outcome is compared over blocks of 100 trials.
* Not done here: the loop's monitor (the SNc's rate and the dopamine level
  around the outcome, which bgsim's bench keeps as observers). Only the
  shapes this experiment uses are read; others are refused with a message.
"""

import argparse
import json
import math
import os
import shutil
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
REPO = os.path.dirname(os.path.dirname(HERE))
EXPERIMENT = os.path.join(REPO, "tasks", "experiments", "bandit_reversal_spiking.json")

# bgsim's defaults (docs/models.md) for the parameters the file leaves out.
LIF_PSC_EXP = {"C_m": 250.0, "tau_m": 10.0, "tau_syn_ex": 2.0, "tau_syn_in": 2.0,
               "t_ref": 2.0, "E_L": -70.0, "V_reset": -70.0, "V_th": -55.0, "I_e": 0.0,
               "V_init": -70.0}
STDP_DOPAMINE = {"A_plus": 1.0, "A_minus": 1.5, "tau_plus_ms": 20.0, "tau_minus_ms": 20.0,
                 "tau_c_ms": 1000.0, "b": 0.0, "dopamine_gain": 1.0, "w_min": 0.0,
                 "w_max": 200.0, "phi_half": 0.0}
DOPAMINE = {"tau_ms": 200.0, "baseline": 0.0, "spike_increment": 0.005, "delay_ms": 0.0}
POISSON_SOURCE = {"rate_Hz": 10.0}


def refuse(what):
    raise SystemExit("bandit_closed_loop.py: " + what)


def load_network(path):
    """The network description with its includes merged (theirs first, as
    bgsim does)."""
    with open(path) as f:
        doc = json.load(f)
    merged = {"populations": {}, "projections": [], "stimuli": [], "neuromodulators": {}}
    for inc in doc.get("include", []):
        part = load_network(os.path.join(os.path.dirname(path), inc))
        for key in ("populations", "neuromodulators"):
            merged[key].update(part[key])
        merged["projections"] += part["projections"]
        merged["stimuli"] += part["stimuli"]
        for key in ("resolution_ms", "seed", "name"):
            if key in part:
                merged[key] = part[key]
    for key in ("populations", "neuromodulators"):
        merged[key].update(doc.get(key, {}))
    merged["projections"] += doc.get("projections", [])
    merged["stimuli"] += doc.get("stimuli", [])
    for key in ("resolution_ms", "seed", "name"):
        if key in doc:
            merged[key] = doc[key]
    return merged


def load_experiment(path):
    """The closed-loop experiment: its parameters and its network."""
    with open(path) as f:
        doc = json.load(f)
    if doc["experiment"]["kind"] != "closed_loop":
        refuse("%s is not a closed_loop experiment" % path)
    params = doc["experiment"]["params"]
    learner = params["learner"]
    if "network" not in learner or not isinstance(learner["network"], str):
        refuse("the learner must name a network file")
    network = load_network(os.path.join(os.path.dirname(path), learner["network"]))
    return params, network


class Task:
    """The bandit of bgsim's tasks/environments/bandit.cpp, the shapes this
    experiment uses: Bernoulli outcomes of every arm drawn every trial, a
    fixed or reversal schedule."""

    def __init__(self, spec, seed):
        p = spec.get("params", {})
        if spec["type"] != "bandit":
            refuse("task type %s: only the bandit" % spec["type"])
        if p.get("outcome", "bernoulli") != "bernoulli":
            refuse("bandit outcome %s: only bernoulli" % p["outcome"])
        self.schedule = p.get("schedule", "reversal")
        if self.schedule not in ("reversal", "fixed"):
            refuse("bandit schedule %s: only reversal and fixed" % self.schedule)
        self.arms = p.get("num_arms", 2)
        self.means = list(p.get("initial_means", [0.8, 0.2]))
        if len(self.means) != self.arms:
            refuse("initial_means must have num_arms entries")
        self.block = p.get("trials_per_block", 500)
        self.rng = np.random.default_rng([seed, 0x7a5c])
        self.trial = -1
        self.outcomes = None

    def begin_trial(self):
        self.trial += 1
        if self.schedule == "reversal" and self.trial > 0 and self.trial % self.block == 0:
            self.means = self.means[1:] + self.means[:1]
        self.outcomes = (self.rng.random(self.arms) < np.array(self.means)).astype(float)

    def best_action(self):
        return int(np.argmax(self.means)) if len(set(self.means)) > 1 else -1


def connect(rule, proj, n_source, n_target, rng):
    """Source and target indices of a projection, drawn as bgsim's rule says
    (the same in distribution)."""
    same = proj["source"] == proj["target"]
    autapses = proj.get("allow_autapses", True)
    if rule == "all_to_all":
        i, j = np.meshgrid(np.arange(n_source), np.arange(n_target), indexing="ij")
        i, j = i.ravel(), j.ravel()
    elif rule in ("fixed_probability", "pairwise_bernoulli"):
        mask = rng.random((n_source, n_target)) < proj["p"]
        i, j = np.nonzero(mask)
    elif rule == "fixed_indegree":
        k = proj["indegree"]
        multapses = proj.get("allow_multapses", True)
        i = np.concatenate([rng.choice(n_source, size=k, replace=multapses)
                            for _ in range(n_target)])
        j = np.repeat(np.arange(n_target), k)
        if same and not autapses:
            refuse("fixed_indegree without autapses is not written here")
    else:
        refuse("connection rule %s is not written here" % rule)
    if same and not autapses:
        keep = i != j
        i, j = i[keep], j[keep]
    return i.astype(np.int32), j.astype(np.int32)


def draw_weight(spec, n, rng):
    """A weight value or a clipped normal, as the file gives it."""
    if isinstance(spec, (int, float)):
        return np.full(n, float(spec))
    if "normal" in spec:
        d = spec["normal"]
        w = rng.normal(d["mean"], d["std"], n)
        if "clip" in d:
            w = np.clip(w, d["clip"][0], d["clip"][1])
        return w
    refuse("weight %s is not written here" % json.dumps(spec))


def build(b2, params, net, seed):
    """Every Brian2 object of the network and the handles the task needs."""
    ms, pA, mV, pF, Hz = b2.ms, b2.pA, b2.mV, b2.pF, b2.Hz
    rng = np.random.default_rng([seed, 0xb2])
    populations = net["populations"]
    lif = [(name, spec) for name, spec in populations.items()
           if spec["model"] == "lif_psc_exp"]
    for name, spec in populations.items():
        if spec["model"] not in ("lif_psc_exp", "poisson_source"):
            refuse("population %s: model %s is not written here" % (name, spec["model"]))
    noise = {}
    for s in net["stimuli"]:
        if s["model"] != "noise_current":
            refuse("stimulus %s: model %s is not written here" % (s["name"], s["model"]))
        for key in ("start_ms", "stop_ms"):
            if key in s["params"]:
                refuse("stimulus %s: %s is not written here" % (s["name"], key))
        noise[s["target"]] = (s["params"].get("mean", 0.0), s["params"].get("std", 0.0))
    volumes = net.get("neuromodulators", {})
    if len(volumes) > 1:
        refuse("more than one neuromodulator is not written here")

    # The LIF populations: one group, a subgroup each.
    size = sum(spec["size"] for _, spec in lif)
    equations = """
    dv/dt = -(v - E_L) / tau_m + (I_ex + I_in + I_e + I_noise) / C_m : volt (unless refractory)
    dI_ex/dt = -I_ex / tau_syn_ex : amp
    dI_in/dt = -I_in / tau_syn_in : amp
    I_noise : amp
    noise_mean : amp (constant)
    noise_std : amp (constant)
    C_m : farad (constant)
    tau_m : second (constant)
    tau_syn_ex : second (constant)
    tau_syn_in : second (constant)
    t_ref : second (constant)
    E_L : volt (constant)
    V_reset : volt (constant)
    V_th : volt (constant)
    I_e : amp (constant)
    """
    if volumes:
        equations += "dda/dt = (da_baseline - da) / tau_da : 1\n"
    group = b2.NeuronGroup(size, equations, threshold="v >= V_th", reset="v = V_reset",
                           refractory="t_ref", method="exact", name="lif", namespace={})
    groups, offsets, first = {}, {}, 0
    units = {"C_m": pF, "tau_m": ms, "tau_syn_ex": ms, "tau_syn_in": ms, "t_ref": ms,
             "E_L": mV, "V_reset": mV, "V_th": mV, "I_e": pA}
    for name, spec in lif:
        p = dict(LIF_PSC_EXP)
        for key, value in spec.get("params", {}).items():
            if key not in p:
                refuse("population %s: parameter %s is not written here" % (name, key))
            p[key] = value
        sub = group[first:first + spec["size"]]
        for key, unit in units.items():
            setattr(sub, key, p[key] * unit)
        mean, std = noise.get(name, (0.0, 0.0))
        sub.noise_mean, sub.noise_std = mean * pA, std * pA
        initial = spec.get("initial", {}).get("V_m")
        if initial is None:
            sub.v = p["V_init"] * mV
        elif isinstance(initial, dict) and "uniform" in initial:
            lo, hi = initial["uniform"]
            sub.v = "(%r + rand() * %r) * mV" % (float(lo), float(hi - lo))
        else:
            refuse("population %s: initial V_m %s is not written here" % (name, initial))
        groups[name], offsets[name] = sub, first
        first += spec["size"]
    objects = [group, group.run_regularly("I_noise = noise_mean + noise_std * randn()",
                                          when="start", name="noise")]
    sources = {}
    for name, spec in populations.items():
        if spec["model"] == "poisson_source":
            p = dict(POISSON_SOURCE)
            p.update(spec.get("params", {}))
            if set(p) != {"rate_Hz"}:
                refuse("population %s: only a constant rate_Hz is written here" % name)
            sources[name] = b2.PoissonGroup(spec["size"], rates=p["rate_Hz"] * Hz, name=name)
            groups[name] = sources[name]
            objects.append(sources[name])

    # The dopamine volume: every LIF cell keeps the same level da (a linked
    # variable of one cell cannot be read by Synapses), raised by each spike
    # of the volume's source through a zero-delay synapse onto every cell.
    volume_name, volume = None, None
    for vname, spec in volumes.items():
        p = dict(DOPAMINE)
        p.update(spec.get("params", {}))
        if spec.get("type", "dopamine") != "dopamine" or p["delay_ms"] != 0:
            refuse("volume %s: only a dopamine volume without delay is written here" % vname)
        group.da = p["baseline"]
        group.namespace.update({"da_baseline": p["baseline"], "tau_da": p["tau_ms"] * ms})
        source = populations[spec["source"]]
        if spec["source"] not in offsets:
            refuse("volume %s: its source must be a LIF population" % vname)
        feed = b2.Synapses(group, group, on_pre="da_post += %r" % float(p["spike_increment"]),
                           name="volume_feed")
        first = offsets[spec["source"]]
        i, j = np.meshgrid(np.arange(first, first + source["size"]), np.arange(size),
                           indexing="ij")
        feed.connect(i=i.ravel(), j=j.ravel())
        objects.append(feed)
        volume_name, volume = vname, p

    # Projections, grouped into one Synapses object per source, kind and
    # receptor (fewer objects: what a Brian2 user tuning for speed writes).
    kinds = {}
    for pr in net["projections"]:
        syn = pr["synapse"]
        model = syn.get("model", "static")
        if model not in ("static", "stdp_dopamine"):
            refuse("projection %s: synapse model %s is not written here" % (pr["name"], model))
        if pr["target"] not in offsets:
            refuse("projection %s: targets must be LIF populations" % pr["name"])
        n_source, n_target = populations[pr["source"]]["size"], populations[pr["target"]]["size"]
        i, j = connect(pr["rule"], pr, n_source, n_target, rng)
        w = draw_weight(syn["weight"], len(i), rng)
        receptor = syn.get("receptor")
        if receptor is None:
            receptor = "excitatory" if np.all(w >= 0) else "inhibitory"
        delay = syn.get("delay_ms", 1.0)
        if not isinstance(delay, (int, float)):
            refuse("projection %s: only a fixed delay is written here" % pr["name"])
        p = None
        if model == "stdp_dopamine":
            p = dict(STDP_DOPAMINE)
            for key, value in syn.get("params", {}).items():
                if key not in p:
                    refuse("projection %s: parameter %s is not written here" % (pr["name"], key))
                p[key] = value
            if p["phi_half"] != 0 or syn.get("neuromodulator") != volume_name:
                refuse("projection %s: only the linear rule on the volume" % pr["name"])
        source_group = "lif" if pr["source"] in offsets else pr["source"]
        source_offset = offsets.get(pr["source"], 0)
        entry = kinds.setdefault((source_group, model, receptor), {
            "source": pr["source"] if source_group != "lif" else None,
            "i": [], "j": [], "w": [], "delay": [], "params": []})
        entry["i"].append(i + source_offset)
        entry["j"].append(j + offsets[pr["target"]])
        entry["w"].append(w)
        entry["delay"].append(np.full(len(i), float(delay)))
        entry["params"].append((len(i), p))
    synapses = []
    current = {"excitatory": "I_ex", "inhibitory": "I_in"}
    for (source_group, model, receptor), e in kinds.items():
        source = group if source_group == "lif" else sources[source_group]
        name = "%s_%s_%s" % (source_group, model, receptor)
        i, j = np.concatenate(e["i"]), np.concatenate(e["j"])
        delays = np.concatenate(e["delay"])
        if model == "static":
            s = b2.Synapses(source, group, "w : 1 (constant)",
                            on_pre="%s_post += w * pA" % current[receptor], name=name)
            s.connect(i=i, j=j)
            s.w = np.concatenate(e["w"])
            s.delay = delays * ms
            synapses.append(s)
            continue
        if len(set(delays)) != 1:
            refuse("plastic projections from one source need one delay here")
        s = b2.Synapses(source, group, model="""
            w : 1
            elig : 1
            A_plus : 1 (constant)
            A_minus : 1 (constant)
            b : 1 (constant)
            gain : 1 (constant)
            w_min : 1 (constant)
            w_max : 1 (constant)
            c_decay : 1 (constant)
            F_c : 1 (constant)
            F_cd : 1 (constant)
            tau_plus : second (constant)
            tau_minus : second (constant)
            dapre/dt = -apre / tau_plus : 1 (event-driven)
            dapost/dt = -apost / tau_minus : 1 (event-driven)
            last_pre_spike : second
            """, on_pre={
                "pre": """
                    elig -= A_minus * apost
                    apre += 1
                    last_pre_spike = t
                    """,
                "transmit": "%s_post += w * pA" % current[receptor],
            }, on_post="""
                elig += A_plus * (apre - int(abs(t - last_pre_spike) < 0.5 * dt))
                apost += 1
                """, delay={"transmit": delays[0] * ms, "post": delays[0] * ms}, name=name)
        s.connect(i=i, j=j)
        s.w = np.concatenate(e["w"])
        columns = {"A_plus": [], "A_minus": [], "b": [], "gain": [], "w_min": [], "w_max": [],
                   "c_decay": [], "F_c": [], "F_cd": [], "tau_plus": [], "tau_minus": []}
        dt_ms = float(b2.defaultclock.dt / ms)
        for n, p in e["params"]:
            # Over one step c decays with tau_c and d - baseline with tau_d:
            # the integral of c (d - b) is c0 ((d0 - baseline) F_cd +
            # (baseline - b) F_c), F_x = tau_x (1 - e^(-dt / tau_x)) [ms],
            # 1 / tau_cd = 1 / tau_c + 1 / tau_d.
            tau_c, tau_d = p["tau_c_ms"], volume["tau_ms"]
            tau_cd = 1.0 / (1.0 / tau_c + 1.0 / tau_d)
            values = {"A_plus": p["A_plus"], "A_minus": p["A_minus"], "b": p["b"],
                      "gain": p["dopamine_gain"], "w_min": p["w_min"], "w_max": p["w_max"],
                      "c_decay": math.exp(-dt_ms / tau_c),
                      "F_c": -tau_c * math.expm1(-dt_ms / tau_c),
                      "F_cd": -tau_cd * math.expm1(-dt_ms / tau_cd),
                      "tau_plus": p["tau_plus_ms"], "tau_minus": p["tau_minus_ms"]}
            for key in columns:
                columns[key].append(np.full(n, values[key]))
        for key, values in columns.items():
            values = np.concatenate(values)
            setattr(s, key, values * ms if key.startswith("tau_") else values)
        s.last_pre_spike = -1e3 * b2.second
        # The three-factor rule between events, in closed form step by step
        # (see above).
        objects.append(s.run_regularly(
            "w = clip(w + gain * elig * ((da_post - %r) * F_cd + (%r - b) * F_c), w_min, w_max)\n"
            "elig = elig * c_decay" % (float(volume["baseline"]), float(volume["baseline"])),
            when="start", name=name + "_dopamine"))
        synapses.append(s)
    objects += synapses
    return group, groups, offsets, sources, synapses, objects


def open_loop(b2, args, net, duration_ms, group, sources, synapses, counter,
              source_counters, objects):
    """--open-loop: the network at rest for duration_ms, timed as in the
    loop (runtime) or as the standalone peers are (peerlib.py); prints the
    peers' line."""
    name = net.get("name", "bandit_actor_critic") + "+open_loop_" + args.open_loop
    neurons = group.N + sum(g.N for g in sources.values())
    if args.open_loop == "standalone":
        import peerlib
        args.duration_ms, args.directory = duration_ms, None
        directory, _ = peerlib.build_project(args, name, neurons, [counter] + source_counters,
                                             synapses, objects)
        try:
            line = peerlib.run_project(directory)
        finally:
            shutil.rmtree(directory, ignore_errors=True)
        line["synapses"] = int(sum(len(s) for s in synapses))  # not the volume's feed
        line["mode"] = "standalone"
        print(json.dumps(line))
        return
    network = b2.Network(*objects)
    start = time.perf_counter()
    network.store("initial")
    network.run(b2.defaultclock.dt)
    network.restore("initial")
    build_s = time.perf_counter() - start
    wall0, cpu0 = time.perf_counter(), time.process_time()
    network.run(duration_ms * b2.ms)
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    spikes = int(counter.num_spikes) + sum(int(m.num_spikes) for m in source_counters)
    bio_s = duration_ms / 1000.0
    print(json.dumps({
        "network": name, "simulator": "brian2", "brian2_version": b2.__version__,
        "mode": "runtime", "codegen_target": args.target, "threads": 1,
        "biological_s": bio_s, "build_s": build_s, "simulation_s": wall,
        "simulation_cpu_s": cpu, "wall_per_biological_s": wall / bio_s,
        "real_time_factor": bio_s / wall, "neurons": int(neurons),
        "synapses": int(sum(len(s) for s in synapses)), "spikes": spikes,
        "rate_Hz": spikes / (neurons * bio_s)}))


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--experiment", default=EXPERIMENT,
                        help="the closed_loop experiment file (default: "
                             "tasks/experiments/bandit_reversal_spiking.json)")
    parser.add_argument("--trials", type=int, default=None,
                        help="trials to play (default: the file's)")
    parser.add_argument("--seed", type=int, default=1,
                        help="seed of network, task and loop (default 1)")
    parser.add_argument("--target", default="cython", choices=["cython", "numpy"],
                        help="Brian2's runtime code-generation target (default cython)")
    parser.add_argument("--open-loop", choices=["runtime", "standalone"], default=None,
                        help="no task: the same network at rest (every input at its rest "
                             "rate) for as long as the session, in runtime mode or in C++ "
                             "standalone mode (peerlib.py's timing); what the mode costs")
    args = parser.parse_args()

    import warnings
    warnings.filterwarnings("ignore", category=FutureWarning)  # numpy vs pythran
    import brian2 as b2
    b2.prefs.codegen.target = args.target
    b2.prefs.logging.console_log_level = "WARNING"

    params, net = load_experiment(args.experiment)
    learner = params["learner"]
    trials = args.trials if args.trials is not None else params.get("trials", 1)
    timing = {"step_ms": 100.0, "outcome_ms": 0.0, "iti_ms": 0.0, "reward_delay_ms": 0.0}
    timing.update(learner.get("timing", {}))
    dt_ms = net.get("resolution_ms", 0.1)
    trial_ms = timing["step_ms"] + timing["outcome_ms"] + timing["iti_ms"]
    if args.open_loop == "standalone":
        import peerlib
        peerlib.start_standalone(None, dt_ms=dt_ms, seed=args.seed)
    b2.defaultclock.dt = dt_ms * b2.ms
    b2.seed(args.seed)
    np.random.seed(args.seed)

    group, groups, offsets, sources, synapses, objects = build(b2, params, net, args.seed)
    counter = b2.SpikeMonitor(group, record=False, name="count_lif")
    source_counters = [b2.SpikeMonitor(g, record=False, name="count_" + n)
                       for n, g in sources.items()]
    objects += [counter] + source_counters
    if args.open_loop:
        open_loop(b2, args, net, trials * trial_ms, group, sources, synapses, counter,
                  source_counters, objects)
        return

    # What the loop sets and reads, from the experiment file.
    encoding = learner["encoding"]
    if len(encoding) != 1 or "stimuli" not in encoding[0]:
        refuse("one stimulus encoding rule is written here")
    task = Task(params["task"], args.seed)
    if sorted(encoding[0]["stimuli"]) != list(range(task.arms)):
        refuse("the encoding rule must cover every arm's stimulus (on together in the bandit)")
    inputs = encoding[0]["inputs"]
    decoding = learner["decoding"]
    if decoding.get("rule", "most_spikes") != "most_spikes":
        refuse("decoding rule %s: only most_spikes" % decoding["rule"])
    window = decoding.get("window_ms", [0.0, timing["step_ms"]])
    actions = decoding["populations"]
    reward = learner.get("reward", [])
    for r in reward:
        if "population" not in r or r.get("sign", "positive") != "positive":
            refuse("only reward relays to populations, positive outcomes, are written here")
    for key in ("action_copy", "noncontingent", "forced_action"):
        if key in learner:
            refuse("learner %s is not written here" % key)
    for x in inputs + reward:
        name = x.get("target", x.get("population"))
        if name not in sources:
            refuse("%s: only poisson_source targets are written here" % name)
        if "duration_ms" not in x:
            refuse("%s: only inputs with a duration_ms are written here" % name)

    # Every moment the loop acts at, within a trial [ms].
    decision_ms = window[1]
    reward_ms = timing["step_ms"] + timing["reward_delay_ms"]
    moments = [trial_ms, window[0], window[1], timing["step_ms"], reward_ms]
    for x in inputs:
        moments += [x.get("onset_ms", 0.0), x.get("onset_ms", 0.0) + x["duration_ms"]]
    for r in reward:
        moments += [reward_ms + r["duration_ms"]]
    tick = 0
    for m in moments:
        steps = round(m / dt_ms)
        if abs(steps * dt_ms - m) > 1e-9:
            refuse("%g ms is not a whole number of steps" % m)
        tick = math.gcd(tick, steps)
    tick_ms = tick * dt_ms
    ticks_per_trial = round(trial_ms / tick_ms)

    # Per tick of the trial: which rates change (name -> Hz).
    schedule = {}
    for x in inputs:
        on = round(x.get("onset_ms", 0.0) / tick_ms)
        off = round((x.get("onset_ms", 0.0) + x["duration_ms"]) / tick_ms)
        schedule.setdefault(on, []).append((x["target"], x["value"], False))
        schedule.setdefault(off, []).append((x["target"], None, False))
    for r in reward:
        on = round(reward_ms / tick_ms)
        off = round((reward_ms + r["duration_ms"]) / tick_ms)
        schedule.setdefault(on, []).append((r["population"], r["gain"], True))
        schedule.setdefault(off, []).append((r["population"], None, True))
    if any(k >= ticks_per_trial for k in schedule):
        refuse("an input or reward that ends at or after the trial's end is not written here")
    decide_tick = round(decision_ms / tick_ms)
    open_tick = round(window[0] / tick_ms)
    rest = {name: float(spec.get("params", {}).get("rate_Hz", POISSON_SOURCE["rate_Hz"]))
            for name, spec in net["populations"].items() if name in sources}
    spans = [(offsets[a], offsets[a] + net["populations"][a]["size"]) for a in actions]
    ties = np.random.default_rng([args.seed, 0x4c00])
    record = {"action": [], "best": [], "reward": [], "most": [], "fewest": []}
    state = {"tick": 0, "counts_at_open": None, "reward": 0.0}

    def counts():
        c = np.asarray(counter.count[:])
        return np.array([c[lo:hi].sum() for lo, hi in spans])

    def loop_tick():
        k = state["tick"] % ticks_per_trial
        state["tick"] += 1
        if state["tick"] > trials * ticks_per_trial:
            return
        if k == 0:
            task.begin_trial()
        if k == open_tick:
            state["counts_at_open"] = counts()
        if k == decide_tick:
            n = counts() - state["counts_at_open"]
            if n.max() == 0:
                action = -1
            else:
                best = np.flatnonzero(n == n.max())
                action = int(best[0] if len(best) == 1 else ties.choice(best))
            state["reward"] = task.outcomes[action] if action >= 0 else 0.0
            record["action"].append(action)
            record["best"].append(task.best_action())
            record["reward"].append(state["reward"])
            record["most"].append(int(n.max()))
            record["fewest"].append(int(n.min()))
        for name, value, is_reward in schedule.get(k, []):
            if value is None:
                sources[name].rates = rest[name] * b2.Hz
            elif not is_reward:
                sources[name].rates = value * b2.Hz
            elif state["reward"] > 0:
                sources[name].rates = (rest[name] + value * abs(state["reward"])) * b2.Hz
    # Decision and changes happen at whole ticks, before the step's groups.
    operation = b2.NetworkOperation(loop_tick, dt=tick_ms * b2.ms, when="start",
                                    name="task_loop")
    network = b2.Network(*objects)

    # Warm-up: one step compiles every object's code; its state is discarded.
    start = time.perf_counter()
    network.store("initial")
    network.run(b2.defaultclock.dt)
    network.restore("initial")
    network.add(operation)
    build_s = time.perf_counter() - start

    biological_ms = trials * trial_ms
    wall0, cpu0 = time.perf_counter(), time.process_time()
    network.run(biological_ms * b2.ms)
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0

    action = np.array(record["action"])
    best = np.array(record["best"])
    rewards = np.array(record["reward"])
    better = (action == best).astype(float)

    def fraction(lo, hi):
        return float(better[lo:hi].mean()) if len(better) >= hi else None

    neurons = group.N + sum(g.N for g in sources.values())
    spikes = int(counter.num_spikes) + sum(int(m.num_spikes) for m in source_counters)
    bio_s = biological_ms / 1000.0
    print(json.dumps({
        "network": net.get("name", "bandit_actor_critic"),
        "experiment": os.path.relpath(os.path.abspath(args.experiment), REPO),
        "simulator": "brian2",
        "brian2_version": b2.__version__,
        "mode": "runtime",
        "codegen_target": args.target,
        "threads": 1,
        "trials": trials,
        "biological_s": bio_s,
        "build_s": build_s,
        "simulation_s": wall,
        "simulation_cpu_s": cpu,
        "wall_per_biological_s": wall / bio_s,
        "real_time_factor": bio_s / wall,
        "trials_per_s": trials / wall,
        "neurons": int(neurons),
        "synapses": int(sum(len(s) for s in synapses)),
        "spikes": spikes,
        "rate_Hz": spikes / (neurons * bio_s),
        "no_actions": int((action < 0).sum()),
        "window_spikes_most": float(np.mean(record["most"])),
        "window_spikes_fewest": float(np.mean(record["fewest"])),
        "rewarded_fraction": float(rewards.mean()) if len(rewards) else None,
        "better_arm_per_100": [float(better[k:k + 100].mean())
                               for k in range(0, len(better) - 99, 100)],
        "better_arm_400_500": fraction(400, 500),
        "better_arm_900_1000": fraction(900, 1000),
    }))


if __name__ == "__main__":
    main()
