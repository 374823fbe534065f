"""Reads of the rectification board and a ticket's page. Board answers are cached briefly and
always keyed by the viewer: masking and "mine" depend on who looks. A ticket's page is read
uncached, because the moves on it need the current version."""

from __future__ import annotations

import datetime as dt

from data_access.accounts.auth import Viewer
from data_access.tickets import ticket_board
from data_access.tickets.ticket_board import (
    BoardSummary,
    BoardTicket,
    PublicRating,
    TicketDetail,
    board_summary,
    count_board_tickets,
    count_public_ratings,
    get_ticket_detail,
    list_board_tickets,
    list_public_ratings,
)
from ui.database import read
from ui.loaders.cache import community_cache

BOARD_TTL_SECONDS = 15


@community_cache(ttl=BOARD_TTL_SECONDS)
def summary(viewer: Viewer, now: dt.datetime, closed_since: dt.datetime) -> BoardSummary:
    return read(board_summary, viewer=viewer, now=now, closed_since=closed_since)


@community_cache(ttl=BOARD_TTL_SECONDS)
def board(
    viewer: Viewer,
    now: dt.datetime,
    status: str | None,
    category: str | None,
    overdue_only: bool,
    mine_only: bool,
    search: str,
    limit: int,
) -> tuple[list[BoardTicket], int]:
    """The tickets shown and how many match in all."""
    filters = dict(
        viewer=viewer, now=now, status=status, category=category, overdue_only=overdue_only,
        mine_only=mine_only, search=search,
    )  # fmt: skip
    return read(list_board_tickets, limit=limit, **filters), read(count_board_tickets, **filters)


@community_cache(ttl=BOARD_TTL_SECONDS)
def ratings(
    viewer: Viewer, now: dt.datetime, low_only: bool, unreplied_only: bool, limit: int
) -> tuple[list[PublicRating], int]:
    """The ratings shown and how many match in all."""
    filters = dict(viewer=viewer, now=now, low_only=low_only, unreplied_only=unreplied_only)
    return read(list_public_ratings, limit=limit, **filters), read(count_public_ratings, **filters)


def ticket_state(viewer: Viewer, ticket_id: int) -> tuple[str, int]:
    """Not cached: (status, version) right after a move."""
    return read(ticket_board.ticket_state, viewer=viewer, ticket_id=ticket_id)


def ticket_detail(viewer: Viewer, ticket_id: int, now: dt.datetime) -> TicketDetail:
    """Not cached: the page's moves need the ticket's current version."""
    return read(get_ticket_detail, viewer=viewer, ticket_id=ticket_id, now=now)
