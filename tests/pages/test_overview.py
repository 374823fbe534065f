"""首页: what each role sees, read back against the database and `manage.py kpis --json`."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from typing import Any

import pytest
from sqlalchemy import func, select, update
from streamlit.testing.v1 import AppTest

from data_access.accounts.auth import hash_password
from data_access.dashboards.overview import PublicUpdate
from data_access.db import make_engine
from data_access.flows import OPEN_TICKET_STATUSES, derive_progress
from data_access.models import Account, Community, RectificationTicket, WorkOrder
from data_access.orders.work_orders import OpenOrder
from tests.conftest import ROOT
from tests.pages.conftest import DEMO_NOW as NOW
from tests.pages.conftest import DEMO_PASSWORD, headings, html_text, log_in, texts
from ui.text import plain
from ui.widgets.card_lists import order_cards_html, updates_html


def expected_figures(url: str, username: str) -> tuple[str, str, int, int]:
    """Community code and name, open orders, open tickets — counted straight from the tables."""
    with make_engine(url).connect() as conn:
        community_id = conn.scalar(select(Account.community_id).where(Account.username == username))
        code, name = conn.execute(
            select(Community.code, Community.name).where(Community.id == community_id)
        ).one()
        orders = conn.scalar(
            select(func.count()).where(
                WorkOrder.community_id == community_id, WorkOrder.completed_at.is_(None)
            )
        )
        tickets = conn.scalar(
            select(func.count()).where(
                RectificationTicket.community_id == community_id,
                RectificationTicket.status.in_(OPEN_TICKET_STATUSES),
            )
        )
    assert name and orders is not None and tickets is not None
    return code, name, orders, tickets


def november_kpis(url: str, code: str) -> dict[str, Any]:
    """`manage.py kpis --json` for the demo's November as of the demo's now."""
    result = subprocess.run(
        [sys.executable, "manage.py", "--database-url", url, "kpis", "--community", code,
         "--period", "2026-11", "--as-of", NOW.replace(tzinfo=dt.UTC).isoformat(), "--json"],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    figures: dict[str, Any] = json.loads(result.stdout)
    return figures


@pytest.mark.parametrize(
    "username", ["owner_a", "owner_b", "committee_a", "manager_a", "manager_b"]
)
def test_each_role_sees_its_own_community(app: AppTest, demo_url: str, username: str) -> None:
    log_in(app, username)
    assert not app.exception
    _, name, orders, tickets = expected_figures(demo_url, username)
    assert headings(app) == [plain(name)]
    headers = [s.value for s in app.subheader]
    assert f"处理中的工单 ({orders})" in headers
    assert f"进行中的整改 ({tickets})" in headers
    assert len(app.get("vega_lite_chart")) == 1  # the 12-month trend
    assert "合同期" in texts(app)


def test_kpi_cards_agree_with_the_command_line(app: AppTest, demo_url: str) -> None:
    log_in(app, "owner_a")
    code, *_ = expected_figures(demo_url, "owner_a")
    figures = november_kpis(demo_url, code)
    shown = texts(app)
    for key in ("plan_completion_rate", "actual_completion_rate", "timeliness_rate",
                "rectification_rate", "reply_timeliness_rate"):  # fmt: skip
        value = figures[key]["value"]
        assert value is not None
        assert f"{value:.1%}" in shown, key
    assert f"{figures['satisfaction']['value']:.2f} 分" in shown


def test_the_running_month_is_shown_as_running_against_the_same_days(
    app: AppTest, demo_url: str
) -> None:
    """The demo's now is 2026-11-20 12:00: November is compared with October 1–20."""
    log_in(app, "owner_a")
    code, *_ = expected_figures(demo_url, "owner_a")
    figures = november_kpis(demo_url, code)
    assert figures["running"] and figures["compared_with"] == "2026-10-01~2026-10-20"
    assert "本期服务指标 · 2026-11 · 进行中,截至 11月20日" in headings(app, 3)
    shown = texts(app)
    assert "与上月同期(10-01 至 10-20" in shown
    assert "较上月同期" in shown and "较上期" not in shown
    pending = figures["timeliness_rate"]["pending"]
    assert pending > 0 and f"{pending} 项尚未到期,未计入" in shown
    assert "空心点为本月进行中的数据(截至 2026-11-20)" in shown


def test_owners_do_not_see_the_other_community(app: AppTest, demo_url: str) -> None:
    _, other, _, _ = expected_figures(demo_url, "owner_a")
    log_in(app, "owner_b")
    assert other not in texts(app)


def test_owner_sees_their_own_home(app: AppTest) -> None:
    log_in(app, "owner_a")
    assert "我的房屋" in texts(app)


def test_language_switch_to_english(app: AppTest) -> None:
    log_in(app, "owner_a")
    app.selectbox(key="app_language").set_value("en").run()
    shown = texts(app)
    assert "On-plan completion" in shown and "Last 12 months" in shown
    assert "计划完成率" not in shown


def test_open_orders_are_cards_with_their_step_and_progress(app: AppTest, demo_url: str) -> None:
    """The order cards are one HTML element: each newest open order's title, its step in words
    and a progress bar a screen reader announces (as many bars as cards)."""
    log_in(app, "owner_a")
    with make_engine(demo_url).connect() as conn:
        community_id = conn.scalar(
            select(Account.community_id).where(Account.username == "owner_a")
        )
        newest = conn.scalars(
            select(WorkOrder.title)
            .where(WorkOrder.community_id == community_id, WorkOrder.completed_at.is_(None),
                   WorkOrder.visibility == "public")
            .order_by(WorkOrder.created_at.desc(), WorkOrder.id.desc())
            .limit(3)
        ).all()  # fmt: skip
    cards = [
        html
        for html in (str(getattr(e, "value", "")) for e in app.get("html"))
        if 'class="od-card"' in html
    ]
    assert len(cards) == 1
    assert cards[0].count('class="od-card"') == cards[0].count('role="progressbar"') == 8
    shown = texts(app)
    for title in newest:
        assert title in shown
    assert "完成时限" in shown and "已提交 0/" in shown


def test_an_owners_own_private_open_order_is_among_the_cards_and_only_theirs(
    demo_url: str,
) -> None:
    """owner_a's in-home order, made the newest open order, heads her cards (marked 我的); a
    neighbour of the same community, whose cards are the same public ones, does not see it
    (the owners with private open orders are read once per community)."""
    engine = make_engine(demo_url)
    with engine.begin() as conn:
        owner = conn.execute(
            select(Account.id, Account.community_id).where(Account.username == "owner_a")
        ).one()
        order_id, title = conn.execute(
            select(WorkOrder.id, WorkOrder.title)
            .where(WorkOrder.reporter_id == owner.id, WorkOrder.visibility == "private",
                   WorkOrder.completed_at.is_(None))
            .order_by(WorkOrder.id).limit(1)
        ).one()  # fmt: skip
        conn.execute(
            update(WorkOrder)
            .where(WorkOrder.id == order_id)
            .values(created_at=dt.datetime(2026, 11, 20, 11, 59, 59))
        )
        neighbour_id, neighbour = conn.execute(
            select(Account.id, Account.username)
            .where(Account.community_id == owner.community_id, Account.role == "owner",
                   Account.id != owner.id, Account.is_active.is_(True))
            .order_by(Account.id).limit(1)
        ).one()  # fmt: skip
        conn.execute(  # the neighbour can log in with the demo password
            update(Account)
            .where(Account.id == neighbour_id)
            .values(password_hash=hash_password(DEMO_PASSWORD, rounds=4))
        )
    engine.dispose()

    def cards(username: str) -> str:
        app = log_in(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60), username)
        assert not app.exception
        return next(
            html
            for html in (str(getattr(e, "value", "")) for e in app.get("html"))
            if 'class="od-card"' in html
        )

    mine = cards("owner_a")
    first = mine.split('class="od-card"')[1]
    assert title in first and "我的" in first
    assert title not in cards(neighbour)


def test_typed_titles_and_notes_are_shown_as_typed_never_as_markup() -> None:
    """Titles and notes are people's words: markup in them is text, not HTML."""
    typed = '<img src=x onerror="alert(1)"> **粗体** & <b>'
    order = OpenOrder(
        order_id=1, code="WO-1", order_type="repair", category="plumbing", title=typed,
        location="1栋<script>", created_at=NOW - dt.timedelta(hours=2),
        resolve_due_at=NOW - dt.timedelta(hours=1),
        progress=derive_progress("repair", ["submitted", "accepted"]), is_mine=True,
        is_private=False,
    )  # fmt: skip
    update = PublicUpdate(occurred_at=NOW, subject="order", title=typed, state="accepted",
                          actor="王<i>", note="第一段 <b>\n\n第二段")  # fmt: skip
    for body in (order_cards_html([order], NOW), updates_html([update], {})):
        assert "<img" not in body and "<script" not in body and "<b>" not in body
        assert "<i>" not in body
        assert html_text(body).count(typed) == 1
    assert 'class="od-overdue"' in order_cards_html([order], NOW)  # due an hour ago: red
    assert "第一段 &lt;b&gt;</p><p" in updates_html([update], {})  # its paragraphs kept
