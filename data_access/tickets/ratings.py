"""Ratings of completed work orders and the rectification tickets they open.

An owner rates a completed order of theirs once (speed, attitude, quality: 1–5, a comment,
photos). A rating with any score at or below the contract's red line opens a rectification
ticket in the same transaction. Managers reply; the owner may edit within a week, at most the
contract's ``max_rating_edits_per_hour`` times in any hour (see ``edit_rating``).

Every command works in the caller's session (open it with ``db.write_session``). The writes of
a command run inside a savepoint, so a refusal leaves nothing behind even in a session that is
not rolled back afterwards. Refusals are ``DomainError``s with ``rating.*`` catalog keys.

Concurrency: ``rate_order`` locks the order row (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite
holds the database lock from ``BEGIN IMMEDIATE``) before looking for an existing rating, so two
submissions of the same rating are serialised; the unique (work_order_id, owner_id) constraint
is the last line of defence and its violation is translated, never leaked. Edits and replies
write with ``UPDATE … WHERE version = :v``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from data_access.accounts.auth import Viewer
from data_access.communities import community_zone
from data_access.errors import DomainError, NotAllowed
from data_access.media.photos import attach_photo, current_media_dir, store_photo
from data_access.models import (
    Rating,
    RatingEdit,
    RectificationTicket,
    ServiceContract,
    WorkOrder,
)
from data_access.orders.rating_window import (
    RATING_WINDOW,
    is_within_rating_window,
    rating_closes_at,
)
from data_access.orders.work_orders import visible_to
from data_access.outbox.enqueue import RATING_REPLY, note_events
from data_access.record_ids import is_record_id
from data_access.text_input import clean_text
from data_access.tickets.ticket_commands import (
    append_ticket_event,
    contract_in_force,
    insert_numbered_ticket,
    lock_account,
)
from data_access.timestamps import local_date, to_stored_utc
from data_access.versioning import bump_version

SCORE_MIN, SCORE_MAX = 1, 5
COMMENT_MAX_CHARS = 1000
REPLY_MAX_CHARS = 1000
MAX_PHOTOS = 6
EDIT_WINDOW = dt.timedelta(days=7)
# Spam limit: an owner's rating edits (of all their ratings) within any such period.
EDIT_LIMIT_PERIOD = dt.timedelta(hours=1)
DEFAULT_MAX_EDITS_PER_HOUR = 5
# A second identical submission this soon after the first is a double-click, not a new rating.
DUPLICATE_WINDOW = dt.timedelta(seconds=60)
SUBMISSION_KEY_MAX = 64
# Used when the community has no contract at all (the contract columns have the same defaults).
DEFAULT_RED_LINE = 2
DEFAULT_REPLY_HOURS = 24
DEFAULT_ACCEPT_HOURS = 24
DEFAULT_FIX_DAYS = 7
TICKET_TITLE_PREFIX = "差评整改:"
TICKET_TITLE_MAX = 200  # RectificationTicket.title is String(200)
TICKET_LOCATION_MAX = 200
TICKET_EVENT_NOTE = "由差评自动生成"


@dataclass(frozen=True)
class RatingResult:
    rating_id: int
    ticket_id: int | None
    created: bool


@dataclass(frozen=True)
class _Terms:
    """What the contract in force says about ratings."""

    red_line: int
    reply_hours: int
    accept_hours: int
    fix_days: int


# --- commands -----------------------------------------------------------------------------------
def rate_order(
    *,
    session: Session,
    viewer: Viewer,
    order_id: int,
    score_speed: int,
    score_attitude: int,
    score_quality: int,
    comment: str,
    now: dt.datetime,
    photos: Sequence[bytes] = (),
    media_dir: Path | None = None,
    submission_key: str | None = None,
) -> RatingResult:
    """Rate the viewer's completed order; open a rectification ticket if a score is at or
    below the red line. A repeat of the same rating within a minute (a double-click) returns
    the first one with ``created=False``.

    ``submission_key`` is the form's one-time key: a second submission with the same key is
    the same rating (returned with ``created=False``) whatever it says. Without a key,
    duplicates are recognised by identical scores and comment.

    Raises ``DomainError``: ``order.not_found`` (no such order or not visible to the viewer),
    ``rating.not_yours``, ``rating.not_completed``, ``rating.window_closed`` (more than
    ``RATING_WINDOW`` after completion), ``rating.already_rated``,
    ``rating.bad_score``, ``rating.comment_required``, ``rating.comment_too_long``,
    ``rating.too_many_photos``, or one of ``upload.*``.
    """
    now = to_stored_utc(now)
    submission_key = clean_text(submission_key)[:SUBMISSION_KEY_MAX] or None
    scores = _check_scores(score_speed, score_attitude, score_quality)
    order = _lock_visible_order(session, viewer, order_id)
    if viewer.role not in ("owner", "committee") or order.reporter_id != viewer.account_id:
        raise NotAllowed("rating.not_yours")
    if order.completed_at is None:
        raise DomainError("rating.not_completed")
    existing = _find_rating(session, order.id, viewer.account_id)
    if existing is None and not is_within_rating_window(order.completed_at, now):
        raise DomainError(
            "rating.window_closed", days=RATING_WINDOW.days,
            closed=local_date(rating_closes_at(order.completed_at),
                              community_zone(session, order.community_id)).isoformat(),
        )  # fmt: skip
    terms = _terms_for(session, order)
    comment = _check_comment(comment, scores, terms.red_line)
    if len(photos) > MAX_PHOTOS:
        raise DomainError("rating.too_many_photos", max=MAX_PHOTOS)

    if existing is not None:
        return _repeat_or_refuse(session, existing, scores, comment, now, submission_key)

    try:
        with session.begin_nested():
            return _write_rating(
                session, viewer.account_id, viewer, order, terms, scores, comment, now, photos,
                media_dir, submission_key,
            )  # fmt: skip
    except IntegrityError:
        # A concurrent submission inserted first (possible only if the order lock was bypassed);
        # our savepoint is rolled back and theirs is the rating.
        existing = _find_rating(session, order.id, viewer.account_id)
        if existing is None:  # not a race: something else is wrong
            raise
        return _repeat_or_refuse(session, existing, scores, comment, now, submission_key)


def edit_rating(
    *,
    session: Session,
    viewer: Viewer,
    rating_id: int,
    score_speed: int,
    score_attitude: int,
    score_quality: int,
    comment: str,
    now: dt.datetime,
    expected_version: int,
) -> RatingResult:
    """Change the viewer's own rating within ``EDIT_WINDOW`` of its creation; bumps
    ``version`` and ``updated_at``. If the new scores cross the red line and the rating has no
    ticket yet, one is opened. What the rating said before is kept in ``rating_edits``.

    Spam limit: an owner may make at most the contract's ``max_rating_edits_per_hour``
    (default 5) edits, over all their ratings, within any rolling hour (edits after
    ``now - 1 h``). The refusal names the local time from which the next edit is accepted.
    The contract is the one in force on today's local date (else the default); a ticket this
    edit opens does not count against the owner's daily ticket limit.

    Raises ``DomainError``: ``rating.not_found``, ``rating.not_yours``,
    ``rating.edit_window_over``, ``rating.changed_meanwhile``, ``rating.bad_score``,
    ``rating.comment_required``, ``rating.comment_too_long``, ``rating.edit_limit_reached``.
    """
    now = to_stored_utc(now)
    scores = _check_scores(score_speed, score_attitude, score_quality)
    rating = _lock_rating(session, viewer, rating_id)
    if rating.owner_id != viewer.account_id or viewer.role not in ("owner", "committee"):
        raise NotAllowed("rating.not_yours")
    if now - rating.created_at > EDIT_WINDOW:
        raise DomainError("rating.edit_window_over", days=EDIT_WINDOW.days)
    _check_version(rating, expected_version)
    order = session.get_one(WorkOrder, rating.work_order_id)
    terms = _terms_for(session, order)
    comment = _check_comment(comment, scores, terms.red_line)
    _check_edit_limit(session, viewer, rating.community_id, now)

    with session.begin_nested():
        session.add(
            RatingEdit(
                rating_id=rating.id,
                edited_at=now,
                edited_by_id=viewer.account_id,
                previous_speed=rating.score_speed,
                previous_attitude=rating.score_attitude,
                previous_quality=rating.score_quality,
                previous_comment=rating.comment,
            )
        )
        _bump_version(
            session,
            rating,
            score_speed=scores[0],
            score_attitude=scores[1],
            score_quality=scores[2],
            comment=comment,
            updated_at=now,
        )
        ticket = _ticket_of(session, rating.id)
        if ticket is None and min(scores) <= terms.red_line:
            ticket = _open_ticket(session, viewer.account_id, viewer, order, rating, terms, now)
    return RatingResult(rating_id=rating.id, ticket_id=ticket.id if ticket else None, created=False)


def reply_to_rating(
    *,
    session: Session,
    viewer: Viewer,
    rating_id: int,
    reply: str,
    now: dt.datetime,
    expected_version: int,
) -> Rating:
    """A manager of the rating's community answers it (or changes the answer). ``replied_at``
    keeps the time of the first answer: the reply-timeliness KPI measures that one.

    Raises ``DomainError``: ``rating.not_found``, ``rating.reply_not_allowed``,
    ``rating.reply_required``, ``rating.reply_too_long``, ``rating.changed_meanwhile``.
    """
    now = to_stored_utc(now)
    reply = clean_text(reply)
    if not is_record_id(rating_id):
        raise DomainError("rating.not_found")
    rating = session.scalars(
        select(Rating)
        .where(Rating.id == rating_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one_or_none()
    if rating is None or rating.community_id != viewer.community_id:
        raise DomainError("rating.not_found")  # another community's rating is not revealed
    if not viewer.is_manager:
        raise NotAllowed("rating.reply_not_allowed")
    if not reply:
        raise DomainError("rating.reply_required")
    if len(reply) > REPLY_MAX_CHARS:
        raise DomainError("rating.reply_too_long", max=REPLY_MAX_CHARS)
    _check_version(rating, expected_version)
    with session.begin_nested():
        _bump_version(
            session,
            rating,
            reply=reply,
            replied_at=rating.replied_at or now,
            replied_by_id=viewer.account_id,
        )
    note_events(session, RATING_REPLY, [rating.id])  # the owner hears of it (outbox)
    return rating


# --- checks -------------------------------------------------------------------------------------
def _check_scores(*scores: object) -> tuple[int, int, int]:
    # bool is an int subclass; "5" and 4.0 are not scores either.
    if not all(type(s) is int and SCORE_MIN <= s <= SCORE_MAX for s in scores):
        raise DomainError("rating.bad_score", min=SCORE_MIN, max=SCORE_MAX)
    speed, attitude, quality = cast(tuple[int, int, int], scores)
    return speed, attitude, quality


def _check_comment(comment: str, scores: tuple[int, int, int], red_line: int) -> str:
    comment = clean_text(comment)
    if len(comment) > COMMENT_MAX_CHARS:
        raise DomainError("rating.comment_too_long", max=COMMENT_MAX_CHARS)
    if not comment and min(scores) <= red_line:
        raise DomainError("rating.comment_required", red_line=red_line)
    return comment


def _check_edit_limit(
    session: Session, viewer: Viewer, community_id: int, now: dt.datetime
) -> None:
    """Refuse the edit if the owner already made the hour's allowance of edits."""
    zone = community_zone(session, community_id)
    contract = contract_in_force(session, community_id, local_date(now, zone))
    limit = DEFAULT_MAX_EDITS_PER_HOUR if contract is None else contract.max_rating_edits_per_hour
    limit = max(limit, 1)  # a setting below 1 would forbid editing altogether: read as 1
    lock_account(session, viewer.account_id)
    times = session.scalars(
        select(RatingEdit.edited_at)
        .join(Rating, Rating.id == RatingEdit.rating_id)
        .where(Rating.owner_id == viewer.account_id, RatingEdit.edited_at > now - EDIT_LIMIT_PERIOD)
        .order_by(RatingEdit.edited_at)
    ).all()
    if len(times) < limit:
        return
    # Accepted again once enough of these edits have left the hour, from the next full minute.
    free_at = times[len(times) - limit] + EDIT_LIMIT_PERIOD
    local = free_at.replace(tzinfo=dt.UTC).astimezone(zone)
    if local.second or local.microsecond:
        local = local.replace(second=0, microsecond=0) + dt.timedelta(minutes=1)
    raise DomainError("rating.edit_limit_reached", max=limit, time=f"{local:%H:%M}")


def _check_version(rating: Rating, expected_version: int) -> None:
    if expected_version != rating.version:
        raise DomainError("rating.changed_meanwhile")


def _repeat_or_refuse(
    session: Session,
    existing: Rating,
    scores: tuple[int, int, int],
    comment: str,
    now: dt.datetime,
    submission_key: str | None,
) -> RatingResult:
    same_form = submission_key is not None and existing.submission_key == submission_key
    same = same_form or (
        (existing.score_speed, existing.score_attitude, existing.score_quality) == scores
        and existing.comment == comment
        and abs(now - existing.created_at) <= DUPLICATE_WINDOW
    )
    if not same:
        raise DomainError("rating.already_rated")
    ticket = _ticket_of(session, existing.id)
    return RatingResult(
        rating_id=existing.id, ticket_id=ticket.id if ticket else None, created=False
    )


# --- reads --------------------------------------------------------------------------------------
def _lock_visible_order(session: Session, viewer: Viewer, order_id: int) -> WorkOrder:
    """The order, locked for this transaction, if the viewer may see it at all."""
    if not is_record_id(order_id):
        raise DomainError("order.not_found")
    order = session.scalars(
        select(WorkOrder)
        .where(WorkOrder.id == order_id, visible_to(viewer))
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one_or_none()
    if order is None:
        raise DomainError("order.not_found")
    return order


def _lock_rating(session: Session, viewer: Viewer, rating_id: int) -> Rating:
    if not is_record_id(rating_id):
        raise DomainError("rating.not_found")
    rating = session.scalars(
        select(Rating)
        .where(Rating.id == rating_id, Rating.community_id == viewer.community_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one_or_none()
    if rating is None:
        raise DomainError("rating.not_found")
    return rating


def _find_rating(session: Session, order_id: int, owner_id: int) -> Rating | None:
    return session.scalars(
        select(Rating)
        .where(Rating.work_order_id == order_id, Rating.owner_id == owner_id)
        .execution_options(populate_existing=True)
    ).one_or_none()


def _ticket_of(session: Session, rating_id: int) -> RectificationTicket | None:
    return session.scalars(
        select(RectificationTicket).where(RectificationTicket.rating_id == rating_id)
    ).one_or_none()


ContractsMemo = dict[int, tuple[Sequence[ServiceContract], ZoneInfo]]


def _terms_for(session: Session, order: WorkOrder, memo: ContractsMemo | None = None) -> _Terms:
    """The terms of the contract in force on the order's local completion date (the
    latest-starting one if several), else of the latest contract, else the defaults.
    ``memo`` keeps a community's contracts and zone across many ratings (a sync's page)."""
    known = memo.get(order.community_id) if memo is not None else None
    if known is None:
        known = (
            session.scalars(
                select(ServiceContract).where(ServiceContract.community_id == order.community_id)
            ).all(),
            community_zone(session, order.community_id),
        )
        if memo is not None:
            memo[order.community_id] = known
    contracts, zone = known
    day = local_date(order.completed_at or order.created_at, zone)
    in_force = [c for c in contracts if c.start_date <= day <= c.end_date]
    contract = max(in_force or contracts, key=lambda c: (c.start_date, c.id), default=None)
    if contract is None:
        return _Terms(DEFAULT_RED_LINE, DEFAULT_REPLY_HOURS, DEFAULT_ACCEPT_HOURS, DEFAULT_FIX_DAYS)
    return _Terms(
        red_line=contract.red_line_score,
        reply_hours=contract.reply_deadline_hours,
        accept_hours=contract.accept_deadline_hours,
        fix_days=contract.fix_deadline_days,
    )


# --- writes -------------------------------------------------------------------------------------
def record_source_rating(
    *,
    session: Session,
    order_id: int,
    owner_id: int,
    scores: tuple[int, int, int],
    comment: str,
    rated_at: dt.datetime,
    now: dt.datetime,
    first_sync: bool,
    memo: ContractsMemo | None = None,
) -> Rating:
    """A rating read from an operational system (``data_access.sync``), written as an owner's
    rating is — a red-line score opens its rectification ticket — except that at a first sync
    a rating whose reply window had already passed is *historical*: it counts in every figure
    but opens no ticket and is not queued for a reply (nobody can answer it in time any more).
    Scores and comment are the source's, checked for range only (a comment is not required).
    The rating gets its id at the caller's next flush (a sync writes a page at once) unless it
    opens a ticket."""
    rated_at, now = to_stored_utc(rated_at), to_stored_utc(now)
    checked = _check_scores(*scores)
    order = session.get(WorkOrder, order_id)
    if order is None:
        raise DomainError("order.not_found")
    terms = _terms_for(session, order, memo)
    historical = first_sync and rated_at + dt.timedelta(hours=terms.reply_hours) <= now
    rating = _new_rating(session, owner_id, order, terms, checked,
                         clean_text(comment)[:COMMENT_MAX_CHARS], rated_at, None,
                         historical=historical)  # fmt: skip
    if min(checked) <= terms.red_line and not historical:
        session.flush()
        _open_ticket(session, owner_id, None, order, rating, terms, rated_at)
    return rating


def _write_rating(
    session: Session,
    owner_id: int,
    actor: Viewer | None,
    order: WorkOrder,
    terms: _Terms,
    scores: tuple[int, int, int],
    comment: str,
    now: dt.datetime,
    photos: Sequence[bytes],
    media_dir: Path | None,
    submission_key: str | None,
    *,
    historical: bool = False,
) -> RatingResult:
    """The rating, its photos and, at or below the red line (unless historical), its ticket.
    ``actor`` is who is recorded as opening the ticket (None: the system, for a synced
    rating)."""
    rating = _new_rating(session, owner_id, order, terms, scores, comment, now, submission_key,
                         historical=historical)  # fmt: skip
    session.flush()
    folder = Path(media_dir) if media_dir is not None else current_media_dir()
    for data in photos:
        photo = store_photo(session=session, data=data, media_dir=folder, uploaded_at=now)
        attach_photo(
            session=session,
            photo=photo,
            kind="evidence",
            attached_at=now,
            rating_id=rating.id,
            caption=order.title[:TICKET_TITLE_MAX],
        )
    ticket_id = None
    if min(scores) <= terms.red_line and not historical:
        ticket_id = _open_ticket(session, owner_id, actor, order, rating, terms, now).id
    return RatingResult(rating_id=rating.id, ticket_id=ticket_id, created=True)


def _new_rating(
    session: Session,
    owner_id: int,
    order: WorkOrder,
    terms: _Terms,
    scores: tuple[int, int, int],
    comment: str,
    now: dt.datetime,
    submission_key: str | None,
    *,
    historical: bool,
) -> Rating:
    """A new rating row, added to the session (not flushed)."""
    rating = Rating(
        community_id=order.community_id,
        work_order_id=order.id,
        owner_id=owner_id,
        historical=historical,
        score_speed=scores[0],
        score_attitude=scores[1],
        score_quality=scores[2],
        comment=comment,
        created_at=now,
        updated_at=now,
        reply_due_at=now + dt.timedelta(hours=terms.reply_hours),
        submission_key=submission_key,
        version=1,
    )
    session.add(rating)
    return rating


def _bump_version(session: Session, rating: Rating, **changes: Any) -> None:
    bump_version(session, rating, "rating.changed_meanwhile", **changes)


def _open_ticket(
    session: Session,
    owner_id: int,
    actor: Viewer | None,
    order: WorkOrder,
    rating: Rating,
    terms: _Terms,
    now: dt.datetime,
) -> RectificationTicket:
    """The rectification ticket a red-line rating opens, with its first event."""
    ticket = insert_numbered_ticket(
        session,
        community_id=order.community_id,
        local_day=local_date(now, community_zone(session, order.community_id)),
        source="rating",
        rating_id=rating.id,
        work_order_id=order.id,
        title=(TICKET_TITLE_PREFIX + order.title)[:TICKET_TITLE_MAX],
        category=order.category,
        description=rating.comment,
        area_id=order.area_id,
        location=order.location[:TICKET_LOCATION_MAX],
        owner_id=owner_id,
        status="submitted",
        created_at=now,
        accept_due_at=now + dt.timedelta(hours=terms.accept_hours),
        fix_due_at=now + dt.timedelta(days=terms.fix_days),
    )
    append_ticket_event(
        session, ticket, from_status=None, to_status="submitted", at=now, viewer=actor,
        note=TICKET_EVENT_NOTE,
    )  # fmt: skip
    return ticket
