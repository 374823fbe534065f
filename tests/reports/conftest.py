"""Monthly reports for the rendering tests: months of the demo database (read-only) built by
``data_access``, and hand-made ticket rows to put in them (the demo has no overdue ticket)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

from data_access.accounts.auth import load_viewer
from data_access.analytics.report import (
    MonthlyReport,
    OverdueTicket,
    RejectedTicket,
    build_monthly_report,
)
from data_access.db import make_engine, make_session_factory
from data_access.periods import parse_period

NOW = dt.datetime(2026, 11, 20, 12, 0)  # naive UTC: 20:00 in Shanghai, the demo's "now"
MONTHS = ("2026-10", "2024-12")  # last month, and a month before the demo data starts

OVERDUE = OverdueTicket(
    code="ZGD20261010001",
    title="3栋电梯异响",
    status="accepted",
    place="3栋 / 3栋2单元***",
    owner="张*",
    deadline_kind="fix",
    deadline=dt.datetime(2026, 10, 27, 10, 0),
    days_overdue=24.425,
)
REJECTED = RejectedTicket(
    code="ZGD20261005001",
    title="车库灯不亮",
    category="electrical",
    place="3栋",
    owner="李*",
    rejected_at=dt.datetime(2026, 10, 5, 15, 0),
    reason="不属于物业服务范围",
)


@pytest.fixture(scope="session")
def demo_reports(demo_database: Path) -> dict[str, MonthlyReport]:
    """The reports of MONTHS of CUIHU for committee_a, judged at NOW."""
    engine = make_engine(f"sqlite:///{demo_database}")
    try:
        with make_session_factory(engine)() as session:
            viewer = load_viewer(session=session, username="committee_a")
            assert viewer is not None
            return {
                month: build_monthly_report(
                    session=session, viewer=viewer, month=parse_period(month), now=NOW
                )
                for month in MONTHS
            }
    finally:
        engine.dispose()


@pytest.fixture
def october(demo_reports: dict[str, MonthlyReport]) -> MonthlyReport:
    return demo_reports["2026-10"]


@pytest.fixture
def empty_month(demo_reports: dict[str, MonthlyReport]) -> MonthlyReport:
    return demo_reports["2024-12"]


def with_tickets(
    report: MonthlyReport,
    overdue: tuple[OverdueTicket, ...] = (OVERDUE,),
    rejected: tuple[RejectedTicket, ...] = (REJECTED,),
) -> MonthlyReport:
    """``report`` listing these overdue and rejected tickets instead of its own."""
    return replace(report, overdue_tickets=overdue, rejected_tickets=rejected)
