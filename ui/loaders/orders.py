"""Reads of the work-order pages. Board answers are cached for a few seconds only (the board is
live) and always keyed by the viewer: unread markers and private orders are personal."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from data_access.accounts.auth import Viewer
from data_access.communities import AreaChoice, list_areas
from data_access.orders import repair_requests
from data_access.orders.history import (
    export_csv,
    export_excel,
    history_span,
    list_history,
    summarize_by_bucket,
)
from data_access.orders.my_orders import MyOrders, list_my_orders
from data_access.orders.work_orders import (
    Board,
    BoardFilters,
    OrderDetail,
    OwnBoard,
    community_board,
    get_order_detail,
    list_board,
    merge_board,
    own_board,
)
from data_access.periods import Period
from data_access.sync.sources import configured_sources
from ui.database import read
from ui.loaders import open_reporters
from ui.loaders.cache import community_cache

BOARD_REFRESH = dt.timedelta(seconds=5)


def areas(viewer: Viewer) -> list[AreaChoice]:
    """The viewer's community's areas: cached per community, as every viewer there sees them."""
    return community_areas(viewer.community_id)


@community_cache(ttl=600)
def community_areas(community_id: int) -> list[AreaChoice]:
    return read(list_areas, community_id=community_id)


BOARD_LIMIT = 60  # cards on the board


def board(
    viewer: Viewer,
    now: dt.datetime,
    mine_only: bool,
    order_type: str | None,
    category: str | None,
    stage: str | None,
    area_id: int | None,
    created_from: dt.datetime | None,
) -> Board:
    """The board as the viewer sees it. An owner's is the community's public board (the same
    for every owner: cached once per community) merged with their own orders (cached per
    owner, and only for an owner with an open order: unread markers and in-home orders are
    theirs); others' is read per viewer."""
    filters = (order_type, category, stage, area_id, created_from)
    if not viewer.is_owner:
        return viewer_board(viewer, now, mine_only, *filters)
    public = None if mine_only else public_board(viewer.community_id, now, *filters)
    # Only an owner with an open order of their own reads it (one read per visitor spared).
    has_own = viewer.account_id in open_reporters(viewer.community_id).any_order
    if has_own:
        own = viewers_own_board(viewer, now, mine_only, *filters)
    else:
        own = OwnBoard(orders=[], total=0, private_total=0)
    return merge_board(public, own, BOARD_LIMIT)


@community_cache(ttl=3)
def viewer_board(
    viewer: Viewer,
    now: dt.datetime,
    mine_only: bool,
    order_type: str | None,
    category: str | None,
    stage: str | None,
    area_id: int | None,
    created_from: dt.datetime | None,
) -> Board:
    return read(
        list_board, viewer=viewer, now=now, mine_only=mine_only, order_type=order_type,
        category=category, stage=stage, area_id=area_id, created_from=created_from,
        limit=BOARD_LIMIT,
    )  # fmt: skip


@community_cache(ttl=3)
def public_board(
    community_id: int,
    now: dt.datetime,
    order_type: str | None,
    category: str | None,
    stage: str | None,
    area_id: int | None,
    created_from: dt.datetime | None,
) -> Board:
    filters = BoardFilters(False, order_type, category, stage, area_id, created_from)
    return read(
        community_board, community_id=community_id, now=now, filters=filters, limit=BOARD_LIMIT
    )


@community_cache(ttl=3)
def viewers_own_board(
    viewer: Viewer,
    now: dt.datetime,
    mine_only: bool,
    order_type: str | None,
    category: str | None,
    stage: str | None,
    area_id: int | None,
    created_from: dt.datetime | None,
) -> OwnBoard:
    filters = BoardFilters(mine_only, order_type, category, stage, area_id, created_from)
    return read(own_board, viewer=viewer, now=now, filters=filters, limit=BOARD_LIMIT)


@community_cache(ttl=60)
def my_units(viewer: Viewer) -> list[tuple[int, str]]:
    return read(repair_requests.my_units, viewer=viewer)


@st.cache_data(ttl=60, show_spinner=False)
def repair_channel() -> str:
    """Where the configured operational system takes repairs ("" when not said)."""
    return next((source.repair_channel for source in configured_sources()), "")


def my_orders(viewer: Viewer, now: dt.datetime) -> MyOrders:
    """Not cached: a rating just given must leave the to-rate list at once."""
    return read(list_my_orders, viewer=viewer, now=now)


def order_detail(viewer: Viewer, order_id: int, now: dt.datetime) -> OrderDetail:
    """Not cached: the detail is read when opened and must be current."""
    return read(get_order_detail, viewer=viewer, order_id=order_id, now=now)


def history_days(viewer: Viewer) -> tuple[dt.date, dt.date] | None:
    """The first and last day of the viewer's community's public orders."""
    return community_history_span(viewer.community_id)


@community_cache(ttl=60)
def community_history_span(community_id: int) -> tuple[dt.date, dt.date] | None:
    return read(history_span, community_id=community_id)


@community_cache(ttl=60)
def history(
    viewer: Viewer,
    period: Period,
    now: dt.datetime,
    search: str,
    order_type: str | None,
    category: str | None,
) -> pd.DataFrame:
    return read(
        list_history, viewer=viewer, period=period, now=now, search=search,
        order_type=order_type, category=category,
    )  # fmt: skip


# The history page's derived tables and files, cached on their input (a DataFrame is hashed by
# its content): building the Excel file on every run was a third of a warm run (bench/).
@st.cache_data(ttl=60, show_spinner=False, max_entries=64)
def history_buckets(history: pd.DataFrame, period: Period) -> pd.DataFrame:
    return summarize_by_bucket(history, period)


@st.cache_data(ttl=60, show_spinner=False, max_entries=64)
def history_csv(export: pd.DataFrame) -> bytes:
    return export_csv(export)


@st.cache_data(ttl=60, show_spinner=False, max_entries=64)
def history_excel(export: pd.DataFrame, title: str) -> bytes:
    return export_excel(export, title)
