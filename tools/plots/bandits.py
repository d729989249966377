"""Figures of the bandit, probabilistic selection and addiction experiments (tasks/bandits, tasks/addiction)."""
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

ARM_COLOURS = ["#1f77b4", "#d62728"]
NATURAL, DRUG = "#2ca02c", "#9467bd"
MODEL_TITLES = {
    "redish": "Redish (2004): non-compensable drug",
    "compensable": "control: the same dose as an ordinary reward",
    "average_reward": "Dezfouli (2009): average reward + tolerance",
}


def save(fig, path):
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def block_lines(ax, trials, per_block):
    for start in range(per_block, int(trials.max()) + 1, per_block):
        ax.axvline(start - 0.5, color="0.85", lw=0.8, zorder=0)


def two_armed(folder, manifest, out):
    t = pd.read_csv(folder / "trials.csv")
    s = manifest["summary"]
    params = manifest["description"]["experiment"]["params"]
    per_block = params["trials_per_block"]
    fig, axes = plt.subplots(3, 1, figsize=(12, 8), sharex=True,
                             gridspec_kw={"height_ratios": [2, 1.3, 1]})
    ax = axes[0]
    for arm in (0, 1):
        ax.step(t.trial, t[f"p_reward_{arm}"], where="mid", color=ARM_COLOURS[arm], lw=1, ls="--",
                label=f"arm {arm}: p(reward)")
        ax.plot(t.trial, t[f"q_{arm}"], color=ARM_COLOURS[arm], lw=1.3, label=f"arm {arm}: Q")
    ax.set_ylabel("p(reward), Q")
    ax.set_ylim(-0.05, 1.05)
    ax.legend(ncol=4, fontsize=8, loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False)
    title = (f"Q-learner, α = {s['true_alpha']:g}, β = {s['true_beta']:g}"
             f" ({params['process']} parameters): better arm on {100 * s['better_arm_fraction']:.0f} %"
             f" of the trials that have one, reward rate {s['reward_rate']:.2f}")
    if "fitted_alpha" in s:
        title += f"; fitted α̂ = {s['fitted_alpha']:.2f}, β̂ = {s['fitted_beta']:.2f}"
    fig.suptitle(title, fontsize=10)

    ax = axes[1]
    rewarded = t.reward > 0
    for arm in (0, 1):
        c = t[(t.choice == arm) & rewarded]
        u = t[(t.choice == arm) & ~rewarded]
        ax.plot(c.trial, np.full(len(c), arm), "|", color=ARM_COLOURS[arm], ms=9)
        ax.plot(u.trial, np.full(len(u), arm), "|", color=ARM_COLOURS[arm], ms=4, alpha=0.5)
    chose_1 = (t.choice == 1).astype(float).rolling(10, center=True, min_periods=1).mean()
    ax.plot(t.trial, chose_1, color="0.3", lw=1, label="share of arm 1 choices (10 trials)")
    ax.plot([], [], "|", color="0.3", ms=9, label="rewarded choice")
    ax.plot([], [], "|", color="0.3", ms=4, alpha=0.5, label="unrewarded choice")
    ax.set_yticks([0, 1], ["arm 0", "arm 1"])
    ax.set_ylim(-0.25, 1.25)
    ax.set_ylabel("choice")
    ax.legend(ncol=3, fontsize=8, loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False)

    ax = axes[2]
    ax.plot(t.trial, t.delta, color="0.2", lw=0.6)
    ax.axhline(0, color="0.6", lw=0.6)
    ax.set_ylabel("RPE δ")
    ax.set_xlabel("trial")
    for a in axes:
        block_lines(a, t.trial, per_block)
    ax.set_xlim(t.trial.min() - 1, t.trial.max() + 1)
    fig.tight_layout()
    return [save(fig, out / "session.png")]


def parameter_recovery(folder, manifest, out):
    r = pd.read_csv(folder / "recovery.csv")
    s = manifest["summary"]
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.8))
    for ax, name, symbol, top, colour_by, colour_label in [
            (axes[0], "alpha", "α", 1.0, "true_beta", "true β"),
            (axes[1], "beta", "β", 10.0, "true_alpha", "true α")]:
        sc = ax.scatter(r[f"true_{name}"], r[f"fitted_{name}"], c=r[colour_by], cmap="viridis",
                        s=10 if len(r) <= 500 else 5, alpha=0.8, lw=0)
        ax.plot([0, top], [0, top], color="0.4", lw=1, ls="--", label="identity")
        # Padded, so fits that end on the bounds (0, and 1 or 10) stay visible.
        ax.set_xlim(-0.02 * top, 1.02 * top)
        ax.set_ylim(-0.02 * top, 1.02 * top)
        ax.set_aspect("equal")
        ax.set_xlabel(f"true {symbol}")
        ax.set_ylabel(f"recovered {symbol}")
        ax.set_title(f"{symbol}: r = {s[f'{name}_correlation']:.3f}, median relative error "
                     f"{100 * s[f'{name}_median_relative_error']:.1f} %", fontsize=10)
        ax.legend(loc="lower right", fontsize=8)
        fig.colorbar(sc, ax=ax, label=colour_label, shrink=0.8)
    fig.suptitle(f"Maximum-likelihood recovery of (α, β): {s['subjects']} simulated subjects, "
                 f"{s['trials_simulated'] // s['subjects']} trials each", fontsize=11)
    fig.tight_layout()
    return [save(fig, out / "recovery.png")]


def selection(folder, manifest, out):
    levels = pd.read_csv(folder / "levels.csv")
    rhos = list(levels.rho)
    sem = {}
    trials_file = folder / "trials.csv"
    if trials_file.is_file():
        # Per-subject accuracies on the novel pairs, for the spread across subjects.
        t = pd.read_csv(trials_file)
        test = t[(t.phase == "test") & t.pair.isin(["AC", "AD", "AE", "AF", "BC", "BD", "BE", "BF"])]
        a = test[test["first"] == "A"].assign(ok=lambda d: d.choice == "A")
        b = test[test["first"] == "B"].assign(ok=lambda d: d.choice != "B")
        for key, d in [("choose_a", a), ("avoid_b", b)]:
            per = d.groupby(["rho", "subject"]).ok.mean().groupby(level=0)
            sem[key] = (per.std() / np.sqrt(per.count())).reindex(rhos).to_numpy()
    fig, ax = plt.subplots(figsize=(7.5, 4.8))
    x = np.arange(len(rhos))
    width = 0.36
    # Bars rise from chance (0.5), as in Frank et al. (2004), so the differences show.
    for offset, key, label, colour in [(-width / 2, "choose_a", "choose A (AC, AD, AE, AF)", "#2b8cbe"),
                                       (width / 2, "avoid_b", "avoid B (BC, BD, BE, BF)", "#e34a33")]:
        ax.bar(x + offset, levels[key] - 0.5, width, bottom=0.5, yerr=sem.get(key), capsize=3,
               color=colour, label=label)
    for i, row in levels.iterrows():
        diff = f"{row.choose_a - row.avoid_b:+.3f}".replace("-", "−")
        ax.text(x[i], max(row.choose_a, row.avoid_b) + 0.022, f"A − B = {diff}", ha="center",
                fontsize=9)
    names = {-1: "low dopamine", 0: "baseline", 1: "high dopamine"}
    ax.set_xticks(x, [f"ρ = {r:g}\n({names[int(np.sign(r))]})".replace("-", "−") for r in rhos])
    ax.set_ylim(0.5, 0.95)
    ax.set_ylabel("test accuracy on novel pairs (chance = 0.5)")
    subjects = manifest["summary"]["subjects_per_level"]
    ax.set_title(f"OpAL on the probabilistic selection task ({subjects} subjects per level, ± s.e.m.)",
                 fontsize=10)
    ax.legend(loc="upper left", fontsize=8, framealpha=0.95)
    fig.tight_layout()
    return [save(fig, out / "choose_a_avoid_b.png")]


def band(ax, grouped, colour, label):
    """Mean over runs with the runs' range as a band."""
    mean, lo, hi = grouped.mean(), grouped.min(), grouped.max()
    ax.fill_between(mean.index, lo, hi, color=colour, alpha=0.2, lw=0)
    ax.plot(mean.index, mean, color=colour, lw=1.5, label=label)


def values_and_choices(folder, manifest, out):
    steps = pd.read_csv(folder / "steps.csv")
    summary = manifest["summary"]
    models = list(dict.fromkeys(steps.model))
    fig, axes = plt.subplots(3, len(models), figsize=(6.5 * len(models), 10.5), squeeze=False)
    for col, model in enumerate(models):
        m = steps[steps.model == model].assign(advantage=lambda d: d.q_drug - d.q_natural)
        s = summary[model]
        overtake = s.get("median_overtake_visit")

        ax = axes[0, col]
        band(ax, m.groupby("visit").q_natural, NATURAL, "Q(natural)")
        band(ax, m.groupby("visit").q_drug, DRUG, "Q(drug)")
        ax.set_title(f"{MODEL_TITLES.get(model, model)}\nprefers the drug in "
                     f"{s['runs_preferring_drug']}/{s['runs']} runs", fontsize=10)
        ax.set_ylabel("action value Q (mean, band: range of runs)")

        ax = axes[1, col]
        band(ax, m.groupby("visit").advantage, DRUG, "Q(drug) − Q(natural)")
        ax.axhline(0, color="0.4", lw=0.8)
        ax.set_ylabel("drug advantage Q(drug) − Q(natural)")
        for ax in axes[:2, col]:
            # Values that grow without bound span decades: a symmetric log scale
            # keeps the first visits, where the drug overtakes, readable.
            if m[["q_natural", "q_drug"]].abs().to_numpy().max() > 100:
                ax.set_yscale("symlog", linthresh=1.0)
            ax.set_xscale("log")
            ax.set_xlabel("visit (choice number)")
            if overtake is not None:
                ax.axvline(overtake, color="0.3", ls="--", lw=1,
                           label=f"drug ahead from here (median visit {overtake:g})")
            ax.legend(fontsize=8, loc="best")

        ax = axes[2, col]
        per_episode = m.groupby(["run", "episode"]).action.mean().unstack(0)
        for run in per_episode.columns:
            ax.plot(per_episode.index + 1, per_episode[run], color=DRUG, lw=0.6, alpha=0.3)
        ax.plot(per_episode.index + 1, per_episode.mean(axis=1), color=DRUG, lw=2,
                label="mean over runs (thin: each run)")
        ax.set_ylim(-0.03, 1.03)
        ax.set_xlabel("episode")
        ax.set_ylabel("share of drug choices")
        ax.legend(fontsize=8, loc="center right")
    fig.tight_layout()
    paths = [save(fig, out / "values_and_choices.png")]

    if "average_reward" in models:
        m = steps[steps.model == "average_reward"]
        fig, ax = plt.subplots(figsize=(7, 4))
        for name, colour, label in [("average_reward", "#ff7f0e", "average reward ρ"),
                                    ("tolerance", "#8c564b", "tolerance κ")]:
            mean = m.groupby("visit")[name].mean()
            ax.plot(mean.index, mean, color=colour, lw=1.5, label=label)
        limit = manifest["description"]["experiment"]["params"]["tolerance_limit"]
        ax.axhline(limit, color="#8c564b", ls=":", lw=1, label=f"κ_max = {limit:g}")
        ax.set_xlabel("visit (choice number)")
        ax.set_ylabel("reward units")
        ax.set_title("Average-reward model (mean over runs): ρ follows the drug-inflated reward\nand falls as the tolerance κ builds up towards κ_max", fontsize=10)
        ax.legend(fontsize=8)
        fig.tight_layout()
        paths.append(save(fig, out / "average_reward_and_tolerance.png"))
    return paths


def relapse(folder, manifest, out):
    lat = pd.read_csv(folder / "latencies.csv")
    steps = pd.read_csv(folder / "steps.csv")
    s = manifest["summary"]
    learners = [("model_free", "model-free"), ("latent", "latent-state")]
    fig, axes = plt.subplots(1, 2, figsize=(13, 4.8), gridspec_kw={"width_ratios": [1, 2]})

    ax = axes[0]
    width = 0.36
    rng = np.random.default_rng(0)
    for offset, key, label, colour in [(-width / 2, "acquisition_latency", "first exposure", "#bdbdbd"),
                                       (width / 2, "reacquisition_latency", "re-exposure", "#636363")]:
        means = [lat[lat.learner == who][key].mean() for who, _ in learners]
        ax.bar(np.arange(2) + offset, means, width, color=colour, label=label)
        for i, (who, _) in enumerate(learners):
            v = lat[lat.learner == who][key]
            ax.plot(i + offset + rng.uniform(-0.08, 0.08, len(v)), v, "o", ms=3, color="k", alpha=0.6)
    ax.axhline(s["window"], color="0.5", ls=":", lw=1, label=f"shortest measurable ({s['window']})")
    ax.set_xticks(np.arange(2), [name for _, name in learners])
    ax.set_ylabel(f"steps until {100 * s['criterion']:.0f} % drug choices")
    ax.set_title("Steps to criterion (bars: mean, dots: runs)", fontsize=10)
    ax.set_ylim(0, 1.3 * lat[["acquisition_latency", "reacquisition_latency"]].to_numpy().max())
    ax.legend(fontsize=8, loc="upper center", ncol=2)

    ax = axes[1]
    phases = list(dict.fromkeys(steps.phase))
    lengths = [steps[(steps.phase == p) & (steps.learner == "model_free") & (steps.run == 0)].shape[0]
               for p in phases]
    starts = np.concatenate([[0], np.cumsum(lengths)])
    for (who, name), colour in zip(learners, ["#1f77b4", "#d62728"]):
        m = steps[steps.learner == who].copy()
        m["t"] = m.groupby("run").cumcount()
        share = m.groupby("run").action.transform(lambda a: a.rolling(20, min_periods=1).mean())
        mean = share.groupby(m.t).mean()
        ax.plot(mean.index, mean, color=colour, lw=1.2, label=name)
    for i, p in enumerate(phases):
        if i % 2 == 1:
            ax.axvspan(starts[i], starts[i + 1], color="0.93", zorder=0)
        ax.text((starts[i] + starts[i + 1]) / 2, 1.04, p, ha="center", fontsize=9)
    ax.set_xlim(0, starts[-1])
    ax.set_ylim(-0.02, 1.12)
    ax.set_xlabel("step of the session")
    ax.set_ylabel("share of drug choices (last 20 steps)")
    ax.set_title("Drug choices through acquisition, extinction and re-exposure (mean over runs)",
                 fontsize=10)
    ax.legend(fontsize=8, loc="center left")
    fig.tight_layout()
    return [save(fig, out / "relapse.png")]


PLOTS = {
    "bandit_two_armed": two_armed,
    "bandit_parameter_recovery": parameter_recovery,
    "probabilistic_selection_opal": selection,
    "addiction_redish": values_and_choices,
    "addiction_average_reward": values_and_choices,
    "addiction_relapse": relapse,
}
