#!/usr/bin/python3
"""Writes the Go/NoGo striatum that plays the probabilistic selection task
(Frank, Seeberger & O'Reilly 2004) and its dopamine variants:

  networks/library/gonogo_striatum{,_elevated,_depleted,_d2_lesion}.json
  tasks/experiments/selection_gonogo_spiking{,_elevated,_depleted,_d2_lesion}.json
  tasks/experiments/selection_gonogo_compare{,_elevated,_depleted,_d2_lesion}.json
      (the same session beside OpAL at the matching rho)

One channel per stimulus k (A-F = 0-5), after Frank (2005); the ready files
are the defaults below (docs/basal_ganglia.md, "The ready circuit"):

  s_k (Poisson, on while k is shown) -> d1_k  stdp_dopamine_proportional, gain +1 (Go)
                                     -> d2_k  stdp_dopamine_proportional, gain -1 (NoGo)
                                     -> act_k static
  d1_k -> act_k  excitation (lumped direct pathway: facilitates the response)
  d2_k -> act_k  inhibition (lumped indirect pathway: suppresses it)
  act_j -| act_k mutual inhibition (winner-take-all; only the two shown compete)
  m_k (Poisson, the loop's action copy of the choice) -> d1_k, d2_k: the
                 chosen stimulus's striatal cells fire on after the decision,
                 so only its synapses are tagged (credit assignment)
  c_k (Poisson, on while k is shown and through the outcome) -> v_k, u_k:
                 the critic. Value cells v_k (stdp_dopamine, gain +1) inhibit
                 the SNc and loss cells u_k (gain -1) excite it while the
                 outcome relay fb drives them, so dopamine carries the outcome
                 minus the learned value of the pair shown (v - u), as OpAL's
                 delta = r - V(state)
  rew (Poisson, reward +1) -> snc  burst;  pun (Poisson, reward -1) -| snc  pause
  snc (noise-driven LIF, 4.52 Hz) -> da, the volume both rules read, each
                 through its receptor's occupancy (D1 low affinity, D2 high;
                 Dreyer et al. 2010) around its own tonic level; d1_k and d2_k
                 also read it through their receptors as excitability (D1
                 raises, D2 lowers the excitatory current; Humphries et al.
                 2009's factors)

Options that restore the earlier designs, each measured in
docs/basal_ganglia.md: rule=stdp_dopamine (additive) or stdp_dopamine_soft;
copy=spikes (act_k's own spikes tag the striatum: act_k -> d1_k, d2_k, with
act_j -| d1_k, d2_k); excitability=none; critic=none, or critic=striosome
(value cells only, no loss cells); critic_input=action (the critic predicts
the stimulus chosen, from m_k, rather than the pair shown); pun_gain=100 (a
loss silences the SNc). Tried and not kept: d2_b_factor=0.9 (NoGo synapses
depress at the tonic level; docs/basal_ganglia.md, "NoGo synapses that
depress at the tonic level").

Usage: make_gonogo.py [ROOT] [key=value ...]   (overrides of P; ROOT defaults to
the repository this file lives in)
"""
import json
import os
import sys

from generator_args import overrides

P = dict(
    n_s=40, s_rate=40.0,          # cortical cells per stimulus; Hz while shown
    n_str=20, n_act=20,           # D1, D2 and action cells per stimulus
    d1_noise_mean=150.0, d2_noise_mean=150.0, str_noise_std=300.0,   # pA: ~0.2 Hz at rest (bandit critic)
    act_noise_mean=200.0, act_noise_std=450.0,   # pA: ~4 Hz at rest, exploration (bandit actor)
    w_s_act=12.0,                 # s_k -> act_k [pA]
    w0=10.0, w_max=100.0,         # s_k -> d1_k / d2_k start and bound [pA]: the proportional rule
                                  # grows A's Go from 10 to 50-100 pA (docs/basal_ganglia.md)
    A_plus=0.02, A_minus=0.01, tau_c=150.0,   # per unit of w - w_min (proportional rule); slow
                                  # enough that B is sampled about as often as OpAL samples it
    rule="stdp_dopamine_proportional",   # changes in proportion to w, as OpAL's actors learn; or
                                  # "stdp_dopamine" (additive), "stdp_dopamine_soft"; docs/models.md
    # Receptor occupancy the rules read (Dreyer et al. 2010: D1 low affinity, D2 high):
    # half-occupancy levels, with the intact tonic level 1.0 taken as ~20 nM (D1 EC50 ~1 uM,
    # D2 ~10 nM). 0 reads the level itself (the earlier design).
    phi_half_d1=50.0, phi_half_d2=0.5,
    b_mode="own",                 # own: b = each variant's tonic level; intact: b = 1.0 everywhere
    d2_b_factor=1.0,              # the D2 rule's b as this fraction of the tonic level: below 1, coincident
                                  # activity at the tonic level depresses NoGo synapses and only a pause
                                  # deeper than b potentiates them (iMSN LTD needs D2 activation; Shen
                                  # et al. 2008)
    w_go=40.0, w_nogo=-40.0,      # d1_k -> act_k, d2_k -> act_k [pA]
    w_eff=40.0,                   # act_k -> d1_k, d2_k [pA]
    w_inh=-60.0,                  # act_j -> act_k [pA]
    w_cross=-20.0,                # act_j -> d1_k, d2_k [pA]: the loser's striatum falls silent
    copy="action",                # credit: "action" (the loop's action copy drives m_k, whatever the
                                  # winner's vigour) or "spikes" (act_k's own spikes)
    n_copy=20, copy_rate=40.0, copy_ms=100.0,   # m_k: Poisson cells, Hz while on, ms from the decision
    w_copy=80.0, w_copy_cross=-40.0,            # m_k -> d1_k, d2_k; m_j -> d1_k, d2_k (j != k) [pA]
    excitability="receptors",     # d1_k/d2_k read the volume through a D1/D2 receptor
                                  # (the rules' phi_half) that scales their excitatory current
                                  # by 1 + d1_beta phi (D1) or 1 - d2_beta phi (D2); docs/models.md
    d1_beta=6.3, d2_beta=0.215,   # Humphries et al. 2009's D1 (NMDA) and D2 (AMPA) factors
    critic="two_sided",           # value cells v_k and loss cells u_k (docstring above); or
                                  # "striosome" (v_k alone) or "none"
    n_crit=20,                    # value cells per stimulus
    crit_noise_mean=0.0, crit_noise_std=300.0,   # pA: silent unless the cue and the outcome coincide
    w_crit0=40.0, w_crit_max=100.0,              # c_k (or m_k) -> v_k, u_k start and bound [pA]
    n_fb=20, fb_rate=40.0, w_fb=25.0,            # fb: the outcome shown (any sign), Poisson, Hz for
                                                 # relay_ms; fb -> v_k all-to-all [pA]
    crit_A_plus=0.05, crit_A_minus=0.025,        # linear rule (the level itself), b = tonic: 2.5
                                                 # times the actor's, so the value leads it
    w_crit_snc=-20.0,             # v_k -> snc, all-to-all [pA]
    critic_input="state",         # "state": c_k (the stimuli shown) drive v_k/u_k: V of the pair, as
                                  # OpAL's critic; "action": m_k (the stimulus chosen) do
    cue_ms=200.0,                 # c_k on from the cue's onset [ms]: through the outcome relay
                                  # (decision at step_ms 100, relay for relay_ms 100)
    n_snc=50, snc_rate=4.52,      # dopamine cells, measured tonic Hz (Grace & Bunney 1984: 2-5 Hz)
    snc_noise_mean=235.0, snc_noise_std=300.0,   # pA: 4.3 Hz irregular (bandit SNc)
    n_rel=20, w_rew=25.0, w_pun=-25.0, rel_indegree=10,
    da_tau=100.0, da_inc=0.04425, # tonic level 0.04425 * 50 * 4.52 Hz * 0.1 s = 1.0
    elevated_baseline=0.5,        # elevated: + this constant level in the volume
    depleted_factor=0.3,          # depleted: spike_increment x this
    s_ms=150.0,                   # stimulus on [ms]
    rew_gain=30.0, pun_gain=30.0, relay_ms=100.0,   # Hz per reward unit; pun 30 Hz: a partial
                                  # pause that loss cells can lift (100 Hz silences the SNc whatever
                                  # the prediction)
    step_ms=100.0, outcome_ms=300.0, iti_ms=200.0, reward_delay_ms=0.0,
)


def describe(p):
    """The network's description, from the parameters that made it."""
    tonic = tonic_level(p, "intact")
    if p["copy"] == "action":
        credit = (f"the loop's action copy drives m_k ({p['n_copy']} Poisson cells, {p['copy_rate']:g} Hz for "
                f"{p['copy_ms']:g} ms from the decision) -> d1_k, d2_k {p['w_copy']:+g} pA and m_j -> d1_k, d2_k "
                f"{p['w_copy_cross']:+g} pA (only the chosen stimulus' striatal cells stay active and get tagged)")
    else:
        credit = (f"act_k -> d1_k, d2_k {p['w_eff']:+g} pA and act_j -> d1_k, d2_k {p['w_cross']:+g} pA (efference "
                "copy: only the chosen stimulus' striatal cells stay active and get tagged)")
    critic = ""
    if has_critic(p):
        src = ("c_k (Poisson, on while k is shown and through the outcome: the pair shown)"
               if critic_source(p) == "c" else "m_k (the stimulus chosen)")
        cells = "value cells v_k -> snc %+g pA" % p["w_crit_snc"]
        if p["critic"] == "two_sided":
            cells += " and loss cells u_k -> snc %+g pA" % -p["w_crit_snc"]
        critic = (f"Critic: {src} -> {cells} ({p['n_crit']} LIF each) through stdp_dopamine (the level "
                  f"itself, b tonic; gain +1 on v, -1 on u; A+ {p['crit_A_plus']:g}, A- {p['crit_A_minus']:g}, "
                  f"w0 {p['w_crit0']:g} pA in [0, {p['w_crit_max']:g}]), firing only while the outcome relay fb "
                  f"({p['n_fb']} Poisson, {p['fb_rate']:g} Hz) drives them: dopamine carries the outcome minus "
                  "the learned prediction. ")
    reference = "b = the volume's own tonic level" if p["b_mode"] == "own" else f"b = {tonic:.3g}"
    if p["d2_b_factor"] != 1.0:
        reference += (f" on d1 and {p['d2_b_factor']:g} times it on d2 (coincident activity at the tonic level "
                      "depresses NoGo synapses; only a pause below b potentiates them; Shen et al. 2008)")
    excit = ""
    if p["excitability"] == "receptors":
        excit = (f"d1_k, d2_k read da through their receptors as excitability too (excitatory current x "
                 f"(1 + {p['d1_beta']:g} phi) on D1, x (1 - {p['d2_beta']:g} phi) on D2; Humphries et al. 2009). ")
    return (
        "Go/NoGo striatum for the probabilistic selection task (Frank, Seeberger & O'Reilly 2004; "
        "the circuit after Frank 2005), generated by tools/make_gonogo.py (every number and its reason "
        f"there and in docs/basal_ganglia.md). Per stimulus k = A-F: s_k ({p['n_s']} Poisson cells, "
        f"{p['s_rate']:g} Hz while shown) -> d1_k, d2_k ({p['n_str']} LIF each) through {p['rule']} reading "
        "the dopamine through its receptor's occupancy d/(d + K) (D1: K "
        f"{p['phi_half_d1']:g}, low affinity; D2: K {p['phi_half_d2']:g}, high affinity; Dreyer et al. 2010; "
        f"A+ {p['A_plus']:g}, A- {p['A_minus']:g} divided by the occupancy's slope at the intact tonic "
        f"level {tonic:.3g}, tau_c {p['tau_c']:g} ms, {reference}, w0 {p['w0']:g} pA in "
        f"[0, {p['w_max']:g}]; dopamine_gain +1 on d1, -1 on d2) and -> act_k ({p['n_act']} LIF, "
        f"{p['w_s_act']:g} pA); d1_k -> act_k {p['w_go']:+g} pA (lumped direct pathway), d2_k -> act_k "
        f"{p['w_nogo']:+g} pA (lumped indirect pathway); act_j -| act_k {p['w_inh']:+g} pA "
        f"(winner-take-all); {credit}. {excit}{critic}SNc: {p['n_snc']} LIF, noise "
        f"{p['snc_noise_mean']:g} +- {p['snc_noise_std']:g} pA, {p['snc_rate']:g} Hz; rew ({p['n_rel']} "
        f"Poisson, {p['rew_gain']:g} Hz per reward unit, {p['relay_ms']:g} ms) -> snc {p['w_rew']:+g} pA "
        f"(burst), pun ({p['n_rel']} Poisson, {p['pun_gain']:g} Hz for reward -1) -> snc {p['w_pun']:+g} pA "
        f"(pause); volume da: tau {p['da_tau']:g} ms, {p['da_inc']:g} per spike (tonic level {tonic:.3g}). ")


VARIANTS = {
    "intact": "Intact.",
    "elevated": "Elevated tonic dopamine: the volume's baseline +0.5 (tonic level 1.5; the D2 receptors "
                "nearer saturation, so a pause lowers their occupancy half as much as in the intact "
                "circuit).",
    "depleted": "Depleted dopamine: spike_increment x 0.3 (70 % of release lost; tonic level 0.3: a burst "
                "moves the low-affinity D1 occupancy 0.3 times as much as in the intact circuit, while a "
                "pause still empties most of the D2 occupancy).",
    "d2_lesion": "D2 pathway silenced: d2_k receive no input and project nowhere (no NoGo learning or "
                 "suppression).",
}


def lif(n):
    return {"model": "lif_psc_exp", "size": n, "params": {"tau_syn_ex": 5.0, "tau_syn_in": 5.0},
            "initial": {"V_m": {"uniform": [-70, -56]}}}


def proj(src, tgt, w, rule="all_to_all", **extra):
    syn = {"weight": w, "delay_ms": 1.0}
    if isinstance(w, (int, float)) and w < 0:
        syn["receptor"] = "inhibitory"
    d = {"name": f"{src}->{tgt}", "source": src, "target": tgt, "rule": rule, "synapse": syn}
    d.update(extra)
    return d


def uses_copy_cells(p):
    """Whether the loop's action copy drives m_k: for the striatum's tags
    (copy=action) or for the critic's value cells (critic_input=action)."""
    return p["copy"] == "action" or (has_critic(p) and critic_source(p) == "m")


def has_critic(p):
    return p["critic"] in ("striosome", "two_sided")


def critic_source(p):
    """The population prefix whose spikes carry the critic's input: the
    action copy m_k or the cue c_k."""
    if p["critic_input"] not in ("action", "state"):
        sys.exit(f"critic_input must be action or state, not {p['critic_input']}")
    return "c" if p["critic_input"] == "state" else "m"


def build(p, variant="intact"):
    tonic = tonic_level(p, "intact")
    pops, projs, stim = {}, [], []
    for k in range(6):
        pops[f"s_{k}"] = {"model": "poisson_source", "size": int(p["n_s"]), "params": {"rate_Hz": 0}}
        for name in ("d1", "d2", "act"):
            pops[f"{name}_{k}"] = lif(int(p["n_act"] if name == "act" else p["n_str"]))
            if name != "act" and p["excitability"] == "receptors":
                pops[f"{name}_{k}"]["params"].update(
                    {"dopamine_receptor": name.upper(), "activation": "saturating",
                     "phi_half": p[f"phi_half_{name}"], f"{name}_beta": p[f"{name}_beta"]})
                pops[f"{name}_{k}"]["neuromodulator"] = "da"
    if uses_copy_cells(p):
        for k in range(6):
            pops[f"m_{k}"] = {"model": "poisson_source", "size": int(p["n_copy"]), "params": {"rate_Hz": 0}}
    if has_critic(p) and critic_source(p) == "c":
        for k in range(6):
            pops[f"c_{k}"] = {"model": "poisson_source", "size": int(p["n_copy"]), "params": {"rate_Hz": 0}}
    if has_critic(p):
        for k in range(6):
            pops[f"v_{k}"] = lif(int(p["n_crit"]))
            if p["critic"] == "two_sided":
                pops[f"u_{k}"] = lif(int(p["n_crit"]))
    elif p["critic"] != "none":
        sys.exit(f"critic must be none, striosome or two_sided, not {p['critic']}")
    if has_critic(p):
        pops["fb"] = {"model": "poisson_source", "size": int(p["n_fb"]), "params": {"rate_Hz": 0}}
    pops["snc"] = lif(int(p["n_snc"]))
    pops["rew"] = {"model": "poisson_source", "size": int(p["n_rel"]), "params": {"rate_Hz": 0}}
    pops["pun"] = {"model": "poisson_source", "size": int(p["n_rel"]), "params": {"rate_Hz": 0}}
    for k in range(6):
        for name, gain in (("d1", 1), ("d2", -1)):
            if name == "d2" and variant == "d2_lesion":
                continue
            K = p[f"phi_half_{name}"]
            # At the intact tonic level a small change of dopamine moves the weight as the
            # linear rule did: the learning rates are divided by the slope of the occupancy there.
            slope = K / (tonic + K) ** 2 if K > 0 else 1.0
            rule = {"A_plus": round(p["A_plus"] / slope, 9), "A_minus": round(p["A_minus"] / slope, 9),
                    "tau_plus_ms": 20.0, "tau_minus_ms": 20.0, "tau_c_ms": p["tau_c"],
                    "b": reference_level(p, name, variant),
                    "dopamine_gain": gain, "w_min": 0.0, "w_max": p["w_max"]}
            if K > 0:
                rule["phi_half"] = K
            projs.append({"name": f"s_{k}->{name}_{k}", "source": f"s_{k}", "target": f"{name}_{k}",
                          "rule": "all_to_all",
                          "synapse": {"model": p["rule"], "weight": p["w0"], "delay_ms": 1.0,
                                      "neuromodulator": "da", "params": rule}})
        projs.append(proj(f"s_{k}", f"act_{k}", p["w_s_act"]))
        projs.append(proj(f"d1_{k}", f"act_{k}", p["w_go"]))
        striatum = ("d1", "d2")[: 1 if variant == "d2_lesion" else 2]
        copy = "m" if p["copy"] == "action" else "act"
        w_copy = p["w_copy" if copy == "m" else "w_eff"]
        if variant != "d2_lesion":
            projs.append(proj(f"d2_{k}", f"act_{k}", p["w_nogo"]))
            projs.append(proj(f"{copy}_{k}", f"d2_{k}", w_copy))
        projs.append(proj(f"{copy}_{k}", f"d1_{k}", w_copy))
        cross = p["w_copy_cross" if copy == "m" else "w_cross"]
        for j in range(6):
            if j != k:
                projs.append(proj(f"act_{j}", f"act_{k}", p["w_inh"]))
                for name in striatum:
                    if cross != 0:
                        projs.append(proj(f"{copy}_{j}", f"{name}_{k}", cross))
        for name in ("d1", "d2", "act"):
            if name == "d2" and variant == "d2_lesion":
                continue
            kind = "act" if name == "act" else "str"
            stim.append({"name": f"noise_{name}_{k}", "model": "noise_current", "target": f"{name}_{k}",
                         "params": {"mean": p[f"{name}_noise_mean"], "std": p[f"{kind}_noise_std"]}})
    if has_critic(p):
        cells = [("v", 1, p["w_crit_snc"])]
        if p["critic"] == "two_sided":
            cells.append(("u", -1, -p["w_crit_snc"]))
        for k in range(6):
            for cell, gain, w_snc in cells:
                rule = {"A_plus": p["crit_A_plus"], "A_minus": p["crit_A_minus"], "tau_plus_ms": 20.0,
                        "tau_minus_ms": 20.0, "tau_c_ms": p["tau_c"], "b": "tonic", "dopamine_gain": gain,
                        "w_min": 0.0, "w_max": p["w_crit_max"]}
                src = f"{critic_source(p)}_{k}"
                projs.append({"name": f"{src}->{cell}_{k}", "source": src, "target": f"{cell}_{k}",
                              "rule": "all_to_all",
                              "synapse": {"model": "stdp_dopamine", "weight": p["w_crit0"], "delay_ms": 1.0,
                                          "neuromodulator": "da", "params": rule}})
                projs.append(proj(f"{cell}_{k}", "snc", w_snc))
                projs.append(proj("fb", f"{cell}_{k}", p["w_fb"]))
                stim.append({"name": f"noise_{cell}_{k}", "model": "noise_current", "target": f"{cell}_{k}",
                             "params": {"mean": p["crit_noise_mean"], "std": p["crit_noise_std"]}})
    projs.append(proj("rew", "snc", p["w_rew"], rule="fixed_indegree", indegree=int(p["rel_indegree"])))
    projs.append(proj("pun", "snc", p["w_pun"], rule="fixed_indegree", indegree=int(p["rel_indegree"])))
    stim.append({"name": "noise_snc", "model": "noise_current", "target": "snc",
                 "params": {"mean": p["snc_noise_mean"], "std": p["snc_noise_std"]}})
    vol = {"tau_ms": p["da_tau"], "baseline": 0.0, "spike_increment": p["da_inc"], "delay_ms": 1.0}
    if variant == "elevated":
        vol["baseline"] = p["elevated_baseline"]
    if variant == "depleted":
        vol["spike_increment"] = p["da_inc"] * p["depleted_factor"]
    net = {"name": "gonogo_striatum" + ("" if variant == "intact" else "_" + variant),
           "description": describe(p) + VARIANTS[variant],
           "resolution_ms": 1.0, "seed": 1, "duration_ms": 1000,
           "populations": pops,
           "neuromodulators": {"da": {"type": "dopamine", "source": "snc",
                                      "tonic_rate_Hz": p["snc_rate"], "initial": "tonic",
                                      "params": vol}},
           "projections": projs, "stimuli": stim, "recorders": []}
    return net


def experiment(p, variant, net_file):
    trials = 6 * 60 + 15 * 6
    return {"name": "selection_gonogo_spiking" + ("" if variant == "intact" else "_" + variant),
            "description": (f"The Go/NoGo striatum ({variant}; {net_file}) plays the probabilistic selection "
                            "task: 6 training blocks of 60 trials (AB 80/20, CD 70/30, EF 60/40; no criterion), "
                            "then the 15 pairs x 6 without feedback. Trial: the two stimuli drive s_k at 40 Hz "
                            "for 150 ms; the choice is the act_k with more spikes in [0, 100) ms (only the two "
                            "shown compete); reward +1 drives rew (burst), -1 drives pun (pause), from 100 ms "
                            "for 100 ms; outcome period 300 ms, inter-trial 200 ms (600 ms per trial)."),
            "seed": 1,
            "experiment": {"kind": "closed_loop", "params": {
                "trials": trials,
                "task": {"type": "probabilistic_selection",
                         "params": {"trials_per_block": 60, "max_training_blocks": 6,
                                    "use_criterion": False, "test_repeats": 6,
                                    "reward_win": 1, "reward_loss": -1}},
                "learner": {
                    "network": net_file,
                    "timing": {"step_ms": p["step_ms"], "outcome_ms": p["outcome_ms"],
                               "iti_ms": p["iti_ms"], "reward_delay_ms": p["reward_delay_ms"]},
                    "encoding": [{"stimuli": [k], "inputs": [{"target": f"s_{k}", "value": p["s_rate"],
                                                              "duration_ms": p["s_ms"]}]
                                  + ([{"target": f"c_{k}", "value": p["copy_rate"],
                                       "duration_ms": p["cue_ms"]}]
                                     if has_critic(p) and critic_source(p) == "c" else [])}
                                 for k in range(6)],
                    "decoding": {"rule": "most_spikes", "populations": [f"act_{k}" for k in range(6)],
                                 "window_ms": [0, p["step_ms"]]},
                    **({"action_copy": {"targets": [f"m_{k}" for k in range(6)], "value": p["copy_rate"],
                                        "duration_ms": p["copy_ms"]}} if uses_copy_cells(p) else {}),
                    "reward": [{"population": "rew", "gain": p["rew_gain"], "duration_ms": p["relay_ms"]},
                               {"population": "pun", "gain": p["pun_gain"], "duration_ms": p["relay_ms"],
                                "sign": "negative"}]
                              + ([{"population": "fb", "gain": p["fb_rate"], "duration_ms": p["relay_ms"],
                                   "sign": sign} for sign in ("positive", "negative")]
                                 if has_critic(p) else []),
                    "monitor": {"population": "snc", "volume": "da"}}}}}


def reference_level(p, name, variant):
    """The b of the s_k -> d1_k / d2_k rule: "tonic" (the volume's own tonic
    level) or a level."""
    factor = p["d2_b_factor"] if name == "d2" else 1.0
    if p["b_mode"] == "own":
        return "tonic" if factor == 1.0 else round(factor * tonic_level(p, variant), 6)
    return round(factor * tonic_level(p, "intact"), 6)


def tonic_level(p, variant):
    """The tonic level of the variant's volume (d0 + k N r tau)."""
    k = p["da_inc"] * (p["depleted_factor"] if variant == "depleted" else 1.0)
    d0 = p["elevated_baseline"] if variant == "elevated" else 0.0
    return d0 + k * p["n_snc"] * p["snc_rate"] * p["da_tau"] / 1000.0


def matching_rho(p, variant):
    """OpAL's dopamine level for a variant: the relative change of the tonic
    level from the intact one, within [-1, 1] (elevated +0.5, depleted -0.7)."""
    intact = tonic_level(p, "intact")
    return round(max(-1.0, min(1.0, (tonic_level(p, variant) - intact) / intact)), 6)


def comparison(p, variant, exp):
    """The same session as `exp` with OpAL at the matching rho on the identical trials."""
    rho = matching_rho(p, variant)
    params = exp["experiment"]["params"]
    return {"name": exp["name"].replace("spiking", "compare"),
            "description": (f"The Go/NoGo striatum ({variant}) and OpAL (Collins & Frank 2014; alpha_critic 0.2, "
                            f"alpha_go = alpha_nogo = 0.1, beta 1 as in probabilistic_selection_opal.json) at "
                            f"rho = {rho:+g}, the relative change of the tonic dopamine level from the intact one, "
                            "on the identical probabilistic selection session (docs/compare.md; "
                            "docs/basal_ganglia.md). Written by tools/make_gonogo.py."),
            "seed": 1,
            "experiment": {"kind": "compare", "params": {
                "trials": params["trials"], "task": params["task"],
                "spiking": params["learner"],
                "agents": [{"name": "opal", "agent": "opal",
                            "params": {"alpha_critic": 0.2, "alpha_go": 0.1, "alpha_nogo": 0.1,
                                       "beta": 1.0, "rho": rho}}]}}}


if __name__ == "__main__":
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    params, rest = overrides(P, sys.argv[1:])
    if rest:
        root = rest[-1]
    for variant in ("intact", "elevated", "depleted", "d2_lesion"):
        suffix = "" if variant == "intact" else "_" + variant
        net_rel = f"networks/library/gonogo_striatum{suffix}.json"
        exp_rel = f"tasks/experiments/selection_gonogo_spiking{suffix}.json"
        exp = experiment(params, variant, "../../" + net_rel)
        cmp_rel = f"tasks/experiments/selection_gonogo_compare{suffix}.json"
        for rel, doc in ((net_rel, build(params, variant)), (exp_rel, exp),
                         (cmp_rel, comparison(params, variant, exp))):
            path = os.path.join(root, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w") as f:
                json.dump(doc, f, indent=1)
