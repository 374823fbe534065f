"""Authorization matrix of the data layer (roles: docs/domain.md; issue 7).

Every user-facing command × every kind of viewer, on both engines. The expected outcome of each
cell is written out below: ``None`` means allowed (and the effect is checked), a string is the
refusal's catalog key (and nothing may have been written: every table's row count and the
target rows' versions are unchanged).

The world: community "home" with an owner, a second owner, a committee member and a manager;
community "away" with its own manager. The targets (orders, ratings, tickets, alerts, checklist
items) are made fresh for each cell and belong to "owner" in "home".
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from data_access import communities
from data_access.accounts import activation, owner_accounts
from data_access.accounts.auth import Viewer
from data_access.alerts import rules as alerts
from data_access.analytics import checklists
from data_access.dashboards import console
from data_access.db import make_engine, make_session_factory, migrate, write_session
from data_access.errors import DomainError
from data_access.governance import announcements, ledger, me_too, questions, votes
from data_access.models import (
    Account,
    ActivationCode,
    Alert,
    Announcement,
    Base,
    ChecklistItem,
    Community,
    Follow,
    LastLook,
    LedgerLine,
    LedgerQuestion,
    LedgerReview,
    MeToo,
    OwnerUnit,
    Poll,
    PollBallot,
    Rating,
    RectificationTicket,
    ServiceContract,
    ServiceItem,
    TicketEvent,
    UnitVoter,
)
from data_access.notifications import notifications
from data_access.tickets import ratings
from data_access.tickets import ticket_commands as tc
from tests.data_access import factories as f
from tests.data_access.factories import T0
from tests.support.postgres import PostgresServer

NOW = T0 + dt.timedelta(days=1)
KINDS = ("owner", "other_owner", "committee", "manager", "foreign_manager")
_names = (f"security_matrix_{n}" for n in itertools.count())
_patterns = itertools.count(1)


# --- the world ----------------------------------------------------------------------------------
@dataclass
class World:
    factory: sessionmaker[Session]
    home_id: int
    away_id: int
    viewers: dict[str, Viewer]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('matrix') / 'matrix.db'}"
    else:
        server: PostgresServer = request.getfixturevalue("postgres_server")
        url = server.create_database(next(_names))
    engine: Engine = make_engine(url)
    migrate(engine)
    factory = make_session_factory(engine)
    with write_session(factory) as session:
        home, away = f.community(session), f.community(session)
        f.contract(session, home)
        f.contract(session, away)
        accounts = {
            "owner": f.account(session, home, "owner"),
            "other_owner": f.account(session, home, "owner"),
            "committee": f.account(session, home, "committee"),
            "manager": f.account(session, home, "manager"),
            "foreign_manager": f.account(session, away, "manager"),
        }
        f.account(session, away, "owner")  # someone for the away manager's owner list
        viewers = {kind: _viewer(a, kind) for kind, a in accounts.items()}
        world = World(factory, home.id, away.id, viewers)
    yield world
    engine.dispose()


def _viewer(account: Account, name: str) -> Viewer:
    return Viewer(
        account_id=account.id,
        username=account.username,
        display_name=name,
        role=account.role,
        community_id=account.community_id,
    )


# --- targets ------------------------------------------------------------------------------------
TICKET_PATHS = {
    "submitted": (),
    "accepted": ("accepted",),
    "in_progress": ("accepted", "in_progress"),
    "awaiting_confirmation": ("accepted", "in_progress", "awaiting_confirmation"),
}


def _home(session: Session, world: World) -> Community:
    return session.get_one(Community, world.home_id)


def make_order(session: Session, world: World) -> dict[str, int]:
    """A private, completed order reported by the owner."""
    order = f.work_order(
        session,
        _home(session, world),
        completed_at=T0 + dt.timedelta(hours=5),
        visibility="private",
        reporter_id=world.viewers["owner"].account_id,
    )
    return {"order_id": order.id}


def make_rating(session: Session, world: World) -> dict[str, int]:
    order = make_order(session, world)["order_id"]
    result = ratings.rate_order(
        session=session,
        viewer=world.viewers["owner"],
        order_id=order,
        score_speed=5,
        score_attitude=5,
        score_quality=4,
        comment="不错",
        now=NOW,
    )
    return {"rating_id": result.rating_id}


def make_ticket(status: str) -> Callable[[Session, World], dict[str, int]]:
    def build(session: Session, world: World) -> dict[str, int]:
        moves = tuple(
            (s, T0 + dt.timedelta(hours=i + 1)) for i, s in enumerate(TICKET_PATHS[status])
        )
        ticket = f.rectification_ticket(session, _home(session, world), moves=moves)
        ticket.owner_id = world.viewers["owner"].account_id
        session.flush()
        return {"ticket_id": ticket.id}

    return build


def make_alert(session: Session, world: World) -> dict[str, int]:
    alert = Alert(
        community_id=world.home_id,
        rule="fix_overdue",
        cause_key=f"matrix-{next(_patterns)}",
        severity="high",
        message="整改超期",
        raised_at=T0,
        state="open",
    )
    session.add(alert)
    session.flush()
    return {"alert_id": alert.id}


def make_checklist_item(session: Session, world: World) -> dict[str, int]:
    n = next(_patterns)
    item = ChecklistItem(
        pattern_key=f"plumbing|garage|漏水{n}",
        category="plumbing",
        place_kind="garage",
        keywords=f"漏水{n}",
        title=f"车库漏水{n}",
        evidence_count=4,
        community_count=2,
        first_seen_at=T0,
        last_seen_at=T0,
        computed_at=T0,
    )
    session.add(item)
    session.flush()
    return {"item_id": item.id}


def nothing(session: Session, world: World) -> dict[str, int]:
    return {}


# --- effects of the allowed cells ---------------------------------------------------------------
def rated(s: Session, w: World, v: Viewer, ids: dict[str, int], result: Any) -> None:
    rating = s.get_one(Rating, result.rating_id)
    assert (rating.work_order_id, rating.owner_id, result.created) == (
        ids["order_id"],
        v.account_id,
        True,
    )


def rating_edited(s: Session, w: World, v: Viewer, ids: dict[str, int], result: Any) -> None:
    rating = s.get_one(Rating, ids["rating_id"])
    assert (rating.version, rating.score_quality, rating.comment) == (2, 3, "改一下")


def replied(s: Session, w: World, v: Viewer, ids: dict[str, int], result: Any) -> None:
    rating = s.get_one(Rating, ids["rating_id"])
    assert (rating.reply, rating.replied_by_id, rating.version) == ("感谢反馈", v.account_id, 2)


def ticket_opened(s: Session, w: World, v: Viewer, ids: dict[str, int], result: Any) -> None:
    ticket = s.get_one(RectificationTicket, result)
    events = s.scalars(select(TicketEvent).where(TicketEvent.ticket_id == result)).all()
    assert (ticket.community_id, ticket.owner_id, ticket.status) == (
        w.home_id,
        w.viewers["owner"].account_id,
        "submitted",
    )
    assert [(e.to_status, e.actor_account_id) for e in events] == [("submitted", v.account_id)]


def ticket_now(status: str) -> Callable[..., None]:
    def check(s: Session, w: World, v: Viewer, ids: dict[str, int], result: Any) -> None:
        ticket = s.get_one(RectificationTicket, ids["ticket_id"])
        last = s.scalars(
            select(TicketEvent)
            .where(TicketEvent.ticket_id == ticket.id)
            .order_by(TicketEvent.id.desc())
            .limit(1)
        ).one()
        assert (ticket.status, last.to_status, last.actor_account_id) == (
            status,
            status,
            v.account_id,
        )

    return check


def alert_now(state: str) -> Callable[..., None]:
    def check(s: Session, w: World, v: Viewer, ids: dict[str, int], result: Any) -> None:
        alert = s.get_one(Alert, ids["alert_id"])
        by = alert.resolved_by_id if state == "resolved" else alert.acknowledged_by_id
        assert (alert.state, by) == (state, v.account_id)

    return check


def adopted(s: Session, w: World, v: Viewer, ids: dict[str, int], result: Any) -> None:
    item = s.get_one(ServiceItem, result.service_item_id)
    contract = s.get_one(ServiceContract, item.contract_id)
    # Only the adopting manager's own community gets the inspection.
    assert contract.community_id == v.community_id
    assert s.get_one(ChecklistItem, ids["item_id"]).status == "adopted"


def dismissed(s: Session, w: World, v: Viewer, ids: dict[str, int], result: Any) -> None:
    item = s.get_one(ChecklistItem, ids["item_id"])
    assert (item.status, item.decided_by_id) == ("dismissed", v.account_id)


def refreshed(s: Session, w: World, v: Viewer, ids: dict[str, int], result: Any) -> None:
    assert isinstance(result, checklists.BuildReport)


def looked(scope: str) -> Callable[..., None]:
    def check(s: Session, w: World, v: Viewer, ids: dict[str, int], result: Any) -> None:
        looks = s.scalars(select(LastLook).where(LastLook.scope == scope, LastLook.seen_at == NOW))
        assert [look.account_id for look in looks] == [v.account_id]  # nobody else's

    return check


def owner_list(s: Session, w: World, v: Viewer, ids: dict[str, int], result: Any) -> None:
    community = s.scalars(
        select(Account.id).where(
            Account.community_id == v.community_id,
            Account.role.in_(("owner", "committee")),
            Account.is_active.is_(True),  # a disabled account is nobody to choose
        )
    ).all()
    assert sorted(c.account_id for c in result) == sorted(community)
    home_people = {w.viewers[k].account_id for k in ("owner", "other_owner", "committee")}
    assert v.community_id == w.away_id or home_people <= {c.account_id for c in result}


# --- the table ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Command:
    run: Callable[..., Any]  # (session, viewer, ids, world) → result
    target: Callable[[Session, World], dict[str, int]]
    effect: Callable[..., None]
    expected: dict[str, str | None]  # viewer kind → None (allowed) or refusal key
    writes: bool = True


def _outcomes(*keys: str | None) -> dict[str, str | None]:
    return dict(zip(KINDS, keys, strict=True))


MANAGERS_ONLY_TICKET = _outcomes(
    "ticket.managers_only", "ticket.managers_only", "ticket.managers_only", None, "ticket.not_found"
)
OWNER_ONLY_TICKET = _outcomes(
    None, "ticket.owner_only", "ticket.owner_only", "ticket.owner_only", "ticket.not_found"
)
ALERTS = _outcomes(
    "alerts.managers_only", "alerts.managers_only", "alerts.managers_only", None, "alerts.not_found"
)
CHECKLISTS = _outcomes(
    # Checklist items are company-wide: any manager decides (adopting only for their own community).
    "checklists.managers_only",
    "checklists.managers_only",
    "checklists.managers_only",
    None,
    None,
)


def make_owner_account(session: Session, world: World) -> dict[str, int]:
    """A fresh owner of the home community, not opened yet."""
    return {"account_id": f.account(session, _home(session, world), "owner").id}


def account_disabled(
    session: Session, world: World, viewer: Viewer, ids: dict[str, int], result: Any
) -> None:
    assert session.get_one(Account, ids["account_id"]).is_active is False


def code_issued(
    session: Session, world: World, viewer: Viewer, ids: dict[str, int], result: Any
) -> None:
    codes = session.scalars(
        select(ActivationCode).where(ActivationCode.account_id == ids["account_id"])
    ).all()
    assert [(c.purpose, c.created_by_id) for c in codes] == [("activate", viewer.account_id)]
    assert [issued.account_id for issued in result] == [ids["account_id"]]


OWNER_ACCOUNTS = _outcomes(
    "accounts.managers_only", "accounts.managers_only", "accounts.managers_only", None,
    "accounts.not_found",
)  # fmt: skip

# --- co-governance (issue 23) -------------------------------------------------------------------
# Each ledger cell gets a month of its own (the world lives for the module, and a month once
# signed off takes changes only with a reason): months going back from August 2026.
_months_back = itertools.count()


def _fresh_month() -> dt.date:
    year, month = divmod(2026 * 12 + 7 - next(_months_back), 12)
    return dt.date(year, month + 1, 1)


def _month(ids: dict[str, int]) -> dt.date:
    return dt.date.fromordinal(ids["month"])


def make_notice(session: Session, world: World) -> dict[str, int]:
    """A notice of the company in "home", for the whole community."""
    notice_id = announcements.publish_announcement(
        session=session, viewer=world.viewers["manager"], now=T0,
        draft=announcements.NewAnnouncement(kind="outage", title="停水", body="明日停水",
                                            starts_at=T0, ends_at=NOW + dt.timedelta(days=2)),
    )  # fmt: skip
    return {"announcement_id": notice_id}


def make_line(session: Session, world: World) -> dict[str, int]:
    month = _fresh_month()
    line_id = ledger.add_line(
        session=session, viewer=world.viewers["manager"], month_start=month, now=T0,
        line=ledger.LineInput("income", "parking", "停车", 100_000),
    )  # fmt: skip
    return {"line_id": line_id, "month": month.toordinal()}


def make_published_line(session: Session, world: World) -> dict[str, int]:
    ids = make_line(session, world)
    session.add(LedgerReview(community_id=world.home_id, month_start=_month(ids),
                             decision="approve", comment="", reviewer_id=world.viewers["committee"].account_id,
                             reviewed_at=T0))  # fmt: skip
    session.flush()
    return ids


def make_question(session: Session, world: World) -> dict[str, int]:
    ids = make_published_line(session, world)
    question = questions.ask_question(session=session, viewer=world.viewers["owner"],
                                      line_id=ids["line_id"], question="停车收入怎么算的?", now=T0)  # fmt: skip
    return {**ids, "question_id": question}


def notice_published(s: Session, w: World, v: Viewer, ids: dict[str, int], result: Any) -> None:
    notice = s.get_one(Announcement, result)
    assert (notice.community_id, notice.author_id) == (v.community_id, v.account_id)
    assert notice.issuer == ("committee" if v.role == "committee" else "company")


def notice_withdrawn(s: Session, w: World, v: Viewer, ids: dict[str, int], result: Any) -> None:
    notice = s.get_one(Announcement, ids["announcement_id"])
    assert (notice.withdrawn_by_id, notice.withdrawn_reason) == (v.account_id, "写错了")


def line_added(s: Session, w: World, v: Viewer, ids: dict[str, int], result: Any) -> None:
    line = s.get_one(LedgerLine, result)
    assert (line.community_id, line.author_id, line.amount_fen) == (
        v.community_id,
        v.account_id,
        5_000,
    )


def line_replaced(s: Session, w: World, v: Viewer, ids: dict[str, int], result: Any) -> None:
    line = s.get_one(LedgerLine, result)
    assert (line.replaces_id, line.removed, line.author_id) == (ids["line_id"], True, v.account_id)


def month_reviewed(s: Session, w: World, v: Viewer, ids: dict[str, int], result: Any) -> None:
    review = s.scalars(select(LedgerReview).order_by(LedgerReview.id.desc()).limit(1)).one()
    assert (review.reviewer_id, review.decision, review.community_id) == (
        v.account_id,
        "approve",
        w.home_id,
    )


def question_asked(s: Session, w: World, v: Viewer, ids: dict[str, int], result: Any) -> None:
    question = s.get_one(LedgerQuestion, result)
    assert (question.asker_id, question.line_id) == (v.account_id, ids["line_id"])


def question_answered(s: Session, w: World, v: Viewer, ids: dict[str, int], result: Any) -> None:
    question = s.get_one(LedgerQuestion, ids["question_id"])
    assert (question.answered_by_id, question.answer) == (v.account_id, "按月租计")


def receipts_given(s: Session, w: World, v: Viewer, ids: dict[str, int], result: Any) -> None:
    assert result.announcement_id == ids["announcement_id"]


def _owned_unit(session: Session, world: World, *kinds: str) -> int:
    """A new unit of the home community held by the viewers of ``kinds``."""
    building = f.building(session, _home(session, world), f"表决{next(_names)}")
    unit = f.unit(session, building)
    for kind in kinds:
        session.add(OwnerUnit(account_id=world.viewers[kind].account_id, unit_id=unit.id))
    session.flush()
    return unit.id


def _draft(**fields: Any) -> votes.NewPoll:
    return votes.NewPoll(rule="ordinary", title="更换门禁", body="方案见附件", opens_at=T0,
                         closes_at=NOW + dt.timedelta(days=7), **fields)  # fmt: skip


def make_poll(session: Session, world: World) -> dict[str, int]:
    """An open ordinary decision whose roll has a unit of the owner's (the only voter)."""
    _owned_unit(session, world, "owner")
    poll_id = votes.open_poll(session=session, viewer=world.viewers["committee"],
                              draft=_draft(building_ids=()), now=T0)  # fmt: skip
    agree = session.scalars(
        select(votes.PollOption.id).where(votes.PollOption.poll_id == poll_id).limit(1)
    ).one()
    return {"poll_id": poll_id, "option_id": agree}


def make_public_order(session: Session, world: World) -> dict[str, int]:
    """An open public order reported by the owner (neighbours may say "me too")."""
    order = f.work_order(session, _home(session, world), visibility="public",
                         reporter_id=world.viewers["owner"].account_id)  # fmt: skip
    return {"order_id": order.id}


def me_too_said(s: Session, w: World, v: Viewer, ids: dict[str, int], result: Any) -> None:
    said = s.scalars(select(MeToo).order_by(MeToo.id.desc()).limit(1)).one()
    assert (said.subject, said.subject_id, said.account_id, result) == (
        "order", ids["order_id"], v.account_id, 1,
    )  # fmt: skip
    assert s.get(Follow, (v.account_id, "order", ids["order_id"])) is not None


def followed(s: Session, w: World, v: Viewer, ids: dict[str, int], result: Any) -> None:
    assert s.get(Follow, (v.account_id, "order", ids["order_id"])) is not None


ME_TOO = _outcomes("me_too.own_record", None, None, "me_too.owners_only", "me_too.not_found")


def make_co_owned_unit(session: Session, world: World) -> dict[str, int]:
    return {"unit_id": _owned_unit(session, world, "owner", "other_owner")}


def poll_opened(s: Session, w: World, v: Viewer, ids: dict[str, int], result: Any) -> None:
    poll = s.get_one(Poll, result)
    assert (poll.community_id, poll.author_id, poll.issuer) == (
        w.home_id,
        v.account_id,
        "committee",
    )


def ballot_cast(s: Session, w: World, v: Viewer, ids: dict[str, int], result: Any) -> None:
    ballot = s.get_one(PollBallot, result)
    assert (ballot.poll_id, ballot.account_id, ballot.option_id) == (
        ids["poll_id"], v.account_id, ids["option_id"],
    )  # fmt: skip


def poll_withdrawn(s: Session, w: World, v: Viewer, ids: dict[str, int], result: Any) -> None:
    poll = s.get_one(Poll, ids["poll_id"])
    assert (poll.withdrawn_by_id, poll.withdrawn_reason) == (v.account_id, "方案有误")


def voter_named(s: Session, w: World, v: Viewer, ids: dict[str, int], result: Any) -> None:
    named = s.scalars(select(UnitVoter).order_by(UnitVoter.id.desc()).limit(1)).one()
    assert (named.unit_id, named.named_by_id, named.voter_id) == (
        ids["unit_id"], v.account_id, w.viewers["owner"].account_id,
    )  # fmt: skip


def poll_reminded(s: Session, w: World, v: Viewer, ids: dict[str, int], result: Any) -> None:
    # The owner on the roll has not voted: one owner reminded.
    assert (s.get_one(Poll, ids["poll_id"]).reminded_at, result) == (NOW, 1)


def tally_given(s: Session, w: World, v: Viewer, ids: dict[str, int], result: Any) -> None:
    # Owners read a result only after the close; the committee and managers follow who takes
    # part while it runs, never the choices.
    if v.role == "owner":
        assert result is None
    else:
        assert result.total_owners >= 1 and not hasattr(result, "options")


LEDGER_WRITERS = _outcomes(
    "ledger.managers_only", "ledger.managers_only", "ledger.managers_only", None,
    "ledger.managers_only",
)  # fmt: skip
GOVERNANCE: dict[str, Command] = {
    "announcements.publish_announcement": Command(
        lambda s, v, ids, w: announcements.publish_announcement(
            session=s,
            viewer=v,
            now=T0,
            draft=announcements.NewAnnouncement(
                kind="meeting", title="座谈会", body="周六开会", starts_at=T0, ends_at=NOW
            ),
        ),
        nothing,
        notice_published,
        _outcomes("announcement.not_allowed", "announcement.not_allowed", None, None, None),
    ),
    "announcements.withdraw_announcement": Command(
        lambda s, v, ids, w: announcements.withdraw_announcement(
            session=s, viewer=v, announcement_id=ids["announcement_id"], reason="写错了", now=NOW
        ),
        make_notice,
        notice_withdrawn,
        # The committee does not withdraw the company's words, nor another community's manager.
        _outcomes(*["announcement.not_allowed"] * 3, None, "announcement.not_allowed"),
    ),
    "announcements.read_receipts": Command(
        lambda s, v, ids, w: announcements.read_receipts(
            session=s, viewer=v, announcement_id=ids["announcement_id"]
        ),
        make_notice,
        receipts_given,
        _outcomes(*["announcement.not_allowed"] * 2, None, None, "announcement.not_allowed"),
        writes=False,
    ),
    "ledger.add_line": Command(
        lambda s, v, ids, w: ledger.add_line(
            session=s,
            viewer=v,
            month_start=_fresh_month(),
            now=NOW,
            line=ledger.LineInput("income", "advertising", "广告", 5_000),
        ),
        nothing,
        line_added,
        # Each community's manager writes their own community's ledger.
        {**LEDGER_WRITERS, "foreign_manager": None},
    ),
    "ledger.change_line": Command(
        lambda s, v, ids, w: ledger.change_line(
            session=s, viewer=v, line_id=ids["line_id"], line=None, reason="重复", now=NOW
        ),
        make_line,
        line_replaced,
        LEDGER_WRITERS,
    ),
    "ledger.review_month": Command(
        lambda s, v, ids, w: ledger.review_month(
            session=s, viewer=v, month_start=_month(ids), decision="approve", comment="", now=NOW
        ),
        make_line,
        month_reviewed,
        _outcomes(*["ledger.committee_only"] * 2, None, *["ledger.committee_only"] * 2),
    ),
    "questions.ask_question": Command(
        lambda s, v, ids, w: questions.ask_question(
            session=s, viewer=v, line_id=ids["line_id"], question="停车收入怎么算?", now=NOW
        ),
        make_published_line,
        question_asked,
        _outcomes(None, None, None, "ledger.owners_ask", "ledger.owners_ask"),
    ),
    "questions.answer_question": Command(
        lambda s, v, ids, w: questions.answer_question(
            session=s, viewer=v, question_id=ids["question_id"], answer="按月租计", now=NOW
        ),
        make_question,
        question_answered,
        LEDGER_WRITERS,
    ),
    "votes.open_poll": Command(
        lambda s, v, ids, w: votes.open_poll(session=s, viewer=v, draft=_draft(), now=NOW),
        nothing,
        poll_opened,
        # Decisions are the committee's; a manager may only consult.
        _outcomes(
            "poll.not_allowed", "poll.not_allowed", None, "poll.not_allowed", "poll.not_allowed"
        ),
    ),
    "votes.cast_ballot": Command(
        lambda s, v, ids, w: votes.cast_ballot(
            session=s, viewer=v, poll_id=ids["poll_id"], option_id=ids["option_id"], now=NOW
        ),
        make_poll,
        ballot_cast,
        _outcomes(None, *["poll.not_on_roll"] * 3, "poll.not_allowed"),
    ),
    "votes.withdraw_poll": Command(
        lambda s, v, ids, w: votes.withdraw_poll(
            session=s, viewer=v, poll_id=ids["poll_id"], reason="方案有误", now=NOW
        ),
        make_poll,
        poll_withdrawn,
        # The company does not withdraw the committee's vote.
        _outcomes(*["poll.not_allowed"] * 2, None, *["poll.not_allowed"] * 2),
    ),
    "votes.remind_non_voters": Command(
        lambda s, v, ids, w: votes.remind_non_voters(
            session=s, viewer=v, poll_id=ids["poll_id"], now=NOW
        ),
        make_poll,
        poll_reminded,
        # Only the side that opened it reminds (the company not the committee's vote).
        _outcomes(*["poll.not_allowed"] * 2, None, *["poll.not_allowed"] * 2),
    ),
    "votes.name_unit_voter": Command(
        lambda s, v, ids, w: votes.name_unit_voter(
            session=s,
            viewer=v,
            unit_id=ids["unit_id"],
            voter_id=w.viewers["owner"].account_id,
            now=NOW,
        ),
        make_co_owned_unit,
        voter_named,
        _outcomes(None, None, *["poll.not_co_owner"] * 3),
    ),
    "me_too.say_me_too": Command(
        lambda s, v, ids, w: me_too.say_me_too(
            session=s, viewer=v, subject="order", subject_id=ids["order_id"], now=NOW
        ),
        make_public_order,
        me_too_said,
        ME_TOO,
    ),
    "me_too.set_following": Command(
        lambda s, v, ids, w: me_too.set_following(
            session=s, viewer=v, subject="order", subject_id=ids["order_id"], follow=True, now=NOW
        ),
        make_public_order,
        followed,
        ME_TOO,
    ),
    "votes.tally_for": Command(
        lambda s, v, ids, w: votes.tally_for(session=s, viewer=v, poll_id=ids["poll_id"], now=NOW),
        make_poll,
        tally_given,
        _outcomes(None, None, None, None, "poll.not_allowed"),
        writes=False,
    ),
}

COMMANDS: dict[str, Command] = {
    "accounts.set_account_active": Command(
        lambda s, v, ids, w: owner_accounts.set_account_active(
            session=s, viewer=v, account_id=ids["account_id"], active=False
        ),
        make_owner_account,
        account_disabled,
        OWNER_ACCOUNTS,
    ),
    "accounts.issue_codes": Command(
        lambda s, v, ids, w: activation.issue_codes(
            session=s, viewer=v, key="k" * 40, now=NOW, account_ids=[ids["account_id"]]
        ),
        make_owner_account,
        code_issued,
        OWNER_ACCOUNTS,
    ),
    "ratings.rate_order": Command(
        lambda s, v, ids, w: ratings.rate_order(
            session=s,
            viewer=v,
            order_id=ids["order_id"],
            score_speed=5,
            score_attitude=4,
            score_quality=5,
            comment="很好",
            now=NOW,
        ),
        make_order,
        rated,
        # A private order: another owner and another community cannot even see it.
        _outcomes(
            None, "order.not_found", "rating.not_yours", "rating.not_yours", "order.not_found"
        ),
    ),
    "ratings.edit_rating": Command(
        lambda s, v, ids, w: ratings.edit_rating(
            session=s,
            viewer=v,
            rating_id=ids["rating_id"],
            score_speed=5,
            score_attitude=5,
            score_quality=3,
            comment="改一下",
            now=NOW,
            expected_version=1,
        ),
        make_rating,
        rating_edited,
        _outcomes(
            None, "rating.not_yours", "rating.not_yours", "rating.not_yours", "rating.not_found"
        ),
    ),
    "ratings.reply_to_rating": Command(
        lambda s, v, ids, w: ratings.reply_to_rating(
            session=s,
            viewer=v,
            rating_id=ids["rating_id"],
            reply="感谢反馈",
            now=NOW,
            expected_version=1,
        ),
        make_rating,
        replied,
        # Another community's manager reads "not found": the rating's existence is not revealed.
        _outcomes(
            "rating.reply_not_allowed",
            "rating.reply_not_allowed",
            "rating.reply_not_allowed",
            None,
            "rating.not_found",
        ),
    ),
    "ticket_commands.open_ticket": Command(
        # Opened for "owner": by themselves, or by someone else on their behalf.
        lambda s, v, ids, w: tc.open_ticket(
            session=s,
            viewer=v,
            title="楼道灯不亮",
            category="electrical",
            description="三楼",
            on_behalf_of_account_id=w.viewers["owner"].account_id,
            now=NOW,
        ),
        nothing,
        ticket_opened,
        _outcomes(
            None, "ticket.open_not_allowed", "ticket.open_not_allowed", None, "ticket.owner_invalid"
        ),
    ),
    "ticket_commands.accept_ticket": Command(
        lambda s, v, ids, w: tc.accept_ticket(
            session=s, viewer=v, ticket_id=ids["ticket_id"], now=NOW
        ),
        make_ticket("submitted"),
        ticket_now("accepted"),
        MANAGERS_ONLY_TICKET,
    ),
    "ticket_commands.reject_ticket": Command(
        lambda s, v, ids, w: tc.reject_ticket(
            session=s, viewer=v, ticket_id=ids["ticket_id"], reason="不属于物业范围", now=NOW
        ),
        make_ticket("submitted"),
        ticket_now("rejected"),
        MANAGERS_ONLY_TICKET,
    ),
    "ticket_commands.start_work": Command(
        lambda s, v, ids, w: tc.start_work(
            session=s, viewer=v, ticket_id=ids["ticket_id"], now=NOW
        ),
        make_ticket("accepted"),
        ticket_now("in_progress"),
        MANAGERS_ONLY_TICKET,
    ),
    "ticket_commands.post_progress": Command(
        lambda s, v, ids, w: tc.post_progress(
            session=s, viewer=v, ticket_id=ids["ticket_id"], note="已联系维修", now=NOW
        ),
        make_ticket("in_progress"),
        ticket_now("in_progress"),
        MANAGERS_ONLY_TICKET,
    ),
    "ticket_commands.request_confirmation": Command(
        lambda s, v, ids, w: tc.request_confirmation(
            session=s, viewer=v, ticket_id=ids["ticket_id"], now=NOW
        ),
        make_ticket("in_progress"),
        ticket_now("awaiting_confirmation"),
        MANAGERS_ONLY_TICKET,
    ),
    "ticket_commands.confirm_fix": Command(
        lambda s, v, ids, w: tc.confirm_fix(
            session=s, viewer=v, ticket_id=ids["ticket_id"], now=NOW
        ),
        make_ticket("awaiting_confirmation"),
        ticket_now("closed"),
        OWNER_ONLY_TICKET,
    ),
    "ticket_commands.reopen_ticket": Command(
        lambda s, v, ids, w: tc.reopen_ticket(
            session=s, viewer=v, ticket_id=ids["ticket_id"], reason="还是漏水", now=NOW
        ),
        make_ticket("awaiting_confirmation"),
        ticket_now("in_progress"),
        OWNER_ONLY_TICKET,
    ),
    "alerts.acknowledge_alert": Command(
        lambda s, v, ids, w: alerts.acknowledge_alert(
            session=s, viewer=v, alert_id=ids["alert_id"], now=NOW, expected_version=1
        ),
        make_alert,
        alert_now("acknowledged"),
        ALERTS,
    ),
    "alerts.resolve_alert": Command(
        lambda s, v, ids, w: alerts.resolve_alert(
            session=s, viewer=v, alert_id=ids["alert_id"], now=NOW, expected_version=1
        ),
        make_alert,
        alert_now("resolved"),
        ALERTS,
    ),
    "checklists.adopt_checklist_item": Command(
        lambda s, v, ids, w: checklists.adopt_checklist_item(
            session=s, viewer=v, item_id=ids["item_id"], now=NOW, expected_version=1
        ),
        make_checklist_item,
        adopted,
        CHECKLISTS,
    ),
    "checklists.dismiss_checklist_item": Command(
        lambda s, v, ids, w: checklists.dismiss_checklist_item(
            session=s, viewer=v, item_id=ids["item_id"], now=NOW, expected_version=1
        ),
        make_checklist_item,
        dismissed,
        CHECKLISTS,
    ),
    "checklists.refresh_checklist": Command(
        lambda s, v, ids, w: checklists.refresh_checklist(session=s, viewer=v, now=NOW),
        nothing,
        refreshed,
        CHECKLISTS,
    ),
    "console.mark_console_seen": Command(
        lambda s, v, ids, w: console.mark_console_seen(session=s, viewer=v, at=NOW),
        nothing,
        looked("console"),
        _outcomes(
            "console.managers_only", "console.managers_only", "console.managers_only", None, None
        ),
    ),
    "notifications.mark_notifications_seen": Command(
        lambda s, v, ids, w: notifications.mark_notifications_seen(session=s, viewer=v, at=NOW),
        nothing,
        looked("notifications"),
        _outcomes(None, None, None, None, None),
    ),
    "communities.list_owner_choices": Command(
        lambda s, v, ids, w: communities.list_owner_choices(session=s, viewer=v),
        nothing,
        owner_list,
        _outcomes(
            "ticket.open_not_allowed",
            "ticket.open_not_allowed",
            "ticket.open_not_allowed",
            None,
            None,
        ),
        writes=False,
    ),
    **GOVERNANCE,
}

CELLS = [pytest.param(name, kind, id=f"{name}-{kind}") for name in COMMANDS for kind in KINDS]


def _row_counts(session: Session) -> dict[str, int]:
    tables = list(Base.metadata.sorted_tables)
    counts = session.execute(
        select(*(select(func.count()).select_from(t).scalar_subquery() for t in tables))
    ).one()
    return {t.name: n for t, n in zip(tables, counts, strict=True)}


class Versioned(Protocol):
    """A row with an optimistic-lock version."""

    version: int


def _versions(session: Session, ids: dict[str, int]) -> dict[str, int]:
    models: dict[str, type[Versioned]] = {
        "rating_id": Rating,
        "ticket_id": RectificationTicket,
        "alert_id": Alert,
        "item_id": ChecklistItem,
    }
    return {key: session.get_one(models[key], ids[key]).version for key in ids if key in models}


def _clear_looks(world: World) -> None:
    with write_session(world.factory) as session:
        for look in session.scalars(select(LastLook)):
            session.delete(look)


@pytest.mark.parametrize(("name", "kind"), CELLS)
def test_command_matrix(world: World, name: str, kind: str) -> None:
    command = COMMANDS[name]
    viewer = world.viewers[kind]
    _clear_looks(world)
    with write_session(world.factory) as session:
        ids = command.target(session, world)
    with world.factory() as session:
        before, versions = _row_counts(session), _versions(session, ids)

    expected = command.expected[kind]
    if expected is None:
        with write_session(world.factory) as session:
            result = command.run(session, viewer, ids, world)
        with world.factory() as session:
            command.effect(session, world, viewer, ids, result)
            if not command.writes:
                assert _row_counts(session) == before
    else:
        with pytest.raises(DomainError) as refused, write_session(world.factory) as session:
            command.run(session, viewer, ids, world)
        assert refused.value.key == expected
        with world.factory() as session:
            assert _row_counts(session) == before
            assert _versions(session, ids) == versions


def test_the_table_covers_every_viewer_kind() -> None:
    assert all(set(c.expected) == set(KINDS) for c in COMMANDS.values())
    # Each command has at least one allowed and one refused cell: none is open to all, except
    # marking one's own notifications read.
    for name, c in COMMANDS.items():
        outcomes = set(c.expected.values())
        assert None in outcomes, name
        assert len(outcomes) > 1 or name == "notifications.mark_notifications_seen", name
