"""Each KPI, the board, the history and the analytics queries alone (no Streamlit, no cache).

Every call opens a short session from one engine, as ``ui.database.read`` does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bench.databases import DEMO_AS_OF, DEMO_NOW
from bench.stats import Timing, time_calls
from data_access.accounts.auth import Viewer
from data_access.analytics import analytics, kpis
from data_access.dashboards.overview import get_overview
from data_access.orders.history import list_history
from data_access.orders.work_orders import list_board
from data_access.periods import last_periods, period_containing


@dataclass(frozen=True)
class QueryResult:
    name: str
    timing: Timing
    rows: int | None = None  # size of the answer, where it is a table or list


def query_cases(viewer: Viewer) -> dict[str, Callable[[Session], Any]]:
    """Name → one call, for ``viewer`` (the community's manager sees every order)."""
    month = period_containing("month", DEMO_AS_OF)
    year = period_containing("year", DEMO_AS_OF)
    community = viewer.community_id
    cases: dict[str, Callable[[Session], Any]] = {
        "kpis.compute_kpis (month)": lambda s: kpis.compute_kpis(
            session=s, community_id=community, period=month, as_of=DEMO_NOW
        ),
        "kpis.plan_completion_rate": lambda s: kpis.plan_completion_rate(
            session=s, community_id=community, period=month, as_of=DEMO_NOW
        ),
        "kpis.actual_completion_rate": lambda s: kpis.actual_completion_rate(
            session=s, community_id=community, period=month, as_of=DEMO_NOW
        ),
        "kpis.timeliness_rate": lambda s: kpis.timeliness_rate(
            session=s, community_id=community, period=month, as_of=DEMO_NOW
        ),
        "kpis.rectification_rate": lambda s: kpis.rectification_rate(
            session=s, community_id=community, period=month
        ),
        "kpis.satisfaction": lambda s: kpis.satisfaction(
            session=s, community_id=community, period=month
        ),
        "kpis.reply_timeliness_rate": lambda s: kpis.reply_timeliness_rate(
            session=s, community_id=community, period=month, as_of=DEMO_NOW
        ),
        "kpis.monthly_trend (12 months)": lambda s: kpis.monthly_trend(
            session=s,
            community_id=community,
            months=last_periods("month", DEMO_AS_OF, 12),
            as_of=DEMO_NOW,
        ),
        "overview.get_overview": lambda s: get_overview(session=s, viewer=viewer, today=DEMO_AS_OF),
        "work_orders.list_board": lambda s: list_board(session=s, viewer=viewer, now=DEMO_NOW),
        "history.list_history (year)": lambda s: list_history(
            session=s, viewer=viewer, period=year, now=DEMO_NOW
        ),
        "analytics.reply_timeliness_by_category (month)": lambda s: (
            analytics.reply_timeliness_by_category(
                session=s, viewer=viewer, period=month, now=DEMO_NOW
            )
        ),
        "analytics.handling_durations (month)": lambda s: analytics.handling_durations(
            session=s, viewer=viewer, period=month
        ),
        "analytics.overdue_trend (month)": lambda s: analytics.overdue_trend(
            session=s, viewer=viewer, period=month, now=DEMO_NOW
        ),
        "analytics.hotspot_matrix (month)": lambda s: analytics.hotspot_matrix(
            session=s, viewer=viewer, period=month
        ),
        "analytics.risk_points (month)": lambda s: analytics.risk_points(
            session=s, viewer=viewer, period=month, now=DEMO_NOW
        ),
    }
    return cases


def _size(answer: Any) -> int | None:
    if hasattr(answer, "orders") and hasattr(answer, "total"):
        return int(answer.total)  # a Board
    try:
        return len(answer)
    except TypeError:
        return None


def measure_queries(
    engine: Engine, viewer: Viewer, runs: int, names: list[str] | None = None
) -> list[QueryResult]:
    """Median/p95 of ``runs`` calls of each query (after one untimed call that warms the
    connection pool and SQLAlchemy's statement cache)."""
    results = []
    for name, call in query_cases(viewer).items():
        if names is not None and name not in names:
            continue

        def once(call: Callable[[Session], Any] = call) -> Any:
            with Session(engine) as session:
                return call(session)

        answer = once()
        results.append(QueryResult(name, time_calls(once, runs), _size(answer)))
    return results
