"""Exactly one runner of the background jobs, across processes and machines.

A lease row (``worker_leases``) names its holder and expires unless renewed. Taking it over
after it expired raises its ``token``: the fencing token. Every write a job makes runs in a
transaction that first checks, with an UPDATE of the lease row, that the lease is still this
worker's with this token and not expired (``fence``); that UPDATE also locks the row until the
transaction ends, so a worker taking over waits for the old one's last write to finish and a
worker that stalled past its lease (a long pause, a frozen VM) writes nothing when it wakes up.
The same SQL works on SQLite and PostgreSQL: the conditional UPDATE is the only arbiter.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection, case, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from data_access.db import is_write_connection
from data_access.models import WorkerLease

JOBS_LEASE = "jobs"


class LeaseLost(RuntimeError):
    """This worker no longer holds the lease (it expired, or another worker took it over)."""


def hold_lease(
    session: Session, *, holder: str, now: dt.datetime, ttl: dt.timedelta, name: str = JOBS_LEASE
) -> int | None:
    """Take or renew the lease; its fencing token if this worker holds it now, else None."""
    lease = WorkerLease
    taken = session.execute(
        update(lease)
        .where(lease.name == name, or_(lease.holder == holder, lease.expires_at <= now))
        .values(
            # SET sees the row as it was: the token grows only when the holder changes.
            token=case((lease.holder == holder, lease.token), else_=lease.token + 1),
            acquired_at=case((lease.holder == holder, lease.acquired_at), else_=now),
            holder=holder,
            expires_at=now + ttl,
        )
        .execution_options(synchronize_session=False)
    )
    if _rowcount(taken) == 1:
        return session.scalar(select(WorkerLease.token).where(WorkerLease.name == name))
    if session.get(WorkerLease, name) is not None:
        return None  # somebody else holds it
    try:
        with session.begin_nested():
            session.add(WorkerLease(name=name, holder=holder, token=1, acquired_at=now,
                                    expires_at=now + ttl))  # fmt: skip
    except IntegrityError:
        return None  # another worker created it first
    return 1


def release_lease(session: Session, *, holder: str, name: str = JOBS_LEASE) -> None:
    """Give the lease up at a clean shutdown, so another worker need not wait for it to expire."""
    session.execute(
        update(WorkerLease)
        .where(WorkerLease.name == name, WorkerLease.holder == holder)
        .values(expires_at=WorkerLease.acquired_at)
        .execution_options(synchronize_session=False)
    )


def fence(
    connection: Connection, *, holder: str, token: int, now: dt.datetime, name: str = JOBS_LEASE
) -> None:
    """Refuse the transaction unless the lease is still ``holder``'s with ``token``."""
    checked = connection.execute(
        update(WorkerLease)
        .where(
            WorkerLease.name == name,
            WorkerLease.holder == holder,
            WorkerLease.token == token,
            WorkerLease.expires_at > now,
        )
        .values(fenced_at=now)
    )
    if _rowcount(checked) != 1:
        raise LeaseLost(f"lease {name!r} token {token} is no longer {holder!r}'s")


def fenced_factory(
    factory: sessionmaker[Session], *, holder: str, token: int, clock: Any
) -> sessionmaker[Session]:
    """A session factory like ``factory`` whose write transactions (``write_session``) begin
    with ``fence``: what a job writes through it is written only while the lease is held.
    ``clock()`` gives the current naive-UTC time."""
    fenced = sessionmaker(**factory.kw)

    from sqlalchemy import event

    @event.listens_for(fenced, "after_begin")
    def _check(session: Session, transaction: Any, connection: Connection) -> None:
        if is_write_connection(connection):
            fence(connection, holder=holder, token=token, now=clock())

    return fenced


def _rowcount(result: Any) -> int:
    return int(result.rowcount)
