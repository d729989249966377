"""The cost of driving the closed loop from Python (issue 14: "the Python call
overhead of a closed-loop step must be negligible next to the simulation;
measure: a 1000-trial bandit from Python vs the CLI, within 5 %").

The spiking actor-critic plays the 1000-trial reversal bandit
(tasks/experiments/bandit_reversal_spiking.json) three ways, alternating,
`--repeat` times each:

  cli      `bgsim run FILE --out TMP --quiet`: the whole command, in a process
           of its own (wall and CPU time of the child)
  python   bgsim.run_experiment(FILE): the same experiment, one call
  played   bgsim.Task + bgsim.Agent played by bgsim.play: the closed loop's
           runner in C++, one call; the network's recordings stay in memory
           (no results folder)
  stepped  the same Task and Agent stepped trial by trial from a Python loop
           (reset, act, step, learn, end_trial: five calls into the module per
           trial, the kernel running without the GIL in act, learn and
           end_trial)

stepped against played is the price of the Python calls alone (the same
objects, the same memory sink); python against cli that of the API.

and prints one JSON line per run, then the medians and each Python way's
difference to the CLI (wall and CPU time). The session time of cli and
python is also read from the manifest (summary.session_wall_time_s): the
loop alone, without the build and the files.

    PYTHONPATH=build/release/python /usr/bin/python3 bench/python_overhead.py \
        --cli build/release/tools/bgsim --repeat 5
"""

import argparse
import json
import os
import pathlib
import resource
import statistics
import subprocess
import sys
import tempfile
import time

import bgsim

SOURCE = pathlib.Path(__file__).resolve().parents[1]
FILE = SOURCE / "tasks" / "experiments" / "bandit_reversal_spiking.json"


def child_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def own_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def run_cli(cli: str, trials: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        out = pathlib.Path(tmp) / "r"
        c0, t0 = child_cpu(), time.perf_counter()
        subprocess.run([cli, "run", str(FILE), "--out", str(out), "--quiet",
                        "--set", f"/experiment/params/trials={trials}"], check=True)
        wall, cpu = time.perf_counter() - t0, child_cpu() - c0
        summary = json.loads((out / "manifest.json").read_text())["summary"]
    return {"way": "cli", "wall_s": wall, "cpu_s": cpu,
            "session_s": summary["session_wall_time_s"], "reward": summary["total_reward"]}


def run_python(trials: int) -> dict:
    c0, t0 = own_cpu(), time.perf_counter()
    result = bgsim.run_experiment(FILE, overrides={"/experiment/params/trials": trials})
    wall, cpu = time.perf_counter() - t0, own_cpu() - c0
    return {"way": "python", "wall_s": wall, "cpu_s": cpu,
            "session_s": result.summary["session_wall_time_s"],
            "reward": result.summary["total_reward"]}


def run_played(trials: int) -> dict:
    params = json.loads(FILE.read_text())["experiment"]["params"]
    c0, t0 = own_cpu(), time.perf_counter()
    task = bgsim.Task("bandit", params["task"]["params"], seed=1)
    agent = bgsim.Agent(params["learner"], task=task, seed=1, base=FILE.parent)
    t1 = time.perf_counter()
    session = bgsim.play(task, agent, trials)
    end = time.perf_counter()
    return {"way": "played", "wall_s": end - t0, "cpu_s": own_cpu() - c0,
            "session_s": end - t1, "reward": session.summary["total_reward"]}


def run_stepped(trials: int) -> dict:
    params = json.loads(FILE.read_text())["experiment"]["params"]
    c0, t0 = own_cpu(), time.perf_counter()
    task = bgsim.Task("bandit", params["task"]["params"], seed=1)
    agent = bgsim.Agent(params["learner"], task=task, seed=1, base=FILE.parent)
    t1 = time.perf_counter()
    reward = 0.0
    for _ in range(trials):
        now = task.reset()
        while True:
            action = agent.act(now)
            nxt = task.step(action)
            agent.learn(now, action, nxt)
            reward += nxt.reward
            if nxt.terminal:
                agent.end_trial(nxt)
                break
            now = nxt
    end = time.perf_counter()
    return {"way": "stepped", "wall_s": end - t0, "cpu_s": own_cpu() - c0,
            "session_s": end - t1, "reward": reward}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cli", default=str(SOURCE / "build" / "release" / "tools" / "bgsim"))
    ap.add_argument("--trials", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    runs = []
    for _ in range(args.repeat):
        for run in (lambda: run_cli(args.cli, args.trials), lambda: run_python(args.trials),
                    lambda: run_played(args.trials), lambda: run_stepped(args.trials)):
            r = run()
            r["load"] = os.getloadavg()[0]
            print(json.dumps(r), flush=True)
            runs.append(r)
    med = {}
    for way in ("cli", "python", "played", "stepped"):
        rs = [r for r in runs if r["way"] == way]
        med[way] = {k: statistics.median(r[k] for r in rs) for k in ("wall_s", "cpu_s", "session_s")}
        assert len({r["reward"] for r in rs}) == 1, f"{way}: runs differ"
    rewards = {way: next(r["reward"] for r in runs if r["way"] == way) for way in med}
    print(f"\nmedians of {args.repeat} ({args.trials} trials; reward collected: {rewards}):")
    print(f"{'':8} {'wall [s]':>9} {'cpu [s]':>9} {'session [s]':>12} {'wall vs cli':>12} {'cpu vs cli':>11}")
    for way, m in med.items():
        dw = 100 * (m["wall_s"] / med["cli"]["wall_s"] - 1)
        dc = 100 * (m["cpu_s"] / med["cli"]["cpu_s"] - 1)
        print(f"{way:8} {m['wall_s']:9.2f} {m['cpu_s']:9.2f} {m['session_s']:12.2f} "
              f"{dw:+11.1f}% {dc:+10.1f}%")
    sw = 100 * (med["stepped"]["session_s"] / med["played"]["session_s"] - 1)
    sc = 100 * (med["stepped"]["cpu_s"] / med["played"]["cpu_s"] - 1)
    print(f"stepped vs played (the Python calls alone): session {sw:+.1f}%, cpu {sc:+.1f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
