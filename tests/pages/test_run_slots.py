"""Admission control of page runs (ui/run_slots.py): short runs go one at a time; a run that
has gone on for ``LONG_RUN_S`` lets the next start beside it, up to the limit; with no limit
every run goes at once."""

from __future__ import annotations

import threading
import time

import pytest

from ui import run_slots

LONG_RUN_S = 0.3  # shorter than the app's, so the tests wait less


@pytest.fixture(autouse=True)
def fresh_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """The turns belong to the process and are made at its first run: start without them."""
    monkeypatch.setattr(run_slots, "_size", None)
    monkeypatch.setattr(run_slots, "_turns", None)
    monkeypatch.setattr(run_slots, "LONG_RUN_S", LONG_RUN_S)


def _when_the_second_run_entered(size: int, first_holds_s: float) -> float | None:
    """Seconds after the first run entered that a second (arriving at once) entered while the
    first still held its turn for ``first_holds_s``; None if only after the first left."""
    first_in, first_out, second_in = threading.Event(), threading.Event(), threading.Event()
    entered: list[float] = []
    start: list[float] = []

    def first() -> None:
        with run_slots.run_slot(size):
            start.append(time.monotonic())
            first_in.set()
            time.sleep(first_holds_s)
            first_out.set()

    def second() -> None:
        first_in.wait(10)
        with run_slots.run_slot(size):
            entered.append(time.monotonic())
            second_in.set()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert second_in.is_set()  # the second always runs in the end
    if entered[0] >= start[0] + first_holds_s:  # only after the first left
        return None
    return entered[0] - start[0]


def test_with_one_turn_the_second_run_waits_for_the_first_however_long() -> None:
    assert _when_the_second_run_entered(1, first_holds_s=2 * LONG_RUN_S) is None


def test_with_two_turns_short_runs_go_one_at_a_time() -> None:
    assert _when_the_second_run_entered(2, first_holds_s=LONG_RUN_S / 3) is None


def test_with_two_turns_a_long_run_lets_the_next_start_beside_it() -> None:
    entered = _when_the_second_run_entered(2, first_holds_s=4 * LONG_RUN_S)
    assert entered is not None and LONG_RUN_S * 0.9 <= entered < 2 * LONG_RUN_S


def test_no_more_than_the_limit_run_at_once_however_long() -> None:
    """Two long runs hold both turns: a third waits until one of them ends."""
    both_in = threading.Barrier(3)
    release = threading.Event()
    third_in = threading.Event()

    def long_run() -> None:
        with run_slots.run_slot(2):
            both_in.wait(10)
            release.wait(10)

    def third() -> None:
        with run_slots.run_slot(2):
            third_in.set()

    longs = [threading.Thread(target=long_run) for _ in range(2)]
    for thread in longs:
        thread.start()
    both_in.wait(10)  # both long runs hold a turn (the second after LONG_RUN_S)
    waiting = threading.Thread(target=third)
    waiting.start()
    assert not third_in.wait(3 * LONG_RUN_S)
    release.set()
    assert third_in.wait(10)
    for thread in [*longs, waiting]:
        thread.join(10)


def test_no_limit_means_no_waiting() -> None:
    entered = _when_the_second_run_entered(0, first_holds_s=LONG_RUN_S)
    assert entered is not None and entered < LONG_RUN_S / 2


def test_a_run_that_raises_gives_its_turn_back() -> None:
    """st.stop() and st.rerun() leave a run by raising: the turn must not be lost."""
    with pytest.raises(RuntimeError), run_slots.run_slot(1):
        raise RuntimeError("st.stop()")
    assert _when_the_second_run_entered(1, first_holds_s=0.05) is None  # the turn is free again
