"""Figures of the dual-process ramp experiments (tasks/ramps).

Every RPE curve follows the published figures' convention: the terminal RPE
(the step taken from the goal, which delivers the reward) is dropped and
negative RPEs are divided by 5. Bars and numbers quoted in titles are the
unscaled values of the manifest's summary.
"""
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

RPE_LABEL = "RPE δ (negative ÷ 5)"


def rpe_for_plot(delta):
    """As in the published figures: the terminal RPE is dropped and negative RPEs are divided by 5."""
    d = delta.iloc[:-1].copy()
    d[d < 0] /= 5.0
    return d


def scaled(values):
    """Negative RPEs divided by 5, nothing dropped (for curves that hold no terminal step)."""
    v = np.asarray(values, dtype=float).copy()
    v[v < 0] /= 5.0
    return v


def bars(ax, names, values, colours, fmt="{:.3f}"):
    """A bar per condition, each labelled with its value (a bar near 0 stays readable)."""
    rects = ax.bar(range(len(names)), values, color=colours)
    ax.bar_label(rects, labels=[fmt.format(v) for v in values], fontsize=8, padding=2)
    ax.set_xticks(range(len(names)), names, fontsize=8)
    ax.margins(y=0.12)
    return rects


def save(fig, out, name):
    fig.tight_layout()
    path = out / name
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def demo(folder, manifest, out):
    traces = pd.read_csv(folder / "traces.csv")
    summary = manifest["summary"]
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.8), sharey=True)
    for ax, agent in zip(axes, ["dual", "td"]):
        s = summary[agent]
        for label, key, colour in [("5 %", "episode_5_percent", "#9ecae1"),
                                   ("50 %", "episode_50_percent", "#4292c6"),
                                   ("85 %", "episode_85_percent", "#08306b")]:
            ep = traces[(traces.agent == agent) & (traces.episode == s[key])]
            ax.plot(ep.state.iloc[:-1], rpe_for_plot(ep.delta.reset_index(drop=True)), "-o", ms=3,
                    color=colour, label=f"{label} of training (episode {s[key]})")
        ax.set_title(f"{agent.upper()}: converged after {s['episodes_to_converge']} episodes")
        ax.set_xlabel("state on the track")
        ax.legend(fontsize=8)
    axes[0].set_ylabel(RPE_LABEL)
    return [save(fig, out, "rpe_over_training.png")]


ARCHITECTURES = [("normative", "dual process (normative)", "#21918c"),
                 ("naive", "dual process (naive)", "#440154"),
                 ("td", "TD", "#c8a800")]


def compare_architectures(folder, manifest, out):
    errors = pd.read_csv(folder / "value_error.csv")
    summary = manifest["summary"]
    threshold = summary["error_threshold"]
    fig, ax = plt.subplots(figsize=(6.5, 4.2))
    for agent, label, colour in ARCHITECTURES:
        e = errors[errors.agent == agent]
        n = summary[agent]["episodes_to_threshold"]
        ax.plot(e.episode + 1, e.value_error, color=colour, lw=2, label=f"{label}: {n if n >= 0 else 'never'}")
    ax.axhspan(-threshold, threshold, color="0.85", zorder=0)
    ax.set_xscale("log")
    ax.set_xlabel("episode (log scale)")
    ax.set_ylabel("value error  mean$_s$(γ$^{n−1−s}$ − V$_{TD}$(s)) [reward units]")
    ax.set_title("Value error over training: the normative dual process learns fastest", fontsize=10)
    # The lower left is empty: every curve starts near its maximum.
    ax.legend(fontsize=8, loc="lower left", bbox_to_anchor=(0.0, 0.08), frameon=False,
              title=f"episodes to |value error| < {threshold:g} (grey band)", title_fontsize=8)
    return [save(fig, out, "value_error.png")]


REWARD_COLOURS = {1.0: "black", 2.0: "#d62728"}


def reward_colour(reward, index):
    return REWARD_COLOURS.get(reward, plt.cm.tab10(index))


def guru_track(folder, manifest, out):
    slopes = pd.read_csv(folder / "slopes.csv")
    ramps = pd.read_csv(folder / "session_rpe.csv")
    summary = manifest["summary"]
    swap = summary.get("swap_session")
    rewards = sorted(slopes.track_reward.unique())

    # Slope per session, grouped by the reward in force, as published: after
    # the swap "reward 1" is the track that paid 2 until then.
    fig, ax = plt.subplots(figsize=(6.5, 4.2))
    for i, reward in enumerate(rewards):
        s = slopes[slopes.track_reward == reward].sort_values("session")
        first = summary["session_0_slopes"].get(f"{reward:g}")
        label = f"reward {reward:g}" + (f" (session 0: {first:.4f})" if first is not None else "")
        # No line across the swap: the same reward is then paid on the other track.
        for part in ([s[s.session < swap], s[s.session >= swap]] if swap is not None else [s]):
            ax.plot(part.session, part.slope, "-o", ms=5, color=reward_colour(reward, i), label=label)
            label = None
    ax.xaxis.set_major_locator(plt.MaxNLocator(integer=True))
    if swap is not None:
        ax.axvline(swap - 0.5, color="0.5", ls="--", lw=1)
        ax.text(swap - 0.6, ax.get_ylim()[1], "rewards\nswapped", ha="right", va="top", fontsize=8,
                color="0.3")
    ax.axhline(0, color="0.7", lw=0.8)
    ax.set_xlabel("session")
    ax.set_ylabel("ramp slope [reward units / step]")
    ax.set_title("Ramp slope per session: scales with reward, fades, flips at the swap", fontsize=10)
    ax.legend(fontsize=8, loc="upper center")
    paths = [save(fig, out, "slope_per_session.png")]

    # Mean RPE along the track in selected sessions (the published panels:
    # sessions 0, 4, 8 and the swap session), one row per reward in force.
    sessions = [s for s in [0, 4, 8, swap] if s is not None and s in set(ramps.session)]
    fig, axes = plt.subplots(len(rewards), len(sessions), figsize=(2.6 * len(sessions), 2.4 * len(rewards)),
                             sharex=True, sharey=True, squeeze=False)
    for r, reward in enumerate(rewards):
        for c, session in enumerate(sessions):
            ax = axes[r][c]
            m = ramps[(ramps.track_reward == reward) & (ramps.session == session)].sort_values("step")
            ax.plot(m.step.iloc[:-1], rpe_for_plot(m.mean_delta.reset_index(drop=True)),
                    color=reward_colour(reward, r), lw=2)
            ax.axhline(0, color="0.7", lw=0.8)
            swapped = " (after swap)" if session == swap else ""
            ax.set_title(f"reward {reward:g}, session {session}{swapped}", fontsize=9)
            if r == len(rewards) - 1:
                ax.set_xlabel("state on the track")
            if c == 0:
                ax.set_ylabel("mean " + RPE_LABEL, fontsize=8)
    fig.suptitle("Mean RPE along the track over a session's episodes, by the reward in force "
                 "(terminal RPE dropped)", fontsize=10)
    return paths + [save(fig, out, "rpe_along_track.png")]


def guru_wheel(folder, manifest, out):
    slopes = pd.read_csv(folder / "slopes.csv")
    ramps = pd.read_csv(folder / "session_rpe.csv")
    sessions = sorted(ramps.session.unique())
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.8))
    cmap = plt.cm.Reds
    for i, session in enumerate(sessions):
        m = ramps[ramps.session == session].sort_values("step")
        colour = cmap(0.35 + 0.65 * i / max(1, len(sessions) - 1))
        if i in (0, len(sessions) - 1):
            label = f"session {session}"
        elif i == 1:
            label = f"sessions {sessions[1]}–{sessions[-2]}" if len(sessions) > 3 else f"session {session}"
        else:
            label = None
        axes[0].plot(m.step.iloc[:-1], rpe_for_plot(m.mean_delta.reset_index(drop=True)), color=colour,
                     lw=1.5, label=label)
    axes[0].set_xlabel("position on the wheel [step]")
    axes[0].set_ylabel("mean " + RPE_LABEL)
    axes[0].set_title("Mean RPE along the wheel, per session (terminal dropped)", fontsize=10)
    axes[0].legend(fontsize=8)
    axes[1].plot(slopes.session, slopes.slope, "-o", color="#d62728")
    axes[1].set_ylim(bottom=0)
    axes[1].set_xlabel("session")
    axes[1].set_ylabel("ramp slope [reward units / step]")
    axes[1].set_title("Ramp slope per session: the ramp persists\n"
                      "(mean over episodes of (δ$_{reward\\ step}$ − δ$_{first}$) / (steps − 1))", fontsize=10)
    return [save(fig, out, "wheel_ramps.png")]


KIM_COLOURS = ["#e6b800", "black", "#ff7f0e", "#d62728", "#1f77b4"]


def kim_probes(folder):
    """The probe episodes (traces.csv) and their events and slopes (probes.csv)."""
    return pd.read_csv(folder / "traces.csv"), pd.read_csv(folder / "probes.csv")


def kim_distance(folder, manifest, out):
    traces, probes = kim_probes(folder)
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.8), gridspec_kw={"width_ratios": [3, 2]})
    names = []
    for i, p in probes.reset_index(drop=True).iterrows():
        d = int(p.distance)
        if d == 0:
            name = f"pause ({manifest['description']['experiment']['params'].get('pause_steps')} steps)"
        else:
            name = "jump of 1 (a normal step)" if d == 1 else f"jump of {d} states"
        names.append(name)
        t = traces[traces.distance == d].sort_values("step")
        y = rpe_for_plot(t.delta.reset_index(drop=True))
        axes[0].plot(t.step.iloc[:-1] - p.event_step, y, color=KIM_COLOURS[i % 5], lw=2, label=name)
    axes[0].axvline(0, color="0.5", ls="--", lw=1)
    destination = manifest["summary"].get("destination")
    axes[0].set_xlim(-8, 12)
    axes[0].xaxis.set_major_locator(plt.MaxNLocator(integer=True))
    axes[0].set_xlabel("time step (0 = teleport, or first step of the pause)")
    axes[0].set_ylabel(RPE_LABEL)
    axes[0].set_title(f"RPE around a teleport to state {destination} / a pause there", fontsize=10)
    axes[0].legend(fontsize=8, loc="upper left")
    bars(axes[1], [n.replace(" (", "\n(").replace("of ", "of\n") for n in names], probes.event_rpe,
         [KIM_COLOURS[i % 5] for i in range(len(names))])
    axes[1].axhline(0, color="0.5", lw=0.8)
    axes[1].set_ylabel("RPE at the event (unscaled)")
    axes[1].set_title("Grows with the distance jumped; a pause dips", fontsize=10)
    return [save(fig, out, "teleport_rpe.png")]


def kim_location(folder, manifest, out):
    traces, probes = kim_probes(folder)
    distance = manifest["summary"].get("distance")
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.8), gridspec_kw={"width_ratios": [3, 2]})
    teleports = []
    for i, p in probes.reset_index(drop=True).iterrows():
        loc = int(p.location)
        colour = KIM_COLOURS[(i + 1) % 5] if loc != 0 else "0.6"
        name = "no teleport" if loc == 0 else f"from state {loc}"
        t = traces[traces.location == loc].sort_values("step")
        axes[0].plot(t.step.iloc[:-1], rpe_for_plot(t.delta.reset_index(drop=True)), color=colour,
                     lw=2 if loc else 1.5, ls="-" if loc else "--", label=name)
        if loc != 0:
            axes[0].axvline(p.event_step, color=colour, lw=0.8, alpha=0.6)
            teleports.append((name, p.event_rpe, colour))
    axes[0].set_xlabel("time step from trial start (thin lines: teleports)")
    axes[0].set_ylabel(RPE_LABEL)
    axes[0].set_title(f"RPE along the track, teleports of {distance} states", fontsize=10)
    axes[0].legend(fontsize=8)
    bars(axes[1], [b[0] for b in teleports], [b[1] for b in teleports], [b[2] for b in teleports])
    axes[1].set_ylabel("RPE at the teleport (unscaled)")
    axes[1].set_title("Larger nearer the goal", fontsize=10)
    return [save(fig, out, "teleport_rpe.png")]


def kim_speed(folder, manifest, out):
    traces, probes = kim_probes(folder)
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.8), gridspec_kw={"width_ratios": [3, 2]})
    colours = ["#d62728", "black", "#e6b800", "#1f77b4"]
    names = []
    for i, p in probes.reset_index(drop=True).iterrows():
        size = int(p.step_size)
        name = f"{size} state{'s' if size != 1 else ''} / step"
        names.append(name)
        t = traces[traces.step_size == size].sort_values("step")
        axes[0].plot(t.step.iloc[:-1], rpe_for_plot(t.delta.reset_index(drop=True)),
                     color=colours[i % 4], lw=2, label=name)
    axes[0].set_xlabel("time step from trial start")
    axes[0].set_ylabel(RPE_LABEL)
    axes[0].set_title("RPE over the approach at each speed (terminal dropped)", fontsize=10)
    axes[0].legend(fontsize=8)
    bars(axes[1], names, probes.approach_slope, [colours[i % 4] for i in range(len(names))], "{:.4f}")
    axes[1].set_ylabel("approach slope of δ [reward units / step]")
    axes[1].set_title("Faster movement, steeper ramp", fontsize=10)
    return [save(fig, out, "speed_ramps.png")]


UNCERTAINTY = [("static", "static: σ$_t$ = σ$_{t'}$", "black", "--"),
               ("dynamic", "dynamic: σ$_{t'}$ > σ$_t$", "#d62728", "-")]


def uncertainty_assumptions(folder, manifest, out):
    values = pd.read_csv(folder / "values.csv")
    errors = pd.read_csv(folder / "mean_error.csv")
    fig, axes = plt.subplots(1, 3, figsize=(13, 3.8))
    truth = values[values.condition == "static"]
    axes[0].plot(truth.state, truth.true_value, color="0.6", lw=4, label="true value Rγ$^{n−1−s}$")
    for condition, label, colour, ls in UNCERTAINTY:
        v = values[values.condition == condition]
        axes[0].plot(v.state, v.value, color=colour, ls=ls, lw=1.8, label=label)
        axes[1].plot(v.state, v.error, color=colour, ls=ls, lw=1.8, label=label)
        e = errors[errors.condition == condition]
        axes[2].plot(e.episode + 1, e.mean_error, color=colour, ls=ls, lw=1.8, label=label)
    axes[0].set_ylabel("value V(s) = φ$_t$(s)·w [reward units]")
    axes[0].set_title("Learned vs true values", fontsize=10)
    axes[1].axhline(0, color="0.7", lw=0.8)
    axes[1].set_ylabel("V(s) − true value [reward units]")
    axes[1].set_title("Dynamic uncertainty over-estimates", fontsize=10)
    params = manifest["description"]["experiment"]["params"]
    tail, n = params.get("sharp_tail", 0), len(truth)
    for ax in axes[:2]:
        ax.set_xlabel("state on the track")
        if tail > 0:
            # The dynamic condition keeps its last states sharp (σ_t' = σ_tail): no error there.
            ax.axvspan(n - tail - 0.5, n - 0.5, color="0.92", zorder=0,
                       label=f"last {tail} states: σ$_{{t'}}$ = {params.get('sigma_tail')}")
    axes[2].axhline(0, color="0.7", lw=0.8)
    axes[2].set_xscale("log")
    axes[2].set_xlabel("episode (log scale)")
    axes[2].set_ylabel("mean over states of V − true [reward units]")
    axes[2].set_title("Value error during training", fontsize=10)
    for ax in axes:
        ax.legend(fontsize=8)
    return [save(fig, out, "values_vs_truth.png")]


MIKHAEL = {("bright", "slow"): "black", ("bright", "fast"): "#d62728",
           ("dark", "slow"): "0.6", ("dark", "fast"): "#ff7f0e"}


def mikhael_track(folder, manifest, out):
    traces = pd.read_csv(folder / "traces.csv")
    probes = pd.read_csv(folder / "probes.csv")
    fig, axes = plt.subplots(1, 3, figsize=(13, 3.8), gridspec_kw={"width_ratios": [2, 2, 1.4]})
    for ax, speed in zip(axes[:2], ["slow", "fast"]):
        for lighting in ["bright", "dark"]:
            t = traces[(traces.lighting == lighting) & (traces.speed == speed)].sort_values("step")
            size = int(t.step_size.iloc[0])
            ax.plot(t.state.iloc[:-1], rpe_for_plot(t.delta.reset_index(drop=True)),
                    color=MIKHAEL[(lighting, speed)], lw=2, label=f"{lighting} track")
        ax.set_xlabel("position on the track [state]")
        ax.set_title(f"{speed}: {size} state{'s' if size != 1 else ''} per step", fontsize=10)
        ax.legend(fontsize=8)
    axes[0].set_ylabel(RPE_LABEL)
    axes[1].sharey(axes[0])
    bars(axes[2], [f"{p.lighting}\n{p.speed}" for p in probes.itertuples()], probes.reward_rpe,
         [MIKHAEL[(p.lighting, p.speed)] for p in probes.itertuples()])
    axes[2].set_ylabel("RPE at the reward (terminal step)")
    axes[2].set_title("Darkness raises the reward RPE", fontsize=10)
    fig.suptitle("Darkness flattens the approach ramp", fontsize=11)
    return [save(fig, out, "bright_vs_dark.png")]


def krausz_grid(folder, manifest, out):
    traces = pd.read_csv(folder / "traces.csv")
    maps = pd.read_csv(folder / "v_mb.csv")
    summary = manifest["summary"]
    params = manifest["description"]["experiment"]["params"]
    fig, axes = plt.subplots(1, 4, figsize=(15, 4.2), gridspec_kw={"width_ratios": [2, 2, 1.3, 1.3]},
                             layout="constrained")

    def start_of(t):
        return f"({int(t.start_row.iloc[0])}, {int(t.start_col.iloc[0])})"

    # The test trials: after the forced omission (from the second start) and
    # after the forced reward (from the first start).
    for trial, label, colour in [("reward", "after the omission", "0.5"),
                                 ("probe", "after the reward", "#d62728")]:
        t = traces[traces.trial_type == trial].sort_values("step")
        axes[0].plot(t.step.iloc[:-1], rpe_for_plot(t.delta.reset_index(drop=True)), "-o", ms=3,
                     color=colour, label=f"{label}, from {start_of(t)}")
    axes[0].axhline(0, color="0.7", lw=0.8)
    axes[0].set_title("Test: the trial after an omission / a reward", fontsize=10)
    axes[0].set_xlabel("step from start")
    axes[0].set_ylabel(RPE_LABEL)
    axes[0].legend(fontsize=8)

    # Training: mean RPE per step over the trials after a rewarded vs an
    # omitted trial (the previous trial always started from the other corner).
    training = traces[(traces.trial_type == "training") & traces.previous_outcome.notna()]
    for rewarded, label, colour in [(False, "after an omission", "0.5"),
                                    (True, "after a reward", "#d62728")]:
        t = training[(training.previous_outcome > 0) == rewarded]
        last = t.groupby("episode").step.transform("max")
        m = t[t.step < last].groupby("step").delta.mean()
        axes[1].plot(m.index, scaled(m.values), "-o", ms=3, color=colour,
                     label=f"{label} ({t.episode.nunique()} trials)")
    axes[1].set_title(f"Training: mean over {params.get('training_episodes')} alternating trials",
                      fontsize=10)
    axes[1].set_xlabel("step from start")
    axes[1].set_ylabel("mean " + RPE_LABEL)
    axes[1].legend(fontsize=8)

    vmax = maps.v_mb.max()
    goal, a, b = params.get("goal", [0, 0]), params.get("start_a"), params.get("start_b")
    for ax, after in zip(axes[2:], ["omission", "reward"]):
        m = maps[maps.after == after].pivot(index="row", columns="col", values="v_mb")
        im = ax.imshow(m.values, cmap="Oranges", vmin=0, vmax=vmax if vmax > 0 else 1)
        for cell, text in [(goal, "G"), (a, "A"), (b, "B")]:
            if cell:
                ax.text(cell[1], cell[0], text, ha="center", va="center", fontsize=8, fontweight="bold")
        ax.set_title(f"V$_{{MB}}$ after the {after} trial", fontsize=10)
        ax.set_xlabel("column")
        ax.set_ylabel("row")
    fig.colorbar(im, ax=axes[2:], shrink=0.7, label="V$_{MB}$ [reward units]  (G goal, A/B starts)")
    fig.suptitle("A reward raises the ramp on the next trial, even from the other start\n"
                 f"mean approach RPE {summary['ramp_after_omission']:.3f} after the omission, "
                 f"{summary['ramp_after_reward']:.3f} after the reward (seed {summary['seed']})",
                 fontsize=10)
    path = out / "ramp_after_reward.png"
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return [path]


PLOTS = {
    "ramps_demo": demo,
    "ramps_compare_architectures": compare_architectures,
    "ramps_guru_track": guru_track,
    "ramps_guru_wheel": guru_wheel,
    "ramps_kim_distance": kim_distance,
    "ramps_kim_location": kim_location,
    "ramps_kim_speed": kim_speed,
    "ramps_uncertainty_assumptions": uncertainty_assumptions,
    "ramps_mikhael_track": mikhael_track,
    "ramps_krausz_grid": krausz_grid,
}
