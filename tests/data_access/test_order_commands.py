"""Work-order commands on both engines: stage rules, timestamps, the version guard under real
concurrency, photos, parts and the "seen" upsert."""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from data_access.accounts import last_looks
from data_access.accounts.auth import Viewer
from data_access.db import make_engine, make_session_factory, migrate, write_session
from data_access.errors import DomainError
from data_access.flows import RESPONSE_STAGE, WORK_ORDER_FLOWS, derive_progress
from data_access.media.photos import photo_path
from data_access.models import (
    Account,
    LastLook,
    Photo,
    PhotoAttachment,
    WorkOrder,
    WorkOrderEvent,
    WorkOrderPart,
)
from data_access.orders import order_commands
from data_access.orders.order_commands import (
    OrderStageError,
    add_order_note,
    add_part,
    advance_order,
    attach_order_photo,
    mark_order_seen,
    mark_parts_arrived,
    next_stages,
)
from tests.data_access import factories as f
from tests.data_access.factories import T0
from tests.support.postgres import PostgresServer

LATER = T0 + dt.timedelta(hours=1)


def _stages(session: Session, order_id: int) -> list[str]:
    return list(
        session.scalars(
            select(WorkOrderEvent.stage)
            .where(WorkOrderEvent.work_order_id == order_id)
            .order_by(WorkOrderEvent.occurred_at, WorkOrderEvent.id)
        )
    )


def _advance(
    session: Session,
    order_id: int,
    stage: str,
    at: dt.datetime = LATER,
    expected_version: int | None = None,
) -> WorkOrderEvent:
    return advance_order(
        session=session, order_id=order_id, to_stage=stage, at=at, actor_name="李师傅",
        expected_version=expected_version,
    )  # fmt: skip


def _refused(error: pytest.ExceptionInfo[DomainError], key: str) -> None:
    assert error.value.key == key


# --- stage rules --------------------------------------------------------------------------------
@pytest.mark.parametrize("order_type", list(WORK_ORDER_FLOWS))
def test_every_flow_advances_in_order(session: Session, order_type: str) -> None:
    """Every stage in turn (the optional one included): one event each, the derived progress
    follows, ``version`` counts the events, the timestamps come from the events."""
    flow = [s.code for s in WORK_ORDER_FLOWS[order_type]]
    order = f.order_at_stage(session, f.community(session), order_type)
    for i, stage in enumerate(flow[1:], start=1):
        at = T0 + dt.timedelta(minutes=30 * i)
        event = _advance(session, order.id, stage, at, expected_version=i)
        assert (event.stage, event.occurred_at, event.actor_name) == (stage, at, "李师傅")
        progress = derive_progress(order_type, _stages(session, order.id))
        assert progress.stage == stage
        assert order.version == i + 1
    assert _stages(session, order.id) == flow
    assert progress.is_final and progress.percent == 100
    response = flow.index(RESPONSE_STAGE[order_type])
    assert order.responded_at == T0 + dt.timedelta(minutes=30 * response)
    assert order.completed_at == T0 + dt.timedelta(minutes=30 * (len(flow) - 1))


def test_optional_parts_stage_may_be_skipped(session: Session) -> None:
    order = f.order_at_stage(session, f.community(session), "repair", "dispatched")
    assert next_stages("repair", "dispatched") == ["parts_procurement", "in_progress"]
    _advance(session, order.id, "in_progress")
    progress = derive_progress("repair", _stages(session, order.id))
    assert (progress.stage, progress.step, progress.steps) == ("in_progress", 4, 6)
    assert progress.skipped == ("parts_procurement",)


@pytest.mark.parametrize(
    ("order_type", "current", "target"),
    [
        ("repair", "submitted", "dispatched"),  # skips accepted
        ("repair", "accepted", "in_progress"),  # skips dispatched (and the optional parts)
        ("repair", "accepted", "parts_procurement"),  # skips dispatched
        ("repair", "in_progress", "completed"),  # skips awaiting acceptance
        ("complaint", "accepted", "answered"),
        ("brand_service", "scheduled", "completed"),
        ("rectification", "accepted", "awaiting_confirmation"),
    ],
)
def test_a_required_stage_cannot_be_skipped(
    session: Session, order_type: str, current: str, target: str
) -> None:
    order = f.order_at_stage(session, f.community(session), order_type, current)
    with pytest.raises(OrderStageError) as error:
        _advance(session, order.id, target)
    assert error.value.key == "order.bad_stage"
    assert error.value.params == {"current": current, "target": target}
    assert _stages(session, order.id)[-1] == current
    assert order.version == len(_stages(session, order.id))


@pytest.mark.parametrize(
    ("current", "target"),
    [
        ("dispatched", "dispatched"),
        ("dispatched", "accepted"),
        ("dispatched", "submitted"),
        ("in_progress", "parts_procurement"),  # the optional stage is behind it now
    ],
)
def test_backwards_or_same_stage_is_refused(session: Session, current: str, target: str) -> None:
    order = f.order_at_stage(session, f.community(session), "repair", current)
    with pytest.raises(OrderStageError):
        _advance(session, order.id, target)


def test_stage_error_shows_labels_in_each_language(session: Session) -> None:
    order = f.order_at_stage(session, f.community(session), "repair", "dispatched")
    with pytest.raises(OrderStageError) as error:
        _advance(session, order.id, "accepted")
    assert "已派单" in error.value.message("zh") and "已受理" in error.value.message("zh")
    assert "Dispatched" in error.value.message("en")


def test_a_stage_of_another_flow_is_a_programming_error(session: Session) -> None:
    order = f.order_at_stage(session, f.community(session), "repair", "accepted")
    with pytest.raises(ValueError, match="investigating"):
        _advance(session, order.id, "investigating")


def test_completed_order_is_refused(session: Session) -> None:
    order = f.order_at_stage(session, f.community(session), "complaint", "completed")
    with pytest.raises(DomainError) as error:
        _advance(session, order.id, "completed")
    _refused(error, "order.already_completed")


def test_unknown_order_is_refused(session: Session) -> None:
    with pytest.raises(DomainError) as error:
        _advance(session, 999_999, "accepted")
    _refused(error, "order.not_found")


# --- timestamps -----------------------------------------------------------------------------------
def test_responded_at_is_set_once_at_the_response_stage(session: Session) -> None:
    order = f.order_at_stage(session, f.community(session), "repair")
    assert order.responded_at is None
    accepted = T0 + dt.timedelta(minutes=12)
    _advance(session, order.id, "accepted", accepted)
    _advance(session, order.id, "dispatched", accepted + dt.timedelta(minutes=5))
    assert (order.responded_at, order.completed_at) == (accepted, None)


def test_brand_service_responds_when_the_service_starts(session: Session) -> None:
    order = f.order_at_stage(session, f.community(session), "brand_service")
    started = dt.datetime(2026, 10, 2, 1, 30, tzinfo=dt.UTC)  # aware values are converted
    _advance(session, order.id, "in_progress", started)
    assert order.responded_at == dt.datetime(2026, 10, 2, 1, 30)


def test_an_order_without_events_starts_at_its_first_stage(session: Session) -> None:
    """Imported orders may come without an event log: they count as at their first stage."""
    order = f.work_order(session, f.community(session))
    _advance(session, order.id, "accepted")
    assert order.responded_at == LATER


def test_an_event_before_the_order_existed_is_refused(session: Session) -> None:
    order = f.order_at_stage(session, f.community(session), "repair")
    with pytest.raises(ValueError, match="before the order was created"):
        _advance(session, order.id, "accepted", T0 - dt.timedelta(minutes=1))


# --- the version guard ------------------------------------------------------------------------------
def test_an_outdated_expected_version_is_refused(session: Session) -> None:
    order = f.order_at_stage(session, f.community(session), "repair")  # version 1
    _advance(session, order.id, "accepted", expected_version=1)
    with pytest.raises(DomainError) as error:
        _advance(session, order.id, "dispatched", expected_version=1)
    _refused(error, "order.changed_meanwhile")
    assert _stages(session, order.id) == ["submitted", "accepted"]


def _race(
    factory: sessionmaker[Session],
    order_id: int,
    targets: tuple[str, str],
    expected_version: int | None = None,
) -> list[object]:
    """Two threads, each with its own session and write transaction, advance the same order
    at the same moment. Returns what each got: an event id or the refusal's key."""
    barrier = threading.Barrier(2)
    results: list[object] = [None, None]

    def writer(i: int) -> None:
        barrier.wait()
        try:
            with write_session(factory) as s:
                results[i] = _advance(s, order_id, targets[i], expected_version=expected_version).id
        except DomainError as error:
            results[i] = error.key
        except Exception as error:  # surfaced by the assertions below
            results[i] = error

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def _order_in_own_transaction(factory: sessionmaker[Session], stage: str) -> int:
    with write_session(factory) as s:
        return f.order_at_stage(s, f.community(s), "repair", stage).id


@pytest.mark.parametrize("expected_version", [2, None])
def test_two_writers_from_the_same_version_only_one_wins(
    session_factory: sessionmaker[Session], expected_version: int | None
) -> None:
    """With the version they read (the page's case) the loser is told the order changed;
    without it (the simulator's case) it finds the stage already reached. One event either way."""
    order_id = _order_in_own_transaction(session_factory, "accepted")  # version 2
    results = _race(
        session_factory, order_id, ("dispatched", "dispatched"), expected_version=expected_version
    )
    loser = "order.changed_meanwhile" if expected_version else "order.bad_stage"
    assert sum(isinstance(r, int) for r in results) == 1, results
    assert [r for r in results if not isinstance(r, int)] == [loser]
    with session_factory() as s:
        assert _stages(s, order_id) == ["submitted", "accepted", "dispatched"]
        assert s.get_one(WorkOrder, order_id).version == 3


def test_two_writers_to_different_stages_only_one_wins(
    session_factory: sessionmaker[Session],
) -> None:
    """One takes the optional parts stage, the other goes straight to work: not both."""
    order_id = _order_in_own_transaction(session_factory, "dispatched")  # version 3
    results = _race(
        session_factory, order_id, ("parts_procurement", "in_progress"), expected_version=3
    )
    assert sum(isinstance(r, int) for r in results) == 1, results
    assert "order.changed_meanwhile" in results
    with session_factory() as s:
        assert len(_stages(s, order_id)) == 4


@pytest.fixture
def postgres_session_factory(postgres_server: PostgresServer) -> sessionmaker[Session]:
    engine = make_engine(postgres_server.create_database(f"guard_{uuid.uuid4().hex[:12]}"))
    migrate(engine)
    return make_session_factory(engine)


def test_the_version_guard_holds_even_when_both_read_before_either_writes(
    postgres_session_factory: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the row lock, both writers read version 3 before either writes: the
    ``UPDATE … WHERE version = 3`` lets only the first through. (PostgreSQL only: SQLite
    serialises write transactions at BEGIN IMMEDIATE, so both cannot read first there.)"""
    session_factory = postgres_session_factory
    order_id = _order_in_own_transaction(session_factory, "dispatched")  # version 3
    both_read = threading.Barrier(2, timeout=20)

    def unlocked_read(session: Session, order_id: int) -> WorkOrder:
        order = session.get_one(WorkOrder, order_id, populate_existing=True)
        both_read.wait()
        return order

    monkeypatch.setattr(order_commands, "_lock_order", unlocked_read)
    results = _race(session_factory, order_id, ("parts_procurement", "in_progress"))
    assert sum(isinstance(r, int) for r in results) == 1, results
    assert "order.changed_meanwhile" in results
    with session_factory() as s:
        assert len(_stages(s, order_id)) == 4
        assert s.get_one(WorkOrder, order_id).version == 4


# --- notes ----------------------------------------------------------------------------------------
def test_a_note_stays_in_the_current_stage_and_bumps_the_version(session: Session) -> None:
    order = f.order_at_stage(session, f.community(session), "repair", "in_progress")
    event = add_order_note(
        session=session, order_id=order.id, note="  已更换阀芯,正在试水  ", at=LATER,
        actor_name="李师傅", expected_version=4,
    )  # fmt: skip
    assert (event.stage, event.note) == ("in_progress", "已更换阀芯,正在试水")
    assert order.version == 5
    assert derive_progress("repair", _stages(session, order.id)).stage == "in_progress"


def test_a_blank_note_is_refused(session: Session) -> None:
    order = f.order_at_stage(session, f.community(session), "repair")
    with pytest.raises(DomainError) as error:
        add_order_note(session=session, order_id=order.id, note=" \n", at=LATER, actor_name="x")
    _refused(error, "order.note_required")


# --- photos -----------------------------------------------------------------------------------------
def _png(colour: str = "green") -> bytes:
    out = BytesIO()
    Image.new("RGB", (64, 48), colour).save(out, "PNG")
    return out.getvalue()


def test_photos_are_stored_and_attached_to_the_event(session: Session, tmp_path: Path) -> None:
    order = f.order_at_stage(session, f.community(session), "repair", "awaiting_acceptance")
    event = _advance(session, order.id, "completed")
    attachment = attach_order_photo(
        session=session, order_id=order.id, event_id=event.id, kind="after", data=_png(),
        media_dir=tmp_path, at=LATER,
    )  # fmt: skip
    assert (attachment.work_order_id, attachment.work_order_event_id) == (order.id, event.id)
    assert (attachment.kind, attachment.caption) == ("after", "楼道漏水")
    photo = session.get_one(Photo, attachment.photo_id)
    assert photo_path(photo.sha256, photo.mime_type, tmp_path).exists()


def test_a_photo_for_another_orders_event_is_refused(session: Session, tmp_path: Path) -> None:
    community = f.community(session)
    order = f.order_at_stage(session, community)
    other = f.order_at_stage(session, community)
    other_event = session.scalars(
        select(WorkOrderEvent).where(WorkOrderEvent.work_order_id == other.id)
    ).one()
    with pytest.raises(ValueError, match="not an event of"):
        attach_order_photo(
            session=session, order_id=order.id, event_id=other_event.id, kind="before",
            data=_png(), media_dir=tmp_path, at=LATER,
        )  # fmt: skip


def test_bytes_that_are_not_a_picture_are_refused(session: Session, tmp_path: Path) -> None:
    order = f.order_at_stage(session, f.community(session))
    event_id = session.scalars(
        select(WorkOrderEvent.id).where(WorkOrderEvent.work_order_id == order.id)
    ).one()
    with pytest.raises(DomainError) as error:
        attach_order_photo(
            session=session, order_id=order.id, event_id=event_id, kind="before",
            data=b"<svg/>", media_dir=tmp_path, at=LATER,
        )  # fmt: skip
    _refused(error, "upload.bad_type")
    assert session.scalar(select(func.count()).select_from(PhotoAttachment)) == 0


# --- parts ------------------------------------------------------------------------------------------
def test_parts_are_recorded_during_procurement_and_arrive(session: Session) -> None:
    order = f.order_at_stage(session, f.community(session), "repair", "dispatched")
    _advance(session, order.id, "parts_procurement")
    part = add_part(session=session, order_id=order.id, name=" 水泵控制板 ", quantity=2, at=LATER)
    assert (part.name, part.quantity, part.ordered_at, part.arrived_at) == (
        "水泵控制板", 2, LATER, None,
    )  # fmt: skip
    arrived = LATER + dt.timedelta(days=2)
    assert mark_parts_arrived(session=session, order_id=order.id, at=arrived) == 1
    assert mark_parts_arrived(session=session, order_id=order.id, at=arrived) == 0
    assert session.get_one(WorkOrderPart, part.id).arrived_at == arrived


@pytest.mark.parametrize("stage", ["dispatched", "in_progress"])
def test_parts_outside_procurement_are_refused(session: Session, stage: str) -> None:
    order = f.order_at_stage(session, f.community(session), "repair", stage)
    with pytest.raises(DomainError) as error:
        add_part(session=session, order_id=order.id, name="阀芯", at=LATER)
    _refused(error, "order.parts_wrong_stage")


@pytest.mark.parametrize(
    ("name", "quantity"), [("", 1), ("阀芯", 0), ("阀芯", 1000), ("x" * 101, 1)]
)
def test_invalid_parts_are_refused(session: Session, name: str, quantity: int) -> None:
    order = f.order_at_stage(session, f.community(session), "repair", "parts_procurement",
                             with_parts=True)  # fmt: skip
    with pytest.raises(DomainError) as error:
        add_part(session=session, order_id=order.id, name=name, quantity=quantity, at=LATER)
    _refused(error, "order.part_invalid")


# --- seen -------------------------------------------------------------------------------------------
def _viewer(account: Account) -> Viewer:
    return Viewer(
        account_id=account.id, username=account.username, display_name=account.display_name,
        role=account.role, community_id=account.community_id,
    )  # fmt: skip


def test_mark_order_seen_upserts(session: Session) -> None:
    community = f.community(session)
    owner = f.account(session, community)
    order = f.order_at_stage(session, community)
    first = mark_order_seen(session=session, viewer=_viewer(owner), order_id=order.id, at=T0)
    again = mark_order_seen(session=session, viewer=_viewer(owner), order_id=order.id, at=LATER)
    earlier = mark_order_seen(session=session, viewer=_viewer(owner), order_id=order.id, at=T0)
    assert first is again is earlier
    assert session.scalars(select(LastLook)).all() == [first]
    assert (first.account_id, first.scope, first.subject_id) == (owner.id, "order", order.id)
    assert first.seen_at == LATER  # never backwards


def test_mark_order_seen_updates_a_row_inserted_by_a_concurrent_request(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The race: our look-up found nothing, then someone else inserted first."""
    community = f.community(session)
    owner = f.account(session, community)
    order = f.order_at_stage(session, community)
    theirs = LastLook(account_id=owner.id, scope="order", subject_id=order.id, seen_at=T0)
    session.add(theirs)
    session.flush()
    session.expunge(theirs)  # as if it were another session's row
    real_find = last_looks._find_look
    calls = iter([None])
    monkeypatch.setattr(last_looks, "_find_look", lambda *a: next(calls, None) or real_find(*a))
    view = mark_order_seen(session=session, viewer=_viewer(owner), order_id=order.id, at=LATER)
    assert (view.account_id, view.subject_id, view.seen_at) == (owner.id, order.id, LATER)
    assert session.scalar(select(func.count()).select_from(LastLook)) == 1


def test_mark_order_seen_of_an_order_the_viewer_may_not_see_is_not_found(
    session: Session,
) -> None:
    community, elsewhere = f.community(session), f.community(session)
    owner, neighbour = f.account(session, community), f.account(session, community)
    other_communitys = f.order_at_stage(session, elsewhere)
    neighbours_private = f.order_at_stage(session, community)
    neighbours_private.visibility, neighbours_private.reporter_id = "private", neighbour.id
    session.flush()
    for order in (other_communitys, neighbours_private):
        with pytest.raises(DomainError) as error:
            mark_order_seen(session=session, viewer=_viewer(owner), order_id=order.id, at=T0)
        _refused(error, "order.not_found")
    assert session.scalar(select(func.count()).select_from(LastLook)) == 0


def test_mark_order_seen_of_an_unknown_order_is_refused(session: Session) -> None:
    owner = f.account(session, f.community(session))
    with pytest.raises(DomainError) as error:
        mark_order_seen(session=session, viewer=_viewer(owner), order_id=424242, at=T0)
    _refused(error, "order.not_found")
