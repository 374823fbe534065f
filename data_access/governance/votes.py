"""业主征询与表决: owners' consultations and votes whose results follow 民法典 §278.

Who opens what: the committee opens any poll; a manager only a *consultation* (the company asks,
the owners decide nothing by it). A poll asks the owners of the whole community or of chosen
buildings, from ``opens_at`` to ``closes_at``.

**The roll** (业主名册) is fixed when the poll is opened (``PollRollEntry``): every unit in scope
with its floor area, and who votes it — its only owner, or, for co-owners, the one they named
(``UnitVoter``); nobody when the roster has no owner for it or co-owners named nobody. The
denominators come from the roll, never from who has logged in:

- **total area**: the floor area of every unit on the roll;
- **total owners**: the persons who vote a unit, each counted once however many units they hold,
  plus one for each unit nobody votes (its owner is a person we cannot tell apart from others,
  so it is counted as one, and as not having voted).

**Ballots**: one per owner (a person), weighing the area of every unit they vote; changeable
until the close, each kept (append-only), the last one counts. The choices are counted at the
close: while a poll runs, managers and the committee follow participation only (a named poll:
who has voted, not how). A *secret* poll never shows who chose what; a *named* one lists each
ballot with its choice after the close.

**The rule** (all comparisons exact, areas in dm²):

- *consultation*: a simple count, no thresholds;
- *ordinary decision*: participation ≥ 2/3 of the total area **and** ≥ 2/3 of the total owners;
  approval > 1/2 of the participating area **and** > 1/2 of the participating owners;
- *major decision* (§278 items 6–8: raising the maintenance fund, rebuilding, changing the use
  of common parts or running a business in them): the same participation, approval ≥ 3/4 of the
  participating area **and** ≥ 3/4 of the participating owners.

Abstentions take part (they count for participation) and do not approve. Real-name verification
of who holds a login is outside the product: the roster and the accounts are the company's.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import BindParameter, Select, bindparam, exists, func, select
from sqlalchemy.orm import Session

from data_access.accounts.auth import Viewer
from data_access.accounts.privacy import mask_name, public_text_masker
from data_access.communities import buildings_of_community, unit_label
from data_access.errors import DomainError, NotAllowed
from data_access.models import (
    DECISION_CHOICES,
    MAJOR_MATTERS,
    POLL_RULES,
    Account,
    Area,
    OwnerUnit,
    Poll,
    PollBallot,
    PollBuilding,
    PollOption,
    PollRollEntry,
    Unit,
    UnitVoter,
)
from data_access.text_input import clean_text
from data_access.tickets.ticket_commands import lock_account

TITLE_MAX = 100
BODY_MAX = 5_000
OPTION_MAX = 100
MAX_OPTIONS = 10
REASON_MAX = 200
SHORTEST_WINDOW = dt.timedelta(days=1)
REMIND_EVERY = dt.timedelta(hours=24)  # owners are reminded of a poll at most once a day
LONGEST_WINDOW = dt.timedelta(days=90)
VOTER_ROLES = ("owner", "committee")


@dataclass(frozen=True)
class Share:
    """A fraction a result must reach: ``numerator/denominator``; ``strict``: more than it."""

    numerator: int
    denominator: int
    strict: bool

    def needed(self, total: int) -> int:
        """The least whole amount of ``total`` that meets the share (in the unit of ``total``:
        owners or dm²)."""
        if self.strict:
            return self.numerator * total // self.denominator + 1
        return -(-self.numerator * total // self.denominator)


TWO_THIRDS = Share(2, 3, strict=False)
MORE_THAN_HALF = Share(1, 2, strict=True)
THREE_QUARTERS = Share(3, 4, strict=False)
APPROVAL = {"ordinary": MORE_THAN_HALF, "major": THREE_QUARTERS}


@dataclass(frozen=True)
class Test:
    """One of a decision's four tests: ``have`` of ``total`` against what the share needs."""

    share: Share
    have: int
    total: int

    @property
    def needed(self) -> int:
        return self.share.needed(self.total)

    @property
    def met(self) -> bool:
        return self.have >= self.needed

    @property
    def margin(self) -> int:
        """How far above (≥ 0) or below (< 0) what was needed."""
        return self.have - self.needed


@dataclass(frozen=True)
class OptionCount:
    option_id: int
    code: str | None
    label: str
    owners: int
    area_dm2: int


@dataclass(frozen=True)
class Participation:
    """Who has taken part in a poll so far: all anyone reads of a running poll. The choices
    are counted only once it has closed, so nobody — the committee, which votes and campaigns
    too, nor the company — learns how a vote is going while owners can still change theirs."""

    total_owners: int
    total_area_dm2: int
    voted_owners: int
    voted_area_dm2: int
    rule: str

    @property
    def participation_owners(self) -> Test:
        return Test(TWO_THIRDS, self.voted_owners, self.total_owners)

    @property
    def participation_area(self) -> Test:
        return Test(TWO_THIRDS, self.voted_area_dm2, self.total_area_dm2)

    def tests(self) -> list[tuple[str, Test]]:
        """A decision's participation tests by name (none for a consultation)."""
        if self.rule not in APPROVAL:
            return []
        return [
            ("participation_area", self.participation_area),
            ("participation_owners", self.participation_owners),
        ]


@dataclass(frozen=True)
class Tally(Participation):
    """A poll's count with its choices (final once it has closed)."""

    options: tuple[OptionCount, ...]

    def _option(self, code: str) -> OptionCount | None:
        return next((o for o in self.options if o.code == code), None)

    @property
    def approval_owners(self) -> Test | None:
        agree = self._option("agree")
        if self.rule not in APPROVAL or agree is None:
            return None
        return Test(APPROVAL[self.rule], agree.owners, self.voted_owners)

    @property
    def approval_area(self) -> Test | None:
        agree = self._option("agree")
        if self.rule not in APPROVAL or agree is None:
            return None
        return Test(APPROVAL[self.rule], agree.area_dm2, self.voted_area_dm2)

    def tests(self) -> list[tuple[str, Test]]:
        """The decision's four tests by name (none for a consultation)."""
        if self.rule not in APPROVAL:
            return []
        approval_area, approval_owners = self.approval_area, self.approval_owners
        assert approval_area is not None and approval_owners is not None
        return [
            *super().tests(),
            ("approval_area", approval_area),
            ("approval_owners", approval_owners),
        ]

    @property
    def passed(self) -> bool | None:
        """A decision's result (None for a consultation: it decides nothing)."""
        tests = self.tests()
        return all(test.met for _, test in tests) if tests else None


@dataclass(frozen=True)
class NewPoll:
    rule: str
    title: str
    body: str
    opens_at: dt.datetime  # naive UTC
    closes_at: dt.datetime
    secret: bool = True
    major_matter: str | None = None
    options: Sequence[str] = ()  # a consultation's choices; a decision's are fixed
    building_ids: Sequence[int] = ()  # none: the whole community


@dataclass(frozen=True)
class PollView:
    poll_id: int
    issuer: str
    rule: str
    major_matter: str | None
    title: str
    body: str
    secret: bool
    opens_at: dt.datetime
    closes_at: dt.datetime
    buildings: tuple[str, ...]  # empty: the whole community
    options: tuple[tuple[int, str | None, str], ...]  # (id, code, label)
    withdrawn_at: dt.datetime | None
    withdrawn_reason: str
    reminded_at: dt.datetime | None  # when the owners who had not voted were last reminded
    my_units: int  # units the viewer votes on this poll's roll (0: not a voter)
    my_area_dm2: int
    my_choice: int | None  # the option of the viewer's counting ballot

    def status(self, now: dt.datetime) -> str:
        if self.withdrawn_at is not None:
            return "withdrawn"
        if now < self.opens_at:
            return "upcoming"
        return "open" if now < self.closes_at else "closed"


@dataclass(frozen=True)
class NamedBallot:
    voter: str  # masked for all but managers (and the voter themselves)
    units: int
    area_dm2: int
    option_id: int | None  # None while the poll runs: who voted shows, not what they chose
    cast_at: dt.datetime


def issuer_for(viewer: Viewer, rule: str) -> str:
    """Who opens a poll of ``rule``: the committee any; the company only consultations."""
    if viewer.is_committee:
        return "committee"
    if viewer.is_manager and rule == "consultation":
        return "company"
    raise NotAllowed("poll.not_allowed")


def open_poll(*, session: Session, viewer: Viewer, draft: NewPoll, now: dt.datetime) -> int:
    """Open ``draft`` in the viewer's community: the poll, its options and its roll."""
    if draft.rule not in POLL_RULES:
        raise DomainError("poll.bad_rule")
    issuer = issuer_for(viewer, draft.rule)
    if (draft.rule == "major") != (draft.major_matter is not None) or (
        draft.major_matter is not None and draft.major_matter not in MAJOR_MATTERS
    ):
        raise DomainError("poll.major_matter")
    title, body = clean_text(draft.title), clean_text(draft.body)
    if not title or not body:
        raise DomainError("poll.missing")
    if len(title) > TITLE_MAX or len(body) > BODY_MAX:
        raise DomainError("poll.too_long", title=TITLE_MAX, body=BODY_MAX)
    window = draft.closes_at - draft.opens_at
    if not SHORTEST_WINDOW <= window <= LONGEST_WINDOW or draft.closes_at <= now:
        raise DomainError("poll.bad_window", days=LONGEST_WINDOW.days)
    if draft.rule == "consultation":
        labels = [clean_text(label) for label in draft.options if clean_text(label)]
        if not 2 <= len(labels) <= MAX_OPTIONS or len(set(labels)) != len(labels):
            raise DomainError("poll.bad_options", n=MAX_OPTIONS)
        if any(len(label) > OPTION_MAX for label in labels):
            raise DomainError("poll.bad_options", n=MAX_OPTIONS)
        options: list[tuple[str | None, str]] = [(None, label) for label in labels]
    else:
        options = [(code, "") for code in DECISION_CHOICES]
    buildings = buildings_of_community(session, viewer.community_id, draft.building_ids)

    # A poll opening in the past opens now — to the minute, as the menu's counts read the time.
    poll = Poll(
        community_id=viewer.community_id, issuer=issuer, rule=draft.rule,
        major_matter=draft.major_matter, title=title, body=body, secret=draft.secret,
        opens_at=max(draft.opens_at, now.replace(second=0, microsecond=0)),
        closes_at=draft.closes_at,
        author_id=viewer.account_id, created_at=now, withdrawn_reason="",
    )  # fmt: skip
    session.add(poll)
    session.flush()
    session.add_all(PollBuilding(poll_id=poll.id, area_id=b) for b in buildings)
    session.add_all(
        PollOption(poll_id=poll.id, position=i, code=code, label=label)
        for i, (code, label) in enumerate(options)
    )
    session.add_all(
        PollRollEntry(poll_id=poll.id, unit_id=unit_id, area_dm2=area, voter_id=voter)
        for unit_id, area, voter in roll_of(session, viewer.community_id, buildings)
    )
    session.flush()
    return poll.id


def area_dm2(floor_area_m2: float) -> int:
    """A unit's area in whole dm² (0.01 m²), rounded half up from the roster's figure."""
    return int(Decimal(str(floor_area_m2)).scaleb(2).quantize(Decimal(1), ROUND_HALF_UP))


def roll_of(
    session: Session, community_id: int, building_ids: Sequence[int] = ()
) -> list[tuple[int, int, int | None]]:
    """(unit, area in dm², who votes it) for every unit of the community (or of the buildings):
    its only owner; for co-owners, the one they last named if still an owner; else None."""
    units = select(Unit.id, Unit.floor_area_m2).where(Unit.community_id == community_id)
    if building_ids:
        units = units.where(Unit.building_id.in_(building_ids))
    rows = session.execute(units.order_by(Unit.id)).all()
    unit_ids = [unit_id for unit_id, _ in rows]
    owners: dict[int, set[int]] = defaultdict(set)
    for unit_id, account_id in session.execute(
        select(OwnerUnit.unit_id, OwnerUnit.account_id)
        .join(Account, Account.id == OwnerUnit.account_id)
        .where(
            OwnerUnit.unit_id.in_(units.with_only_columns(Unit.id)), Account.role.in_(VOTER_ROLES)
        )
    ):
        owners[unit_id].add(account_id)
    named = current_designations(session, [u for u in unit_ids if len(owners[u]) > 1])
    roll: list[tuple[int, int, int | None]] = []
    for unit_id, floor_area in rows:
        holders = owners[unit_id]
        if len(holders) == 1:
            voter: int | None = next(iter(holders))
        else:
            voter = named.get(unit_id) if named.get(unit_id) in holders else None
        roll.append((unit_id, area_dm2(floor_area), voter))
    return roll


def current_designations(session: Session, unit_ids: Sequence[int]) -> dict[int, int]:
    """unit → the co-owner last named to vote it."""
    if not unit_ids:
        return {}
    latest: dict[int, int] = {}
    for unit_id, voter_id in session.execute(
        select(UnitVoter.unit_id, UnitVoter.voter_id)
        .where(UnitVoter.unit_id.in_(unit_ids))
        .order_by(UnitVoter.id)
    ):
        latest[unit_id] = voter_id
    return latest


def name_unit_voter(
    *, session: Session, viewer: Viewer, unit_id: int, voter_id: int, now: dt.datetime
) -> None:
    """A co-owner of ``unit_id`` names which co-owner votes it (from the next poll opened; a
    poll's roll is fixed when it opens). Every naming is kept; the other co-owners see it."""
    holders = set(session.scalars(select(OwnerUnit.account_id).where(OwnerUnit.unit_id == unit_id)))
    if viewer.account_id not in holders or voter_id not in holders:
        raise NotAllowed("poll.not_co_owner")
    if len(holders) < 2:
        raise DomainError("poll.sole_owner")
    session.add(UnitVoter(unit_id=unit_id, voter_id=voter_id, named_by_id=viewer.account_id,
                          named_at=now))  # fmt: skip
    session.flush()


def _poll_of_viewers_side(session: Session, viewer: Viewer, poll_id: int) -> Poll:
    """A poll of the viewer's community opened by the viewer's side (the committee or the
    company): only that side withdraws it or reminds its owners."""
    poll = session.get(Poll, poll_id)
    if poll is None or poll.community_id != viewer.community_id:
        raise NotAllowed("poll.not_allowed")
    if issuer_for(viewer, "consultation") != poll.issuer:
        raise NotAllowed("poll.not_allowed")
    return poll


def withdraw_poll(
    *, session: Session, viewer: Viewer, poll_id: int, reason: str, now: dt.datetime
) -> None:
    """Withdraw an unclosed poll of the viewer's side, with the reason owners read; its ballots
    are kept and counted for nothing."""
    poll = _poll_of_viewers_side(session, viewer, poll_id)
    reason = clean_text(reason)
    if not reason or len(reason) > REASON_MAX:
        raise DomainError("poll.bad_reason", n=REASON_MAX)
    if poll.withdrawn_at is not None or now >= poll.closes_at:
        raise DomainError("poll.not_open")
    poll.withdrawn_at, poll.withdrawn_by_id, poll.withdrawn_reason = now, viewer.account_id, reason
    session.flush()


def non_voters(session: Session, poll_id: int) -> list[int]:
    """The opened accounts on a poll's roll without a ballot of theirs (whom a reminder reaches;
    an account not opened yet cannot hear of it)."""
    voted = exists().where(PollBallot.poll_id == poll_id, PollBallot.account_id == Account.id)
    return list(
        session.scalars(
            select(Account.id)
            .join(PollRollEntry, PollRollEntry.voter_id == Account.id)
            .where(PollRollEntry.poll_id == poll_id, Account.is_active.is_(True), ~voted)
            .distinct()
            .order_by(Account.id)
        )
    )


def remind_non_voters(*, session: Session, viewer: Viewer, poll_id: int, now: dt.datetime) -> int:
    """The side that opened an open poll reminds everyone on its roll who has not voted (their
    messages queued with it, ``outbox.enqueue``); once a day at most. How many are reminded."""
    poll = _poll_of_viewers_side(session, viewer, poll_id)
    if poll.withdrawn_at is not None or not poll.opens_at <= now < poll.closes_at:
        raise DomainError("poll.not_open")
    if poll.reminded_at is not None and now < poll.reminded_at + REMIND_EVERY:
        raise DomainError("poll.reminded_recently", hours=int(REMIND_EVERY.total_seconds()) // 3600)
    waiting = non_voters(session, poll_id)
    poll.reminded_at = now
    session.flush()
    return len(waiting)


def publish_closed_polls(*, session: Session, now: dt.datetime) -> int:
    """Publish the result of every poll that has closed (not withdrawn) and is not published
    yet: the worker's ``polls`` job. Marking it queues the news for the owners it asked, in the
    same transaction (``outbox.enqueue``); the page shows a result from the close on anyway.
    How many were published."""
    due = session.scalars(
        select(Poll)
        .where(Poll.closes_at <= now, Poll.withdrawn_at.is_(None),
               Poll.result_published_at.is_(None))
        .order_by(Poll.id)
    ).all()  # fmt: skip
    for poll in due:
        poll.result_published_at = now
    session.flush()
    return len(due)


def cast_ballot(
    *, session: Session, viewer: Viewer, poll_id: int, option_id: int, now: dt.datetime
) -> int:
    """The viewer votes (or changes their vote) on an open poll whose roll names them."""
    poll = session.get(Poll, poll_id)
    if poll is None or poll.community_id != viewer.community_id:
        raise NotAllowed("poll.not_allowed")
    if poll.withdrawn_at is not None or not poll.opens_at <= now < poll.closes_at:
        raise DomainError("poll.not_open")
    on_roll = session.scalar(
        select(exists().where(PollRollEntry.poll_id == poll_id,
                              PollRollEntry.voter_id == viewer.account_id))
    )  # fmt: skip
    if not on_roll:
        raise NotAllowed("poll.not_on_roll")
    option = session.get(PollOption, option_id)
    if option is None or option.poll_id != poll_id:
        raise NotAllowed("poll.bad_option")
    lock_account(session, viewer.account_id)  # two tabs voting at once: one replaces the other
    previous = _counting_ballots(session, poll_id, account_id=viewer.account_id)
    ballot = PollBallot(
        poll_id=poll_id, account_id=viewer.account_id, option_id=option_id, cast_at=now,
        replaces_id=previous[0].id if previous else None,
    )  # fmt: skip
    session.add(ballot)
    session.flush()
    return ballot.id


def _counting_ballots(
    session: Session, poll_id: int, account_id: int | None = None
) -> list[PollBallot]:
    """The ballots nobody replaced (one per voter)."""
    replaced = select(PollBallot.replaces_id).where(
        PollBallot.poll_id == poll_id, PollBallot.replaces_id.is_not(None)
    )
    query = select(PollBallot).where(PollBallot.poll_id == poll_id, PollBallot.id.not_in(replaced))
    if account_id is not None:
        query = query.where(PollBallot.account_id == account_id)
    return list(session.scalars(query.order_by(PollBallot.id)))


def tally(session: Session, poll_id: int) -> Tally:
    """The count from the roll and the counting ballots (a closed poll takes no more ballots,
    so its tally is final)."""
    poll = session.get(Poll, poll_id)
    if poll is None:
        raise NotAllowed("poll.not_allowed")
    roll = session.execute(
        select(PollRollEntry.voter_id, PollRollEntry.area_dm2).where(
            PollRollEntry.poll_id == poll_id
        )
    ).all()
    weight: dict[int, int] = defaultdict(int)
    nobody = 0
    for voter_id, area in roll:
        if voter_id is None:
            nobody += 1
        else:
            weight[voter_id] += area
    ballots = [b for b in _counting_ballots(session, poll_id) if b.account_id in weight]
    options = session.scalars(
        select(PollOption).where(PollOption.poll_id == poll_id).order_by(PollOption.position)
    ).all()
    counts = {o.id: [0, 0] for o in options}
    for ballot in ballots:
        counts[ballot.option_id][0] += 1
        counts[ballot.option_id][1] += weight[ballot.account_id]
    return Tally(
        total_owners=len(weight) + nobody,
        total_area_dm2=sum(area for _, area in roll),
        voted_owners=len(ballots),
        voted_area_dm2=sum(weight[b.account_id] for b in ballots),
        options=tuple(
            OptionCount(o.id, o.code, o.label, counts[o.id][0], counts[o.id][1]) for o in options
        ),
        rule=poll.rule,
    )


def awaiting_ballot_parameters(viewer: Viewer, now: dt.datetime) -> dict[str, object]:
    """The bound values of ``awaiting_ballot_statement`` for this viewer."""
    return {"account_id": viewer.account_id, "community_id": viewer.community_id,
            "now": now}  # fmt: skip


@functools.cache
def awaiting_ballot_statement() -> Select[int]:
    """How many open polls name the viewer on their roll and have no ballot of theirs yet (the
    menu's count on 业主表决), the viewer as bound parameters (``account_id``,
    ``community_id``, ``now``): built once per process, as every new visit asks."""
    account_id: BindParameter[int] = bindparam("account_id")
    now = bindparam("now", type_=Poll.opens_at.type)
    on_roll = exists().where(PollRollEntry.poll_id == Poll.id, PollRollEntry.voter_id == account_id)
    voted = exists().where(PollBallot.poll_id == Poll.id, PollBallot.account_id == account_id)
    return (
        select(func.count())
        .select_from(Poll)
        .where(
            Poll.community_id == bindparam("community_id"),
            Poll.opens_at <= now,
            Poll.closes_at > now,
            Poll.withdrawn_at.is_(None),
            on_roll,
            ~voted,
        )
    )


def polls_for(*, session: Session, viewer: Viewer, now: dt.datetime) -> list[PollView]:
    """The polls the viewer may see, newest first: owners those whose roll holds one of their
    units (upcoming ones not yet); managers and the committee all of their community's."""
    query = select(Poll).where(Poll.community_id == viewer.community_id)
    if viewer.is_owner:
        query = query.where(
            Poll.opens_at <= now,
            exists().where(
                PollRollEntry.poll_id == Poll.id,
                PollRollEntry.unit_id.in_(viewer.unit_ids or (-1,)),
            ),
        )
    polls = session.scalars(query.order_by(Poll.opens_at.desc(), Poll.id.desc())).all()
    if not polls:
        return []
    ids = [p.id for p in polls]
    buildings: dict[int, list[str]] = defaultdict(list)
    for poll_id, name in session.execute(
        select(PollBuilding.poll_id, Area.name)
        .join(Area, Area.id == PollBuilding.area_id)
        .where(PollBuilding.poll_id.in_(ids))
        .order_by(Area.name)
    ):
        buildings[poll_id].append(name)
    options: dict[int, list[tuple[int, str | None, str]]] = defaultdict(list)
    for option in session.scalars(
        select(PollOption).where(PollOption.poll_id.in_(ids)).order_by(PollOption.position)
    ):
        options[option.poll_id].append((option.id, option.code, option.label))
    my_units: dict[int, int] = defaultdict(int)
    my_area: dict[int, int] = defaultdict(int)
    for poll_id, area in session.execute(
        select(PollRollEntry.poll_id, PollRollEntry.area_dm2).where(
            PollRollEntry.poll_id.in_(ids), PollRollEntry.voter_id == viewer.account_id
        )
    ):
        my_units[poll_id] += 1
        my_area[poll_id] += area
    replaced = select(PollBallot.replaces_id).where(PollBallot.replaces_id.is_not(None))
    mine = dict(
        session.execute(
            select(PollBallot.poll_id, PollBallot.option_id).where(
                PollBallot.poll_id.in_(ids),
                PollBallot.account_id == viewer.account_id,
                PollBallot.id.not_in(replaced),
            )
        ).all()
    )
    masker = public_text_masker(session, viewer.community_id, unmasked=viewer.is_manager)
    return [
        PollView(
            poll_id=p.id,
            issuer=p.issuer,
            rule=p.rule,
            major_matter=p.major_matter,
            title=masker(p.title),
            body=masker(p.body),
            secret=p.secret,
            opens_at=p.opens_at,
            closes_at=p.closes_at,
            buildings=tuple(buildings[p.id]),
            options=tuple(options[p.id]),
            withdrawn_at=p.withdrawn_at,
            withdrawn_reason=masker(p.withdrawn_reason),
            reminded_at=p.reminded_at,
            my_units=my_units[p.id],
            my_area_dm2=my_area[p.id],
            my_choice=mine.get(p.id),
        )
        for p in polls
    ]


def tally_for(
    *, session: Session, viewer: Viewer, poll_id: int, now: dt.datetime
) -> Tally | Participation | None:
    """What the viewer may read of a poll's count. Once it has closed: the whole tally — for
    managers, the committee and the owners it asked. Before (and for a withdrawn poll, whose
    ballots count for nothing): managers and the committee follow participation only, owners
    nothing."""
    poll = session.get(Poll, poll_id)
    if poll is None or poll.community_id != viewer.community_id:
        raise NotAllowed("poll.not_allowed")
    if viewer.is_owner:
        asked = session.scalar(
            select(exists().where(PollRollEntry.poll_id == poll_id,
                                  PollRollEntry.unit_id.in_(viewer.unit_ids or (-1,))))
        )  # fmt: skip
        if not asked or poll.withdrawn_at is not None or now < poll.closes_at:
            return None
    counted = tally(session, poll_id)
    if poll.withdrawn_at is not None or now < poll.closes_at:
        return participation_of(counted)
    return counted


def participation_of(counted: Tally) -> Participation:
    """A tally without its choices."""
    return Participation(
        total_owners=counted.total_owners,
        total_area_dm2=counted.total_area_dm2,
        voted_owners=counted.voted_owners,
        voted_area_dm2=counted.voted_area_dm2,
        rule=counted.rule,
    )


def roll_summary(*, session: Session, viewer: Viewer, poll_id: int) -> tuple[int, int]:
    """(units on the roll, units nobody votes) of a poll of the viewer's community."""
    poll = session.get(Poll, poll_id)
    if poll is None or poll.community_id != viewer.community_id:
        raise NotAllowed("poll.not_allowed")
    voters = session.scalars(
        select(PollRollEntry.voter_id).where(PollRollEntry.poll_id == poll_id)
    ).all()
    return len(voters), sum(1 for voter in voters if voter is None)


def named_ballots(
    *, session: Session, viewer: Viewer, poll_id: int, now: dt.datetime
) -> list[NamedBallot]:
    """Who chose what, for a named poll: after its close to everyone it asked; while it runs,
    managers and the committee see who has voted but not their choice (``Participation``).
    Names masked for all but managers (one's own name stays), as everywhere owners and the
    committee read about others. Nothing for a secret poll."""
    poll = session.get(Poll, poll_id)
    if poll is None or poll.community_id != viewer.community_id or poll.secret:
        return []
    if viewer.is_owner and now < poll.closes_at:
        return []
    counted = poll.withdrawn_at is None and now >= poll.closes_at
    weight: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for voter_id, area in session.execute(
        select(PollRollEntry.voter_id, PollRollEntry.area_dm2).where(
            PollRollEntry.poll_id == poll_id, PollRollEntry.voter_id.is_not(None)
        )
    ):
        if voter_id is not None:  # (the query leaves none out; the column is nullable)
            weight[voter_id][0] += 1
            weight[voter_id][1] += area
    ballots = [b for b in _counting_ballots(session, poll_id) if b.account_id in weight]
    names = dict(
        session.execute(
            select(Account.id, Account.display_name).where(
                Account.id.in_([b.account_id for b in ballots] or [-1])
            )
        ).all()
    )
    return [
        NamedBallot(
            voter=names[b.account_id]
            if viewer.is_manager or b.account_id == viewer.account_id
            else mask_name(names[b.account_id]),
            units=weight[b.account_id][0],
            area_dm2=weight[b.account_id][1],
            option_id=b.option_id if counted else None,
            cast_at=b.cast_at,
        )
        for b in ballots
    ]


@dataclass(frozen=True)
class CoOwnedHome:
    unit_id: int
    home: str  # 3栋2单元1201
    co_owners: tuple[tuple[int, str], ...]  # (account, name), the viewer among them
    voter_id: int | None  # who is named to vote it


def my_co_owned_units(*, session: Session, viewer: Viewer) -> list[CoOwnedHome]:
    """The viewer's homes held with others, with who is named to vote each."""
    holders: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for unit_id, account_id, name in session.execute(
        select(OwnerUnit.unit_id, Account.id, Account.display_name)
        .join(Account, Account.id == OwnerUnit.account_id)
        .where(OwnerUnit.unit_id.in_(viewer.unit_ids or (-1,)))
        .order_by(Account.id)
    ):
        holders[unit_id].append((account_id, name))
    shared = [u for u in viewer.unit_ids if len(holders[u]) > 1]
    if not shared:
        return []
    named = current_designations(session, shared)
    homes = {
        unit_id: unit_label(building, entrance, room)
        for unit_id, building, entrance, room in session.execute(
            select(Unit.id, Area.name, Unit.entrance, Unit.room)
            .join(Area, Area.id == Unit.building_id)
            .where(Unit.id.in_(shared))
        )
    }
    return [CoOwnedHome(u, homes[u], tuple(holders[u]), named.get(u)) for u in shared]
