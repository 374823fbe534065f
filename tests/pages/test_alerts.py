"""预警 through AppTest on the demo data: the alerts the engine raised at the demo's moment, as
the data layer lists them; managers acknowledge and resolve, the committee only reads."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from data_access.accounts.auth import Viewer, load_viewer
from data_access.alerts import rules as alerts
from data_access.db import make_engine, make_session_factory, write_session
from data_access.models import Alert, Community
from tests.conftest import ROOT
from tests.pages.conftest import DEMO_NOW, log_in, texts
from ui.text import plain
from worker.jobs import standard_jobs
from worker.runner import Worker

ALERTS_PAGE = str(ROOT / "pages" / "alerts.py")
SHOWN_MAX = 20  # pages/alerts.py PAGE_SIZE: the first page of cards


@pytest.fixture
def raised(demo_url: str) -> alerts.RunReport:
    """The engine run over the demo copy at the demo's moment (as the app's schedule would)."""
    with write_session(make_session_factory(make_engine(demo_url))) as session:
        return alerts.run_alerts(session=session, now=DEMO_NOW)


def viewer_of(url: str, username: str) -> Viewer:
    with make_session_factory(make_engine(url))() as session:
        viewer = load_viewer(session=session, username=username)
    assert viewer is not None
    return viewer


def listed(url: str, username: str = "manager_a", **filters: Any) -> list[alerts.AlertView]:
    viewer = viewer_of(url, username)
    with make_session_factory(make_engine(url))() as session:
        return alerts.list_alerts(session=session, viewer=viewer, now=DEMO_NOW, **filters)


def stored(url: str, alert_id: int) -> Alert:
    with make_session_factory(make_engine(url))() as session:
        return session.get_one(Alert, alert_id)


def causes_shown(app: AppTest) -> list[str]:
    """The cause line of each card: the markdown right after a card's badge header."""
    values = [m.value for m in app.markdown]
    return [values[i + 1] for i, v in enumerate(values) if v.startswith(":") and "-badge[" in v]


def causes_of(views: list[alerts.AlertView]) -> list[str]:
    return [plain(v.describe("zh")) for v in views[:SHOWN_MAX]]


def move_buttons(app: AppTest) -> list[str]:
    return [
        b.key
        for b in app.button
        if b.key and b.key.startswith("alerts_") and b.key.endswith(("_acknowledge", "_resolve"))
    ]


def open_alerts(app: AppTest, username: str = "manager_a") -> AppTest:
    log_in(app, username)
    app.switch_page(ALERTS_PAGE).run()
    assert not app.exception
    return app


@pytest.mark.parametrize("username", ["owner_a", "owner_b"])
def test_owners_do_not_get_the_page(app: AppTest, username: str) -> None:
    log_in(app, username)
    assert not app.exception
    paths = {info.get("url_pathname") for info in app._registered_pages.values()}
    assert "my-updates" in paths and "early-warnings" not in paths
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        app.switch_page(ALERTS_PAGE)


def test_a_manager_sees_the_raised_alerts_by_severity(
    app: AppTest, demo_url: str, raised: alerts.RunReport
) -> None:
    assert raised.raised > 0
    open_alerts(app)
    expected = listed(demo_url)
    assert expected and {v.state for v in expected} == {"open"}
    assert causes_shown(app) == causes_of(expected)
    severities = [v.severity for v in expected]
    assert severities == sorted(severities, key=["high", "medium", "low"].index)
    assert f"共 {len(expected)} 条" in texts(app)
    metrics = {m.label: str(m.value) for m in app.metric}
    for severity, label in (("high", "高"), ("medium", "中"), ("low", "低")):
        assert metrics[f"预警({label})"] == str(sum(v.severity == severity for v in expected))
    assert metrics["已确认处理中"] == "0"
    # Every card leads to its ticket, order or patrol records.
    links = [link.proto.label for link in app.get("page_link")]
    shown = expected[:SHOWN_MAX]
    assert links.count("查看整改单") == sum(v.ticket_id is not None for v in shown)
    assert len(links) >= sum(
        v.ticket_id is not None or v.work_order_id is not None or v.shift_id is not None
        for v in shown
    )
    assert len(move_buttons(app)) == 2 * len(shown)  # acknowledge and resolve on open alerts


def test_show_more_adds_the_next_cards(
    app: AppTest, demo_url: str, raised: alerts.RunReport
) -> None:
    expected = listed(demo_url)
    assert len(expected) >= 3
    log_in(app, "manager_a")
    app.session_state["alerts_shown"] = 2  # as if the page size were 2
    app.switch_page(ALERTS_PAGE).run()
    assert causes_shown(app) == [plain(v.describe("zh")) for v in expected[:2]]
    assert "已显示前 2 条" in texts(app)
    app.button(key="alerts_more").click().run()
    assert causes_shown(app) == [plain(v.describe("zh")) for v in expected[:22]]
    assert ("alerts_more" in [b.key for b in app.button]) == (len(expected) > 22)


def test_another_communitys_manager_sees_their_own(
    app: AppTest, demo_url: str, raised: alerts.RunReport
) -> None:
    open_alerts(app, "manager_b")
    theirs, ours = listed(demo_url, "manager_b"), listed(demo_url, "manager_a")
    assert theirs and causes_shown(app) == causes_of(theirs)
    assert {v.alert_id for v in theirs}.isdisjoint(v.alert_id for v in ours)


def test_a_manager_acknowledges_an_alert(
    app: AppTest, demo_url: str, raised: alerts.RunReport
) -> None:
    open_alerts(app)
    first = listed(demo_url)[0]
    app.button(key=f"alerts_{first.alert_id}_acknowledge").click().run()
    assert not app.exception
    assert "预警已确认。" in texts(app)
    alert = stored(demo_url, first.alert_id)
    manager = viewer_of(demo_url, "manager_a")
    assert (alert.state, alert.acknowledged_by_id, alert.acknowledged_at, alert.version) == (
        "acknowledged", manager.account_id, DEMO_NOW, first.version + 1,
    )  # fmt: skip
    assert f"alerts_{first.alert_id}_acknowledge" not in move_buttons(app)
    assert f"alerts_{first.alert_id}_resolve" in move_buttons(app)
    assert {m.label: str(m.value) for m in app.metric}["已确认处理中"] == "1"


def test_a_manager_resolves_an_alert_with_a_note(
    app: AppTest, demo_url: str, raised: alerts.RunReport
) -> None:
    open_alerts(app)
    before = listed(demo_url)
    target = before[1]
    app.text_input(key=f"alerts_{target.alert_id}_note").input("已电话联系业主并安排维修")
    app.button(key=f"alerts_{target.alert_id}_resolve").click().run()
    assert not app.exception
    assert "预警已标记为已解决。" in texts(app)
    alert = stored(demo_url, target.alert_id)
    assert (alert.state, alert.resolved_at, alert.auto_resolved) == ("resolved", DEMO_NOW, False)
    assert causes_shown(app) == causes_of([v for v in before if v.alert_id != target.alert_id])
    app.selectbox(key="alerts_state").set_value("resolved").run()
    assert causes_shown(app) == causes_of([target])
    assert "处理说明:已电话联系业主并安排维修" in texts(app)


def test_a_colleagues_move_meanwhile_is_said(
    app: AppTest, demo_url: str, raised: alerts.RunReport
) -> None:
    open_alerts(app)
    first = listed(demo_url)[0]
    with write_session(make_session_factory(make_engine(demo_url))) as session:
        alerts.acknowledge_alert(
            session=session, viewer=viewer_of(demo_url, "manager_a"), alert_id=first.alert_id,
            now=DEMO_NOW, expected_version=first.version,
        )  # fmt: skip
    app.button(key=f"alerts_{first.alert_id}_resolve").click().run()
    assert not app.exception
    assert "该预警刚被他人处理,请查看最新状态。" in [e.value for e in app.error]
    assert stored(demo_url, first.alert_id).state == "acknowledged"


def test_the_committee_reads_without_buttons(
    app: AppTest, demo_url: str, raised: alerts.RunReport
) -> None:
    open_alerts(app, "committee_a")
    expected = listed(demo_url, "committee_a")
    assert expected and causes_shown(app) == causes_of(expected)
    assert move_buttons(app) == []
    assert not any(
        (w.key or "").startswith("alerts_") and (w.key or "").endswith("_note")
        for w in app.text_input
    )


FILTERS = [
    pytest.param("alerts_severity", "high", {"severity": "high"}, id="severity"),
    pytest.param("alerts_rule", "hotspot", {"rule": "hotspot"}, id="rule"),
    pytest.param("alerts_rule", "missed_checkpoints", {"rule": "missed_checkpoints"}, id="patrol"),
]


@pytest.mark.parametrize(("key", "value", "filters"), FILTERS)
def test_filters_narrow_the_list(
    app: AppTest,
    demo_url: str,
    raised: alerts.RunReport,
    key: str,
    value: str,
    filters: dict[str, Any],
) -> None:
    open_alerts(app)
    app.selectbox(key=key).set_value(value).run()
    assert not app.exception
    expected = listed(demo_url, **filters)
    assert expected and len(expected) < len(listed(demo_url))
    assert causes_shown(app) == causes_of(expected)


def test_a_state_without_alerts_says_so(
    app: AppTest, demo_url: str, raised: alerts.RunReport
) -> None:
    open_alerts(app)
    app.selectbox(key="alerts_state").set_value("acknowledged").run()
    assert causes_shown(app) == []
    assert "没有符合条件的预警。" in [i.value for i in app.info]


def test_the_trend_chart_shows_the_weeks_with_alerts(
    app: AppTest, demo_url: str, raised: alerts.RunReport
) -> None:
    open_alerts(app)
    viewer = viewer_of(demo_url, "manager_a")
    with make_session_factory(make_engine(demo_url))() as session:
        trend = alerts.alert_trend(session=session, viewer=viewer, now=DEMO_NOW)
    assert not trend.empty
    assert "近 12 周每周新发预警数(按问题出现的时间),按规则分色。" in texts(app)
    [chart] = app.get("vega_lite_chart")
    data = str(chart.proto.datasets)
    assert all(week in data for week in trend["week"].unique())
    assert all(rule in data for rule in trend["rule"].unique())


def test_the_worker_runs_the_rules_by_itself(app: AppTest, demo_url: str) -> None:
    """No page view needed: the worker's round brings the alerts in step, and the page shows
    them."""
    factory = make_session_factory(make_engine(demo_url))
    with factory() as session:
        assert session.scalars(select(Alert.id)).first() is None
        communities = session.scalars(select(Community.id)).all()
        causes = {
            (cause.rule, cause.cause_key)
            for community_id in communities
            for cause in alerts.find_causes(
                session=session, community_id=community_id, now=DEMO_NOW
            )
        }
    log_in(app, "owner_a")  # a page run raises nothing any more
    with factory() as session:
        assert session.scalars(select(Alert.id)).first() is None
    assert Worker(factory, standard_jobs([]), clock=lambda: DEMO_NOW).tick()[:2] == [
        "tickets",
        "alerts",
    ]
    with factory() as session:
        raised = {(rule, key) for rule, key in session.execute(select(Alert.rule, Alert.cause_key))}
        assert session.scalars(select(Alert.last_checked_at).distinct()).all() == [DEMO_NOW]
    assert causes and raised == causes
