"""The app's one database handle: engine made once per process, schema migrated on startup."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

import streamlit as st
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from data_access.db import make_engine, make_session_factory, migrate, resolve_database_url

log = logging.getLogger(__name__)
T = TypeVar("T")


@st.cache_resource(show_spinner=False)
def _engine(url: str) -> Engine:
    engine = make_engine(url)
    migrate(engine)  # brings any database to the newest schema; data is kept
    return engine


def session_factory() -> sessionmaker[Session]:
    """Raises ``DatabaseUnavailable`` (bad URL, unreachable) — app.py shows it to the user."""
    url = resolve_database_url()
    try:
        engine = _engine(url)
    except Exception:
        _engine.clear()  # retry on the next run
        raise
    return make_session_factory(engine)


def read(fn: Callable[..., T], /, **kwargs: object) -> T:
    """Run a ``data_access`` read function in a short session: ``read(get_x, viewer=v)``."""
    with session_factory()() as session:
        return fn(session=session, **kwargs)
