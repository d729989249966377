"""Figures of the dual-process ramp experiments (tasks/ramps)."""
import matplotlib.pyplot as plt
import pandas as pd


def rpe_for_plot(delta):
    """As in the published figures: the terminal RPE is dropped and negative RPEs are divided by 5."""
    d = delta.iloc[:-1].copy()
    d[d < 0] /= 5.0
    return d


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
    axes[0].set_ylabel("RPE δ (negative ÷ 5)")
    fig.tight_layout()
    path = out / "rpe_over_training.png"
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return [path]


PLOTS = {"ramps_demo": demo}
