"""Rectification tickets (整改单) and their append-only events.

Sources: low ratings (opened automatically), owners' own suggestions and incidents, and staff
on an owner's behalf. Every transition follows ``data_access.flows.TICKET_TRANSITIONS`` and
appends a ``TicketEvent``. Besides the year of history, a few "showcase" tickets sit in every
status right now (some overdue), and the demo owners get scripted ones.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from data_access.flows import can_move_ticket
from data_access.models import TICKET_STATUSES, RectificationTicket, TicketEvent
from seed.core import (
    CommunityWorld,
    ContractRef,
    PersonRef,
    SeedContext,
    insert_returning_ids,
    pick,
    seconds,
)
from seed.photos import add_photo
from seed.ratings import RatingDraft
from seed.texts import (
    CONFIRM_NOTES,
    PROGRESS_NOTES,
    READY_NOTES,
    REJECT_REASONS,
    REOPEN_NOTES,
    SUGGESTIONS,
    auto_close_note,
)

# tickets per month by community size: (owner's own, on behalf)
VOLUME = {"large": (6.0, 2.0), "medium": (4.0, 1.5), "small": (3.0, 1.0)}
LATE_ACCEPT = {"一级": 0.08, "二级": 0.12, "三级": 0.18}
LATE_FIX = {"一级": 0.10, "二级": 0.15, "三级": 0.22}
REJECT_SHARE = 0.08
REOPEN_SHARE = 0.08
AUTO_CLOSE_SHARE = 0.25
SYSTEM = "系统"
PHOTO_TICKETS = {"large": 6, "medium": 4, "small": 3}


@dataclass(frozen=True)
class TicketStory:
    community: str
    category: str
    area: str
    title: str
    description: str
    status: str
    days_ago: float


TICKET_STORIES = (
    TicketStory(
        "CUIHU",
        "facilities",
        "中心花园",
        "中心花园座椅油漆脱落",
        "中心花园靠近儿童游乐区的几张座椅油漆掉得很厉害,衣服容易弄脏,建议重新刷漆。",
        "awaiting_confirmation",
        5.0,
    ),
)


@dataclass
class EventDraft:
    from_status: str | None
    to_status: str
    minutes: float  # after the ticket's creation
    actor: PersonRef | None
    note: str
    at: dt.datetime = dt.datetime.min
    id: int | None = None


@dataclass
class TicketDraft:
    source: str
    title: str
    category: str
    description: str
    area_id: int | None
    location: str
    owner: PersonRef | None
    opened_by: PersonRef | None
    rating: RatingDraft | None = None
    created_at: dt.datetime = dt.datetime.min
    events: list[EventDraft] = field(default_factory=list)
    photos: bool = False
    id: int | None = None
    code: str = ""

    @property
    def status(self) -> str:
        return self.events[-1].to_status

    def time_of(self, status: str) -> dt.datetime | None:
        return next(
            (e.at for e in self.events if e.to_status == status and e.from_status != status), None
        )


@dataclass(frozen=True)
class Choices:
    """How a ticket's story goes; random unless a showcase or story forces it."""

    reject: bool
    late_accept: bool
    late_fix: bool
    reopen: bool
    auto_close: bool
    progress_notes: int


def create_tickets(
    session: Session, ctx: SeedContext, world: CommunityWorld, ratings: list[RatingDraft]
) -> None:
    rng = ctx.rng("tickets", world.code)
    assert world.contract is not None
    contract = world.contract
    tickets = []
    for rating in ratings:
        if rating.mean > contract.red_line_score:
            continue
        ticket = _from_rating(world, rating)
        status = rating.order.ticket_status
        choices = _choices(rng, contract, ticket.source)
        if status is not None:
            choices = Choices(status == "rejected", False, False, False, False, 1)
        plan = _plan(rng, world, contract, ticket, choices)
        if status is None:
            _materialize(ctx, ticket, rating.created_at, plan)
        else:
            _materialize(
                ctx, ticket, rating.created_at, _fit(plan, status, ctx.now - rating.created_at)
            )
            ticket.photos = True
        tickets.append(ticket)
    tickets += _everyday(ctx, world, rng)
    tickets += _showcase(ctx, world, ctx.rng("ticket_showcase", world.code))
    tickets += _stories(ctx, world, rng)
    _write(session, ctx, world, tickets)
    _add_photos(session, ctx, world, rng, tickets)


# --- what --------------------------------------------------------------------------------------
def _from_rating(world: CommunityWorld, rating: RatingDraft) -> TicketDraft:
    order = rating.order
    return TicketDraft(
        source="rating",
        title=f"差评整改:{order.title}"[:200],
        category=order.category,
        description=f"业主评价 {min(rating.scores)} 星:{rating.comment or '未填写评价内容'}",
        area_id=order.area_id,
        location=order.location,
        owner=rating.owner,
        opened_by=None,
        rating=rating,
    )


def _suggestion(world: CommunityWorld, rng: random.Random, on_behalf: bool) -> TicketDraft:
    category, title, description = pick(rng, SUGGESTIONS)
    area = pick(rng, world.public_areas)
    owner = pick(rng, world.owners)
    text = description.format(area=area.name)
    if on_behalf:
        # Public text: who called is on the ticket (masked on the board), not in its words.
        text = f"业主来电反映:{text}"
    return TicketDraft(
        source="on_behalf" if on_behalf else "owner",
        title=title.format(area=area.name),
        category=category,
        description=text,
        area_id=area.id,
        location=area.name,
        owner=owner,
        opened_by=world.manager if on_behalf else None,
    )


# --- when: a ticket's whole story as minutes after creation ----------------------------------------
def _choices(rng: random.Random, contract: ContractRef, source: str) -> Choices:
    return Choices(
        reject=rng.random() < (REJECT_SHARE if source != "rating" else 0.02),
        late_accept=rng.random() < LATE_ACCEPT[contract.service_level],
        late_fix=rng.random() < LATE_FIX[contract.service_level],
        reopen=rng.random() < REOPEN_SHARE,
        auto_close=rng.random() < AUTO_CLOSE_SHARE,
        progress_notes=rng.randint(0, 3),
    )


def _plan(
    rng: random.Random,
    world: CommunityWorld,
    contract: ContractRef,
    ticket: TicketDraft,
    choices: Choices,
) -> list[EventDraft]:
    manager = world.manager
    owner = ticket.owner
    hour, day = 60.0, 24 * 60.0
    opener = {"rating": None, "owner": owner, "on_behalf": manager}[ticket.source]
    opened_note = {
        "rating": "评价低于红线,系统自动生成整改单",
        "owner": "业主提交",
        "on_behalf": "业主来电,由物业代为登记",
    }[ticket.source]
    events = [EventDraft(None, "submitted", 0.0, opener, opened_note)]
    accept_h = contract.accept_deadline_hours
    share = rng.uniform(1.5, 2.5) if choices.late_accept else rng.uniform(0.05, 0.9)
    t = accept_h * hour * share
    if choices.reject:
        events.append(EventDraft("submitted", "rejected", t, manager, pick(rng, REJECT_REASONS)))
        return events
    events.append(EventDraft("submitted", "accepted", t, manager, "已受理,已指定责任人跟进"))
    t += rng.uniform(0.5, 20) * hour
    events.append(EventDraft("accepted", "in_progress", t, manager, "开始整改"))
    fix_share = rng.uniform(1.05, 1.8) if choices.late_fix else rng.uniform(0.25, 0.95)
    ready = max(contract.fix_deadline_days * day * fix_share, t + 2 * hour)
    for n in range(choices.progress_notes):
        at = t + (ready - t) * (n + 1) / (choices.progress_notes + 1)
        events.append(
            EventDraft("in_progress", "in_progress", at, manager, pick(rng, PROGRESS_NOTES))
        )
    events.append(
        EventDraft("in_progress", "awaiting_confirmation", ready, manager, pick(rng, READY_NOTES))
    )
    if choices.reopen:
        again = ready + rng.uniform(2 * hour, 2 * day)
        events.append(
            EventDraft(
                "awaiting_confirmation", "in_progress", again, owner, pick(rng, REOPEN_NOTES)
            )
        )
        ready = again + rng.uniform(1 * day, 3 * day)
        events.append(
            EventDraft(
                "in_progress", "awaiting_confirmation", ready, manager, pick(rng, READY_NOTES)
            )
        )
    auto_days = contract.auto_close_days
    if choices.auto_close:
        events.append(
            EventDraft(
                "awaiting_confirmation",
                "closed",
                ready + auto_days * day,
                None,
                auto_close_note(auto_days),
            )
        )
    else:
        confirm = ready + rng.uniform(1 * hour, auto_days * day * 0.8)
        events.append(
            EventDraft("awaiting_confirmation", "closed", confirm, owner, pick(rng, CONFIRM_NOTES))
        )
    return events


def _span(plan: list[EventDraft], status: str) -> tuple[int, int]:
    """Indexes of the event that entered ``status`` and of the one that left it (or the end)."""
    first = next(i for i, e in enumerate(plan) if e.to_status == status)
    following = next(
        (j for j in range(first + 1, len(plan)) if plan[j].to_status != status), len(plan)
    )
    return first, following


def _fit(plan: list[EventDraft], status: str, elapsed: dt.timedelta) -> list[EventDraft]:
    """Squeeze the events up to ``status`` into ``elapsed``, leaving the rest in the future."""
    index = _span(plan, status)[1] - 1
    minutes = elapsed.total_seconds() / 60
    reached = plan[index].minutes
    scale = 0.6 * minutes / reached if reached else 1.0
    for i, event in enumerate(plan):
        event.minutes = event.minutes * scale if i <= index else minutes + event.minutes - reached
    return plan


def _materialize(
    ctx: SeedContext, ticket: TicketDraft, created_at: dt.datetime, plan: list[EventDraft]
) -> None:
    """Give the plan real times from ``created_at`` and keep what happened by "now"."""
    ticket.created_at = seconds(created_at)
    previous = ticket.created_at
    for event in plan:
        event.at = max(seconds(ticket.created_at + dt.timedelta(minutes=event.minutes)), previous)
        previous = event.at + dt.timedelta(seconds=1)
    ticket.events = [e for e in plan if e.at <= ctx.now]
    for before, after in itertools.pairwise(ticket.events):
        assert can_move_ticket(before.to_status, after.to_status), (before, after)


# --- the generators ------------------------------------------------------------------------------
def _everyday(ctx: SeedContext, world: CommunityWorld, rng: random.Random) -> list[TicketDraft]:
    assert world.contract is not None
    own, behalf = VOLUME[world.size]
    days = (ctx.as_of - ctx.history_start).days
    tickets = []
    for on_behalf, monthly in ((False, own), (True, behalf)):
        for _ in range(round(monthly * days / 30)):
            ticket = _suggestion(world, rng, on_behalf)
            day = ctx.history_start + dt.timedelta(days=rng.randrange(days + 1))
            created = ctx.utc(
                day, dt.time(rng.randint(8, 21), rng.randrange(60), rng.randrange(60))
            )
            if created > ctx.now:
                continue
            plan = _plan(
                rng, world, world.contract, ticket, _choices(rng, world.contract, ticket.source)
            )
            _materialize(ctx, ticket, created, plan)
            tickets.append(ticket)
    return tickets


def _showcase(ctx: SeedContext, world: CommunityWorld, rng: random.Random) -> list[TicketDraft]:
    """Two tickets in every status now; the second of each open status is overdue."""
    assert world.contract is not None
    tickets = []
    for status in TICKET_STATUSES:
        for copy in range(2):
            late = copy == 1
            ticket = _suggestion(world, rng, on_behalf=rng.random() < 0.3)
            choices = Choices(
                reject=status == "rejected",
                late_accept=late and status == "submitted",
                late_fix=late and status in ("accepted", "in_progress", "awaiting_confirmation"),
                reopen=False,
                auto_close=status == "closed" and late,
                progress_notes=2 if status == "in_progress" else 1,
            )
            plan = _plan(rng, world, world.contract, ticket, choices)
            entered, left = _span(plan, status)
            start = plan[entered].minutes
            if left < len(plan):
                share = 0.9 if late else rng.uniform(0.2, 0.6)
                elapsed = start + (plan[left].minutes - start) * share
            else:
                elapsed = plan[-1].minutes + rng.uniform(60, 3 * 24 * 60)
            _materialize(ctx, ticket, ctx.now - dt.timedelta(minutes=elapsed), plan)
            ticket.photos = copy == 0
            tickets.append(ticket)
    return tickets


def _stories(ctx: SeedContext, world: CommunityWorld, rng: random.Random) -> list[TicketDraft]:
    assert world.contract is not None
    owner = world.demo_owner
    tickets = []
    for story in TICKET_STORIES:
        if story.community != world.code or owner is None:
            continue
        area = world.area(story.area)
        ticket = TicketDraft(
            "owner",
            story.title,
            story.category,
            story.description,
            area.id,
            area.name,
            owner,
            None,
            photos=True,
        )
        choices = Choices(False, False, False, False, False, 1)
        plan = _plan(rng, world, world.contract, ticket, choices)
        elapsed = dt.timedelta(days=story.days_ago, minutes=rng.uniform(5, 180))
        _materialize(ctx, ticket, ctx.now - elapsed, _fit(plan, story.status, elapsed))
        tickets.append(ticket)
    return tickets


# --- writing ---------------------------------------------------------------------------------------
def _write(
    session: Session, ctx: SeedContext, world: CommunityWorld, tickets: list[TicketDraft]
) -> None:
    assert world.contract is not None
    contract = world.contract
    tickets.sort(key=lambda t: (t.created_at, t.title))
    per_day: dict[dt.date, int] = {}
    rows = []
    for ticket in tickets:
        day = ctx.local(ticket.created_at).date()
        per_day[day] = per_day.get(day, 0) + 1
        ticket.code = f"ZGD{day:%Y%m%d}{per_day[day]:03d}"
        rejected = next((e for e in ticket.events if e.to_status == "rejected"), None)
        closed = next((e for e in ticket.events if e.to_status == "closed"), None)
        rows.append(
            {
                "community_id": world.id,
                "code": ticket.code,
                "source": ticket.source,
                "rating_id": ticket.rating.id if ticket.rating else None,
                "work_order_id": ticket.rating.order.id if ticket.rating else None,
                "title": ticket.title,
                "category": ticket.category,
                "description": ticket.description,
                "area_id": ticket.area_id,
                "location": ticket.location,
                "owner_id": ticket.owner.account_id if ticket.owner else None,
                "opened_by_id": ticket.opened_by.account_id if ticket.opened_by else None,
                "status": ticket.status,
                "created_at": ticket.created_at,
                "accept_due_at": ticket.created_at
                + dt.timedelta(hours=contract.accept_deadline_hours),
                "fix_due_at": ticket.created_at + dt.timedelta(days=contract.fix_deadline_days),
                "accepted_at": ticket.time_of("accepted"),
                "reject_reason": rejected.note if rejected else "",
                "closed_at": closed.at if closed else None,
                "auto_closed": closed is not None and closed.actor is None,
                "version": len(ticket.events),
            }
        )
    ids = insert_returning_ids(
        session,
        RectificationTicket,
        rows,
    )
    for ticket, ticket_id in zip(tickets, ids, strict=True):
        ticket.id = ticket_id
    events = [(t, e) for t in tickets for e in t.events]
    event_ids = insert_returning_ids(
        session,
        TicketEvent,
        [
            {
                "ticket_id": t.id,
                "from_status": e.from_status,
                "to_status": e.to_status,
                "occurred_at": e.at,
                "actor_account_id": e.actor.account_id if e.actor else None,
                "actor_name": e.actor.name if e.actor else SYSTEM,
                "note": e.note,
            }
            for t, e in events
        ],
    )
    for (_, event), event_id in zip(events, event_ids, strict=True):
        event.id = event_id


def _add_photos(
    session: Session,
    ctx: SeedContext,
    world: CommunityWorld,
    rng: random.Random,
    tickets: list[TicketDraft],
) -> None:
    recent = [
        t
        for t in tickets
        if t.source == "owner" and t.created_at >= ctx.now - dt.timedelta(days=45)
    ]
    for ticket in rng.sample(recent, min(PHOTO_TICKETS[world.size], len(recent))):
        ticket.photos = True
    for ticket in tickets:
        if not ticket.photos:
            continue
        first = ticket.events[0]
        add_photo(
            session,
            ctx,
            kind="before",
            category=ticket.category,
            title=ticket.title,
            place=ticket.location,
            at=first.at,
            code=ticket.code,
            ticket_id=ticket.id,
            ticket_event_id=first.id,
        )
        for event in ticket.events:
            if event.to_status == "awaiting_confirmation" and event.from_status == "in_progress":
                add_photo(
                    session,
                    ctx,
                    kind="after",
                    category=ticket.category,
                    title=ticket.title,
                    place=ticket.location,
                    at=event.at,
                    code=ticket.code,
                    ticket_id=ticket.id,
                    ticket_event_id=event.id,
                )
                break
