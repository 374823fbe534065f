"""Cached reads for the monthly report page (月度报告).

Every loader takes the viewer (the report is of their community, and owners are refused) and
every argument that changes the answer: the month, ``now`` (the current minute, which decides
which deadlines have passed) and, for the tables and files, the language.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from data_access.accounts.auth import Viewer
from data_access.analytics import report
from data_access.periods import Period
from reports.excel import report_to_excel
from reports.pdf import report_to_pdf
from reports.tables import ReportTable, report_tables
from ui.database import read

TTL_SECONDS = 300  # a month's figures move slowly; "now" in the key ages them anyway


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def monthly_report(viewer: Viewer, month: Period, now: dt.datetime) -> report.MonthlyReport:
    return read(report.build_monthly_report, viewer=viewer, month=month, now=now)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def tables(viewer: Viewer, month: Period, now: dt.datetime, lang: str) -> list[ReportTable]:
    return report_tables(monthly_report(viewer, month, now), lang)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def pdf(viewer: Viewer, month: Period, now: dt.datetime, lang: str) -> bytes:
    return report_to_pdf(monthly_report(viewer, month, now), lang)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def excel(viewer: Viewer, month: Period, now: dt.datetime, lang: str) -> bytes:
    return report_to_excel(monthly_report(viewer, month, now), lang)
