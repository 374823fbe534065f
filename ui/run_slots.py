"""How many page runs of this server process execute at once (admission control).

Every session's script runs on a thread of its own, and Python runs one thread at a time: a
hundred owners arriving together become a hundred threads handing the interpreter lock to each
other every few milliseconds, every run finishing only when nearly all of them have (they share
the core equally), and the hand-overs cost CPU of their own. Each element a run draws is also a
message the server's event loop must send, and that loop competes for the same lock. A few runs
at a time (``AppSettings.run_slots``) serve the same hundred sooner on average and with less
CPU; a run waiting for its turn sleeps without holding the lock. Fragment reruns (the menu's
counts) are short and not counted.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

_slots: threading.Semaphore | None = None
_size: int | None = None
_made = threading.Lock()


def _semaphore(size: int) -> threading.Semaphore | None:
    """The process's semaphore, made at the first run (the settings do not change while the
    process lives); None when the runs are not limited."""
    global _slots, _size
    with _made:
        if _size is None:
            _size = size
            _slots = threading.BoundedSemaphore(size) if size > 0 else None
        return _slots


@contextmanager
def run_slot(size: int) -> Iterator[None]:
    """Hold one of ``size`` turns of this process while the block runs (0: no limit)."""
    slots = _semaphore(size)
    if slots is None:
        yield
        return
    with slots:
        yield
