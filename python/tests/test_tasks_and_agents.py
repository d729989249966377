"""Tasks and agents stepped from Python: bgsim.Task and bgsim.Agent, made by
name with the parameters of a closed-loop file, stepped by hand or played by
bgsim.play, meet the numbers of the closed-loop experiment with the same
seed (its steps.csv), exactly."""

import json
import sys

import numpy as np
import pandas as pd
import pytest

import bgsim

BANDIT = {"num_arms": 2, "schedule": "reversal", "initial_means": [0.8, 0.2],
          "trials_per_block": 50, "outcome": "bernoulli"}
Q = {"alpha": 0.1, "beta": 5, "gamma": 0}


def closed_loop(task_type, task_params, learner, trials, seed):
    return {"name": "t", "seed": seed, "experiment": {"kind": "closed_loop", "params": {
        "trials": trials, "task": {"type": task_type, "params": task_params},
        "learner": learner}}}


def experiment_steps(task_type, task_params, learner, trials, seed, base=None):
    d = closed_loop(task_type, task_params, learner, trials, seed)
    return bgsim.run_experiment(d, base=base).trials


def test_stepping_by_hand_gives_the_experiments_delta_and_values():
    seed, trials = 5, 200
    task = bgsim.Task("bandit", BANDIT, seed=seed)
    agent = bgsim.Agent("q_learning", Q, task=task, seed=seed)
    assert agent.measure_names == ["value", "q_0", "q_1"]
    rows = []
    for _ in range(trials):  # as the closed loop's runner (tasks/loop/session.hpp)
        now = task.reset()
        while True:
            best = task.best_action
            action = agent.act(now)
            nxt = task.step(action)
            delta = agent.learn(now, action, nxt)
            rows.append([now.trial, now.time_step, now.state, action, best, nxt.reward,
                         delta, *agent.measures()])
            if nxt.terminal:
                agent.end_trial(nxt)
                break
            now = nxt
    mine = np.array(rows, dtype=np.float64)
    steps = experiment_steps("bandit", BANDIT, {"agent": "q_learning", "params": Q}, trials, seed)
    theirs = steps.to_numpy(dtype=np.float64)
    assert mine.shape == theirs.shape == (trials, 10)
    assert mine.tobytes() == theirs.tobytes()  # δ and Q values, bit for bit
    assert np.any(mine[:, 6] != 0.0) and np.any(mine[:, 7] != 0.0)


def test_play_gives_the_experiments_table():
    seed = 3
    task = bgsim.Task("bandit", BANDIT, seed=seed)
    agent = bgsim.Agent("q_learning", Q, task=task, seed=seed)
    first = bgsim.play(task, agent, 120)
    rest = bgsim.play(task, agent, 80)  # goes on from trial 120
    assert rest["trial"][0] == 120
    steps = experiment_steps("bandit", BANDIT, {"agent": "q_learning", "params": Q}, 200, seed)
    both = pd.concat([first.to_dataframe(), rest.to_dataframe()], ignore_index=True)
    assert list(both.columns) == list(steps.columns)
    for column in steps.columns:
        assert both[column].to_numpy(np.float64).tobytes() == \
            steps[column].to_numpy(np.float64).tobytes(), column
    assert first.summary["trials"] == 120 and not first.summary["stopped"]
    assert first.delta is first.arrays["delta"] and first.value is first.arrays["value"]


def test_opal_on_the_probabilistic_selection_task():
    seed, params = 11, {"trials_per_block": 21, "max_training_blocks": 2, "test_repeats": 1}
    opal = {"alpha_critic": 0.2, "alpha_go": 0.1, "alpha_nogo": 0.1, "beta": 1, "rho": 0.5}
    task = bgsim.Task("probabilistic_selection", params, seed=seed)
    agent = bgsim.Agent("opal", opal, task=task, seed=seed)
    session = bgsim.play(task, agent, 1000)  # the task finishes first
    assert task.finished and session.summary["trials"] == len(session) < 1000
    steps = experiment_steps("probabilistic_selection", params,
                             {"agent": "opal", "params": opal}, 1000, seed)
    pd.testing.assert_frame_equal(session.to_dataframe(), steps, check_dtype=False)


CONDITIONING = {"omission_probability": 0.2, "cue_duration_s": 0.3}


@pytest.mark.parametrize("agent,params", [
    ("td_lambda", {"alpha": 0.2, "representation": "microstimulus"}),
    ("distributional_td", {"n_predictors": 20, "representation": "complete_serial_compound"}),
])
def test_td_agents_stepped_by_hand_give_the_experiments_delta(agent, params):
    seed, trials = 4, 60
    task = bgsim.Task("conditioning", CONDITIONING, seed=seed)
    learner = bgsim.Agent(agent, params, task=task, seed=seed)
    assert learner.kind == agent and learner.measure_names == ["value"]
    rows = []
    for _ in range(trials):
        now = task.reset()
        while True:
            action = learner.act(now)
            assert action == 0  # a Pavlovian learner acts in nothing
            nxt = task.step(action)
            delta = learner.learn(now, action, nxt)
            rows.append([now.trial, now.time_step, delta, *learner.measures()])
            if nxt.terminal:
                learner.end_trial(nxt)
                break
            now = nxt
    mine = np.array(rows, dtype=np.float64)
    steps = experiment_steps("conditioning", CONDITIONING,
                             {"agent": agent, "params": params}, trials, seed)
    theirs = steps[["trial", "step", "delta", "value"]].to_numpy(dtype=np.float64)
    assert mine.shape == theirs.shape == (trials * 30, 4)  # 31 steps: 30 transitions
    assert mine.tobytes() == theirs.tobytes()
    assert mine[:, 2].max() > 0.5 and mine[-30:, 3].max() > 0.1  # it learned a value


def test_the_spiking_learner_played_from_python(experiments):
    d = json.loads((experiments / "bandit_reversal_spiking.json").read_text())
    params = d["experiment"]["params"]
    seed, trials = 2, 12
    task = bgsim.Task("bandit", params["task"]["params"], seed=seed)
    agent = bgsim.Agent(params["learner"], task=task, seed=seed, base=experiments)
    assert agent.kind == "network"
    session = bgsim.play(task, agent, trials)
    d = closed_loop("bandit", params["task"]["params"], params["learner"], trials, seed)
    result = bgsim.run_experiment(d, base=experiments)
    pd.testing.assert_frame_equal(session.to_dataframe(), result.trials, check_dtype=False)
    assert np.isfinite(session["da_after"]).all()
    assert agent.time_ms == result.summary["network"]["reached_ms"] > 0
    # The network's recordings, as the experiment's files.
    assert len(agent.spikes("snc")) > 0
    assert agent.spikes("snc").tobytes() == result.spikes("snc").tobytes()
    with pytest.raises(KeyError):
        agent.spikes("nowhere")


def test_the_columns_are_handed_over_without_a_copy():
    task = bgsim.Task("bandit", BANDIT, seed=1)
    agent = bgsim.Agent("q_learning", Q, task=task, seed=1)
    session = bgsim.play(task, agent, 50)
    delta = session.delta
    assert not delta.flags.owndata  # NumPy reads the C++ vector's memory
    assert type(delta.base).__name__ == "PyCapsule"
    before = delta.copy()
    del session
    assert np.array_equal(delta, before)  # the array keeps the vector alive


def test_tasks_step_in_trials():
    task = bgsim.Task("bandit", {"initial_means": [1.0, 0.0], "schedule": "fixed"}, seed=1)
    assert (task.num_actions, task.type) == (2, "bandit")
    assert task.params["initial_means"] == [1.0, 0.0]
    now = task.reset()
    assert now.trial == 0 and not now.terminal
    assert task.best_action == 0
    nxt = task.step(0)
    assert nxt.terminal and nxt.reward == 1.0
    assert "reward" in [e.kind for e in nxt.events]
    task.reset()
    assert task.step(1).reward == 0.0
    track = bgsim.Task("track", {"num_states": 4}, seed=1)
    s = track.reset()
    states = [s.state]
    while not s.terminal:
        s = track.step(1)
        states.append(s.state)
    # Forward to the last position, then the goal's reward on the step taken there.
    assert states == [0, 1, 2, 3, 3] and s.reward == 1.0
    assert [e.kind for e in s.events] == ["reward", "trial_end"]


def test_bad_tasks_and_agents_name_their_pointers():
    with pytest.raises(bgsim.DescriptionError) as e:
        bgsim.Task("bandits")
    assert e.value.problems[0].pointer == "/type"
    assert "did you mean \"bandit\"" in e.value.problems[0].message
    with pytest.raises(bgsim.DescriptionError) as e:
        bgsim.Task("bandit", {"num_arms": 2, "initial_meens": [0.5, 0.5]})
    assert [p.pointer for p in e.value.problems] == ["/params/initial_meens"]
    task = bgsim.Task("bandit", seed=1)
    with pytest.raises(bgsim.DescriptionError) as e:
        bgsim.Agent("q_learning", {"alpha": 2.0}, task=task)
    assert [(p.pointer, p.message) for p in e.value.problems] == [
        ("/params", "alpha must be in [0, 1]")]
    with pytest.raises(bgsim.DescriptionError) as e:
        bgsim.Agent("q_lerning", task=task)
    assert e.value.problems[0].pointer == "/agent"


@pytest.fixture
def experiments(library):
    return library.parent.parent / "tasks" / "experiments"


def test_ctrl_c_stops_play_at_a_trial_boundary(experiments):
    import os
    import signal
    import threading
    import time

    params = json.loads((experiments / "bandit_reversal_spiking.json").read_text())
    params = params["experiment"]["params"]
    task = bgsim.Task("bandit", params["task"]["params"], seed=1)
    agent = bgsim.Agent(params["learner"], task=task, seed=1, base=experiments)
    timer = threading.Timer(1.0, os.kill, (os.getpid(), signal.SIGINT))
    timer.start()
    t0 = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        bgsim.play(task, agent, 1000)  # about 9 s
    timer.join()
    assert time.monotonic() - t0 < 5.0
    # Both go on from the trial boundary where they stopped.
    session = bgsim.play(task, agent, 2)
    first = session["trial"][0]
    assert 0 < first < 1000 and list(session["trial"]) == [first, first + 1]
