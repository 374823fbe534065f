"""Looking up communities."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access.auth import Viewer
from data_access.errors import DomainError
from data_access.models import Area, Community


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


def list_areas(*, session: Session, viewer: Viewer) -> list[AreaChoice]:
    """Buildings and public areas of the viewer's community, for filters."""
    rows = session.execute(
        select(Area.id, Area.name, Area.kind)
        .where(Area.community_id == viewer.community_id)
        .order_by(Area.kind, Area.id)
    )
    return [AreaChoice(*row) for row in rows]
