"""Looking up communities."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access.accounts.auth import Viewer
from data_access.errors import DomainError, NotAllowed
from data_access.models import Account, Area, Community, OwnerUnit, Unit
from data_access.timestamps import zone_named


def community_id_by_code(*, session: Session, code: str) -> int:
    community_id = session.scalar(
        select(Community.id).where(Community.code == code.strip().upper())
    )
    if community_id is None:
        known = ", ".join(session.scalars(select(Community.code).order_by(Community.code)))
        raise DomainError("community.unknown", code=code, known=known or "—")
    return community_id


@dataclass(frozen=True)
class AreaChoice:
    area_id: int
    name: str
    kind: str


def list_areas(*, session: Session, community_id: int) -> list[AreaChoice]:
    """Buildings and public areas of a community, for filters (the same for everyone there:
    callers pass their viewer's community)."""
    rows = session.execute(
        select(Area.id, Area.name, Area.kind)
        .where(Area.community_id == community_id)
        .order_by(Area.kind, Area.id)
    )
    return [AreaChoice(*row) for row in rows]


@dataclass(frozen=True)
class OwnerChoice:
    account_id: int
    name: str
    units: str  # "3栋2单元1201、…", for telling owners of the same name apart


def list_owner_choices(*, session: Session, viewer: Viewer) -> list[OwnerChoice]:
    """Active owners and committee members of the manager's community, for opening a ticket on
    an owner's behalf. Managers only: the list holds names and units unmasked."""
    if not viewer.is_manager:
        raise NotAllowed("ticket.open_not_allowed")
    owners = session.scalars(
        select(Account)
        .where(
            Account.community_id == viewer.community_id,
            Account.role.in_(("owner", "committee")),
            Account.is_active.is_(True),
        )
        .order_by(Account.display_name, Account.id)
    ).all()
    units: dict[int, list[str]] = {}
    for account_id, building, entrance, room in session.execute(
        select(OwnerUnit.account_id, Area.name, Unit.entrance, Unit.room)
        .join(Unit, OwnerUnit.unit_id == Unit.id)
        .join(Area, Unit.building_id == Area.id)
        .where(Unit.community_id == viewer.community_id)
        .order_by(Unit.id)
    ):
        units.setdefault(account_id, []).append(f"{building}{entrance}单元{room}")
    return [OwnerChoice(o.id, o.display_name, "、".join(units.get(o.id, []))) for o in owners]


def buildings_of_community(
    session: Session, community_id: int, building_ids: Sequence[int]
) -> list[int]:
    """``building_ids`` sorted without repeats, if every one is a building of the community
    (a notice or a vote is for chosen buildings); raises ``NotAllowed`` otherwise."""
    wanted = sorted(set(building_ids))
    if not wanted:
        return []
    known = set(
        session.scalars(
            select(Area.id).where(
                Area.id.in_(wanted), Area.community_id == community_id, Area.kind == "building"
            )
        )
    )
    if known != set(wanted):
        raise NotAllowed("community.bad_building")
    return wanted


def community_zone(session: Session, community_id: int) -> ZoneInfo:
    """The time zone the community's local dates and times are read in."""
    name = session.scalar(select(Community.time_zone).where(Community.id == community_id))
    return zone_named(name)


def community_name(*, session: Session, community_id: int) -> str:
    """The community's name ("" if there is no such community)."""
    return session.scalar(select(Community.name).where(Community.id == community_id)) or ""


def unit_label(building: str, entrance: int, room: str) -> str:
    """How a home is written everywhere: 3栋2单元1201."""
    return f"{building}{entrance}单元{room}"


@dataclass(frozen=True)
class OwnUnits:
    """A viewer's own units: their labels (3栋2单元1201) and the buildings they are in."""

    labels: tuple[str, ...] = ()
    building_ids: frozenset[int] = frozenset()

    @classmethod
    def of(cls, units: Sequence[tuple[int, str, int, str]]) -> OwnUnits:
        """From (building id, building name, entrance, room) per unit, in the units' order."""
        return cls(
            labels=tuple(unit_label(name, entrance, room) for _, name, entrance, room in units),
            building_ids=frozenset(building for building, *_ in units),
        )


@dataclass(frozen=True)
class AccountUnit:
    building: str
    entrance: int
    room: str

    @property
    def label(self) -> str:
        return unit_label(self.building, self.entrance, self.room)


def units_by_account(session: Session, account_ids: list[int]) -> dict[int, list[AccountUnit]]:
    """Each account's units, sorted by building, entrance and room (one query for all)."""
    rows = session.execute(
        select(OwnerUnit.account_id, Area.name, Unit.entrance, Unit.room)
        .join(Unit, Unit.id == OwnerUnit.unit_id)
        .join(Area, Area.id == Unit.building_id)
        .where(OwnerUnit.account_id.in_(account_ids))
        .order_by(Area.name, Unit.entrance, Unit.room)
    ).all()
    units: dict[int, list[AccountUnit]] = {}
    for account_id, building, entrance, room in rows:
        units.setdefault(account_id, []).append(AccountUnit(building, entrance, room))
    return units
