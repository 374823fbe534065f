"""员工绩效 through AppTest on the demo data: managers only; the table, its sorting and filter,
and a person's trend, each checked against the data layer."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from data_access.accounts.auth import Viewer, load_viewer
from data_access.analytics.staff_kpis import has_activity, list_staff_kpis, staff_trend
from data_access.db import make_engine, make_session_factory
from data_access.periods import period_containing
from tests.conftest import DEMO_AS_OF, ROOT
from tests.pages.conftest import DEMO_NOW, log_in, show_running_period, texts
from ui.charts.quality import trend_measures
from ui.formatting import STAFF_RATE_FORMATS, shown_with_dashes

STAFF = str(ROOT / "pages" / "staff.py")
FIGURES = ["orders_handled", "on_time_share", "ratings", "mean_rating", "rework",
           "shifts_walked", "patrol_coverage"]  # fmt: skip


def viewer_of(url: str, username: str) -> Viewer:
    with make_session_factory(make_engine(url))() as session:
        viewer = load_viewer(session=session, username=username)
    assert viewer is not None
    return viewer


def expected_table(url: str, day: dt.date = DEMO_AS_OF) -> pd.DataFrame:
    with make_session_factory(make_engine(url))() as session:
        return list_staff_kpis(
            session=session, viewer=viewer_of(url, "manager_a"),
            period=period_containing("month", day), now=DEMO_NOW,
        )  # fmt: skip


def expected_trend(url: str, staff_id: int) -> pd.DataFrame:
    with make_session_factory(make_engine(url))() as session:
        return staff_trend(
            session=session, viewer=viewer_of(url, "manager_a"), staff_id=staff_id, now=DEMO_NOW
        )


def open_staff(app: AppTest) -> AppTest:
    log_in(app, "manager_a")
    app.switch_page(STAFF).run()
    assert not app.exception
    return show_running_period(app, "staff")


def shown_table(app: AppTest) -> pd.DataFrame:
    return app.dataframe[0].value


def same(shown: pd.DataFrame, expected: pd.DataFrame) -> None:
    """The page writes rates as text, a missing one as "—" (never Streamlit's "None")."""
    expected = shown_with_dashes(expected, STAFF_RATE_FORMATS)
    left = shown.set_index("staff_id")[["name", *FIGURES]].sort_index()
    right = expected.set_index("staff_id")[["name", *FIGURES]].sort_index()
    pd.testing.assert_frame_equal(left, right, check_dtype=False)


@pytest.mark.parametrize("username", ["owner_a", "committee_a"])
def test_only_managers_get_the_page(app: AppTest, username: str) -> None:
    log_in(app, username)
    assert not app.exception
    paths = {info.get("url_pathname") for info in app._registered_pages.values()}
    assert "staff-performance" not in paths
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        app.switch_page(STAFF)


def test_the_table_matches_the_data_layer(app: AppTest, demo_url: str) -> None:
    open_staff(app)
    expected = expected_table(demo_url)
    shown = shown_table(app)
    same(shown, expected)
    unrated = expected.index[expected["ratings"] == 0]
    assert len(unrated) and set(shown.loc[shown["ratings"] == 0, "mean_rating"]) == {"—"}
    # default order: most orders handled first
    assert list(shown["orders_handled"]) == sorted(expected["orders_handled"], reverse=True)
    metric = next(m for m in app.metric if m.label == "处理工单")
    assert int(metric.value) == int(expected["orders_handled"].sum())
    # the person shown first is the one whose trend is drawn
    first = int(shown["staff_id"].iloc[0])
    assert app.selectbox(key="staff_person").value == first
    assert app.get("vega_lite_chart")
    trend = app.dataframe[1].value
    assert list(trend["orders_handled"]) == list(expected_trend(demo_url, first)["orders_handled"])


def test_another_period_changes_the_figures(app: AppTest, demo_url: str) -> None:
    open_staff(app)
    app.date_input(key="staff_date").set_value(dt.date(2026, 10, 15)).run()
    assert not app.exception
    same(shown_table(app), expected_table(demo_url, dt.date(2026, 10, 15)))


def test_sorting_and_filtering_pick_whose_trend_is_shown(app: AppTest, demo_url: str) -> None:
    open_staff(app)
    expected = expected_table(demo_url)
    app.selectbox(key="staff_sort").set_value("patrol_coverage").run()
    shown = shown_table(app)
    measured = shown.loc[shown["patrol_coverage"] != "—", "staff_id"]
    by_coverage = expected.dropna(subset=["patrol_coverage"]).sort_values(
        ["patrol_coverage", "name"], ascending=[False, True]
    )
    assert len(measured) and list(measured) == list(by_coverage["staff_id"])
    best_guard = int(shown["staff_id"].iloc[0])
    assert best_guard == int(
        expected.sort_values(["patrol_coverage", "name"], ascending=[False, True])["staff_id"].iloc[
            0
        ]
    )
    assert app.selectbox(key="staff_person").value == best_guard
    trend = app.dataframe[1].value
    want = expected_trend(demo_url, best_guard)
    want = shown_with_dashes(want, STAFF_RATE_FORMATS)
    assert list(trend["patrol_coverage"]) == list(want["patrol_coverage"])

    app.selectbox(key="staff_post").set_value("维修工").run()
    assert set(shown_table(app)["post"]) == {"维修工"}
    assert len(shown_table(app)) == int((expected["post"] == "维修工").sum())


def test_choosing_a_person_shows_their_trend(app: AppTest, demo_url: str) -> None:
    open_staff(app)
    expected = expected_table(demo_url)
    fixer = expected[expected["post"] == "维修工"].iloc[-1]
    app.selectbox(key="staff_person").set_value(int(fixer["staff_id"])).run()
    assert not app.exception
    trend = app.dataframe[1].value
    want = expected_trend(demo_url, int(fixer["staff_id"]))
    assert list(trend["period"]) == list(want["period"])
    assert list(trend["orders_handled"]) == list(want["orders_handled"])
    assert "patrol_coverage" not in app.dataframe[1].column_order  # not a guard


def test_a_person_without_activity_gets_words_not_a_chart(app: AppTest, demo_url: str) -> None:
    open_staff(app)
    expected = expected_table(demo_url)
    idle = [
        int(staff_id)
        for staff_id in expected["staff_id"]
        if not has_activity(expected_trend(demo_url, int(staff_id)))
    ]
    assert idle  # the community manager handles no orders himself
    app.selectbox(key="staff_person").set_value(idle[0]).run()
    assert "近 12 个月没有工单、评价或巡检记录" in texts(app)
    assert not app.get("vega_lite_chart")


def test_each_measure_is_its_own_chart_with_plain_numbers(app: AppTest, demo_url: str) -> None:
    """A faceted chart ran past a phone's screen and put one month axis under its last row; a
    line of zeros read "0.000000". Now one chart per measure, each with a plain number axis."""
    open_staff(app)
    table = expected_table(demo_url)
    trend = expected_trend(demo_url, int(table.sort_values("orders_handled").iloc[-1]["staff_id"]))
    charts = app.get("vega_lite_chart")
    assert len(charts) == len(trend_measures(trend))
    for chart in charts:
        spec = json.loads(chart.proto.spec)
        assert spec["layer"][0]["encoding"]["y"]["axis"]["format"] == "~r"
        assert "facet" not in spec
