"""Which pages each role gets. A page not listed for a role cannot be opened by it."""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from data_access.accounts.auth import Viewer
from i18n import translate
from ui.text import current_language, t

PAGES_DIR = Path(__file__).resolve().parent.parent / "pages"
ALL_ROLES = frozenset({"owner", "committee", "manager"})
OWNERS = frozenset({"owner", "committee"})  # people who report and rate orders of their own


@dataclass(frozen=True)
class PageSpec:
    """A page. ``url_path`` must differ from the file's stem: Streamlit falls back to its legacy
    ``pages/`` folder mode on a fresh server (and in every AppTest rerun) and would then run a
    page file whose stem matches the requested URL directly, without app.py and its login."""

    file: str
    url_path: str
    title_key: str
    icon: str
    roles: frozenset[str] = ALL_ROLES
    default: bool = False
    hidden: bool = False  # reachable by link (st.switch_page / st.page_link), not in the menu
    badge: str | None = None  # a count the menu shows next to the title (badges.UNREAD, …)


PAGES: tuple[PageSpec, ...] = (
    PageSpec("overview.py", "home", "page.overview", ":material/home:", default=True),
    PageSpec("plans.py", "service-plans", "page.plans", ":material/event_available:"),
    PageSpec("patrols.py", "patrol-records", "page.patrols", ":material/security:"),
    PageSpec("work_orders.py", "orders-live", "page.work_orders", ":material/construction:"),
    PageSpec(
        "order_detail.py", "order", "page.order_detail", ":material/receipt_long:", hidden=True
    ),
    PageSpec("history.py", "service-history", "page.history", ":material/history:"),
    PageSpec("tickets.py", "rectification-board", "page.tickets", ":material/campaign:"),
    PageSpec(
        "ticket_detail.py", "ticket", "page.ticket_detail", ":material/assignment:", hidden=True
    ),
    PageSpec("new_ticket.py", "report-issue", "page.new_ticket", ":material/edit_note:"),
    PageSpec(
        "notifications.py",
        "my-updates",
        "page.notifications",
        ":material/notifications:",
        badge="unread",
    ),
    PageSpec(
        "notification_settings.py",
        "message-settings",
        "page.notification_settings",
        ":material/tune:",
    ),
    PageSpec(
        "report_repair.py",
        "repair-request",
        "page.report_repair",
        ":material/home_repair_service:",
        roles=OWNERS,
    ),
    PageSpec(
        "my_orders.py",
        "my-orders",
        "page.my_orders",
        ":material/assignment_ind:",
        roles=OWNERS,
        badge="to_rate",
    ),
    PageSpec(
        "announcements.py",
        "notice-board",
        "page.announcements",
        ":material/announcement:",
        badge="announcements",
    ),
    PageSpec("ledger.py", "public-money", "page.ledger", ":material/account_balance:"),
    PageSpec("votes.py", "owner-votes", "page.votes", ":material/how_to_vote:", badge="to_vote"),
    PageSpec(
        "console.py",
        "manager-desk",
        "page.console",
        ":material/support_agent:",
        roles=frozenset({"manager"}),
    ),
    PageSpec(
        "alerts.py",
        "early-warnings",
        "page.alerts",
        ":material/notification_important:",
        roles=frozenset({"committee", "manager"}),
    ),
    PageSpec("analytics.py", "insights", "page.analytics", ":material/insights:"),
    PageSpec(
        "checklists.py",
        "quality-checklists",
        "page.checklists",
        ":material/checklist:",
        roles=frozenset({"committee", "manager"}),
    ),
    PageSpec(
        "staff.py",
        "staff-performance",
        "page.staff",
        ":material/badge:",
        roles=frozenset({"manager"}),
    ),
    PageSpec(
        "report.py",
        "monthly-report",
        "page.report",
        ":material/summarize:",
        roles=frozenset({"committee", "manager"}),
    ),
    PageSpec(
        "accounts.py",
        "owner-accounts",
        "page.accounts",
        ":material/manage_accounts:",
        roles=frozenset({"manager"}),
    ),
    PageSpec(
        "deliveries.py",
        "message-log",
        "page.deliveries",
        ":material/outgoing_mail:",
        roles=frozenset({"manager"}),
    ),
    PageSpec(
        "data_sources.py",
        "data-sources",
        "page.data_sources",
        ":material/database:",
        roles=frozenset({"manager"}),
    ),
)


_SPECS_BY_FILE = {spec.file: spec for spec in PAGES}


def login_page(draw: Callable[[], None]) -> st.Page:
    return st.Page(draw, title=t("login.title"), icon=":material/login:", url_path="login")


# The menu's sections, in order; every page file is in exactly one (tested).
SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "nav.service",
        (
            "overview.py",
            "plans.py",
            "patrols.py",
            "work_orders.py",
            "order_detail.py",
            "history.py",
        ),
    ),
    (
        "nav.mine",
        ("my_orders.py", "report_repair.py", "notifications.py", "notification_settings.py"),
    ),
    ("nav.governance", ("announcements.py", "ledger.py", "votes.py")),
    ("nav.rectification", ("tickets.py", "ticket_detail.py", "new_ticket.py", "console.py")),
    ("nav.prevention", ("alerts.py", "analytics.py", "checklists.py", "staff.py", "report.py")),
    ("nav.admin", ("data_sources.py", "accounts.py", "deliveries.py")),
)


MenuSection = tuple[str, list[tuple[PageSpec, st.Page]]]


def menu_for(viewer: Viewer, counts: Mapping[str, int] | None = None) -> list[MenuSection]:
    """The viewer's pages with their specs, grouped under the menu's section headers (empty
    sections left out), each titled with its badge's count from ``counts``
    (``ui.menu.menu_counts``). ``st.navigation`` draws them as the menu."""
    shown = tuple(sorted((counts or {}).items()))
    titled = _titled_menu(viewer.role, current_language(), shown)
    return [
        (header, [(spec, _page(spec, title)) for spec, title in pages]) for header, pages in titled
    ]


@functools.lru_cache(maxsize=1024)  # each role and language, per counts
def _titled_menu(
    role: str, language: str, counts: tuple[tuple[str, int], ...]
) -> tuple[tuple[str, tuple[tuple[PageSpec, str], ...]], ...]:
    """The role's sections and their pages' titles in ``language`` with ``counts``: the same
    for everyone with the same role and counts, so made once per process (twenty-odd titles
    translated on every run were a fiftieth of a new visit, issue 25)."""
    specs = {spec.file: spec for spec in PAGES if role in spec.roles}
    shown = dict(counts)
    grouped = (
        (
            translate(key, language),
            tuple((specs[f], page_title(specs[f], shown.get(specs[f].badge or "", 0), language))
                  for f in files if f in specs),
        )
        for key, files in SECTIONS
    )  # fmt: skip
    return tuple((header, pages) for header, pages in grouped if pages)


def _page(spec: PageSpec, title: str) -> st.Page:
    """A fresh copy of the page, for this run: ``st.navigation`` marks the page it chose as
    runnable, so two sessions must never share one object."""
    if get_script_run_ctx() is None:  # outside a run st.Page makes a stand-in: never keep one
        return _page_made_once.__wrapped__(spec, title)
    return copy.copy(_page_made_once(spec, title))


@functools.lru_cache(maxsize=1024)  # each page in each language, the counted ones per count
def _page_made_once(spec: PageSpec, title: str) -> st.Page:
    # ``st.Page`` resolves and checks its file and validates its icon: 22 of them on every run
    # were a twenty-fifth of a new visit's CPU. A copy of this one costs next to nothing.
    return st.Page(
        str(PAGES_DIR / spec.file),
        title=title,
        icon=spec.icon,
        default=spec.default,
        url_path=spec.url_path,
        visibility="hidden" if spec.hidden else "visible",
    )


def link_to(file: str) -> st.Page:
    """The page of ``file`` for ``st.page_link`` (made once per process, never run: a link
    only reads it). Given a path instead, ``st.page_link`` resolves it on the disk and searches
    every page: 0.49 ms a link against 0.13 ms (issue 25; the Overview draws eleven)."""
    spec = _SPECS_BY_FILE[file]
    return _page_made_once(spec, page_title(spec, 0))


def page_title(spec: PageSpec, count: int, language: str | None = None) -> str:
    """The title in the menu, with its badge's count when there is something to see (in
    ``language``; None: the session's)."""
    language = language or current_language()
    title = translate(spec.title_key, language)
    if spec.badge and count > 0:
        return translate("nav.badge_title", language, title=title, n=count)
    return title
