"""Figures of the distributional-TD experiments (tasks/distributional).

Every run folder holds value.npy [trials, T, P], delta.npy [trials, T-1, P],
reward.npy [trials, T], time_s.npy [T], trials.csv (the trial of each row of
the .npy files) and, for the distributional bank, predictors.csv (tau,
tau_effective, alpha_plus, alpha_minus, gamma, lambda per predictor).

delta[:, k] is the error of the transition from step k to step k+1, so the
heat maps draw it between time_s[k] and time_s[k+1]: the cue response sits
just before the cue line, the reward response just after the reward line.
"""
import numpy as np
import pandas as pd
import matplotlib.pyplot as plt
from matplotlib import colors
from matplotlib.animation import FuncAnimation, PillowWriter

GIF_FRAMES = 60  # at most; spread evenly over the written trials


def load(folder):
    run = {
        "value": np.load(folder / "value.npy"),
        "delta": np.load(folder / "delta.npy"),
        "reward": np.load(folder / "reward.npy"),
        "time": np.load(folder / "time_s.npy"),
        "trials": pd.read_csv(folder / "trials.csv"),
    }
    path = folder / "predictors.csv"
    run["predictors"] = pd.read_csv(path) if path.is_file() else None
    return run


def params(manifest):
    return manifest["description"]["experiment"]["params"]


def step_of(time_s, dt_s):
    """The step that holds trial time t: round(t/dt) - 1 (half to even, as the simulator)."""
    return int(np.round(time_s / dt_s)) - 1


def colouring(run, key):
    """A colour per predictor from its constant `key`, with the norm for a colour bar."""
    if run["predictors"] is None:
        return ["#08519c"], None
    x = run["predictors"][key].to_numpy()
    lo, hi = float(x.min()), float(x.max())
    if hi == lo:
        lo, hi = lo - 0.5, hi + 0.5
    norm = colors.Normalize(lo, hi)
    return [plt.cm.viridis(norm(v)) for v in x], norm


LABELS = {
    "tau": "asymmetry τ = α⁺/(α⁺+α⁻)",
    "gamma": "discount γ (per s)",
    "lambda": "trace decay λ (per s)",
}


def colour_bar(fig, ax, norm, key):
    if fig is not None and norm is not None:
        fig.colorbar(plt.cm.ScalarMappable(norm=norm, cmap="viridis"), ax=ax, label=LABELS[key])


def event_lines(ax, times, labels):
    """Dashed lines at the cue and reward times, labelled inside the top of the axes."""
    for t, label in zip(times, labels):
        ax.axvline(t, color="0.35", ls="--", lw=0.8)
        ax.text(t, 0.99, f"{label} ", transform=ax.get_xaxis_transform(), va="top", ha="right",
                rotation=90, fontsize=8, color="0.2",
                bbox=dict(facecolor="white", edgecolor="none", alpha=0.7, pad=1))


def smooth(y, window):
    """Running mean along the first axis over `window` rows (shorter at the ends)."""
    if window <= 1:
        return y
    kernel = np.ones(window)
    num = np.apply_along_axis(lambda c: np.convolve(c, kernel, mode="same"), 0, y)
    den = np.convolve(np.ones(len(y)), kernel, mode="same")
    return num / (den[:, None] if y.ndim > 1 else den)


def value_across_trials(run, step, key, ax, fig, title, rows=None, expected=None, window=1):
    """V at one step, one line per predictor over trials (numbered from 1), coloured by its
    constant `key`; with window > 1 the raw trace is faint and its running mean drawn on it."""
    trials = run["trials"]["trial"].to_numpy() + 1
    rows = np.arange(len(trials)) if rows is None else rows
    cols, norm = colouring(run, key)
    x = trials[rows]
    v = run["value"][rows, step, :]
    shown = smooth(v, window)
    for i in range(v.shape[1]):
        c = cols[i % len(cols)]
        if window > 1:
            ax.plot(x, v[:, i], color=c, lw=0.4, alpha=0.25)
        ax.plot(x, shown[:, i], color=c, lw=1.0, alpha=0.9)
    if expected is not None:
        for i, e in enumerate(expected):
            ax.plot([1.0], [e], marker="<", ms=5, color=cols[i % len(cols)], clip_on=False,
                    transform=ax.get_yaxis_transform())
    ax.set_title(title, fontsize=10)
    ax.set_xlabel("trial")
    colour_bar(fig, ax, norm, key)


def pick_predictors(run, key):
    """The predictors with the smallest, the median and the largest constant `key`."""
    if run["predictors"] is None:
        return [0]
    order = np.argsort(run["predictors"][key].to_numpy(), kind="stable")
    picks = [order[0], order[len(order) // 2], order[-1]]
    return list(dict.fromkeys(int(i) for i in picks))


def delta_heatmaps(run, key, events, out, name, title, rows=None):
    """δ over trials × time for the predictors of smallest, median and largest `key`.

    Each panel has its own symmetric colour scale, cut at the 99.5th percentile
    of |δ|: the cue response of a short-sighted predictor is a hundredth of the
    first reward responses, which a shared or uncut scale would hide. The
    arrows of a colour bar mark the cut."""
    picks = pick_predictors(run, key)
    trials = run["trials"]["trial"].to_numpy() + 1
    rows = np.arange(len(trials)) if rows is None else rows
    d = run["delta"][rows]
    fig, axes = plt.subplots(1, len(picks), figsize=(4.3 * len(picks), 4.4), sharey=True,
                             squeeze=False, layout="constrained")
    axes = axes[0]
    # Cell edges: δ(k) spans time_s[k] … time_s[k+1]; a row spans its trial to
    # the next written one.
    t_edges = run["time"]
    y = trials[rows].astype(float)
    y_edges = np.append(y, y[-1] + (y[-1] - y[-2] if len(y) > 1 else 1.0))
    for ax, i in zip(axes, picks):
        limit = float(np.percentile(np.abs(d[:, :, i]), 99.5))
        peak = float(np.abs(d[:, :, i]).max())
        limit = limit if limit > 0 else (peak if peak > 0 else 1.0)
        norm = colors.TwoSlopeNorm(vmin=-limit, vcenter=0.0, vmax=limit)
        mesh = ax.pcolormesh(t_edges, y_edges, d[:, :, i], cmap="RdBu_r", norm=norm, shading="flat",
                             rasterized=True)
        event_lines(ax, *events)
        if run["predictors"] is not None:
            p = run["predictors"].iloc[i]
            ax.set_title(f"predictor {i}: τ = {p.tau:.2f}, γ = {p.gamma:.2f}/s", fontsize=9)
        ax.set_xlabel("time in trial (s)")
        fig.colorbar(mesh, ax=ax, label="TD error δ" if ax is axes[-1] else None, shrink=0.9,
                     extend="both" if peak > limit else "neither")
    axes[0].invert_yaxis()
    axes[0].set_ylabel("trial")
    fig.suptitle(title, fontsize=11)
    path = out / name
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def animation(run, key, events, out, name, title, n_trials):
    """An animated GIF of V(t), r(t) and δ(t) over the written trials of a run of n_trials.

    δ(k) is drawn as a step from time_s[k] to time_s[k+1], the transition it
    belongs to, as in the heat maps."""
    trials = run["trials"]["trial"].to_numpy()
    n = len(trials)
    frames = np.unique(np.linspace(0, n - 1, min(GIF_FRAMES, n)).round().astype(int))
    t = run["time"]
    cols, norm = colouring(run, key)
    v, d, r = run["value"], run["delta"], run["reward"]
    P = v.shape[2]

    fig, (av, ar, ad) = plt.subplots(3, 1, figsize=(7.0, 6.6), sharex=True, layout="constrained",
                                     gridspec_kw={"height_ratios": [3, 1.2, 3]})
    pad = lambda lo, hi: (lo - 0.05 * (hi - lo + 1e-12), hi + 0.05 * (hi - lo + 1e-12))
    av.set_ylim(*pad(min(0.0, v.min()), v.max()))
    ad.set_ylim(*pad(d.min(), d.max()))
    ar.set_ylim(*pad(0.0, max(r.max(), 1e-12)))
    value_lines = [av.plot(t, v[0, :, i], color=cols[i % len(cols)], lw=1)[0] for i in range(P)]
    steps = lambda y: np.append(y, y[-1])  # one value per transition, held to its end
    delta_lines = [ad.plot(t, steps(d[0, :, i]), color=cols[i % len(cols)], lw=1, drawstyle="steps-post")[0]
                   for i in range(P)]
    reward_bars = ar.bar(t, r[0], width=0.8 * (t[1] - t[0]), color="#d95f02")
    for ax in (av, ar, ad):
        for time_s in events[0]:
            ax.axvline(time_s, color="0.5", ls="--", lw=0.7)
    ad.axhline(0.0, color="0.3", lw=0.6)
    av.set_ylabel("value V(t)")
    ar.set_ylabel("reward r(t)")
    ad.set_ylabel("TD error δ(t → t+dt)")
    ad.set_xlabel("time in trial (s)")
    if norm is not None:
        fig.colorbar(plt.cm.ScalarMappable(norm=norm, cmap="viridis"), ax=[av, ar, ad], label=LABELS[key],
                     shrink=0.6)
    heading = fig.suptitle("", fontsize=10)

    def draw(j):
        for i in range(P):
            value_lines[i].set_ydata(v[j, :, i])
            delta_lines[i].set_ydata(steps(d[j, :, i]))
        for bar, h in zip(reward_bars, r[j]):
            bar.set_height(h)
        row = run["trials"].iloc[j]
        extra = " (omission probe)" if row.omission else ""
        heading.set_text(f"{title}: trial {int(row.trial) + 1} of {n_trials}{extra}")
        return value_lines + delta_lines + list(reward_bars) + [heading]

    # Lay the figure out once: constrained layout would redo it for every frame.
    draw(frames[-1])
    fig.canvas.draw()
    fig.set_layout_engine("none")
    anim = FuncAnimation(fig, draw, frames=frames, blit=False)
    path = out / name
    anim.save(path, writer=PillowWriter(fps=6), dpi=85)
    plt.close(fig)
    return path


# Per experiment ---------------------------------------------------------------


def save(fig, path):
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def cue_reward(folder, manifest, out):
    run, s, p = load(folder), manifest["summary"], params(manifest)
    events = ([p["cue_time_s"], p["reward_time_s"]], ["cue", "reward"])
    delay = p["reward_time_s"] - p["cue_time_s"]
    expected = [q["value_at_cue_expected"] for q in s["predictors"]]
    fig, ax = plt.subplots(figsize=(7, 4.2), layout="constrained")
    value_across_trials(run, s["cue_step"], "gamma", ax, fig,
                        f"Value at the cue ({p['cue_time_s']:g} s) across trials; "
                        f"◂ target r·γ^({delay:g} s)",
                        expected=expected)
    ax.set_ylabel("V(cue)")
    paths = [save(fig, out / "value_at_cue.png")]
    paths.append(delta_heatmaps(run, "gamma", events, out, "delta_heatmap.png",
                                "TD error over training moves from the reward to the cue "
                                "(smallest, median, largest γ)"))
    paths.append(animation(run, "gamma", events, out, "trials.gif", "distributional TD, cue → reward",
                           s["n_trials"]))
    return paths


def td_lambda_cue_reward(folder, manifest, out):
    run, s, p = load(folder), manifest["summary"], params(manifest)
    events = ([p["cue_time_s"], p["reward_time_s"]], ["cue", "reward"])
    trials = run["trials"]["trial"].to_numpy() + 1
    fig, ax = plt.subplots(figsize=(7, 4.2), layout="constrained")
    ax.plot(trials, run["value"][:, s["cue_step"], 0], color="#08519c", label="V(cue)")
    ax.plot(trials, run["delta"][:, s["cue_step"] - 1, 0], color="#2ca25f",
            label="δ on entering the cue")
    ax.plot(trials, run["delta"][:, s["reward_step"], 0], color="#d95f02", label="δ at the reward")
    k = s["reward_step"] - s["cue_step"]
    ax.axhline(s["value_at_cue_expected"], color="#08519c", ls=":", lw=1,
               label=f"target of V(cue): r·γ^{k} = {s['value_at_cue_expected']:.3f}")
    ax.set_xlabel("trial")
    ax.set_ylabel("value / TD error")
    ax.set_title(f"TD(λ) with α = {p['alpha']:g}, γ = {p['gamma']:g}, λ = {p['lambda']:g} per "
                 f"{s['dt_s']:g} s step", fontsize=10)
    ax.legend(fontsize=8, loc="upper right")
    paths = [save(fig, out / "value_at_cue.png")]
    paths.append(delta_heatmaps(run, "gamma", events, out, "delta_heatmap.png",
                                "TD(λ) error over training moves from the reward to the cue"))
    paths.append(animation(run, "gamma", events, out, "trials.gif", "TD(λ), cue → reward", s["n_trials"]))
    return paths


def expectiles(magnitudes, probabilities, taus):
    """The tau-expectiles of a discrete distribution for every tau, by bisection of
    tau·E[(r − v)+] = (1 − tau)·E[(v − r)+] (as the simulator's summary)."""
    m = np.asarray(magnitudes, float)[None, :]
    p = np.asarray(probabilities, float)[None, :] / np.sum(probabilities)
    taus = np.asarray(taus, float)[:, None]
    lo = np.full(taus.shape, m.min())
    hi = np.full(taus.shape, m.max())
    for _ in range(60):
        v = 0.5 * (lo + hi)
        above = taus * np.sum(p * np.maximum(m - v, 0), axis=1, keepdims=True)
        below = (1 - taus) * np.sum(p * np.maximum(v - m, 0), axis=1, keepdims=True)
        lo, hi = np.where(above > below, v, lo), np.where(above > below, hi, v)
    return (0.5 * (lo + hi)).ravel()


def variable_magnitude(folder, manifest, out):
    run, s, p = load(folder), manifest["summary"], params(manifest)
    dt = s["dt_s"]
    events = ([p["cue_time_s"], p["reward_time_s"]], ["cue", "reward"])
    table = pd.DataFrame(s["predictors"])
    cols, norm = colouring(run, "tau")
    paths = []

    # The raw value jumps with every reward; a running mean over about 2 % of
    # the written trials shows where each predictor settles.
    window = max(1, len(run["trials"]) // 50)
    fig, ax = plt.subplots(figsize=(7.5, 4.4), layout="constrained")
    spacing = int(np.median(np.diff(run["trials"]["trial"]))) if len(run["trials"]) > 1 else 1
    value_across_trials(run, s["reward_step"], "tau", ax, fig,
                        "Value at the reward time across trials"
                        + (f" (mean over {window * spacing} trials)" if window > 1 else "")
                        + "; ◂ τ̃-expectile", expected=table["expectile"], window=window)
    ax.set_ylabel("V(reward time), reward units")
    paths.append(save(fig, out / "value_at_reward.png"))

    # Dabney et al. Fig. 2: δ at the reward against the reward size crosses
    # zero at each predictor's reversal point; the reversal points lie on the
    # expectile curve in the order of τ and tile the reward distribution.
    fig, (ae, ax, ad) = plt.subplots(1, 3, figsize=(13, 4.6), layout="constrained",
                                     gridspec_kw={"width_ratios": [3, 3, 1]})
    magnitudes = np.asarray(p["magnitudes"], float)
    late = run["trials"]["trial"].to_numpy() >= s["n_trials"] - s["summary_trials"]
    r_late = run["reward"][late, s["reward_step"]]
    d_late = run["delta"][late, s["reward_step"], :]
    for i in range(d_late.shape[1]):
        means = [d_late[np.isclose(r_late, m), i].mean() if np.isclose(r_late, m).any() else np.nan
                 for m in magnitudes]
        ae.plot(magnitudes, means, "-o", ms=3, lw=0.9, color=cols[i])
    ae.axhline(0.0, color="0.3", lw=0.8)
    ae.set_xlabel("reward size")
    ae.set_ylabel("mean δ at the reward")
    ae.set_title(f"δ against reward (last {s['summary_trials']} trials):\n"
                 "each predictor crosses zero at its reversal point", fontsize=10)

    tau_grid = np.linspace(0.005, 0.995, 199)
    tau_eff = 1.0 / (1.0 + ((1 - tau_grid) / tau_grid) ** dt)
    curve = "τ-expectile of the reward" if dt == 1.0 else f"τ̃-expectile of the reward (dt = {dt:g} s)"
    ax.plot(tau_grid, expectiles(p["magnitudes"], p["probabilities"], tau_eff), color="0.5", lw=1.2,
            label=curve)
    ok = table["converged"].to_numpy(bool)
    ax.scatter(table.tau[ok], table.reversal_point[ok], c=table.tau[ok], cmap="viridis", norm=norm,
               edgecolor="k", lw=0.5, zorder=3, label=f"reversal point ({ok.sum()} converged)")
    if (~ok).any():
        ax.scatter(table.tau[~ok], table.reversal_point[~ok], facecolor="none", edgecolor="0.3",
                   zorder=3, label=f"not converged ({(~ok).sum()}: < 20 time constants)")
    ax.set_xlabel("asymmetry τ = α⁺/(α⁺+α⁻)")
    ax.set_ylabel("reversal point, reward units")
    ax.set_title(f"Reversal points order by τ (rank correlation {s['rank_correlation_tau_reversal']:.2f})",
                 fontsize=10)
    ax.legend(fontsize=8, loc="upper left")
    ad.barh(magnitudes, np.asarray(p["probabilities"]) / np.sum(p["probabilities"]), height=0.18,
            color="#d95f02")
    ad.set_ylim(ax.get_ylim())
    ad.set_yticks(magnitudes[magnitudes >= 1.0])
    ad.set_xlabel("probability")
    ad.set_title("reward sizes", fontsize=10)
    fig.colorbar(plt.cm.ScalarMappable(norm=norm, cmap="viridis"), ax=ae, label=LABELS["tau"])
    paths.append(save(fig, out / "reversal_points.png"))

    paths.append(delta_heatmaps(run, "tau", events, out, "delta_heatmap.png",
                                "TD error over training: the pessimist (smallest τ) mostly sees positive "
                                "errors, the optimist negative ones"))
    paths.append(animation(run, "tau", events, out, "trials.gif", "distributional TD, variable magnitude",
                           s["n_trials"]))
    return paths


def delay_task(folder, manifest, out):
    run, s, p = load(folder), manifest["summary"], params(manifest)
    dt = s["dt_s"]
    table = pd.DataFrame(s["predictors"])
    cols, norm = colouring(run, "gamma")
    fixed = s["trial_types"][: s["fixed_types"]]
    cue = s["cue_step"]
    delays = np.array([(typ["reward_steps"][0] - cue) * dt for typ in fixed])
    names = run["trials"]["type_name"].to_numpy()
    paths = []

    # V(cue) across trials, one panel per fixed delay.
    fig, axes = plt.subplots(1, len(fixed), figsize=(3.2 * len(fixed) + 1.2, 3.9), sharey=True,
                             squeeze=False, layout="constrained")
    axes = axes[0]
    for ax, typ, delay in zip(axes, fixed, delays):
        rows = np.flatnonzero(names == typ["name"])
        expected = [q["value_at_cue_expected"][typ["name"]] for q in s["predictors"]]
        value_across_trials(run, cue, "gamma", ax, None, f"reward {delay:g} s after the cue", rows,
                            expected)
    axes[0].set_ylabel("V(cue)")
    fig.colorbar(plt.cm.ScalarMappable(norm=norm, cmap="viridis"), ax=list(axes), label=LABELS["gamma"])
    fig.suptitle("Value at the cue across the trials of each delay; "
                 f"◂ target r·γ^delay (r = {p['reward']:g})",
                 fontsize=11)
    paths.append(save(fig, out / "value_at_cue.png"))

    # Learnt V(cue) against the delay, and γ read back from it.
    fig, (ax, ag) = plt.subplots(1, 2, figsize=(10.5, 4.4), layout="constrained")
    fine = np.linspace(0, delays.max() * 1.05, 100)
    for i, q in table.iterrows():
        learnt = [q["value_at_cue"].get(typ["name"], np.nan) for typ in fixed]
        ax.plot(fine, p["reward"] * q["gamma"] ** fine, color=cols[i], lw=0.7, ls=":")
        ax.plot(delays, learnt, "o", color=cols[i], ms=4)
    ax.set_xlabel("delay from cue to reward (s)")
    ax.set_ylabel("learnt V(cue)")
    ax.set_title("V(cue) falls with the delay at each predictor's γ\n(dots: learnt; dotted: r·γ^delay)",
                 fontsize=10)
    back = table["gamma_read_back"].astype(float)
    ag.scatter(table.gamma, back, c=table.gamma, cmap="viridis", norm=norm, edgecolor="k", lw=0.5)
    lim = [min(table.gamma.min(), back.min()) - 0.02, max(table.gamma.max(), back.max()) + 0.02]
    ag.plot(lim, lim, color="0.5", lw=0.8)
    ag.set_xlabel("γ of the predictor (per s)")
    ag.set_ylabel("γ read back from V(cue) over the delays")
    ag.set_title("The delay task reads out each predictor's discount\n"
                 f"(rank correlation {s.get('rank_correlation_gamma_read_back', float('nan')):.2f})",
                 fontsize=10)
    fig.colorbar(plt.cm.ScalarMappable(norm=norm, cmap="viridis"), ax=[ax, ag], label=LABELS["gamma"])
    paths.append(save(fig, out / "cue_value_by_delay.png"))

    # The heat map and the animation follow the longest delay that came (a
    # short run may lack some types).
    present = [j for j, typ in enumerate(fixed) if (names == typ["name"]).any()] or [len(fixed) - 1]
    longest, delay = fixed[present[-1]], delays[present[-1]]
    rows = np.flatnonzero(names == longest["name"])
    if len(rows) == 0:
        rows = np.arange(len(names))
    events = ([p["cue_time_s"], (longest["reward_steps"][0] + 1) * dt], ["cue", "reward"])
    paths.append(delta_heatmaps(run, "gamma", events, out, "delta_heatmap.png",
                                f"TD error over the trials with the longest delay ({delay:g} s)", rows))
    sub = dict(run, trials=run["trials"].iloc[rows].reset_index(drop=True))
    for k in ("value", "delta", "reward"):
        sub[k] = run[k][rows]
    paths.append(animation(sub, "gamma", events, out, "trials.gif",
                           f"delay task, {delay:g} s delay", s["n_trials"]))
    return paths


PLOTS = {
    "distributional_cue_reward": cue_reward,
    "distributional_variable_magnitude": variable_magnitude,
    "distributional_delay_task": delay_task,
    "td_lambda_cue_reward": td_lambda_cue_reward,
}
