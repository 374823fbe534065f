"""物业说明 and 发布: the company's word on each KPI that missed its target in a month, and the
month's report handed to the owners' committee.

A manager writes, for a KPI of an ended month, why it was missed and what the company will do —
the action, who owns it and by when. Until the month's report is published the explanation is a
draft the manager may rewrite; after it, every edit is shown with its time next to the text it
replaced. Nothing is ever overwritten: an edit is a new row naming the one it replaces
(``KpiExplanation.replaces_id``, unique, so two managers editing at once cannot both win).

Who sees what: managers of the community write and see authors' names; the committee and owners
of the community read the texts, masked like any free text (``privacy.text_masker``), with the
company as the author.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from data_access.accounts.auth import Viewer
from data_access.accounts.privacy import text_masker
from data_access.analytics.kpis import KPI_KEYS
from data_access.communities import community_zone
from data_access.errors import DomainError, NotAllowed
from data_access.models import Account, KpiExplanation, ReportPublication
from data_access.periods import Period, period_containing

REASON_MAX = 500
ACTION_MAX = 300
OWNER_MAX = 40


@dataclass(frozen=True)
class ExplanationVersion:
    explanation_id: int
    reason: str
    action: str
    action_owner: str
    action_due: dt.date
    author: str  # the manager's name for managers, "" for everyone else (the company speaks)
    written_at: dt.datetime  # naive UTC


@dataclass(frozen=True)
class KpiExplanationView:
    kpi: str
    current: ExplanationVersion
    # Versions the committee could read after publication and that were later replaced: the
    # visible edits, oldest first. Drafts rewritten before publication are not among them.
    replaced: tuple[ExplanationVersion, ...]

    @property
    def edited_after_publication(self) -> bool:
        return bool(self.replaced)


@dataclass(frozen=True)
class MonthExplanations:
    month_start: dt.date
    published_at: dt.datetime | None  # naive UTC; None: not published yet
    by_kpi: dict[str, KpiExplanationView]

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


def month_of(month_start: dt.date) -> Period:
    month = period_containing("month", month_start)
    if month.start != month_start:
        raise DomainError("explanation.bad_month")
    return month


def latest_action_due(month: Period) -> dt.date:
    """An action is due within the year after the month it answers (the same day a year on)."""
    end = month.end
    return end.replace(year=end.year + 1, day=min(end.day, 28 if end.month == 2 else end.day))


def month_has_ended(session: Session, community_id: int, month: Period, now: dt.datetime) -> bool:
    return now >= month.utc_bounds(community_zone(session, community_id))[1]


def month_explanations(
    *, session: Session, viewer: Viewer, month_start: dt.date
) -> MonthExplanations:
    """The current explanation of each KPI of the viewer's community for the month, with the
    edits made after publication."""
    month_of(month_start)
    published_at = session.scalar(
        select(ReportPublication.published_at).where(
            ReportPublication.community_id == viewer.community_id,
            ReportPublication.month_start == month_start,
        )
    )
    rows = session.execute(
        select(KpiExplanation, Account.display_name)
        .join(Account, Account.id == KpiExplanation.author_id)
        .where(
            KpiExplanation.community_id == viewer.community_id,
            KpiExplanation.month_start == month_start,
        )
        .order_by(KpiExplanation.written_at, KpiExplanation.id)
    ).all()
    masked = text_masker(session, viewer)
    replaced_at = {row.replaces_id: row.written_at for row, _ in rows if row.replaces_id}

    def version(row: KpiExplanation, author: str) -> ExplanationVersion:
        return ExplanationVersion(
            explanation_id=row.id,
            reason=masked(row.reason),
            action=masked(row.action),
            action_owner=masked(row.action_owner),
            action_due=row.action_due,
            author=author if viewer.is_manager else "",
            written_at=row.written_at,
        )

    def was_public(row: KpiExplanation) -> bool:
        """Readable by the committee at some moment: current at or after publication. A version
        replaced in the very instant of publication counts as shown (erring towards showing)."""
        gone = replaced_at.get(row.id)
        return published_at is not None and (gone is None or gone >= published_at)

    by_kpi: dict[str, KpiExplanationView] = {}
    for kpi in KPI_KEYS:
        chain = [(row, author) for row, author in rows if row.kpi == kpi]
        current = [(row, author) for row, author in chain if row.id not in replaced_at]
        if not current:
            continue
        by_kpi[kpi] = KpiExplanationView(
            kpi=kpi,
            current=version(*current[-1]),
            replaced=tuple(
                version(row, author)
                for row, author in chain
                if row.id in replaced_at and was_public(row)
            ),
        )
    return MonthExplanations(month_start=month_start, published_at=published_at, by_kpi=by_kpi)


def write_explanation(
    *,
    session: Session,
    viewer: Viewer,
    month_start: dt.date,
    kpi: str,
    reason: str,
    action: str,
    action_owner: str,
    action_due: dt.date | None,
    replaces_id: int | None,
    now: dt.datetime,
) -> int:
    """Write (or rewrite) the explanation of ``kpi`` for the month; returns the new row's id.

    ``replaces_id`` is the version the manager saw (None when there was none): if another
    version was written since, the write is refused (``explanation.changed_meanwhile``).
    """
    if not viewer.is_manager:
        raise NotAllowed("explanation.not_allowed")
    if kpi not in KPI_KEYS:
        raise DomainError("explanation.bad_kpi")
    month = month_of(month_start)
    if not month_has_ended(session, viewer.community_id, month, now):
        raise DomainError("explanation.month_running")
    reason, action, action_owner = reason.strip(), action.strip(), action_owner.strip()
    if not reason or not action or not action_owner:
        raise DomainError("explanation.missing")
    if len(reason) > REASON_MAX or len(action) > ACTION_MAX or len(action_owner) > OWNER_MAX:
        raise DomainError("explanation.too_long", reason=REASON_MAX, action=ACTION_MAX)
    if action_due is None or not (month.start <= action_due <= latest_action_due(month)):
        raise DomainError("explanation.bad_due")
    current = session.scalar(
        select(KpiExplanation.id)
        .where(
            KpiExplanation.community_id == viewer.community_id,
            KpiExplanation.month_start == month_start,
            KpiExplanation.kpi == kpi,
            KpiExplanation.id.not_in(
                select(KpiExplanation.replaces_id).where(KpiExplanation.replaces_id.is_not(None))
            ),
        )
        .order_by(KpiExplanation.id.desc())
        .limit(1)
    )
    if current != replaces_id:
        raise DomainError("explanation.changed_meanwhile")
    row = KpiExplanation(
        community_id=viewer.community_id, month_start=month_start, kpi=kpi, reason=reason,
        action=action, action_owner=action_owner, action_due=action_due,
        author_id=viewer.account_id, written_at=now, replaces_id=replaces_id,
    )  # fmt: skip
    session.add(row)
    try:
        session.flush()
    except IntegrityError:  # another manager replaced the same version a moment ago
        raise DomainError("explanation.changed_meanwhile") from None
    return row.id


def publish_report(
    *, session: Session, viewer: Viewer, month_start: dt.date, now: dt.datetime
) -> None:
    """Hand the month's report to the committee. Only a manager, only an ended month, once."""
    if not viewer.is_manager:
        raise NotAllowed("explanation.not_allowed")
    month = month_of(month_start)
    if not month_has_ended(session, viewer.community_id, month, now):
        raise DomainError("explanation.month_running")
    already = session.scalar(
        select(ReportPublication.id).where(
            ReportPublication.community_id == viewer.community_id,
            ReportPublication.month_start == month_start,
        )
    )
    if already is not None:
        raise DomainError("report.already_published")
    session.add(
        ReportPublication(
            community_id=viewer.community_id, month_start=month_start, published_at=now,
            published_by_id=viewer.account_id,
        )
    )  # fmt: skip
    try:
        session.flush()
    except IntegrityError:
        raise DomainError("report.already_published") from None
