"""Commands that open and move rectification tickets (整改单; the flow: docs/domain.md).

Who may do what, checked here on the server side:
- owners and committee members open tickets for themselves; managers open them on an owner's
  behalf (the owner must live in the manager's community);
- managers of the ticket's community accept, reject, start work, post progress and ask for
  confirmation;
- the ticket's own owner confirms the fix or reopens it;
- the system closes tickets the owner left unconfirmed for the contract's ``auto_close_days``.

Against spam, an owner or committee member opens at most the contract's
``max_owner_tickets_per_day`` tickets of their own per day (see ``open_ticket``); managers are
exempt.

A ticket of another community reads as ``ticket.not_found``. Every move must be allowed by
``flows.TICKET_TRANSITIONS`` and appends exactly one ``TicketEvent``. Like ``order_commands``, a
command locks the ticket row, then writes with ``UPDATE … WHERE version = :v`` so that two people
acting on the same version can never both write; it validates before writing, and writes inside
a savepoint, so a refusal leaves nothing behind in the caller's session.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from data_access.accounts.auth import Viewer
from data_access.accounts.last_looks import TICKET_SCOPE, save_last_look
from data_access.errors import DomainError, NotAllowed
from data_access.flows import can_move_ticket
from data_access.media.photos import attach_photo, current_media_dir, store_photo
from data_access.models import (
    WORK_ORDER_CATEGORIES,
    Account,
    Area,
    Community,
    LastLook,
    Rating,
    RectificationTicket,
    ServiceContract,
    TicketEvent,
)
from data_access.record_ids import is_record_id
from data_access.text_input import clean_text
from data_access.timestamps import local_date, to_stored_utc, zone_named
from data_access.versioning import bump_version
from i18n import label, translate

# Used when the community has no contract in force (the model's defaults).
DEFAULT_ACCEPT_DEADLINE_HOURS = 24
DEFAULT_FIX_DEADLINE_DAYS = 7
DEFAULT_AUTO_CLOSE_DAYS = 7
DEFAULT_MAX_OWNER_TICKETS_PER_DAY = 10

TITLE_MAX = 200  # RectificationTicket.title is String(200)
LOCATION_MAX = 200  # RectificationTicket.location is String(200)
DESCRIPTION_MAX = 2000
NOTE_MAX = 2000
REPLY_MAX_CHARS = 1000  # Rating.reply as the rating commands bound it
REASON_MIN = 2
REASON_MAX = 500
MAX_PHOTOS = 6
ACTOR_NAME_MAX = 50  # TicketEvent.actor_name is String(50)
CODE_PREFIX = "ZGD"  # ZGD + local date + per-day number, as the seed numbers them
CODE_ATTEMPTS = 5  # a concurrent opener may take the same number; then we take the next one
SYSTEM_ACTOR = "系统"
OWNER_ROLES = ("owner", "committee")


class TicketTransitionError(DomainError):
    """``ticket.bad_transition``: the state machine does not allow the move. The statuses are
    kept as codes in ``params`` and shown as labels in the reader's language."""

    def __init__(self, current: str, target: str) -> None:
        super().__init__("ticket.bad_transition", current=current, target=target)

    def message(self, lang: str = "zh") -> str:
        return translate(
            self.key,
            lang,
            current=label("ticket_status", str(self.params["current"]), lang),
            target=label("ticket_status", str(self.params["target"]), lang),
        )


# --- opening ------------------------------------------------------------------------------------
def open_ticket(
    *,
    session: Session,
    viewer: Viewer,
    title: str,
    category: str,
    description: str,
    location: str = "",
    area_id: int | None = None,
    on_behalf_of_account_id: int | None = None,
    photos: Sequence[bytes] = (),
    media_dir: Path | None = None,
    now: dt.datetime,
) -> int:
    """Open a ticket (status "submitted") and return its id.

    Owners and committee members open it for themselves (source "owner"); a manager opens it
    for ``on_behalf_of_account_id`` (source "on_behalf"). Deadlines come from the contract in
    force: accept within ``accept_deadline_hours``, fix within ``fix_deadline_days``.
    Photos are attached as "before" to the opening event.

    Spam limit: an owner or committee member may open at most the contract's
    ``max_owner_tickets_per_day`` (default 10) tickets of their own per day, where the day is the
    community's local calendar day, 00:00–24:00 in its time zone (the day the ticket codes are
    numbered by). The refusal tells the owner to try again tomorrow; a calendar day is what
    "今天已提交 10 条" means to them, while a rolling 24 hours would need a time to wait for.
    Only tickets the owner filed themselves count: those a manager opened on their behalf
    (managers are exempt) and those a red-line rating opened automatically
    (``ratings.rate_order``/``edit_rating``, which never check this limit) do not. The owner's
    account row is locked first, so that simultaneous submissions cannot all pass the count.

    Raises ``DomainError``: ``ticket.daily_limit_reached``, ``ticket.title_invalid``, ``ticket.description_too_long``,
    ``ticket.location_too_long``, ``ticket.category_invalid``, ``ticket.too_many_photos``,
    ``ticket.area_invalid``, ``ticket.owner_required``, ``ticket.owner_invalid``, one of
    ``upload.*``; ``NotAllowed``: ``ticket.open_not_allowed``.
    """
    now = to_stored_utc(now)
    title, description, location = clean_text(title), clean_text(description), clean_text(location)
    if not 1 <= len(title) <= TITLE_MAX:
        raise DomainError("ticket.title_invalid", max=TITLE_MAX)
    if len(description) > DESCRIPTION_MAX:
        raise DomainError("ticket.description_too_long", max=DESCRIPTION_MAX)
    if len(location) > LOCATION_MAX:
        raise DomainError("ticket.location_too_long", max=LOCATION_MAX)
    if category not in WORK_ORDER_CATEGORIES:
        raise DomainError("ticket.category_invalid")
    _check_photo_count(photos)
    if area_id is not None:
        area = session.get(Area, area_id)
        if area is None or area.community_id != viewer.community_id:
            raise DomainError("ticket.area_invalid")

    if viewer.role in OWNER_ROLES:
        if on_behalf_of_account_id not in (None, viewer.account_id):
            raise NotAllowed("ticket.open_not_allowed")
        source, owner_id, opened_by_id = "owner", viewer.account_id, None
    elif viewer.role == "manager":
        if on_behalf_of_account_id is None:
            raise DomainError("ticket.owner_required")
        owner = session.get(Account, on_behalf_of_account_id)
        if (
            owner is None
            or not owner.is_active
            or owner.role not in OWNER_ROLES
            or owner.community_id != viewer.community_id
        ):
            raise DomainError("ticket.owner_invalid")
        source, owner_id, opened_by_id = "on_behalf", owner.id, viewer.account_id
    else:
        raise NotAllowed("ticket.open_not_allowed")

    community = session.get_one(Community, viewer.community_id)
    local_day = local_date(now, zone_named(community.time_zone))
    contract = contract_in_force(session, community.id, local_day)
    if source == "owner":
        _check_daily_limit(session, viewer, community, local_day, contract)
    accept_hours, fix_days, _ = _terms(contract)
    with session.begin_nested():
        ticket = insert_numbered_ticket(
            session,
            community_id=community.id,
            local_day=local_day,
            source=source,
            title=title,
            category=category,
            description=description,
            area_id=area_id,
            location=location,
            owner_id=owner_id,
            opened_by_id=opened_by_id,
            status="submitted",
            created_at=now,
            accept_due_at=now + dt.timedelta(hours=accept_hours),
            fix_due_at=now + dt.timedelta(days=fix_days),
        )
        event = append_ticket_event(
            session, ticket, from_status=None, to_status="submitted", at=now, viewer=viewer
        )
        _attach_photos(session, ticket, event, photos, "before", media_dir, now)
    return ticket.id


# --- manager's moves ----------------------------------------------------------------------------
def accept_ticket(
    *,
    session: Session,
    viewer: Viewer,
    ticket_id: int,
    now: dt.datetime,
    expected_version: int | None = None,
    note: str = "",
) -> TicketEvent:
    """submitted → accepted (sets ``accepted_at``). Managers of the ticket's community only."""
    note = _note(note, required=False)
    return _move(
        session, viewer, ticket_id, "accepted", now, expected_version,
        actor="manager", note=note, changes={"accepted_at": to_stored_utc(now)},
    )  # fmt: skip


def reject_ticket(
    *,
    session: Session,
    viewer: Viewer,
    ticket_id: int,
    reason: str,
    now: dt.datetime,
    expected_version: int | None = None,
) -> TicketEvent:
    """submitted → rejected. The reason (2–500 characters) is public: it is stored in
    ``reject_reason`` and as the event's note. Raises ``ticket.reason_invalid`` without one."""
    reason = _reason(reason)
    return _move(
        session, viewer, ticket_id, "rejected", now, expected_version,
        actor="manager", note=reason, changes={"reject_reason": reason},
    )  # fmt: skip


def start_work(
    *,
    session: Session,
    viewer: Viewer,
    ticket_id: int,
    now: dt.datetime,
    expected_version: int | None = None,
    note: str = "",
) -> TicketEvent:
    """accepted → in_progress. Managers only."""
    note = _note(note, required=False)
    return _move(
        session, viewer, ticket_id, "in_progress", now, expected_version,
        actor="manager", note=note, only_from="accepted",
    )  # fmt: skip


def post_progress(
    *,
    session: Session,
    viewer: Viewer,
    ticket_id: int,
    note: str,
    now: dt.datetime,
    photos: Sequence[bytes] = (),
    media_dir: Path | None = None,
    expected_version: int | None = None,
) -> TicketEvent:
    """in_progress → in_progress: a progress note (required) with optional "during" photos."""
    note = _note(note, required=True)
    _check_photo_count(photos)
    return _move(
        session, viewer, ticket_id, "in_progress", now, expected_version,
        actor="manager", note=note, only_from="in_progress", photos=photos,
        photo_kind="during", media_dir=media_dir,
    )  # fmt: skip


def request_confirmation(
    *,
    session: Session,
    viewer: Viewer,
    ticket_id: int,
    now: dt.datetime,
    note: str = "",
    photos: Sequence[bytes] = (),
    media_dir: Path | None = None,
    expected_version: int | None = None,
) -> TicketEvent:
    """in_progress → awaiting_confirmation, with optional "after" photos. Managers only."""
    note = _note(note, required=False)
    _check_photo_count(photos)
    return _move(
        session, viewer, ticket_id, "awaiting_confirmation", now, expected_version,
        actor="manager", note=note, photos=photos, photo_kind="after", media_dir=media_dir,
    )  # fmt: skip


# --- owner's moves ------------------------------------------------------------------------------
def confirm_fix(
    *,
    session: Session,
    viewer: Viewer,
    ticket_id: int,
    now: dt.datetime,
    expected_version: int | None = None,
    note: str = "",
) -> TicketEvent:
    """awaiting_confirmation → closed (``closed_at`` = now). The ticket's owner only."""
    note = _note(note, required=False)
    return _move(
        session, viewer, ticket_id, "closed", now, expected_version,
        actor="owner", note=note, changes={"closed_at": to_stored_utc(now)},
    )  # fmt: skip


def reopen_ticket(
    *,
    session: Session,
    viewer: Viewer,
    ticket_id: int,
    reason: str,
    now: dt.datetime,
    expected_version: int | None = None,
) -> TicketEvent:
    """awaiting_confirmation → in_progress: the owner is not satisfied (reason required)."""
    reason = _reason(reason)
    return _move(
        session, viewer, ticket_id, "in_progress", now, expected_version,
        actor="owner", note=reason, only_from="awaiting_confirmation",
    )  # fmt: skip


# --- the system ---------------------------------------------------------------------------------
def mark_ticket_seen(
    *, session: Session, viewer: Viewer, ticket_id: int, at: dt.datetime
) -> LastLook:
    """Remember that the viewer opened the ticket at ``at`` (its notifications up to then are
    read). Another community's ticket reads as not found."""
    if not is_record_id(ticket_id):
        raise DomainError("ticket.not_found")
    visible = session.scalar(
        select(RectificationTicket.id).where(
            RectificationTicket.id == ticket_id,
            RectificationTicket.community_id == viewer.community_id,
        )
    )
    if visible is None:
        raise DomainError("ticket.not_found")
    return save_last_look(
        session=session, account_id=viewer.account_id, scope=TICKET_SCOPE, subject_id=ticket_id,
        at=at,
    )  # fmt: skip


def auto_close_due_tickets(*, session: Session, now: dt.datetime) -> int:
    """Close every ticket that has awaited the owner's confirmation for at least the contract's
    ``auto_close_days`` since it (last) entered that status; returns how many were closed.

    A ticket without an event into "awaiting_confirmation" (imported without its log) is left
    alone: we cannot tell how long it has waited. A ticket someone moved meanwhile is skipped.
    """
    now = to_stored_utc(now)
    entered = (
        select(
            TicketEvent.ticket_id,
            func.max(TicketEvent.occurred_at).label("entered_at"),
        )
        .where(TicketEvent.to_status == "awaiting_confirmation")
        .group_by(TicketEvent.ticket_id)
        .subquery()
    )
    rows = session.execute(
        select(RectificationTicket, entered.c.entered_at)
        .join(entered, entered.c.ticket_id == RectificationTicket.id)
        .where(RectificationTicket.status == "awaiting_confirmation")
        .order_by(RectificationTicket.id)
    ).all()
    closed = 0
    for ticket, entered_at in rows:
        community = session.get_one(Community, ticket.community_id)
        _, _, days = _deadlines(
            session, community.id, local_date(now, zone_named(community.time_zone))
        )
        if now < entered_at + dt.timedelta(days=days):
            continue
        try:
            with session.begin_nested():
                _bump_version(session, ticket, status="closed", closed_at=now, auto_closed=True)
                append_ticket_event(
                    session, ticket, from_status="awaiting_confirmation", to_status="closed",
                    at=now, viewer=None, note=f"业主 {days} 天未确认,系统自动关闭",
                )  # fmt: skip
                _answer_the_rating(session, ticket, now, None)
        except DomainError:  # confirmed or reopened meanwhile
            continue
        closed += 1
    return closed


# --- helpers ------------------------------------------------------------------------------------
def _move(
    session: Session,
    viewer: Viewer,
    ticket_id: int,
    target: str,
    now: dt.datetime,
    expected_version: int | None,
    *,
    actor: str,
    note: str = "",
    changes: dict[str, Any] | None = None,
    only_from: str | None = None,
    photos: Sequence[bytes] = (),
    photo_kind: str = "",
    media_dir: Path | None = None,
) -> TicketEvent:
    """Check community, role, version and transition, then write the move and its event.

    ``only_from`` narrows a target reachable from several statuses to the one this command
    means (e.g. reopening and starting work both lead to "in_progress").
    """
    now = to_stored_utc(now)
    ticket = _lock_ticket(session, viewer, ticket_id)
    if actor == "manager" and viewer.role != "manager":
        raise NotAllowed("ticket.managers_only")
    if actor == "owner" and (
        viewer.role not in OWNER_ROLES or ticket.owner_id != viewer.account_id
    ):
        raise NotAllowed("ticket.owner_only")
    if expected_version is not None and expected_version != ticket.version:
        raise DomainError("ticket.changed_meanwhile")
    current = ticket.status
    if not can_move_ticket(current, target) or (only_from is not None and current != only_from):
        raise TicketTransitionError(current, target)
    with session.begin_nested():
        _bump_version(session, ticket, status=target, **(changes or {}))
        event = append_ticket_event(
            session, ticket, from_status=current, to_status=target, at=now, viewer=viewer,
            note=note,
        )  # fmt: skip
        _attach_photos(session, ticket, event, photos, photo_kind, media_dir, now)
        if target in ("closed", "rejected"):
            _answer_the_rating(session, ticket, now, viewer if viewer.is_manager else None)
    return event


def _answer_the_rating(
    session: Session, ticket: RectificationTicket, now: dt.datetime, manager: Viewer | None
) -> None:
    """A ticket a rating opened is the company's answer to that rating: when the ticket ends
    (closed, rejected) and the rating has no reply yet, its outcome becomes the reply — the
    rejection's reason, else the company's last word on the ticket (its last note on the way to
    the owner's confirmation), else what happened. ``replied_at`` is now, so the
    reply-timeliness KPI sees how long the answer took."""
    if ticket.rating_id is None:
        return
    rating = session.get(Rating, ticket.rating_id)
    if rating is None or rating.replied_at is not None:
        return
    if ticket.status == "rejected":
        text = f"不予整改:{ticket.reject_reason}"
    else:
        last_word = session.scalar(
            select(TicketEvent.note)
            .where(
                TicketEvent.ticket_id == ticket.id,
                TicketEvent.to_status.in_(("in_progress", "awaiting_confirmation")),
                TicketEvent.actor_account_id.is_not(None),
                TicketEvent.actor_account_id != ticket.owner_id,
                TicketEvent.note != "",
            )
            .order_by(TicketEvent.occurred_at.desc(), TicketEvent.id.desc())
            .limit(1)
        )
        closed = "业主已确认整改完成" if not ticket.auto_closed else "整改完成,业主未在期限内确认"
        text = f"{ticket.code} {closed}。" + (f"整改说明:{last_word}" if last_word else "")
    bump_version(
        session, rating, "rating.changed_meanwhile", reply=text[:REPLY_MAX_CHARS],
        replied_at=now, replied_by_id=manager.account_id if manager else None,
    )  # fmt: skip


def _lock_ticket(session: Session, viewer: Viewer, ticket_id: int) -> RectificationTicket:
    """The ticket, re-read and locked for this transaction; another community's is not found,
    and so is an impossible id."""
    if not is_record_id(ticket_id):
        raise DomainError("ticket.not_found")
    ticket = session.scalars(
        select(RectificationTicket)
        .where(RectificationTicket.id == ticket_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one_or_none()
    if ticket is None or ticket.community_id != viewer.community_id:
        raise DomainError("ticket.not_found")
    return ticket


def _bump_version(session: Session, ticket: RectificationTicket, **changes: Any) -> None:
    bump_version(session, ticket, "ticket.changed_meanwhile", **changes)


def append_ticket_event(
    session: Session,
    ticket: RectificationTicket,
    *,
    from_status: str | None,
    to_status: str,
    at: dt.datetime,
    viewer: Viewer | None,
    note: str = "",
) -> TicketEvent:
    event = TicketEvent(
        ticket_id=ticket.id,
        from_status=from_status,
        to_status=to_status,
        occurred_at=at,
        actor_account_id=viewer.account_id if viewer else None,
        actor_name=(viewer.display_name.strip() if viewer else SYSTEM_ACTOR)[:ACTOR_NAME_MAX],
        note=note,
    )
    session.add(event)
    session.flush()
    return event


def _attach_photos(
    session: Session,
    ticket: RectificationTicket,
    event: TicketEvent,
    photos: Sequence[bytes],
    kind: str,
    media_dir: Path | None,
    at: dt.datetime,
) -> None:
    folder = media_dir if media_dir is not None else current_media_dir()
    for data in photos:
        photo = store_photo(session=session, data=data, media_dir=folder, uploaded_at=at)
        attach_photo(
            session=session, photo=photo, kind=kind, attached_at=at, ticket_id=ticket.id,
            ticket_event_id=event.id, caption=ticket.title[:200],
        )  # fmt: skip


def insert_numbered_ticket(
    session: Session, *, community_id: int, local_day: dt.date, **fields: Any
) -> RectificationTicket:
    """Insert the ticket with the next free code of its community and local day."""
    prefix = f"{CODE_PREFIX}{local_day:%Y%m%d}"
    for _ in range(CODE_ATTEMPTS):
        last = session.scalar(
            select(func.max(RectificationTicket.code)).where(
                RectificationTicket.community_id == community_id,
                RectificationTicket.code.like(f"{prefix}%"),
            )
        )
        number = int(last[len(prefix) :]) + 1 if last and last[len(prefix) :].isdigit() else 1
        ticket = RectificationTicket(
            community_id=community_id, code=f"{prefix}{number:03d}", **fields
        )
        try:
            with session.begin_nested():
                session.add(ticket)
                session.flush()
        except IntegrityError:
            session.expunge(ticket)
            continue
        return ticket
    raise DomainError("ticket.changed_meanwhile")


def _check_daily_limit(
    session: Session,
    viewer: Viewer,
    community: Community,
    local_day: dt.date,
    contract: ServiceContract | None,
) -> None:
    """Refuse the owner's ticket if they already opened the day's allowance themselves."""
    limit = (
        DEFAULT_MAX_OWNER_TICKETS_PER_DAY
        if contract is None
        else max(contract.max_owner_tickets_per_day, 1)  # below 1 would shut owners out: read as 1
    )
    lock_account(session, viewer.account_id)
    start, end = (
        dt.datetime.combine(day, dt.time(), ZoneInfo(community.time_zone))
        .astimezone(dt.UTC)
        .replace(tzinfo=None)
        for day in (local_day, local_day + dt.timedelta(days=1))
    )
    opened = session.scalar(
        select(func.count())
        .select_from(RectificationTicket)
        .where(
            RectificationTicket.owner_id == viewer.account_id,
            RectificationTicket.community_id == community.id,
            RectificationTicket.source == "owner",
            RectificationTicket.created_at >= start,
            RectificationTicket.created_at < end,
        )
    )
    if (opened or 0) >= limit:
        raise DomainError("ticket.daily_limit_reached", max=limit)


def lock_account(session: Session, account_id: int) -> None:
    """Lock the account's row for this transaction (PostgreSQL ``FOR NO KEY UPDATE``; SQLite
    holds the database lock from ``BEGIN IMMEDIATE``): a per-owner count and the write it
    allows then happen one owner's request at a time."""
    session.execute(
        select(Account.id).where(Account.id == account_id).with_for_update(key_share=True)
    )


def contract_in_force(
    session: Session, community_id: int, local_day: dt.date
) -> ServiceContract | None:
    """The contract in force on ``local_day`` (the latest-starting one if several), or None."""
    return session.scalars(
        select(ServiceContract)
        .where(
            ServiceContract.community_id == community_id,
            ServiceContract.start_date <= local_day,
            ServiceContract.end_date >= local_day,
        )
        .order_by(ServiceContract.start_date.desc(), ServiceContract.id.desc())
        .limit(1)
    ).first()


def _deadlines(session: Session, community_id: int, local_day: dt.date) -> tuple[int, int, int]:
    """(accept hours, fix days, auto-close days) of the contract in force on ``local_day``."""
    return _terms(contract_in_force(session, community_id, local_day))


def _terms(contract: ServiceContract | None) -> tuple[int, int, int]:
    """(accept hours, fix days, auto-close days) of ``contract``, or the defaults."""
    if contract is None:
        return DEFAULT_ACCEPT_DEADLINE_HOURS, DEFAULT_FIX_DEADLINE_DAYS, DEFAULT_AUTO_CLOSE_DAYS
    return contract.accept_deadline_hours, contract.fix_deadline_days, contract.auto_close_days


def _reason(reason: str) -> str:
    reason = clean_text(reason)
    if not REASON_MIN <= len(reason) <= REASON_MAX:
        raise DomainError("ticket.reason_invalid", min=REASON_MIN, max=REASON_MAX)
    return reason


def _note(note: str, *, required: bool) -> str:
    note = clean_text(note)
    if required and not note:
        raise DomainError("ticket.note_required")
    if len(note) > NOTE_MAX:
        raise DomainError("ticket.note_too_long", max=NOTE_MAX)
    return note


def _check_photo_count(photos: Sequence[bytes]) -> None:
    if len(photos) > MAX_PHOTOS:
        raise DomainError("ticket.too_many_photos", max=MAX_PHOTOS)
