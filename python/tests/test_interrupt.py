"""Ctrl-C during a run: KeyboardInterrupt at the next epoch boundary, the
network still usable, Python's own SIGINT handler back in place."""

import os
import signal
import threading
import time

import pytest

import bgsim


def interrupt_after(seconds):
    timer = threading.Timer(seconds, os.kill, args=(os.getpid(), signal.SIGINT))
    timer.start()
    return timer


def test_ctrl_c_stops_a_run_and_leaves_the_network_usable(library):
    net = bgsim.Network.from_file(library / "brunel2000_small.json")
    net.build()
    timer = interrupt_after(0.5)
    start = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        net.run(1e6)  # hours of wall time if nothing stopped it
    timer.join()
    assert time.monotonic() - start < 30
    reached = net.time_ms
    assert 0 < reached < 1e6
    # Python's own handler is back: a Ctrl-C now interrupts Python.
    with pytest.raises(KeyboardInterrupt):
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(5)
    # Everything up to the stop is there; the next run goes on from there,
    # to the same spikes as a run never stopped.
    stopped = net.spikes("exc")
    assert len(stopped) > 0 and stopped["time_ms"].max() <= reached
    assert net.run(20.0) == pytest.approx(reached + 20.0)
    whole = bgsim.Network.from_file(library / "brunel2000_small.json")
    whole.run(net.time_ms)
    assert whole.time_ms == net.time_ms
    assert whole.spikes("exc").tobytes() == net.spikes("exc").tobytes()


def test_a_handler_of_the_users_own_gets_the_interrupt(library):
    got = []
    previous = signal.signal(signal.SIGINT, lambda sig, frame: got.append(sig))
    try:
        net = bgsim.Network.from_file(library / "brunel2000_small.json")
        net.build()
        timer = interrupt_after(0.3)
        reached = net.run(1e6)  # stopped, and no exception: the handler raised none
        timer.join()
        assert got == [signal.SIGINT]
        assert reached == net.time_ms < 1e6
    finally:
        signal.signal(signal.SIGINT, previous)


def test_a_run_in_another_thread_leaves_ctrl_c_to_python(library):
    net = bgsim.Network.from_file(library / "brunel2000_small.json")
    net.build()
    worker = threading.Thread(target=net.run, args=(2000.0,))
    worker.start()
    timer = interrupt_after(0.1)
    with pytest.raises(KeyboardInterrupt):
        while worker.is_alive():
            time.sleep(0.01)
        time.sleep(5)  # the run was too quick: the interrupt comes meanwhile
    timer.join()
    worker.join()
    assert net.time_ms == 2000.0  # the run in the other thread went on
