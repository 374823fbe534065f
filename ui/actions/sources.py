"""The 数据来源 page's 立即同步 button: a request the worker picks up at its next round."""

from __future__ import annotations

from data_access.accounts.auth import Viewer
from data_access.sync.overview import request_sync
from ui import clock
from ui.actions.commands import run_bookkeeping
from ui.loaders import sources as source_loaders


def ask_for_a_sync(viewer: Viewer) -> bool:
    """False when a request is already waiting. No figure changes until the sync itself runs,
    so only this page's read is refreshed."""
    asked = run_bookkeeping(request_sync, viewer=viewer, now=clock.now_utc())
    source_loaders.data_sources.clear()
    return asked
