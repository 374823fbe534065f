"""Reads and commands of the quality checklist (品质检查清单) and staff KPI (员工绩效) pages.

Reads are cached and keyed by the viewer (the cache is shared by all sessions). Commands go
through ``ui.actions.commands.run_command``: one write transaction, then every cached read is cleared.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from data_access.accounts.auth import Viewer
from data_access.analytics import checklists, staff_kpis
from data_access.analytics.checklists import (
    ChecklistEvidence,
    ChecklistView,
)
from data_access.periods import Period
from ui.database import read

CHECKLIST_TTL_SECONDS = 60
# An item's evidence is fixed by its analysis (``computed_at`` is part of the key).
EVIDENCE_TTL_SECONDS = 600
STAFF_TTL_SECONDS = 300


# --- checklists --------------------------------------------------------------------------------------
@st.cache_data(ttl=CHECKLIST_TTL_SECONDS, show_spinner=False)
def checklist(viewer: Viewer, status: str | None) -> list[ChecklistView]:
    return read(checklists.list_checklist, viewer=viewer, status=status)


@st.cache_data(ttl=EVIDENCE_TTL_SECONDS, show_spinner=False)
def evidence(viewer: Viewer, item_id: int, computed_at: dt.datetime) -> ChecklistEvidence:
    return read(checklists.checklist_evidence, viewer=viewer, item_id=item_id)


# --- staff KPIs --------------------------------------------------------------------------------------
@st.cache_data(ttl=STAFF_TTL_SECONDS, show_spinner=False)
def staff_table(viewer: Viewer, period: Period, now: dt.datetime) -> pd.DataFrame:
    return read(staff_kpis.list_staff_kpis, viewer=viewer, period=period, now=now)


@st.cache_data(ttl=STAFF_TTL_SECONDS, show_spinner=False)
def staff_trend(viewer: Viewer, staff_id: int, now: dt.datetime) -> pd.DataFrame:
    return read(staff_kpis.staff_trend, viewer=viewer, staff_id=staff_id, now=now)
