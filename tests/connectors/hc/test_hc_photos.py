"""Photos named by HC rows: fetched by the server from allow-listed hosts only, stored like
uploads (metadata stripped), and kept to retry while their host does not answer."""

from __future__ import annotations

import datetime as dt
import http.server
import io
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import ExifTags, Image
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from connectors.hc.sync import sync_hc
from connectors.photos import allowed
from data_access.db import make_engine, make_session_factory, migrate
from data_access.media.photos import photo_path
from data_access.models import Photo, PhotoAttachment, WorkOrder
from tests.connectors.hc.fixture import C1, execute, load_hc
from tests.support.mariadb import MariaDBServer
from tests.support.postgres import free_port

NOW = dt.datetime(2026, 11, 20, 12, 0)


def jpeg_with_location() -> bytes:
    image = Image.new("RGB", (64, 48), (200, 120, 40))
    exif = Image.Exif()
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (30.0, 15.0, 0.0)
    exif[ExifTags.Base.Make] = "PhoneMaker"
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


class FileHost:
    """A tiny HTTP server standing in for HC's file host; it can be stopped and restarted on
    the same port."""

    def __init__(self, files: dict[str, bytes]) -> None:
        self.files, self.port = files, free_port()
        self.server: http.server.HTTPServer | None = None
        self.requests: list[str] = []

    def start(self) -> None:
        host = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                host.requests.append(self.path)
                body = host.files.get(self.path)
                self.send_response(200 if body is not None else 404)
                self.end_headers()
                self.wfile.write(body or b"")

            def log_message(self, *args: object) -> None:
                pass

        http.server.HTTPServer.allow_reuse_address = True
        self.server = http.server.HTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None


@pytest.fixture
def ours(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[sessionmaker[Session]]:
    monkeypatch.setenv("MEDIA_DIR", str(tmp_path / "media"))
    engine = make_engine(f"sqlite:///{tmp_path / 'ours.db'}")
    migrate(engine)
    yield make_session_factory(engine)
    engine.dispose()


def test_only_allowed_hosts_are_fetched_and_stored_like_uploads(
    mariadb_server: MariaDBServer, ours: sessionmaker[Session], tmp_path: Path
) -> None:
    database, source = load_hc(mariadb_server)
    files = {
        "/hc/img/20261005/before.jpg": jpeg_with_location(),
        "/hc/img/20261118/gate.jpg": jpeg_with_location(),  # a patrol check-in's
        "/hc/img/20261118/pump.jpg": jpeg_with_location(),  # a maintenance task's
    }
    host = FileHost(files)
    host.start()
    try:
        base, where = f"http://127.0.0.1:{host.port}/hc/", f"127.0.0.1:{host.port}"
        outcome = sync_hc(factory=ours, url=source, communities={C1: "HCP"}, now=NOW,
                          photo_base=base, photo_hosts=[where])  # fmt: skip
        # R1's before photo (relative path) is stored; its "after" photo names the cloud
        # metadata address and is refused without a request.
        assert outcome.photos == {"stored": 3, "refused": 1, "unreachable": 0}
        assert sorted(host.requests) == sorted(files)
        with ours() as session:
            attachment, photo, order_code = session.execute(
                select(PhotoAttachment, Photo, WorkOrder.code)
                .join(Photo, Photo.id == PhotoAttachment.photo_id)
                .join(WorkOrder, WorkOrder.id == PhotoAttachment.work_order_id)
            ).one()
            assert (order_code, attachment.kind) == ("HC-8220261005", "before")
            stored = Image.open(photo_path(photo.sha256, photo.mime_type, tmp_path / "media"))
            assert dict(stored.getexif()) == {}  # location and maker removed
            subjects = session.execute(
                select(PhotoAttachment.checkin_id, PhotoAttachment.plan_task_id).where(
                    PhotoAttachment.work_order_id.is_(None)
                )
            ).all()
            assert sorted(tuple(x is not None for x in s) for s in subjects) == [
                (False, True),
                (True, False),
            ]  # one on a check-in, one on a plan task

        # A photo added later while the host is down is kept and stored when it answers.
        execute(mariadb_server, database, """
            INSERT INTO file_rel (file_rel_id, b_id, rel_type_cd, obj_id, file_real_name,
              file_save_name) VALUES ('91701', '-1', '24000', '8220261118',
              'img/20261118/after.jpg', 'img/20261118/after.jpg')""")  # fmt: skip
        files["/hc/img/20261118/after.jpg"] = jpeg_with_location()
        host.stop()
        down = sync_hc(factory=ours, url=source, communities={C1: "HCP"}, full=True,
                       now=NOW, photo_base=base, photo_hosts=[where])  # fmt: skip
        assert down.photos["unreachable"] == 1 and down.photos["stored"] == 0
        host.start()
        again = sync_hc(factory=ours, url=source, communities={C1: "HCP"}, full=True,
                        now=NOW, photo_base=base, photo_hosts=[where])  # fmt: skip
        assert again.photos["stored"] == 1
        with ours() as session:
            kinds = session.scalars(
                select(PhotoAttachment.kind)
                .where(PhotoAttachment.work_order_id.is_not(None))
                .order_by(PhotoAttachment.id)
            )
            assert list(kinds) == ["before", "after"]
    finally:
        host.stop()


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://files.example/hc/img/a.jpg", True),
        ("http://files.example/a.jpg", True),
        ("https://files.example.evil.test/a.jpg", False),
        ("https://evil.test/?u=https://files.example/a.jpg", False),
        ("https://user@files.example/a.jpg", False),
        ("file:///etc/passwd", False),
        ("ftp://files.example/a.jpg", False),
        ("http://169.254.169.254/latest/meta-data", False),
        ("img/20261005/a.jpg", False),
    ],
)
def test_the_allow_list_is_exact(url: str, ok: bool) -> None:
    assert allowed(url, ["files.example"]) is ok
