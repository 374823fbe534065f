"""Looking up communities."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access.errors import DomainError
from data_access.models import Community


def community_id_by_code(*, session: Session, code: str) -> int:
    community_id = session.scalar(
        select(Community.id).where(Community.code == code.strip().upper())
    )
    if community_id is None:
        known = ", ".join(session.scalars(select(Community.code).order_by(Community.code)))
        raise DomainError("community.unknown", code=code, known=known or "—")
    return community_id
