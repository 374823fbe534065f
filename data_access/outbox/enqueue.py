"""Queue a message for each event someone should hear about, in the event's own transaction.

A write session notes the events it makes as it flushes them — a new step of a work order, a
new ticket event, a reply to a rating, a new alert — and code that writes with bulk statements
notes them with ``note_events`` (a completion notice, the connector's steps). Just before the
session commits (a ``before_commit`` hook), ``queue_noted`` turns them into ``outbox`` rows,
one per recipient, on the first channel of the recipient's order that fits
(``choices.Reach.channels_for``). So the event and its message commit together or not at all,
whichever code wrote the event: a page, the connector, the simulator, the worker.

Who hears of what:
- ``order_step``: the reporter (owner or committee) of an order, of each new step someone
  else made — except the completion, told as ``order_to_rate`` (its notice row); the owners
  following a public order (``governance.me_too``), of every step, the completion included,
  as ``followed_order`` (a choice of its own on 我的设置);
- ``ticket_move``: the owner of a ticket, and ``followed_ticket`` the owners following a public
  one, of each move or progress note someone else made;
- ``rating_reply``: the owner of a rating, of the company's reply;
- ``alert``: the community's managers, of each new alert (a high one is urgent);
- ``announcement``: everyone a new notice is for (owners and committee members holding a unit
  in its buildings, or in the community), when it is published; an urgent one is urgent (past
  quiet hours);
- ``question_answer``: the owner who asked about a line of the public ledger, of the answer;
- ``poll``: everyone on a new consultation's or vote's roll (who votes a unit), when it is
  opened; ``poll_result``: the same people, of its result when the worker publishes it at the
  close (``votes.publish_closed_polls``; dated at the close, so a result published more than
  ``HISTORY_AGE`` after it — a worker stopped for hours — is on the page but not messaged);
  ``poll_reminder``: those of them who have not voted yet, when the side that opened it
  reminds them (``votes.remind_non_voters``, once a day at most).

Nothing is queued for history: a session marked with ``history_only`` (the demo seed, an
import), and any event that happened more than ``HISTORY_AGE`` ago when it is written (a
connector's first sync of last year's orders). Nothing is queued either while no channel is
configured — the in-app list (``notifications``) tells everything anyway.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, event, inspect, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, aliased

from data_access.accounts.privacy import ticket_of_private_order
from data_access.flows import FINAL_STAGE
from data_access.governance.me_too import followers_of
from data_access.governance.votes import non_voters, tally
from data_access.models import (
    Account,
    Alert,
    Announcement,
    AnnouncementBuilding,
    LedgerLine,
    LedgerQuestion,
    Notice,
    OutboxMessage,
    OwnerUnit,
    Poll,
    PollRollEntry,
    Rating,
    RectificationTicket,
    TicketEvent,
    Unit,
    WorkOrder,
    WorkOrderEvent,
)
from data_access.outbox.choices import reach_of
from data_access.outbox.settings import channel_settings

HISTORY_AGE = dt.timedelta(hours=2)
_NOTED = "outbox_noted_events"
_HISTORY = "outbox_history_only"
# Kinds of noted event (the first part of an ``event_key``).
ORDER_EVENT, NOTICE, TICKET_EVENT, RATING_REPLY, ALERT, ANNOUNCEMENT, ANSWER, POLL = (
    "order_event", "notice", "ticket_event", "rating_reply", "alert", "announcement", "answer",
    "poll",
)  # fmt: skip
POLL_RESULT, POLL_REMINDER = "poll_result", "poll_reminder"


def history_only(session: Session) -> None:
    """Mark a session as writing history: its events queue no message."""
    session.info[_HISTORY] = True


def note_events(session: Session, kind: str, ids: Iterable[int]) -> None:
    """Note events written by statements the ORM does not see (their ids)."""
    session.info.setdefault(_NOTED, set()).update((kind, int(i)) for i in ids)


@event.listens_for(Session, "after_flush")
def _note_flushed_events(session: Session, _context: object) -> None:
    noted: set[tuple[str, int]] = session.info.setdefault(_NOTED, set())
    for row in session.new:
        if isinstance(row, WorkOrderEvent) and row.corrects_event_id is None:
            noted.add((ORDER_EVENT, row.id))
        elif isinstance(row, TicketEvent):
            noted.add((TICKET_EVENT, row.id))
        elif isinstance(row, Alert):
            noted.add((ALERT, row.id))
        elif isinstance(row, Announcement):
            noted.add((ANNOUNCEMENT, row.id))
        elif isinstance(row, Poll):
            noted.add((POLL, row.id))
    for row in session.dirty:
        replied = isinstance(row, Rating) and row.replied_at is not None and bool(row.reply)
        if replied and inspect(row).attrs.reply.history.has_changes():
            noted.add((RATING_REPLY, row.id))
        answered = isinstance(row, LedgerQuestion) and row.answer is not None
        if answered and inspect(row).attrs.answer.history.has_changes():
            noted.add((ANSWER, row.id))
        published = isinstance(row, Poll) and row.result_published_at is not None
        if published and inspect(row).attrs.result_published_at.history.has_changes():
            noted.add((POLL_RESULT, row.id))
        reminded = isinstance(row, Poll) and row.reminded_at is not None
        if reminded and inspect(row).attrs.reminded_at.history.has_changes():
            noted.add((POLL_REMINDER, row.id))


@event.listens_for(Session, "after_rollback")
def _forget_noted(session: Session) -> None:
    session.info.pop(_NOTED, None)


@event.listens_for(Session, "before_commit")
def _queue_before_commit(session: Session) -> None:
    queue_noted(session)


@dataclass(frozen=True)
class Tidings:
    """One event for one recipient, as the message will tell it."""

    account_id: int
    event_type: str
    event_key: str
    at: dt.datetime
    subject: str
    subject_id: int | None
    title: str
    ref: str
    code: str
    note: str
    urgent: bool = False


def queue_noted(session: Session, now: dt.datetime | None = None) -> int:
    """Write the outbox rows of the events the session noted; how many were written."""
    if not session.info.get(_NOTED):
        return 0
    session.flush()  # events still pending are noted now
    noted: set[tuple[str, int]] = session.info.pop(_NOTED, set())
    if session.info.get(_HISTORY) or not noted:
        return 0
    configured = channel_settings().configured
    if not configured:
        return 0
    moment = now or dt.datetime.now(dt.UTC).replace(tzinfo=None)
    tidings = [tiding for tiding in _tidings(session, noted) if tiding.at >= moment - HISTORY_AGE]
    return write_messages(session, tidings, configured=configured, now=moment)


def write_messages(
    session: Session,
    tidings: Sequence[Tidings],
    *,
    configured: Sequence[str],
    now: dt.datetime,
    fallback_of: dict[tuple[int, str], int] | None = None,
    after_channel: dict[tuple[int, str], str] | None = None,
) -> int:
    """One row per tiding on the recipient's first fitting channel (after ``after_channel``
    when a channel failed); rows that exist already are left alone."""
    if not tidings:
        return 0
    reach = reach_of(session, {tiding.account_id for tiding in tidings})
    rows: list[dict[str, Any]] = []
    for tiding in tidings:
        person = reach.get(tiding.account_id)
        if person is None:
            continue
        channels = person.channels_for(tiding.event_type, configured)
        key = (tiding.account_id, tiding.event_key)
        failed = (after_channel or {}).get(key)
        if failed is not None:
            channels = [c for c in person.order if c in channels and
                        person.order.index(c) > person.order.index(failed)]  # fmt: skip
        if not channels:
            continue
        rows.append({
            "account_id": tiding.account_id, "channel": channels[0],
            "event_type": tiding.event_type, "event_key": tiding.event_key,
            "subject": tiding.subject, "subject_id": tiding.subject_id,
            "title": tiding.title[:200], "ref": tiding.ref[:40], "code": tiding.code[:32],
            "note": tiding.note[:2000], "urgent": tiding.urgent, "state": "pending",
            "attempts": 0, "created_at": now, "next_attempt_at": now, "last_error": "",
            "idempotency_key": str(uuid.uuid4()), "provider_id": "",
            "fallback_of_id": (fallback_of or {}).get(key),
        })  # fmt: skip
    if not rows:
        return 0
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(OutboxMessage).on_conflict_do_nothing(
        index_elements=["event_key", "account_id", "channel"]
    )
    written = session.execute(statement.returning(OutboxMessage.id), rows)
    return len(written.all())


# --- who hears of what -------------------------------------------------------------------------------
def _tidings(session: Session, noted: set[tuple[str, int]]) -> list[Tidings]:
    by_kind: dict[str, list[int]] = {}
    for kind, row_id in noted:
        by_kind.setdefault(kind, []).append(row_id)
    found: list[Tidings] = []
    for kind, read in _READERS.items():
        ids = sorted(by_kind.get(kind, ()))
        for start in range(0, len(ids), 500):
            found.extend(read(session, ids[start : start + 500]))
    return found


_RATERS = ("owner", "committee")


def _order_steps(session: Session, ids: list[int]) -> list[Tidings]:
    """Each step to the order's reporter (but the completion: told by its notice, "please
    rate"), and every step, the completion too, to the owners following a public order."""
    reporter = aliased(Account)
    rows = session.execute(
        select(WorkOrderEvent, WorkOrder.code, WorkOrder.title, WorkOrder.visibility,
               reporter.id)
        .join(WorkOrder, WorkOrder.id == WorkOrderEvent.work_order_id)
        .outerjoin(reporter, and_(reporter.id == WorkOrder.reporter_id,
                                  reporter.role.in_(_RATERS),
                                  reporter.community_id == WorkOrder.community_id))
        .where(WorkOrderEvent.id.in_(ids))
    ).all()  # fmt: skip
    followers = followers_of(
        session, "order", {step.work_order_id for step, _, _, visibility, _ in rows
                           if visibility == "public"}
    )  # fmt: skip
    found: list[Tidings] = []
    for step, code, title, visibility, reporter_id in rows:
        told = set()
        if reporter_id is not None and step.stage != FINAL_STAGE:
            told.add(reporter_id)
        if visibility == "public":
            told |= followers.get(step.work_order_id, set()) - {reporter_id}
        found += [
            Tidings(account_id, "order_step" if account_id == reporter_id else "followed_order",
                    f"{ORDER_EVENT}:{step.id}", step.occurred_at, "order", step.work_order_id,
                    title, code, step.stage, step.note)
            for account_id in sorted(told) if account_id != step.actor_account_id
        ]  # fmt: skip
    return found


def _completion_notices(session: Session, ids: list[int]) -> list[Tidings]:
    rows = session.execute(
        select(Notice, WorkOrder.code, WorkOrder.title)
        .join(WorkOrder, WorkOrder.id == Notice.work_order_id)
        .where(Notice.id.in_(ids))
    ).all()
    return [
        Tidings(notice.account_id, "order_to_rate", f"{NOTICE}:{notice.id}", notice.created_at,
                "order", notice.work_order_id, title, code, FINAL_STAGE, "")
        for notice, code, title in rows
    ]  # fmt: skip


def _ticket_moves(session: Session, ids: list[int]) -> list[Tidings]:
    """Each move to the ticket's owner and to the owners following it (a public ticket)."""
    rows = session.execute(
        select(TicketEvent, RectificationTicket, ticket_of_private_order())
        .join(RectificationTicket, RectificationTicket.id == TicketEvent.ticket_id)
        .where(TicketEvent.id.in_(ids))
    ).all()
    followers = followers_of(
        session, "ticket", {ticket.id for _, ticket, private in rows if not private}
    )
    found: list[Tidings] = []
    for move, ticket, private in rows:
        told = {ticket.owner_id} if ticket.owner_id is not None else set()
        if not private:
            told |= followers.get(ticket.id, set())
        found += [
            Tidings(account_id,
                    "ticket_move" if account_id == ticket.owner_id else "followed_ticket",
                    f"{TICKET_EVENT}:{move.id}", move.occurred_at, "ticket", ticket.id,
                    ticket.title, ticket.code, move.to_status, move.note)
            for account_id in sorted(told) if account_id != move.actor_account_id
        ]  # fmt: skip
    return found


def _rating_replies(session: Session, ids: list[int]) -> list[Tidings]:
    rows = session.execute(
        select(Rating, WorkOrder.code, WorkOrder.title)
        .join(WorkOrder, WorkOrder.id == Rating.work_order_id)
        .where(Rating.id.in_(ids), Rating.replied_at.is_not(None))
    ).all()
    return [
        Tidings(rating.owner_id, "rating_reply",
                f"{RATING_REPLY}:{rating.id}:{rating.replied_at:%Y%m%d%H%M%S}",
                rating.replied_at, "order", rating.work_order_id, title, code, "", rating.reply)
        for rating, code, title in rows
        if rating.replied_at is not None
    ]  # fmt: skip


def _alerts(session: Session, ids: list[int]) -> list[Tidings]:
    rows = session.execute(
        select(Alert, Account.id)
        .join(Account, Account.community_id == Alert.community_id)
        .where(Alert.id.in_(ids), Account.role == "manager", Account.is_active.is_(True))
    ).all()
    return [
        Tidings(manager_id, "alert", f"{ALERT}:{alert.id}", alert.raised_at, "alert", alert.id,
                alert.message, "", alert.rule, "", urgent=alert.severity == "high")
        for alert, manager_id in rows
    ]  # fmt: skip


def _announcements(session: Session, ids: list[int]) -> list[Tidings]:
    found: list[Tidings] = []
    for notice in session.scalars(select(Announcement).where(Announcement.id.in_(ids))):
        buildings = select(AnnouncementBuilding.area_id).where(
            AnnouncementBuilding.announcement_id == notice.id
        )
        units = select(Unit.id).where(Unit.community_id == notice.community_id)
        if session.scalar(select(buildings.exists())):
            units = units.where(Unit.building_id.in_(buildings))
        readers = session.scalars(
            select(Account.id)
            .join(OwnerUnit, OwnerUnit.account_id == Account.id)
            .where(
                OwnerUnit.unit_id.in_(units),
                Account.role.in_(_RATERS),
                Account.is_active.is_(True),
                Account.community_id == notice.community_id,
            )
            .distinct()
        )
        found += [
            Tidings(reader, "announcement", f"{ANNOUNCEMENT}:{notice.id}", notice.created_at,
                    "notice", notice.id, notice.title, "", notice.kind, notice.body,
                    urgent=notice.urgent)
            for reader in readers
        ]  # fmt: skip
    return found


def _answers(session: Session, ids: list[int]) -> list[Tidings]:
    rows = session.execute(
        select(LedgerQuestion, LedgerLine.description, LedgerLine.month_start)
        .join(LedgerLine, LedgerLine.id == LedgerQuestion.line_id)
        .where(LedgerQuestion.id.in_(ids), LedgerQuestion.answered_at.is_not(None))
    ).all()
    return [
        Tidings(question.asker_id, "question_answer", f"{ANSWER}:{question.id}",
                question.answered_at, "ledger", question.id, line, f"{month:%Y-%m}", "",
                question.answer or "")
        for question, line, month in rows
        if question.answered_at is not None
    ]  # fmt: skip


def _polls(session: Session, ids: list[int]) -> list[Tidings]:
    polls = {poll.id: poll for poll in session.scalars(select(Poll).where(Poll.id.in_(ids)))}
    voters = session.execute(
        select(PollRollEntry.poll_id, PollRollEntry.voter_id)
        .join(Account, Account.id == PollRollEntry.voter_id)
        .where(PollRollEntry.poll_id.in_(ids), Account.is_active.is_(True))
        .distinct()
    ).all()
    return [
        Tidings(voter_id, "poll", f"{POLL}:{poll_id}", polls[poll_id].created_at, "poll",
                poll_id, polls[poll_id].title, "", polls[poll_id].rule, polls[poll_id].body)
        for poll_id, voter_id in voters
        if voter_id is not None
    ]  # fmt: skip


def _poll_results(session: Session, ids: list[int]) -> list[Tidings]:
    """A closed poll's result to everyone on its roll: passed or not (a consultation: counted),
    the figures behind it in the note."""
    found: list[Tidings] = []
    for poll in session.scalars(select(Poll).where(Poll.id.in_(ids))):
        if poll.withdrawn_at is not None or poll.result_published_at is None:
            continue
        counted = tally(session, poll.id)
        outcome = {None: "counted", True: "passed", False: "failed"}[counted.passed]
        # Owners and area taking part, as the page writes them ("56 / 71 · 6,539.00 / … m²").
        note = (f"{counted.voted_owners} / {counted.total_owners} · "
                f"{counted.voted_area_dm2 / 100:,.2f} / {counted.total_area_dm2 / 100:,.2f} m²")  # fmt: skip
        voters = session.scalars(
            select(PollRollEntry.voter_id)
            .join(Account, Account.id == PollRollEntry.voter_id)
            .where(PollRollEntry.poll_id == poll.id, Account.is_active.is_(True))
            .distinct()
        )
        found += [
            Tidings(voter_id, "poll_result", f"{POLL_RESULT}:{poll.id}", poll.closes_at, "poll",
                    poll.id, poll.title, "", outcome, note)
            for voter_id in voters
            if voter_id is not None
        ]  # fmt: skip
    return found


def _poll_reminders(session: Session, ids: list[int]) -> list[Tidings]:
    """A reminder to everyone on an open poll's roll who has not voted yet."""
    found: list[Tidings] = []
    for poll in session.scalars(select(Poll).where(Poll.id.in_(ids))):
        if poll.reminded_at is None:
            continue
        found += [
            Tidings(account_id, "poll_reminder",
                    f"{POLL_REMINDER}:{poll.id}:{poll.reminded_at:%Y%m%d%H%M%S}",
                    poll.reminded_at, "poll", poll.id, poll.title, "", poll.rule, "")
            for account_id in non_voters(session, poll.id)
        ]  # fmt: skip
    return found


_READERS = {
    ORDER_EVENT: _order_steps,
    NOTICE: _completion_notices,
    TICKET_EVENT: _ticket_moves,
    RATING_REPLY: _rating_replies,
    ALERT: _alerts,
    ANNOUNCEMENT: _announcements,
    ANSWER: _answers,
    POLL: _polls,
    POLL_RESULT: _poll_results,
    POLL_REMINDER: _poll_reminders,
}
