"""The naive baseline: the same figures computed by reading whole tables into pandas and
filtering in memory, as a first prototype would. Each function returns what the real
``data_access`` call returns (or its figures), so the two can be compared for equality.

- ``naive_kpi_figures``: the Overview's six monthly KPIs (value, numerator, denominator, the
  value compared with, the extra share and the items not yet due) — the real path is
  ``kpis.compute_kpis``.
- ``naive_history``: the History page's table for a year — the real path is ``list_history``.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session

from bench.databases import DEMO_AS_OF, DEMO_NOW
from data_access.accounts.auth import Viewer
from data_access.analytics import kpis
from data_access.orders.history import HISTORY_COLUMNS, MAX_ROWS, list_history
from data_access.periods import Period, period_containing

Figures = dict[str, tuple[Any, ...]]  # KPI key → (value, numerator, denominator, previous, …)


@dataclass(frozen=True)
class NaiveResult:
    name: str
    real_ms: float  # median
    naive_ms: float  # median
    equal: bool

    @property
    def speedup(self) -> float:
        return self.naive_ms / self.real_ms if self.real_ms else float("nan")


def _table(conn: Connection, name: str, dates: tuple[str, ...] = ()) -> pd.DataFrame:
    frame = pd.read_sql_table(name, conn)
    for column in dates:
        frame[column] = pd.to_datetime(frame[column])
    return frame


def _in(column: pd.Series, lo: Any, hi: Any) -> pd.Series:
    return (column >= lo) & (column < hi)


def _le(a: pd.Series, b: pd.Series | Any) -> pd.Series:
    """``a <= b`` where a missing side is false (SQL's NULL comparison in a CASE)."""
    return (a <= b).fillna(False).astype(bool)


def _known(moment: pd.Series, as_of: pd.Timestamp) -> pd.Series:
    """A moment recorded later than ``as_of`` had not happened yet then."""
    return moment.where(moment <= as_of)


def _tally(tables: dict[str, pd.DataFrame], community_id: int, zone: str, period: Period,
           as_of: dt.datetime) -> kpis._Tally:  # fmt: skip
    lo, hi = (pd.Timestamp(x) for x in period.utc_bounds(zone))
    as_of_ts = pd.Timestamp(as_of)

    p = tables["plan_tasks"]
    p = p[(p["community_id"] == community_id) & (p["status"] != "cancelled")]
    p = p[
        _in(
            p["due_date"],
            pd.Timestamp(period.start),
            pd.Timestamp(period.end) + pd.Timedelta(days=1),
        )
    ]
    p = p.assign(completed_at=_known(p["completed_at"], as_of_ts))
    plan_due = p["completed_at"].notna() | (p["window_end_at"] <= as_of_ts)
    pending_tasks = int((~plan_due).sum())
    p = p[plan_due]
    done = p["completed_at"].notna()
    on_time = (
        done
        & _le(p["window_start_at"], p["completed_at"])
        & _le(p["completed_at"], p["window_end_at"])
    )
    plan = kpis._PlanCounts(len(p), int(on_time.sum()), int(done.sum()), pending_tasks)

    o = tables["work_orders"]
    o = o[(o["community_id"] == community_id) & _in(o["created_at"], lo, hi)]
    o = o[o["created_at"] <= as_of_ts]
    o = o.assign(
        completed_at=_known(o["completed_at"], as_of_ts),
        responded_at=_known(o["responded_at"], as_of_ts),
    )
    late_reply = o["responded_at"].isna() | (o["responded_at"] > o["respond_due_at"]).fillna(False)
    due = (
        o["completed_at"].notna()
        | (o["resolve_due_at"] <= as_of_ts)
        | ((o["respond_due_at"] <= as_of_ts) & late_reply)
    )
    met = _le(o["responded_at"], o["respond_due_at"]) & _le(o["completed_at"], o["resolve_due_at"])
    # A response the source never recorded cannot be judged, unless the resolution failed anyway.
    untold = o["responded_at"].isna() & ~o["response_recorded"].astype(bool)
    resolved_late = o["completed_at"].notna() & (o["completed_at"] > o["resolve_due_at"]).fillna(
        False
    )
    failed = resolved_late | (o["completed_at"].isna() & (o["resolve_due_at"] <= as_of_ts))
    judged = due & (~untold | failed)
    unknown = due & untold & ~failed
    orders = kpis._OrderCounts(
        int(judged.sum()),
        int((judged & met).sum()),
        int(unknown.sum()),
        int((~judged & ~unknown).sum()),
    )

    k = tables["rectification_tickets"]
    k = k[(k["community_id"] == community_id) & _in(k["created_at"], lo, hi)]
    k = k[k["created_at"] <= as_of_ts]
    e = tables["ticket_events"]
    e = e[(e["from_status"] == "submitted") & (e["to_status"] != "submitted")]
    first_reply = e.groupby("ticket_id")["occurred_at"].min()
    recorded_reply = pd.to_datetime(k["id"].map(first_reply).fillna(k["accepted_at"]))
    replied = _known(recorded_reply, as_of_ts)
    closed = (k["status"] == "closed") & _known(k["closed_at"], as_of_ts).notna()
    rejected = (k["status"] == "rejected") & replied.notna()
    decided = closed | rejected | (k["fix_due_at"] <= as_of_ts)
    untimed = (k["status"] != "submitted") & recorded_reply.isna()
    reply_due = replied.notna() | (k["accept_due_at"] <= as_of_ts) | untimed
    tickets = kpis._TicketCounts(
        int(decided.sum()),
        int(closed.sum()),
        int((closed & _le(k["closed_at"], k["fix_due_at"])).sum()),
        int(reply_due.sum()),
        int((reply_due & _le(replied, k["accept_due_at"])).sum()),
        int((~decided).sum()),
        int((~reply_due).sum()),
    )

    r = tables["ratings"]
    r = r[(r["community_id"] == community_id) & _in(r["created_at"], lo, hi)]
    r = r[r["created_at"] <= as_of_ts]
    r = r.assign(replied_at=_known(r["replied_at"], as_of_ts))
    total = r["score_speed"] + r["score_attitude"] + r["score_quality"]
    r_due = r["replied_at"].notna() | (r["reply_due_at"] <= as_of_ts)
    ratings = kpis._RatingCounts(
        len(r),
        int(total.sum()),
        int((total >= kpis.GOOD_SCORE * kpis.SCORE_DIMENSIONS).sum()),
        int(r_due.sum()),
        int((r_due & _le(r["replied_at"], r["reply_due_at"])).sum()),
        int((~r_due).sum()),
    )
    return kpis._Tally(plan, orders, tickets, ratings)


def naive_kpi_figures(
    engine: Engine, community_id: int, period: Period, as_of: dt.datetime
) -> Figures:
    """The six KPIs of ``period`` (and the previous period's values) from whole tables."""
    with engine.connect() as conn:
        tables = {
            "communities": _table(conn, "communities"),
            "plan_tasks": _table(conn, "plan_tasks", ("due_date", "window_start_at", "window_end_at", "completed_at")),
            "work_orders": _table(conn, "work_orders", ("created_at", "respond_due_at", "resolve_due_at", "responded_at", "completed_at")),
            "rectification_tickets": _table(conn, "rectification_tickets", ("created_at", "closed_at", "fix_due_at", "accept_due_at", "accepted_at")),
            "ticket_events": _table(conn, "ticket_events", ("occurred_at",)),
            "ratings": _table(conn, "ratings", ("created_at", "replied_at", "reply_due_at")),
        }  # fmt: skip
    communities = tables["communities"]
    zone = communities.loc[communities["id"] == community_id, "time_zone"].iloc[0]
    current = _tally(tables, community_id, zone, period, as_of)
    # a running period is compared with the same stretch of the one before, as it stood then
    stretch = kpis.compared_period(period, as_of, zone)
    compared, compared_as_of = stretch if stretch else (period.previous(), as_of)
    previous = _tally(tables, community_id, zone, compared, compared_as_of)
    figures = {}
    for key in kpis.KPI_KEYS:
        now, before = kpis._measure(key, current), kpis._measure(key, previous)
        figures[key] = (
            now.value, now.numerator, now.denominator, before.value, now.extra, now.pending,
        )  # fmt: skip
    return figures


def real_kpi_figures(
    session: Session, community_id: int, period: Period, as_of: dt.datetime
) -> Figures:
    report = kpis.compute_kpis(
        session=session, community_id=community_id, period=period, as_of=as_of
    )
    extras = {
        "satisfaction": report.satisfaction.good_share,
        "rectification_rate": report.rectification.on_time_share,
    }
    return {
        key: (kpi.value, kpi.numerator, kpi.denominator, kpi.previous, extras.get(key), kpi.pending)
        for key, kpi in report.kpis.items()
    }


def naive_history(engine: Engine, viewer: Viewer, period: Period, now: dt.datetime) -> pd.DataFrame:
    """``list_history`` (no search or filters) from the whole work_orders table."""
    with engine.connect() as conn:
        communities = _table(conn, "communities")
        o = _table(conn, "work_orders", ("created_at", "respond_due_at", "resolve_due_at", "responded_at", "completed_at"))  # fmt: skip
    zone = communities.loc[communities["id"] == viewer.community_id, "time_zone"].iloc[0]
    lo, hi = (pd.Timestamp(x) for x in period.utc_bounds(zone or "Asia/Shanghai"))
    o = o[(o["community_id"] == viewer.community_id) & (o["visibility"] == "public")]
    o = o[_in(o["created_at"], lo, hi)]
    o = o.sort_values(["created_at", "id"], ascending=False).head(MAX_ROWS)
    now_ts = pd.Timestamp(now)
    completed = o["completed_at"].notna()
    in_time = _le(o["responded_at"], o["respond_due_at"])
    untold = o["responded_at"].isna() & ~o["response_recorded"].astype(bool)
    resolved_late = completed & (o["completed_at"] > o["resolve_due_at"]).fillna(False)
    failed = resolved_late | (~completed & (o["resolve_due_at"] <= now_ts))
    unknown = ~failed & untold & (completed | (o["respond_due_at"] <= now_ts))
    met = completed & ~failed & ~untold & in_time
    missed = failed | (~untold & ~in_time & (completed | (o["respond_due_at"] <= now_ts)))
    timeliness = pd.Series("pending", index=o.index, dtype=object)
    timeliness[unknown] = "unknown"
    timeliness[missed] = "missed"
    timeliness[met] = "met"
    on_time = pd.Series(pd.NA, index=o.index, dtype="boolean")
    on_time[met] = True
    on_time[missed] = False
    local = ZoneInfo(zone or "Asia/Shanghai")
    frame = pd.DataFrame(
        {
            "order_id": o["id"],
            "code": o["code"],
            "created_at": o["created_at"]
            .dt.tz_localize("UTC")
            .dt.tz_convert(local)
            .dt.tz_localize(None),
            "order_type": o["order_type"],
            "category": o["category"],
            "title": o["title"],
            "location": o["location"],
            "status": completed.map({True: "completed", False: "open"}),
            "handling_hours": (o["completed_at"] - o["created_at"]).dt.total_seconds() / 3600,
            "on_time": on_time,
            "timeliness": timeliness,
        },
        columns=HISTORY_COLUMNS,
    ).reset_index(drop=True)
    frame["handling_hours"] = frame["handling_hours"].astype("float64")
    return frame


def same_history(real: pd.DataFrame, naive: pd.DataFrame) -> bool:
    """Same rows in the same order with the same values (datetime units may differ)."""
    if list(real.columns) != list(naive.columns) or len(real) != len(naive):
        return False
    for column in real.columns:
        a, b = real[column], naive[column]
        if column == "created_at":
            a, b = (
                pd.to_datetime(a).astype("datetime64[us]"),
                pd.to_datetime(b).astype("datetime64[us]"),
            )
        elif column == "handling_hours":
            if not ((a - b).abs().fillna(0) < 1e-9).all() or not a.isna().equals(b.isna()):
                return False
            continue
        elif column == "on_time":
            a, b = a.astype("boolean"), b.astype("boolean")
        elif column == "timeliness":
            a, b = a.astype(str), b.astype(str)
        if not a.reset_index(drop=True).equals(b.reset_index(drop=True)):
            return False
    return True


def _median_ms(fn: Any, runs: int) -> tuple[float, Any]:
    answer = fn()  # warm the pool and statement caches, keep the answer
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    middle = len(samples) // 2
    median = samples[middle] if len(samples) % 2 else (samples[middle - 1] + samples[middle]) / 2
    return median, answer


def compare(engine: Engine, viewer: Viewer, runs: int) -> list[NaiveResult]:
    """Real vs naive for the Overview's monthly KPIs and the History page's year table."""
    month = period_containing("month", DEMO_AS_OF)
    year = period_containing("year", DEMO_AS_OF)

    def real_kpis() -> Figures:
        with Session(engine) as session:
            return real_kpi_figures(session, viewer.community_id, month, DEMO_NOW)

    def real_history() -> pd.DataFrame:
        with Session(engine) as session:
            return list_history(session=session, viewer=viewer, period=year, now=DEMO_NOW)

    real_ms, real_answer = _median_ms(real_kpis, runs)
    naive_ms, naive_answer = _median_ms(
        lambda: naive_kpi_figures(engine, viewer.community_id, month, DEMO_NOW), runs
    )
    results = [
        NaiveResult(
            "Overview: six KPIs of the month", real_ms, naive_ms, real_answer == naive_answer
        )
    ]
    real_ms, real_frame = _median_ms(real_history, runs)
    naive_ms, naive_frame = _median_ms(lambda: naive_history(engine, viewer, year, DEMO_NOW), runs)
    results.append(
        NaiveResult(
            "History: the year's public orders",
            real_ms,
            naive_ms,
            same_history(real_frame, naive_frame),
        )
    )
    return results
