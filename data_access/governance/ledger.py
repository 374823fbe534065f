"""公共收益与费用公示: the public money of a community, month by month (民法典 §282, §943).

A month's ledger has four sections, every amount in integer fen (never a float):
- **income** from the common parts (parking, advertising, venue rental, other);
- **costs** set against that income (the company's agreed fee, taxes, operating costs);
- the **owners' share** = income − costs, and its **use** (paid into the maintenance fund,
  repairs of common parts, set against fees, other);
- **maintenance fund** (维修资金) spending, each line with the work it paid for — linked to a
  work order where there is one.

The manager writes the lines (or imports them from Excel, ``ledger_import``); the owners'
committee reviews an ended month and approves it (签字确认: who, when, comment) — then the month
is published to owners — or returns it with a comment. Lines are append-only: a change is a
new row naming the one it replaces, with a reason; a removal, a new row marked removed. Before
the first approval a change is part of the draft; after it, it is a **visible correction**:
owners see the line as it was and as it is, when and why it changed, and that the committee has
not reviewed it yet (until it approves the month again).

Owners see published months only; an unpublished month is "not published", never zero. Per
m²: the owners' share over the floor area of all the community's units (the roster); for an
owner's own units, the share weighted by their floor area. Rounded half up to the fen.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from data_access.accounts.auth import Viewer
from data_access.accounts.privacy import person_for, public_text_masker
from data_access.communities import community_zone
from data_access.errors import DomainError, NotAllowed
from data_access.models import (
    LEDGER_CATEGORIES,
    Account,
    LedgerLine,
    LedgerReview,
    Unit,
    WorkOrder,
)
from data_access.periods import Period, last_periods, period_containing

DESCRIPTION_MAX = 200
REASON_MAX = 200
COMMENT_MAX = 500
MAX_AMOUNT_FEN = 10**12  # ten billion yuan: anything larger is a typing error
MONTHS_SHOWN = 12


@dataclass(frozen=True)
class LineVersion:
    description: str
    amount_fen: int
    written_at: dt.datetime  # naive UTC
    reason: str  # why this version replaced the one before ("" for the first)
    removed: bool


@dataclass(frozen=True)
class LedgerLineView:
    line_id: int  # the current version's id (questions attach to a line's chain)
    first_id: int  # the line's first version (a line's identity across corrections)
    section: str
    category: str
    description: str
    amount_fen: int
    work_order_id: int | None
    work_order_code: str
    written_at: dt.datetime
    removed: bool
    # Versions shown before this one after the month was first published (oldest first): the
    # visible corrections. Empty for a line unchanged since publication.
    earlier: tuple[LineVersion, ...] = ()
    unreviewed: bool = False  # written after the latest approval

    @property
    def corrected(self) -> bool:
        return bool(self.earlier)


@dataclass(frozen=True)
class ReviewView:
    decision: str
    comment: str
    reviewer: str
    reviewed_at: dt.datetime


@dataclass(frozen=True)
class MonthTotals:
    income_fen: int
    cost_fen: int
    share_use_fen: int
    fund_fen: int

    @property
    def owners_share_fen(self) -> int:
        return self.income_fen - self.cost_fen


@dataclass(frozen=True)
class MonthLedger:
    month_start: dt.date
    running: bool  # the month has not ended yet
    lines: tuple[LedgerLineView, ...]  # current lines, removed ones included (shown struck)
    reviews: tuple[ReviewView, ...]  # oldest first
    first_published_at: dt.datetime | None
    totals: MonthTotals
    total_area_m2: Decimal  # of all the community's units
    my_area_m2: Decimal  # of the viewer's units (owners)

    @property
    def status(self) -> str:
        """ "draft", "returned", "published" or "corrected" (changed since its approval)."""
        if self.first_published_at is None:
            return "returned" if self.reviews and self.reviews[-1].decision == "return" else "draft"
        latest = self.reviews[-1] if self.reviews else None
        if latest is None or latest.decision != "approve" or any(x.unreviewed for x in self.lines):
            return "corrected"
        return "published"

    @property
    def is_published(self) -> bool:
        return self.first_published_at is not None

    def section(self, name: str) -> list[LedgerLineView]:
        return [line for line in self.lines if line.section == name]

    @property
    def share_per_m2_fen(self) -> Decimal | None:
        """The owners' share per m² of floor area, in fen (two decimals); None without units."""
        if self.total_area_m2 <= 0:
            return None
        value = Decimal(self.totals.owners_share_fen) / self.total_area_m2
        return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    @property
    def my_share_fen(self) -> int | None:
        """The share of the viewer's own units (their floor area's part), to the fen."""
        if self.total_area_m2 <= 0 or self.my_area_m2 <= 0:
            return None
        value = Decimal(self.totals.owners_share_fen) * self.my_area_m2 / self.total_area_m2
        return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class MonthFigures:
    """One month of the 12-month chart: None where the month is not published (owners)."""

    month_start: dt.date
    totals: MonthTotals | None


# --- reading -----------------------------------------------------------------------------------
def month_period(month_start: dt.date) -> Period:
    month = period_containing("month", month_start)
    if month.start != month_start:
        raise DomainError("ledger.bad_month")
    return month


def _month_has_ended(session: Session, community_id: int, month: Period, now: dt.datetime) -> bool:
    return now >= month.utc_bounds(community_zone(session, community_id))[1]


def _reviews(
    session: Session, community_id: int, month_start: dt.date, viewer: Viewer | None = None
) -> list[ReviewView]:
    """The month's reviews, oldest first. For a ``viewer``: the reviewer's name masked unless
    the viewer is a manager or the reviewer (a person's name, as everywhere), the comment
    through the public masker."""
    rows = session.execute(
        select(LedgerReview, Account.display_name)
        .join(Account, Account.id == LedgerReview.reviewer_id)
        .where(LedgerReview.community_id == community_id, LedgerReview.month_start == month_start)
        .order_by(LedgerReview.reviewed_at, LedgerReview.id)
    ).all()
    if viewer is None:
        return [ReviewView(row.decision, row.comment, name, row.reviewed_at) for row, name in rows]
    masked = public_text_masker(session, community_id, unmasked=viewer.is_manager)
    return [
        ReviewView(
            row.decision,
            masked(row.comment),
            name if row.reviewer_id == viewer.account_id else person_for(viewer, name),
            row.reviewed_at,
        )
        for row, name in rows
    ]


def _first_approval(reviews: Sequence[ReviewView]) -> dt.datetime | None:
    return next((r.reviewed_at for r in reviews if r.decision == "approve"), None)


def _area(session: Session, community_id: int, unit_ids: Sequence[int] | None = None) -> Decimal:
    query = select(Unit.floor_area_m2).where(Unit.community_id == community_id)
    if unit_ids is not None:
        query = query.where(Unit.id.in_(unit_ids or (-1,)))
    # Summed as decimals of the stored two-decimal figures: no float drift in the shares.
    return sum((Decimal(str(round(a, 2))) for a in session.scalars(query)), Decimal(0))


def month_ledger(
    *, session: Session, viewer: Viewer, month_start: dt.date, now: dt.datetime
) -> MonthLedger | None:
    """The month's ledger of the viewer's community; None for an owner while the month is not
    published (they see nothing of a draft)."""
    month = month_period(month_start)
    community = viewer.community_id
    reviews = _reviews(session, community, month_start, viewer)
    published_at = _first_approval(reviews)
    if viewer.is_owner and published_at is None:
        return None
    rows = session.execute(
        select(LedgerLine, WorkOrder.code, WorkOrder.visibility)
        .outerjoin(WorkOrder, WorkOrder.id == LedgerLine.work_order_id)
        .where(LedgerLine.community_id == community, LedgerLine.month_start == month_start)
        .order_by(LedgerLine.id)
    ).all()
    masked = public_text_masker(session, community, unmasked=viewer.is_manager)
    latest_approval = max((r.reviewed_at for r in reviews if r.decision == "approve"), default=None)
    by_id = {row.id: row for row, _, _ in rows}
    replaced = {row.replaces_id for row in by_id.values() if row.replaces_id is not None}
    lines: list[LedgerLineView] = []
    for row, code, visibility in rows:
        if row.id in replaced:
            continue
        chain = [row]
        while chain[-1].replaces_id is not None:
            chain.append(by_id[chain[-1].replaces_id])
        chain.reverse()  # oldest first
        # A version was seen by owners if it was current at some moment after publication.
        earlier = tuple(
            LineVersion(masked(old.description), old.amount_fen, old.written_at,
                        masked(old.reason), old.removed)
            for old, newer in pairwise(chain)
            if published_at is not None and newer.written_at > published_at
        )  # fmt: skip
        if row.removed and published_at is not None and not earlier:
            continue  # removed before anyone could see it: it was never part of the month
        private_order = visibility == "private" and not viewer.is_manager
        lines.append(
            LedgerLineView(
                line_id=row.id, first_id=chain[0].id, section=row.section,
                category=row.category, description=masked(row.description),
                amount_fen=row.amount_fen,
                work_order_id=None if private_order else row.work_order_id,
                work_order_code="" if private_order else (code or ""),
                written_at=row.written_at, removed=row.removed, earlier=earlier,
                unreviewed=latest_approval is not None and row.written_at > latest_approval,
            )
        )  # fmt: skip
    if published_at is None:
        lines = [line for line in lines if not line.removed]
    totals = _totals(lines)
    return MonthLedger(
        month_start=month_start,
        running=not _month_has_ended(session, community, month, now),
        lines=tuple(lines),
        reviews=tuple(reviews),
        first_published_at=published_at,
        totals=totals,
        total_area_m2=_area(session, community),
        my_area_m2=_area(session, community, viewer.unit_ids) if viewer.unit_ids else Decimal(0),
    )


def _totals(lines: Sequence[LedgerLineView]) -> MonthTotals:
    def total(section: str) -> int:
        return sum(x.amount_fen for x in lines if x.section == section and not x.removed)

    return MonthTotals(total("income"), total("cost"), total("share_use"), total("fund"))


def ledger_months(
    *, session: Session, viewer: Viewer, until: dt.date, count: int = MONTHS_SHOWN
) -> list[MonthFigures]:
    """The ``count`` months up to ``until``'s month, oldest first, with each month's totals —
    for owners only the published months' (the others None: not published, not zero)."""
    months = last_periods("month", until, count)
    community = viewer.community_id
    approved = set(
        session.scalars(
            select(LedgerReview.month_start).where(
                LedgerReview.community_id == community,
                LedgerReview.decision == "approve",
                LedgerReview.month_start.in_([m.start for m in months]),
            )
        )
    )
    replaced = select(LedgerLine.replaces_id).where(
        LedgerLine.community_id == community, LedgerLine.replaces_id.is_not(None)
    )
    sums = session.execute(
        select(LedgerLine.month_start, LedgerLine.section, func.sum(LedgerLine.amount_fen))
        .where(
            LedgerLine.community_id == community,
            LedgerLine.month_start.in_([m.start for m in months]),
            LedgerLine.removed.is_(False),
            LedgerLine.id.not_in(replaced),
        )
        .group_by(LedgerLine.month_start, LedgerLine.section)
    ).all()
    by_month: dict[dt.date, dict[str, int]] = {}
    for month_start, section, amount in sums:
        by_month.setdefault(month_start, {})[section] = int(amount or 0)
    figures = []
    for month in months:
        shown = month.start in approved or not viewer.is_owner
        sections = by_month.get(month.start, {})
        totals = MonthTotals(
            sections.get("income", 0), sections.get("cost", 0),
            sections.get("share_use", 0), sections.get("fund", 0),
        )  # fmt: skip
        has_data = month.start in approved or bool(sections)
        figures.append(MonthFigures(month.start, totals if shown and has_data else None))
    return figures


# --- writing (managers) ------------------------------------------------------------------------
@dataclass(frozen=True)
class LineInput:
    section: str
    category: str
    description: str
    amount_fen: int
    work_order_code: str = ""


def check_line(session: Session, community_id: int, line: LineInput) -> tuple[str, int | None]:
    """The cleaned description and the linked order's id; refuses what the ledger cannot hold."""
    if (
        line.section not in LEDGER_CATEGORIES
        or line.category not in LEDGER_CATEGORIES[line.section]
    ):
        raise DomainError("ledger.bad_category")
    description = " ".join(line.description.split())
    if not description:
        raise DomainError("ledger.no_description")
    if len(description) > DESCRIPTION_MAX:
        raise DomainError("ledger.too_long", n=DESCRIPTION_MAX)
    if not isinstance(line.amount_fen, int) or not 0 < line.amount_fen <= MAX_AMOUNT_FEN:
        raise DomainError("ledger.bad_amount")
    order_id = None
    code = line.work_order_code.strip()
    if code:
        order_id = session.scalar(
            select(WorkOrder.id).where(
                WorkOrder.community_id == community_id, WorkOrder.code == code
            )
        )
        if order_id is None:
            raise DomainError("ledger.unknown_order", code=code)
    return description, order_id


def _require_manager(viewer: Viewer) -> None:
    if not viewer.is_manager:
        raise NotAllowed("ledger.managers_only")


def add_line(
    *, session: Session, viewer: Viewer, month_start: dt.date, line: LineInput, now: dt.datetime,
    reason: str = "",
) -> int:  # fmt: skip
    """Add a line to the month; after publication it is a correction and needs a reason."""
    _require_manager(viewer)
    month_period(month_start)
    description, order_id = check_line(session, viewer.community_id, line)
    reason = _reason_if_published(session, viewer.community_id, month_start, reason)
    row = LedgerLine(
        community_id=viewer.community_id, month_start=month_start, section=line.section,
        category=line.category, description=description, amount_fen=line.amount_fen,
        work_order_id=order_id, author_id=viewer.account_id, written_at=now, reason=reason,
        removed=False,
    )  # fmt: skip
    session.add(row)
    session.flush()
    return row.id


def change_line(
    *, session: Session, viewer: Viewer, line_id: int, line: LineInput | None, reason: str,
    now: dt.datetime,
) -> int:  # fmt: skip
    """Replace the line version ``line_id`` (the one the manager saw) by ``line``, or remove it
    (``line`` None). Refused if someone changed it meanwhile (``ledger.changed_meanwhile``)."""
    _require_manager(viewer)
    old = session.get(LedgerLine, line_id)
    if old is None or old.community_id != viewer.community_id:
        raise NotAllowed("ledger.managers_only")
    if old.removed:
        raise DomainError("ledger.changed_meanwhile")
    reason = _reason_if_published(session, old.community_id, old.month_start, reason)
    if line is None:
        description, order_id, amount = old.description, old.work_order_id, old.amount_fen
        section, category = old.section, old.category
    else:
        description, order_id = check_line(session, viewer.community_id, line)
        amount, section, category = line.amount_fen, line.section, line.category
    row = LedgerLine(
        community_id=old.community_id, month_start=old.month_start, section=section,
        category=category, description=description, amount_fen=amount, work_order_id=order_id,
        author_id=viewer.account_id, written_at=now, reason=reason, replaces_id=old.id,
        removed=line is None,
    )  # fmt: skip
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError as error:  # replaces_id is unique: someone replaced it first
        raise DomainError("ledger.changed_meanwhile") from error
    return row.id


def _reason_if_published(
    session: Session, community_id: int, month_start: dt.date, reason: str
) -> str:
    reason = " ".join(reason.split())
    published = session.scalar(
        select(LedgerReview.id)
        .where(
            LedgerReview.community_id == community_id,
            LedgerReview.month_start == month_start,
            LedgerReview.decision == "approve",
        )
        .limit(1)
    )
    if published is not None and not reason:
        raise DomainError("ledger.reason_needed")
    if len(reason) > REASON_MAX:
        raise DomainError("ledger.too_long", n=REASON_MAX)
    return reason


# --- the committee's review ----------------------------------------------------------------------
def review_month(
    *, session: Session, viewer: Viewer, month_start: dt.date, decision: str, comment: str,
    now: dt.datetime,
) -> None:  # fmt: skip
    """The committee approves (publishes) or returns an ended month's ledger."""
    if not viewer.is_committee:
        raise NotAllowed("ledger.committee_only")
    month = month_period(month_start)
    if decision not in ("approve", "return"):
        raise DomainError("ledger.bad_decision")
    if not _month_has_ended(session, viewer.community_id, month, now):
        raise DomainError("ledger.month_running")
    comment = " ".join(comment.split())
    if len(comment) > COMMENT_MAX:
        raise DomainError("ledger.too_long", n=COMMENT_MAX)
    if decision == "return" and not comment:
        raise DomainError("ledger.comment_needed")
    # A month without a line can be approved: "no income from common parts" is a figure the
    # committee signs, unlike a month nobody reviewed (not published).
    reviews = _reviews(session, viewer.community_id, month_start)
    if reviews and reviews[-1].decision == decision:
        last = reviews[-1].reviewed_at
        newer = session.scalar(
            select(LedgerLine.id)
            .where(
                LedgerLine.community_id == viewer.community_id,
                LedgerLine.month_start == month_start,
                LedgerLine.written_at > last,
            )
            .limit(1)
        )
        if newer is None:
            raise DomainError(f"ledger.already_{decision}")
    session.add(
        LedgerReview(
            community_id=viewer.community_id, month_start=month_start, decision=decision,
            comment=comment, reviewer_id=viewer.account_id, reviewed_at=now,
        )
    )  # fmt: skip
    session.flush()
