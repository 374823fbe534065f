"""我也遇到 and 关注: owners add their weight to a public problem, and follow it.

**Me too.** On a public work order or rectification ticket of their community that is still open,
an owner (or a committee member — they are owners) who did not report it may say "me too", once
(``me_toos``, never withdrawn: it is a statement that the problem reached them too). Each is
counted and shown on the record, and is evidence for the early warnings
(``data_access.alerts.rules``): it weighs ``me_too_hotspot_weight`` orders in the hotspot count of
the record's area and category (the contract's setting; 0 leaves hotspots to orders alone), and
``me_too_alert_count`` of them on one open record raise an alert for the managers.

**Follow.** An owner may follow a public order or ticket they can see (saying "me too" follows it
too) and is then told of its moves like its reporter: in the app's notifications and through the
outbox on the channels they chose (``data_access.notifications``, ``data_access.outbox``).
Unfollowing deletes the preference.

What counts as *public*: an order whose visibility is public (in-home orders are private); a
ticket not born of a private order. Neither a private record nor another community's is ever
touched — they read as not found, as on their pages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from data_access.accounts.auth import Viewer
from data_access.accounts.privacy import ticket_of_private_order
from data_access.errors import DomainError, NotAllowed
from data_access.flows import OPEN_TICKET_STATUSES
from data_access.models import Account, Follow, MeToo, RectificationTicket, WorkOrder
from data_access.record_ids import is_record_id
from data_access.timestamps import to_stored_utc

SUBJECTS = ("order", "ticket")
VOICE_ROLES = ("owner", "committee")


@dataclass(frozen=True)
class Voice:
    """What an owner's "me too" and "follow" look like on one record."""

    me_too: int  # owners who said "me too"
    said_me_too: bool  # the viewer among them
    following: bool
    can_say_me_too: bool  # an owner, not its reporter, the record open, not said yet
    can_follow: bool  # an owner who is not its reporter


@dataclass(frozen=True)
class _Record:
    reporter_id: int | None
    is_open: bool


def _record(session: Session, viewer: Viewer, subject: str, subject_id: int) -> _Record:
    """The public record of the viewer's community, or ``<subject>.not_found``."""
    if subject not in SUBJECTS or not is_record_id(subject_id):
        raise DomainError("me_too.not_found")
    if subject == "order":
        row = session.execute(
            select(WorkOrder.reporter_id, WorkOrder.completed_at).where(
                WorkOrder.id == subject_id,
                WorkOrder.community_id == viewer.community_id,
                WorkOrder.visibility == "public",
            )
        ).one_or_none()
        if row is None:
            raise DomainError("me_too.not_found")
        return _Record(reporter_id=row[0], is_open=row[1] is None)
    ticket = session.execute(
        select(RectificationTicket.owner_id, RectificationTicket.status).where(
            RectificationTicket.id == subject_id,
            RectificationTicket.community_id == viewer.community_id,
            ~ticket_of_private_order(),
        )
    ).one_or_none()
    if ticket is None:
        raise DomainError("me_too.not_found")
    return _Record(reporter_id=ticket[0], is_open=ticket[1] in OPEN_TICKET_STATUSES)


def voice_of(*, session: Session, viewer: Viewer, subject: str, subject_id: int) -> Voice:
    """The record's count and what the viewer may do (a private record has no voice: zeros)."""
    try:
        record = _record(session, viewer, subject, subject_id)
    except DomainError:
        return Voice(0, False, False, False, False)
    count = community_counts(
        session=session, community_id=viewer.community_id, subject=subject, ids=[subject_id]
    ).get(subject_id, 0)
    mine = viewer.account_id
    said = session.scalar(
        select(MeToo.id).where(
            MeToo.subject == subject, MeToo.subject_id == subject_id, MeToo.account_id == mine
        )
    )
    following = session.get(Follow, (mine, subject, subject_id)) is not None
    voice = viewer.role in VOICE_ROLES and record.reporter_id != mine
    return Voice(
        me_too=count,
        said_me_too=said is not None,
        following=following,
        can_say_me_too=voice and record.is_open and said is None,
        can_follow=voice,
    )


def say_me_too(
    *, session: Session, viewer: Viewer, subject: str, subject_id: int, now: dt.datetime
) -> int:
    """Record the viewer's "me too" (and follow the record). Returns the new count."""
    record = _record(session, viewer, subject, subject_id)
    if viewer.role not in VOICE_ROLES:
        raise NotAllowed("me_too.owners_only")
    if record.reporter_id == viewer.account_id:
        raise DomainError("me_too.own_record")
    if not record.is_open:
        raise DomainError("me_too.closed")
    already = session.scalar(
        select(MeToo.id).where(MeToo.subject == subject, MeToo.subject_id == subject_id,
                               MeToo.account_id == viewer.account_id)
    )  # fmt: skip
    if already is not None:
        raise DomainError("me_too.once")
    moment = to_stored_utc(now)
    try:
        with session.begin_nested():  # a second tab's click at the same moment: "once"
            session.add(MeToo(community_id=viewer.community_id, subject=subject,
                              subject_id=subject_id, account_id=viewer.account_id,
                              created_at=moment))  # fmt: skip
    except IntegrityError as error:
        raise DomainError("me_too.once") from error
    _follow(session, viewer, subject, subject_id, moment)
    return community_counts(
        session=session, community_id=viewer.community_id, subject=subject, ids=[subject_id]
    )[subject_id]


def _follow(
    session: Session, viewer: Viewer, subject: str, subject_id: int, moment: dt.datetime
) -> None:
    """Insert the follow unless it is there (an upsert: two tabs may click together)."""
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    session.execute(
        insert(Follow)
        .values(account_id=viewer.account_id, subject=subject, subject_id=subject_id,
                community_id=viewer.community_id, created_at=moment)
        .on_conflict_do_nothing(index_elements=["account_id", "subject", "subject_id"])
    )  # fmt: skip


def set_following(
    *,
    session: Session,
    viewer: Viewer,
    subject: str,
    subject_id: int,
    follow: bool,
    now: dt.datetime,
) -> None:
    """Follow or stop following a public record (idempotent)."""
    record = _record(session, viewer, subject, subject_id)
    if viewer.role not in VOICE_ROLES:
        raise NotAllowed("me_too.owners_only")
    if record.reporter_id == viewer.account_id:
        raise DomainError("me_too.own_record")
    if follow:
        _follow(session, viewer, subject, subject_id, to_stored_utc(now))
    else:
        session.execute(
            delete(Follow).where(Follow.account_id == viewer.account_id,
                                 Follow.subject == subject, Follow.subject_id == subject_id)
        )  # fmt: skip
    session.flush()


def community_counts(
    *, session: Session, community_id: int, subject: str, ids: Iterable[int]
) -> dict[int, int]:
    """How many owners said "me too" on each of these records of the community (absent: none)."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    rows = session.execute(
        select(MeToo.subject_id, func.count())
        .where(MeToo.community_id == community_id, MeToo.subject == subject,
               MeToo.subject_id.in_(wanted))
        .group_by(MeToo.subject_id)
    ).all()  # fmt: skip
    return {subject_id: int(count) for subject_id, count in rows}


def followers_of(session: Session, subject: str, ids: Iterable[int]) -> dict[int, set[int]]:
    """Who follows each of these records (still an active owner of the record's community)."""
    wanted = sorted(set(ids))
    found: dict[int, set[int]] = {}
    if not wanted:
        return found
    for subject_id, account_id in session.execute(
        select(Follow.subject_id, Follow.account_id)
        .join(Account, Account.id == Follow.account_id)
        .where(Follow.subject == subject, Follow.subject_id.in_(wanted),
               Account.community_id == Follow.community_id, Account.is_active.is_(True),
               Account.role.in_(VOICE_ROLES))
    ):  # fmt: skip
        found.setdefault(subject_id, set()).add(account_id)
    return found
