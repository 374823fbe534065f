"""公告 (issue 23, item 1): who publishes, who reads what, read receipts counted by hand, a
withdrawn notice kept with its reason, files bounded, and an urgent notice queued as messages in
its own transaction."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from data_access.accounts.auth import Viewer
from data_access.dashboards.overview import own_units
from data_access.db import write_session
from data_access.errors import DomainError, NotAllowed
from data_access.governance.announcements import (
    NewAnnouncement,
    announcements_for,
    community_current_notices,
    mark_read,
    notices_for_viewer,
    pdf_path,
    publish_announcement,
    read_receipts,
    unread_count,
    withdraw_announcement,
)
from data_access.media.photos import attach_photo
from data_access.media.retention import purge_private_photos
from data_access.models import Account, Community, Photo
from data_access.notifications.badges import (
    ANNOUNCEMENTS,
    TO_RATE,
    TO_VOTE,
    UNREAD,
    badge_counts,
)
from data_access.notifications.notifications import mark_notifications_seen
from tests.data_access import factories as f
from tests.outbox.support import configure, outbox_rows

NOW = dt.datetime(2026, 11, 20, 2, 0)
H = dt.timedelta(hours=1)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclasses.dataclass
class People:
    manager: Viewer
    committee: Viewer
    in_one: Viewer  # owns 1栋 101
    neighbour: Viewer  # owns 1栋 102
    in_two: Viewer  # owns 2栋 101
    other_manager: Viewer
    building_one: int
    building_two: int


def make_people(session: Session) -> People:
    home, elsewhere = f.community(session), f.community(session)
    one, two = f.building(session, home, "1栋"), f.building(session, home, "2栋")
    # 1栋: three homes (101 owned by in_one, 102 by a neighbour, 103 nobody has opened);
    # 2栋: one home (in_two's).
    u101, u102 = f.unit(session, one, room="101"), f.unit(session, one, room="102")
    f.unit(session, one, room="103")
    u201 = f.unit(session, two, room="101")
    in_one = f.account(session, home, "owner", units=(u101,))
    neighbour = f.account(session, home, "owner", units=(u102,))
    in_two = f.account(session, home, "owner", units=(u201,))
    committee = f.account(session, home, "committee", units=(u102,))  # a co-owner of 102
    return People(
        manager=f.viewer_of(f.account(session, home, "manager")),
        committee=dataclasses.replace(f.viewer_of(committee), unit_ids=(u102.id,)),
        in_one=dataclasses.replace(f.viewer_of(in_one), unit_ids=(u101.id,)),
        in_two=dataclasses.replace(f.viewer_of(in_two), unit_ids=(u201.id,)),
        neighbour=dataclasses.replace(f.viewer_of(neighbour), unit_ids=(u102.id,)),
        other_manager=f.viewer_of(f.account(session, elsewhere, "manager")),
        building_one=one.id,
        building_two=two.id,
    )


@pytest.fixture
def people(session: Session) -> People:
    return make_people(session)


def notice(**changes: object) -> NewAnnouncement:
    draft = NewAnnouncement(kind="outage", title="1栋停水", body="明天 9:00–15:00 停水。",
                            starts_at=NOW - H, ends_at=NOW + 24 * H)  # fmt: skip
    return dataclasses.replace(draft, **changes)  # type: ignore[arg-type]


def publish(session: Session, viewer: Viewer, tmp_path: Path, **changes: object) -> int:
    return publish_announcement(session=session, viewer=viewer, draft=notice(**changes), now=NOW,
                                media_dir=tmp_path)  # fmt: skip


def titles(session: Session, viewer: Viewer, now: dt.datetime = NOW) -> list[str]:
    return [n.title for n in announcements_for(session=session, viewer=viewer, now=now)]


def test_a_notice_for_a_building_reaches_its_owners_only(
    session: Session, people: People, tmp_path: Path
) -> None:
    publish(session, people.manager, tmp_path, building_ids=(people.building_one,))
    publish(session, people.committee, tmp_path, kind="meeting", title="业主座谈会", pinned=True)
    assert titles(session, people.in_one) == ["业主座谈会", "1栋停水"]  # pinned first
    assert titles(session, people.in_two) == ["业主座谈会"]
    assert titles(session, people.other_manager) == []
    issuers = {
        n.title: n.issuer
        for n in announcements_for(session=session, viewer=people.manager, now=NOW)
    }
    assert issuers == {"1栋停水": "company", "业主座谈会": "committee"}


def test_the_overviews_notices_read_once_per_community_are_each_viewers_own(
    session: Session, people: People, tmp_path: Path
) -> None:
    """The Overview reads the community's notices in force once and picks each viewer's by their
    buildings: by hand, 1栋's owners get the pinned meeting and 1栋's outage, 2栋's the meeting
    and 2栋's urgent outage, the committee and the manager all three (pinned, urgent, newest);
    nobody the withdrawn or the future one. Each list is what announcements_for gives."""
    publish(session, people.manager, tmp_path, building_ids=(people.building_one,))
    publish(session, people.committee, tmp_path, kind="meeting", title="业主座谈会", pinned=True)
    publish(session, people.manager, tmp_path, title="2栋停电", urgent=True,
            building_ids=(people.building_two,))  # fmt: skip
    publish(session, people.manager, tmp_path, title="下周消杀", starts_at=NOW + 2 * H)
    wrong = publish(session, people.manager, tmp_path, title="写错的通知")
    withdraw_announcement(session=session, viewer=people.manager, announcement_id=wrong,
                          reason="写错了", now=NOW)  # fmt: skip
    notices = community_current_notices(
        session=session, community_id=people.manager.community_id, unmasked=False, now=NOW
    )
    expected = {
        "in_one": ["业主座谈会", "1栋停水"],
        "neighbour": ["业主座谈会", "1栋停水"],
        "in_two": ["业主座谈会", "2栋停电"],
        "committee": ["业主座谈会", "2栋停电", "1栋停水"],
        "manager": ["业主座谈会", "2栋停电", "1栋停水"],
    }
    for name, titles_by_hand in expected.items():
        viewer: Viewer = getattr(people, name)
        buildings = own_units(session=session, unit_ids=viewer.unit_ids).building_ids
        shown = [n.title for n in notices_for_viewer(notices, viewer, buildings)]
        assert shown == titles_by_hand, name
        direct = announcements_for(session=session, viewer=viewer, now=NOW, current_only=True)
        assert shown == [n.title for n in direct], name
    assert own_units(session=session, unit_ids=people.in_two.unit_ids).building_ids == {
        people.building_two
    }


def test_owners_see_a_notice_from_its_start_and_publishers_before(
    session: Session, people: People, tmp_path: Path
) -> None:
    publish(session, people.manager, tmp_path, starts_at=NOW + 2 * H)
    assert titles(session, people.in_one) == []
    assert titles(session, people.manager) == ["1栋停水"]
    assert titles(session, people.in_one, now=NOW + 2 * H) == ["1栋停水"]


def test_the_menu_counts_are_each_viewers_own(
    session: Session, people: People, tmp_path: Path
) -> None:
    """The menu's three counts, asked in one statement, by hand: in_one's repair order walked
    to completion (six steps, ten minutes apart, three hours ago) after they marked everything
    read 25 minutes into it; a notice for 1栋 and one for everyone, the second read by in_one."""
    home = session.get(Community, people.in_one.community_id)
    assert home is not None
    order_start = NOW - 3 * H
    f.order_at_stage(session, home, stage="completed", created_at=order_start,
                     reporter_id=people.in_one.account_id)  # fmt: skip
    mark_notifications_seen(
        session=session, viewer=people.in_one, at=order_start + dt.timedelta(minutes=25)
    )
    publish(session, people.manager, tmp_path, building_ids=(people.building_one,))
    everyone = publish(session, people.manager, tmp_path, title="全小区")
    mark_read(session=session, viewer=people.in_one, announcement_ids=[everyone], now=NOW)

    def counts(viewer: Viewer) -> dict[str, int]:
        return badge_counts(session=session, viewer=viewer, now=NOW)

    # The steps at +30, +40 and +50 minutes are after the look; the order awaits its rating;
    # the 1栋 notice is unread; no vote is open (the votes' own test counts those).
    assert counts(people.in_one) == {UNREAD: 3, TO_RATE: 1, ANNOUNCEMENTS: 1, TO_VOTE: 0}
    # 2栋: only the notice for everyone is theirs; nothing of theirs happened.
    assert counts(people.in_two) == {UNREAD: 0, TO_RATE: 0, ANNOUNCEMENTS: 1, TO_VOTE: 0}
    assert counts(people.committee) == {UNREAD: 0, TO_RATE: 0, ANNOUNCEMENTS: 2, TO_VOTE: 0}
    assert counts(people.manager) == {UNREAD: 0}  # managers have no orders or notices to read
    # A first visit counts the last seven days: all six of in_one's steps, seen from a viewer
    # who never marked anything read (the neighbour's own order, the same walk).
    f.order_at_stage(session, home, stage="completed", created_at=order_start,
                     reporter_id=people.neighbour.account_id)  # fmt: skip
    assert counts(people.neighbour) == {UNREAD: 6, TO_RATE: 1, ANNOUNCEMENTS: 2, TO_VOTE: 0}
    a_week_later = badge_counts(session=session, viewer=people.neighbour, now=NOW + 8 * 24 * H)
    assert a_week_later[UNREAD] == 0


def test_read_receipts_count_homes_of_the_roster(
    session: Session, people: People, tmp_path: Path
) -> None:
    first = publish(session, people.manager, tmp_path, building_ids=(people.building_one,))
    everyone = publish(session, people.manager, tmp_path, title="全小区")
    assert unread_count(session=session, viewer=people.in_one, now=NOW) == 2
    assert (
        mark_read(
            session=session, viewer=people.in_one, announcement_ids=[first, everyone], now=NOW
        )
        == 2
    )
    assert mark_read(session=session, viewer=people.in_one, announcement_ids=[first], now=NOW) == 0
    # in_two may not read the 1栋 notice: only the community-wide one is noted.
    assert (
        mark_read(
            session=session, viewer=people.in_two, announcement_ids=[first, everyone], now=NOW
        )
        == 1
    )
    mark_read(session=session, viewer=people.committee, announcement_ids=[first], now=NOW)
    assert unread_count(session=session, viewer=people.in_one, now=NOW) == 0

    by_building = read_receipts(session=session, viewer=people.committee, announcement_id=first)
    # 1栋 has three homes: 101 (in_one read) and 102 (the committee member read) are reached.
    assert [(b.building, b.reached, b.targeted) for b in by_building.buildings] == [("1栋", 2, 3)]
    whole = read_receipts(session=session, viewer=people.manager, announcement_id=everyone)
    assert [(b.building, b.reached, b.targeted) for b in whole.buildings] == [
        ("1栋", 1, 3), ("2栋", 1, 1),
    ]  # fmt: skip
    assert (whole.reached, whole.targeted) == (2, 4)
    with pytest.raises(NotAllowed):
        read_receipts(session=session, viewer=people.in_one, announcement_id=first)
    with pytest.raises(NotAllowed):
        read_receipts(session=session, viewer=people.other_manager, announcement_id=first)


def test_only_managers_and_the_committee_publish_in_their_community(
    session: Session, people: People, tmp_path: Path
) -> None:
    with pytest.raises(NotAllowed):
        publish(session, people.in_one, tmp_path)
    other_building = f.building(session, f.community(session), "9栋")
    with pytest.raises(NotAllowed):
        publish(session, people.manager, tmp_path, building_ids=(other_building.id,))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": " "}, "请填写标题和正文"),
        ({"body": "长" * 5001}, "正文最多 5000 字"),
        ({"ends_at": NOW - 2 * H, "starts_at": NOW - 3 * H}, "结束时间已过"),
        ({"ends_at": NOW - 2 * H}, "结束时间须晚于开始时间"),
        ({"ends_at": NOW + dt.timedelta(days=400)}, "不超过 366 天"),
        ({"pdfs": (("a.pdf", b"<html>not a pdf</html>"),)}, "不是有效的 PDF"),
        ({"photos": (b"x",) * 4, "pdfs": (("a.pdf", PDF),) * 3}, "最多 6 个"),
    ],
)
def test_what_a_notice_cannot_be_is_refused(
    session: Session, people: People, tmp_path: Path, changes: dict[str, object], message: str
) -> None:
    with pytest.raises(DomainError, match=message):
        publish(session, people.manager, tmp_path, **changes)


def test_a_withdrawn_notice_stays_with_its_reason_and_only_its_side_withdraws(
    session: Session, people: People, tmp_path: Path
) -> None:
    company = publish(session, people.manager, tmp_path)
    with pytest.raises(NotAllowed):  # the committee does not withdraw the company's words
        withdraw_announcement(session=session, viewer=people.committee, announcement_id=company,
                              reason="写错了", now=NOW)  # fmt: skip
    withdraw_announcement(session=session, viewer=people.manager, announcement_id=company,
                          reason="日期写错,已重新发布", now=NOW + H)  # fmt: skip
    (shown,) = announcements_for(session=session, viewer=people.in_one, now=NOW + 2 * H)
    assert shown.status(NOW + 2 * H) == "withdrawn"
    assert shown.withdrawn_reason == "日期写错,已重新发布"
    assert announcements_for(session=session, viewer=people.in_one, now=NOW + 2 * H,
                             current_only=True) == []  # fmt: skip


def test_a_pdf_is_kept_and_listed_only_for_whom_the_notice_is_for(
    session: Session, people: People, tmp_path: Path
) -> None:
    publish(session, people.manager, tmp_path, building_ids=(people.building_one,),
            pdfs=(("../../停水通知.pdf", PDF),))  # fmt: skip
    (shown,) = announcements_for(session=session, viewer=people.in_one, now=NOW)
    (pdf,) = shown.pdfs
    assert pdf.file_name == "停水通知.pdf"  # no path from the upload's name
    assert pdf_path(pdf.sha256, tmp_path).read_bytes() == PDF
    assert announcements_for(session=session, viewer=people.in_two, now=NOW) == []


def test_a_notice_photo_survives_the_private_photo_purge(
    session: Session, people: People, tmp_path: Path
) -> None:
    """The same picture on a private order past retention and on a notice: the notice keeps it."""
    picture = io.BytesIO()
    Image.new("RGB", (40, 30), "teal").save(picture, "JPEG")
    publish(session, people.manager, tmp_path, photos=(picture.getvalue(),))
    (photo,) = session.scalars(select(Photo)).all()
    community = session.get_one(Community, people.manager.community_id)
    order = f.work_order(session, community, visibility="private",
                         completed_at=NOW - dt.timedelta(days=400))  # fmt: skip
    attach_photo(session=session, photo=photo, kind="before", attached_at=NOW,
                 work_order_id=order.id)  # fmt: skip
    report = purge_private_photos(session=session, now=NOW, days=90, media_dir=tmp_path)
    assert (report.attachments, report.photos) == (1, 0)  # the order's goes, the picture stays
    assert session.get(Photo, photo.id) is not None


def test_a_new_notice_is_queued_for_everyone_it_is_for_with_it(
    session_factory: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    configure(monkeypatch, "email")
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    with write_session(session_factory) as session:
        people = make_people(session)
        for account in session.scalars(select(Account)):
            account.email = f"{account.username}@example.com"
    with write_session(session_factory) as session:
        publish_announcement(session=session, viewer=people.manager, media_dir=tmp_path, now=now,
                             draft=notice(urgent=True, building_ids=(people.building_one,),
                                          starts_at=now, ends_at=now + 24 * H))  # fmt: skip
        publish_announcement(session=session, viewer=people.manager, media_dir=tmp_path, now=now,
                             draft=notice(title="不紧急", starts_at=now, ends_at=now + 24 * H))  # fmt: skip
    with session_factory() as session:
        rows = outbox_rows(session)
    # The urgent one (past quiet hours) for 1栋's owners: in_one (101), the neighbour and the
    # committee member (102), not in_two; the ordinary one for the whole community.
    urgent = [r.account_id for r in rows if r.title == "1栋停水"]
    assert sorted(urgent) == sorted(
        [people.in_one.account_id, people.neighbour.account_id, people.committee.account_id]
    )
    ordinary = [r.account_id for r in rows if r.title == "不紧急"]
    assert sorted(ordinary) == sorted([*urgent, people.in_two.account_id])
    assert {(r.event_type, r.subject, r.urgent, r.title) for r in rows} == {
        ("announcement", "notice", True, "1栋停水"), ("announcement", "notice", False, "不紧急"),
    }  # fmt: skip
