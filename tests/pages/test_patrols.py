"""巡检: every role gets the page, the period changes the figures, guards are masked for owners
and the committee, and nobody sees another community's patrols. Figures are read back from the
demo database with plain SQL."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from data_access.db import make_engine
from data_access.models import (
    Account,
    Checkpoint,
    PatrolCheckin,
    PatrolRoute,
    PatrolShift,
    PhotoAttachment,
    Staff,
)
from tests.conftest import ROOT
from tests.pages.conftest import log_in, texts

PATROLS = str(ROOT / "pages" / "patrols.py")
# The demo data is seeded "as of" 2026-11-20 20:00 local: judge the shifts at that moment.
USERS = ["owner_a", "owner_b", "committee_a", "manager_a", "manager_b"]


def open_patrols(app: AppTest, username: str) -> AppTest:
    log_in(app, username)
    app.switch_page(PATROLS).run()
    assert not app.exception
    return app


def metric(app: AppTest, label: str) -> str:
    return next(m.value for m in app.metric if m.label == label)


def everything_shown(app: AppTest) -> str:
    """Text, metrics, every cell of every table, chart data and the shift choices."""
    parts = [texts(app)]
    parts += [frame.value.to_csv() for frame in app.dataframe]
    parts += [
        json.dumps(json.loads(c.proto.spec), ensure_ascii=False) for c in app.get("vega_lite_chart")
    ]
    parts += [str(c.proto.datasets) for c in app.get("vega_lite_chart")]
    parts += [" ".join(map(str, box.options)) for box in app.selectbox]
    return "\n".join(parts)


def community_of(url: str, username: str) -> int:
    with make_engine(url).connect() as conn:
        found = conn.scalar(select(Account.community_id).where(Account.username == username))
    assert found is not None
    return found


def shifts_between(url: str, community_id: int, start: dt.date, end: dt.date) -> set[int]:
    with make_engine(url).connect() as conn:
        return set(
            conn.scalars(
                select(PatrolShift.id).where(
                    PatrolShift.community_id == community_id,
                    PatrolShift.shift_date.between(start, end),
                )
            )
        )


def guard_names(url: str, community_id: int) -> set[str]:
    with make_engine(url).connect() as conn:
        return set(
            conn.scalars(
                select(Staff.name)
                .join(PatrolShift, PatrolShift.guard_id == Staff.id)
                .where(PatrolShift.community_id == community_id)
            )
        )


def checkpoint_names(url: str, community_id: int) -> set[str]:
    with make_engine(url).connect() as conn:
        return set(
            conn.scalars(
                select(Checkpoint.name)
                .join(PatrolRoute, Checkpoint.route_id == PatrolRoute.id)
                .where(PatrolRoute.community_id == community_id)
            )
        )


@pytest.mark.parametrize("username", USERS)
def test_every_role_gets_the_page(app: AppTest, demo_url: str, username: str) -> None:
    open_patrols(app, username)
    november = shifts_between(
        demo_url, community_of(demo_url, username), dt.date(2026, 11, 1), dt.date(2026, 11, 30)
    )
    assert "巡检" in app.title[0].value
    assert [m.label for m in app.metric] == ["巡检班次", "平均路径覆盖率", "漏检点位", "迟到班次"]
    assert metric(app, "巡检班次") == str(len(november))
    assert metric(app, "平均路径覆盖率").endswith("%")
    assert len(app.get("vega_lite_chart")) == 2  # the daily trend and the site plan
    plans, shifts, missed = (frame.value for frame in app.dataframe)
    assert len(plans) >= 2
    assert set(shifts["shift_id"]) == november
    assert set(missed["shift_status"]) <= {"done", "late", "missed"}
    assert app.selectbox(key="patrols_shift").value in november


def test_changing_the_period_changes_the_figures(app: AppTest, demo_url: str) -> None:
    open_patrols(app, "owner_a")
    community = community_of(demo_url, "owner_a")
    month = metric(app, "巡检班次")

    app.segmented_control(key="patrols_period_kind").set_value("day").run()
    app.date_input(key="patrols_date").set_value(dt.date(2026, 11, 10)).run()
    day = shifts_between(demo_url, community, dt.date(2026, 11, 10), dt.date(2026, 11, 10))
    assert metric(app, "巡检班次") == str(len(day)) != month
    assert set(app.dataframe[1].value["shift_id"]) == day
    assert app.dataframe[1].value["planned_start"].dt.date.unique().tolist() == [
        dt.date(2026, 11, 10)
    ]

    app.segmented_control(key="patrols_period_kind").set_value("week").run()
    week = shifts_between(demo_url, community, dt.date(2026, 11, 9), dt.date(2026, 11, 15))
    assert metric(app, "巡检班次") == str(len(week))
    assert len(day) < len(week) < int(month)

    plans = app.dataframe[0].value
    app.selectbox(key="patrols_plan").set_value(int(plans["plan_id"].iloc[0])).run()
    assert not app.exception
    one_plan = app.dataframe[1].value
    assert set(one_plan["plan"]) == {plans["plan"].iloc[0]}
    assert metric(app, "巡检班次") == str(len(one_plan)) and len(one_plan) < len(week)


def test_a_period_without_shifts_says_so(app: AppTest) -> None:
    open_patrols(app, "owner_a")
    app.segmented_control(key="patrols_period_kind").set_value("year").run()
    app.date_input(key="patrols_date").set_value(dt.date(2024, 6, 1)).run()
    assert not app.exception
    assert metric(app, "巡检班次") == "0"
    assert metric(app, "平均路径覆盖率") == "—"
    assert any("没有巡检班次" in info.value for info in app.info)
    assert app.get("vega_lite_chart") == []


@pytest.mark.parametrize("username", ["owner_a", "committee_a"])
def test_owners_and_the_committee_see_guards_masked(
    app: AppTest, demo_url: str, username: str
) -> None:
    open_patrols(app, username)
    shown = everything_shown(app)
    names = guard_names(demo_url, community_of(demo_url, username))
    assert names and not [name for name in names if name in shown]
    guards = set(app.dataframe[1].value["guard"])
    assert guards and all("*" in guard for guard in guards)


def test_the_manager_sees_guards_by_name(app: AppTest, demo_url: str) -> None:
    open_patrols(app, "manager_a")
    guards = set(app.dataframe[1].value["guard"])
    assert guards and guards <= guard_names(demo_url, community_of(demo_url, "manager_a"))


def test_owner_b_sees_only_jinxiu(app: AppTest, demo_url: str) -> None:
    open_patrols(app, "owner_b")
    jinxiu, cuihu = community_of(demo_url, "owner_b"), community_of(demo_url, "owner_a")
    shifts, missed = app.dataframe[1].value, app.dataframe[2].value
    november = (dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert set(shifts["shift_id"]) == shifts_between(demo_url, jinxiu, *november)
    assert set(missed["shift_id"]) <= shifts_between(demo_url, jinxiu, *november)
    assert set(missed["checkpoint"]) <= checkpoint_names(demo_url, jinxiu)
    shown = everything_shown(app)
    only_cuihu = checkpoint_names(demo_url, cuihu) - checkpoint_names(demo_url, jinxiu)
    assert only_cuihu and not [name for name in only_cuihu if name in shown]
    assert "翠湖花园" not in shown


def test_the_photo_of_a_check_in_is_shown(app: AppTest, demo_url: str) -> None:
    open_patrols(app, "manager_a")
    with make_engine(demo_url).connect() as conn:
        shift_id, checkpoint = conn.execute(
            select(PatrolShift.id, Checkpoint.name)
            .join(PatrolCheckin, PatrolCheckin.shift_id == PatrolShift.id)
            .join(Checkpoint, PatrolCheckin.checkpoint_id == Checkpoint.id)
            .join(PhotoAttachment, PhotoAttachment.checkin_id == PatrolCheckin.id)
            .where(PatrolShift.community_id == community_of(demo_url, "manager_a"))
            .order_by(PatrolShift.id.desc())
            .limit(1)
        ).one()
    app.selectbox(key="patrols_shift").set_value(shift_id).run()
    assert not app.exception
    captions = [caption for image in app.image for caption in image.captions]
    assert any(caption.startswith(checkpoint) for caption in captions)


def test_the_page_in_english(app: AppTest) -> None:
    open_patrols(app, "owner_a")
    app.selectbox(key="app_language").set_value("en").run()
    assert not app.exception
    assert [m.label for m in app.metric] == [
        "Patrol shifts",
        "Mean route coverage",
        "Missed checkpoints",
        "Late shifts",
    ]


@pytest.mark.parametrize(
    ("status", "walked"),
    [
        ("planned", r"实际时间:尚未开始\(计划 \d\d:\d\d–\d\d:\d\d,计划 \d+ 分钟\)"),
        ("done", r"实际时间:\d\d:\d\d–\d\d:\d\d,用时 \d+ 分钟\(计划 \d+ 分钟\)"),
    ],
)
def test_a_shift_s_time_reads_for_its_state(app: AppTest, status: str, walked: str) -> None:
    open_patrols(app, "manager_a")
    app.segmented_control(key="patrols_period_kind").set_value("day").run()
    app.date_input(key="patrols_date").set_value(dt.date(2026, 11, 20)).run()
    shifts = app.dataframe[1].value
    chosen = shifts.loc[shifts["status"] == status, "shift_id"]
    assert not chosen.empty, f"the demo has a {status} shift on the 20th"
    app.selectbox(key="patrols_shift").set_value(int(chosen.iloc[0])).run()
    facts = texts(app)
    assert re.search(walked, facts), facts
    assert "—," not in facts and "用时 —" not in facts


def test_a_running_shift_reads_as_still_walking() -> None:
    """No end time yet: "15:30 开始,仍在巡检中", never "15:30–—, 用时 — 分钟"."""
    from ui.formatting import walked_time

    at = dt.datetime(2026, 11, 20, 15, 30)
    planned = (at, at + dt.timedelta(minutes=45))
    running = walked_time(at, None, None, planned=planned, expected_minutes=45)
    assert running == "15:30 开始,仍在巡检中(计划 45 分钟)"
    done = walked_time(
        at, at + dt.timedelta(minutes=38), 38.0, planned=planned, expected_minutes=45
    )
    assert done == "15:30–16:08,用时 38 分钟(计划 45 分钟)"
