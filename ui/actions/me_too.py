"""Writes of the "me too" and "follow" bar (order and ticket pages)."""

from __future__ import annotations

from data_access.accounts.auth import Viewer
from data_access.governance import me_too
from ui import clock
from ui.actions.commands import run_bookkeeping, run_command


def say_me_too(viewer: Viewer, subject: str, subject_id: int) -> int:
    """A figure changes (the count, the hotspot evidence): a command."""
    return run_command(me_too.say_me_too, viewer=viewer, subject=subject, subject_id=subject_id,
                       now=clock.now_utc())  # fmt: skip


def set_following(viewer: Viewer, subject: str, subject_id: int, follow: bool) -> None:
    """Whom the record's news reaches; no figure on any page changes."""
    run_bookkeeping(me_too.set_following, viewer=viewer, subject=subject, subject_id=subject_id,
                    follow=follow, now=clock.now_utc())  # fmt: skip
