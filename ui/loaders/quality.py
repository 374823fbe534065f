"""Reads and commands of the quality checklist (品质检查清单) and staff KPI (员工绩效) pages.

Reads are cached and keyed by the viewer (the cache is shared by all sessions). Commands go
through ``ui.actions.commands.run_command``: one write transaction, then every cached read is cleared.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from data_access.accounts.auth import Viewer
from data_access.analytics import checklists, staff_kpis
from data_access.analytics.checklists import (
    ChecklistEvidence,
    ChecklistView,
)
from data_access.periods import Period
from ui.database import read
from ui.loaders.cache import community_cache

CHECKLIST_TTL_SECONDS = 60
# An item's evidence is fixed by its analysis (``computed_at`` is part of the key).
EVIDENCE_TTL_SECONDS = 600
STAFF_TTL_SECONDS = 300


# --- checklists --------------------------------------------------------------------------------------
@community_cache(ttl=CHECKLIST_TTL_SECONDS)
def checklist(viewer: Viewer, status: str | None) -> list[ChecklistView]:
    return read(checklists.list_checklist, viewer=viewer, status=status)


@community_cache(ttl=EVIDENCE_TTL_SECONDS)
def evidence(viewer: Viewer, item_id: int, computed_at: dt.datetime) -> ChecklistEvidence:
    return read(checklists.checklist_evidence, viewer=viewer, item_id=item_id)


# --- staff KPIs --------------------------------------------------------------------------------------
@community_cache(ttl=STAFF_TTL_SECONDS)
def staff_table(viewer: Viewer, period: Period, now: dt.datetime) -> pd.DataFrame:
    return read(staff_kpis.list_staff_kpis, viewer=viewer, period=period, now=now)


@community_cache(ttl=STAFF_TTL_SECONDS)
def staff_trend(viewer: Viewer, staff_id: int, now: dt.datetime) -> pd.DataFrame:
    return read(staff_kpis.staff_trend, viewer=viewer, staff_id=staff_id, now=now)
