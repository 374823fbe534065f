"""Photos taken inside homes are removed after the retention period (issue 7).

Both engines, a private media folder per test. Content-addressed files are shared by hash: a
picture also shown on a public order (or a ticket) must survive its private twin's purge.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
from io import BytesIO
from pathlib import Path
from typing import TypedDict, Unpack

import pytest
from PIL import Image
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data_access.errors import DomainError
from data_access.media.photos import attach_photo, photo_path, store_photo, thumbnail_path
from data_access.media.retention import PurgeReport, purge_private_photos
from data_access.models import (
    Community,
    Photo,
    PhotoAttachment,
    Rating,
    WorkOrder,
    WorkOrderEvent,
)
from data_access.settings import (
    DEFAULT_PRIVATE_PHOTO_RETENTION_DAYS,
    private_photo_retention_days,
)
from tests.data_access import factories
from tests.pages.conftest import (  # noqa: F401 — fixtures: the demo copy, its clock, caches
    _fresh_caches,
    demo_clock,
    demo_url,
)

NOW = dt.datetime(2026, 11, 20, 12, 0)
DAYS = 365
OLD = NOW - dt.timedelta(days=DAYS + 1)  # completed just past the retention period
RECENT = NOW - dt.timedelta(days=DAYS - 1)
_noise = random.Random(7)


def picture() -> bytes:
    """A distinct little JPEG each call (so each is its own content-addressed file)."""
    out = BytesIO()
    Image.frombytes("RGB", (24, 16), _noise.randbytes(24 * 16 * 3)).save(out, "JPEG")
    return out.getvalue()


class Subject(TypedDict, total=False):
    """``attach_photo``'s ids of what the photo is shown on."""

    work_order_id: int
    work_order_event_id: int
    ticket_id: int
    ticket_event_id: int
    rating_id: int
    plan_task_id: int
    checkin_id: int


class World:
    """One community with old/recent private orders and public orders, all with photos."""

    def __init__(self, session: Session, media: Path) -> None:
        self.session, self.media = session, media
        self.community = factories.community(session)
        self.owner = factories.account(session, self.community)

    def order(self, visibility: str, completed_at: dt.datetime | None) -> WorkOrder:
        return factories.work_order(
            self.session,
            self.community,
            completed_at=completed_at,
            created_at=(completed_at or NOW) - dt.timedelta(days=2),
            visibility=visibility,
            reporter_id=self.owner.id,
        )

    def photo(self, data: bytes | None = None) -> Photo:
        return store_photo(
            session=self.session, data=data or picture(), media_dir=self.media, uploaded_at=OLD
        )

    def attach(self, photo: Photo, **subject: Unpack[Subject]) -> PhotoAttachment:
        return attach_photo(
            session=self.session, photo=photo, kind="before", attached_at=OLD, **subject
        )

    def event_photo(self, order: WorkOrder) -> Photo:
        event = WorkOrderEvent(work_order_id=order.id, stage="in_progress", occurred_at=OLD)
        self.session.add(event)
        self.session.flush()
        photo = self.photo()
        self.attach(photo, work_order_id=order.id, work_order_event_id=event.id)
        return photo

    def rating_photo(self, order: WorkOrder) -> Photo:
        rating = Rating(
            community_id=self.community.id, work_order_id=order.id, owner_id=self.owner.id,
            score_speed=5, score_attitude=5, score_quality=5, created_at=OLD, updated_at=OLD,
            reply_due_at=OLD,
        )  # fmt: skip
        self.session.add(rating)
        self.session.flush()
        photo = self.photo()
        self.attach(photo, rating_id=rating.id)
        return photo

    def files_of(self, photo: Photo) -> tuple[Path, Path]:
        return (
            photo_path(photo.sha256, photo.mime_type, self.media),
            thumbnail_path(photo.sha256, self.media),
        )

    def exists(self, photo: Photo) -> bool:
        """Row and both files: all there (True) or all gone (False); anything else fails."""
        row = self.session.scalar(select(Photo.id).where(Photo.id == photo.id)) is not None
        files = [p.exists() for p in self.files_of(photo)]
        assert files == [row, row], (row, files)
        return row

    def attachments(self) -> int:
        return self.session.scalar(select(func.count()).select_from(PhotoAttachment)) or 0

    def purge(self, days: int = DAYS, dry_run: bool = False) -> PurgeReport:
        report = purge_private_photos(
            session=self.session, now=NOW, days=days, media_dir=self.media, dry_run=dry_run
        )
        self.session.commit()
        self.session.expire_all()
        return report


@pytest.fixture
def world(session: Session, tmp_path: Path) -> World:
    return World(session, tmp_path / "media")


def test_old_private_photos_go_recent_and_public_ones_stay(world: World) -> None:
    old_private = world.order("private", OLD)
    old_photo = world.photo()
    world.attach(old_photo, work_order_id=old_private.id)
    old_event_photo = world.event_photo(old_private)
    old_rating_photo = world.rating_photo(old_private)

    recent_private = world.order("private", RECENT)
    recent_photo = world.photo()
    world.attach(recent_photo, work_order_id=recent_private.id)
    open_private = world.order("private", None)  # not completed: retention has not started
    open_photo = world.photo()
    world.attach(open_photo, work_order_id=open_private.id)
    old_public = world.order("public", OLD)
    public_photo = world.photo()
    world.attach(public_photo, work_order_id=old_public.id)
    public_event_photo = world.event_photo(old_public)
    world.session.commit()

    report = world.purge()

    assert report == PurgeReport(orders=1, attachments=3, photos=3, files=6)
    for gone in (old_photo, old_event_photo, old_rating_photo):
        assert not world.exists(gone)
    for kept in (recent_photo, open_photo, public_photo, public_event_photo):
        assert world.exists(kept)
    assert world.attachments() == 4
    # The order, its events and its rating stay: only the pictures go.
    assert world.session.get(WorkOrder, old_private.id) is not None
    assert world.session.scalar(select(func.count()).where(Rating.work_order_id == old_private.id))

    # Idempotent: nothing more to do.
    assert world.purge() == PurgeReport(orders=0, attachments=0, photos=0, files=0)


def test_a_file_shared_with_a_public_order_or_a_ticket_stays(world: World) -> None:
    """Same bytes → same Photo row and file: the private order's link goes, the picture stays."""
    data = picture()
    old_private = world.order("private", OLD)
    shared = world.photo(data)
    world.attach(shared, work_order_id=old_private.id)
    public = world.order("public", OLD)
    assert world.photo(data).id == shared.id  # the same content-addressed photo
    world.attach(shared, work_order_id=public.id)

    other_data = picture()
    also_on_ticket = world.photo(other_data)
    world.attach(also_on_ticket, work_order_id=old_private.id)
    ticket = factories.rectification_ticket(world.session, world.community)
    world.attach(also_on_ticket, ticket_id=ticket.id)
    world.session.commit()

    report = world.purge()

    assert report == PurgeReport(orders=1, attachments=2, photos=0, files=0)
    assert world.exists(shared) and world.exists(also_on_ticket)
    remaining = world.session.execute(
        select(PhotoAttachment.work_order_id, PhotoAttachment.ticket_id).order_by(
            PhotoAttachment.id
        )
    ).all()
    assert [tuple(r) for r in remaining] == [(public.id, None), (None, ticket.id)]


def test_a_photo_of_two_expired_private_orders_goes(world: World) -> None:
    data = picture()
    first, second = world.order("private", OLD), world.order("private", OLD)
    photo = world.photo(data)
    world.attach(photo, work_order_id=first.id)
    world.attach(world.photo(data), work_order_id=second.id)
    world.session.commit()

    assert world.purge() == PurgeReport(orders=2, attachments=2, photos=1, files=2)
    assert not world.exists(photo)


def test_dry_run_writes_nothing(world: World) -> None:
    old_private = world.order("private", OLD)
    photo = world.photo()
    world.attach(photo, work_order_id=old_private.id)
    world.session.commit()

    report = world.purge(dry_run=True)

    assert report == PurgeReport(orders=1, attachments=1, photos=1, files=0, dry_run=True)
    assert world.exists(photo) and world.attachments() == 1


@pytest.mark.parametrize("days", [0, 10_000])
def test_zero_keeps_everything_and_a_long_period_keeps_old_ones(world: World, days: int) -> None:
    old_private = world.order("private", NOW - dt.timedelta(days=3000))
    photo = world.photo()
    world.attach(photo, work_order_id=old_private.id)
    world.session.commit()

    assert world.purge(days=days) == PurgeReport(orders=0, attachments=0, photos=0, files=0)
    assert world.exists(photo) and world.attachments() == 1


def test_negative_days_are_refused(world: World) -> None:
    with pytest.raises(ValueError):
        world.purge(days=-1)


def test_other_communities_are_purged_by_the_same_rule(world: World) -> None:
    """Retention is a property of the data, not of a viewer: every community is covered."""
    other = Community(code="OTHER", name="别的小区", city="杭州", address="测试路2号")
    world.session.add(other)
    world.session.flush()
    world.community = other
    order = world.order("private", OLD)
    photo = world.photo()
    world.attach(photo, work_order_id=order.id)
    world.session.commit()

    assert world.purge().photos == 1 and not world.exists(photo)


# --- the setting -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("env", "secrets", "expected"),
    [
        ({}, "", DEFAULT_PRIVATE_PHOTO_RETENTION_DAYS),
        ({"OWNER_DASHBOARD_MODE": "demo"}, "", 0),  # demo photos are generated and shared
        ({"PRIVATE_PHOTO_RETENTION_DAYS": "90"}, "", 90),
        ({"PRIVATE_PHOTO_RETENTION_DAYS": "0"}, "", 0),
        ({}, "[privacy]\nprivate_photo_retention_days = 30\n", 30),
        ({"OWNER_DASHBOARD_MODE": "demo"}, "[privacy]\nprivate_photo_retention_days = 7\n", 7),
        (
            {"PRIVATE_PHOTO_RETENTION_DAYS": "14"},
            "[privacy]\nprivate_photo_retention_days = 30\n",
            14,
        ),
    ],
)
def test_retention_setting(
    tmp_path: Path, env: dict[str, str], secrets: str, expected: int
) -> None:
    path = tmp_path / "secrets.toml"
    path.write_text(secrets, encoding="utf-8")
    assert private_photo_retention_days(env, secrets_path=path) == expected


@pytest.mark.parametrize("value", ["-1", "abc", "1.5", "365d"])
def test_a_bad_retention_setting_is_refused(tmp_path: Path, value: str) -> None:
    with pytest.raises(DomainError) as error:
        private_photo_retention_days(
            {"PRIVATE_PHOTO_RETENTION_DAYS": value}, secrets_path=tmp_path / "none.toml"
        )
    assert error.value.key == "config.bad_retention_days"
    assert value in error.value.message("en")


def test_a_bad_retention_setting_in_secrets_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "secrets.toml"
    path.write_text("[privacy]\nprivate_photo_retention_days = -5\n", encoding="utf-8")
    with pytest.raises(DomainError):
        private_photo_retention_days({}, secrets_path=path)


# --- manage.py photos purge-private ------------------------------------------------------------
def test_manage_purge_private(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import manage
    from data_access.db import make_engine, make_session_factory, migrate

    url = f"sqlite:///{tmp_path / 'cli.db'}"
    engine = make_engine(url)
    migrate(engine)
    media = tmp_path / "media"
    monkeypatch.setenv("MEDIA_DIR", str(media))
    long_ago = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(days=1000)
    with make_session_factory(engine)() as session:
        world = World(session, media)
        order = world.order("private", long_ago)
        photo = world.photo()
        world.attach(photo, work_order_id=order.id)
        session.commit()
        files = world.files_of(photo)
    engine.dispose()

    def run(*args: str) -> str:
        capsys.readouterr()
        assert manage.main(["--database-url", url, "photos", "purge-private", *args]) == 0
        return capsys.readouterr().out

    assert "0" in run("--days", "0") and all(p.exists() for p in files)
    assert "would remove 1 " in run("--days", "365", "--dry-run")
    assert all(p.exists() for p in files)
    assert "removed 0 " in run("--days", "2000")  # completed 1000 days ago: still kept
    assert all(p.exists() for p in files)
    assert "removed 1 " in run("--days", "365")
    assert not any(p.exists() for p in files)
    with pytest.raises(SystemExit):
        manage.main(["--database-url", url, "photos", "purge-private", "--days", "-3"])


# --- the app runs it by itself -----------------------------------------------------------------
def test_the_worker_purges_expired_private_photos(
    demo_url: str,  # noqa: F811 — the fixture imported above
    demo_database: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The worker's first round (``manage.py worker``): the demo (whose in-home photos are a
    few weeks old) with a 20-day period loses the older ones — rows and files — and keeps the
    rest."""
    from data_access.db import make_engine, make_session_factory
    from tests.pages.conftest import DEMO_NOW
    from worker.jobs import standard_jobs
    from worker.runner import Worker

    media = tmp_path / "media"
    shutil.copytree(demo_database.parent / "media", media)  # the shared one stays read-only
    monkeypatch.setenv("MEDIA_DIR", str(media))
    monkeypatch.setenv("PRIVATE_PHOTO_RETENTION_DAYS", "20")
    cutoff = DEMO_NOW - dt.timedelta(days=20)
    engine = make_engine(demo_url)

    def private_photos(expired: bool) -> list[tuple[str, str]]:
        when = WorkOrder.completed_at < cutoff if expired else WorkOrder.completed_at >= cutoff
        with make_session_factory(engine)() as session:
            return [
                (sha, mime)
                for sha, mime in session.execute(
                    select(Photo.sha256, Photo.mime_type)
                    .join(PhotoAttachment, PhotoAttachment.photo_id == Photo.id)
                    .join(WorkOrder, WorkOrder.id == PhotoAttachment.work_order_id)
                    .where(WorkOrder.visibility == "private", when)
                )
            ]

    expired, recent = private_photos(True), private_photos(False)
    assert expired and recent  # the demo has both
    worker = Worker(make_session_factory(engine), standard_jobs([]), clock=lambda: DEMO_NOW)
    assert worker.tick() == ["tickets", "alerts", "photos", "logins", "polls", "outbox"]

    assert private_photos(True) == [] and sorted(private_photos(False)) == sorted(recent)
    for sha, mime in recent:
        assert photo_path(sha, mime, media).exists()
    # A purged picture's file goes unless another subject (a public order, a ticket) still uses it.
    with make_session_factory(engine)() as session:
        kept = set(session.scalars(select(Photo.sha256)))
    for sha, mime in expired:
        assert photo_path(sha, mime, media).exists() == (sha in kept)
    assert any(sha not in kept for sha, _ in expired)
    engine.dispose()
