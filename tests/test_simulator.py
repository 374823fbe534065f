"""The live simulator on a tiny hand-built database (both engines) and through the CLI."""

from __future__ import annotations

import datetime as dt
import itertools
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypedDict, Unpack

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

import simulator
from data_access.db import make_engine, make_session_factory, migrate, write_session
from data_access.errors import DomainError
from data_access.flows import WORK_ORDER_FLOWS, derive_progress
from data_access.media.photos import photo_path
from data_access.models import Photo, PhotoAttachment, SlaRule, WorkOrder, WorkOrderEvent
from simulator import SimulationResult, run_simulation
from tests.data_access import factories as f
from tests.data_access.factories import T0

ROOT = Path(__file__).resolve().parent.parent
NOW = T0 + dt.timedelta(days=1)  # 2026-10-02 10:00 Asia/Shanghai


@dataclass(frozen=True)
class Tiny:
    """Order ids of the tiny database, by what they are there for."""

    finishing: int  # a repair awaiting acceptance: completes on the first tick
    complaint: int
    brand: int
    dispatched: int  # a repair that may take the parts detour
    done: int  # completed: never touched
    future: int  # created after "now": never touched
    elsewhere: int  # another community: outside the scope


def _tiny(factory: sessionmaker[Session]) -> Tiny:
    with write_session(factory) as s:
        community = f.community(s, code="SIM", name="模拟小区")
        f.building(s, community, "3栋")
        f.staff(s, community, "孙琳", post="客服")
        fixer = f.staff(s, community, "李建军", post="维修工")
        f.account(s, community, username="owner-sim")

        def order(order_type: str, stage: str = "", created_at: dt.datetime = T0) -> int:
            return f.order_at_stage(
                s, community, order_type, stage, created_at=created_at, assignee_id=fixer.id
            ).id

        other = f.community(s, code="OTHER")
        return Tiny(
            finishing=order("repair", "awaiting_acceptance"),
            complaint=order("complaint"),
            brand=order("brand_service"),
            dispatched=order("repair", "dispatched"),
            done=order("repair", "completed"),
            future=order("repair", created_at=NOW + dt.timedelta(hours=1)),
            elsewhere=f.order_at_stage(s, other, "repair").id,
        )


def _events(session: Session, order_id: int) -> list[WorkOrderEvent]:
    return list(
        session.scalars(
            select(WorkOrderEvent)
            .where(WorkOrderEvent.work_order_id == order_id)
            .order_by(WorkOrderEvent.occurred_at, WorkOrderEvent.id)
        )
    )


def _assert_legal_walk(order_type: str, stages: list[str]) -> None:
    """Forward only, and every stage jumped over is optional (notes repeat a stage)."""
    flow = WORK_ORDER_FLOWS[order_type]
    position = {stage.code: i for i, stage in enumerate(flow)}
    for before, after in itertools.pairwise(stages):
        assert position[after] >= position[before], stages
        skipped = flow[position[before] + 1 : position[after]]
        assert all(stage.optional for stage in skipped), stages


class SimulationOptions(TypedDict, total=False):
    """``run_simulation``'s arguments besides the database and the media folder."""

    pace_seconds: float
    steps: int | None
    communities: Sequence[str] | None
    rng_seed: int | None
    now_fn: Callable[[], dt.datetime]
    orders_per_tick: int
    new_order_chance: float
    echo: Callable[[str], None]
    sleep: Callable[[float], None]


def _simulate(
    factory: sessionmaker[Session], media: Path, **kw: Unpack[SimulationOptions]
) -> SimulationResult:
    options: SimulationOptions = {
        "pace_seconds": 0, "steps": 3, "communities": ["sim"], "rng_seed": 7,
        "now_fn": lambda: NOW, "orders_per_tick": 4, "new_order_chance": 0.0,
        "echo": lambda line: None, **kw,
    }  # fmt: skip
    return run_simulation(session_factory=factory, media_dir=media, **options)


def test_three_ticks_move_open_orders_forward_by_the_rules(
    session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    tiny = _tiny(session_factory)
    moving = (tiny.finishing, tiny.complaint, tiny.brand, tiny.dispatched)
    untouched = (tiny.done, tiny.future, tiny.elsewhere)
    with session_factory() as s:
        before = {i: [e.stage for e in _events(s, i)] for i in (*moving, *untouched)}
        versions = {i: s.get_one(WorkOrder, i).version for i in untouched}

    result = _simulate(session_factory, tmp_path)

    assert (result.ticks, result.interrupted) == (3, False)
    with session_factory() as s:
        orders = {i: s.get_one(WorkOrder, i) for i in (*moving, *untouched)}
        after = {i: [e.stage for e in _events(s, i)] for i in orders}
        for i in moving:
            order_type = orders[i].order_type
            assert after[i][: len(before[i])] == before[i]  # appended, never rewritten
            assert len(after[i]) > len(before[i])
            _assert_legal_walk(order_type, after[i])
            old, new = derive_progress(order_type, before[i]), derive_progress(order_type, after[i])
            assert new.step > old.step, (old, new)
            assert orders[i].version == len(after[i])
        for i in untouched:
            assert (after[i], orders[i].version) == (before[i], versions[i])

        finished = orders[tiny.finishing]
        assert after[tiny.finishing][-1] == "completed" and finished.completed_at == NOW
        completion = _events(s, tiny.finishing)[-1]
        photo = s.scalars(
            select(PhotoAttachment).where(PhotoAttachment.work_order_id == finished.id)
        ).one()
        assert (photo.kind, photo.work_order_event_id) == ("after", completion.id)
        stored = s.get_one(Photo, photo.photo_id)
        assert photo_path(stored.sha256, stored.mime_type, tmp_path).exists()

        new_events = sum(len(after[i]) - len(before[i]) for i in moving)
        assert len(result.changes) == new_events
        # 4 moves, then 3 (the repair is done), then 2 (so is the brand service)
        assert new_events == 9


def test_a_run_is_reproducible_from_its_seed(tmp_path: Path) -> None:
    """Same database, same seed: the same moves (only the timestamps are the clock's)."""
    runs = []
    for name in ("a", "b"):
        engine = make_engine(f"sqlite:///{tmp_path / name}.db")
        migrate(engine)
        factory = make_session_factory(engine)
        _tiny(factory)
        result = _simulate(factory, tmp_path / name, steps=4, new_order_chance=0.5)
        with factory() as s:  # factory codes differ between the two databases; ids do not
            ids = {code: id_ for code, id_ in s.execute(select(WorkOrder.code, WorkOrder.id))}
        runs.append([(ids[c.order_code], c.from_stage, c.to_stage, c.text) for c in result.changes])
        engine.dispose()
    assert runs[0] == runs[1]
    assert len(runs[0]) >= 8


def test_new_public_orders_are_reported_with_a_before_photo_and_contract_deadlines(
    session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    with write_session(session_factory) as s:
        community = f.community(s, code="SIM")
        f.building(s, community, "3栋")
        f.staff(s, community, "李建军", post="维修工")
        contract = f.contract(s, community)
        s.add_all(
            SlaRule(contract_id=contract.id, order_type=order_type, category="*",
                    priority=priority, respond_minutes=11, resolve_minutes=111)
            for order_type in ("repair", "complaint") for priority in ("urgent", "normal")
        )  # fmt: skip
    lines: list[str] = []
    result = _simulate(
        session_factory, tmp_path, orders_per_tick=0, new_order_chance=1.0, echo=lines.append
    )
    assert [c.from_stage for c in result.changes] == [None, None, None]
    assert all("新工单 已提交" in line and line.startswith("10:00:00 SIM ") for line in lines)
    with session_factory() as s:
        orders = s.scalars(select(WorkOrder).order_by(WorkOrder.id)).all()
        assert len({o.code for o in orders}) == 3
        for order in orders:
            assert order.code[2:] in ("20261002001", "20261002002", "20261002003")
            assert (order.visibility, order.unit_id, order.created_at) == ("public", None, NOW)
            assert order.respond_due_at == NOW + dt.timedelta(minutes=11)
            assert order.resolve_due_at == NOW + dt.timedelta(minutes=111)
            assert [e.stage for e in _events(s, order.id)] == ["submitted"]
            kinds = s.scalars(
                select(PhotoAttachment.kind).where(PhotoAttachment.work_order_id == order.id)
            ).all()
            assert kinds == ["before"]


def test_ctrl_c_between_ticks_stops_cleanly(
    session_factory: sessionmaker[Session], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The wait after a tick is the rest of the pace (the tick took 0.7 s on the simulator's
    clock, set here: a loaded machine must not change what is checked); Ctrl-C during it ends
    the run cleanly."""
    _tiny(session_factory)
    readings = iter([100.0, 100.7])
    monkeypatch.setattr(simulator.time, "monotonic", lambda: next(readings))
    waits: list[float] = []

    def interrupted(seconds: float) -> None:
        waits.append(seconds)
        raise KeyboardInterrupt

    result = _simulate(session_factory, tmp_path, pace_seconds=5, steps=None, sleep=interrupted)
    assert (result.ticks, result.interrupted) == (1, True)
    assert waits == [pytest.approx(4.3)]
    assert len(result.changes) == 4


def test_an_unknown_community_is_refused(
    session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    _tiny(session_factory)
    with pytest.raises(DomainError) as error:
        _simulate(session_factory, tmp_path, communities=["NOPE"])
    assert error.value.key == "community.unknown"


# --- the command line ---------------------------------------------------------------------------
def _manage(*args: str, media: Path) -> subprocess.CompletedProcess[str]:
    import os

    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, capture_output=True, text=True,
        timeout=120, env={**os.environ, "MEDIA_DIR": str(media)},
    )  # fmt: skip


def test_cli_simulate_one_tick(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    engine = make_engine(url)
    migrate(engine)
    factory = make_session_factory(engine)
    with write_session(factory) as s:
        community = f.community(s, code="CLI")
        codes = {f.order_at_stage(s, community, "repair", "accepted").code for _ in range(2)}
    engine.dispose()

    result = _manage(
        "--database-url", url, "simulate", "--steps", "1", "--pace", "0", "--seed", "1",
        media=tmp_path / "media",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "seed 1" in lines[0]
    moved = [line for line in lines if " CLI " in line]
    assert len(moved) >= 2
    assert {line.split()[2] for line in moved if "已受理 →" in line} == codes
    assert "已停止 / stopped: 1 轮 / ticks" in lines[-1]


def test_cli_simulate_needs_a_migrated_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    result = _manage("--database-url", url, "simulate", "--steps", "1", media=tmp_path)
    assert result.returncode == 2
    assert "manage.py migrate" in result.stderr
    assert "Traceback" not in result.stderr
