"""Which communities a write changed, and how many times each community's data has changed.

Every page caches its figures keyed by the community's data version (``ui/loaders/cache.py``).
A write bumps the versions of the communities it touched, in its own transaction, so:

- a write in one community leaves every other community's cached figures warm;
- every app process, and every machine, sees the new version on its next page run — a version
  is one primary-key read — and computes that community's figures afresh;
- with a read replica, the version and the data arrive together (same transaction), so a cache
  entry never pairs a new version with old data.

A write session learns what it touched in two ways: the ORM rows it flushes that carry a
``community_id`` (orders, ratings, tickets, alerts, …), and ``touch(session, community_id)``
for writes the ORM does not see (bulk statements of the connector, the viewer's community of a
page command). Every session bumps them just before it commits (a ``before_commit`` hook), so a
script or a test that commits a session of its own is seen like a page's command.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from data_access.models import DataVersion

_TOUCHED = "touched_communities"
# A session that only records bookkeeping (when someone last looked, a login) sets this, and
# what it flushes changes no community's figures.
_NO_FIGURES = "changes_no_figures"
_BUMPED = "bumped_communities"


def touch(session: Session, *community_ids: int) -> None:
    """Note that this session's write changes what these communities' pages show."""
    session.info.setdefault(_TOUCHED, set()).update(int(c) for c in community_ids)


def changes_no_figures(session: Session) -> None:
    """Mark the session as bookkeeping only: its commit bumps no version."""
    session.info[_NO_FIGURES] = True


def touched(session: Session) -> set[int]:
    """The communities this session has touched so far (explicitly or by flushed rows)."""
    return set(session.info.get(_TOUCHED, ()))


def note_flushed_rows(session: Session) -> None:
    """Record the community of every new, changed or deleted row about to be flushed."""
    changed = (row for row in session.dirty if session.is_modified(row, include_collections=False))
    rows: Iterable[Any] = (*session.new, *changed, *session.deleted)
    communities = {getattr(row, "community_id", None) for row in rows}
    communities.discard(None)
    if communities:
        touch(session, *(c for c in communities if isinstance(c, int)))


@event.listens_for(Session, "before_flush")
def _note_flushed_rows(session: Session, _context: object, _instances: object) -> None:
    note_flushed_rows(session)


@event.listens_for(Session, "after_rollback")
def _forget_touched(session: Session) -> None:
    session.info.pop(_TOUCHED, None)  # nothing of it was written


@event.listens_for(Session, "before_commit")
def _bump_before_commit(session: Session) -> None:
    bump_touched(session)


def bump_touched(session: Session, now: dt.datetime | None = None) -> set[int]:
    """Add one to the version of every community the session touched (in id order, so two
    writers never wait on each other's rows in opposite orders). Returns those communities."""
    if session.info.get(_NO_FIGURES):
        return set()
    session.flush()  # rows still pending name their communities now
    communities = sorted(touched(session))
    if not communities:
        return set()
    moment = now or dt.datetime.now(dt.UTC).replace(tzinfo=None)
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    for community_id in communities:
        statement = insert(DataVersion).values(
            community_id=community_id, version=1, changed_at=moment
        )
        session.execute(
            statement.on_conflict_do_update(
                index_elements=[DataVersion.community_id],
                set_={"version": DataVersion.version + 1, "changed_at": moment},
            )
        )
    session.info[_TOUCHED] = set()
    session.info.setdefault(_BUMPED, set()).update(communities)
    return set(communities)


def bumped(session: Session) -> set[int]:
    """The communities whose versions this session's commit bumped."""
    return set(session.info.get(_BUMPED, ()))


def versions(session: Session, community_ids: Iterable[int]) -> dict[int, int]:
    """The current version of each community (0 for one never written to)."""
    wanted = sorted(set(community_ids))
    rows = session.execute(
        select(DataVersion.community_id, DataVersion.version).where(
            DataVersion.community_id.in_(wanted)
        )
    ).all()
    found: Mapping[int, int] = {community_id: version for community_id, version in rows}
    return {community_id: int(found.get(community_id, 0)) for community_id in wanted}


def version_of(session: Session, community_id: int) -> int:
    """The current version of one community's data."""
    return versions(session, (community_id,))[community_id]
