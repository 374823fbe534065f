"""Optimistic locking: a row's ``version`` says which state an edit was based on."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import CursorResult, update
from sqlalchemy.orm import Session

from data_access.errors import DomainError
from data_access.models import Base


def bump_version(session: Session, row: Base, changed_meanwhile_key: str, **changes: Any) -> None:
    """``version += 1`` (and ``changes``) only if nobody changed the row since we read it;
    otherwise raise ``DomainError(changed_meanwhile_key)`` and change nothing."""
    model = type(row)
    result = session.execute(
        update(model)
        .where(model.id == row.id, model.version == row.version)  # type: ignore[attr-defined]
        .values(version=row.version + 1, **changes)  # type: ignore[attr-defined]
        .execution_options(synchronize_session=False)
    )
    if cast(CursorResult[Any], result).rowcount != 1:
        raise DomainError(changed_meanwhile_key)
    session.refresh(row)
