"""One home for time zones: the default zone is written once, a community's zone and a stored
moment's local date come from one helper each (data_access.timestamps, communities)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from data_access.communities import community_zone
from data_access.timestamps import DEFAULT_TIME_ZONE, local_date, zone_named
from tests.data_access import factories as f
from tests.support.sources import ROOT, check_scanned, python_files

FOLDERS = ("data_access", "ui", "pages", "seed", "simulator", "reports")


def test_a_stored_moment_falls_on_its_local_date() -> None:
    shanghai = zone_named("Asia/Shanghai")
    # 2026-11-30 16:30 UTC is 2026-12-01 00:30 in Shanghai, still 11-30 in London.
    assert local_date(dt.datetime(2026, 11, 30, 16, 30), shanghai) == dt.date(2026, 12, 1)
    assert local_date(dt.datetime(2026, 11, 30, 16, 30), zone_named("Europe/London")) == dt.date(
        2026, 11, 30
    )
    assert zone_named(None) == zone_named("") == zone_named(DEFAULT_TIME_ZONE)


def test_a_community_is_read_in_its_own_zone(session: Session) -> None:
    urumqi = f.community(session, code="URUMQI")
    urumqi.time_zone = "Asia/Urumqi"
    session.flush()
    assert community_zone(session, urumqi.id) == zone_named("Asia/Urumqi")
    assert community_zone(session, 10_000) == zone_named(DEFAULT_TIME_ZONE)  # none: the default


def test_the_default_zone_is_written_once() -> None:
    paths = [*python_files(*FOLDERS), ROOT / "manage.py", ROOT / "app.py"]
    check_scanned(paths, *FOLDERS)
    spelled = [
        path.relative_to(ROOT).as_posix()
        for path in paths
        if '"Asia/Shanghai"' in path.read_text(encoding="utf-8")
    ]
    assert spelled == ["data_access/timestamps.py"]
