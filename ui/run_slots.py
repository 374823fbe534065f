"""How many page runs of this server process execute at once (admission control).

Every session's script runs on a thread of its own, and Python runs one thread at a time: a
hundred owners arriving together become a hundred threads handing the interpreter lock to each
other every few milliseconds, every run finishing only when nearly all of them have (they share
the core equally), and the hand-overs cost CPU of their own. Each element a run draws is also a
message the server's event loop must send, and that loop competes for the same lock. Runs that
take turns serve the same hundred sooner on average and with less CPU; a run waiting for its
turn sleeps without holding the lock. Fragment reruns (the menu's counts, the live board) do
not run app.py and are not counted.

The turns: page runs go **one at a time** while they are short (a page is tens of
milliseconds); a run that has held its turn for ``LONG_RUN_S`` (a report's PDF, an import) lets
the next one start beside it, up to ``AppSettings.run_slots`` at once, so that one slow page
never holds everyone up for longer than that. Measured (bench/session_cost.py, 100 new owners
at once, one process): one at a time instead of two cut the Overview's p95 by 15–20 % on
SQLite and PostgreSQL, and the CPU per visit by up to a sixth (issue 25).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

# A run that has held its turn this long lets the next one start beside it (seconds).
LONG_RUN_S = 0.5


class Turns:
    """At most ``size`` runs at once; a run starts only when every run going has gone on for
    ``LONG_RUN_S`` (none going: at once)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._started: dict[object, float] = {}  # each run going → when it started (monotonic)
        self._changed = threading.Condition()
        # One waiter at a time sleeps with a timeout, to look again when the runs going have
        # grown long; the others sleep until a run ends (a hundred waiters waking every half
        # second would cost CPU of their own).
        self._watched = False

    def _wait_s(self, now: float) -> float | None:
        """0 when a run may start now; else how long until one may (None: until one ends)."""
        if not self._started:
            return 0.0
        if len(self._started) >= self.size:
            return None
        youngest = max(self._started.values())
        return max(0.0, youngest + LONG_RUN_S - now)

    @contextmanager
    def turn(self) -> Iterator[None]:
        run = object()
        with self._changed:
            while (wait_s := self._wait_s(time.monotonic())) != 0.0:
                if wait_s is None or self._watched:
                    self._changed.wait()  # until a run ends (or the watch is handed over)
                    continue
                self._watched = True
                try:
                    self._changed.wait(wait_s)
                finally:
                    self._watched = False
            self._started[run] = time.monotonic()
            if len(self._started) < self.size:
                self._changed.notify()  # a waiter takes up the watch over the runs going
        try:
            yield
        finally:
            with self._changed:
                del self._started[run]
                self._changed.notify()


_turns: Turns | None = None
_size: int | None = None
_made = threading.Lock()


def _process_turns(size: int) -> Turns | None:
    """The process's turns, made at the first run (the settings do not change while the
    process lives); None when the runs are not limited."""
    global _turns, _size
    with _made:
        if _size is None:
            _size = size
            _turns = Turns(size) if size > 0 else None
        return _turns


@contextmanager
def run_slot(size: int) -> Iterator[None]:
    """Hold a turn of this process while the block runs (``size``: at most this many at once;
    0: no limit)."""
    turns = _process_turns(size)
    if turns is None:
        yield
        return
    with turns.turn():
        yield
