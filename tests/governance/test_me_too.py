"""我也遇到 and 关注 (issue 24, item 2): one "me too" per owner on an open public record, counted
and kept; each one hotspot evidence (by the contract's weight) and, at the contract's count, an
alert; followers hear of every move — in the app and through the outbox — while private records
and other communities stay out of reach."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from data_access.accounts.auth import Viewer
from data_access.alerts import rules
from data_access.db import write_session
from data_access.errors import DomainError, NotAllowed
from data_access.governance.me_too import say_me_too, set_following, voice_of
from data_access.models import (
    Alert,
    AppendOnlyError,
    Area,
    Community,
    Follow,
    MeToo,
    RectificationTicket,
    ServiceContract,
    SyncLink,
    WithdrawnRecord,
    WorkOrder,
)
from data_access.notifications.notifications import list_notifications
from data_access.orders.order_commands import advance_order
from data_access.sync.withdraw import withdraw_order
from data_access.tickets.ticket_commands import accept_ticket
from tests.data_access import factories as f
from tests.outbox.support import configure, outbox_rows, utc_now

T = dt.datetime(2026, 10, 1, 2, 0)
DAY = dt.timedelta(days=1)


@dataclasses.dataclass
class Place:
    community: Community
    contract: ServiceContract
    building: Area
    reporter: Viewer
    owners: list[Viewer]  # five more owners of the community
    manager: Viewer
    stranger: Viewer  # an owner of another community
    public: WorkOrder  # reported by ``reporter``, open, in 1栋, plumbing
    private: WorkOrder  # an in-home order of owners[0]
    ticket: RectificationTicket  # public, open, in 1栋, cleaning


def place(session: Session, created_at: dt.datetime = T) -> Place:
    home, other = f.community(session), f.community(session)
    contract = f.contract(session, home)  # the model's defaults: 5 "me too" alert, weight 1
    building = f.building(session, home, "1栋")

    def person(community: Community, role: str = "owner") -> Viewer:
        account = f.account(session, community, role)
        account.email = f"{account.username}@example.com"
        return f.viewer_of(account)

    reporter = person(home)
    owners = [person(home) for _ in range(5)]
    public = f.work_order(session, home, created_at=created_at, reporter_id=reporter.account_id,
                          area_id=building.id)  # fmt: skip
    private = f.work_order(session, home, created_at=created_at, visibility="private",
                           reporter_id=owners[0].account_id, area_id=building.id)  # fmt: skip
    private.category = "electrical"  # not the public one's: hotspots below count plumbing
    ticket = f.ticket(session, home)
    ticket.area_id, ticket.created_at = building.id, created_at
    session.flush()
    return Place(home, contract, building, reporter, owners, person(home, "manager"),
                 person(other), public, private, ticket)  # fmt: skip


# --- who may say it, and how often --------------------------------------------------------------
def test_one_me_too_per_owner_on_an_open_public_record(session: Session) -> None:
    p = place(session)
    assert say_me_too(session=session, viewer=p.owners[1], subject="order",
                      subject_id=p.public.id, now=T + DAY) == 1  # fmt: skip
    assert say_me_too(session=session, viewer=p.owners[2], subject="order",
                      subject_id=p.public.id, now=T + DAY) == 2  # fmt: skip
    refusals = [
        (p.owners[1], "order", p.public.id, DomainError, "me_too.once"),
        (p.reporter, "order", p.public.id, DomainError, "me_too.own_record"),
        (p.manager, "order", p.public.id, NotAllowed, "me_too.owners_only"),
        (p.stranger, "order", p.public.id, DomainError, "me_too.not_found"),
        (p.owners[3], "order", p.private.id, DomainError, "me_too.not_found"),
        (p.owners[3], "order", 10**12, DomainError, "me_too.not_found"),
        (p.owners[3], "notice", p.public.id, DomainError, "me_too.not_found"),
    ]
    for viewer, subject, subject_id, error, key in refusals:
        with pytest.raises(error) as refused:
            say_me_too(session=session, viewer=viewer, subject=subject, subject_id=subject_id,
                       now=T + DAY)  # fmt: skip
        assert refused.value.key == key, (viewer.role, subject, key)
    p.public.completed_at = T + 2 * DAY
    session.flush()
    with pytest.raises(DomainError) as closed:
        say_me_too(session=session, viewer=p.owners[3], subject="order", subject_id=p.public.id,
                   now=T + 3 * DAY)  # fmt: skip
    assert closed.value.key == "me_too.closed"
    # Kept as said: a "me too" is never changed or deleted.
    kept = session.scalars(select(MeToo)).first()
    assert kept is not None
    kept.created_at = T
    with pytest.raises(AppendOnlyError):
        session.flush()


def test_a_ticket_of_an_in_home_order_takes_no_me_too(session: Session) -> None:
    p = place(session)
    assert say_me_too(session=session, viewer=p.owners[1], subject="ticket",
                      subject_id=p.ticket.id, now=T + DAY) == 1  # fmt: skip
    p.ticket.work_order_id = p.private.id  # now it is the ticket of an in-home order
    session.flush()
    with pytest.raises(DomainError) as refused:
        say_me_too(session=session, viewer=p.owners[2], subject="ticket", subject_id=p.ticket.id,
                   now=T + DAY)  # fmt: skip
    assert refused.value.key == "me_too.not_found"
    hidden = voice_of(session=session, viewer=p.owners[2], subject="ticket", subject_id=p.ticket.id)
    assert (hidden.me_too, hidden.can_follow) == (0, False)  # not even its count


def test_what_each_viewer_sees_and_may_do(session: Session) -> None:
    p = place(session)
    say_me_too(session=session, viewer=p.owners[1], subject="order", subject_id=p.public.id,
               now=T + DAY)  # fmt: skip
    said = voice_of(session=session, viewer=p.owners[1], subject="order", subject_id=p.public.id)
    assert said == dataclasses.replace(said, me_too=1, said_me_too=True, following=True,
                                       can_say_me_too=False, can_follow=True)  # fmt: skip
    other = voice_of(session=session, viewer=p.owners[2], subject="order", subject_id=p.public.id)
    assert (other.me_too, other.said_me_too, other.following, other.can_say_me_too) == (
        1, False, False, True,
    )  # fmt: skip
    mine = voice_of(session=session, viewer=p.reporter, subject="order", subject_id=p.public.id)
    assert (mine.me_too, mine.can_say_me_too, mine.can_follow) == (1, False, False)
    manager = voice_of(session=session, viewer=p.manager, subject="order", subject_id=p.public.id)
    assert (manager.me_too, manager.can_say_me_too, manager.can_follow) == (1, False, False)


# --- evidence for the early warnings -------------------------------------------------------------
def hotspots(session: Session, p: Place, now: dt.datetime) -> list[rules.Cause]:
    return rules.find_hotspots(session=session, community_id=p.community.id, now=now)


def test_a_me_too_is_the_third_piece_of_evidence_that_makes_a_hotspot(session: Session) -> None:
    # Two plumbing orders in 1栋 (the public one at T, a second a day later): 2 < 3, no hotspot.
    p = place(session)
    f.work_order(session, p.community, created_at=T + DAY, area_id=p.building.id)
    assert hotspots(session, p, T + 2 * DAY) == []
    say_me_too(session=session, viewer=p.owners[1], subject="order", subject_id=p.public.id,
               now=T + 2 * DAY)  # fmt: skip
    (cause,) = hotspots(session, p, T + 2 * DAY)
    me_too = session.scalars(select(MeToo)).one()
    assert cause.since == T + 2 * DAY  # the "me too" brought the count to 3
    assert cause.cause_key == (
        f"c{p.community.id}:area{p.building.id}:plumbing:from-metoo{me_too.id}"
    )
    assert cause.work_order_id is not None
    # The contract weighs a "me too" at 0: orders alone, 2 < 3 again.
    p.contract.me_too_hotspot_weight = 0
    session.flush()
    assert hotspots(session, p, T + 2 * DAY) == []
    # Weighing 2 with a threshold of 5: 2 orders + 2 = 4 < 5; a second owner's makes 6 ≥ 5.
    p.contract.me_too_hotspot_weight, p.contract.hotspot_min_count = 2, 5
    session.flush()
    assert hotspots(session, p, T + 2 * DAY) == []
    say_me_too(session=session, viewer=p.owners[2], subject="order", subject_id=p.public.id,
               now=T + 3 * DAY)  # fmt: skip
    (cause,) = hotspots(session, p, T + 3 * DAY)
    assert cause.since == T + 3 * DAY
    # Thirty days after the second "me too" it has left the window: 0 orders + 0 = 0.
    assert hotspots(session, p, T + 33 * DAY + dt.timedelta(minutes=1)) == []


def test_a_hotspot_of_tickets_me_too_alone_links_the_ticket(session: Session) -> None:
    p = place(session)
    p.contract.hotspot_min_count = 2
    session.flush()
    for owner in p.owners[1:3]:
        say_me_too(session=session, viewer=owner, subject="ticket", subject_id=p.ticket.id,
                   now=T + DAY)  # fmt: skip
    (cause,) = [c for c in hotspots(session, p, T + DAY) if c.params["category"] == "cleaning"]
    assert (cause.work_order_id, cause.ticket_id) == (None, p.ticket.id)


def test_the_fifth_me_too_raises_an_alert_that_ends_with_the_order(session: Session) -> None:
    p = place(session)
    moments = [T + n * DAY for n in range(1, 6)]
    for owner, moment in zip(p.owners[:4], moments, strict=False):
        say_me_too(session=session, viewer=owner, subject="order", subject_id=p.public.id,
                   now=moment)  # fmt: skip
    run = rules.run_alerts(session=session, now=moments[4], community_id=p.community.id)
    mine = [a for a in session.scalars(select(Alert).where(Alert.rule == "me_too"))]
    assert mine == []  # four < five
    say_me_too(session=session, viewer=p.owners[4], subject="order", subject_id=p.public.id,
               now=moments[4])  # fmt: skip
    run = rules.run_alerts(session=session, now=moments[4], community_id=p.community.id)
    assert run.raised >= 1
    (alert,) = session.scalars(select(Alert).where(Alert.rule == "me_too"))
    assert (alert.raised_at, alert.work_order_id, alert.severity) == (
        moments[4], p.public.id, "medium",
    )  # fmt: skip
    assert alert.message == f"{p.public.code}:已有 5 位及以上业主表示“我也遇到”"
    p.public.completed_at = moments[4] + DAY
    session.flush()
    rules.run_alerts(session=session, now=moments[4] + 2 * DAY, community_id=p.community.id)
    session.refresh(alert)
    assert (alert.state, alert.auto_resolved) == ("resolved", True)


# --- following ---------------------------------------------------------------------------------
def test_followers_hear_of_every_step_until_they_stop(
    session_factory: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    configure(monkeypatch, "email")
    now = utc_now()
    with write_session(session_factory) as session:
        p = place(session, created_at=now - dt.timedelta(hours=1))
        order_id, reporter, manager = p.public.id, p.reporter, p.manager
        follower, quiet = p.owners[1], p.owners[2]
        set_following(session=session, viewer=follower, subject="order", subject_id=order_id,
                      follow=True, now=now)  # fmt: skip
        say_me_too(session=session, viewer=quiet, subject="order", subject_id=order_id, now=now)
        with pytest.raises(DomainError):  # an in-home order cannot be followed
            set_following(session=session, viewer=follower, subject="order",
                          subject_id=p.private.id, follow=True, now=now)  # fmt: skip

    def step(stage: str) -> None:
        with write_session(session_factory) as session:
            advance_order(session=session, order_id=order_id, to_stage=stage, at=utc_now(),
                          actor_name="维修工", actor_account_id=manager.account_id)  # fmt: skip

    step("accepted")
    with write_session(session_factory) as session:  # the "me too" owner stops following
        set_following(session=session, viewer=quiet, subject="order", subject_id=order_id,
                      follow=False, now=utc_now())  # fmt: skip
    for stage in ("dispatched", "in_progress", "awaiting_acceptance", "completed"):
        step(stage)
    with session_factory() as session:
        rows = outbox_rows(session)
        told = sorted((r.account_id, r.event_type, r.code) for r in rows)
        feed = list_notifications(session=session, viewer=follower, now=utc_now())
    stages = ("accepted", "dispatched", "in_progress", "awaiting_acceptance")
    assert told == sorted(
        [(reporter.account_id, "order_step", s) for s in stages]
        + [(reporter.account_id, "order_to_rate", "completed")]
        + [(follower.account_id, "followed_order", s) for s in (*stages, "completed")]
        + [(quiet.account_id, "followed_order", "accepted")]
    )
    assert [(n.kind, n.code) for n in feed.items] == [
        ("followed_order_stage", s) for s in ("completed", *reversed(stages))
    ]
    assert feed.unread == 5


def test_followers_of_a_ticket_hear_of_its_moves(
    session_factory: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    configure(monkeypatch, "email")
    now = utc_now()
    with write_session(session_factory) as session:
        p = place(session, created_at=now - dt.timedelta(hours=1))
        ticket_id, follower, manager = p.ticket.id, p.owners[1], p.manager
        set_following(session=session, viewer=follower, subject="ticket", subject_id=ticket_id,
                      follow=True, now=now)  # fmt: skip
    with write_session(session_factory) as session:
        accept_ticket(session=session, viewer=manager, ticket_id=ticket_id, now=utc_now())
    with session_factory() as session:
        rows = outbox_rows(session)
    assert [(r.account_id, r.event_type, r.code) for r in rows] == [
        (follower.account_id, "followed_ticket", "accepted")
    ]


def test_an_order_withdrawn_by_its_source_takes_its_me_too_and_followers_along(
    session: Session,
) -> None:
    p = place(session)
    say_me_too(session=session, viewer=p.owners[1], subject="order", subject_id=p.public.id,
               now=T + DAY)  # fmt: skip
    link = SyncLink(source="hc", kind="order", external_id="R-1", community_id=p.community.id,
                    local_id=p.public.id, first_seen_at=T, changed_at=T)  # fmt: skip
    session.add(link)
    session.flush()
    withdraw_order(session, link, source="hc", now=T + 2 * DAY)
    assert session.scalars(select(MeToo)).all() == []
    assert session.scalars(select(Follow)).all() == []
    kept = session.scalars(select(WithdrawnRecord)).one()
    assert '"me_too"' in kept.snapshot and str(p.owners[1].account_id) in kept.snapshot
