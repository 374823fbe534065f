"""The monthly report's figures: its KPIs are `manage.py kpis`'s, its breakdowns add up to them,
its lists are right and masked, owners are refused. Figures are checked on a hand-built month
(both engines) and on the demo database; its tables and files are tested in tests/reports/."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from data_access.accounts.auth import load_viewer
from data_access.analytics.analytics import hotspot_matrix
from data_access.analytics.keywords import top_keywords
from data_access.analytics.kpis import KPI_KEYS, Kpi, KpiReport, compute_kpis
from data_access.analytics.report import (
    ALL_TYPES,
    HOTSPOT_LIMIT,
    MonthlyReport,
    build_monthly_report,
)
from data_access.db import make_engine, make_session_factory, write_session
from data_access.errors import NotAllowed
from data_access.models import Account, Area, Community, RectificationTicket
from data_access.periods import parse_period
from data_access.plans.patrols import list_shifts, summarize_shifts
from tests.conftest import ROOT
from tests.data_access import factories as f

NOW = dt.datetime(2026, 11, 20, 12, 0)  # naive UTC: 20:00 in Shanghai, the demo's "now"
OCTOBER = parse_period("2026-10")


# --- a hand-built October -------------------------------------------------------------------------
def _ticket(
    session: Session,
    community: Community,
    created_at: dt.datetime,
    moves: tuple[tuple[str, dt.datetime], ...] = (),
    owner: Account | None = None,
    area: Area | None = None,
    location: str = "",
) -> RectificationTicket:
    ticket = f.rectification_ticket(session, community, created_at=created_at, moves=moves)
    ticket.owner_id = owner.id if owner else None
    ticket.area_id = area.id if area else None
    ticket.location = location
    session.flush()
    return ticket


@pytest.fixture
def october(session_factory: sessionmaker[Session]) -> Iterator[sessionmaker[Session]]:
    """Community REPA, October 2026 (Asia/Shanghai), judged at NOW:

    - tickets: one closed in time, one rejected (with its reason), one never accepted (its
      accept deadline passed), one in progress past its fix deadline; one of September and one
      of another community that must not count;
    - orders in 3栋: a repair met both deadlines (2 h), a complaint never answered;
    - patrols: a route of two checkpoints, one shift with one check-in, one shift never walked.
    """
    with write_session(session_factory) as session:
        community = f.community(session, code="REPA", name="报告小区")
        other = f.community(session, code="REPB", name="别的小区")
        f.contract(session, community)
        building = f.building(session, community, name="3栋")
        owner = f.account(session, community, username="rep_owner")
        f.account(session, community, role="committee", username="rep_committee")
        f.account(session, community, role="manager", username="rep_manager")
        local = f.local
        _ticket(session, community, local(2026, 10, 3, 9), (("accepted", local(2026, 10, 3, 12)),
                ("closed", local(2026, 10, 6, 9))))  # fmt: skip
        _ticket(session, community, local(2026, 10, 5, 9), (("rejected", local(2026, 10, 5, 15)),),
                owner=owner, area=building)  # fmt: skip
        _ticket(session, community, local(2026, 10, 10, 10), owner=owner, area=building,
                location="3栋2单元1201")  # fmt: skip
        _ticket(session, community, local(2026, 10, 20, 10), (("accepted", local(2026, 10, 20, 12)),
                ("in_progress", local(2026, 10, 21, 9))))  # fmt: skip
        _ticket(session, community, local(2026, 9, 28, 10))
        _ticket(session, other, local(2026, 10, 10, 10))
        created = local(2026, 10, 9, 10)
        f.work_order(session, community, created_at=created, area_id=building.id,
                     responded_at=created + dt.timedelta(minutes=10),
                     completed_at=created + dt.timedelta(hours=2))  # fmt: skip
        f.work_order(session, community, order_type="complaint", created_at=local(2026, 10, 12, 10),
                     area_id=building.id, title="电梯噪音")  # fmt: skip
        f.work_order(session, community, created_at=local(2026, 11, 2, 10))  # November
        route, (gate, _garden) = f.patrol_route(
            session, community, (("东门", 0, 0, False), ("花园", 10, 10, False))
        )
        plan = f.patrol_plan(session, community, route)
        walked = f.patrol_shift(
            session, plan, dt.date(2026, 10, 8), (local(2026, 10, 8, 8), local(2026, 10, 8, 8, 45)),
            started_at=local(2026, 10, 8, 8), ended_at=local(2026, 10, 8, 8, 40),
        )  # fmt: skip
        f.patrol_checkin(session, walked, gate, local(2026, 10, 8, 8, 10))
        f.patrol_shift(
            session, plan, dt.date(2026, 10, 9), (local(2026, 10, 9, 8), local(2026, 10, 9, 8, 45))
        )
    yield session_factory


def build(session: Session, username: str, month: str = "2026-10") -> MonthlyReport:
    viewer = load_viewer(session=session, username=username)
    assert viewer is not None
    return build_monthly_report(session=session, viewer=viewer, month=parse_period(month), now=NOW)


def test_ticket_summary_and_lists(october: sessionmaker[Session]) -> None:
    with october() as session:
        report = build(session, "rep_committee")
    assert report.community_name == "报告小区" and report.month_label == "2026-10"
    tickets = report.tickets
    assert (tickets.opened, tickets.closed, tickets.rejected, tickets.in_progress,
            tickets.overdue_now) == (4, 1, 1, 2, 2)  # fmt: skip
    assert tickets.on_time_share == 0.25  # the closed one, within its 7 days
    never_accepted, late_fix = report.overdue_tickets
    # accept deadline 2026-10-11 10:00 local; NOW is 2026-11-20 20:00 local
    assert never_accepted.deadline_kind == "accept"
    assert never_accepted.deadline == dt.datetime(2026, 10, 11, 10, 0)
    assert never_accepted.days_overdue == pytest.approx(40 + 10 / 24)
    assert never_accepted.owner == "张*" and never_accepted.place == "3栋2单元***"
    assert late_fix.deadline_kind == "fix" and late_fix.status == "in_progress"
    assert late_fix.deadline == dt.datetime(2026, 10, 27, 10, 0)
    (rejected,) = report.rejected_tickets
    assert rejected.reason == "不属于物业服务范围"
    assert rejected.rejected_at == dt.datetime(2026, 10, 5, 15, 0)
    assert rejected.owner == "张*" and rejected.place == "3栋"


def test_work_orders_per_type_add_up_to_the_kpi(october: sessionmaker[Session]) -> None:
    with october() as session:
        report = build(session, "rep_committee")
    rows = report.work_orders.set_index("order_type")
    assert list(rows.index) == ["repair", "complaint", ALL_TYPES]
    counts = ["created", "completed", "judged", "on_time"]
    assert rows.loc["repair", counts].tolist() == [1, 1, 1, 1]
    assert rows.loc["repair", "median_hours"] == 2.0
    complaint = rows.loc["complaint"]
    assert complaint[counts].tolist() == [1, 0, 1, 0]
    assert complaint.isna()["median_hours"]
    total = rows.loc[ALL_TYPES]
    assert total[counts].tolist() == [2, 1, 2, 1]
    assert total["on_time_share"] == 0.5 and total["median_hours"] == 2.0
    timeliness = report.kpi("timeliness_rate")
    assert (timeliness.numerator, timeliness.denominator) == (1, 2)


def test_patrols_hotspots_and_keywords_come_from_their_modules(
    october: sessionmaker[Session],
) -> None:
    with october() as session:
        report = build(session, "rep_committee")
        viewer = load_viewer(session=session, username="rep_committee")
        assert viewer is not None
        keywords = top_keywords(session=session, viewer=viewer, period=OCTOBER, limit=20)
    patrols = report.patrols
    assert (patrols.shifts, patrols.judged, patrols.done, patrols.missed) == (2, 2, 1, 1)
    assert (patrols.checkpoints_planned, patrols.checkpoints_visited) == (4, 1)
    assert patrols.coverage_share == 0.25 and patrols.mean_coverage == 0.25
    assert report.hotspots.to_dict("records") == [
        {"area": "3栋", "area_kind": "building", "category": "plumbing", "count": 2}
    ]
    assert [(k.word, k.count, k.documents) for k in report.keywords] == [
        (k.word, k.count, k.documents) for k in keywords
    ]


def test_owners_text_reaches_the_report_as_typed(october: sessionmaker[Session]) -> None:
    """A title typed as a spreadsheet formula or as markup is kept as typed (the files show it
    as text: tests/reports/test_files.py)."""
    title = '=HYPERLINK("http://evil.example","点我") <b>粗</b> & 更多'
    with write_session(october) as session:
        ticket = session.scalars(
            select(RectificationTicket).where(RectificationTicket.status == "rejected")
        ).one()
        ticket.title = title
    with october() as session:
        report = build(session, "rep_committee")
    assert [row.title for row in report.rejected_tickets] == [title]


def test_the_manager_gets_the_same_masked_report(october: sessionmaker[Session]) -> None:
    """The report is a document for the committee: masked whoever prints it."""
    with october() as session:
        committee = build(session, "rep_committee")
        manager = build(session, "rep_manager")
    assert manager.overdue_tickets == committee.overdue_tickets
    assert manager.rejected_tickets == committee.rejected_tickets
    assert manager.overdue_tickets[0].owner == "张*"


def test_owners_are_refused(october: sessionmaker[Session]) -> None:
    with october() as session, pytest.raises(NotAllowed) as refused:
        build(session, "rep_owner")
    assert refused.value.key == "report.not_allowed"


def test_only_months(october: sessionmaker[Session]) -> None:
    with october() as session:
        viewer = load_viewer(session=session, username="rep_committee")
        assert viewer is not None
        with pytest.raises(ValueError, match="month"):
            build_monthly_report(
                session=session, viewer=viewer, month=parse_period("2026-W41"), now=NOW
            )


def test_an_empty_month(october: sessionmaker[Session]) -> None:
    with october() as session:
        report = build(session, "rep_committee", "2025-01")
    assert report.is_empty
    assert report.work_orders["order_type"].tolist() == [ALL_TYPES]
    assert report.work_orders.iloc[0][["created", "completed", "judged"]].tolist() == [0, 0, 0]


# --- the demo database ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def demo_report(demo_database: Path) -> Iterator[tuple[str, MonthlyReport, dict[str, object]]]:
    """October 2026 of CUIHU for committee_a, read-only, with what the report's data came from."""
    url = f"sqlite:///{demo_database}"
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        viewer = load_viewer(session=session, username="committee_a")
        assert viewer is not None
        report = build_monthly_report(session=session, viewer=viewer, month=OCTOBER, now=NOW)
        sources: dict[str, object] = {
            "kpis": compute_kpis(
                session=session, community_id=viewer.community_id, period=OCTOBER, as_of=NOW
            ),
            "patrols": summarize_shifts(
                list_shifts(session=session, viewer=viewer, period=OCTOBER, as_of=NOW)
            ),
            "hotspots": hotspot_matrix(session=session, viewer=viewer, period=OCTOBER),
        }
    engine.dispose()
    yield url, report, sources


def test_kpis_equal_the_command_line(demo_report: tuple[str, MonthlyReport, dict]) -> None:
    url, report, _ = demo_report
    result = subprocess.run(
        [sys.executable, "manage.py", "--database-url", url, "kpis", "--community", "CUIHU",
         "--period", "2026-10", "--as-of", NOW.replace(tzinfo=dt.UTC).isoformat(), "--json"],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    cli = json.loads(result.stdout)
    assert cli["community"] == report.community_code == "CUIHU"
    assert [row.key for row in report.kpis] == list(KPI_KEYS)
    for row in report.kpis:
        expected = cli[row.key]
        assert row.value is not None
        assert round(row.value, 4) == expected["value"], row.key
        assert round(row.numerator, 4) == expected["numerator"], row.key
        assert row.denominator == expected["denominator"], row.key
        assert row.target == expected["target"], row.key
        assert row.previous is not None and round(row.previous, 4) == expected["previous"]
    assert round(report.good_share or 0, 4) == cli["satisfaction"]["good_share"]
    assert round(report.tickets.on_time_share or 0, 4) == cli["rectification_rate"]["on_time_share"]
    handling = cli["handling"]
    total = report.work_orders.set_index("order_type").loc[ALL_TYPES]
    assert total["completed"] == handling["count"] == report.handling.count
    assert round(total["median_hours"], 4) == handling["median_hours"]


def test_the_kpis_are_the_kpi_modules_own(demo_report: tuple[str, MonthlyReport, dict]) -> None:
    """One KPI type: the report carries ``compute_kpis``'s ``Kpi`` objects, not a copy."""
    _, report, sources = demo_report
    kpis = sources["kpis"]
    assert isinstance(kpis, KpiReport)
    assert all(isinstance(row, Kpi) for row in report.kpis)
    assert report.kpis == tuple(kpis[key] for key in KPI_KEYS)
    assert report.kpi("satisfaction") == kpis.satisfaction
    assert report.good_share == kpis.satisfaction.good_share


def test_breakdowns_add_up_to_their_sources(demo_report: tuple[str, MonthlyReport, dict]) -> None:
    _, report, sources = demo_report
    kpis = sources["kpis"]
    per_type = report.work_orders[report.work_orders["order_type"] != ALL_TYPES]
    total = report.work_orders.set_index("order_type").loc[ALL_TYPES]
    for column in ("created", "completed", "judged", "on_time"):
        assert per_type[column].sum() == total[column], column
    timeliness = kpis["timeliness_rate"]
    assert (total["on_time"], total["judged"]) == (timeliness.numerator, timeliness.denominator)
    rectification = kpis["rectification_rate"]
    tickets = report.tickets
    assert (tickets.closed, tickets.opened) == (rectification.numerator, rectification.denominator)
    assert tickets.closed + tickets.rejected + tickets.in_progress == tickets.opened
    patrols, summary = report.patrols, sources["patrols"]
    assert (patrols.shifts, patrols.mean_coverage) == (summary.shifts, summary.mean_coverage)
    assert patrols.checkpoints_planned - patrols.checkpoints_visited == summary.missed_checkpoints
    busiest = sorted(sources["hotspots"]["count"], reverse=True)[:HOTSPOT_LIMIT]
    assert report.hotspots["count"].tolist() == busiest
    assert report.keywords, "the demo's complaints and comments have words"
