"""工单导入 page: a manager checks then imports the shipped sample; other roles cannot open it."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from data_access.db import make_engine
from data_access.models import WorkOrder
from tests.pages.conftest import ROOT, log_in, texts

IMPORT_PAGE = str(ROOT / "pages" / "data_sources.py")
SAMPLE = ROOT / "imports" / "samples" / "legacy_cn.csv"


def imported_count(url: str) -> int:
    engine = make_engine(url)
    with engine.connect() as conn:
        count = conn.scalar(
            select(func.count()).select_from(WorkOrder).where(WorkOrder.source == "import")
        )
    engine.dispose()
    return int(count or 0)


def open_import_page(app: AppTest) -> AppTest:
    log_in(app, "manager_a")
    app.switch_page(IMPORT_PAGE).run()
    assert not app.exception
    app.file_uploader(key="import_orders_file").set_value(
        ("legacy_cn.csv", SAMPLE.read_bytes(), "text/csv")
    )
    app.selectbox(key="import_orders_mapping").set_value("legacy_cn").run()
    assert not app.exception
    return app


def metric(app: AppTest, label: str) -> str:
    return next(str(m.value) for m in app.metric if m.label == label)


def test_manager_checks_then_imports_the_sample(app: AppTest, demo_url: str) -> None:
    open_import_page(app)
    assert "工单导入" in texts(app)

    app.button(key="import_orders_check").click().run()
    assert not app.exception
    assert "检查完成,尚未导入任何数据。" in texts(app)
    assert (metric(app, "读取行数"), metric(app, "新建"), metric(app, "拒绝")) == ("20", "16", "4")
    rejected = app.dataframe[0].value
    assert rejected["line"].tolist() == [16, 17, 18, 19]
    assert rejected["reason"].tolist() == [
        "缺少创建时间(“创建时间”为空)",
        "完成时间“2025/9/13 18:00:00”早于创建时间“2025/9/14 10:00:00”",
        "“创建时间”中的时间“9月15日上午10点”无法识别",
        "工单编号与第 7 行重复",
    ]
    assert app.dataframe[1].value["reason"].tolist() == ["未知类别“管道疏通”,已归为“其他”"]
    assert imported_count(demo_url) == 0  # the check wrote nothing

    app.button(key="import_orders_run").click().run()
    assert not app.exception
    assert [s.value for s in app.success] == ["导入完成:新建 16 条,更新 0 条。"]
    assert imported_count(demo_url) == 16

    app.button(key="import_orders_run").click().run()  # again: nothing new
    assert (metric(app, "新建"), metric(app, "未变")) == ("0", "16")
    assert imported_count(demo_url) == 16


def test_a_wrong_mapping_is_explained(app: AppTest) -> None:
    open_import_page(app)
    app.selectbox(key="import_orders_mapping").set_value("us_export").run()
    app.button(key="import_orders_check").click().run()
    assert not app.exception
    assert any("文件中缺少映射文件要求的列" in e.value for e in app.error)


@pytest.mark.parametrize("username", ["owner_a", "committee_a"])
def test_other_roles_cannot_open_the_page(app: AppTest, username: str) -> None:
    log_in(app, username)
    with pytest.raises(ValueError):
        app.switch_page(IMPORT_PAGE).run()
