"""Handling figures on a hand-built dataset; every expected number is worked out in comments.

Community in Asia/Shanghai (UTC+8): October 2026 runs from 10-01 00:00 to 11-01 00:00 local.
Resolve deadlines are 72 h after creation (the factory's default).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Unpack, cast

import pytest
from sqlalchemy.orm import Session

from data_access.accounts.auth import Viewer, load_viewer
from data_access.models import Community
from data_access.orders.handling import (
    HANDLING_COLUMNS,
    HandlingFigures,
    handling_by_period,
    handling_figures,
)
from data_access.periods import parse_period, range_period
from tests.data_access import factories as f

L = f.local
H = dt.timedelta(hours=1)
SEP, OCT, NOV = parse_period("2026-09"), parse_period("2026-10"), parse_period("2026-11")


def about(value: float) -> float:
    """``pytest.approx(value)`` where a figure's float goes (it compares equal to one)."""
    return cast(float, pytest.approx(value))


def closed(session: Session, community: Community, created: dt.datetime, hours: float, **fields: Unpack[f.OrderFields]) -> None:  # fmt: skip
    f.work_order(session, community, created_at=created, completed_at=created + hours * H, **fields)


@pytest.fixture
def dataset(session: Session) -> dict[str, object]:
    """October, public orders (hours to close): 2 (created at 10-01 00:00, the first instant),
    24 (exactly), 30, 72 (exactly), 100, 10 (created 10-31 23:30, the last half hour) →
    sorted 2, 10, 24, 30, 72, 100. Plus a private order of another owner closed in 5 h.
    Outside October: 09-30 23:59 (1 h) and 11-01 00:00 (3 h). Never counted: an open order,
    and another community's closed order."""
    c = f.community(session, code="HANDLE")
    building = f.building(session, c)
    home = f.unit(session, building)
    reporter = f.account(session, c, units=(home,))
    viewer_owner = f.account(session, c)
    manager = f.account(session, c, role="manager")
    closed(session, c, L(2026, 10, 1, 0, 0), 2)
    closed(session, c, L(2026, 10, 5, 10, 0), 24)
    closed(session, c, L(2026, 10, 10, 8, 0), 30)
    closed(session, c, L(2026, 10, 20, 9, 0), 72)
    closed(session, c, L(2026, 10, 25, 12, 0), 100)
    closed(session, c, L(2026, 10, 31, 23, 30), 10)
    closed(session, c, L(2026, 10, 12, 9, 0), 5, visibility="private", reporter_id=reporter.id,
           unit_id=home.id)  # fmt: skip
    closed(session, c, L(2026, 9, 30, 23, 59), 1)
    closed(session, c, L(2026, 11, 1, 0, 0), 3)
    f.work_order(session, c, created_at=L(2026, 10, 15, 9, 0))  # open: never counts
    closed(session, f.community(session, code="ELSE"), L(2026, 10, 15, 9, 0), 1)
    session.commit()
    return {"community": c, "owner": viewer_owner.username, "manager": manager.username}


def test_handling_figures_for_october(session: Session, dataset: dict[str, object]) -> None:
    community = dataset["community"]
    assert isinstance(community, Community)
    figures = handling_figures(session=session, community_id=community.id, period=OCT)
    # 7 closed: 2, 5, 10, 24, 30, 72, 100 → median 24; ≤ 24 h: 2, 5, 10, 24 → 4/7;
    # ≤ 72 h: all but 100 → 6/7; by the 72 h deadline: the same 6/7.
    assert figures == HandlingFigures(
        count=7,
        median_hours=about(24.0),
        within_24h_share=about(4 / 7),
        within_72h_share=about(6 / 7),
        on_time_share=about(6 / 7),
    )


def test_as_of_counts_only_what_was_closed_by_then(
    session: Session, dataset: dict[str, object]
) -> None:
    community = dataset["community"]
    assert isinstance(community, Community)
    # As of 10-11 12:00 local, closed by then: the 2 h order (10-01) and the 24 h one (10-05
    # 10:00 → 10-06 10:00). Not yet: the 30 h one (10-10 08:00 → 10-11 14:00); the rest were
    # created later. 2 closed: median (2 + 24) / 2 = 13, both within 24 h and on time.
    as_of = L(2026, 10, 11, 12, 0)
    figures = handling_figures(session=session, community_id=community.id, period=OCT, as_of=as_of)
    assert figures == HandlingFigures(
        count=2,
        median_hours=about(13.0),
        within_24h_share=about(1.0),
        within_72h_share=about(1.0),
        on_time_share=about(1.0),
    )
    # One minute after the 30 h order closed (10-11 14:00): it counts → 2, 24, 30: median 24.
    later = handling_figures(
        session=session, community_id=community.id, period=OCT, as_of=L(2026, 10, 11, 14, 1)
    )
    assert (later.count, later.median_hours) == (3, about(24.0))


def test_boundaries_are_local_midnights(session: Session, dataset: dict[str, object]) -> None:
    community = dataset["community"]
    assert isinstance(community, Community)
    first_day = handling_figures(
        session=session, community_id=community.id, period=range_period(OCT.start, OCT.start)
    )
    assert (first_day.count, first_day.median_hours) == (1, 2.0)  # not the 09-30 23:59 one
    september = handling_figures(session=session, community_id=community.id, period=SEP)
    assert (september.count, september.median_hours) == (1, 1.0)
    november = handling_figures(session=session, community_id=community.id, period=NOV)
    assert (november.count, november.median_hours) == (1, 3.0)


def test_no_closed_orders_means_no_figures(session: Session, dataset: dict[str, object]) -> None:
    community = dataset["community"]
    assert isinstance(community, Community)
    empty = handling_figures(
        session=session, community_id=community.id, period=parse_period("2026-12")
    )
    assert empty == HandlingFigures(0, None, None, None, None)


def _viewer(session: Session, username: object) -> Viewer:
    viewer = load_viewer(session=session, username=str(username))
    assert viewer is not None
    return viewer


def test_handling_by_period_counts_only_visible_orders(
    session: Session, dataset: dict[str, object]
) -> None:
    periods = [SEP, OCT, NOV, parse_period("2026-12")]
    manager = handling_by_period(session=session, viewer=_viewer(session, dataset["manager"]), periods=periods)  # fmt: skip
    assert list(manager.columns) == HANDLING_COLUMNS
    assert manager["period"].tolist() == ["2026-09", "2026-10", "2026-11", "2026-12"]
    assert manager["count"].tolist() == [1, 7, 1, 0]
    october = manager.iloc[1]
    assert (october["median_hours"], october["within_24h_share"]) == (24.0, pytest.approx(4 / 7))
    assert october["within_72h_share"] == pytest.approx(6 / 7)
    assert october["on_time_share"] == pytest.approx(6 / 7)
    assert math.isnan(manager.iloc[3]["median_hours"])

    # An owner does not see another owner's in-home order: October is 2, 10, 24, 30, 72, 100
    # → median (24 + 30) / 2 = 27; ≤ 24 h: 3/6; ≤ 72 h: 5/6.
    owner = handling_by_period(session=session, viewer=_viewer(session, dataset["owner"]), periods=[OCT])  # fmt: skip
    assert owner.to_dict("records") == [
        {
            "period": "2026-10",
            "count": 6,
            "median_hours": 27.0,
            "within_24h_share": 0.5,
            "within_72h_share": pytest.approx(5 / 6),
            "on_time_share": pytest.approx(5 / 6),
        }
    ]
