"""Importing a community's owner roster (业主名册) from CSV or Excel: owners, units, accounts.

Columns (the first row names them; any of the names listed per field is recognised):
name 姓名, mobile 手机号, building 楼栋, entrance 单元, room 房号, floor area 建筑面积 (m²).
The file is read with the order import's bounded reader (bytes, rows, blank runs, Excel
checks: ``imports.order_import.read_source``).

Each row is one unit and its owner:
- the building (an ``Area`` of kind building) and the unit are created when missing; a unit's
  floor area is updated when the roster says otherwise (it weighs votes and fee shares);
- the owner is found by mobile number in the community (without one: by name on the same
  unit), else created as an owner account
  whose password nobody knows (it is opened with an activation code, ``accounts.activation``);
  an owner on several rows holds several units;
- the login name is the mobile number; if another community's account already has it, the
  community code is put in front (``c1-13812345678``); without a mobile number it is
  ``<community code>-u<unit id>`` (printed on the letter).

Rows that cannot be read are reported with their line and reason and change nothing; the good
rows are written. Nothing is sent to anybody: a roster is not news.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access.accounts.auth import UNUSABLE_PASSWORD_HASH, Viewer
from data_access.accounts.login_names import MOBILE, owner_login_name
from data_access.errors import DomainError, NotAllowed
from data_access.imports.order_import import ImportMapping, _cell_text, read_source
from data_access.models import Account, Area, Community, OwnerUnit, Unit
from data_access.text_input import clean_text

FIELDS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "业主姓名", "业主", "name"),
    "mobile": ("手机号", "手机", "手机号码", "联系电话", "mobile", "phone"),
    "building": ("楼栋", "楼号", "栋", "building"),
    "entrance": ("单元", "单元号", "entrance"),
    "room": ("房号", "房间号", "室", "room"),
    "area": ("建筑面积", "面积", "floor_area", "area"),
}
REQUIRED = ("name", "building", "room", "area")
MAX_AREA_M2 = 10_000.0


@dataclass(frozen=True)
class RosterRow:
    line: int
    name: str
    mobile: str
    building: str
    entrance: int
    room: str
    area_m2: float


@dataclass
class RosterReport:
    rows: int = 0
    owners_created: int = 0
    owners_found: int = 0
    units_created: int = 0
    units_updated: int = 0
    links_created: int = 0
    buildings_created: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)  # (line, catalog key)
    dry_run: bool = False


def import_roster(
    *,
    session: Session,
    viewer: Viewer,
    data: bytes,
    now: dt.datetime,
    file_name: str = "",
    dry_run: bool = False,
) -> RosterReport:
    """Read the roster into the viewer's community (managers only); ``dry_run`` only checks."""
    if not viewer.is_manager:
        raise NotAllowed("accounts.managers_only")
    table = read_source(data, mapping=ImportMapping(name="roster", columns={}), file_name=file_name)
    columns = _columns(table.header)
    report = RosterReport(dry_run=dry_run)
    good: list[RosterRow] = []
    for row in table.rows:
        cells = {f: _cell_text(row.cells.get(h)).strip() for f, h in columns.items()}
        parsed = _parse(row.line, cells)
        if isinstance(parsed, str):
            report.rejected.append((row.line, parsed))
        else:
            good.append(parsed)
    report.rows = len(table.rows)
    if dry_run or not good:
        return report
    community = session.get(Community, viewer.community_id)
    assert community is not None
    for good_row in good:
        _apply(session, community, good_row, now, report)
    session.flush()
    return report


def _columns(header: tuple[str, ...]) -> dict[str, str]:
    found: dict[str, str] = {}
    for field_name, names in FIELDS.items():
        for name in header:
            if name.strip().lower() in names:
                found[field_name] = name
                break
    missing = [FIELDS[f][0] for f in REQUIRED if f not in found]
    if missing:
        raise DomainError("roster.missing_columns", columns="、".join(missing),
                          found="、".join(h for h in header if h) or "—")  # fmt: skip
    return found


def _parse(line: int, cells: dict[str, str]) -> RosterRow | str:
    """The row, or the catalog key of what is wrong with it."""
    name = clean_text(cells.get("name", ""))[:50]
    mobile = re.sub(r"[\s-]", "", cells.get("mobile", "")).removeprefix("+86")
    building = clean_text(cells.get("building", ""))[:50]
    room = clean_text(cells.get("room", ""))
    entrance_text = cells.get("entrance", "") or "1"
    if not name:
        return "roster.no_name"
    if mobile and not MOBILE.match(mobile):
        return "roster.bad_mobile"
    if not building or not room or len(room) > 10:
        return "roster.bad_unit"
    try:
        entrance = int(float(entrance_text.removesuffix("单元")))
        area = float(cells.get("area", ""))
    except ValueError:
        return "roster.bad_number"
    if not 1 <= entrance <= 99:
        return "roster.bad_unit"
    if not 0 < area <= MAX_AREA_M2:
        return "roster.bad_area"
    return RosterRow(line, name, mobile, building, entrance, room, round(area, 2))


def _apply(
    session: Session, community: Community, row: RosterRow, now: dt.datetime, report: RosterReport
) -> None:
    building = session.scalar(
        select(Area).where(Area.community_id == community.id, Area.name == row.building)
    )
    if building is None:
        # No position on the site plan yet: placed at the origin until a manager moves it.
        building = Area(community_id=community.id, name=row.building, kind="building", x=0, y=0)
        session.add(building)
        session.flush()
        report.buildings_created += 1
    unit = session.scalar(
        select(Unit).where(
            Unit.building_id == building.id, Unit.entrance == row.entrance, Unit.room == row.room
        )
    )
    if unit is None:
        unit = Unit(community_id=community.id, building_id=building.id, entrance=row.entrance,
                    room=row.room, floor_area_m2=row.area_m2)  # fmt: skip
        session.add(unit)
        session.flush()
        report.units_created += 1
    elif abs(unit.floor_area_m2 - row.area_m2) > 0.005:
        unit.floor_area_m2 = row.area_m2
        report.units_updated += 1
    owner = None
    if row.mobile:
        owner = session.scalar(
            select(Account).where(
                Account.community_id == community.id,
                Account.phone == row.mobile,
                Account.role.in_(("owner", "committee")),
            )
        )
    if owner is None:  # without a mobile number: the same name already on this unit
        owner = session.scalar(
            select(Account)
            .join(OwnerUnit, OwnerUnit.account_id == Account.id)
            .where(OwnerUnit.unit_id == unit.id, Account.display_name == row.name)
        )
    if owner is None:
        owner = Account(
            username=_login_name(session, community, row, unit), display_name=row.name,
            phone=row.mobile, password_hash=UNUSABLE_PASSWORD_HASH, role="owner",
            community_id=community.id, is_active=True, token_version=0, created_at=now,
        )  # fmt: skip
        session.add(owner)
        session.flush()
        report.owners_created += 1
    else:
        report.owners_found += 1
    linked = session.get(OwnerUnit, (owner.id, unit.id))
    if linked is None:
        session.add(OwnerUnit(account_id=owner.id, unit_id=unit.id))
        session.flush()
        report.links_created += 1


def _login_name(session: Session, community: Community, row: RosterRow, unit: Unit) -> str:
    return owner_login_name(session, community, row.mobile, f"{community.code.lower()}-u{unit.id}")
