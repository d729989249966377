"""Figures of a comparison of dopamine signals (bgsim compare; docs/compare.md).

* compare_signals.png: the mean time course of every learner around the cue
  and the reward, early trials (left) and after learning (right), one row per
  kind of trial (paired, omission, uncued). Each learner's signal is divided
  by its largest |value| after learning (any kind of trial), so that shapes
  compare directly (the axis is cut at 1.6 times that); the legend gives the divisor with its unit and Pearson's
  r with the spiking signal after learning.
* compare_heatmaps.png: trial x time heat maps of every learner side by side
  (spiking: rate minus baseline [Hz]; agents: delta), colour centred on zero.
* compare_responses.png: cue and reward responses of every learner against
  the trial number (running means), with the trial at which the cue response
  first exceeds the reward response marked.

On a choice task (choices.csv):

* compare_choices.png: the fraction of trials on which each learner chose
  the better arm (running mean), changes of the better arm marked;
* compare_outcome_dopamine.png: the spiking learner's dopamine at the outcome
  (rate change [Hz]) and each agent's delta, rewarded and unrewarded trials
  apart (running means), side by side on the same trial axis;
* compare_selection.png (probabilistic selection task): each learner's
  accuracy on AB, CD and EF per training block, and its choose-A and avoid-B
  at test side by side.
"""
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

SPIKING = "black"
AGENT_COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e"]
KINDS = ["paired", "omission", "uncued"]


def save(fig, path):
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def columns(courses, learners):
    return ["spiking_Hz"] + [f"{name}_delta" for name in learners[1:]]


def colour(i):
    return SPIKING if i == 0 else AGENT_COLOURS[(i - 1) % len(AGENT_COLOURS)]


def mark_events(ax, us_ms):
    ax.axvline(0, color="0.4", ls=":", lw=1)
    ax.axvline(us_ms, color="0.4", ls="--", lw=1)
    ax.axhline(0, color="0.8", lw=0.8, zorder=0)


def signals(courses, comparison, out):
    learners = comparison["learners"]
    cols = columns(courses, learners)
    kinds = [k for k in KINDS if k in set(courses["kind"])]
    late = courses[courses["phase"] == "late"]
    scale = {}
    for c in cols:
        peak = np.nanmax(np.abs(late[c].to_numpy())) if len(late) else np.nan
        scale[c] = peak if np.isfinite(peak) and peak > 0 else 1.0
    us_ms = comparison["us_from_cs_ms"]
    bin_ms = comparison["bin_ms"]
    fig, axes = plt.subplots(len(kinds), 2, figsize=(11, 2.8 * len(kinds)), sharex=True,
                             sharey=True, squeeze=False)
    for row, kind in enumerate(kinds):
        for col, phase in enumerate(["early", "late"]):
            ax = axes[row][col]
            part = courses[(courses["kind"] == kind) & (courses["phase"] == phase)]
            if part.empty:
                ax.set_visible(False)
                continue
            t = part["bin_start_ms"].to_numpy() + bin_ms / 2
            for i, c in enumerate(cols):
                unit = "Hz" if i == 0 else ""
                label = f"{learners[i]} (÷ {scale[c]:.3g}{unit}"
                if i > 0:
                    r = comparison["agents"][learners[i]]["r_mean_time_course"]
                    label += f"; r = {r:.2f})" if r is not None else ")"
                else:
                    label += ")"
                ax.plot(t, part[c] / scale[c], color=colour(i), lw=2 if i == 0 else 1.3,
                        label=label if row == 0 and col == 1 else None)
            mark_events(ax, us_ms)
            n = int(part["trials"].iloc[0])
            ax.set_title(f"{kind}, {phase} ({n} trials)", fontsize=10)
            ax.set_ylim(-1.6, 1.6)  # early responses beyond 1.6 times the late peak are cut
            if col == 0:
                ax.set_ylabel("signal ÷ its late peak")
    for ax in axes[-1]:
        ax.set_xlabel("time from cue onset [ms] (dotted: cue, dashed: reward due)")
    axes[0][1].legend(fontsize=7, loc="upper right")
    return save(fig, out / "compare_signals.png")


def heatmaps(folder, comparison, out):
    aligned = np.load(folder / "aligned.npy")  # trials x bins x learners
    learners = comparison["learners"]
    t0 = comparison["first_bin_start_ms"]
    bin_ms = comparison["bin_ms"]
    extent = [t0, t0 + aligned.shape[1] * bin_ms, aligned.shape[0] - 0.5, -0.5]
    fig, axes = plt.subplots(1, len(learners), figsize=(3.6 * len(learners), 4.5), sharey=True,
                             squeeze=False)
    for i, ax in enumerate(axes[0]):
        data = aligned[:, :, i]
        lim = np.nanpercentile(np.abs(data), 99) or 1.0
        im = ax.imshow(data, aspect="auto", cmap="RdBu_r", vmin=-lim, vmax=lim, extent=extent,
                       interpolation="nearest")
        ax.axvline(0, color="k", ls=":", lw=0.8)
        ax.axvline(comparison["us_from_cs_ms"], color="k", ls="--", lw=0.8)
        ax.set_title(learners[i] + (" [Hz − baseline]" if i == 0 else " [δ]"), fontsize=10)
        ax.set_xlabel("time from cue [ms]")
        fig.colorbar(im, ax=ax, fraction=0.046, pad=0.02)
    axes[0][0].set_ylabel("trial")
    return save(fig, out / "compare_heatmaps.png")


def running_mean(x, n):
    x = np.asarray(x, dtype=float)
    if len(x) < n:
        return x
    kernel = np.ones(n) / n
    return np.convolve(x, kernel, mode="valid")


def responses(trials, comparison, smooth, out):
    learners = comparison["learners"]
    paired = trials[trials["kind"] == "paired"]
    fig, axes = plt.subplots(1, len(learners), figsize=(3.6 * len(learners), 3.2), squeeze=False)
    for i, ax in enumerate(axes[0]):
        name = learners[i]
        x = running_mean(paired["trial"], smooth)
        ax.plot(x, running_mean(paired[f"{name}_cs"], smooth), color="#9467bd", label="cue")
        ax.plot(x, running_mean(paired[f"{name}_us"], smooth), color="#2ca02c", label="reward")
        cross = (comparison["spiking_signal"] if i == 0 else comparison["agents"][name]).get(
            "cs_exceeds_us_from_trial", -1)
        if cross is not None and cross >= 0:
            ax.axvline(cross, color="0.3", ls=":", lw=1, label=f"cue > reward from {cross}")
        ax.axhline(0, color="0.8", lw=0.8, zorder=0)
        ax.set_title(name, fontsize=10)
        ax.set_xlabel("trial")
        ax.set_ylabel("rate − baseline [Hz]" if i == 0 else "δ (summed over the window)")
        ax.legend(fontsize=7)
    return save(fig, out / "compare_responses.png")


BANDIT_WINDOW = 50  # trials per running mean on the bandit


def changes_of_best(choices):
    best = choices["best_action"]
    return list(choices["trial"][best.ne(best.shift()) & best.shift().notna()])


def bandit_choices(choices, comparison, out):
    learners = comparison["learners"]
    fig, ax = plt.subplots(figsize=(8, 3.5))
    for i, name in enumerate(learners):
        better = (choices[f"{name}_action"] == choices["best_action"]).astype(float)
        x = running_mean(choices["trial"], BANDIT_WINDOW)
        ax.plot(x, running_mean(better, BANDIT_WINDOW), color=colour(i), label=name)
    for t in changes_of_best(choices):
        ax.axvline(t, color="k", ls=":", lw=1)
    ax.axhline(0.5, color="0.8", lw=0.8, zorder=0)
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel("trial")
    ax.set_ylabel(f"better arm chosen (running mean of {BANDIT_WINDOW})")
    agents = comparison["agents"]
    same = ", ".join(f"{a}: {v['same_choice_fraction']:.2f}" for a, v in agents.items())
    ax.set_title(f"the same bandit, two learners (same choice on a fraction {same})", fontsize=10)
    ax.legend(fontsize=8, loc="lower right")
    return save(fig, out / "compare_choices.png")


def bandit_dopamine(choices, comparison, out):
    learners = comparison["learners"]
    fig, axes = plt.subplots(1, len(learners), figsize=(4.5 * len(learners), 3.5), squeeze=False)
    for i, (ax, name) in enumerate(zip(axes[0], learners)):
        signal = choices[f"{name}_dopamine_Hz" if i == 0 else f"{name}_delta"]
        rewarded = choices[f"{name}_reward"] > 0
        for mask, c, label in ((rewarded, "#2ca02c", "rewarded"), (~rewarded, "#d62728", "unrewarded")):
            x = running_mean(choices["trial"][mask], BANDIT_WINDOW)
            ax.plot(x, running_mean(signal[mask], BANDIT_WINDOW), color=c, label=label)
        for t in changes_of_best(choices):
            ax.axvline(t, color="k", ls=":", lw=1)
        ax.axhline(0, color="0.8", lw=0.8, zorder=0)
        ax.set_xlabel("trial")
        ax.set_ylabel("dopamine cells: outcome − decision [Hz]" if i == 0 else "δ")
        r = comparison["r_signal_vs_own_reward"][name]
        title = f"{name}: r with own reward {r:.2f}" if r is not None else name
        if i > 0:
            rv = comparison["agents"][name]["r_dopamine_vs_delta"]
            title += f"; with spiking {rv:.2f}" if rv is not None else ""
        ax.set_title(title, fontsize=9)
        ax.legend(fontsize=8)
    return save(fig, out / "compare_outcome_dopamine.png")


def selection(summary, comparison, out):
    learners = comparison["learners"]
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.6))
    for i, name in enumerate(learners):
        blocks = summary[name]["selection"]["training_accuracy_by_block"]
        x = np.arange(1, len(blocks) + 1)
        for pair, style in (("AB", "-"), ("CD", "--"), ("EF", ":")):
            axes[0].plot(x, [b[pair] for b in blocks], style, color=colour(i),
                         label=f"{name} {pair}")
    axes[0].axhline(0.5, color="0.8", lw=0.8, zorder=0)
    axes[0].set_ylim(0, 1.02)
    axes[0].set_xlabel("training block")
    axes[0].set_ylabel("A, C, E chosen")
    axes[0].legend(fontsize=7, ncol=2)
    width = 0.8 / len(learners)
    for i, name in enumerate(learners):
        sel = summary[name]["selection"]
        values = [sel["choose_a"] or 0.0, sel["avoid_b"] or 0.0]
        axes[1].bar(np.arange(2) + (i - (len(learners) - 1) / 2) * width, values, width,
                    color=colour(i), label=name)
    axes[1].set_xticks(range(2))
    axes[1].set_xticklabels(["choose A", "avoid B"])
    axes[1].axhline(0.5, color="0.8", lw=0.8, zorder=0)
    axes[1].set_ylim(0, 1.02)
    axes[1].set_ylabel("accuracy at test")
    axes[1].legend(fontsize=8)
    return save(fig, out / "compare_selection.png")


def compare(folder, manifest, out):
    comparison = manifest["summary"]["comparison"]
    if (folder / "choices.csv").is_file():
        choices = pd.read_csv(folder / "choices.csv")
        if "selection" in manifest["summary"]["spiking"]:
            return [selection(manifest["summary"], comparison, out),
                    bandit_dopamine(choices, comparison, out)]
        return [bandit_choices(choices, comparison, out), bandit_dopamine(choices, comparison, out)]
    smooth = manifest["description"]["experiment"]["params"].get("smooth_trials", 10)
    courses = pd.read_csv(folder / "time_courses.csv")
    trials = pd.read_csv(folder / "trials.csv")
    return [signals(courses, comparison, out), heatmaps(folder, comparison, out),
            responses(trials, comparison, smooth, out)]


PLOTS = {"compare": compare}
