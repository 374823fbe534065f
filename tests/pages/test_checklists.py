"""品质检查清单 through AppTest on the demo data: who gets the page, analysing, the list against
the data layer, evidence, adopting into the service plan, dismissing."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update
from streamlit.testing.v1 import AppTest

from data_access.accounts.auth import Viewer, load_viewer
from data_access.analytics.checklists import ChecklistView, checklist_evidence, list_checklist
from data_access.db import make_engine, make_session_factory
from data_access.models import ChecklistItem, Community, PlanTask, ServiceContract, ServiceItem
from tests.conftest import ROOT
from tests.pages.conftest import log_in, show_running_period, texts
from ui.text import plain

CHECKLISTS = str(ROOT / "pages" / "checklists.py")
PLANS = str(ROOT / "pages" / "plans.py")


def viewer_of(url: str, username: str) -> Viewer:
    with make_session_factory(make_engine(url))() as session:
        viewer = load_viewer(session=session, username=username)
    assert viewer is not None
    return viewer


def listed(url: str, username: str, status: str | None = None) -> list[ChecklistView]:
    with make_session_factory(make_engine(url))() as session:
        return list_checklist(session=session, viewer=viewer_of(url, username), status=status)


def open_checklists(app: AppTest, username: str) -> AppTest:
    log_in(app, username)
    app.switch_page(CHECKLISTS).run()
    assert not app.exception
    return app


def analyse(app: AppTest) -> AppTest:
    app.button(key="checklists_analyse").click().run()
    assert not app.exception
    return app


def open_item(app: AppTest, item_id: int) -> AppTest:
    """Opening an expander reruns the page with its state set (on_change="rerun")."""
    app.session_state[f"checklists_item_{item_id}"] = True
    app.run()
    assert not app.exception
    return app


def table_titles(app: AppTest) -> list[str]:
    return list(app.dataframe[0].value["title"])


def test_owners_do_not_get_the_page(app: AppTest) -> None:
    log_in(app, "owner_a")
    paths = {info.get("url_pathname") for info in app._registered_pages.values()}
    assert "quality-checklists" not in paths
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        app.switch_page(CHECKLISTS)


def test_before_any_analysis_the_page_says_so(app: AppTest) -> None:
    open_checklists(app, "committee_a")
    assert "检查清单还是空的,物业经理分析" in texts(app)
    assert not [b for b in app.button if b.key == "checklists_analyse"]  # committee: no button


def test_a_manager_analyses_and_sees_the_data_layers_list(app: AppTest, demo_url: str) -> None:
    open_checklists(app, "manager_a")
    assert "点击“重新分析”" in texts(app)
    analyse(app)

    expected = listed(demo_url, "manager_a")
    assert expected
    assert any(
        "分析完成" in s.value and f"{len(expected)} 个检查项" in s.value for s in app.success
    )
    assert table_titles(app) == [item.title for item in expected]
    assert [e.label.split(" · ")[0] for e in app.expander] == [plain(i.title) for i in expected]
    assert all(item.status == "proposed" for item in expected)
    # the analysis ran across communities: some patterns recur in several of them
    assert max(item.community_count for item in expected) > 1


def test_evidence_shows_own_community_texts_and_other_counts(app: AppTest, demo_url: str) -> None:
    open_checklists(app, "manager_a")
    analyse(app)
    first = listed(demo_url, "manager_a")[0]
    with make_session_factory(make_engine(demo_url))() as session:
        evidence = checklist_evidence(
            session=session, viewer=viewer_of(demo_url, "manager_a"), item_id=first.item_id
        )
    assert "本小区的证据" not in texts(app)  # closed expanders read nothing
    open_item(app, first.item_id)
    shown = texts(app)
    assert (
        f"本小区 {evidence.own_count} 起;其他 {evidence.other_communities} 个小区共 "
        f"{evidence.other_count} 起" in shown
    )
    assert evidence.examples and all(plain(e.title) in shown for e in evidence.examples)


def test_committee_reads_the_list_but_cannot_decide(app: AppTest, demo_url: str) -> None:
    open_checklists(app, "manager_a")
    analyse(app)
    first = listed(demo_url, "committee_a")[0]

    committee = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    open_checklists(committee, "committee_a")
    assert table_titles(committee) == [i.title for i in listed(demo_url, "committee_a")]
    open_item(committee, first.item_id)
    assert "本小区的证据" in texts(committee)
    keys = {b.key for b in committee.button}
    assert not keys & {"checklists_analyse", f"checklists_{first.item_id}_adopt"}


def test_a_manager_adopts_an_item_and_the_plan_shows_it(app: AppTest, demo_url: str) -> None:
    open_checklists(app, "manager_a")
    analyse(app)
    item = listed(demo_url, "manager_a")[0]
    open_item(app, item.item_id)
    app.selectbox(key=f"checklists_{item.item_id}_weekday").set_value(3).run()
    app.button(key=f"checklists_{item.item_id}_adopt").click().run()
    assert not app.exception

    code = f"QC{item.item_id:04d}"
    assert any(f"巡检项目 {code} 已加入服务计划,生成 4 个计划任务" in s.value for s in app.success)
    assert f"本小区已采纳:巡检项目 {code}" in texts(app)
    assert app.get("page_link")  # to 服务计划
    with make_session_factory(make_engine(demo_url))() as session:
        rows = session.execute(
            select(Community.code, ServiceItem.weekdays, ServiceItem.id)
            .join(ServiceContract, ServiceItem.contract_id == ServiceContract.id)
            .join(Community, ServiceContract.community_id == Community.id)
            .where(ServiceItem.code == code)
        ).all()
        assert [(c, w) for c, w, _ in rows] == [("CUIHU", "3")]  # the manager's community only
        tasks = session.scalars(select(PlanTask.due_date).where(PlanTask.item_id == rows[0][2]))
        assert {day.isoweekday() for day in tasks} == {3}
        assert session.get_one(ChecklistItem, item.item_id).status == "adopted"
    assert listed(demo_url, "manager_a", "adopted")[0].adopted_here

    app.switch_page(PLANS).run()
    assert not app.exception
    show_running_period(app, "plans")  # the new tasks start from now
    options = app.selectbox(key="plans_item").options
    assert any(option.startswith(f"{item.title} · ") for option in options)


def test_a_manager_dismisses_an_item(app: AppTest, demo_url: str) -> None:
    open_checklists(app, "manager_a")
    analyse(app)
    item = listed(demo_url, "manager_a")[1]
    open_item(app, item.item_id)
    app.button(key=f"checklists_{item.item_id}_dismiss").click().run()
    assert not app.exception
    assert any("已标记为不采纳" in s.value for s in app.success)

    app.segmented_control(key="checklists_status").set_value("dismissed").run()
    assert table_titles(app) == [item.title]
    app.segmented_control(key="checklists_status").set_value("adopted").run()
    assert "没有该状态的检查项" in texts(app)


def test_a_stale_click_shows_the_refusal(app: AppTest, demo_url: str) -> None:
    open_checklists(app, "manager_a")
    analyse(app)
    item = listed(demo_url, "manager_a")[0]
    open_item(app, item.item_id)
    engine = make_engine(demo_url)
    with engine.begin() as conn:  # someone else decided meanwhile
        conn.execute(
            update(ChecklistItem)
            .where(ChecklistItem.id == item.item_id)
            .values(status="dismissed", version=item.version + 1)
        )
    app.button(key=f"checklists_{item.item_id}_adopt").click().run()
    assert not app.exception
    assert any("刚被其他人处理过" in e.value for e in app.error)
