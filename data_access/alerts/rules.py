"""预警 Early warnings (docs/domain.md): the rules, the engine that keeps alerts in step with them,
what managers and the committee read, and the two moves managers make.

**Rules.** Each rule is a function ``find_<rule>(*, session, community_id, now)`` returning the
causes it finds *now* for one community (see each docstring for the exact condition). Their
thresholds are the settings of the contract in force on the community's local date of ``now``
(``thresholds_for``), the model's defaults without one. A deadline is overdue once ``now`` is
strictly after it (as the boards mark it): at the deadline itself nothing fires.

**Causes and keys.** A cause's ``cause_key`` names its community and subject (``c3:order17``), so
the table's unique (rule, cause_key) means one alert per cause, however often the engine runs.
Causes that can come back after they ended get a key per *episode*, derived from the data so
that a run at any moment names the same episode the same way:
- a hotspot or a fault streak is named after the record that brought its window's count up to
  the threshold (``…:from-order42``): while the count stays at or above the threshold it is one
  episode; once it drops below and rises again, the new episode starts at another record;
- a ticket's fix deadline is a new episode each time the owner reopens the ticket
  (``…:reopen1``): "not fixed" after the company said it was is news.
Other causes cannot recur (an order is responded to once; a rating is replied to once; a patrol
day is a day). A manager's resolution therefore holds while its episode lasts: the engine never
raises the same cause twice. If the engine itself resolved an alert and the same cause is found
again (a rating edited back below the red line, a threshold lowered again), it reopens that alert.

**Engine.** ``run_alerts`` raises an alert for every new cause (state "open"), notes
``last_checked_at`` on alerts whose cause is still there (without bumping their version, so a
manager's form never conflicts with the engine's bookkeeping), and resolves open or acknowledged
alerts whose cause has ended (``auto_resolved``). ``raised_at`` is when the cause began (the
deadline that passed, the rating, the record that made a hotspot…), never later than ``now``:
run every few minutes that is within minutes of the run; a first run over old data gives a true
history and a true age. The worker runs the engine every 5 minutes (``worker/``,
``python manage.py worker``); ``python manage.py alerts run`` runs it by hand.

**Text.** ``Alert.message`` keeps the cause in Chinese (for the command line and the record);
pages render the cause in the reader's language with ``AlertView.describe`` from the alert's
links, read live. Messages name codes, areas, equipment and days — never a person or a home.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy import Integer, and_, case, func, inspect, literal, or_, select, union_all, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from data_access.accounts.auth import Viewer
from data_access.accounts.privacy import person_for, ticket_of_private_order
from data_access.communities import community_zone
from data_access.errors import DomainError, NotAllowed
from data_access.flows import OPEN_TICKET_STATUSES
from data_access.models import (
    SEVERITIES,
    Account,
    Alert,
    Area,
    Community,
    Equipment,
    EquipmentFault,
    MeToo,
    PatrolPlan,
    PatrolShift,
    Rating,
    RectificationTicket,
    ServiceContract,
    TicketEvent,
    WorkOrder,
)
from data_access.periods import last_periods
from data_access.plans.coverage import planned_checkpoints_per_shift, visited_checkpoints_per_shift
from data_access.plans.patrols import judged_shift
from data_access.sync.status import failing_since, source_of
from data_access.text_input import clean_text
from data_access.timestamps import local_date, stored_to_local, to_stored_utc
from data_access.versioning import bump_version
from i18n import label, translate

RULES: tuple[str, ...] = (
    "response_overdue",
    "resolution_overdue",
    "accept_overdue",
    "fix_overdue",
    "red_line_rating",
    "hotspot",
    "missed_checkpoints",
    "fault_streak",
    "source_failing",
    "me_too",
)
ACTIVE_STATES = ("open", "acknowledged")
STATE_FILTERS = ("active", "open", "acknowledged", "resolved")  # "active" = open + acknowledged
READER_ROLES = ("committee", "manager")

# Severity of an order's overdue alert follows its priority.
PRIORITY_SEVERITY = {"urgent": "high", "normal": "medium", "low": "low"}
ACCEPT_OVERDUE_SEVERITY = "medium"
FIX_OVERDUE_SEVERITY = "high"  # overdue rectification is public (整改公示)
HOTSPOT_SEVERITY = "medium"
ME_TOO_SEVERITY = "medium"
MISSED_CHECKPOINTS_SEVERITY = "medium"
FAULT_STREAK_SEVERITY = "high"  # elevators, pumps, fire equipment
# An operational system whose sync keeps failing: the pages show older and older data.
SOURCE_FAILING_AFTER = dt.timedelta(minutes=30)
SOURCE_FAILING_SEVERITY = "high"
LOWEST_SCORE = 1  # a rating with a 1-star dimension is high severity, else medium

# Orders that report a problem count towards hotspots; a brand service (品牌服务) does not.
ISSUE_ORDER_TYPES = ("repair", "complaint", "rectification")
# A ticket is in its fix phase once accepted; awaiting the owner's confirmation, the company's
# part is done (as on the public board).
FIX_PHASE_STATUSES = ("accepted", "in_progress")
# A patrol day is a cause for this many local days (today included); after that it is history
# that the patrol page keeps showing.
MISSED_CHECKPOINTS_LOOKBACK_DAYS = 7

RESOLUTION_NOTE_MAX = 500
# A manager's resolution note is kept after the message (the table has no column for it).
RESOLUTION_NOTE_MARK = "\n处理说明:"
LIST_LIMIT = 500
TREND_WEEKS = 12
_IN_CHUNK = 500  # ids per IN (…) list


# --- thresholds -------------------------------------------------------------------------------
THRESHOLD_COLUMNS = (
    "red_line_score",
    "hotspot_min_count",
    "hotspot_window_days",
    "missed_checkpoints_per_day",
    "fault_streak_count",
    "fault_streak_days",
    "me_too_alert_count",
    "me_too_hotspot_weight",
)
# Settings where 0 means "off" rather than "every record is a cause".
_MAY_BE_ZERO = frozenset({"me_too_hotspot_weight"})


@dataclass(frozen=True)
class Thresholds:
    """The contract's early-warning settings (counts and days are at least 1; a weight may be 0)."""

    red_line_score: int
    hotspot_min_count: int
    hotspot_window_days: int
    missed_checkpoints_per_day: int
    fault_streak_count: int
    fault_streak_days: int
    me_too_alert_count: int
    me_too_hotspot_weight: int  # 0: "me too" is not hotspot evidence


def _model_default(column: str) -> int:
    default: Any = inspect(ServiceContract).columns[column].default
    return int(default.arg)


DEFAULT_THRESHOLDS = Thresholds(**{name: _model_default(name) for name in THRESHOLD_COLUMNS})


def thresholds_for(*, session: Session, community_id: int, now: dt.datetime) -> Thresholds:
    """The settings of the contract in force on the community's local date of ``now`` (the
    latest-starting one if several), else the model's defaults."""
    community = session.get_one(Community, community_id)
    day = local_date(to_stored_utc(now), ZoneInfo(community.time_zone))
    contract = session.scalars(
        select(ServiceContract)
        .where(
            ServiceContract.community_id == community_id,
            ServiceContract.start_date <= day,
            ServiceContract.end_date >= day,
        )
        .order_by(ServiceContract.start_date.desc(), ServiceContract.id.desc())
        .limit(1)
    ).first()
    if contract is None:
        return DEFAULT_THRESHOLDS
    values = {name: int(getattr(contract, name)) for name in THRESHOLD_COLUMNS}
    # A count or a window of 0 would make everything a cause: treat it as 1.
    return Thresholds(**{
        name: max(value, 0 if name in _MAY_BE_ZERO else 1) for name, value in values.items()
    })  # fmt: skip


# --- causes -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Cause:
    """What a rule found: one alert's worth. ``params`` fill the rule's sentence
    (``alerts.cause_<rule>``); ``since`` is when the cause began (naive UTC)."""

    rule: str
    cause_key: str
    community_id: int
    severity: str
    since: dt.datetime
    params: Mapping[str, str | int] = field(default_factory=dict)
    work_order_id: int | None = None
    ticket_id: int | None = None
    shift_id: int | None = None
    equipment_id: int | None = None

    def describe(self, lang: str = "zh") -> str:
        return describe_cause(self.rule, self.params, lang)


def describe_cause(rule: str, params: Mapping[str, str | int], lang: str = "zh") -> str:
    """The cause in words. A ``category`` param is a work-order category code, shown as its
    label in ``lang``. Without the params the rule needs, the rule's name alone."""
    shown = dict(params)
    if "category" in shown:
        shown["category"] = label("order_category", str(shown["category"]), lang)
    try:
        return translate(f"alerts.cause_{rule}", lang, **shown)
    except (KeyError, IndexError):
        return label("alert_rule", rule, lang)


def find_response_overdue(*, session: Session, community_id: int, now: dt.datetime) -> list[Cause]:
    """Open work orders not responded to (``responded_at`` empty) after their response deadline
    (``now > respond_due_at``). Ends when the order is responded to or completed. Severity
    follows the order's priority (urgent → high, normal → medium, low → low)."""
    return _order_overdue(session, community_id, now, "response_overdue")


def find_resolution_overdue(
    *, session: Session, community_id: int, now: dt.datetime
) -> list[Cause]:
    """Work orders not completed after their resolution deadline (``now > resolve_due_at``).
    Ends when the order is completed. Severity follows the order's priority."""
    return _order_overdue(session, community_id, now, "resolution_overdue")


def find_accept_overdue(*, session: Session, community_id: int, now: dt.datetime) -> list[Cause]:
    """Rectification tickets still "submitted" after their accept deadline
    (``now > accept_due_at``). Ends when the ticket is accepted or rejected."""
    now = to_stored_utc(now)
    zone = community_zone(session, community_id)
    rows = session.execute(
        select(RectificationTicket.id, RectificationTicket.code, RectificationTicket.accept_due_at)
        .where(
            RectificationTicket.community_id == community_id,
            RectificationTicket.status == "submitted",
            RectificationTicket.accept_due_at < now,
        )
        .order_by(RectificationTicket.accept_due_at, RectificationTicket.id)
    )
    return [
        Cause(
            rule="accept_overdue",
            cause_key=f"c{community_id}:ticket{ticket_id}",
            community_id=community_id,
            severity=ACCEPT_OVERDUE_SEVERITY,
            since=due,
            params={"code": code, "due": _local_text(due, zone)},
            ticket_id=ticket_id,
        )
        for ticket_id, code, due in rows
    ]


def find_fix_overdue(*, session: Session, community_id: int, now: dt.datetime) -> list[Cause]:
    """Rectification tickets in their fix phase (accepted, in progress) after their fix
    deadline (``now > fix_due_at``). Ends when the company asks the owner to confirm (or the
    ticket closes). Each reopening by the owner starts a new episode (key ``…:reopen<n>``),
    which began at the reopening if that came after the deadline."""
    now = to_stored_utc(now)
    zone = community_zone(session, community_id)
    # Correlated per overdue ticket (index ticket_id, occurred_at): grouping every reopening
    # of every community first cost a scan of the whole event table per community.
    reopening = (
        TicketEvent.ticket_id == RectificationTicket.id,
        TicketEvent.from_status == "awaiting_confirmation",
        TicketEvent.to_status == "in_progress",
    )
    times = select(func.count()).where(*reopening).correlate(RectificationTicket)
    last_at = select(func.max(TicketEvent.occurred_at)).where(*reopening)
    rows = session.execute(
        select(
            RectificationTicket.id,
            RectificationTicket.code,
            RectificationTicket.fix_due_at,
            times.scalar_subquery(),
            last_at.correlate(RectificationTicket).scalar_subquery(),
        )
        .where(
            RectificationTicket.community_id == community_id,
            RectificationTicket.status.in_(FIX_PHASE_STATUSES),
            RectificationTicket.fix_due_at < now,
        )
        .order_by(RectificationTicket.fix_due_at, RectificationTicket.id)
    )
    causes = []
    for ticket_id, code, due, times, reopened_at in rows:
        key = f"c{community_id}:ticket{ticket_id}" + (f":reopen{times}" if times else "")
        since = max(due, reopened_at) if times and reopened_at else due
        causes.append(
            Cause(
                rule="fix_overdue",
                cause_key=key,
                community_id=community_id,
                severity=FIX_OVERDUE_SEVERITY,
                since=min(since, now),
                params={"code": code, "due": _local_text(due, zone)},
                ticket_id=ticket_id,
            )
        )
    return causes


def find_red_line_ratings(
    *,
    session: Session,
    community_id: int,
    now: dt.datetime,
    thresholds: Thresholds | None = None,
) -> list[Cause]:
    """Ratings with a dimension at or below the contract's red line (``red_line_score``; as
    the rating form opens a ticket) that have no reply yet (created by ``now``). Ends when the
    rating is replied to — or edited above the red line. High severity when a dimension has
    the lowest score, else medium."""
    now = to_stored_utc(now)
    limits = thresholds or thresholds_for(session=session, community_id=community_id, now=now)
    line = limits.red_line_score
    rows = session.execute(
        select(
            Rating.id,
            Rating.work_order_id,
            WorkOrder.code,
            Rating.score_speed,
            Rating.score_attitude,
            Rating.score_quality,
            Rating.created_at,
        )
        .join(WorkOrder, Rating.work_order_id == WorkOrder.id)
        .where(
            Rating.community_id == community_id,
            Rating.replied_at.is_(None),
            Rating.created_at <= now,
            or_(
                Rating.score_speed <= line,
                Rating.score_attitude <= line,
                Rating.score_quality <= line,
            ),
        )
        .order_by(Rating.created_at, Rating.id)
    )
    causes = []
    for rating_id, order_id, code, speed, attitude, quality, created_at in rows:
        score = min(speed, attitude, quality)
        causes.append(
            Cause(
                rule="red_line_rating",
                cause_key=f"c{community_id}:rating{rating_id}",
                community_id=community_id,
                severity="high" if score <= LOWEST_SCORE else "medium",
                since=created_at,
                params={"code": code, "score": score, "red_line": line},
                work_order_id=order_id,
            )
        )
    return causes


def find_hotspots(
    *,
    session: Session,
    community_id: int,
    now: dt.datetime,
    thresholds: Thresholds | None = None,
) -> list[Cause]:
    """Areas (楼栋 or public area) with ``hotspot_min_count`` or more pieces of evidence of one
    category within the last ``hotspot_window_days`` (``now - window < moment <= now``): each
    problem order (repair, complaint, rectification) created there, and each owner's "me too"
    on a public order or ticket there (``data_access.governance.me_too``), weighing
    ``me_too_hotspot_weight`` (0: not counted). Records without an area are not placed anywhere
    and do not count.

    Ends when the window holds less than the threshold. The episode is named after the record
    that brought the count up to the threshold (see the module docstring); the alert links to
    the newest order of the area and category (or, with none, to the newest ticket).
    """
    now = to_stored_utc(now)
    limits = thresholds or thresholds_for(session=session, community_id=community_id, now=now)
    window = dt.timedelta(days=limits.hotspot_window_days)
    evidence = _hotspot_evidence(community_id, now, limits.me_too_hotspot_weight).subquery()
    hot = (
        select(evidence.c.area_id, evidence.c.category)
        .where(evidence.c.at > now - window)
        .group_by(evidence.c.area_id, evidence.c.category)
        .having(func.sum(evidence.c.weight) >= limits.hotspot_min_count)
        .subquery()
    )
    rows = session.execute(
        select(evidence.c.area_id, evidence.c.category, Area.name, evidence.c.at,
               evidence.c.kind, evidence.c.ref, evidence.c.weight, evidence.c.order_id,
               evidence.c.ticket_id)
        .join(hot, and_(hot.c.area_id == evidence.c.area_id,
                        hot.c.category == evidence.c.category))
        .join(Area, Area.id == evidence.c.area_id)
        .order_by(evidence.c.area_id, evidence.c.category, evidence.c.at, evidence.c.kind,
                  evidence.c.ref)
    ).all()  # fmt: skip
    causes = []
    for (area_id, category, area), group in itertools.groupby(rows, key=lambda r: r[:3]):
        found = list(group)
        # Each piece by its place in time order; a "me too" of weight w counts w times.
        records = [(row.at, place) for place, row in enumerate(found) for _ in range(row.weight)]
        start = episode_start(records, window, limits.hotspot_min_count, now)
        if start is None:
            continue
        first = found[start[1]]
        orders = [row.order_id for row in found if row.order_id is not None]
        tickets = [row.ticket_id for row in found if row.ticket_id is not None]
        causes.append(
            Cause(
                rule="hotspot",
                cause_key=f"c{community_id}:area{area_id}:{category}:from-{first.kind}{first.ref}",
                community_id=community_id,
                severity=HOTSPOT_SEVERITY,
                since=start[0],
                params={
                    "area": area,
                    "category": category,
                    "days": limits.hotspot_window_days,
                    "min_count": limits.hotspot_min_count,
                },
                work_order_id=orders[-1] if orders else None,
                ticket_id=None if orders else tickets[-1],
            )
        )
    return causes


def _hotspot_evidence(community_id: int, now: dt.datetime, me_too_weight: int) -> Any:
    """(area, category, moment, kind, ref, weight, order, ticket) of every piece of hotspot
    evidence of the community up to ``now``: problem orders ("order"), and with a weight above
    0 owners' "me too" on public orders and tickets ("metoo")."""
    orders = select(
        WorkOrder.area_id.label("area_id"), WorkOrder.category.label("category"),
        WorkOrder.created_at.label("at"), literal("order").label("kind"),
        WorkOrder.id.label("ref"), literal(1).label("weight"),
        WorkOrder.id.label("order_id"), literal(None, Integer).label("ticket_id"),
    ).where(
        WorkOrder.community_id == community_id, WorkOrder.area_id.is_not(None),
        WorkOrder.order_type.in_(ISSUE_ORDER_TYPES), WorkOrder.created_at <= now,
    )  # fmt: skip
    if me_too_weight <= 0:
        return orders
    said = and_(MeToo.community_id == community_id, MeToo.created_at <= now)
    on_orders = select(
        WorkOrder.area_id, WorkOrder.category, MeToo.created_at, literal("metoo"), MeToo.id,
        literal(me_too_weight), WorkOrder.id, literal(None, Integer),
    ).join(WorkOrder, and_(MeToo.subject == "order", WorkOrder.id == MeToo.subject_id)).where(
        said, WorkOrder.area_id.is_not(None), WorkOrder.order_type.in_(ISSUE_ORDER_TYPES),
        WorkOrder.visibility == "public",
    )  # fmt: skip
    on_tickets = select(
        RectificationTicket.area_id, RectificationTicket.category, MeToo.created_at,
        literal("metoo"), MeToo.id, literal(me_too_weight), literal(None, Integer),
        RectificationTicket.id,
    ).join(RectificationTicket, and_(MeToo.subject == "ticket",
                                     RectificationTicket.id == MeToo.subject_id)).where(
        said, RectificationTicket.area_id.is_not(None), ~ticket_of_private_order(),
    )  # fmt: skip
    return union_all(orders, on_orders, on_tickets)


def find_missed_checkpoints(
    *,
    session: Session,
    community_id: int,
    now: dt.datetime,
    thresholds: Thresholds | None = None,
) -> list[Cause]:
    """Patrol days (local ``shift_date``, within the last ``MISSED_CHECKPOINTS_LOOKBACK_DAYS``
    up to today) with ``missed_checkpoints_per_day`` or more missed checkpoints.

    Missed is the patrol page's definition: a judged shift's planned checkpoints minus its
    visited ones, counted by ``plans.coverage`` (a shift never walked misses all its
    checkpoints; a late check-in is a visit; planned and in-progress shifts are not judged
    yet). Ends if late check-ins bring the day below the threshold, or when the day leaves the
    look-back. The alert links to the day's shift with the most missed checkpoints; it began
    when the last of the day's shifts with misses ended.
    """
    now = to_stored_utc(now)
    limits = thresholds or thresholds_for(session=session, community_id=community_id, now=now)
    zone = community_zone(session, community_id)
    today = local_date(now, zone)
    first_day = today - dt.timedelta(days=MISSED_CHECKPOINTS_LOOKBACK_DAYS - 1)
    in_scope = (
        PatrolShift.community_id == community_id,
        PatrolShift.shift_date >= first_day,
        PatrolShift.shift_date <= today,
    )
    planned = planned_checkpoints_per_shift(*in_scope)
    visited = visited_checkpoints_per_shift(*in_scope)
    missed = func.coalesce(planned.c.planned, 0) - func.coalesce(visited.c.visited, 0)
    per_shift = session.execute(
        select(
            PatrolShift.shift_date,
            PatrolShift.id,
            PatrolShift.planned_end_at,
            missed.label("missed"),
        )
        .join(PatrolPlan, PatrolShift.plan_id == PatrolPlan.id)
        .outerjoin(planned, planned.c.shift_id == PatrolShift.id)
        .outerjoin(visited, visited.c.shift_id == PatrolShift.id)
        .where(*in_scope, judged_shift(now), missed > 0)
        .order_by(PatrolShift.shift_date, PatrolShift.id)
    ).all()
    causes = []
    for day, group in itertools.groupby(per_shift, key=lambda r: r[0]):
        shifts = list(group)
        if sum(int(s.missed) for s in shifts) < limits.missed_checkpoints_per_day:
            continue
        worst = max(shifts, key=lambda s: (int(s.missed), -s.id))
        causes.append(
            Cause(
                rule="missed_checkpoints",
                cause_key=f"c{community_id}:{day.isoformat()}",
                community_id=community_id,
                severity=MISSED_CHECKPOINTS_SEVERITY,
                since=min(max(s.planned_end_at for s in shifts), now),
                params={"day": day.isoformat(), "min_count": limits.missed_checkpoints_per_day},
                shift_id=worst.id,
            )
        )
    return causes


def find_fault_streaks(
    *,
    session: Session,
    community_id: int,
    now: dt.datetime,
    thresholds: Thresholds | None = None,
) -> list[Cause]:
    """Equipment with ``fault_streak_count`` or more faults that occurred within the last
    ``fault_streak_days`` (``now - window < occurred_at <= now``). Ends when the window holds
    fewer; the episode is named after the fault that reached the count. The alert links to the
    equipment and to the work order of its latest fault, if it has one."""
    now = to_stored_utc(now)
    limits = thresholds or thresholds_for(session=session, community_id=community_id, now=now)
    window = dt.timedelta(days=limits.fault_streak_days)
    mine = and_(Equipment.community_id == community_id, EquipmentFault.occurred_at <= now)
    hot = (
        select(EquipmentFault.equipment_id)
        .join(Equipment, EquipmentFault.equipment_id == Equipment.id)
        .where(mine, EquipmentFault.occurred_at > now - window)
        .group_by(EquipmentFault.equipment_id)
        .having(func.count() >= limits.fault_streak_count)
        .subquery()
    )
    rows = session.execute(
        select(
            EquipmentFault.equipment_id,
            Equipment.name,
            EquipmentFault.occurred_at,
            EquipmentFault.id,
            EquipmentFault.work_order_id,
        )
        .join(hot, hot.c.equipment_id == EquipmentFault.equipment_id)
        .join(Equipment, EquipmentFault.equipment_id == Equipment.id)
        .where(mine)
        .order_by(EquipmentFault.equipment_id, EquipmentFault.occurred_at, EquipmentFault.id)
    ).all()
    causes = []
    for (equipment_id, name), group in itertools.groupby(rows, key=lambda r: r[:2]):
        faults = list(group)
        start = episode_start(
            [(f[2], f[3]) for f in faults], window, limits.fault_streak_count, now
        )
        if start is None:
            continue
        causes.append(
            Cause(
                rule="fault_streak",
                cause_key=f"c{community_id}:equipment{equipment_id}:from-fault{start[1]}",
                community_id=community_id,
                severity=FAULT_STREAK_SEVERITY,
                since=start[0],
                params={
                    "equipment": name,
                    "days": limits.fault_streak_days,
                    "min_count": limits.fault_streak_count,
                },
                equipment_id=equipment_id,
                work_order_id=faults[-1][4],
            )
        )
    return causes


def find_me_too(
    *,
    session: Session,
    community_id: int,
    now: dt.datetime,
    thresholds: Thresholds | None = None,
) -> list[Cause]:
    """Open public orders and tickets on which ``me_too_alert_count`` or more owners said "me
    too" (by ``now``): the problem reaches beyond its reporter. Starts with the "me too" that
    reached the count; ends when the record is finished (a "me too" is never withdrawn)."""
    now = to_stored_utc(now)
    limits = thresholds or thresholds_for(session=session, community_id=community_id, now=now)
    said = select(MeToo.subject, MeToo.subject_id, MeToo.created_at).where(
        MeToo.community_id == community_id, MeToo.created_at <= now
    )
    open_orders = select(WorkOrder.id).where(
        WorkOrder.community_id == community_id, WorkOrder.completed_at.is_(None)
    )
    open_tickets = select(RectificationTicket.id).where(
        RectificationTicket.community_id == community_id,
        RectificationTicket.status.in_(OPEN_TICKET_STATUSES),
    )
    rows = session.execute(
        said.where(
            or_(
                (MeToo.subject == "order") & MeToo.subject_id.in_(open_orders),
                (MeToo.subject == "ticket") & MeToo.subject_id.in_(open_tickets),
            )
        ).order_by(MeToo.subject, MeToo.subject_id, MeToo.created_at, MeToo.id)
    ).all()
    reached: list[tuple[str, int, dt.datetime]] = []
    for (subject, subject_id), group in itertools.groupby(rows, key=lambda r: (r[0], r[1])):
        moments = [row[2] for row in group]
        if len(moments) >= limits.me_too_alert_count:
            reached.append((subject, subject_id, moments[limits.me_too_alert_count - 1]))
    codes = {
        ("order", i): code
        for i, code in session.execute(select(WorkOrder.id, WorkOrder.code).where(
            WorkOrder.id.in_([i for s, i, _ in reached if s == "order"])))
    } | {
        ("ticket", i): code
        for i, code in session.execute(select(RectificationTicket.id, RectificationTicket.code)
                                       .where(RectificationTicket.id.in_(
                                           [i for s, i, _ in reached if s == "ticket"])))
    }  # fmt: skip
    causes = []
    for subject, subject_id, since in reached:
        causes.append(
            Cause(
                rule="me_too",
                cause_key=f"c{community_id}:{subject}{subject_id}:me-too",
                community_id=community_id,
                severity=ME_TOO_SEVERITY,
                since=since,
                params={
                    "code": codes[(subject, subject_id)],
                    "min_count": limits.me_too_alert_count,
                },
                work_order_id=subject_id if subject == "order" else None,
                ticket_id=subject_id if subject == "ticket" else None,
            )
        )
    return causes


def episode_start(
    records: Sequence[tuple[dt.datetime, int]],
    window: dt.timedelta,
    min_count: int,
    now: dt.datetime,
) -> tuple[dt.datetime, int] | None:
    """The record (moment, id) that began the episode in progress at ``now``, or None.

    A record counts at time t when ``t - window < moment <= t``. An episode is a stretch of time
    in which at least ``min_count`` records count; it begins with the record that brought the
    count up to ``min_count``. ``records`` are sorted by moment, none after ``now``.
    """
    events: list[tuple[dt.datetime, int, int, dt.datetime]] = []
    for moment, record_id in records:
        events.append((moment, 1, record_id, moment))
        if moment + window <= now:  # out of the window by now; leaves before others enter
            events.append((moment + window, -1, record_id, moment))
    events.sort(key=lambda e: (e[0], e[1], e[2]))
    count = 0
    start: tuple[dt.datetime, int] | None = None
    for _, delta, record_id, moment in events:
        count += delta
        if delta == 1 and count == min_count:
            start = (moment, record_id)
        elif count < min_count:
            start = None
    return start


def find_failing_sources(*, session: Session, community_id: int, now: dt.datetime) -> list[Cause]:
    """The community's operational system (``connectors/``) whose syncs have failed for
    ``SOURCE_FAILING_AFTER`` or longer (since the first failed run after the last good one).
    Ends at the next successful run. One alert per failing streak."""
    now = to_stored_utc(now)
    source = source_of(session, community_id)
    since = failing_since(session, source) if source is not None else None
    if source is None or since is None or now - since < SOURCE_FAILING_AFTER:
        return []
    return [
        Cause(
            rule="source_failing",
            cause_key=f"c{community_id}:{source}:from-{since:%Y%m%d%H%M%S}",
            community_id=community_id,
            severity=SOURCE_FAILING_SEVERITY,
            since=since,
            params={"source": source.upper(), "minutes": _minutes(SOURCE_FAILING_AFTER)},
        )
    ]


def _minutes(span: dt.timedelta) -> int:
    return int(span.total_seconds() // 60)


RULE_FINDERS = {
    "response_overdue": find_response_overdue,
    "resolution_overdue": find_resolution_overdue,
    "accept_overdue": find_accept_overdue,
    "fix_overdue": find_fix_overdue,
    "red_line_rating": find_red_line_ratings,
    "hotspot": find_hotspots,
    "missed_checkpoints": find_missed_checkpoints,
    "fault_streak": find_fault_streaks,
    "source_failing": find_failing_sources,
    "me_too": find_me_too,
}
_USES_THRESHOLDS = frozenset(
    {"red_line_rating", "hotspot", "missed_checkpoints", "fault_streak", "me_too"}
)


def find_causes(*, session: Session, community_id: int, now: dt.datetime) -> list[Cause]:
    """Every rule's causes for the community now, in ``RULES`` order."""
    now = to_stored_utc(now)
    limits = thresholds_for(session=session, community_id=community_id, now=now)
    causes: list[Cause] = []
    for rule in RULES:
        finder: Any = RULE_FINDERS[rule]
        extra = {"thresholds": limits} if rule in _USES_THRESHOLDS else {}
        causes += finder(session=session, community_id=community_id, now=now, **extra)
    return causes


# --- the engine -------------------------------------------------------------------------------
@dataclass(frozen=True)
class RunReport:
    raised: int  # new alerts
    still_open: int  # open or acknowledged alerts whose cause is still there
    auto_resolved: int  # alerts resolved because their cause ended
    reopened: int = 0  # alerts the engine had resolved whose cause came back


def run_alerts(*, session: Session, now: dt.datetime, community_id: int | None = None) -> RunReport:
    """Bring the alerts of one community (default: every community) in step with the rules
    as of ``now``. Idempotent: a second run at the same moment changes nothing but
    ``last_checked_at``. Callers own the transaction (``db.write_session``)."""
    now = to_stored_utc(now)
    community_ids = (
        [community_id]
        if community_id is not None
        else list(session.scalars(select(Community.id).order_by(Community.id)))
    )
    totals: Counter[str] = Counter()
    for cid in community_ids:
        totals.update(_run_for_community(session, cid, now))
    return RunReport(
        raised=totals["raised"],
        still_open=totals["still_open"],
        auto_resolved=totals["auto_resolved"],
        reopened=totals["reopened"],
    )


def _run_for_community(session: Session, community_id: int, now: dt.datetime) -> Counter[str]:
    found = {
        (c.rule, c.cause_key): c
        for c in find_causes(session=session, community_id=community_id, now=now)
    }
    active = {
        (a.rule, a.cause_key): a
        for a in session.scalars(
            select(Alert)
            .where(Alert.community_id == community_id, Alert.state.in_(ACTIVE_STATES))
            .order_by(Alert.id)
        )
    }
    settled = _resolved_alerts(session, community_id, [k for k in found if k not in active])
    counts: Counter[str] = Counter()
    touched: list[int] = []
    for key, cause in found.items():
        if key in active:
            counts["still_open"] += 1
            touched.append(active[key].id)
        elif key in settled:
            alert = settled[key]
            if alert.auto_resolved and _reopen(session, alert, now):
                counts["reopened"] += 1
            else:  # a manager resolved it: their decision holds while the cause lasts
                touched.append(alert.id)
        elif _raise(session, cause, now):
            counts["raised"] += 1
    for key, alert in active.items():
        if key not in found and _auto_resolve(session, alert, now):
            counts["auto_resolved"] += 1
    for chunk in _chunks(touched):
        session.execute(
            update(Alert)
            .where(Alert.id.in_(chunk))
            .values(last_checked_at=now)
            .execution_options(synchronize_session=False)
        )
    return counts


def _resolved_alerts(
    session: Session, community_id: int, keys: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], Alert]:
    wanted = set(keys)
    result: dict[tuple[str, str], Alert] = {}
    for chunk in _chunks(sorted({cause_key for _, cause_key in wanted})):
        for alert in session.scalars(
            select(Alert).where(
                Alert.community_id == community_id,
                Alert.state == "resolved",
                Alert.cause_key.in_(chunk),
            )
        ):
            if (alert.rule, alert.cause_key) in wanted:
                result[(alert.rule, alert.cause_key)] = alert
    return result


def _raise(session: Session, cause: Cause, now: dt.datetime) -> bool:
    alert = Alert(
        community_id=cause.community_id,
        rule=cause.rule,
        cause_key=cause.cause_key,
        severity=cause.severity,
        message=cause.describe("zh"),
        work_order_id=cause.work_order_id,
        ticket_id=cause.ticket_id,
        shift_id=cause.shift_id,
        equipment_id=cause.equipment_id,
        raised_at=min(cause.since, now),
        state="open",
        auto_resolved=False,
        last_checked_at=now,
        version=1,
    )
    try:
        with session.begin_nested():
            session.add(alert)
            session.flush()
    except IntegrityError:  # another run raised it a moment ago
        session.expunge(alert)
        return False
    return True


def _reopen(session: Session, alert: Alert, now: dt.datetime) -> bool:
    try:
        with session.begin_nested():
            bump_version(
                session, alert, "alerts.changed_meanwhile", state="open", resolved_at=None,
                auto_resolved=False, acknowledged_at=None, acknowledged_by_id=None,
                last_checked_at=now,
            )  # fmt: skip
    except DomainError:
        return False
    return True


def _auto_resolve(session: Session, alert: Alert, now: dt.datetime) -> bool:
    try:
        with session.begin_nested():
            bump_version(
                session, alert, "alerts.changed_meanwhile", state="resolved", resolved_at=now,
                auto_resolved=True,
            )  # fmt: skip
    except DomainError:  # a manager moved it meanwhile; the next run looks again
        return False
    return True


# --- reads ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class AlertView:
    """An alert as a committee member or manager may see it."""

    alert_id: int
    rule: str
    severity: str
    state: str
    raised_at: dt.datetime  # naive UTC: when the cause began
    last_checked_at: dt.datetime | None
    acknowledged_at: dt.datetime | None
    acknowledged_by: str  # masked for the committee
    resolved_at: dt.datetime | None
    resolved_by: str  # masked for the committee; "" when resolved automatically
    auto_resolved: bool
    resolution_note: str  # written by a manager: show as plain text
    version: int
    work_order_id: int | None
    ticket_id: int | None
    shift_id: int | None
    equipment_id: int | None
    subject: str  # the linked ticket's or order's code and title, or the patrol: plain text
    params: Mapping[str, str | int]
    message: str  # as stored (Chinese), without the resolution note

    def describe(self, lang: str = "zh") -> str:
        """The cause in ``lang``, from the alert's links as they are now."""
        if not self.params:
            return self.message if lang == "zh" else label("alert_rule", self.rule, lang)
        return describe_cause(self.rule, self.params, lang)


@dataclass(frozen=True)
class AlertSummary:
    counts: Mapping[tuple[str, str], int]  # (state, severity) → alerts

    def active(self, severity: str | None = None) -> int:
        return sum(
            n
            for (state, sev), n in self.counts.items()
            if state in ACTIVE_STATES and severity in (None, sev)
        )

    def in_state(self, state: str) -> int:
        return sum(n for (s, _), n in self.counts.items() if s == state)


def list_alerts(
    *,
    session: Session,
    viewer: Viewer,
    now: dt.datetime,
    states: Sequence[str] = ACTIVE_STATES,
    severity: str | None = None,
    rule: str | None = None,
    limit: int = LIST_LIMIT,
) -> list[AlertView]:
    """The viewer's community's alerts in ``states``, highest severity first, then the oldest
    cause first. Committee and managers only (``NotAllowed("alerts.not_allowed")``); names of
    the managers who handled them are masked for the committee."""
    _require_reader(viewer)
    severity_rank = case(
        *((Alert.severity == sev, rank) for rank, sev in enumerate(SEVERITIES)),
        else_=len(SEVERITIES),
    )
    query = select(Alert).where(
        Alert.community_id == viewer.community_id, Alert.state.in_(list(states))
    )
    if severity is not None:
        query = query.where(Alert.severity == severity)
    if rule is not None:
        query = query.where(Alert.rule == rule)
    alerts = list(
        session.scalars(query.order_by(severity_rank, Alert.raised_at, Alert.id).limit(limit))
    )
    return _views(session, viewer, alerts, to_stored_utc(now))


def alert_summary(*, session: Session, viewer: Viewer) -> AlertSummary:
    """Alerts of the viewer's community counted by state and severity (in SQL)."""
    _require_reader(viewer)
    rows = session.execute(
        select(Alert.state, Alert.severity, func.count())
        .where(Alert.community_id == viewer.community_id)
        .group_by(Alert.state, Alert.severity)
    )
    return AlertSummary(counts={(state, sev): int(n) for state, sev, n in rows})


TREND_COLUMNS = ["week_start", "week", "rule", "raised"]


def alert_trend(
    *, session: Session, viewer: Viewer, now: dt.datetime, weeks: int = TREND_WEEKS
) -> pd.DataFrame:
    """Alerts raised per local ISO week and rule over the ``weeks`` weeks up to the one holding
    ``now`` (by ``raised_at``, i.e. when the causes began). Columns: week_start (datetime, the
    Monday), week ("2026-W47"), rule, raised; only weeks and rules with alerts, oldest first."""
    _require_reader(viewer)
    zone = community_zone(session, viewer.community_id)
    periods = last_periods("week", local_date(to_stored_utc(now), zone), max(weeks, 1))
    bounds = [p.utc_bounds(zone.key) for p in periods]
    bucket = case(
        *(
            (and_(Alert.raised_at >= lo, Alert.raised_at < hi), i)
            for i, (lo, hi) in enumerate(bounds)
        ),
        else_=None,
    ).label("bucket")
    inner = (
        select(bucket, Alert.rule)
        .where(
            Alert.community_id == viewer.community_id,
            Alert.raised_at >= bounds[0][0],
            Alert.raised_at < bounds[-1][1],
        )
        .subquery()
    )
    rows = session.execute(
        select(inner.c.bucket, inner.c.rule, func.count())
        .group_by(inner.c.bucket, inner.c.rule)
        .order_by(inner.c.bucket, inner.c.rule)
    )
    records = [
        (pd.Timestamp(periods[i].start), periods[i].label, rule, int(n))
        for i, rule, n in rows
        if i is not None
    ]
    frame = pd.DataFrame(records, columns=TREND_COLUMNS)
    frame["week_start"] = pd.to_datetime(frame["week_start"])
    return frame.astype({"raised": "int64"})


def _views(
    session: Session, viewer: Viewer, alerts: list[Alert], now: dt.datetime
) -> list[AlertView]:
    if not alerts:
        return []
    zone = community_zone(session, viewer.community_id)
    limits = thresholds_for(session=session, community_id=viewer.community_id, now=now)
    orders = _by_id(session, WorkOrder, {a.work_order_id for a in alerts})
    tickets = _by_id(session, RectificationTicket, {a.ticket_id for a in alerts})
    shifts = _by_id(session, PatrolShift, {a.shift_id for a in alerts})
    equipment = _by_id(session, Equipment, {a.equipment_id for a in alerts})
    areas = _by_id(session, Area, {r.area_id for r in (*orders.values(), *tickets.values())})
    plans = _by_id(session, PatrolPlan, {s.plan_id for s in shifts.values()})
    people = _by_id(
        session,
        Account,
        {a.acknowledged_by_id for a in alerts} | {a.resolved_by_id for a in alerts},
    )
    lowest = {
        order_id: min(speed, attitude, quality)
        for order_id, speed, attitude, quality in session.execute(
            select(
                Rating.work_order_id, Rating.score_speed, Rating.score_attitude,
                Rating.score_quality,
            ).where(Rating.work_order_id.in_(list(orders) or [-1]))
        )
    }  # fmt: skip

    def name(account_id: int | None) -> str:
        account = people.get(account_id) if account_id is not None else None
        return person_for(viewer, account.display_name) if account else ""

    views = []
    for alert in alerts:
        order = orders.get(alert.work_order_id) if alert.work_order_id else None
        ticket = tickets.get(alert.ticket_id) if alert.ticket_id else None
        shift = shifts.get(alert.shift_id) if alert.shift_id else None
        device = equipment.get(alert.equipment_id) if alert.equipment_id else None
        params = _params(alert.rule, order, ticket, shift, device, areas, lowest, limits, zone)
        if alert.rule == "source_failing":  # no linked row: the source is in the cause key
            source = alert.cause_key.split(":")[1]
            params = {"source": source.upper(), "minutes": _minutes(SOURCE_FAILING_AFTER)}
        subject = _subject(order, ticket, shift, plans)
        message, _, note = alert.message.partition(RESOLUTION_NOTE_MARK)
        views.append(
            AlertView(
                alert_id=alert.id,
                rule=alert.rule,
                severity=alert.severity,
                state=alert.state,
                raised_at=alert.raised_at,
                last_checked_at=alert.last_checked_at,
                acknowledged_at=alert.acknowledged_at,
                acknowledged_by=name(alert.acknowledged_by_id),
                resolved_at=alert.resolved_at,
                resolved_by=name(alert.resolved_by_id),
                auto_resolved=alert.auto_resolved,
                resolution_note=note,
                version=alert.version,
                work_order_id=alert.work_order_id,
                ticket_id=alert.ticket_id,
                shift_id=alert.shift_id,
                equipment_id=alert.equipment_id,
                subject=subject,
                params=params,
                message=message,
            )
        )
    return views


def _subject(
    order: WorkOrder | None,
    ticket: RectificationTicket | None,
    shift: PatrolShift | None,
    plans: Mapping[int, PatrolPlan],
) -> str:
    """What the alert's link leads to, in words (equipment is named in the cause already)."""
    if ticket:
        return f"{ticket.code} {ticket.title}"
    if order:
        return f"{order.code} {order.title}"
    if shift and shift.plan_id in plans:
        return f"{plans[shift.plan_id].name} · {shift.shift_date.isoformat()}"
    return ""


def _params(
    rule: str,
    order: WorkOrder | None,
    ticket: RectificationTicket | None,
    shift: PatrolShift | None,
    device: Equipment | None,
    areas: Mapping[int, Area],
    lowest: Mapping[int, int],
    limits: Thresholds,
    zone: ZoneInfo,
) -> dict[str, str | int]:
    """The sentence's params rebuilt from an alert's links (empty if a link is missing)."""
    if rule in ("response_overdue", "resolution_overdue") and order:
        due = order.respond_due_at if rule == "response_overdue" else order.resolve_due_at
        return {"code": order.code, "due": _local_text(due, zone)}
    if rule in ("accept_overdue", "fix_overdue") and ticket:
        due = ticket.accept_due_at if rule == "accept_overdue" else ticket.fix_due_at
        return {"code": ticket.code, "due": _local_text(due, zone)}
    if rule == "red_line_rating" and order and order.id in lowest:
        return {"code": order.code, "score": lowest[order.id], "red_line": limits.red_line_score}
    place = order or ticket  # a hotspot of tickets' "me too" alone links the newest ticket
    if rule == "hotspot" and place and place.area_id is not None and place.area_id in areas:
        return {
            "area": areas[place.area_id].name,
            "category": place.category,
            "days": limits.hotspot_window_days,
            "min_count": limits.hotspot_min_count,
        }
    if rule == "me_too" and (order or ticket):
        code = order.code if order else ticket.code if ticket else ""
        return {"code": code, "min_count": limits.me_too_alert_count}
    if rule == "missed_checkpoints" and shift:
        return {"day": shift.shift_date.isoformat(), "min_count": limits.missed_checkpoints_per_day}
    if rule == "fault_streak" and device:
        return {
            "equipment": device.name,
            "days": limits.fault_streak_days,
            "min_count": limits.fault_streak_count,
        }
    return {}


# --- commands ---------------------------------------------------------------------------------
def acknowledge_alert(
    *, session: Session, viewer: Viewer, alert_id: int, now: dt.datetime, expected_version: int
) -> None:
    """A manager of the alert's community says "seen, on it": open → acknowledged.

    Raises ``NotAllowed("alerts.managers_only")``; ``DomainError``: ``alerts.not_found``
    (also for another community's alert), ``alerts.changed_meanwhile``,
    ``alerts.already_acknowledged``, ``alerts.already_resolved``.
    """
    alert = _lock_for_manager(session, viewer, alert_id, expected_version)
    if alert.state == "acknowledged":
        raise DomainError("alerts.already_acknowledged")
    bump_version(
        session, alert, "alerts.changed_meanwhile", state="acknowledged",
        acknowledged_at=to_stored_utc(now), acknowledged_by_id=viewer.account_id,
    )  # fmt: skip


def resolve_alert(
    *,
    session: Session,
    viewer: Viewer,
    alert_id: int,
    now: dt.datetime,
    expected_version: int,
    note: str = "",
) -> None:
    """A manager of the alert's community closes it (from open or acknowledged), with an
    optional note (kept after the message). The engine will not raise the same cause again.

    Raises as ``acknowledge_alert``, and ``alerts.note_too_long``.
    """
    note = clean_text(note)
    if len(note) > RESOLUTION_NOTE_MAX:
        raise DomainError("alerts.note_too_long", max=RESOLUTION_NOTE_MAX)
    alert = _lock_for_manager(session, viewer, alert_id, expected_version)
    message = alert.message.partition(RESOLUTION_NOTE_MARK)[0]
    bump_version(
        session, alert, "alerts.changed_meanwhile", state="resolved",
        resolved_at=to_stored_utc(now), resolved_by_id=viewer.account_id, auto_resolved=False,
        message=f"{message}{RESOLUTION_NOTE_MARK}{note}" if note else message,
    )  # fmt: skip


def _lock_for_manager(
    session: Session, viewer: Viewer, alert_id: int, expected_version: int
) -> Alert:
    if not viewer.is_manager:
        raise NotAllowed("alerts.managers_only")
    alert = session.scalars(
        select(Alert)
        .where(Alert.id == alert_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one_or_none()
    if alert is None or alert.community_id != viewer.community_id:
        raise DomainError("alerts.not_found")
    if alert.version != expected_version:
        raise DomainError("alerts.changed_meanwhile")
    if alert.state == "resolved":
        raise DomainError("alerts.already_resolved")
    return alert


# --- helpers ----------------------------------------------------------------------------------
def _require_reader(viewer: Viewer) -> None:
    if viewer.role not in READER_ROLES:
        raise NotAllowed("alerts.not_allowed")


def _order_overdue(session: Session, community_id: int, now: dt.datetime, rule: str) -> list[Cause]:
    now = to_stored_utc(now)
    zone = community_zone(session, community_id)
    responding = rule == "response_overdue"
    due = WorkOrder.respond_due_at if responding else WorkOrder.resolve_due_at
    query = select(WorkOrder.id, WorkOrder.code, WorkOrder.priority, due).where(
        WorkOrder.community_id == community_id,
        WorkOrder.completed_at.is_(None),
        due < now,
    )
    if responding:
        # An order whose source records no responses is not overdue for one: unknown ≠ missed.
        query = query.where(WorkOrder.responded_at.is_(None), WorkOrder.response_recorded)
    return [
        Cause(
            rule=rule,
            cause_key=f"c{community_id}:order{order_id}",
            community_id=community_id,
            severity=PRIORITY_SEVERITY.get(priority, "medium"),
            since=deadline,
            params={"code": code, "due": _local_text(deadline, zone)},
            work_order_id=order_id,
        )
        for order_id, code, priority, deadline in session.execute(query.order_by(due, WorkOrder.id))
    ]


def _by_id(session: Session, model: Any, ids: Iterable[int | None]) -> dict[int, Any]:
    wanted = sorted({i for i in ids if i is not None})
    rows: dict[int, Any] = {}
    for chunk in _chunks(wanted):
        rows.update(
            (row.id, row) for row in session.scalars(select(model).where(model.id.in_(chunk)))
        )
    return rows


def _chunks(values: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), _IN_CHUNK):
        yield values[start : start + _IN_CHUNK]


def _local_text(moment: dt.datetime, zone: ZoneInfo) -> str:
    return f"{stored_to_local(moment, zone):%Y-%m-%d %H:%M}"
