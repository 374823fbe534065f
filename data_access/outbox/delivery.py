"""Deliver the outbox: the worker's ``outbox`` job calls ``deliver_due`` every 30 seconds.

A row's life: ``pending`` → ``sending`` (committed *before* the channel is called) → ``sent``,
or back to ``pending`` with a later ``next_attempt_at`` (retries after 1, 5 and 30 minutes),
or ``failed`` with the reason, after which the next channel of the person's order gets a row
(``fallback_of_id``). So a row is never sent twice by us:

- a row still ``sending`` when a round begins was being sent by a worker that stopped (only
  the lease holder runs rounds, and a round finishes its sends before the next one begins):
  nobody knows if it arrived. On a channel whose API takes our idempotency key (WeChat's
  ``client_msg_id``, honoured for ``IDEMPOTENCY_WINDOW``) it is sent again with the same key —
  the API drops a duplicate; elsewhere it becomes ``unknown`` and managers see it in the log;
- a channel call that timed out after the request left (``NoAnswer``) is treated the same way.

Before sending, each person's due rows are checked again: a choice turned off since, or an
address gone, skips a row (an address gone falls back to the next channel); quiet hours hold
non-urgent rows until they end (the community's local time); and when a person would get more
than ``DIGEST_AFTER`` messages within ``DIGEST_WINDOW``, their due non-urgent rows on a channel
become one digest row (the folded rows are ``digested`` and point at it).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from data_access.accounts.privacy import public_text_masker
from data_access.db import write_session
from data_access.models import PASSWORD_CODE, OutboxMessage
from data_access.outbox.choices import Reach, is_quiet, quiet_end, reach_of
from data_access.outbox.enqueue import Tidings, write_messages

RETRY_DELAYS = (dt.timedelta(minutes=1), dt.timedelta(minutes=5), dt.timedelta(minutes=30))
IDEMPOTENCY_WINDOW = dt.timedelta(minutes=9)  # WeChat drops a repeated client_msg_id for 10
DIGEST_AFTER = 5
DIGEST_WINDOW = dt.timedelta(minutes=10)
BATCH = 200
DIGEST = "digest"


# --- what a channel is given and answers ---------------------------------------------------------
@dataclass(frozen=True)
class DigestItem:
    event_type: str
    title: str
    ref: str
    code: str


@dataclass(frozen=True)
class OutgoingMessage:
    """One message as a channel sends it; texts already masked."""

    row_id: int
    channel: str
    address: str
    language: str
    event_type: str  # an OUTBOX_EVENT_TYPES value, or "digest"
    subject: str
    subject_id: int | None
    title: str
    ref: str
    code: str
    note: str
    urgent: bool
    idempotency_key: str
    items: tuple[DigestItem, ...] = ()


@dataclass(frozen=True)
class Sent:
    provider_id: str = ""


@dataclass(frozen=True)
class Failed:
    reason: str
    permanent: bool = False  # the address is wrong or refused: retrying cannot help


@dataclass(frozen=True)
class NoAnswer:
    """The request left but no answer came: it may have arrived."""

    reason: str


Outcome = Sent | Failed | NoAnswer


class Sender(Protocol):
    accepts_idempotency_key: bool

    def send(self, message: OutgoingMessage) -> Outcome: ...


@dataclass
class DeliveryReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    unknown: int = 0
    resent: int = 0  # interrupted sends sent again under the same idempotency key
    digests: int = 0
    postponed: int = 0  # held by quiet hours
    skipped: int = 0
    fallbacks: int = 0
    outcomes: list[tuple[int, str]] = field(default_factory=list)  # (row id, new state)

    def as_dict(self) -> dict[str, int]:
        return {key: value for key, value in vars(self).items() if isinstance(value, int)}


# --- the round --------------------------------------------------------------------------------------
def deliver_due(
    factory: sessionmaker[Session],
    senders: Mapping[str, Sender],
    now: dt.datetime,
    *,
    clock: Callable[[], dt.datetime] | None = None,
    limit: int = BATCH,
) -> DeliveryReport:
    """One delivery round at ``now`` (naive UTC); ``clock`` stamps sends (default ``now``)."""
    report = DeliveryReport()
    stamp = clock or (lambda: now)
    with write_session(factory) as session:
        _recover_interrupted(session, senders, now, report)
    with write_session(factory) as session:
        batch = _prepare(session, senders, now, limit, report)
    for message in batch:
        _send_one(factory, senders, message, stamp, report)
    return report


def _recover_interrupted(
    session: Session, senders: Mapping[str, Sender], now: dt.datetime, report: DeliveryReport
) -> None:
    stuck = session.scalars(select(OutboxMessage).where(OutboxMessage.state == "sending")).all()
    for row in stuck:
        sender = senders.get(row.channel)
        first_try = row.sending_since or now
        if (
            sender is not None
            and sender.accepts_idempotency_key
            and (now - first_try <= IDEMPOTENCY_WINDOW)
        ):
            row.state, row.next_attempt_at = "pending", now
            row.last_error = "interrupted while sending: sent again with the same key"
            report.resent += 1
        else:
            row.state = "unknown"
            row.last_error = "interrupted while sending: it may or may not have arrived"
            report.unknown += 1
        report.outcomes.append((row.id, row.state))


def _prepare(
    session: Session,
    senders: Mapping[str, Sender],
    now: dt.datetime,
    limit: int,
    report: DeliveryReport,
) -> list[OutgoingMessage]:
    """The due rows re-checked, held, skipped or folded into digests; what to send now."""
    due = session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.state == "pending", OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.id)
        .limit(limit)
    ).all()
    if not due:
        return []
    reach = reach_of(session, {row.account_id for row in due})
    by_person: dict[int, list[OutboxMessage]] = {}
    for row in due:
        by_person.setdefault(row.account_id, []).append(row)
    outgoing: list[OutgoingMessage] = []
    maskers: dict[int, Callable[[str], str]] = {}
    for account_id, rows in by_person.items():
        person = reach.get(account_id)
        sendable = _checked(session, rows, person, senders, now, report)
        if person is None or not sendable:
            continue
        if person.community_id not in maskers:
            maskers[person.community_id] = public_text_masker(session, person.community_id)
        mask = maskers[person.community_id]
        for row, items in _folded(session, sendable, now, report):
            outgoing.append(_outgoing(row, person, mask, items))
    return outgoing


def _checked(
    session: Session,
    rows: list[OutboxMessage],
    person: Reach | None,
    senders: Mapping[str, Sender],
    now: dt.datetime,
    report: DeliveryReport,
) -> list[OutboxMessage]:
    """Rows still to send now; the others held (quiet hours) or skipped (and fallen back)."""
    if person is None:  # the account was disabled since
        for row in rows:
            _finish(row, "skipped", "the account is disabled", report)
        return []
    local = now.replace(tzinfo=dt.UTC).astimezone(ZoneInfo(person.time_zone)).replace(tzinfo=None)
    quiet = person.quiet if is_quiet(person.quiet, local) else None
    sendable = []
    for row in rows:
        if row.event_type != DIGEST and not person.wants(row.event_type, row.channel):
            _finish(row, "skipped", "turned off by the person", report)
        elif row.channel not in senders or not person.address(row.channel):
            _finish(row, "skipped", "no address on this channel any more", report)
            _fall_back(session, row, now, senders, report)
        elif quiet is not None and not row.urgent:
            end = quiet_end(quiet, local).replace(tzinfo=ZoneInfo(person.time_zone))
            row.next_attempt_at = end.astimezone(dt.UTC).replace(tzinfo=None)
            report.postponed += 1
        else:
            sendable.append(row)
    return sendable


def _folded(
    session: Session, rows: list[OutboxMessage], now: dt.datetime, report: DeliveryReport
) -> list[tuple[OutboxMessage, tuple[DigestItem, ...]]]:
    """The rows to send, with a person's many non-urgent rows on a channel folded into one."""
    account_id = rows[0].account_id
    recent = (
        session.scalar(
            select(func.count()).where(
                OutboxMessage.account_id == account_id,
                OutboxMessage.state == "sent",
                OutboxMessage.sent_at >= now - DIGEST_WINDOW,
            )
        )
        or 0
    )
    foldable = [row for row in rows if not row.urgent and row.event_type != DIGEST]
    if recent + len(rows) <= DIGEST_AFTER or len(foldable) < 2:
        return [(row, _items_of(session, row)) for row in rows]
    result: list[tuple[OutboxMessage, tuple[DigestItem, ...]]] = [
        (row, _items_of(session, row)) for row in rows if row not in foldable
    ]
    by_channel: dict[str, list[OutboxMessage]] = {}
    for row in foldable:
        by_channel.setdefault(row.channel, []).append(row)
    for channel, members in by_channel.items():
        if len(members) == 1:
            result.append((members[0], ()))
            continue
        digest = OutboxMessage(
            account_id=account_id, channel=channel, event_type=DIGEST,
            event_key=f"{DIGEST}:{members[0].id}", subject="", subject_id=None, title="",
            ref="", code=str(len(members)), note="", urgent=False, state="pending", attempts=0,
            created_at=now, next_attempt_at=now, last_error="",
            idempotency_key=str(uuid.uuid4()), provider_id="",
        )  # fmt: skip
        session.add(digest)
        session.flush()
        for member in members:
            member.digest_id = digest.id
            _finish(member, "digested", "", report)
        report.digests += 1
        result.append((digest, _items(members)))
    return result


def _items_of(session: Session, row: OutboxMessage) -> tuple[DigestItem, ...]:
    """A digest's folded rows (a digest being retried); () for an ordinary row."""
    if row.event_type != DIGEST:
        return ()
    members = session.scalars(
        select(OutboxMessage).where(OutboxMessage.digest_id == row.id).order_by(OutboxMessage.id)
    ).all()
    return _items(list(members))


def _items(members: Sequence[OutboxMessage]) -> tuple[DigestItem, ...]:
    return tuple(DigestItem(m.event_type, m.title, m.ref, m.code) for m in members)


def _outgoing(
    row: OutboxMessage,
    person: Reach,
    mask: Callable[[str], str],
    items: tuple[DigestItem, ...],
) -> OutgoingMessage:
    return OutgoingMessage(
        row_id=row.id, channel=row.channel, address=person.address(row.channel),
        language=person.language, event_type=row.event_type, subject=row.subject,
        subject_id=row.subject_id, title=mask(row.title), ref=row.ref, code=row.code,
        note=mask(row.note), urgent=row.urgent, idempotency_key=row.idempotency_key,
        items=tuple(DigestItem(i.event_type, mask(i.title), i.ref, i.code) for i in items),
    )  # fmt: skip


def _send_one(
    factory: sessionmaker[Session],
    senders: Mapping[str, Sender],
    message: OutgoingMessage,
    stamp: Callable[[], dt.datetime],
    report: DeliveryReport,
) -> None:
    """Mark the row sending (committed), call the channel, record its answer."""
    with write_session(factory) as session:
        claimed = session.execute(  # type: ignore[attr-defined]
            update(OutboxMessage)
            .where(OutboxMessage.id == message.row_id, OutboxMessage.state == "pending")
            .values(state="sending", sending_since=stamp(), attempts=OutboxMessage.attempts + 1)
        ).rowcount
    if not claimed:
        return
    try:
        outcome = senders[message.channel].send(message)
    except Exception as error:  # a channel bug must not leave the row "sending" forever
        outcome = NoAnswer(f"{type(error).__name__}: {error}")
    with write_session(factory) as session:
        row = session.get(OutboxMessage, message.row_id)
        assert row is not None
        now = stamp()
        if isinstance(outcome, Sent):
            row.sent_at, row.provider_id = now, outcome.provider_id[:100]
            _finish(row, "sent", "", report)
        elif isinstance(outcome, NoAnswer):
            sender = senders[message.channel]
            first = row.sending_since or now
            if sender.accepts_idempotency_key and now - first <= IDEMPOTENCY_WINDOW:
                row.state, row.next_attempt_at = "pending", now + RETRY_DELAYS[0]
                row.last_error = f"no answer, sent again with the same key: {outcome.reason}"[:300]
                report.retried += 1
            else:
                _finish(row, "unknown", f"no answer: {outcome.reason}", report)
        elif outcome.permanent or row.attempts > len(RETRY_DELAYS):
            _finish(row, "failed", outcome.reason, report)
            _fall_back(session, row, now, senders, report)
        else:
            row.state = "pending"
            row.next_attempt_at = now + RETRY_DELAYS[row.attempts - 1]
            row.last_error = outcome.reason[:300]
            report.retried += 1


def _finish(row: OutboxMessage, state: str, reason: str, report: DeliveryReport) -> None:
    row.state, row.last_error = state, reason[:300]
    if row.event_type == PASSWORD_CODE:
        row.note = ""  # the code is kept only until it is sent (or cannot be)
    if state in ("sent", "failed", "unknown", "skipped"):
        setattr(report, state, getattr(report, state) + 1)
    report.outcomes.append((row.id, state))


def _fall_back(
    session: Session,
    row: OutboxMessage,
    now: dt.datetime,
    senders: Mapping[str, Sender],
    report: DeliveryReport,
) -> None:
    """The next channel of the person's order for what ``row`` could not deliver."""
    members = (
        session.scalars(select(OutboxMessage).where(OutboxMessage.digest_id == row.id)).all()
        if row.event_type == DIGEST
        else [row]
    )
    tidings = [
        Tidings(m.account_id, m.event_type, m.event_key, now, m.subject, m.subject_id, m.title,
                m.ref, m.code, m.note, m.urgent)
        for m in members
    ]  # fmt: skip
    written = write_messages(
        session, tidings, configured=tuple(senders), now=now,
        fallback_of={(m.account_id, m.event_key): m.id for m in members},
        after_channel={(m.account_id, m.event_key): row.channel for m in members},
    )  # fmt: skip
    report.fallbacks += written


# --- the managers' delivery log -----------------------------------------------------------------------
@dataclass(frozen=True)
class LogLine:
    id: int
    created_at: dt.datetime
    recipient: str
    role: str
    channel: str
    event_type: str
    ref: str
    state: str
    attempts: int
    sent_at: dt.datetime | None
    last_error: str


def delivery_log(
    *, session: Session, community_id: int, states: Sequence[str] = (), limit: int = 200
) -> tuple[dict[str, int], list[LogLine]]:
    """Counts by state and the newest rows of a community's people (managers' page)."""
    from data_access.models import Account

    mine = (
        select(OutboxMessage.id)
        .join(Account, Account.id == OutboxMessage.account_id)
        .where(Account.community_id == community_id)
    )
    counts = dict(
        session.execute(
            select(OutboxMessage.state, func.count())
            .where(OutboxMessage.id.in_(mine))
            .group_by(OutboxMessage.state)
        ).all()
    )
    query = (
        select(OutboxMessage, Account.display_name, Account.role)
        .join(Account, Account.id == OutboxMessage.account_id)
        .where(Account.community_id == community_id)
        .order_by(OutboxMessage.id.desc())
        .limit(max(1, min(limit, 1000)))
    )
    if states:
        query = query.where(OutboxMessage.state.in_(list(states)))
    lines = [
        LogLine(row.id, row.created_at, name, role, row.channel, row.event_type, row.ref,
                row.state, row.attempts, row.sent_at, row.last_error)
        for row, name, role in session.execute(query).all()
    ]  # fmt: skip
    return {str(k): int(v) for k, v in counts.items()}, lines
