"""分析 page: renders for every role with the data layer's figures, the keyword drill-down shows
the texts with the chosen word, and the period and source filters change what is shown."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from data_access.accounts.auth import Viewer, load_viewer
from data_access.analytics.analytics import (
    handling_durations,
    hotspot_matrix,
    overdue_trend,
    reply_timeliness_by_category,
    risk_points,
)
from data_access.analytics.keywords import (
    KEYWORD_SOURCES,
    list_feedback_texts,
    texts_with_keyword,
    top_keywords,
)
from data_access.db import make_engine, make_session_factory
from data_access.periods import Period, period_containing
from i18n import translate
from tests.conftest import DEMO_AS_OF, ROOT
from tests.pages.conftest import DEMO_NOW, log_in, show_running_period, texts
from ui.text import plain

ANALYTICS = str(ROOT / "pages" / "analytics.py")
TEXT_LIMIT = 30  # as on the page
REPLY_SHARE = translate("analytics.metric_reply_share")
CLOSED = translate("analytics.metric_closed")
ISSUES = translate("analytics.metric_issue_orders")
TEXTS = translate("keywords.metric_texts")
RISK_SCORE = translate("analytics.risk_score")


def open_analytics(app: AppTest, username: str) -> AppTest:
    log_in(app, username)
    app.switch_page(ANALYTICS).run()
    assert not app.exception
    return show_running_period(app, "analytics")


@contextmanager
def data_layer(url: str, username: str) -> Iterator[tuple[Session, Viewer]]:
    engine = make_engine(url)
    try:
        with make_session_factory(engine)() as session:
            viewer = load_viewer(session=session, username=username)
            assert viewer is not None
            yield session, viewer
    finally:
        engine.dispose()


@dataclass(frozen=True)
class Figures:
    """What the page's metrics should say, straight from the data layer."""

    reply_share: str
    closed: str
    issues: str | None  # None: no hotspot, so no metric
    texts: str
    risk_scores: list[str]
    charts: int


def expected_figures(url: str, username: str, period: Period) -> Figures:
    with data_layer(url, username) as (session, viewer):
        reply = reply_timeliness_by_category(
            session=session, viewer=viewer, period=period, now=DEMO_NOW
        )
        durations = handling_durations(session=session, viewer=viewer, period=period)
        overdue = overdue_trend(session=session, viewer=viewer, period=period, now=DEMO_NOW)
        matrix = hotspot_matrix(session=session, viewer=viewer, period=period)
        risks = risk_points(session=session, viewer=viewer, period=period, now=DEMO_NOW)
        feedback = list_feedback_texts(session=session, viewer=viewer, period=period)
        words = top_keywords(session=session, viewer=viewer, period=period)
    due, in_time = int(reply["due"].sum()), int(reply["in_time"].sum())
    return Figures(
        reply_share=f"{in_time / due:.1%}" if due else translate("kpi.no_data"),
        closed=str(len(durations)),
        issues=None if matrix.empty else str(int(matrix["count"].sum())),
        texts=str(len(feedback)),
        risk_scores=[str(p.score) for p in risks],
        charts=sum(
            (due > 0, len(durations) > 0, overdue["due"].sum() > 0, not matrix.empty, bool(words))
        ),
    )


def shown_figures(app: AppTest) -> Figures:
    values = {m.label: m.value for m in app.metric}
    return Figures(
        reply_share=values[REPLY_SHARE],
        closed=values[CLOSED],
        issues=values.get(ISSUES),
        texts=values.get(TEXTS, "0"),
        risk_scores=[m.value for m in app.metric if m.label == RISK_SCORE],
        charts=len(app.get("vega_lite_chart")),
    )


@pytest.mark.parametrize("username", ["owner_a", "committee_a", "manager_a", "owner_b"])
def test_every_role_sees_the_figures_of_the_data_layer(
    app: AppTest, demo_url: str, username: str
) -> None:
    open_analytics(app, username)
    assert [tab.label for tab in app.tabs] == ["时效", "热点", "关键词", "风险点"]
    november = period_containing("month", DEMO_AS_OF)
    expected = expected_figures(demo_url, username, november)
    assert shown_figures(app) == expected
    assert expected.charts == 5  # the demo month has data for every chart
    assert translate("period.showing", start="2026-11-01", end="2026-11-30") in texts(app)


def test_the_keyword_drill_down_shows_the_texts_with_that_word(app: AppTest, demo_url: str) -> None:
    open_analytics(app, "owner_a")
    november = period_containing("month", DEMO_AS_OF)
    with data_layer(demo_url, "owner_a") as (session, viewer):
        words = top_keywords(session=session, viewer=viewer, period=november)
        chosen = words[1]  # not the default first choice
        expected = texts_with_keyword(
            session=session, viewer=viewer, period=november, word=chosen.word, limit=TEXT_LIMIT
        )
    picker = app.selectbox(key="analytics_keyword")
    assert picker.options == [
        translate("keywords.word_option", word=k.word, documents=k.documents) for k in words
    ]
    picker.set_value(chosen.word).run()
    assert not app.exception

    bold = f"**{plain(chosen.word)}**"
    shown = [m.value for m in app.markdown if bold in m.value]
    assert shown == [plain(f.text).replace(plain(chosen.word), bold) for f in expected]
    assert len(shown) == min(chosen.documents, TEXT_LIMIT) > 0
    assert translate("keywords.texts_header", word=plain(chosen.word)) in texts(app)


def test_changing_the_period_changes_the_figures_as_the_data_layer_says(
    app: AppTest, demo_url: str
) -> None:
    open_analytics(app, "committee_a")
    november = expected_figures(demo_url, "committee_a", period_containing("month", DEMO_AS_OF))
    assert shown_figures(app) == november

    app.date_input(key="analytics_date").set_value(dt.date(2026, 10, 15)).run()
    october = expected_figures(
        demo_url, "committee_a", period_containing("month", dt.date(2026, 10, 15))
    )
    assert october != november  # else this test would prove nothing
    assert shown_figures(app) == october
    assert translate("period.showing", start="2026-10-01", end="2026-10-31") in texts(app)

    app.segmented_control(key="analytics_period_kind").set_value("week").run()
    week = expected_figures(
        demo_url, "committee_a", period_containing("week", dt.date(2026, 10, 15))
    )
    assert shown_figures(app) == week
    assert not app.exception


def test_the_source_filter_chooses_the_texts(app: AppTest, demo_url: str) -> None:
    open_analytics(app, "manager_a")
    november = period_containing("month", DEMO_AS_OF)
    with data_layer(demo_url, "manager_a") as (session, viewer):
        counts = {
            source: len(
                list_feedback_texts(
                    session=session, viewer=viewer, period=november, sources=(source,)
                )
            )
            for source in KEYWORD_SOURCES
        }
    assert counts["rating"] > 0
    app.pills(key="analytics_sources").set_value(["rating"]).run()
    assert next(m.value for m in app.metric if m.label == TEXTS) == str(counts["rating"])

    app.pills(key="analytics_sources").set_value([]).run()
    assert translate("keywords.pick_source") in texts(app)
    assert not any(m.label == TEXTS for m in app.metric)
    assert not app.exception


def test_a_period_without_data_says_so_in_words(app: AppTest) -> None:
    open_analytics(app, "owner_a")
    app.date_input(key="analytics_date").set_value(dt.date(2020, 1, 1)).run()
    assert not app.exception
    shown = texts(app)
    for key in (
        "analytics.reply_empty",
        "analytics.handling_empty",
        "analytics.overdue_empty",
        "analytics.hotspot_empty",
        "keywords.empty",
        "analytics.risk_empty",
    ):
        assert translate(key) in shown
    assert len(app.get("vega_lite_chart")) == 0
    assert next(m.value for m in app.metric if m.label == REPLY_SHARE) == translate("kpi.no_data")
