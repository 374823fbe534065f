"""数据来源 for a manager whose community is not read from an operational system: it says so,
and shows whether the background worker runs (issue 18, item 4)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from data_access.db import make_engine, make_session_factory
from tests.pages.conftest import DEMO_NOW, ROOT, log_in, texts
from ui.loaders import sources
from worker.jobs import standard_jobs
from worker.runner import Worker

PAGE = str(ROOT / "pages" / "data_sources.py")


def test_an_unsynced_community_and_the_background_jobs(app: AppTest, demo_url: str) -> None:
    log_in(app, "manager_a")
    app.switch_page(PAGE).run()
    assert not app.exception
    shown = texts(app)
    assert "本小区的数据未接入运营系统" in shown
    assert "后台任务尚未运行过:请确认 manage.py worker 已启动" in shown
    assert not [b for b in app.button if b.key == "sources_sync_now"]  # nothing to sync

    Worker(make_session_factory(make_engine(demo_url)), standard_jobs([]),
           clock=lambda: DEMO_NOW).tick()  # fmt: skip
    sources.data_sources.clear()  # read every 10 s; the test does not wait
    app.run()
    jobs = next(d.value for d in app.dataframe if "任务" in d.value.columns)
    assert set(jobs.iloc[:, 0]) == {"整改单超时自动关闭", "预警规则", "入户照片到期清理"}
    assert set(jobs.iloc[:, 2]) == {"成功"}
    assert "后台任务尚未运行过" not in texts(app)
    assert "工单导入" in texts(app)  # the import stays on the page, below
