"""Write a community's patrols, maintenance and equipment read from a source system
(``records.SourceOperations``) into our tables — the same rules as ``apply`` for orders:

- **Idempotent.** Each record is linked in ``SyncLink`` with the fingerprint of what it said;
  an unchanged record is not touched.
- **Whole kinds are reconciled.** Routes, patrol plans, service items and equipment are read
  whole on every run: one linked but no longer read was deleted at the source and is withdrawn
  (a snapshot kept in ``WithdrawnRecord``, the row and what hangs on it removed). Shifts, plan
  tasks and faults are reconciled so only on a full run (``SourceOperations.complete``).
- **Staff** named by plans and tasks become ``Staff`` rows and stay (history points at them).
- **Photos** of check-ins and plan tasks are kept as references until fetched, like an
  order's (``data_access.sync.photos``).

Everything happens in the caller's transaction.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Protocol, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access.models import (
    Alert,
    Checkpoint,
    Community,
    Equipment,
    EquipmentFault,
    PatrolCheckin,
    PatrolPlan,
    PatrolRoute,
    PatrolShift,
    PhotoAttachment,
    PlanTask,
    ServiceContract,
    ServiceItem,
    Staff,
)
from data_access.sync.records import (
    SourceCheckin,
    SourceEquipment,
    SourceFault,
    SourceOperations,
    SourcePatrolPlan,
    SourcePhoto,
    SourcePlanTask,
    SourceRoute,
    SourceServiceItem,
    SourceShift,
    SourceStaff,
)
from data_access.sync.withdraw import keep_snapshot, row_snapshot

OPERATION_KINDS = (
    "staff", "route", "checkpoint", "patrol_plan", "shift", "service_item", "plan_task",
    "equipment", "fault",
)  # fmt: skip
NAME_MAX = 50
CODE_MAX = 32
POST_MAX = 32


class _HasId(Protocol):
    id: Any


Row = TypeVar("Row", bound=_HasId)


def apply_operations(
    *,
    session: Session,
    links: Any,  # apply._Links (kept there: one ledger per run)
    community: Community,
    operations: SourceOperations,
    source: str,
    now: dt.datetime,
    counts: dict[str, Any],
) -> None:
    """Write ``operations`` (see module doc); counts go into ``counts[kind]``."""
    writer = _Writer(session, links, community, source, now, counts)
    writer.staff(operations.staff)
    writer.routes(operations.routes)
    writer.patrol_plans(operations.patrol_plans)
    writer.shifts(operations.shifts, complete=operations.complete)
    writer.service_items(operations.service_items)
    writer.plan_tasks(operations.plan_tasks, complete=operations.complete)
    writer.equipment(operations.equipment)
    writer.faults(operations.faults, complete=operations.complete)
    session.flush()


class _Writer:
    def __init__(
        self,
        session: Session,
        links: Any,
        community: Community,
        source: str,
        now: dt.datetime,
        counts: dict[str, Any],
    ) -> None:
        self.session, self.links, self.community = session, links, community
        self.source, self.now, self.counts = source, now, counts
        self._external_of: dict[str, dict[int | None, str]] = {}
        self._photos_by_subject: defaultdict[tuple[str, int], set[str]] | None = None

    # --- the general rule ------------------------------------------------------------------------
    def upsert(
        self,
        kind: str,
        model: type[Row],
        records: Iterable[Any],
        values: Callable[[Any], dict[str, Any] | None],
        after: Callable[[Row, Any], None] | None = None,
    ) -> None:
        """Create or update one row per record; ``values`` None skips the record (counted)."""
        tally = self.counts[kind]
        for record in records:
            tally.read += 1
            local_id = self.links.local_id(kind, record.external_id)
            row = self.session.get(model, local_id) if local_id is not None else None
            if row is not None and self.links.unchanged(kind, record.external_id, record):
                tally.unchanged += 1
                continue
            fields = values(record)
            if fields is None:
                tally.skipped["refers to a record that was not read"] += 1
                continue
            if row is None:
                row = model(**fields)
                self.session.add(row)
                self.session.flush()
                tally.created += 1
            else:
                for name, value in fields.items():
                    setattr(row, name, value)
                tally.updated += 1
            if after is not None:
                after(row, record)
            self.links.save(kind, record.external_id, community_id=self.community.id,
                            local_id=row.id, record=record)  # fmt: skip

    def withdraw_missing(
        self,
        kind: str,
        model: type[Row],
        present: set[str],
        remove: Callable[[Row], None],
        belongs: Callable[[Row], bool] | None = None,
    ) -> None:
        """Withdraw this community's linked rows of ``kind`` (those ``belongs`` accepts, if
        given) whose record was not read."""
        tally = self.counts[kind]
        for external_id, link in list(self.links.of(kind).items()):
            if link.community_id != self.community.id or external_id in present:
                continue
            row = self.session.get(model, link.local_id or 0)
            if row is not None and belongs is not None and not belongs(row):
                continue
            if row is not None:
                keep_snapshot(self.session, self.source, kind, external_id, self.community.id,
                              self.now, {kind: row_snapshot(row)})  # fmt: skip
                remove(row)
                self.session.flush()
            self.links.forget(kind, external_id)
            tally.withdrawn += 1

    def local(self, kind: str, external_id: str | None) -> int | None:
        return self.links.local_id(kind, external_id) if external_id else None

    # --- staff -------------------------------------------------------------------------------------
    def staff(self, records: Sequence[SourceStaff]) -> None:
        self.upsert(
            "staff",
            Staff,
            records,
            lambda r: {
                "community_id": self.community.id,
                "name": r.name.strip()[:NAME_MAX] or r.external_id[-NAME_MAX:],
                "phone": "",
                "post": r.post[:POST_MAX],
                "team": self.source.upper(),
                "is_active": True,
            },
        )

    # --- patrols -----------------------------------------------------------------------------------
    def routes(self, records: Sequence[SourceRoute]) -> None:
        taken = set(
            self.session.scalars(
                select(PatrolRoute.name).where(PatrolRoute.community_id == self.community.id)
            )
        )

        def values(record: SourceRoute) -> dict[str, Any]:
            local_id = self.local("route", record.external_id)
            current = self.session.get(PatrolRoute, local_id) if local_id else None
            name = record.name.strip()[:NAME_MAX] or record.external_id[-NAME_MAX:]
            if (current is None or current.name != name) and name in taken:
                name = f"{name[: NAME_MAX - 8]}#{record.external_id[-6:]}"
            if current is not None:
                taken.discard(current.name)
            taken.add(name)
            return {"community_id": self.community.id, "name": name}

        self.upsert("route", PatrolRoute, records, values, after=self._checkpoints)
        self.withdraw_missing(
            "route", PatrolRoute, {r.external_id for r in records}, self._remove_route
        )

    def _checkpoints(self, route: PatrolRoute, record: SourceRoute) -> None:
        self.upsert(
            "checkpoint",
            Checkpoint,
            record.checkpoints,
            lambda c: {
                "route_id": route.id,
                "seq": c.seq,
                "name": c.name.strip()[:NAME_MAX] or c.external_id[-NAME_MAX:],
                "x": c.x,
                "y": c.y,
                "photo_required": c.photo_required,
                "valid_from": c.valid_from,
                "valid_to": c.valid_to,
            },
        )
        self.withdraw_missing(
            "checkpoint",
            Checkpoint,
            {c.external_id for c in record.checkpoints},
            self._remove_checkpoint,
            belongs=lambda checkpoint: checkpoint.route_id == route.id,
        )

    def patrol_plans(self, records: Sequence[SourcePatrolPlan]) -> None:
        def values(record: SourcePatrolPlan) -> dict[str, Any] | None:
            route_id = self.local("route", record.route_external_id)
            if route_id is None:
                return None
            return {
                "community_id": self.community.id,
                "route_id": route_id,
                "name": record.name.strip()[:NAME_MAX] or record.external_id[-NAME_MAX:],
                "post": record.post[:POST_MAX],
                "times_per_day": 1,
                "time_slots": f"{record.slot_start:%H:%M}-{record.slot_end:%H:%M}",
                "expected_minutes": max(1, record.expected_minutes),
                "expected_distance_m": record.expected_distance_m or None,
                "valid_from": record.valid_from,
                "valid_to": record.valid_to,
                "source": self.source,
            }

        self.upsert("patrol_plan", PatrolPlan, records, values)
        self.withdraw_missing(
            "patrol_plan", PatrolPlan, {r.external_id for r in records}, self._remove_plan
        )

    def shifts(self, records: Sequence[SourceShift], *, complete: bool) -> None:
        slots = _numbers_within(
            records, lambda r: (r.plan_external_id, r.shift_date), self.links.of("shift")
        )

        def values(record: SourceShift) -> dict[str, Any] | None:
            plan_id = self.local("patrol_plan", record.plan_external_id)
            if plan_id is None:
                return None
            return {
                "community_id": self.community.id,
                "plan_id": plan_id,
                "shift_date": record.shift_date,
                "slot_no": slots[record.external_id],
                "guard_id": self.local("staff", record.guard_external_id),
                "planned_start_at": record.planned_start_at,
                "planned_end_at": record.planned_end_at,
                "started_at": record.started_at,
                "ended_at": record.ended_at,
                "distance_m": record.distance_m,
            }

        self._free_numbers(PatrolShift, "shift", records, slots, "slot_no")
        self.upsert("shift", PatrolShift, records, values, after=self._checkins)
        if complete:
            self.withdraw_missing(
                "shift", PatrolShift, {r.external_id for r in records}, self._remove_shift
            )

    def _checkins(self, shift: PatrolShift, record: SourceShift) -> None:
        existing = {
            c.checkpoint_id: c
            for c in self.session.scalars(
                select(PatrolCheckin).where(PatrolCheckin.shift_id == shift.id)
            )
        }
        wanted: dict[int, SourceCheckin] = {}
        for checkin in record.checkins:
            checkpoint_id = self.local("checkpoint", checkin.checkpoint_external_id)
            if checkpoint_id is None:
                self.counts["shift"].skipped["check-in at a point not on the route"] += 1
                continue
            wanted[checkpoint_id] = checkin
        for checkpoint_id, gone in existing.items():
            if checkpoint_id not in wanted:
                self._remove_checkin(gone)
        self.session.flush()
        for checkpoint_id, checkin in wanted.items():
            row = existing.get(checkpoint_id)
            if row is None:
                row = PatrolCheckin(shift_id=shift.id, checkpoint_id=checkpoint_id,
                                    checked_at=checkin.checked_at)  # fmt: skip
                self.session.add(row)
                self.session.flush()
            else:
                row.checked_at = checkin.checked_at
            self._photos(checkin.photos, {"checkin_id": row.id})

    # --- maintenance -------------------------------------------------------------------------------
    def service_items(self, records: Sequence[SourceServiceItem]) -> None:
        contract_id = self.session.scalar(
            select(ServiceContract.id)
            .where(ServiceContract.community_id == self.community.id)
            .order_by(ServiceContract.start_date.desc(), ServiceContract.id.desc())
        )
        if contract_id is None:
            self.counts["service_item"].skipped["community has no contract"] += len(records)
            return

        def values(record: SourceServiceItem) -> dict[str, Any]:
            return {
                "contract_id": contract_id,
                "code": record.external_id[-CODE_MAX:],
                "name": record.name.strip()[:100] or record.external_id,
                "tier": "basic",
                "category": record.category,
                "standard": record.standard,
                "recurrence": record.recurrence,
                "times_per_day": 1,
                "weekdays": record.weekdays,
                "month_days": record.month_days,
                "window_start": record.window_start,
                "window_end": record.window_end,
                "expected_minutes": max(1, record.expected_minutes),
                "area_id": None,
                "default_assignee_id": None,
                "valid_from": record.valid_from,
                "valid_to": record.valid_to,
                "source": self.source,
            }

        self.upsert("service_item", ServiceItem, records, values)
        self.withdraw_missing(
            "service_item", ServiceItem, {r.external_id for r in records}, self._remove_item
        )

    def plan_tasks(self, records: Sequence[SourcePlanTask], *, complete: bool) -> None:
        seqs = _numbers_within(
            records, lambda r: (r.item_external_id, r.due_date), self.links.of("plan_task")
        )

        def values(record: SourcePlanTask) -> dict[str, Any] | None:
            item_id = self.local("service_item", record.item_external_id)
            if item_id is None:
                return None
            return {
                "community_id": self.community.id,
                "item_id": item_id,
                "due_date": record.due_date,
                "seq": seqs[record.external_id],
                "window_start_at": record.window_start_at,
                "window_end_at": record.window_end_at,
                "assignee_id": self.local("staff", record.assignee_external_id),
                "status": record.status,
                "completed_at": record.completed_at,
                "note": record.note,
            }

        self._free_numbers(PlanTask, "plan_task", records, seqs, "seq")
        self.upsert(
            "plan_task",
            PlanTask,
            records,
            values,
            after=lambda task, record: self._photos(record.photos, {"plan_task_id": task.id}),
        )
        if complete:
            self.withdraw_missing(
                "plan_task", PlanTask, {r.external_id for r in records}, self._remove_task
            )

    # --- equipment ---------------------------------------------------------------------------------
    def equipment(self, records: Sequence[SourceEquipment]) -> None:
        # Withdrawn first: a code a deleted piece held may pass to another one.
        self.withdraw_missing(
            "equipment", Equipment, {r.external_id for r in records}, self._remove_equipment
        )
        self.upsert(
            "equipment",
            Equipment,
            records,
            lambda r: {
                "community_id": self.community.id,
                "area_id": self.local("building", r.building_external_id),
                "code": r.code[:CODE_MAX],
                "name": r.name.strip()[:100] or r.code,
                "kind": r.kind[:32],
                "installed_on": r.installed_on,
            },
        )

    def faults(self, records: Sequence[SourceFault], *, complete: bool) -> None:
        def values(record: SourceFault) -> dict[str, Any] | None:
            equipment_id = self.local("equipment", record.equipment_external_id)
            if equipment_id is None:
                return None
            return {
                "equipment_id": equipment_id,
                "occurred_at": record.occurred_at,
                "resolved_at": record.resolved_at,
                "description": record.description,
                "work_order_id": None,
            }

        self.upsert("fault", EquipmentFault, records, values)
        if complete:
            self.withdraw_missing(
                "fault", EquipmentFault, {r.external_id for r in records}, self.session.delete
            )

    # --- photos ------------------------------------------------------------------------------------
    def _photos(self, photos: Sequence[SourcePhoto], subject: dict[str, int]) -> None:
        tally = self.counts["photo"]
        ((column, subject_id),) = subject.items()
        known = self._photo_links_of(column, subject_id)
        for photo in photos:
            tally.read += 1
            if photo.external_id in self.links.of("photo"):
                tally.unchanged += 1
                continue
            pending = json.dumps({"url": photo.url, "kind": photo.kind, **subject})
            self.links.save("photo", photo.external_id, community_id=self.community.id,
                            local_id=None, pending=pending)  # fmt: skip
            known.add(photo.external_id)
            tally.created += 1
        listed = {photo.external_id for photo in photos}
        for external_id in sorted(known - listed):
            self._forget_photo(external_id)
            known.discard(external_id)

    def _photo_links_of(self, column: str, subject_id: int) -> set[str]:
        """The photo references of one check-in or task (indexed once per run)."""
        if self._photos_by_subject is None:
            self._photos_by_subject = defaultdict(set)
            for external_id, link in self.links.of("photo").items():
                for name, value in _photo_subject(link.pending).items():
                    if name in ("checkin_id", "plan_task_id") and isinstance(value, int):
                        self._photos_by_subject[(name, value)].add(external_id)
        return self._photos_by_subject[(column, subject_id)]

    def _forget_photo(self, external_id: str) -> None:
        link = self.links.of("photo").get(external_id)
        if link is None:
            return
        attachment = self.session.get(PhotoAttachment, link.local_id or 0)
        if attachment is not None:
            self.session.delete(attachment)
        self.links.forget("photo", external_id)
        self.counts["photo"].withdrawn += 1

    def _forget_photos_of(self, column: str, subject_id: int) -> None:
        known = self._photo_links_of(column, subject_id)
        for external_id in sorted(known):
            self._forget_photo(external_id)
        known.clear()
        for attachment in self.session.scalars(
            select(PhotoAttachment).where(getattr(PhotoAttachment, column) == subject_id)
        ):
            self.session.delete(attachment)

    # --- removing what hangs on a withdrawn row ------------------------------------------------------
    def _remove_checkin(self, checkin: PatrolCheckin) -> None:
        self._forget_photos_of("checkin_id", checkin.id)
        self.session.flush()
        self.session.delete(checkin)

    def _remove_shift(self, shift: PatrolShift) -> None:
        for checkin in self.session.scalars(
            select(PatrolCheckin).where(PatrolCheckin.shift_id == shift.id)
        ):
            self._remove_checkin(checkin)
        self._unlink_alerts(Alert.shift_id == shift.id, shift_id=None)
        self.session.flush()
        self.session.delete(shift)

    def _remove_plan(self, plan: PatrolPlan) -> None:
        for shift in self.session.scalars(
            select(PatrolShift).where(PatrolShift.plan_id == plan.id)
        ):
            self._forget_link("shift", shift.id)
            self._remove_shift(shift)
        self.session.flush()
        self.session.delete(plan)

    def _remove_checkpoint(self, checkpoint: Checkpoint) -> None:
        for checkin in self.session.scalars(
            select(PatrolCheckin).where(PatrolCheckin.checkpoint_id == checkpoint.id)
        ):
            self._remove_checkin(checkin)
        self.session.flush()
        self.session.delete(checkpoint)

    def _remove_route(self, route: PatrolRoute) -> None:
        for plan in self.session.scalars(select(PatrolPlan).where(PatrolPlan.route_id == route.id)):
            self._forget_link("patrol_plan", plan.id)
            self._remove_plan(plan)
        for checkpoint in self.session.scalars(
            select(Checkpoint).where(Checkpoint.route_id == route.id)
        ):
            self._forget_link("checkpoint", checkpoint.id)
            self._remove_checkpoint(checkpoint)
        self.session.flush()
        self.session.delete(route)

    def _remove_task(self, task: PlanTask) -> None:
        self._forget_photos_of("plan_task_id", task.id)
        self.session.flush()
        self.session.delete(task)

    def _remove_item(self, item: ServiceItem) -> None:
        for task in self.session.scalars(select(PlanTask).where(PlanTask.item_id == item.id)):
            self._forget_link("plan_task", task.id)
            self._remove_task(task)
        self.session.flush()
        self.session.delete(item)

    def _remove_equipment(self, equipment: Equipment) -> None:
        for fault in self.session.scalars(
            select(EquipmentFault).where(EquipmentFault.equipment_id == equipment.id)
        ):
            self._forget_link("fault", fault.id)
            self.session.delete(fault)
        self._unlink_alerts(Alert.equipment_id == equipment.id, equipment_id=None)
        self.session.flush()
        self.session.delete(equipment)

    def _unlink_alerts(self, condition: Any, **values: None) -> None:
        for alert in self.session.scalars(select(Alert).where(condition)):
            for name, value in values.items():
                setattr(alert, name, value)

    def _forget_link(self, kind: str, local_id: int) -> None:
        """Forget the link of a row removed with its parent (counted as withdrawn)."""
        if kind not in self._external_of:
            self._external_of[kind] = {
                link.local_id: external_id for external_id, link in self.links.of(kind).items()
            }
        external_id = self._external_of[kind].pop(local_id, None)
        if external_id is not None:
            self.links.forget(kind, external_id)
            self.counts[kind].withdrawn += 1

    def _free_numbers(
        self,
        model: type[Row],
        kind: str,
        records: Sequence[Any],
        numbers: dict[str, int],
        column: str,
    ) -> None:
        """Move rows whose number changes out of the way first (to minus their id): a
        number is unique within its (plan, day) and two rows may swap."""
        moved = False
        for record in records:
            local_id = self.local(kind, record.external_id)
            row = self.session.get(model, local_id) if local_id is not None else None
            if row is not None and getattr(row, column) != numbers[record.external_id]:
                setattr(row, column, -row.id)
                moved = True
        if moved:
            self.session.flush()


def _numbers_within(
    records: Sequence[Any], group: Callable[[Any], tuple[str, dt.date]], links: dict[str, Any]
) -> dict[str, int]:
    """0, 1, … within each group (a plan's day), in the order of the records' ids: the slot
    of a shift or the sequence number of a task."""
    grouped: dict[tuple[str, dt.date], list[str]] = defaultdict(list)
    for record in records:
        grouped[group(record)].append(record.external_id)
    return {
        external_id: n
        for members in grouped.values()
        for n, external_id in enumerate(sorted(members))
    }


def _photo_subject(pending: str) -> dict[str, Any]:
    try:
        found = json.loads(pending or "{}")
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}
