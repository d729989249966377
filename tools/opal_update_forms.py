#!/usr/bin/python3
"""OpAL (Collins & Frank 2014) on the probabilistic selection task with its
own proportional actor updates, G <- G + a G d and N <- N - a N d, and with
additive ones, G <- G + a d and N <- N - a d, at three dopamine levels rho
(beta_G = beta (1 + rho), beta_N = beta (1 - rho)). Prints choose-A, avoid-B
and their difference per form and rho, averaged over simulated subjects:
with additive updates N = 2 - G on every trial, so rho cannot change the
choices (docs/basal_ganglia.md, "Changes in proportion to the weight").

A re-implementation for this argument only (bgsim's own OpAL agent is
models/agents/opal.*): training 360 trials of AB 80/20, CD 70/30, EF 60/40 in
random order and side; test preferences are the softmax probabilities of A
against C-F and of C-F against B, so no test trials are drawn.

Usage: opal_update_forms.py [--subjects N] [--seed S]
"""
import argparse

import numpy as np

REWARD = [0.8, 0.2, 0.7, 0.3, 0.6, 0.4]  # A-F
PAIRS = [(0, 1), (2, 3), (4, 5)]


def subject(rng, rho, proportional, beta=1.0, a_critic=0.2, a_go=0.1, a_nogo=0.1, loss=-1.0):
    G, N, V = np.ones(6), np.ones(6), np.zeros(6)
    bg, bn = beta * (1 + rho), beta * (1 - rho)

    def act(k):
        return bg * G[k] - bn * N[k]

    for _ in range(360):
        a, b = PAIRS[rng.integers(3)]
        if rng.random() < 0.5:
            a, b = b, a
        c = a if rng.random() < 1 / (1 + np.exp(act(b) - act(a))) else b
        r = 1.0 if rng.random() < REWARD[c] else loss
        d = r - V[c]
        V[c] += a_critic * d
        G[c] += a_go * d * (G[c] if proportional else 1.0)
        N[c] -= a_nogo * d * (N[c] if proportional else 1.0)

    def pref(x, y):
        return 1 / (1 + np.exp(act(y) - act(x)))

    choose_a = np.mean([pref(0, o) for o in (2, 3, 4, 5)])
    avoid_b = np.mean([pref(o, 1) for o in (2, 3, 4, 5)])
    return choose_a, avoid_b


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--subjects", type=int, default=400)
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    for proportional in (True, False):
        for rho in (-0.7, 0.0, 0.5):
            rng = np.random.default_rng(a.seed)
            r = np.array([subject(rng, rho, proportional) for _ in range(a.subjects)])
            print(f"{'proportional' if proportional else 'additive':12s} rho {rho:+.1f}: "
                  f"choose-A {r[:, 0].mean():.3f}  avoid-B {r[:, 1].mean():.3f}  "
                  f"difference {(r[:, 0] - r[:, 1]).mean():+.3f}")


if __name__ == "__main__":
    main()
