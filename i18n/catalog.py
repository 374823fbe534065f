"""The one catalog: every UI string, keyed, in 简体中文 and English.

Strings live in one module per domain (``i18n/<domain>.py``, each a ``STRINGS`` dict) so that
work on different pages does not collide; they are merged here and a key may exist only once.
"""

from __future__ import annotations

from i18n import (
    accounts,
    alerts,
    analytics,
    board,
    console,
    core,
    governance,
    imports,
    kpis,
    me_too,
    outbox,
    patrols,
    plans,
    quality,
    ratings,
    report,
    summaries,
    sync,
    tickets,
    votes,
    work_orders,
)

Entry = dict[str, str]


def _merge(*parts: dict[str, Entry]) -> dict[str, Entry]:
    merged: dict[str, Entry] = {}
    for part in parts:
        duplicates = merged.keys() & part.keys()
        if duplicates:
            raise RuntimeError(f"UI string keys defined twice: {sorted(duplicates)}")
        merged.update(part)
    return merged


CATALOG: dict[str, Entry] = _merge(
    core.STRINGS,
    governance.STRINGS,
    votes.STRINGS,
    me_too.STRINGS,
    plans.STRINGS,
    patrols.STRINGS,
    kpis.STRINGS,
    work_orders.STRINGS,
    imports.STRINGS,
    tickets.STRINGS,
    ratings.STRINGS,
    board.STRINGS,
    console.STRINGS,
    alerts.STRINGS,
    analytics.STRINGS,
    quality.STRINGS,
    report.STRINGS,
    summaries.STRINGS,
    sync.STRINGS,
    outbox.STRINGS,
    accounts.STRINGS,
)
