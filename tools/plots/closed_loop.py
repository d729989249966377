"""Figures of a closed-loop experiment (tasks/loop; docs/closed_loop.md).

* learning curve: the fraction of trials on which the best action was taken,
  per block of trials, with the changes of the best action (reversals) marked;
* dopamine at the outcome across trials (spiking learner with a monitor): the
  monitored population's rate after the reward and the change of the volume's
  level, rewarded and unrewarded trials apart;
* rasters of one early and one late trial (spiking learner): every spike
  recorder of the network, cut at the trial's start and the next trial's.
"""
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

BLOCK = 50  # trials per point of the learning curve
REWARDED, UNREWARDED = "#2ca02c", "#d62728"


def save(fig, path):
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def reversals(steps):
    best = steps.groupby("trial")["best_action"].first()
    change = best.index[best.ne(best.shift()) & best.shift().notna()]
    return list(change)


def learning_curve(steps, out, title):
    first = steps.groupby("trial").first().reset_index()
    decided = first[first["best_action"] >= 0]
    blocks = decided["trial"] // BLOCK
    better = (decided["action"] == decided["best_action"]).groupby(blocks).mean()
    none = (decided["action"] < 0).groupby(blocks).mean()
    fig, ax = plt.subplots(figsize=(7, 3.5))
    x = better.index * BLOCK + BLOCK / 2
    ax.plot(x, better.values, "o-", label="best action chosen")
    if none.max() > 0:
        ax.plot(x, none.values, "s--", color="0.5", label="no action")
    for r in reversals(steps):
        ax.axvline(r, color="k", ls=":", lw=1)
    ax.axhline(0.5, color="0.8", lw=0.8, zorder=0)
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel("trial")
    ax.set_ylabel(f"fraction per {BLOCK} trials")
    ax.set_title(title)
    ax.legend(loc="lower right", fontsize=8)
    return save(fig, out / "learning_curve.png")


def running_mean(x, n=25):
    x = np.asarray(x, dtype=float)
    if len(x) < n:
        return x
    return np.convolve(x, np.ones(n) / n, mode="same")


def dopamine_at_outcome(steps, out):
    rate_after = [c for c in steps.columns if c.endswith("_rate_after_Hz")]
    rate_before = [c for c in steps.columns if c.endswith("_rate_before_Hz")]
    if not rate_after or steps[rate_after[0]].isna().all():
        return None
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.5))
    for rewarded, colour in ((True, REWARDED), (False, UNREWARDED)):
        part = steps[(steps["reward"] > 0) == rewarded]
        label = "rewarded" if rewarded else "unrewarded"
        axes[0].plot(part["trial"], part[rate_after[0]], ".", color=colour, ms=2, alpha=0.3)
        axes[0].plot(part["trial"], running_mean(part[rate_after[0]]), color=colour, label=label)
        axes[1].plot(part["trial"], running_mean(part["delta"]), color=colour, label=label)
    baseline = steps[rate_before[0]].mean()
    axes[0].axhline(baseline, color="0.5", ls="--", lw=1, label="before the outcome (mean)")
    name = rate_after[0][: -len("_rate_after_Hz")]
    axes[0].set_ylabel(f"{name} rate after the reward [Hz]")
    axes[1].set_ylabel("dopamine level: after − before")
    axes[1].axhline(0, color="0.5", lw=0.8)
    for ax in axes:
        ax.set_xlabel("trial")
        for r in reversals(steps):
            ax.axvline(r, color="k", ls=":", lw=1)
        ax.legend(fontsize=8)
    return save(fig, out / "dopamine_at_outcome.png")


def rasters(folder, steps, out):
    if "step_start_ms" not in steps.columns:
        return None
    starts = steps.groupby("trial")["step_start_ms"].first()
    recs = sorted(folder.glob("*_spikes.npy"))
    if len(starts) < 2 or not recs:
        return None
    trials = [starts.index[0], starts.index[-2]]
    fig, axes = plt.subplots(1, 2, figsize=(10, 4), sharey=True)
    for ax, trial in zip(axes, trials):
        t0 = starts.loc[trial]
        t1 = starts.loc[trial + 1] if trial + 1 in starts.index else t0 + 1000.0
        offset, ticks, labels = 0, [], []
        for rec in recs:
            s = np.load(rec)
            sel = (s["time_ms"] > t0) & (s["time_ms"] <= t1)
            n = int(s["neuron"].max()) + 1 if len(s) else 1
            ax.plot(s["time_ms"][sel] - t0, s["neuron"][sel] + offset, "|", ms=2)
            ticks.append(offset + n / 2)
            labels.append(rec.name[: -len("_spikes.npy")])
            offset += n + 2
        row = steps[steps["trial"] == trial].iloc[0]
        ax.set_title(f"trial {trial}: action {int(row['action'])}, reward {row['reward']:g}")
        ax.set_xlabel("time from the trial's start [ms]")
        ax.set_yticks(ticks)
        ax.set_yticklabels(labels)
    return save(fig, out / "rasters_early_late.png")


def closed_loop(folder, manifest, out):
    steps = pd.read_csv(folder / "steps.csv")
    params = manifest["description"]["experiment"]["params"]
    learner = params["learner"]
    who = "spiking network" if "network" in learner else learner.get("agent", "agent")
    title = f"{params['task']['type']}: {who}"
    paths = [learning_curve(steps, out, title), dopamine_at_outcome(steps, out),
             rasters(folder, steps, out)]
    return [p for p in paths if p is not None]


PLOTS = {"closed_loop": closed_loop}
