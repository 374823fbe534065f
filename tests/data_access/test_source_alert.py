"""An operational system whose sync keeps failing raises an alert after 30 minutes and the
alert ends by itself at the next good run (issue 18, item 4)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access.accounts.auth import Viewer
from data_access.alerts.rules import list_alerts, run_alerts
from data_access.models import Alert, SyncLink, SyncRun
from tests.data_access import factories

T0 = dt.datetime(2026, 11, 20, 2, 0)


def _run(session: Session, status: str, minutes: int) -> None:
    at = T0 + dt.timedelta(minutes=minutes)
    session.add(SyncRun(source="hc", source_label="mysql+pymysql://r:***@hc/hc", full=False,
                        dry_run=False, started_at=at, finished_at=at, status=status,
                        report="{}", error="", error_key=""))  # fmt: skip
    session.flush()


def test_a_sync_failing_for_thirty_minutes_raises_an_alert_until_a_good_run(
    session: Session,
) -> None:
    synced = factories.community(session)
    other = factories.community(session)  # filled by hand: no alert about any sync
    session.add(SyncLink(source="hc", kind="community", external_id="702", community_id=synced.id,
                         local_id=synced.id, fingerprint="", pending="", first_seen_at=T0,
                         changed_at=T0))  # fmt: skip
    _run(session, "succeeded", 0)
    _run(session, "failed", 5)  # the streak begins here
    _run(session, "failed", 10)
    _run(session, "running", 15)  # not finished: neither good nor bad

    def active() -> list[Alert]:
        return list(session.scalars(select(Alert).where(Alert.state != "resolved")))

    run_alerts(session=session, now=T0 + dt.timedelta(minutes=34))
    assert active() == []  # 29 minutes of failures
    report = run_alerts(session=session, now=T0 + dt.timedelta(minutes=35))
    assert report.raised == 1
    (alert,) = active()
    assert (alert.community_id, alert.rule, alert.severity) == (synced.id, "source_failing", "high")
    assert alert.raised_at == T0 + dt.timedelta(minutes=5)

    committee = factories.account(session, synced, role="committee")
    viewer = Viewer(account_id=committee.id, username=committee.username, display_name="x",
                    role="committee", community_id=synced.id)  # fmt: skip
    (shown,) = list_alerts(session=session, viewer=viewer, now=T0 + dt.timedelta(minutes=40))
    assert shown.describe("zh") == (
        "来自 HC 的数据同步已连续失败 30 分钟以上,页面停留在最近一次成功同步的数据"
    )
    assert "Syncing from HC has failed for over 30 minutes" in shown.describe("en")

    _run(session, "succeeded", 45)
    report = run_alerts(session=session, now=T0 + dt.timedelta(minutes=46))
    assert report.auto_resolved == 1 and active() == []
    assert other.id not in {a.community_id for a in session.scalars(select(Alert))}
