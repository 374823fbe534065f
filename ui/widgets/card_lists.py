"""Read-only card lists drawn as one HTML element each (the Overview's open orders and its
public steps).

Why HTML: every Streamlit element is a message the server builds, hashes and hands to its event
loop. A list of eight order cards drawn with Streamlit's own elements was 24 of them (a bordered
container, a Markdown, a progress bar each) — a quarter of what a new visit cost the server
(issue 25). These cards hold no widget and no link, so one ``st.html`` draws the whole list.

Safety: every text goes through ``html.escape`` (titles and notes are typed by people; they are
shown as typed, never as markup), and ``st.html`` sanitises what it is given besides. The look —
borders, small print, badges, the progress bar — is the page style's (``ui.menu``), in ``rem``
so that the large-text mode scales it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from html import escape

import streamlit as st

from data_access.dashboards.overview import PublicUpdate
from data_access.orders.work_orders import OpenOrder
from ui.formatting import ago, countdown, local_time
from ui.text import code_label, t


def show_order_cards(orders: Sequence[OpenOrder], now: dt.datetime) -> None:
    """The open orders as cards: title and badges, what and where, the step reached (a progress
    bar with its words) and the time left to resolve it."""
    st.html(order_cards_html(orders, now))


def order_cards_html(orders: Sequence[OpenOrder], now: dt.datetime) -> str:
    return "".join(_order_card(order, now) for order in orders)


def show_updates(updates: Sequence[PublicUpdate], title_of: dict[str, str]) -> None:
    """The community's newest public steps, each with its note (as typed) in small print.
    ``title_of``: how a stored title is shown (a redacted ticket's neutral title translated)."""
    st.html(updates_html(updates, title_of))


def updates_html(updates: Sequence[PublicUpdate], title_of: dict[str, str]) -> str:
    return "".join(_update(update, title_of) for update in updates)


def _order_card(order: OpenOrder, now: dt.datetime) -> str:
    badges = "".join(
        _badge(t(key), color)
        for key, color, shown in (
            ("overview.mine", "blue", order.is_mine),
            ("overview.private", "gray", order.is_private),
        )
        if shown
    )
    what = " · ".join(
        (
            code_label("order_type", order.order_type),
            code_label("order_category", order.category),
            order.location,
            ago(order.created_at, now),
        )
    )
    progress = order.progress
    step = t("overview.step", stage=code_label("stage", progress.stage), step=progress.step,
             steps=progress.steps)  # fmt: skip
    due = countdown(order.resolve_due_at, now)
    overdue = ' class="od-overdue"' if order.resolve_due_at < now else ""
    return (
        '<div class="od-card">'
        f'<p class="od-title"><strong>{escape(order.title)}</strong>{badges}</p>'
        f'<p class="od-small">{escape(what)}</p>'
        f'<div class="od-progress" role="progressbar" aria-valuemin="0" aria-valuemax="100" '
        f'aria-valuenow="{progress.percent}" aria-label="{escape(step)}">'
        f'<div style="width: {progress.percent}%"></div></div>'
        f'<p class="od-small">{escape(step)} · {escape(t("orders.deadline_resolve"))} '
        f"<span{overdue}>{escape(due)}</span></p>"
        "</div>"
    )


def _update(update: PublicUpdate, title_of: dict[str, str]) -> str:
    kind = "stage" if update.subject == "order" else "ticket_status"
    actor = f" · {update.actor}" if update.actor else ""
    title = title_of.get(update.title, update.title)
    line = f"{title} → {code_label(kind, update.state)}{actor}"
    note = ""
    if update.note:
        paragraphs = [p for p in update.note.replace("\r\n", "\n").split("\n\n") if p.strip()]
        note = "".join(
            f'<p class="od-small">{escape(p).replace(chr(10), "<br>")}</p>' for p in paragraphs
        )
    return (
        '<div class="od-step">'
        f"<p><strong>{escape(local_time(update.occurred_at))}</strong> · {escape(line)}</p>"
        f"{note}</div>"
    )


def _badge(text: str, color: str) -> str:
    """``color``: a badge colour of the page style (``.od-badge-blue``, ``.od-badge-gray``)."""
    return f' <span class="od-badge od-badge-{color}">{escape(text)}</span>'
