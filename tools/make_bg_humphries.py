#!/usr/bin/python3
"""Writes the spiking basal-ganglia selection circuit of Humphries, Stewart &
Gurney (2006, J Neurosci 26:12921; ModelDB 83559: pars.m, BG_net_shunt_AMPA_NMDA.m,
BATCH_BG_heterogenous_AMPA_NMDA.m, LIFtools/PSPtoPSC.m) as network parts:

  networks/library/bg/nuclei[_TAG].json  d1_c, d2_c, stn_c, gpe_c, gpi_c (c = 0 .. channels-1),
                                         their tonic and noise currents, internal projections
  networks/library/bg/cortex[_TAG].json  ctx_c: tonic cortical Poisson cells -> d1_c, d2_c, stn_c
  networks/library/bg/thalamus[_TAG].json thal_c: motor thalamus per channel, a bias current that
                                         makes it fire unless gpi_c inhibits it (after the Nengo
                                         basal ganglia's Thalamus; our numbers, below)
  networks/library/bg_selection[_TAG].json  includes the three; salience cells sal_0, sal_1 (extra
                                         cortical rate into channels 0 and 1), spike recorders

    ctx_c/sal_c -> d1_c -| gpi_c            (direct pathway, within channel)
    ctx_c/sal_c -> d2_c -| gpe_c -| stn_c   (indirect, within channel)
    ctx_c/sal_c -> stn_c -> gpe_*, gpi_*    (hyperdirect; STN output diffuse over channels)
    gpe_c -| gpi_c;  gpe_* -| gpe_*;  gpi_* -| gpi_*  (collaterals diffuse)
    gpi_c -| thal_c                         (the output gates the thalamus, within channel)

Neurons: lif_cond_exp with the paper's membranes (tau_m, R -> C_m = tau_m/R, g_L = 1/R),
threshold 30 mV above rest (STN 20), reset to rest, 2 ms refractory, E_in = rest - 20 mV in
place of the paper's -20 mV floor ("mimics the GABA reversal potential", pars.m).
Weights: relative weight x the conductance that gives a 3 mV PSP (AMPA and GABAa, pars.m)
at the target's reference potential V_ref (see psp_weight).

Usage: make_bg_humphries.py [key=value ...]   (overrides of P; tag=NAME writes *_NAME.json,
       out=DIR writes into DIR instead of networks/library)
"""
import json
import math
import os
import sys

from generator_args import overrides

P = dict(
    channels=3, n=64,           # pars.m: n_channels 3, neurons_per_channel 64
    n_msn=0,                    # D1 and D2 cells per channel (0: n). More MSNs keep each MSN's
                                # cortical input (p x n cells) and scale the MSN outputs by n/n_msn, so
                                # a GPe or GPi cell receives the same mean inhibition from p x n_msn cells
    scheme="exponential_euler", # lif_cond_exp update: one step per dt (docs/models.md; error
                                # ~ dt^2, 7e-4 mV after a jump at 0.1 ms), 2.5x cheaper than dopri5
    p=0.25,                     # pars.m p_connect; diffuse projections p/channels per channel pair
    dop1=0.3, dop2=0.3,         # pars.m: tonic dopamine at D1 and D2 receptors
    tonic_Hz=3.0,               # pars.m tonic_rate: cortical Poisson cells, 'vivo' input
    s1=30.0, s2=50.0,           # extra cortical rate [Hz per cortical cell] into channels 0 and 1:
                                # the paper's grid gives 4-40 Hz (0.2 x input_grid.mat 20..200) in place
                                # of 3 Hz; 30 Hz alone selects (GPi 27 -> 8 Hz), 50 Hz then takes over
    t1=1000.0, t2=2000.0,       # [ms] onsets of s1 and s2 (pars.m switches at 0.2, 0.5 x 10 s)
    duration=3000.0,            # [ms]
    sigma_mV=0.3,               # pars.m sigma_bg: N(0, 0.3 mV) added to V every step
    normal="ziggurat",          # noise_current's deviates (docs/models.md): 2.4x faster than box_muller here
    E_L=-70.0,                  # rest [mV]: the paper's 0; our choice (E_ex 0 mV gives 70 mV drive)
    floor=20.0,                 # pars.m mlimit -20 mV below rest -> E_in = E_L - 20
    # Tonic currents x the paper's (pars.m spon): without its shunting inhibition and with
    # conductance GABA the paper's currents give GPe 14, GPi 19 Hz; scaled (by hand, seed 1) to the
    # code's own target "30-30-12 for GPe-GPi-STN" (pars.m), as the authors tuned spon themselves.
    w_gpe_spon=1.7, w_gpi_spon=1.45, w_stn_spon=1.35,
    vref_frac=2 / 3,            # V_ref of STN, GPe, GPi as a fraction of threshold (see v_ref)
    thalamus=True,              # write bg/thalamus and include it (thal_c, gated by gpi_c)
    dopamine="static",          # static: dop1/dop2 scale the cortical weights onto the MSNs (the paper);
                                # snc: an SNc population drives volume da, which d1_c/d2_c read through
                                # the D1/D2 receptor of lif_cond_exp (x (1 + phi), x (1 - phi), phi =
                                # the level), its tonic level set to dop1 (bg/dopamine[_TAG].json)
    striatum="lif",             # lif: the paper's MSNs (lif_cond_exp); izhikevich: D1/D2 MSNs of
                                # Humphries et al. (2009; izhikevich_book msn_d1/msn_d2, dopamine acting
                                # on their excitability) and fast-spiking interneurons (see IZH below)
    n_fsi=8,                    # FSIs per channel (izhikevich striatum)
    w_ampa=58.0,                # pA: cortex -> MSN AMPA (izhikevich striatum; calibrated, see IZH)
    nmda_ratio=1.0,             # NMDA charge / AMPA charge per cortical spike at -40 mV
    w_fsi=40.0, w_fsi_msn=-10.0,  # pA: cortex -> FSI; FSI -> MSN (all-to-all within the channel)
    msn_noise_mV=0.3,           # izhikevich MSNs: noise per step [mV], as the nuclei's sigma_mV
    cortex="poisson",           # poisson: the paper's tonic Poisson cells; izhikevich: a recurrent
                                # layer per channel (see CX below) that the saliences drive
    cx_bg_Hz=50.0, cx_bg_w=10.0,  # its background: Poisson input per cell [Hz] of this weight
    cx_w_sal=15.0,              # sal_c -> ctx_c (p, 1 ms)
    cx_w_ee=2.0, cx_w_ie=-5.0,  # ctx_c -> ctx_c (p 0.1, 1-5 ms) and -> ctx_inh_c (p 0.25); ctx_inh_c -> ctx_c (p 0.5)
    thal_ctx_w=0.0,             # thal_c -> ctx_c (p, 3 ms; cortex=izhikevich with the thalamus): the loop
                                # closed through the cortex (see LOOP); 0: open
    n_snc=64, snc_Hz=4.0,       # dopamine cells; tonic rate (Grace & Bunney 1984: 2-5 Hz pacemaking)
    snc_bias=142.0,             # pA on the SNc cells (membrane as thal, see SNC): ~4 Hz with the noise
                                # (set by hand on seed 1: 140 pA gave 3.7 Hz, 145 pA 4.5 Hz, 210 pA 21 Hz)
    da_tau=200.0,               # ms: the volume's decay; 64 cells x 4 Hz x 0.2 s = 51 spikes in it
    snc_scale=1.0,              # release per spike x this (0: dopamine depleted, the cells still firing)
    seed=1, tag="", out="",
)

# Nucleus: tau_m [ms], R [MOhm], spontaneous current [pA], threshold above rest [mV] (pars.m)
NUC = dict(d1=(25.0, 42.0, -250.0, 30.0), d2=(25.0, 42.0, -250.0, 30.0),
           stn=(6.0, 18.0, 1100.0, 20.0), gpe=(14.0, 88.0, 380.0, 30.0),
           gpi=(8.0, 112.0, 390.0, 30.0))
# Motor thalamus (VA/VL), not in Humphries et al. (2006); our design after the Thalamus of the
# Nengo basal ganglia (Stewart, Choo & Eliasmith 2010: a bias that the GPi output suppresses):
# tau_m 20 ms and R 100 MOhm (C 200 pF, g_L 10 nS) are round values for a relay cell in the range
# of the other nuclei here; threshold 20 mV above rest as the STN's, so the 300 pA bias (R I =
# 30 mV) alone fires it at ~40 Hz (1/(2 ms + 20 ms ln 3)); within-channel GPi inhibition at the
# paper's 3 mV PSP and p (16 inputs at ~30 Hz tonic) holds it near silence.
THAL = (20.0, 100.0, 300.0, 20.0)
# SNc dopamine cells (dopamine=snc), our design: the thalamus's membrane with a bias (snc_bias)
# that the per-step noise turns into irregular firing at ~4 Hz; what matters here is the tonic
# level they keep in the volume, not their own dynamics.
# CX (cortex=izhikevich), our design: per channel ctx_c, 64 `izhikevich` regular_spiking cells
# (Izhikevich 2003), and ctx_inh_c, 16 fast_spiking cells, wired sparsely within the channel
# (e->e p 0.1 weight 2, delays 1-5 ms; e->i p 0.25 weight 2; i->e p 0.5 weight -5: four excitatory
# cells to one inhibitory, as in that network), with a Poisson background (50 Hz of weight 10 per
# cell). The paper raises its cortical cells' rate by the salience; here the salience cells
# drive the layer (p 0.25, weight 15). Set by hand (seed 1, one channel alone): 2.9 Hz at rest,
# 34.9 Hz with +30 Hz of salience, 48.8 Hz with +50 (the paper's cells: 3, 33, 53 Hz). ctx_c then
# projects as the paper's cortex does.
# LOOP (thal_ctx_w > 0, with cortex=izhikevich and the thalamus), our design: each channel's
# thalamus excites its own cortical layer (p as the cortex's, 3 ms: a thalamocortical delay of a
# few ms), which closes the cortex -> basal ganglia -> thalamus -> cortex loop of Alexander,
# DeLong & Strick (1986) channel by channel. thal_ctx_w = 20 (bg_selection_cxloop.json) was set so
# that the released thalamus adds about a quarter to the selected channel's cortex (seeds 1-3:
# 33.7 -> 42.6 Hz); 5 adds a tenth, 40 sets the cortex oscillating at rest on seed 1.
# IZH (striatum=izhikevich), our calibration: the MSNs are izhikevich_book's msn_d1/msn_d2
# (Humphries et al. 2009), dopamine acting through their receptor at phi = dop1 (D1) or dop2 (D2),
# or the level of volume da (dopamine=snc). Cortex drives them through AMPA (w_ampa pA, tau 5 ms)
# and NMDA (tau 160 ms, Mg block) of equal charge at -40 mV (nmda_ratio 1: 160 ms x B(-40 mV)
# 0.23 x 40 mV per nS); w_ampa was set (seed 1, inputs as here: 16 tonic cells at 3 Hz and 16 salience
# cells) so that D1 cells at phi 0.3 fire as the paper's LIF MSNs do here: 0 Hz tonic, 11.7 Hz at
# +30 Hz salience, 38.5 Hz at +50 (LIF: 0, 12.6, 40.4); D2 0, 0.1, 12.4 (LIF 0, 0.2, 7.8). FSIs
# (izhikevich_book fast_spiking, the book's cell) take the cortex at w_fsi (0, 38, 56 Hz) and inhibit
# every MSN of their channel (w_fsi_msn: D1 at +30 Hz 11.6 -> 9.2 Hz before w_ampa was raised from 55).
# The output weights onto GPe/GPi are the paper's, since the MSN rates match. The calibration
# ran without the MSN noise (msn_noise_mV), added afterwards: in the circuit D1 fires 11.2 Hz at
# +30 Hz of salience with it (seed 1), 11.0 without.
TAU_AMPA, TAU_GABA, PSP = 2.0, 3.0, 3.0      # ms, ms, mV (pars.m)
DT = 0.1                                      # ms (pars.m dt = 0.0001 s)
# Delays [ms] (pars.m); relative weights (pars.m)
DELAY = {"d1>gpi": 4.0, "d2>gpe": 5.0, "stn>gpe": 2.0, "stn>gpi": 1.5, "gpe>stn": 4.0,
         "gpe>gpi": 3.0, "gpe>gpe": 1.0, "gpi>gpi": 1.0, "ctx>d1": 10.0, "ctx>d2": 10.0,
         "ctx>stn": 2.5, "gpi>thal": 1.0, "thal>ctx": 3.0}
REL = {"d1>gpi": 4.0, "d2>gpe": 4.0, "stn>gpe": 1.0, "stn>gpi": 1.0, "gpe>stn": 1.0,
       "gpe>gpi": 1.0, "gpe>gpe": 1.0, "gpi>gpi": 1.0, "ctx>d1": 1.0, "ctx>d2": 1.0,
       "ctx>stn": 1.0, "gpi>thal": 1.0}


def membrane(nuc, p=None):
    """tau_m [ms], R [MOhm], bias current [pA], threshold above rest [mV]."""
    if nuc == "snc":
        return (THAL[0], THAL[1], p["snc_bias"], THAL[3])
    return THAL if nuc == "thal" else NUC[nuc]


def v_ref(nuc, p):
    """Potential [mV above rest] at which a conductance synapse gives the paper's current-based
    PSP: the middle of reset..threshold for the tonically firing STN, GPe, GPi (and the
    thalamus); the resting level I_spon*R (-10.5 mV) for the silent MSNs."""
    tau, R, I, th = membrane(nuc)
    return I * R * 1e-3 if nuc in ("d1", "d2") else p["vref_frac"] * th


def psp_weight(nuc, tau_s, E_rev, p):
    """Conductance [nS] whose PSP on `nuc` peaks at 3 mV, the synaptic current linearised at
    V_ref: g(t) = w exp(-t/tau_s) gives I = w |E_rev - V_ref| exp(-t/tau_s); for a current jump J
    on a membrane (tau_m, C) the PSP is J/C tau_m tau_s/(tau_m - tau_s) (e^-t/tau_m - e^-t/tau_s),
    peaking at t* = ln(tau_m/tau_s) tau_m tau_s/(tau_m - tau_s) (PSPtoPSC.m, 'step')."""
    tau_m, R, _, _ = membrane(nuc)
    C = tau_m / R * 1e3                                  # pF (ms / MOhm = nF)
    ts = tau_m * tau_s / (tau_m - tau_s) * math.log(tau_m / tau_s)
    peak_per_pA = 1.0 / C * tau_m * tau_s / (tau_m - tau_s) * (math.exp(-ts / tau_m) - math.exp(-ts / tau_s))
    drive = abs(E_rev - (p["E_L"] + v_ref(nuc, p)))      # mV
    return PSP / peak_per_pA / drive                     # pA / mV = nS


def dopamine(p):
    """Weight factors of dopamine (BG_net_shunt_AMPA_NMDA.m; pars.m stnda = [0.25 0.5 0],
    gpeda = [0.5 0.5]); stnda(3) = 0 leaves the STN's tonic current unscaled."""
    d1, d2 = p["dop1"], p["dop2"]
    if p["dopamine"] == "snc":   # the MSNs' factors come from the volume, through their receptors
        return {"ctx>stn": 1 - 0.25 * d2,
                "gpe>stn": 1 - 0.5 * d2, "d2>gpe": 1 - 0.5 * d2, "stn>gpe": 1 - 0.5 * d2}
    return {"ctx>d1": 1 + d1, "ctx>d2": 1 - d2, "ctx>stn": 1 - 0.25 * d2,
            "gpe>stn": 1 - 0.5 * d2, "d2>gpe": 1 - 0.5 * d2, "stn>gpe": 1 - 0.5 * d2}


def msn_count(p):
    return int(p["n_msn"]) or int(p["n"])


def synapse(path, p):
    src, tgt = path.split(">")
    inhibitory = src in ("d1", "d2", "gpe", "gpi")
    E = p["E_L"] - p["floor"] if inhibitory else 0.0
    w = REL[path] * dopamine(p).get(path, 1.0) * psp_weight(tgt, TAU_GABA if inhibitory else TAU_AMPA, E, p)
    if src in ("d1", "d2"):
        w *= int(p["n"]) / msn_count(p)
    return {"weight": round(w, 5), "delay_ms": DELAY[path],
            "receptor": "inhibitory" if inhibitory else "excitatory"}


def neuron(nuc, p):
    tau, R, I, th = membrane(nuc, p)
    scale = p.get(f"w_{nuc}_spon", 1.0)
    return {"C_m": round(tau / R * 1e3, 4), "g_L": round(1e3 / R, 4), "E_L": p["E_L"],
            "E_ex": 0.0, "E_in": p["E_L"] - p["floor"], "V_th": p["E_L"] + th,
            "V_reset": p["E_L"], "t_ref": 2.0, "tau_syn_ex": TAU_AMPA, "tau_syn_in": TAU_GABA,
            "I_e": I * scale, "V_init": p["E_L"], "scheme": p["scheme"]}


def noise_std(nuc, p):
    """A current N(0, s) held over one step moves V by R (1 - e^(-dt/tau_m)) s: the paper's
    N(0, 0.3 mV) per step (GHS_LIF_solver: m += RNOR * sigma)."""
    tau, R, _, _ = membrane(nuc, p)
    return round(p["sigma_mV"] / (R * 1e-3 * (1 - math.exp(-DT / tau))), 2)   # mV / GOhm = pA


def noise_params(nuc, p):
    params = {"mean": 0.0, "std": noise_std(nuc, p)}
    if p["normal"] != "box_muller":
        params["normal"] = p["normal"]
    return params


def proj(src, tgt, path, prob, p, autapses=True):
    pr = {"name": f"{src}->{tgt}", "source": src, "target": tgt, "rule": "fixed_probability",
          "p": round(prob, 6), "synapse": synapse(path, p)}
    if not autapses:
        pr["allow_autapses"] = False
    return pr


def nuclei(p):
    C, n, q = int(p["channels"]), int(p["n"]), p["p"]
    pops, proj_, stim = {}, [], []
    for c in range(C):
        for nuc in NUC:
            size = msn_count(p) if nuc in ("d1", "d2") else n
            if nuc in ("d1", "d2") and p["striatum"] == "izhikevich":
                pops[f"{nuc}_{c}"] = izhikevich_msn(nuc, size, p)
                if p["msn_noise_mV"] > 0:
                    # a current held over one step moves v by I dt / C: the nuclei's N(0, sigma) per step
                    std = p["msn_noise_mV"] * 15.2 / DT   # pA (C = 15.2 pF, msn_d1/msn_d2)
                    noise = {"mean": 0.0, "std": round(std, 2)}
                    if p["normal"] != "box_muller":
                        noise["normal"] = p["normal"]
                    stim.append({"name": f"noise_{nuc}_{c}", "model": "noise_current",
                                 "target": f"{nuc}_{c}", "params": noise})
                continue
            pops[f"{nuc}_{c}"] = {"model": "lif_cond_exp", "size": size, "params": neuron(nuc, p),
                                  "initial": {"V_m": {"uniform": [p["E_L"], p["E_L"] + 10]}}}
            if nuc in ("d1", "d2") and p["dopamine"] == "snc":
                pops[f"{nuc}_{c}"]["params"].update(
                    {"dopamine_receptor": nuc.upper(), "d1_beta": 1.0, "d2_beta": 1.0})
                pops[f"{nuc}_{c}"]["neuromodulator"] = "da"
            stim.append({"name": f"noise_{nuc}_{c}", "model": "noise_current",
                         "target": f"{nuc}_{c}", "params": noise_params(nuc, p)})
        if p["striatum"] == "izhikevich":
            pops[f"fsi_{c}"] = {"model": "izhikevich_book", "preset": "fast_spiking", "size": int(p["n_fsi"])}
            for t in ("d1", "d2"):
                proj_.append({"name": f"fsi_{c}->{t}_{c}", "source": f"fsi_{c}", "target": f"{t}_{c}",
                              "rule": "all_to_all",
                              "synapse": {"weight": p["w_fsi_msn"], "delay_ms": 1.0, "receptor": "inhibitory"}})
    for c in range(C):   # within a channel, p_connect
        for s, t in (("d1", "gpi"), ("d2", "gpe"), ("gpe", "stn"), ("gpe", "gpi")):
            proj_.append(proj(f"{s}_{c}", f"{t}_{c}", f"{s}>{t}", q, p))
    for a in range(C):   # diffuse: p_connect / channels to every channel, no self-connections
        for b in range(C):
            for s, t in (("stn", "gpe"), ("stn", "gpi"), ("gpe", "gpe"), ("gpi", "gpi")):
                proj_.append(proj(f"{s}_{a}", f"{t}_{b}", f"{s}>{t}", q / C, p, autapses=(s != t)))
    desc = DESC_NUCLEI.format(**p, n_total=C * (3 * n + 2 * msn_count(p)))
    if p["striatum"] == "izhikevich":
        desc += DESC_IZH.format(**p)
    if msn_count(p) != n:
        desc += (f" Scaled striatum: {msn_count(p)} D1 and {msn_count(p)} D2 cells per channel, each with the cortical "
                 f"input of the {n}-cell original; their output weights x {n}/{msn_count(p)}, so that a GPe or GPi "
                 "cell receives the same mean inhibition from p x as many cells.")
    return {"name": "bg_nuclei", "description": desc,
            "populations": pops, "projections": proj_, "stimuli": stim}


def thalamus(p):
    C, n = int(p["channels"]), int(p["n"])
    pops, proj_, stim = {}, [], []
    for c in range(C):
        pops[f"thal_{c}"] = {"model": "lif_cond_exp", "size": n, "params": neuron("thal", p),
                             "initial": {"V_m": {"uniform": [p["E_L"], p["E_L"] + 10]}}}
        stim.append({"name": f"noise_thal_{c}", "model": "noise_current", "target": f"thal_{c}",
                     "params": noise_params("thal", p)})
        proj_.append(proj(f"gpi_{c}", f"thal_{c}", "gpi>thal", p["p"], p))
    return {"name": "bg_thalamus", "description": DESC_THALAMUS.format(**p), "populations": pops,
            "projections": proj_, "stimuli": stim}


def dopamine_part(p):
    """The SNc and the volume it drives (dopamine=snc): tonic level = dop1."""
    n = int(p["n_snc"])
    inc = p["dop1"] / (n * p["snc_Hz"] * p["da_tau"] * 1e-3)
    return {"name": "bg_dopamine", "description": DESC_DOPAMINE.format(**p, inc=inc),
            "populations": {"snc": {"model": "lif_cond_exp", "size": n, "params": neuron("snc", p),
                                    "initial": {"V_m": {"uniform": [p["E_L"], p["E_L"] + 10]}}}},
            "stimuli": [{"name": "noise_snc", "model": "noise_current", "target": "snc",
                         "params": noise_params("snc", p)}],
            "neuromodulators": {"da": {"type": "dopamine", "source": "snc", "tonic_rate_Hz": p["snc_Hz"],
                                       "initial": "tonic",
                                       "params": {"tau_ms": p["da_tau"], "baseline": 0.0,
                                                  "spike_increment": round(inc * p["snc_scale"], 9),
                                                  "delay_ms": 1.0}}}}


def izhikevich_msn(nuc, size, p):
    """An MSN population of the izhikevich striatum (see IZH)."""
    pop = {"model": "izhikevich_book", "preset": f"msn_{nuc}", "size": size, "params": {}}
    if p["dopamine"] == "snc":
        pop["neuromodulator"] = "da"   # phi = the level (linear, phi_gain 1)
    else:
        pop["params"]["phi"] = p["dop1"] if nuc == "d1" else p["dop2"]
    return pop


def cortex_projections(src, c, p):
    if p["striatum"] != "izhikevich":
        return [proj(src, f"{t}_{c}", f"ctx>{t}", p["p"], p) for t in ("d1", "d2", "stn")]
    # NMDA conductance [nS] of the AMPA charge x nmda_ratio at -40 mV (see IZH)
    w_nmda = p["w_ampa"] * 5.0 / (160.0 * 0.23 * 40.0) * p["nmda_ratio"]
    out = [proj(src, f"stn_{c}", "ctx>stn", p["p"], p)]
    for t, receptor, w in (("d1", "excitatory", p["w_ampa"]), ("d2", "excitatory", p["w_ampa"]),
                           ("d1", "nmda", w_nmda), ("d2", "nmda", w_nmda),
                           ("fsi", "excitatory", p["w_fsi"])):
        out.append({"name": f"{src}->{t}_{c}" + (":nmda" if receptor == "nmda" else ""),
                    "source": src, "target": f"{t}_{c}", "rule": "fixed_probability", "p": p["p"],
                    "synapse": {"weight": round(w, 6), "delay_ms": DELAY["ctx>d1"], "receptor": receptor}})
    return out


def cortex(p):
    C, n = int(p["channels"]), int(p["n"])
    pops, proj_, stim = {}, [], []
    for c in range(C):
        if p["cortex"] == "izhikevich":
            e, i = f"ctx_{c}", f"ctx_inh_{c}"
            pops[e] = {"model": "izhikevich", "preset": "regular_spiking", "size": n}
            pops[i] = {"model": "izhikevich", "preset": "fast_spiking", "size": n // 4}
            proj_ += [
                {"name": f"{e}->{e}", "source": e, "target": e, "rule": "fixed_probability", "p": 0.1,
                 "allow_autapses": False,
                 "synapse": {"weight": p["cx_w_ee"], "delay_ms": {"uniform_int": [1, 5]}}},
                {"name": f"{e}->{i}", "source": e, "target": i, "rule": "fixed_probability", "p": 0.25,
                 "synapse": {"weight": p["cx_w_ee"], "delay_ms": 1.0}},
                {"name": f"{i}->{e}", "source": i, "target": e, "rule": "fixed_probability", "p": 0.5,
                 "synapse": {"weight": p["cx_w_ie"], "delay_ms": 1.0}}]
            stim += [{"name": f"background_{t}", "model": "poisson_input", "target": t,
                      "params": {"rate_Hz": p["cx_bg_Hz"], "weight": p["cx_bg_w"]}} for t in (e, i)]
        else:
            pops[f"ctx_{c}"] = {"model": "poisson_source", "size": n, "params": {"rate_Hz": p["tonic_Hz"]}}
        proj_ += cortex_projections(f"ctx_{c}", c, p)
    doc = {"name": "bg_cortex", "description": DESC_CORTEX.format(**p), "populations": pops,
           "projections": proj_}
    if p["cortex"] == "izhikevich":
        doc["description"] = DESC_CX.format(**p)
        doc["stimuli"] = stim
    return doc


def top(p, tag, parts_tag=None):
    """The top file bg_selection<tag>; it includes the parts written under parts_tag (default: tag)."""
    C, n = int(p["channels"]), int(p["n"])
    pops, proj_ = {}, []
    for c, (s, t) in enumerate(((p["s1"], p["t1"]), (p["s2"], p["t2"]))):
        pops[f"sal_{c}"] = {"model": "poisson_source", "size": n,
                            "params": {"rate_Hz": 0.0, "rate_times_ms": [t], "rate_values_Hz": [s]}}
        if p["cortex"] == "izhikevich":   # the salience drives the channel's cortical layer
            proj_.append({"name": f"sal_{c}->ctx_{c}", "source": f"sal_{c}", "target": f"ctx_{c}",
                          "rule": "fixed_probability", "p": p["p"],
                          "synapse": {"weight": p["cx_w_sal"], "delay_ms": 1.0}})
        else:
            proj_ += cortex_projections(f"sal_{c}", c, p)
    if p["thal_ctx_w"] > 0:   # the loop closed: each channel's thalamus drives its own cortex (LOOP)
        if p["cortex"] != "izhikevich" or not p["thalamus"]:
            raise SystemExit("thal_ctx_w needs cortex=izhikevich and the thalamus")
        proj_ += [{"name": f"thal_{c}->ctx_{c}", "source": f"thal_{c}", "target": f"ctx_{c}",
                   "rule": "fixed_probability", "p": p["p"],
                   "synapse": {"weight": p["thal_ctx_w"], "delay_ms": DELAY["thal>ctx"]}}
                  for c in range(C)]
    parts = list(NUC) + (["thal"] if p["thalamus"] else []) + (["fsi"] if p["striatum"] == "izhikevich" else [])
    parts += ["ctx"] if p["cortex"] == "izhikevich" else []
    rec = [{"name": f"{nuc}_{c}", "type": "spikes", "population": f"{nuc}_{c}"}
           for nuc in parts for c in range(C)]
    if p["dopamine"] == "snc":
        rec += [{"name": "snc", "type": "spikes", "population": "snc"},
                {"name": "da", "type": "neuromodulator", "neuromodulator": "da", "interval_ms": 1.0}]
    pt = tag if parts_tag is None else parts_tag
    include = [f"bg/nuclei{pt}.json", f"bg/cortex{pt}.json"]
    if p["thalamus"]:
        include.append(f"bg/thalamus{pt}.json")
    if p["dopamine"] == "snc":
        include.append(f"bg/dopamine{pt}.json")
    desc = DESC_TOP.format(**p) + (DESC_LOOP.format(**p) if p["thal_ctx_w"] > 0 else "")
    return {"name": "bg_selection" + tag, "description": desc,
            "include": include,
            "resolution_ms": DT, "seed": int(p["seed"]), "duration_ms": p["duration"],
            "populations": pops, "projections": proj_, "recorders": rec}


DESC_NUCLEI = ("Spiking basal ganglia of Humphries, Stewart & Gurney (2006, J Neurosci 26:12921; ModelDB 83559 pars.m and "
    "BG_net_shunt_AMPA_NMDA.m), generated by tools/make_bg_humphries.py (every number's source there): {channels} channels x "
    "5 nuclei (d1, d2, stn, gpe, gpi; gpi stands for GPi/SNr) x {n:g} lif_cond_exp cells ({n_total} cells), dt 0.1 ms. Membranes "
    "from the paper's tau_m and R (C_m = tau_m/R, g_L = 1/R): MSN 25 ms/42 MOhm, STN 6/18, GPe 14/88, GPi 8/112; threshold "
    "30 mV above rest (STN 20), reset to rest, 2 ms refractory; tonic currents MSN -250 pA, STN 1100 x {w_stn_spon:g}, GPe "
    "380 x {w_gpe_spon:g}, GPi 390 x {w_gpi_spon:g} pA (scaled to the code's target 30-30-12 Hz for GPe-GPi-STN); noise "
    "N(0, 0.3 mV) per step as a held current. GABA reverses 20 mV below rest (E_in = E_L - 20, for the paper's -20 mV "
    "floor); AMPA at 0 mV. Weights: relative weight x the conductance giving a 3 mV PSP (tau_AMPA 2, tau_GABAa 3 ms) at "
    "2/3 of threshold (tonic cells) or at rest (MSN). Within a channel p = {p:g}: d1-|gpi (x4, 4 ms), d2-|gpe (x4, 5 ms), "
    "gpe-|stn (4 ms), gpe-|gpi (3 ms); diffuse p/{channels:g} to every channel: stn->gpe (2 ms), stn->gpi (1.5 ms), "
    "gpe-|gpe, gpi-|gpi (1 ms, no autapses). Dopamine dop1 = {dop1:g}, dop2 = {dop2:g}: d2-|gpe and stn->gpe x (1 - 0.5 dop2), "
    "gpe-|stn x (1 - 0.5 dop2). Not modelled: shunting (proximal/somatic) inhibition, the STN rebound current, NMDA, "
    "per-cell 10 % spread of tau_m and R.")
DESC_CORTEX = ("Tonic cortical input of Humphries et al. (2006; pars.m 'vivo', tonic_rate 3 Hz): ctx_c, {n:g} Poisson cells per "
    "channel at {tonic_Hz:g} Hz, each to d1_c, d2_c, stn_c with p = {p:g} (3 mV AMPA PSP; delays 10, 10, 2.5 ms); dopamine "
    "dop1 = {dop1:g}, dop2 = {dop2:g}: ctx->d1 x (1 + dop1), ctx->d2 x (1 - dop2), ctx->stn x (1 - 0.25 dop2). "
    "tools/make_bg_humphries.py.")
DESC_THALAMUS = ("Motor thalamus gated by the basal-ganglia output, our design after the Thalamus of the Nengo basal ganglia "
    "(Stewart, Choo & Eliasmith 2010: a bias that the GPi output suppresses; not part of Humphries et al. 2006): thal_c, "
    "{n:g} lif_cond_exp cells per channel, tau_m 20 ms, R 100 MOhm (C_m 200 pF, g_L 10 nS), threshold 20 mV above rest, "
    "bias 300 pA (~40 Hz alone), noise N(0, {sigma_mV:g} mV) per step; gpi_c -| thal_c within the channel, p = {p:g}, the "
    "conductance of a 3 mV GABAa PSP at 2/3 of threshold, 1 ms. tools/make_bg_humphries.py.")
DESC_IZH = (" Striatum replaced (striatum=izhikevich): d1_c, d2_c are izhikevich_book msn_d1/msn_d2 cells (Humphries et al. "
    "2009; dopamine on their excitability at phi = dop1/dop2, or the level of volume da), no noise; fsi_c, {n_fsi:g} "
    "izhikevich_book fast_spiking cells per channel, inhibit every MSN of the channel ({w_fsi_msn:g} pA, 1 ms); cortex -> MSN "
    "AMPA {w_ampa:g} pA and NMDA of equal charge at -40 mV, cortex -> FSI {w_fsi:g} pA (p = {p:g}, 10 ms); calibrated so that the "
    "MSNs fire as the LIF MSNs do (see tools/make_bg_humphries.py, IZH).")
DESC_DOPAMINE = ("The SNc and its dopamine for the basal ganglia of Humphries et al. (2006), our design: snc, {n_snc:g} "
    "lif_cond_exp cells (tau_m 20 ms, R 100 MOhm, threshold 20 mV above rest, bias {snc_bias:g} pA, noise N(0, {sigma_mV:g} mV) "
    "per step: irregular ~{snc_Hz:g} Hz), drive volume da (tau {da_tau:g} ms, {inc:.6g} x {snc_scale:g} per spike, delay "
    "1 ms: tonic level {dop1:g} at {snc_Hz:g} Hz), which d1_c and d2_c read through their D1/D2 receptor (excitatory "
    "conductance jumps x (1 + level) and x (1 - level): the paper's 1 + dop1, 1 - dop2 on the cortical weights). "
    "tools/make_bg_humphries.py.")
DESC_CX = ("A cortex for the basal ganglia of Humphries et al. (2006), our design: per channel ctx_c, {n:g} izhikevich "
    "regular_spiking cells, and ctx_inh_c, a quarter as many fast_spiking cells (Izhikevich 2003), wired within the channel "
    "(e->e p 0.1, weight {cx_w_ee:g}, 1-5 ms; e->i p 0.25, {cx_w_ee:g}; i->e p 0.5, {cx_w_ie:g}), with a Poisson background "
    "({cx_bg_Hz:g} Hz of weight {cx_bg_w:g} per cell): 2.9 Hz at rest, as the paper's 3 Hz cells; the salience cells drive "
    "it (p {p:g}, weight {cx_w_sal:g}: 35 and 49 Hz at +30 and +50 Hz). ctx_c projects to d1_c, d2_c, stn_c as the paper's "
    "cortex does. tools/make_bg_humphries.py (CX).")
DESC_LOOP = (" The loop is closed through the cortex: thal_c excites ctx_c (p {p:g}, weight {thal_ctx_w:g}, 3 ms), so "
    "that the released thalamus raises the selected channel's cortex (seeds 1-3: 33.7 -> 42.6 Hz). The selection is then "
    "weaker, not sharper: a rhythm near 30 Hz runs round the loop, the channel's D1 cells fire together, and the winner's "
    "GPi falls to 0.88 of its tonic rate instead of 0.57, while a larger salience that brings the open loop's cortex to "
    "the same rate selects as deeply as before (docs/basal_ganglia.md, 'The loop closed through the cortex').")
DESC_TOP = ("Selection in the spiking basal ganglia of Humphries, Stewart & Gurney (2006): includes bg/nuclei and bg/cortex "
    "(tonic dopamine dop1 = {dop1:g}, dop2 = {dop2:g}) and adds salience cells sal_0 and sal_1 ({n:g} Poisson cells each, "
    "wired as the cortex) that add {s1:g} Hz per cell to channel 0 from {t1:g} ms and {s2:g} Hz to channel 1 from {t2:g} ms. "
    "Generated by tools/make_bg_humphries.py. Measured at dop 0.3 (seed 1): tonic STN 13.7, GPe 31.9, GPi 30.1 Hz, MSNs 0 Hz "
    "(seeds 1-3: 13.0-14.1, 31.9-32.9, 30.0-30.5); s1 = 30 alone drives gpi_0 from 27 to 8 Hz while gpi_1 rises from 24 "
    "to 35 Hz; s2 = 50 then drives gpi_1 to 4 Hz and gpi_0 back to 13 Hz (the winner switches, the first channel is only "
    "partly released). At dop 0 (bg_selection_depleted.json) no channel is selected. With bg/thalamus included, the "
    "output gates a motor thalamus: thal_0 0.7 -> 20 Hz when channel 0 is selected, thal_1 0.9 -> 30 Hz when channel 1 "
    "takes over (seed 1).")


def parse(args):
    p, rest = overrides(P, args)
    if rest:
        sys.exit(f"make_bg_humphries.py: expected key=value, got {' '.join(rest)}")
    return p


def write(p, parts_tag=None):
    """The top file and its parts; with parts_tag, only the top file, which includes the parts
    already written under that tag (the same parts: the top file adds its own projections)."""
    lib = p["out"] or os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "networks", "library")
    tag = "_" + p["tag"] if p["tag"] else ""
    os.makedirs(os.path.join(lib, "bg"), exist_ok=True)
    if parts_tag is not None:
        with open(os.path.join(lib, f"bg_selection{tag}.json"), "w") as f:
            json.dump(top(p, tag, "_" + parts_tag), f, indent=1)
        return
    parts = [(f"bg/nuclei{tag}.json", nuclei(p)), (f"bg/cortex{tag}.json", cortex(p)),
             (f"bg_selection{tag}.json", top(p, tag))]
    if p["thalamus"]:
        parts.append((f"bg/thalamus{tag}.json", thalamus(p)))
    if p["dopamine"] == "snc":
        parts.append((f"bg/dopamine{tag}.json", dopamine_part(p)))
    for path, doc in parts:
        with open(os.path.join(lib, path), "w") as f:
            json.dump(doc, f, indent=1)


if __name__ == "__main__":
    if len(sys.argv) > 1:
        write(parse(sys.argv[1:]))
    else:   # the library: tonic dopamine 0.3 and its depleted variant (dop 0); the same with
            # the striatum's dopamine from an SNc, and with that SNc's dopamine depleted; the striatum of
    # Izhikevich MSNs and FSIs, and the same at dop 0; the recurrent Izhikevich cortex
        write(parse([]))
        write(parse(["tag=depleted", "dop1=0", "dop2=0"]))
        write(parse(["tag=snc", "dopamine=snc"]))
        write(parse(["tag=snc_depleted", "dopamine=snc", "snc_scale=0", "dop2=0"]))
        write(parse(["tag=izh", "striatum=izhikevich"]))
        write(parse(["tag=izh_depleted", "striatum=izhikevich", "dop1=0", "dop2=0"]))
        write(parse(["tag=cx", "cortex=izhikevich"]))
        write(parse(["tag=cxloop", "cortex=izhikevich", "thal_ctx_w=20"]), parts_tag="cx")
