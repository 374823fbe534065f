"""公告: notices from the company or the owners' committee to a community or chosen buildings.

A manager publishes as the company, a committee member as the committee (业委会公告); owners
read. A notice is shown to the owners of the buildings it is for (none chosen: the whole
community) from its start until its end. Its text is not edited once published: a wrong notice
is withdrawn with a reason — owners then see it struck through with that reason — and a
corrected one published.

Read receipts: an owner's (or committee member's) first opening of a notice is kept
(``AnnouncementRead``); managers and the committee see, per building, how many of the targeted
units have an owner who opened it. The units are the roster's, not the activated accounts: a
unit nobody can log in to yet counts as not reached.

A new notice is also sent through the channels (``data_access.outbox``: event type
"announcement") to everyone it is for, when it is published; an urgent one past quiet hours.

Texts are shown through the public masker (every owner sees the same words; a phone number or a
name of the community's people in a notice is masked, as in every free text owners read).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Select,
    and_,
    bindparam,
    exists,
    func,
    or_,
    select,
)
from sqlalchemy.orm import Session

from data_access.accounts.auth import Viewer
from data_access.accounts.privacy import public_text_masker
from data_access.communities import buildings_of_community
from data_access.errors import DomainError, NotAllowed
from data_access.media.photos import MAX_UPLOAD_BYTES, MEDIA_DIR, store_photo
from data_access.models import (
    ANNOUNCEMENT_KINDS,
    Account,
    Announcement,
    AnnouncementBuilding,
    AnnouncementFile,
    AnnouncementRead,
    Area,
    OwnerUnit,
    Photo,
    Unit,
)

TITLE_MAX = 100
BODY_MAX = 5_000
REASON_MAX = 200
MAX_FILES = 6  # photos and PDFs together
MAX_PDF_BYTES = MAX_UPLOAD_BYTES
LONGEST_WINDOW = dt.timedelta(days=366)
# Roles that read announcements as their audience (and whose reads count as a unit reached).
AUDIENCE_ROLES = ("owner", "committee")


@dataclass(frozen=True)
class NewAnnouncement:
    """What the compose form sends (times naive UTC)."""

    kind: str
    title: str
    body: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    urgent: bool = False
    pinned: bool = False
    building_ids: tuple[int, ...] = ()
    photos: tuple[bytes, ...] = ()
    pdfs: tuple[tuple[str, bytes], ...] = ()  # (file name, bytes)


@dataclass(frozen=True)
class AnnouncementPhoto:
    sha256: str
    mime_type: str
    caption: str = ""


@dataclass(frozen=True)
class AnnouncementPdf:
    file_id: int
    file_name: str
    size_bytes: int
    sha256: str  # the file under ``pdf_path``: handed only to viewers the notice was listed for


@dataclass(frozen=True)
class AnnouncementView:
    announcement_id: int
    issuer: str  # "company" | "committee"
    kind: str
    title: str
    body: str
    urgent: bool
    pinned: bool
    starts_at: dt.datetime  # naive UTC
    ends_at: dt.datetime
    created_at: dt.datetime
    buildings: tuple[str, ...]  # () = the whole community
    withdrawn_at: dt.datetime | None
    withdrawn_reason: str
    is_read: bool
    photos: tuple[AnnouncementPhoto, ...] = ()
    pdfs: tuple[AnnouncementPdf, ...] = ()

    def status(self, now: dt.datetime) -> str:
        """ "withdrawn", "upcoming", "current" or "ended"."""
        if self.withdrawn_at is not None:
            return "withdrawn"
        if now < self.starts_at:
            return "upcoming"
        return "current" if now < self.ends_at else "ended"


@dataclass(frozen=True)
class BuildingReceipt:
    building: str
    reached: int  # units with an owner who opened the notice
    targeted: int  # units of the building (the roster)


@dataclass(frozen=True)
class ReadReceipts:
    announcement_id: int
    buildings: tuple[BuildingReceipt, ...] = field(default_factory=tuple)

    @property
    def reached(self) -> int:
        return sum(b.reached for b in self.buildings)

    @property
    def targeted(self) -> int:
        return sum(b.targeted for b in self.buildings)


# --- publishing --------------------------------------------------------------------------------
def issuer_of(viewer: Viewer) -> str:
    """Who the viewer publishes as; owners publish nothing."""
    if viewer.is_manager:
        return "company"
    if viewer.is_committee:
        return "committee"
    raise NotAllowed("announcement.not_allowed")


def publish_announcement(
    *,
    session: Session,
    viewer: Viewer,
    draft: NewAnnouncement,
    now: dt.datetime,
    media_dir: Path = MEDIA_DIR,
) -> int:
    """Publish ``draft`` in the viewer's community; returns the new announcement's id."""
    issuer = issuer_of(viewer)
    title, body = draft.title.strip(), draft.body.strip()
    if draft.kind not in ANNOUNCEMENT_KINDS:
        raise DomainError("announcement.bad_kind")
    if not title or not body:
        raise DomainError("announcement.missing")
    if len(title) > TITLE_MAX or len(body) > BODY_MAX:
        raise DomainError("announcement.too_long", title=TITLE_MAX, body=BODY_MAX)
    if not draft.starts_at < draft.ends_at or draft.ends_at - draft.starts_at > LONGEST_WINDOW:
        raise DomainError("announcement.bad_window", days=LONGEST_WINDOW.days)
    if draft.ends_at <= now:
        raise DomainError("announcement.already_over")
    if len(draft.photos) + len(draft.pdfs) > MAX_FILES:
        raise DomainError("announcement.too_many_files", n=MAX_FILES)
    buildings = buildings_of_community(session, viewer.community_id, draft.building_ids)
    pdfs = [(_pdf_name(name), _checked_pdf(data)) for name, data in draft.pdfs]

    row = Announcement(
        community_id=viewer.community_id, issuer=issuer, kind=draft.kind, title=title,
        body=body, urgent=draft.urgent, pinned=draft.pinned, starts_at=draft.starts_at,
        ends_at=draft.ends_at, author_id=viewer.account_id, created_at=now, withdrawn_reason="",
    )  # fmt: skip
    session.add(row)
    session.flush()
    session.add_all(AnnouncementBuilding(announcement_id=row.id, area_id=b) for b in buildings)
    for data in draft.photos:
        photo = store_photo(session=session, data=data, media_dir=media_dir, uploaded_at=now)
        session.add(
            AnnouncementFile(announcement_id=row.id, photo_id=photo.id, size_bytes=len(data))
        )
    for name, data in pdfs:
        sha256 = hashlib.sha256(data).hexdigest()
        _write_pdf(pdf_path(sha256, media_dir), data)
        session.add(
            AnnouncementFile(
                announcement_id=row.id, sha256=sha256, file_name=name, size_bytes=len(data)
            )
        )
    session.flush()
    return row.id


def withdraw_announcement(
    *, session: Session, viewer: Viewer, announcement_id: int, reason: str, now: dt.datetime
) -> None:
    """Withdraw a notice of the viewer's side (the company's by a manager, the committee's by a
    committee member), with the reason owners will read."""
    issuer = issuer_of(viewer)
    row = session.get(Announcement, announcement_id)
    if row is None or row.community_id != viewer.community_id or row.issuer != issuer:
        raise NotAllowed("announcement.not_allowed")
    reason = reason.strip()
    if not reason or len(reason) > REASON_MAX:
        raise DomainError("announcement.bad_reason", n=REASON_MAX)
    if row.withdrawn_at is not None:
        raise DomainError("announcement.already_withdrawn")
    row.withdrawn_at = now
    row.withdrawn_by_id = viewer.account_id
    row.withdrawn_reason = reason
    session.flush()


def pdf_path(sha256: str, media_dir: Path = MEDIA_DIR) -> Path:
    return Path(media_dir) / "docs" / f"{sha256}.pdf"


def _pdf_name(name: str) -> str:
    base = Path(name or "").name.strip() or "document.pdf"
    return base if len(base) <= 120 else base[:116] + ".pdf"


def _checked_pdf(data: bytes) -> bytes:
    if len(data) > MAX_PDF_BYTES:
        raise DomainError("upload.too_large", mb=MAX_PDF_BYTES // 2**20)
    # A PDF starts with its header (within the first KiB, as readers allow) and ends with %%EOF.
    if b"%PDF-" not in data[:1024] or b"%%EOF" not in data[-2048:]:
        raise DomainError("announcement.not_a_pdf")
    return data


def _write_pdf(path: Path, data: bytes) -> None:
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".part")
    partial.write_bytes(data)
    partial.replace(path)


# --- reading -----------------------------------------------------------------------------------
def _for_viewer(viewer: Viewer) -> ColumnElement[bool]:
    """The condition "this announcement is for the viewer": managers and the committee see all
    of their community's; owners those for the whole community or for a building of theirs
    (``notices_for_viewer`` is the same rule over notices already read)."""
    return _for_audience(
        viewer.community_id, (viewer.unit_ids or (-1,)) if viewer.is_owner else None
    )


def _for_audience(
    community_id: int | BindParameter[int], owner_units: Sequence[int] | BindParameter[Any] | None
) -> ColumnElement[bool]:
    """``_for_viewer`` of an owner of ``owner_units`` (a non-empty list, or an expanding bound
    parameter), or of anyone else in the community (``None``)."""
    in_community = Announcement.community_id == community_id
    if owner_units is None:
        return in_community
    targeted = exists().where(AnnouncementBuilding.announcement_id == Announcement.id)
    mine = exists().where(
        AnnouncementBuilding.announcement_id == Announcement.id,
        AnnouncementBuilding.area_id.in_(select(Unit.building_id).where(Unit.id.in_(owner_units))),
    )
    return and_(in_community, or_(~targeted, mine))


@dataclass(frozen=True)
class CurrentNotice:
    """A notice in force as the Overview lists it: the same for everyone it is for."""

    announcement_id: int
    kind: str
    title: str  # through the public masker (managers: as written)
    urgent: bool
    pinned: bool
    starts_at: dt.datetime  # naive UTC
    ends_at: dt.datetime
    building_ids: frozenset[int]  # empty: the whole community


def community_current_notices(
    *, session: Session, community_id: int, unmasked: bool, now: dt.datetime
) -> list[CurrentNotice]:
    """Every notice of the community in force at ``now`` (started, not ended, not withdrawn),
    pinned first, then urgent, then the newest, with the buildings each is for. Read once per
    community (the Overview's cache); whom each is shown to is ``notices_for_viewer``."""
    rows = session.scalars(
        select(Announcement)
        .where(
            Announcement.community_id == community_id, Announcement.starts_at <= now,
            Announcement.ends_at > now, Announcement.withdrawn_at.is_(None),
        )
        .order_by(
            Announcement.pinned.desc(), Announcement.urgent.desc(), Announcement.starts_at.desc(),
            Announcement.id.desc(),
        )
    ).all()  # fmt: skip
    if not rows:
        return []
    buildings: dict[int, set[int]] = {}
    for announcement_id, area_id in session.execute(
        select(AnnouncementBuilding.announcement_id, AnnouncementBuilding.area_id).where(
            AnnouncementBuilding.announcement_id.in_([row.id for row in rows])
        )
    ):
        buildings.setdefault(announcement_id, set()).add(area_id)
    masked = public_text_masker(session, community_id, unmasked=unmasked)
    return [
        CurrentNotice(
            announcement_id=row.id,
            kind=row.kind,
            title=masked(row.title),
            urgent=row.urgent,
            pinned=row.pinned,
            starts_at=row.starts_at,
            ends_at=row.ends_at,
            building_ids=frozenset(buildings.get(row.id, ())),
        )
        for row in rows
    ]


def notices_for_viewer(
    notices: Sequence[CurrentNotice], viewer: Viewer, own_buildings: frozenset[int]
) -> list[CurrentNotice]:
    """``_for_viewer`` over notices already read (one community's): everyone but an owner sees
    them all; an owner those for the whole community or for a building of theirs
    (``own_buildings``: the buildings of the viewer's units)."""
    if not viewer.is_owner:
        return list(notices)
    return [n for n in notices if not n.building_ids or n.building_ids & own_buildings]


def announcements_for(
    *, session: Session, viewer: Viewer, now: dt.datetime, current_only: bool = False
) -> list[AnnouncementView]:
    """The notices the viewer may read: pinned first, then urgent, then the newest. Owners see
    those that have started (withdrawn ones too, with the reason); ``current_only``: started,
    not ended, not withdrawn."""
    query = select(Announcement).where(_for_viewer(viewer))
    if viewer.is_owner or current_only:
        query = query.where(Announcement.starts_at <= now)
    if current_only:
        query = query.where(Announcement.ends_at > now, Announcement.withdrawn_at.is_(None))
    rows = session.scalars(
        query.order_by(
            Announcement.pinned.desc(), Announcement.urgent.desc(), Announcement.starts_at.desc(),
            Announcement.id.desc(),
        )
    ).all()  # fmt: skip
    if not rows:
        return []
    ids = [row.id for row in rows]
    buildings: dict[int, list[str]] = {}
    for announcement_id, name in session.execute(
        select(AnnouncementBuilding.announcement_id, Area.name)
        .join(Area, Area.id == AnnouncementBuilding.area_id)
        .where(AnnouncementBuilding.announcement_id.in_(ids))
        .order_by(Area.name)
    ):
        buildings.setdefault(announcement_id, []).append(name)
    photos: dict[int, list[AnnouncementPhoto]] = {}
    pdfs: dict[int, list[AnnouncementPdf]] = {}
    for file, photo in session.execute(
        select(AnnouncementFile, Photo)
        .outerjoin(Photo, Photo.id == AnnouncementFile.photo_id)
        .where(AnnouncementFile.announcement_id.in_(ids))
        .order_by(AnnouncementFile.id)
    ):
        if photo is not None:
            photos.setdefault(file.announcement_id, []).append(
                AnnouncementPhoto(sha256=photo.sha256, mime_type=photo.mime_type)
            )
        else:
            pdfs.setdefault(file.announcement_id, []).append(
                AnnouncementPdf(file.id, file.file_name, file.size_bytes, file.sha256 or "")
            )
    read = set(
        session.scalars(
            select(AnnouncementRead.announcement_id).where(
                AnnouncementRead.account_id == viewer.account_id,
                AnnouncementRead.announcement_id.in_(ids),
            )
        )
    )
    masked = public_text_masker(session, viewer.community_id, unmasked=viewer.is_manager)
    return [
        AnnouncementView(
            announcement_id=row.id, issuer=row.issuer, kind=row.kind, title=masked(row.title),
            body=masked(row.body), urgent=row.urgent, pinned=row.pinned,
            starts_at=row.starts_at, ends_at=row.ends_at, created_at=row.created_at,
            buildings=tuple(buildings.get(row.id, ())), withdrawn_at=row.withdrawn_at,
            withdrawn_reason=masked(row.withdrawn_reason), is_read=row.id in read,
            photos=tuple(photos.get(row.id, ())), pdfs=tuple(pdfs.get(row.id, ())),
        )
        for row in rows
    ]  # fmt: skip


def unread_count(*, session: Session, viewer: Viewer, now: dt.datetime) -> int:
    """Current notices the viewer has not opened (the menu's badge)."""
    if viewer.role not in AUDIENCE_ROLES:
        return 0
    statement = unread_count_statement(viewer.is_owner)
    return int(session.scalar(statement, unread_count_parameters(viewer, now)) or 0)


def unread_count_parameters(viewer: Viewer, now: dt.datetime) -> dict[str, object]:
    """The bound values of ``unread_count_statement`` for this viewer."""
    return {"account_id": viewer.account_id, "community_id": viewer.community_id,
            "now": now, "unit_ids": list(viewer.unit_ids) or [-1]}  # fmt: skip


@functools.cache
def unread_count_statement(for_owners: bool) -> Select[int]:
    """``unread_count`` for any owner or any committee member, the viewer as bound parameters
    (``account_id``, ``community_id``, ``now``, ``unit_ids``): built once per process, as it
    is asked on every new visit (building the query was most of its cost)."""
    account_id: BindParameter[int] = bindparam("account_id")
    units: BindParameter[Any] | None = bindparam("unit_ids", expanding=True) if for_owners else None
    now = bindparam("now", type_=Announcement.starts_at.type)
    read = exists().where(
        AnnouncementRead.announcement_id == Announcement.id,
        AnnouncementRead.account_id == account_id,
    )
    return (
        select(func.count())
        .select_from(Announcement)
        .where(
            _for_audience(bindparam("community_id"), units),
            Announcement.starts_at <= now,
            Announcement.ends_at > now,
            Announcement.withdrawn_at.is_(None),
            ~read,
        )
    )


def mark_read(
    *, session: Session, viewer: Viewer, announcement_ids: Sequence[int], now: dt.datetime
) -> int:
    """Note that the viewer opened these notices (those they may read and had not opened);
    how many were new. Bookkeeping (no page's cached figures change): pages write it with
    ``run_bookkeeping``."""
    if viewer.role not in AUDIENCE_ROLES or not announcement_ids:
        return 0
    readable = set(
        session.scalars(
            select(Announcement.id).where(
                Announcement.id.in_(announcement_ids),
                _for_viewer(viewer),
                Announcement.starts_at <= now,
            )
        )
    )
    already = set(
        session.scalars(
            select(AnnouncementRead.announcement_id).where(
                AnnouncementRead.account_id == viewer.account_id,
                AnnouncementRead.announcement_id.in_(readable or {-1}),
            )
        )
    )
    new = sorted(readable - already)
    session.add_all(
        AnnouncementRead(announcement_id=a, account_id=viewer.account_id, read_at=now) for a in new
    )
    session.flush()
    return len(new)


def read_receipts(*, session: Session, viewer: Viewer, announcement_id: int) -> ReadReceipts:
    """Units reached ÷ units targeted, per building (managers and the committee)."""
    if viewer.is_owner:
        raise NotAllowed("announcement.not_allowed")
    row = session.get(Announcement, announcement_id)
    if row is None or row.community_id != viewer.community_id:
        raise NotAllowed("announcement.not_allowed")
    chosen = list(
        session.scalars(
            select(AnnouncementBuilding.area_id).where(
                AnnouncementBuilding.announcement_id == announcement_id
            )
        )
    )
    units = select(Unit.id, Unit.building_id).where(Unit.community_id == row.community_id)
    if chosen:
        units = units.where(Unit.building_id.in_(chosen))
    unit_rows = units.subquery()
    reached_units = (
        select(OwnerUnit.unit_id)
        .join(Account, Account.id == OwnerUnit.account_id)
        .join(
            AnnouncementRead,
            and_(
                AnnouncementRead.account_id == Account.id,
                AnnouncementRead.announcement_id == announcement_id,
            ),
        )
        .where(Account.role.in_(AUDIENCE_ROLES))
    )
    counts = session.execute(
        select(
            Area.name,
            func.count(unit_rows.c.id),
            func.count(unit_rows.c.id).filter(unit_rows.c.id.in_(reached_units)),
        )
        .join(unit_rows, unit_rows.c.building_id == Area.id)
        .group_by(Area.id, Area.name)
        .order_by(Area.name)
    ).all()
    return ReadReceipts(
        announcement_id=announcement_id,
        buildings=tuple(
            BuildingReceipt(building=name, reached=int(reached), targeted=int(targeted))
            for name, targeted, reached in counts
        ),
    )
