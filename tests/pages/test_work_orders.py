"""工单进度, 工单详情, 服务记录 through AppTest on the demo data, checked against the tables."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import func, select, update
from streamlit.testing.v1 import AppTest

from data_access.db import make_engine
from data_access.models import Account, WorkOrder
from tests.conftest import ROOT
from tests.pages.conftest import log_in, texts
from ui.loaders import orders as orders_loaders

BOARD, DETAIL, HISTORY = (
    str(ROOT / "pages" / name) for name in ("work_orders.py", "order_detail.py", "history.py")
)


def open_orders_of(url: str, username: str, *, private_of_others: bool = False) -> dict[int, str]:
    """{id: title} of open orders — the user's own, or other owners' private ones."""
    with make_engine(url).connect() as conn:
        account_id, community_id = conn.execute(
            select(Account.id, Account.community_id).where(Account.username == username)
        ).one()
        query = select(WorkOrder.id, WorkOrder.title).where(
            WorkOrder.community_id == community_id, WorkOrder.completed_at.is_(None)
        )
        if private_of_others:
            query = query.where(
                WorkOrder.visibility == "private", WorkOrder.reporter_id != account_id
            )
        else:
            query = query.where(WorkOrder.reporter_id == account_id)
        return dict(conn.execute(query).all())


def board_titles(app: AppTest) -> list[str]:
    return [
        m.value.split("**")[1]
        for m in app.markdown
        if m.value.startswith("**") and "](" not in m.value
    ]


def test_owner_board_shows_exactly_their_open_orders(app: AppTest, demo_url: str) -> None:
    log_in(app, "owner_a")
    app.switch_page(BOARD).run()
    assert not app.exception
    mine = open_orders_of(demo_url, "owner_a")
    assert mine
    assert sorted(board_titles(app)) == sorted(mine.values())
    assert "有新进展" in texts(app)  # the seed's updates were never looked at


def test_community_board_never_shows_other_owners_private_orders(
    app: AppTest, demo_url: str
) -> None:
    log_in(app, "owner_a")
    app.switch_page(BOARD).run()
    app.segmented_control(key="orders_scope").set_value("community").run()
    shown = set(board_titles(app))
    assert len(shown) > len(open_orders_of(demo_url, "owner_a"))
    others_private = set(open_orders_of(demo_url, "owner_a", private_of_others=True).values())
    assert others_private and not shown & others_private


def set_open_orders_of(url: str, username: str, **values: object) -> None:
    """Change the user's open orders in the test's database copy (``values``: their columns)."""
    with make_engine(url).begin() as conn:
        account_id = conn.execute(
            select(Account.id).where(Account.username == username)
        ).scalar_one()
        conn.execute(
            update(WorkOrder)
            .where(WorkOrder.reporter_id == account_id, WorkOrder.completed_at.is_(None))
            .values(**values)
        )


def test_an_owners_own_public_order_is_theirs_on_the_board(app: AppTest, demo_url: str) -> None:
    """An owner whose open orders are all public still has them on "my orders", as written and
    marked theirs: who has open orders is read once per community, public ones included."""
    mine = open_orders_of(demo_url, "owner_a")
    set_open_orders_of(demo_url, "owner_a", visibility="public")
    log_in(app, "owner_a")
    app.switch_page(BOARD).run()
    assert sorted(board_titles(app)) == sorted(mine.values())
    assert "我的" in texts(app)


def test_an_owner_without_open_orders_reads_none_of_their_own(
    app: AppTest, demo_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Most owners have no open order: their board is the community's, and nothing of their
    own is read for it (one read per visit spared, issue 25)."""
    set_open_orders_of(demo_url, "owner_a", completed_at=dt.datetime(2026, 11, 20, 11, 0))
    own_reads: list[int] = []
    real_own_board = orders_loaders.own_board

    def counted(**kwargs: Any) -> Any:
        own_reads.append(kwargs["viewer"].account_id)
        return real_own_board(**kwargs)

    monkeypatch.setattr(orders_loaders, "own_board", counted)
    log_in(app, "owner_a")
    app.switch_page(BOARD).run()
    assert board_titles(app) == []
    assert "您目前没有处理中的工单" in texts(app)
    app.segmented_control(key="orders_scope").set_value("community").run()
    assert board_titles(app)  # the community's public orders
    assert "我的" not in texts(app)
    assert own_reads == []


def complaint_cards(app: AppTest) -> list[str]:
    """The small print (code · type · category · place) of each card of a complaint: the
    second paragraph of the card's Markdown."""
    small_print = (m.value.split("\n\n", 1)[1] for m in app.markdown if "\n\n" in m.value)
    return [text for text in small_print if text.count(" · ") >= 2 and "投诉" in text]


def set_filters_open(app: AppTest, open_: bool) -> None:
    app.session_state["orders_filters"] = open_  # what a click on the panel's header sets
    app.run()


def test_type_filter_stays_on_when_its_panel_is_closed(app: AppTest) -> None:
    log_in(app, "manager_a")
    app.switch_page(BOARD).run()
    everything = len(board_titles(app))
    with pytest.raises(KeyError):  # closed: the boxes are not drawn
        app.selectbox(key="orders_type")
    set_filters_open(app, True)
    app.selectbox(key="orders_type").set_value("complaint").run()
    filtered = len(board_titles(app))
    assert 0 < filtered < everything and len(complaint_cards(app)) == filtered
    set_filters_open(app, False)
    with pytest.raises(KeyError):
        app.selectbox(key="orders_type")
    assert len(board_titles(app)) == filtered == len(complaint_cards(app))
    assert any("已按 1 项筛选" in m.value for m in app.markdown)
    set_filters_open(app, True)  # opened again: the box shows what is chosen
    assert app.selectbox(key="orders_type").value == "complaint"
    app.selectbox(key="orders_type").set_value(None).run()  # 全部
    assert app.selectbox(key="orders_type").value is None
    assert len(board_titles(app)) == everything
    assert not any("项筛选" in m.value for m in app.markdown)


def test_detail_clears_the_unread_marker(app: AppTest, demo_url: str) -> None:
    log_in(app, "owner_a")
    order_id, title = next(iter(open_orders_of(demo_url, "owner_a").items()))
    app.switch_page(DETAIL)
    app.query_params["id"] = str(order_id)
    app.run()
    assert not app.exception and app.title[0].value == title
    assert "处理过程" in texts(app)
    app.switch_page(BOARD).run()
    card = next(m.value for m in app.markdown if m.value.startswith(f"**{title}**"))
    assert "有新进展" not in card


@pytest.mark.parametrize("target", ["private_of_others", "missing", "garbage"])
def test_detail_refuses_what_the_owner_may_not_see(
    app: AppTest, demo_url: str, target: str
) -> None:
    log_in(app, "owner_a")
    order_id = {
        "private_of_others": str(
            next(iter(open_orders_of(demo_url, "owner_a", private_of_others=True)))
        ),
        "missing": "99999999",
        "garbage": "1;DROP TABLE work_orders",
    }[target]
    app.switch_page(DETAIL)
    app.query_params["id"] = order_id
    app.run()
    assert not app.exception
    assert app.error[0].value in ("没有找到这张工单,或您无权查看。", "链接中的工单编号无效。")
    assert not app.title or app.title[0].value == ""


def test_history_period_and_search(app: AppTest, demo_url: str) -> None:
    log_in(app, "committee_a")
    app.switch_page(HISTORY).run()
    assert not app.exception
    month = int(next(m.value for m in app.metric if m.label == "工单数"))
    app.segmented_control(key="history_period_kind").set_value("year").run()
    year = int(next(m.value for m in app.metric if m.label == "工单数"))
    with make_engine(demo_url).connect() as conn:
        community_id = conn.scalar(
            select(Account.community_id).where(Account.username == "committee_a")
        )
        start = dt.datetime(2025, 12, 31, 16)  # 2026-01-01 00:00 Shanghai
        expected = conn.scalar(
            select(func.count()).where(WorkOrder.community_id == community_id, WorkOrder.visibility == "public",
                                       WorkOrder.created_at >= start, WorkOrder.created_at < dt.datetime(2026, 12, 31, 16))
        )  # fmt: skip
    assert year == expected and 0 < month < year
    app.text_input(key="history_search").input("电梯").run()
    found = int(next(m.value for m in app.metric if m.label == "工单数"))
    assert 0 < found < year
    assert {b.label for b in app.download_button} == {"导出 CSV", "导出 Excel"}


def test_history_reports_handling_of_imported_orders(app: AppTest, demo_url: str) -> None:
    """The shipped GBK sample (September 2025, before the demo's history) imported into CUIHU:
    13 closed orders, median 13.5 h, 8/13 within 24 h, 11/13 within 72 h (tests/test_manage.py
    computes the same by hand for `manage.py kpis`)."""
    from data_access.communities import community_id_by_code
    from data_access.db import make_session_factory, write_session
    from data_access.imports.order_import import import_orders, load_mapping

    sample = ROOT / "imports" / "samples" / "legacy_cn.csv"
    with write_session(make_session_factory(make_engine(demo_url))) as session:
        report = import_orders(
            session=session, community_id=community_id_by_code(session=session, code="CUIHU"),
            data=sample.read_bytes(), mapping=load_mapping("legacy_cn"), file_name=sample.name,
            dry_run=False,
        )  # fmt: skip
    assert report.created > 0 and report.rejected
    log_in(app, "committee_a")
    app.switch_page(HISTORY).run()
    app.date_input(key="history_date").set_value(dt.date(2025, 9, 15)).run()
    shown = {m.label: m.value for m in app.metric}
    assert (shown["已完成"], shown["处理时长中位数"]) == ("13", "13.5 小时")
    assert (shown["24 小时内完成"], shown["72 小时内完成"]) == (f"{8 / 13:.1%}", f"{11 / 13:.1%}")
