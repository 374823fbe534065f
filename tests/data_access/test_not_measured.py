"""Missing data is "not measured", never 0 % (issue 16, point 3), and import rows with a bad
closed time (point 4). Files are in Asia/Shanghai; the community's SLA for repairs is respond in
20 min, resolve in 600 min (10 h)."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access.analytics.kpis import compute_kpis
from data_access.imports.order_import import ImportReport, import_orders, parse_mapping
from data_access.models import Community, WorkOrder
from data_access.orders import deadlines
from data_access.orders.history import list_history
from data_access.periods import parse_period
from tests.data_access import factories as f
from tests.data_access.test_imports import (
    MAPPING,
    community,
    csv_bytes,
    issues,
    order_by_external_id,
    row,
)

__all__ = ["community"]  # the fixture, used by name

L = f.local
OCT = parse_period("2026-10")
AS_OF = L(2026, 10, 31, 10, 5)
NO_RESPONSE_COLUMN = MAPPING.replace('answered_at = "响应时间"\n', "")


def _import(session: Session, c: Community, rows: list[list[str]], *, response_column: bool) -> ImportReport:  # fmt: skip
    text = (MAPPING if response_column else NO_RESPONSE_COLUMN).format(
        encoding="auto", month_first="false", extra=""
    )
    report = import_orders(
        session=session, community_id=c.id, data=csv_bytes(rows),
        mapping=parse_mapping(text, name="t.toml"), file_name="t.csv",
    )  # fmt: skip
    session.commit()
    return report


def _timeliness(session: Session, c: Community) -> tuple[float | None, float, int, int]:
    kpi = compute_kpis(session=session, community_id=c.id, period=OCT, as_of=AS_OF).kpis[
        "timeliness_rate"
    ]
    return kpi.value, kpi.numerator, kpi.denominator, kpi.left_out


def test_an_export_without_response_times_is_not_measured(
    session: Session, community: Community
) -> None:
    # Four closed-in-time orders, no response column: nothing says whether the 20-minute
    # response deadline was met → not measured (None), 4 left out. Before: 0/4 = 0 %.
    rows = [row(f"N{n}", closed="2026/10/9 15:00", status="已完成") for n in range(4)]
    _import(session, community, rows, response_column=False)
    assert _timeliness(session, community) == (None, 0, 0, 4)
    assert order_by_external_id(session, "N0").response_recorded is False


def test_mixed_data_leaves_the_unknown_out_and_counts_them(
    session: Session, community: Community
) -> None:
    rows = [
        # met: responded 10:10 (≤ 10:20), closed 15:00 (≤ 20:00)
        row("M1", answered="2026/10/9 10:10", closed="2026/10/9 15:00", status="已完成"),
        # unknown: closed in time, no response time in a file that has the column
        row("M2", closed="2026/10/9 15:00", status="已完成"),
        # missed whatever the response: closed the next day (after 20:00)
        row("M3", closed="2026/10/10 10:00", status="已完成"),
        # missed: responded late (10:40 > 10:20)
        row("M4", answered="2026/10/9 10:40", closed="2026/10/9 15:00", status="已完成"),
        # pending: open, created 10:00 on the 31st, as of 10:05 both deadlines are ahead
        row("M5", created="2026/10/31 10:00", status="处理中"),
    ]
    _import(session, community, rows, response_column=True)
    # Judged: M1 (met), M3, M4 (missed) → 1/3; left out: M2.
    value, numerator, denominator, left_out = _timeliness(session, community)
    assert (numerator, denominator, left_out) == (1, 3, 1)
    assert value == pytest.approx(1 / 3)


def test_an_open_order_without_response_times_is_not_overdue_for_a_response(
    session: Session, community: Community
) -> None:
    from data_access.alerts.rules import run_alerts

    _import(session, community, [row("O1", created="2026/10/31 9:00", status="处理中")],
            response_column=False)  # fmt: skip
    # As of 10:05 the response deadline (09:20) has passed, the resolve one (19:00) not:
    # the source cannot tell about responses → no KPI judgement and no response alert.
    assert _timeliness(session, community) == (None, 0, 0, 1)
    run_alerts(session=session, now=AS_OF)
    session.commit()
    from data_access.models import Alert

    rules = set(session.scalars(select(Alert.rule).where(Alert.community_id == community.id)))
    assert "response_overdue" not in rules


def test_history_marks_the_unknown_and_leaves_them_out(
    session: Session, community: Community
) -> None:
    rows = [
        row("H1", answered="2026/10/9 10:10", closed="2026/10/9 15:00", status="已完成"),
        row("H2", closed="2026/10/9 15:00", status="已完成"),
    ]
    _import(session, community, rows, response_column=True)
    manager = f.account(session, community, role="manager")
    from data_access.accounts.auth import load_viewer

    viewer = load_viewer(session=session, account_id=manager.id)
    assert viewer is not None
    history = list_history(session=session, viewer=viewer, period=OCT, now=AS_OF)
    outcome = dict(zip(history["code"], history["timeliness"], strict=True))
    assert outcome == {"IMP-H1": "met", "IMP-H2": "unknown"}
    assert history["on_time"].dropna().tolist() == [True]


# --- point 4: a bad closed time ------------------------------------------------------------------
def test_an_open_row_with_a_closed_time_before_created_is_imported_open_with_both_times(
    session: Session, community: Community
) -> None:
    report = _import(
        session, community,
        [row("B1", created="2026/10/9 10:00", closed="2026/10/8 9:00", status="处理中")],
        response_column=True,
    )  # fmt: skip
    assert (report.created, report.rejected) == (1, ())
    order = order_by_external_id(session, "B1")
    assert order.completed_at is None
    assert issues(report.warnings) == [
        (
            2,
            "B1",
            "imports.warn.open_with_closed_time",
            {"value": "处理中", "closed": "2026/10/8 9:00"},
        )
    ]


def test_a_closed_row_closed_before_created_is_rejected_showing_both_times(
    session: Session, community: Community
) -> None:
    report = _import(
        session, community,
        [row("B2", created="2026/10/9 10:00", closed="2026/10/8 9:00", status="已完成"),
         row("B3", created="2026/10/9 10:00", answered="2026/10/9 9:00")],
        response_column=True,
    )  # fmt: skip
    assert issues(report.rejected) == [
        (2, "B2", "imports.reject.closed_before_created",
         {"created": "2026/10/9 10:00", "closed": "2026/10/8 9:00"}),
        (3, "B3", "imports.reject.answered_before_created",
         {"created": "2026/10/9 10:00", "answered": "2026/10/9 9:00"}),
    ]  # fmt: skip


# --- the rule's two forms agree --------------------------------------------------------------------
def test_the_sql_rule_equals_the_python_rule(session: Session) -> None:
    """Every combination of response (none, in time, late), recorded or not, completion (none,
    in time, late) and as-of moment (before the response deadline, between, after both)."""
    c = f.community(session, code="DEADL")
    created = L(2026, 10, 1, 10, 0)
    respond_due, resolve_due = created + dt.timedelta(minutes=20), created + dt.timedelta(hours=10)
    responses = (None, created + dt.timedelta(minutes=10), created + dt.timedelta(minutes=40))
    completions = (None, created + dt.timedelta(hours=5), created + dt.timedelta(hours=30))
    cases = list(itertools.product(responses, (True, False), completions))
    orders = []
    for responded, recorded, completed in cases:
        order = f.work_order(session, c, created_at=created, completed_at=completed)
        order.responded_at, order.response_recorded = responded, recorded
        order.respond_due_at, order.resolve_due_at = respond_due, resolve_due
        orders.append(order)
    session.flush()
    for as_of in (created + dt.timedelta(minutes=5), created + dt.timedelta(hours=1),
                  created + dt.timedelta(hours=40)):  # fmt: skip
        o = WorkOrder
        rows = session.execute(
            select(
                o.id,
                deadlines.judged_sql(o, as_of),
                deadlines.met_sql(o) & deadlines.judged_sql(o, as_of),
                deadlines.unknown_sql(o, as_of),
            ).where(o.community_id == c.id)
        ).all()
        by_id = {order.id: order for order in orders}
        for order_id, judged, met, unknown in rows:
            order = by_id[order_id]
            expected = deadlines.judge(
                responded_at=order.responded_at, response_recorded=order.response_recorded,
                respond_due_at=respond_due, completed_at=order.completed_at,
                resolve_due_at=resolve_due, as_of=as_of,
            )  # fmt: skip
            sql = "unknown" if unknown else ("met" if met else "missed") if judged else "pending"
            assert sql == expected, (order.responded_at, order.response_recorded, order.completed_at, as_of)  # fmt: skip
