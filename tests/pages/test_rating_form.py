"""The rating form on a work order's page: only the reporting owner rates a completed order,
once; a low rating opens a public ticket; edits within a week are recorded."""

from __future__ import annotations

import datetime as dt
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from data_access.db import make_engine
from data_access.models import (
    Account,
    PhotoAttachment,
    Rating,
    RatingEdit,
    RectificationTicket,
    WorkOrder,
)
from tests.pages.conftest import DEMO_NOW, ROOT, log_in, texts

DETAIL = str(ROOT / "pages" / "order_detail.py")


def owner_orders(url: str, username: str, *, rated: bool) -> list[int]:
    """The user's completed orders, rated or not, newest first."""
    with make_engine(url).connect() as conn:
        account_id = conn.scalar(select(Account.id).where(Account.username == username))
        rated_ids = select(Rating.work_order_id).where(Rating.owner_id == account_id)
        query = select(WorkOrder.id).where(
            WorkOrder.reporter_id == account_id,
            WorkOrder.completed_at.is_not(None),
            WorkOrder.id.in_(rated_ids) if rated else WorkOrder.id.not_in(rated_ids),
        )
        return list(conn.scalars(query.order_by(WorkOrder.completed_at.desc())))


def count(url: str, model: type, **where: object) -> int:
    with make_engine(url).connect() as conn:
        query = select(func.count()).select_from(model)
        for column, value in where.items():
            query = query.where(getattr(model, column) == value)
        return int(conn.scalar(query) or 0)


def open_order(app: AppTest, username: str, order_id: int) -> AppTest:
    log_in(app, username)
    app.switch_page(DETAIL)
    app.query_params["id"] = str(order_id)
    app.run()
    assert not app.exception
    return app


def set_scores(app: AppTest, prefix: str, *scores: int) -> None:
    for dimension, score in zip(("speed", "attitude", "quality"), scores, strict=True):
        app.segmented_control(key=f"{prefix}_{dimension}").set_value(score)


def jpeg() -> bytes:
    out = BytesIO()
    Image.new("RGB", (80, 60), (200, 40, 40)).save(out, "JPEG")
    return out.getvalue()


def test_low_rating_opens_a_public_ticket(
    app: AppTest, demo_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MEDIA_DIR", str(tmp_path / "media"))
    order_id = owner_orders(demo_url, "owner_a", rated=False)[0]
    open_order(app, "owner_a", order_id)
    prefix = f"order_rating_{order_id}"

    # no scores → a message, nothing written
    app.button(key=f"FormSubmitter:{prefix}_form-提交评价").click().run()
    assert "请为响应速度、服务态度和维修质量各打一个分" in texts(app)
    assert count(demo_url, Rating, work_order_id=order_id) == 0

    # a low score without a comment → the server's message, nothing written
    set_scores(app, prefix, 1, 3, 2)
    app.button(key=f"FormSubmitter:{prefix}_form-提交评价").click().run()
    assert "请写明原因" in texts(app)
    assert count(demo_url, Rating, work_order_id=order_id) == 0

    set_scores(app, prefix, 1, 3, 2)
    app.text_area(key=f"{prefix}_comment").input("等了三天才来,还没修好")
    app.file_uploader(key=f"{prefix}_photos").set_value(("leak.jpg", jpeg(), "image/jpeg"))
    app.button(key=f"FormSubmitter:{prefix}_form-提交评价").click().run()
    assert not app.exception
    shown = texts(app)
    assert "感谢您的评价" in shown and "已自动生成整改单" in shown
    assert "等了三天才来,还没修好" in shown

    with make_engine(demo_url).connect() as conn:
        rating = conn.execute(select(Rating).where(Rating.work_order_id == order_id)).one()
        ticket = conn.execute(
            select(RectificationTicket).where(RectificationTicket.rating_id == rating.id)
        ).one()
        photos = conn.scalar(
            select(func.count())
            .select_from(PhotoAttachment)
            .where(PhotoAttachment.rating_id == rating.id)
        )
    assert (rating.score_speed, rating.score_attitude, rating.score_quality) == (1, 3, 2)
    assert rating.submission_key
    assert (ticket.status, ticket.source, ticket.created_at) == ("submitted", "rating", DEMO_NOW)
    assert photos == 1
    links = [link.proto.label for link in app.get("page_link")]
    assert f"整改单 {ticket.code}" in links
    # the form is gone: the order is rated
    assert not [s for s in app.segmented_control if s.key == f"{prefix}_speed"]


def test_resubmitted_form_is_one_rating(app: AppTest, demo_url: str) -> None:
    """The same form sent again (a retried request) is the first rating, not an error."""
    order_id = owner_orders(demo_url, "owner_a", rated=False)[0]
    open_order(app, "owner_a", order_id)
    prefix = f"order_rating_{order_id}"
    key = app.session_state[f"{prefix}_submission"]
    set_scores(app, prefix, 5, 5, 4)
    app.button(key=f"FormSubmitter:{prefix}_form-提交评价").click().run()
    assert count(demo_url, Rating, work_order_id=order_id) == 1

    from data_access.accounts.auth import load_viewer
    from data_access.db import make_session_factory, write_session
    from data_access.tickets.ratings import rate_order

    factory = make_session_factory(make_engine(demo_url))
    with factory() as s:
        viewer = load_viewer(session=s, username="owner_a")
    assert viewer is not None
    with write_session(factory) as s:
        again = rate_order(
            session=s, viewer=viewer, order_id=order_id, score_speed=5, score_attitude=5,
            score_quality=4, comment="", now=DEMO_NOW + dt.timedelta(minutes=5),
            submission_key=key,
        )  # fmt: skip
    assert not again.created
    assert count(demo_url, Rating, work_order_id=order_id) == 1


def test_recent_rating_can_be_edited_and_the_edit_is_kept(app: AppTest, demo_url: str) -> None:
    """owner_a's newest demo rating is under a week old at the demo's "now"."""
    with make_engine(demo_url).connect() as conn:
        rating_id, order_id, before, created = conn.execute(
            select(Rating.id, Rating.work_order_id, Rating.score_quality, Rating.created_at)
            .join(Account, Account.id == Rating.owner_id)
            .where(Account.username == "owner_a")
            .order_by(Rating.created_at.desc())
            .limit(1)
        ).one()
    assert DEMO_NOW - created < dt.timedelta(days=7)
    open_order(app, "owner_a", order_id)
    prefix = f"order_rating_edit_{rating_id}"
    new_quality = 5 if before != 5 else 4
    app.segmented_control(key=f"{prefix}_quality").set_value(new_quality)
    app.text_area(key=f"{prefix}_comment").input("后来又来检查了一次,很负责")
    app.button(key=f"FormSubmitter:{prefix}_form-保存修改").click().run()
    assert not app.exception
    assert "评价已修改" in texts(app) and "已修改" in texts(app)
    with make_engine(demo_url).connect() as conn:
        quality, comment = conn.execute(
            select(Rating.score_quality, Rating.comment).where(Rating.id == rating_id)
        ).one()
        previous = conn.scalar(
            select(RatingEdit.previous_quality).where(RatingEdit.rating_id == rating_id)
        )
    assert (quality, comment, previous) == (new_quality, "后来又来检查了一次,很负责", before)


@pytest.mark.parametrize("username", ["manager_a", "committee_a"])
def test_only_the_reporter_gets_the_form(app: AppTest, demo_url: str, username: str) -> None:
    """owner_a's completed, unrated order shows no form to the others of the community who
    may see it (managers; the committee, masked)."""
    order_id = owner_orders(demo_url, "owner_a", rated=False)[0]
    open_order(app, username, order_id)
    assert not [s for s in app.segmented_control if (s.key or "").startswith("order_rating_")]
    assert "尚未评价" in texts(app)


def test_another_community_cannot_open_the_order(app: AppTest, demo_url: str) -> None:
    order_id = owner_orders(demo_url, "owner_a", rated=False)[0]
    open_order(app, "owner_b", order_id)
    assert not [s for s in app.segmented_control if (s.key or "").startswith("order_rating_")]
    assert "没有找到" in texts(app)


def test_a_file_that_is_not_a_picture_is_refused_and_nothing_written(
    app: AppTest, demo_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MEDIA_DIR", str(tmp_path / "media"))
    order_id = owner_orders(demo_url, "owner_a", rated=False)[0]
    open_order(app, "owner_a", order_id)
    prefix = f"order_rating_{order_id}"
    set_scores(app, prefix, 1, 1, 1)
    app.text_area(key=f"{prefix}_comment").input("照片见附件")
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    app.file_uploader(key=f"{prefix}_photos").set_value(("photo.jpg", svg, "image/jpeg"))
    app.button(key=f"FormSubmitter:{prefix}_form-提交评价").click().run()
    assert not app.exception
    assert "文件不是可接受的图片" in texts(app)
    assert count(demo_url, Rating, work_order_id=order_id) == 0
