"""Admission control of page runs (ui/run_slots.py): with one turn a second run waits until
the first has left; with no limit both run at once."""

from __future__ import annotations

import threading

import pytest

from ui import run_slots


@pytest.fixture(autouse=True)
def fresh_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """The semaphore belongs to the process and is made at its first run: start without one."""
    monkeypatch.setattr(run_slots, "_size", None)
    monkeypatch.setattr(run_slots, "_slots", None)


def _second_run_entered_while_first_held(size: int) -> bool:
    first_in, second_in, release_first = threading.Event(), threading.Event(), threading.Event()

    def first() -> None:
        with run_slots.run_slot(size):
            first_in.set()
            release_first.wait(10)

    def second() -> None:
        first_in.wait(10)
        with run_slots.run_slot(size):
            second_in.set()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    entered = second_in.wait(1.0)  # the first still holds its turn
    release_first.set()
    for thread in threads:
        thread.join(10)
    assert second_in.is_set()  # once the first left, the second ran
    return entered


def test_with_one_turn_the_second_run_waits_for_the_first() -> None:
    assert _second_run_entered_while_first_held(1) is False


def test_with_two_turns_or_no_limit_two_runs_go_together() -> None:
    assert _second_run_entered_while_first_held(2) is True


def test_no_limit_means_no_waiting() -> None:
    assert _second_run_entered_while_first_held(0) is True


def test_a_run_that_raises_gives_its_turn_back() -> None:
    """st.stop() and st.rerun() leave a run by raising: the turn must not be lost."""
    with pytest.raises(RuntimeError), run_slots.run_slot(1):
        raise RuntimeError("st.stop()")
    assert _second_run_entered_while_first_held(1) is False  # the one turn is free again
