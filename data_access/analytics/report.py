"""The committee's monthly report (月度报告), its figures: one month of one community —
KPIs against the contract and the previous month, the 12-month trend, work orders, tickets,
hotspots, keywords and patrol coverage.

Every figure comes from the module that owns it: the KPIs are the ``kpis.Kpi`` objects of
``kpis.compute_kpis`` (value, target, change and "no data" are their rules), exactly as
``manage.py kpis`` computes them; handling times are ``handling.handling_figures``, the trend is
``kpis.monthly_trend``, patrol coverage is ``patrols.summarize_shifts`` over ``list_shifts``,
hotspots and keywords are ``analytics.hotspot_matrix`` and ``keywords.top_keywords``. The only
counts made here are breakdowns (work orders per type, tickets per status), and their totals
are the KPIs' own numerators and denominators (tests hold them to it).

The report is meant to be printed and passed around: personal data in it is masked for every
viewer, managers included (names 张**, units 3栋2单元***, and names and personal data typed into
ticket titles and reasons, ``privacy.public_text_masker``); a ticket of an in-home order shows
only its neutral title, category, building and deadlines (``privacy.redacts_private``).

How the report is shown (its tables in the reader's language, the Excel workbook, the PDF) is
the ``reports`` package's: this module only builds the ``MonthlyReport`` it draws.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from data_access.accounts.auth import Viewer
from data_access.accounts.privacy import (
    mask_name,
    mask_unit,
    private_title,
    public_text_masker,
    redacts_private,
    ticket_of_private_order,
)
from data_access.analytics.analytics import hotspot_matrix
from data_access.analytics.explanations import MonthExplanations, month_explanations
from data_access.analytics.keywords import top_keywords
from data_access.analytics.kpis import (
    KPI_KEYS,
    Kpi,
    KpiReport,
    compute_kpis,
    monthly_trend,
)
from data_access.errors import NotAllowed
from data_access.models import (
    TICKET_STATUSES,
    WORK_ORDER_TYPES,
    Account,
    Area,
    Community,
    RectificationTicket,
    TicketEvent,
    WorkOrder,
)
from data_access.orders import deadlines
from data_access.orders.handling import HOUR, HandlingFigures, handling_figures
from data_access.periods import Period, last_periods
from data_access.plans.coverage import coverage_ratio
from data_access.plans.patrols import (
    COVERAGE_TARGET,
    JUDGED_STATUSES,
    list_shifts,
    summarize_shifts,
)
from data_access.tickets.ticket_board import RUNNING_STATUSES, current_deadline
from data_access.timestamps import stored_to_local, to_stored_utc

TREND_MONTHS = 12
HOTSPOT_LIMIT = 10  # area × category pairs shown
KEYWORD_LIMIT = 20
TICKET_LIST_LIMIT = 100  # overdue / rejected tickets listed (a month rarely has more)
ALL_TYPES = "all"  # the total row of the work-order summary
DAY = dt.timedelta(days=1)


# --- results -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class TicketSummary:
    """Rectification tickets opened in the month, by what became of them (status now)."""

    opened: int  # = the rectification KPI's denominator
    closed: int  # = its numerator
    on_time_share: float | None  # closed by the fix deadline ÷ opened (the KPI's on-time share)
    rejected: int
    in_progress: int  # neither closed nor rejected yet
    overdue_now: int  # of those in progress: a company deadline has passed as of ``as_of``


@dataclass(frozen=True)
class OverdueTicket:
    code: str
    title: str
    status: str
    place: str  # area name, or the masked location
    owner: str  # masked
    deadline_kind: str  # "accept" or "fix"
    deadline: dt.datetime  # local
    days_overdue: float


@dataclass(frozen=True)
class RejectedTicket:
    code: str
    title: str
    category: str
    place: str
    owner: str  # masked
    rejected_at: dt.datetime | None  # local; None for a ticket imported without its log
    reason: str  # public, as on the board


@dataclass(frozen=True)
class PatrolCoverage:
    """Patrol shifts of the month as of ``as_of`` (``patrols.summarize_shifts``)."""

    shifts: int
    judged: int
    done: int
    late: int
    missed: int
    checkpoints_planned: int  # over judged shifts
    checkpoints_visited: int
    mean_coverage: float | None  # mean of the shifts' route coverage, as the Patrols page
    target: float

    @property
    def coverage_share(self) -> float | None:
        """Checkpoints visited ÷ planned over the judged shifts (``plans.coverage``); a shift
        never walked is pooled with 0 visited, unlike the staff KPIs' patrol coverage."""
        return coverage_ratio(self.checkpoints_visited, self.checkpoints_planned)


@dataclass(frozen=True)
class Keyword:
    word: str
    count: int  # occurrences
    documents: int  # texts it occurs in


@dataclass(frozen=True, eq=False)
class MonthlyReport:
    community_code: str
    community_name: str
    time_zone: str
    month: Period
    as_of: dt.datetime  # naive UTC: the moment deadlines were judged at
    kpis: tuple[Kpi, ...]  # kpis.compute_kpis's own, in KPI_KEYS order
    good_share: float | None  # ratings with a mean score ≥ 4
    # The four core KPIs of the 12 months ending with ``month`` (``kpis.monthly_trend``).
    trend: pd.DataFrame
    # One row per work-order type with orders, then the total (order_type ALL_TYPES): created,
    # completed, judged, on_time, on_time_share, median_hours.
    work_orders: pd.DataFrame
    handling: HandlingFigures
    tickets: TicketSummary
    overdue_tickets: tuple[OverdueTicket, ...]
    rejected_tickets: tuple[RejectedTicket, ...]
    hotspots: pd.DataFrame  # area, area_kind, category, count; most first
    keywords: tuple[Keyword, ...]
    patrols: PatrolCoverage
    explanations: MonthExplanations  # the company's word on missed KPIs; publication

    @property
    def month_label(self) -> str:
        return self.month.label

    def kpi(self, key: str) -> Kpi:
        return next(row for row in self.kpis if row.key == key)

    @property
    def missed_kpis(self) -> tuple[str, ...]:
        """The KPIs below target (not those not measured): each wants the company's word."""
        return tuple(row.key for row in self.kpis if row.meets_target is False)

    @property
    def unexplained_kpis(self) -> tuple[str, ...]:
        """Missed KPIs the company has not explained: shown as 物业未说明."""
        return tuple(k for k in self.missed_kpis if k not in self.explanations.by_kpi)

    @property
    def is_empty(self) -> bool:
        """Nothing at all happened in the month (before the data starts, or in the future)."""
        return (
            all(row.denominator == 0 for row in self.kpis)
            and int(self.work_orders["created"].sum()) == 0
            and self.tickets.opened == 0
            and self.patrols.shifts == 0
        )


# --- building the report ----------------------------------------------------------------------------
def build_monthly_report(
    *, session: Session, viewer: Viewer, month: Period, now: dt.datetime
) -> MonthlyReport:
    """The report of ``month`` for the viewer's community, deadlines judged as of ``now``.

    Committee members and managers only (``report.not_allowed`` for owners).
    """
    if not (viewer.is_committee or viewer.is_manager):
        raise NotAllowed("report.not_allowed")
    if month.kind != "month":
        raise ValueError(f"a monthly report needs a month, not {month.label!r}")
    as_of = to_stored_utc(now)
    community = session.get_one(Community, viewer.community_id)
    kpi_report = compute_kpis(session=session, community_id=community.id, period=month, as_of=as_of)
    handling = handling_figures(session=session, community_id=community.id, period=month)
    zone = ZoneInfo(community.time_zone)
    bounds = month.utc_bounds(community.time_zone)
    overdue = _overdue_tickets(session, community.id, bounds, as_of, zone)
    shifts = list_shifts(session=session, viewer=viewer, period=month, as_of=as_of)
    return MonthlyReport(
        community_code=community.code,
        community_name=community.name,
        time_zone=community.time_zone,
        month=month,
        as_of=as_of,
        kpis=tuple(kpi_report[key] for key in KPI_KEYS),
        good_share=kpi_report.satisfaction.good_share,
        trend=monthly_trend(
            session=session,
            community_id=community.id,
            months=last_periods("month", month.start, TREND_MONTHS),
            as_of=as_of,
        ),
        work_orders=_work_orders(session, community.id, bounds, as_of, kpi_report, handling),
        handling=handling,
        tickets=_ticket_summary(session, community.id, bounds, kpi_report, len(overdue)),
        overdue_tickets=tuple(overdue[:TICKET_LIST_LIMIT]),
        rejected_tickets=_rejected_tickets(session, community.id, bounds, zone),
        hotspots=_hotspots(session, viewer, month),
        keywords=_keywords(session, viewer, month),
        patrols=_patrol_coverage(shifts),
        explanations=month_explanations(session=session, viewer=viewer, month_start=month.start),
    )


def _count_if(condition: Any) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _work_orders(
    session: Session,
    community_id: int,
    bounds: tuple[dt.datetime, dt.datetime],
    as_of: dt.datetime,
    kpis: KpiReport,
    handling: HandlingFigures,
) -> pd.DataFrame:
    """Orders created in the month per type; the total row is the KPI's and handling's own.

    ``judged`` and ``on_time`` per type follow ``kpis.timeliness_rate`` (an order is judged once
    it is resolved or a deadline has passed without it; on time when it met both deadlines), so
    the types add up to the KPI's denominator and numerator.
    """
    lo, hi = bounds
    o = WorkOrder
    in_month = [o.community_id == community_id, o.created_at >= lo, o.created_at < hi]
    judged = deadlines.judged_sql(o, as_of)
    met = deadlines.met_sql(o)
    counts = {
        kind: (int(created), int(completed), int(n_judged), int(n_met))
        for kind, created, completed, n_judged, n_met in session.execute(
            select(
                o.order_type,
                func.count(),
                _count_if(o.completed_at.is_not(None)),
                _count_if(judged),
                _count_if(and_(judged, met)),
            )
            .where(*in_month)
            .group_by(o.order_type)
        )
    }
    # Medians are taken in Python from the durations, as ``handling`` does (same on every engine).
    hours: dict[str, list[float]] = defaultdict(list)
    for kind, created_at, completed_at in session.execute(
        select(o.order_type, o.created_at, o.completed_at).where(
            *in_month, o.completed_at.is_not(None)
        )
    ):
        if completed_at is not None:
            hours[kind].append((completed_at - created_at) / HOUR)
    order = {kind: i for i, kind in enumerate(WORK_ORDER_TYPES)}
    rows: list[dict[str, object]] = []
    for kind in sorted(counts, key=lambda k: (order.get(k, len(order)), k)):
        created, completed, n_judged, n_met = counts[kind]
        rows.append(
            {
                "order_type": kind,
                "created": created,
                "completed": completed,
                "judged": n_judged,
                "on_time": n_met,
                "on_time_share": n_met / n_judged if n_judged else None,
                "median_hours": float(statistics.median(hours[kind])) if hours[kind] else None,
            }
        )
    timeliness = kpis["timeliness_rate"]
    rows.append(
        {
            "order_type": ALL_TYPES,
            "created": sum(c[0] for c in counts.values()),
            "completed": handling.count,
            "judged": timeliness.denominator,
            "on_time": int(timeliness.numerator),
            "on_time_share": timeliness.value,
            "median_hours": handling.median_hours,
        }
    )
    frame = pd.DataFrame.from_records(rows, columns=list(rows[0]))
    ints = {name: "int64" for name in ("created", "completed", "judged", "on_time")}
    return frame.astype({**ints, "on_time_share": "float64", "median_hours": "float64"})


def _ticket_summary(
    session: Session,
    community_id: int,
    bounds: tuple[dt.datetime, dt.datetime],
    kpis: KpiReport,
    overdue_now: int,
) -> TicketSummary:
    lo, hi = bounds
    t = RectificationTicket
    by_status = {status: 0 for status in TICKET_STATUSES}
    for status, count in session.execute(
        select(t.status, func.count())
        .where(t.community_id == community_id, t.created_at >= lo, t.created_at < hi)
        .group_by(t.status)
    ):
        by_status[status] = int(count)
    rectification = kpis.rectification
    return TicketSummary(
        opened=rectification.denominator,
        closed=int(rectification.numerator),
        on_time_share=rectification.on_time_share,
        rejected=by_status["rejected"],
        in_progress=sum(n for s, n in by_status.items() if s not in ("closed", "rejected")),
        overdue_now=overdue_now,
    )


def _place(area: str | None, location: str) -> str:
    """The area is public; a free-text location beyond it is personal (masked)."""
    area, location = (area or "").strip(), location.strip()
    if not location or location == area:
        return area
    if not area or location.startswith(area):  # 3栋2单元1201 in 3栋: 3栋2单元***
        return mask_unit(location)
    return f"{area} / {mask_unit(location)}"


def _ticket_rows(
    session: Session,
    community_id: int,
    bounds: tuple[dt.datetime, dt.datetime],
    statuses: Sequence[str],
    extra: Any = None,
) -> list[Any]:
    lo, hi = bounds
    t = RectificationTicket
    columns: list[Any] = [t, Area.name, Account.display_name, ticket_of_private_order()]
    if extra is not None:
        columns.append(extra)
    return list(
        session.execute(
            select(*columns)
            .outerjoin(Area, Area.id == t.area_id)
            .outerjoin(Account, Account.id == t.owner_id)
            .where(
                t.community_id == community_id,
                t.created_at >= lo,
                t.created_at < hi,
                t.status.in_(statuses),
            )
            .order_by(t.created_at, t.id)
        ).all()
    )


def _overdue_tickets(
    session: Session,
    community_id: int,
    bounds: tuple[dt.datetime, dt.datetime],
    as_of: dt.datetime,
    zone: ZoneInfo,
) -> list[OverdueTicket]:
    """Tickets opened in the month whose running deadline (accept, then fix) has passed as of
    ``as_of`` — the board's rule (``ticket_board.current_deadline``). Most overdue first."""
    result = []
    masked = public_text_masker(session, community_id)
    rows = _ticket_rows(session, community_id, bounds, RUNNING_STATUSES)
    for ticket, area, owner, private in rows:
        kind, due, overdue = current_deadline(
            ticket.status, ticket.accept_due_at, ticket.fix_due_at, as_of
        )
        if not overdue or kind is None or due is None:
            continue
        local_due = stored_to_local(due, zone)
        assert local_due is not None
        redacted = redacts_private(bool(private), unmasked=False)
        result.append(
            OverdueTicket(
                code=ticket.code,
                title=private_title() if redacted else masked(ticket.title),
                status=ticket.status,
                place=(area or "") if redacted else _place(area, ticket.location),
                owner="" if redacted else mask_name(owner or ""),
                deadline_kind=kind,
                deadline=local_due,
                days_overdue=(as_of - due) / DAY,
            )
        )
    result.sort(key=lambda row: (-row.days_overdue, row.code))
    return result


def _rejected_tickets(
    session: Session,
    community_id: int,
    bounds: tuple[dt.datetime, dt.datetime],
    zone: ZoneInfo,
) -> tuple[RejectedTicket, ...]:
    rejected_at = (
        select(func.min(TicketEvent.occurred_at))
        .where(
            TicketEvent.ticket_id == RectificationTicket.id,
            TicketEvent.to_status == "rejected",
            TicketEvent.from_status != "rejected",
        )
        .scalar_subquery()
    )
    rows = _ticket_rows(session, community_id, bounds, ("rejected",), rejected_at)
    masked = public_text_masker(session, community_id)
    return tuple(
        RejectedTicket(
            code=ticket.code,
            title=private_title() if redacted else masked(ticket.title),
            category=ticket.category,
            place=(area or "") if redacted else _place(area, ticket.location),
            owner="" if redacted else mask_name(owner or ""),
            rejected_at=stored_to_local(when, zone),
            reason=masked(ticket.reject_reason),
        )
        for ticket, area, owner, private, when in rows[:TICKET_LIST_LIMIT]
        for redacted in (redacts_private(bool(private), unmasked=False),)
    )


def _patrol_coverage(shifts: pd.DataFrame) -> PatrolCoverage:
    summary = summarize_shifts(shifts)
    judged = shifts[shifts["status"].isin(JUDGED_STATUSES)]
    return PatrolCoverage(
        shifts=summary.shifts,
        judged=summary.judged,
        done=summary.done,
        late=summary.late,
        missed=summary.missed,
        checkpoints_planned=int(judged["planned_checkpoints"].sum()),
        checkpoints_visited=int(judged["visited"].sum()),
        mean_coverage=summary.mean_coverage,
        target=COVERAGE_TARGET,
    )


HOTSPOT_COLUMNS = ["area", "area_kind", "category", "count"]


def _hotspots(session: Session, viewer: Viewer, month: Period) -> pd.DataFrame:
    """The HOTSPOT_LIMIT busiest area × category pairs of ``analytics.hotspot_matrix``."""
    matrix = hotspot_matrix(session=session, viewer=viewer, period=month)
    top = matrix.sort_values(
        ["count", "area_name", "category"], ascending=[False, True, True], kind="stable"
    ).head(HOTSPOT_LIMIT)
    return top.rename(columns={"area_name": "area"})[HOTSPOT_COLUMNS].reset_index(drop=True)


def _keywords(session: Session, viewer: Viewer, month: Period) -> tuple[Keyword, ...]:
    """``keywords.top_keywords`` of the month's complaint, rating and ticket texts."""
    found = top_keywords(session=session, viewer=viewer, period=month, limit=KEYWORD_LIMIT)
    return tuple(Keyword(k.word, k.count, k.documents) for k in found)
