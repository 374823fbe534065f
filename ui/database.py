"""The app's database handles: the primary (engine made once per process, schema migrated on
startup) and, when ``DATABASE_READ_URL`` names one, a streaming read replica.

Where a read goes:

- writes, login-session checks and lockout counts: always the primary (``session_factory``,
  ``read_primary``);
- a viewer's reads for ``OWN_WRITE_WINDOW`` after their own write: the primary, so they see
  what they just did even while the replica is behind;
- every other page read: the replica when there is one (``read``).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import TypeVar

import streamlit as st
from sqlalchemy.orm import Session, sessionmaker

from data_access.db import (
    make_engine,
    make_read_session_factory,
    make_session_factory,
    migrate,
    resolve_database_url,
    resolve_read_url,
)

log = logging.getLogger(__name__)
T = TypeVar("T")
OWN_WRITE_WINDOW_S = 10.0
_LAST_OWN_WRITE = "_last_own_write_monotonic"


# One engine per database and process, kept with its session factories: a new ``sessionmaker``
# is a new Session class, whose first query sets up SQLAlchemy's event dispatch for that class
# (~0.2 ms) — paid on every read when the factory was made per read. Kept in a plain dict, not
# ``st.cache_resource``: every read asks for it, and Streamlit's cache hashed the URL and took
# its locks on each ask (a fortieth of a new visit's CPU, issue 25).
_factories: dict[tuple[str, str], sessionmaker[Session]] = {}
_factories_lock = threading.Lock()
# "primary": for writes; "primary-read" and "replica-read": for reads (see
# data_access.db.make_read_session_factory), on the same engines.
_PRIMARY, _PRIMARY_READ, _REPLICA_READ = "primary", "primary-read", "replica-read"


def _factory(kind: str, url: str) -> sessionmaker[Session]:
    """The ``kind`` factory of ``url``, made on first use with its database's engine. A
    failure is not kept: the next run tries again."""
    found = _factories.get((kind, url))
    if found is not None:
        return found
    with _factories_lock:  # one engine (and one migration) per database, however many ask
        if (kind, url) not in _factories:
            engine = make_engine(url)
            if kind == _REPLICA_READ:
                # Read-only, following the primary's schema: nothing to migrate.
                _factories[(kind, url)] = make_read_session_factory(engine)
            else:
                migrate(engine)  # brings any database to the newest schema; data is kept
                _factories[(_PRIMARY, url)] = make_session_factory(engine)
                _factories[(_PRIMARY_READ, url)] = make_read_session_factory(engine)
        return _factories[(kind, url)]


def forget_factories() -> None:
    """Forget every database handle (tests: each starts on a database of its own)."""
    with _factories_lock:
        _factories.clear()


def session_factory() -> sessionmaker[Session]:
    """The primary, for writes. Raises ``DatabaseUnavailable`` (bad URL, unreachable) — app.py
    shows it."""
    return _factory(_PRIMARY, resolve_database_url())


def _primary_reads() -> sessionmaker[Session]:
    return _factory(_PRIMARY_READ, resolve_database_url())


def note_own_write() -> None:
    """The viewer just wrote: their reads go to the primary for the next ``OWN_WRITE_WINDOW_S``."""
    st.session_state[_LAST_OWN_WRITE] = time.monotonic()


def reads_from_replica() -> bool:
    """Whether this run's page reads go to the replica."""
    if not resolve_read_url():
        return False
    last_write = st.session_state.get(_LAST_OWN_WRITE)
    return last_write is None or time.monotonic() - float(last_write) >= OWN_WRITE_WINDOW_S


def read_url() -> str:
    """The database this run's page reads go to (the replica's URL or the primary's)."""
    return resolve_read_url() if reads_from_replica() else resolve_database_url()


def read_session_factory() -> sessionmaker[Session]:
    """Where this viewer's page reads go now (see the module's docstring)."""
    if not reads_from_replica():
        return _primary_reads()
    session_factory()  # the primary is migrated before anyone reads the replica
    return _factory(_REPLICA_READ, resolve_read_url())


def read(fn: Callable[..., T], /, **kwargs: object) -> T:
    """Run a ``data_access`` read function in a short session: ``read(get_x, viewer=v)``."""
    with read_session_factory()() as session:
        return fn(session=session, **kwargs)


def read_primary(fn: Callable[..., T], /, **kwargs: object) -> T:
    """Like ``read``, on the primary whatever the replica: for what must never lag (is this
    login still valid, how many failed attempts)."""
    with _primary_reads()() as session:
        return fn(session=session, **kwargs)
