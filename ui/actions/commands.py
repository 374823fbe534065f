"""Running a ``data_access`` command from a page: one write transaction that bumps the data
version of the community it changed (so that community's cached figures are computed afresh, in
every process, and no other community's), and a success message that survives the rerun that
shows the new state."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import streamlit as st

from data_access.accounts.auth import Viewer
from data_access.data_versions import bumped, changes_no_figures, touch
from data_access.db import write_session
from ui.database import note_own_write, session_factory
from ui.loaders.cache import forget_versions

T = TypeVar("T")
_FLASH = "_flash_messages"


def run_command(fn: Callable[..., T], /, **kwargs: Any) -> T:
    """``run_command(accept_ticket, viewer=v, ticket_id=1, now=now)``: commits or rolls back as
    a whole. ``DomainError`` passes through for the page to show. The viewer's community counts
    as changed (besides the communities of the rows written): its figures may include what was
    just written. The viewer's next reads go to the primary (``note_own_write``)."""
    viewer = kwargs.get("viewer")
    with write_session(session_factory()) as session:
        if isinstance(viewer, Viewer):
            touch(session, viewer.community_id)
        result = fn(session=session, **kwargs)
    note_own_write()
    forget_versions(bumped(session))
    return result


def run_bookkeeping(fn: Callable[..., T], /, **kwargs: Any) -> T:
    """Like ``run_command`` for a write that changes no figure on any page (when the viewer last
    looked at something): one write transaction, and the cached reads are kept."""
    with write_session(session_factory()) as session:
        changes_no_figures(session)
        return fn(session=session, **kwargs)


def flash(message: str) -> None:
    """Show ``message`` as a success toast on the next run (after ``st.rerun()``)."""
    st.session_state.setdefault(_FLASH, []).append(message)


def show_flashes() -> None:
    for message in st.session_state.pop(_FLASH, []):
        st.success(message, icon=":material/check_circle:")


def uploaded_bytes(files: Sequence[Any] | None) -> list[bytes]:
    """The content of ``st.file_uploader(accept_multiple_files=True)``'s files."""
    return [file.getvalue() for file in files or ()]


def version_seen(key: str, version: int, *, submitted: bool) -> int:
    """The row version the viewer's form was built on.

    A form's submit reruns the page, which re-reads the row; sending *that* version with the
    command would let a second click apply the same change twice. So the version is remembered
    on every run without a submit and the remembered one is sent on submit: a repeated click
    then meets "changed meanwhile" and writes nothing.
    """
    if not submitted:
        st.session_state[key] = version
        return version
    return int(st.session_state.get(key, version))
