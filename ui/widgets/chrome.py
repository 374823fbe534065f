"""Shared chrome: sidebar (who, community, language, logout), login header, error screens."""

from __future__ import annotations

import base64
import functools
import logging
from pathlib import Path

import streamlit as st

from data_access.accounts.auth import Viewer
from data_access.errors import DomainError
from data_access.settings import AppSettings
from data_access.sync.status import SyncStatus
from ui import preferences
from ui.formatting import local_time, sync_failure_reason
from ui.text import code_label, current_language, language_picker, plain, t

log = logging.getLogger("owner_dashboard")
FAVICON = Path(__file__).resolve().parent.parent / "assets" / "favicon.png"


@functools.cache
def favicon() -> str:
    """The tab's icon as a data URL, read once per process. Given the file's path,
    ``st.set_page_config`` read it, hashed it and registered it with the media manager on
    every run (a thirtieth of a new visit's CPU, issue 25); a data URL is passed on as it is,
    and the browser still fetches nothing from another host."""
    encoded = base64.b64encode(FAVICON.read_bytes()).decode("ascii")
    return f"data:image/png;base64,{encoded}"


def heading_with_caption(level: int, heading: str, caption: list[str]) -> None:
    """A heading (Markdown: ``plain`` what users wrote) and its caption's lines as one element:
    each element is a message the server builds and sends, and a new visit's two pages began
    with a heading and a caption each (issue 25). The page style (ui.menu) draws the lines
    after the heading as a caption is drawn."""
    st.markdown("\n\n".join([f"{'#' * level} {heading}", *caption]))


def sidebar(viewer: Viewer, settings: AppSettings, sync: SyncStatus | None) -> None:
    with st.sidebar:
        # The title and who is logged in, one element (the page style draws the second line
        # as a caption).
        who = t("app.logged_in_as", name=plain(viewer.display_name),
                role=code_label("role", viewer.role))  # fmt: skip
        st.markdown(f"### :material/apartment: {t('app.title')}\n\n{who}")
        language_picker(st, on_change=lambda: preferences.save_language(viewer))
        st.toggle(
            t("app.large_text"), key=preferences.LARGE_TEXT_KEY, help=t("app.large_text_help"),
            on_change=lambda: preferences.save_large_text(viewer),
        )  # fmt: skip
        if settings.demo_mode:
            st.info(t("app.demo_banner"), icon=":material/science:")
        data_age(viewer, sync)


def data_age(viewer: Viewer, status: SyncStatus | None) -> None:
    """Where the community's data comes from and how old it is; a warning while the last sync
    failed (the pages show the last good data meanwhile)."""
    if status is None:
        return
    source = status.source.upper()
    when = local_time(status.last_good_at) if status.last_good_at else "—"
    if status.failed_since is not None and not viewer.is_manager:
        st.warning(t("sync.data_stale_public", when=when), icon=":material/sync_problem:")
    elif status.failed_since is not None:  # the kind of failure is for managers
        reason = sync_failure_reason(status.error_key)
        st.warning(t("sync.data_stale", reason=reason, when=when), icon=":material/sync_problem:")
    else:
        st.caption(f":material/sync: {t('sync.data_age', source=source, when=when)}")


def login_header(settings: AppSettings) -> None:
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    left.title(f":material/apartment: {t('app.title')}")
    left.caption(t("app.tagline"))
    language_picker(right)
    st.caption(t("login.hint"))
    if settings.demo_mode:
        st.info(t("app.demo_banner"), icon=":material/science:")


def fatal(error: DomainError) -> None:
    """Stop the app with a message in the user's language (configuration problems)."""
    st.error(error.message(current_language()), icon="⛔")
    st.stop()


def unavailable(error: BaseException) -> None:
    log.error("database unavailable: %s", error)
    st.error(f"**{t('app.unavailable_title')}**\n\n{t('app.unavailable_retry')}", icon="🔌")
    if isinstance(error, DomainError):
        st.caption(error.message(current_language()))


def unexpected(error: BaseException) -> None:
    log.exception("unexpected error on a page", exc_info=error)
    st.error(t("app.unexpected_error"), icon="⚠️")
