"""Reading one HC community and translating it into ``data_access.sync.records``.

Only live rows (``status_cd = '0'``) are read. Every value that cannot be translated is counted
per (table, column, code) in the batch's findings, and every row left out with its reason.
The mapping table is in docs/connectors.md.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, bindparam, text

from connectors.hc import codes
from connectors.hc.operations import OperationsReader
from connectors.hc.source import SourceError
from connectors.hc.values import integer as _int
from connectors.hc.values import naive as _naive
from data_access.imports.order_import import order_code
from data_access.sync.records import (
    Findings,
    SourceBatch,
    SourceBuilding,
    SourceCommunity,
    SourceOrder,
    SourceOwner,
    SourcePart,
    SourcePhoto,
    SourceRating,
    SourceStep,
    SourceUnit,
)

REPAIR_CODE_PREFIX = "HC-"
COMPLAINT_CODE_PREFIX = "HCT-"
SOURCE_ACTOR = "HC"
SCORE_RANGE = range(1, 6)
_CHUNK = 500
PAGE_SIZE = 1_000  # repairs read and written together on a full run
_REPLY_PREFIX = re.compile(r"^\s*回复[^:：]{0,64}[:：]\s*")
# Two closes of the same order further apart than this are a close, a sending back, and a
# second close (a forced close writes two rows at the same moment).
_SEPARATE_CLOSES = dt.timedelta(minutes=1)


@dataclass(frozen=True)
class ReadScope:
    """Which records of the community to read. ``since`` None: everything (a full run);
    otherwise rows created since then, plus the orders ``recheck`` names (unfinished ones)."""

    since: dt.datetime | None
    recheck_repairs: frozenset[str] = frozenset()
    recheck_complaints: frozenset[str] = frozenset()
    # The oldest equipment fault still open on our side: results since then are re-read.
    open_faults_since: dt.datetime | None = None


class Reader:
    """Reads one community from an open connection (session zone UTC, see ``source``)."""

    def __init__(self, connection: Connection, *, source_zone: ZoneInfo, photo_base: str) -> None:
        self.connection = connection
        self.zone = source_zone
        self.photo_base = photo_base
        self.findings = Findings()

    # --- helpers ----------------------------------------------------------------------------------
    def rows(self, sql: str, **params: Any) -> list[dict[str, Any]]:
        statement = text(sql)
        for name, value in params.items():
            if isinstance(value, (list, tuple, set, frozenset)):
                statement = statement.bindparams(bindparam(name, expanding=True))
                params[name] = list(value)
        return [dict(row._mapping) for row in self.connection.execute(statement, params)]

    def rows_in(self, sql: str, ids: Iterable[str], **params: Any) -> list[dict[str, Any]]:
        """``sql`` with ``:ids`` bound to ``ids`` in chunks."""
        ordered = sorted(set(ids))
        found: list[dict[str, Any]] = []
        for start in range(0, len(ordered), _CHUNK):
            found.extend(self.rows(sql, ids=ordered[start : start + _CHUNK], **params))
        return found

    def local(self, value: object) -> dt.datetime | None:
        """A DATETIME column (HC's local wall time) as naive UTC."""
        if not isinstance(value, dt.datetime):
            return None
        return value.replace(tzinfo=self.zone).astimezone(dt.UTC).replace(tzinfo=None)

    def photo_url(self, name: str) -> str:
        name = (name or "").strip()
        if name.startswith(("http://", "https://")):
            return name
        return self.photo_base.rstrip("/") + "/" + name.lstrip("/") if self.photo_base else name

    # --- the community ------------------------------------------------------------------------------
    def read(self, community_id: str, code: str, scope: ReadScope) -> SourceBatch:
        found = self.rows(
            "SELECT community_id, name, address, tel FROM s_community"
            " WHERE community_id = :id AND status_cd = '0'",
            id=community_id,
        )
        if not found:
            raise SourceError("sync.community_not_found", community=community_id)
        row = found[0]
        batch = SourceBatch(
            community=SourceCommunity(
                external_id=community_id,
                code=code,
                name=str(row["name"] or code),
                address=str(row["address"] or ""),
                city="",
                phone=str(row["tel"] or "").strip(),
            ),
            complete=scope.since is None,
            findings=self.findings,
        )
        places = self._places(community_id, batch)
        batch.order_pages = self._repairs(community_id, scope, places, batch)
        batch.orders.extend(self._complaints(community_id, scope, places, batch))
        batch.operations = OperationsReader(self, community_id, places).read(scope)
        return batch

    # --- buildings, rooms, owners ----------------------------------------------------------------------
    def _places(self, community_id: str, batch: SourceBatch) -> _Places:
        places = _Places()
        for row in self.rows(
            "SELECT floor_id, floor_num, name FROM f_floor"
            " WHERE community_id = :id AND status_cd = '0' ORDER BY floor_id",
            id=community_id,
        ):
            floor_id = str(row["floor_id"])
            name = str(row["name"] or "").strip() or f"{row['floor_num']}栋"
            batch.buildings.append(SourceBuilding(external_id=floor_id, name=name))
            places.building_of_floor[floor_id] = floor_id
        units = self.rows_in(
            "SELECT unit_id, unit_num, floor_id FROM building_unit"
            " WHERE floor_id IN :ids AND status_cd = '0'",
            places.building_of_floor,
        )
        unit_floor = {str(u["unit_id"]): str(u["floor_id"]) for u in units}
        unit_num = {str(u["unit_id"]): str(u["unit_num"] or "") for u in units}
        places.floor_of_unit.update(unit_floor)
        for room in self.rows_in(
            "SELECT room_id, room_num, unit_id, built_up_area FROM building_room"
            " WHERE unit_id IN :ids AND status_cd = '0' ORDER BY room_id",
            unit_floor,
        ):
            room_id, unit_id = str(room["room_id"]), str(room["unit_id"])
            entrance = _int(unit_num[unit_id])
            if entrance is None:
                self.findings.unmapped_value("building_unit", "unit_num", unit_num[unit_id])
                entrance = 1
            batch.units.append(
                SourceUnit(
                    external_id=room_id,
                    building_external_id=unit_floor[unit_id],
                    entrance=entrance,
                    room=str(room["room_num"] or room_id),
                    floor_area_m2=float(room["built_up_area"] or 0),
                )
            )
            places.floor_of_room[room_id] = unit_floor[unit_id]
            places.room_name[room_id] = f"{unit_num[unit_id]}-{room['room_num']}"
        rels = self.rows_in(
            "SELECT owner_id, room_id FROM building_owner_room_rel"
            " WHERE room_id IN :ids AND status_cd = '0'",
            places.floor_of_room,
        )
        rooms_of_owner: dict[str, set[str]] = defaultdict(set)
        for rel in rels:
            rooms_of_owner[str(rel["owner_id"])].add(str(rel["room_id"]))
        # Identity documents (id_card) and addresses are never read.
        for person in self.rows_in(
            "SELECT member_id, owner_id, name, link, owner_type_cd FROM building_owner"
            " WHERE owner_id IN :ids AND status_cd = '0' ORDER BY member_id",
            rooms_of_owner,
        ):
            member_id, owner_id = str(person["member_id"]), str(person["owner_id"])
            rooms = tuple(sorted(rooms_of_owner[owner_id]))
            batch.owners.append(
                SourceOwner(
                    external_id=member_id,
                    name=str(person["name"] or ""),
                    phone=str(person["link"] or ""),
                    unit_external_ids=rooms,
                )
            )
            places.owner_ids.add(member_id)
            places.member_of_owner.setdefault(owner_id, member_id)
            if person["owner_type_cd"] == codes.HOUSEHOLDER:
                places.member_of_owner[owner_id] = member_id
            for room_id in rooms:
                places.people_of_room[room_id].append((member_id, str(person["link"] or "")))
                if member_id == owner_id:
                    places.householder_of_room[room_id] = member_id
        return places

    # --- repairs ------------------------------------------------------------------------------------------
    def _repairs(
        self, community_id: str, scope: ReadScope, places: _Places, batch: SourceBatch
    ) -> Iterable[tuple[list[SourceOrder], list[SourceRating]]]:
        """The repairs as pages of (orders, their ratings): read page by page on a full run,
        as one page of what is new on an incremental one."""
        settings = {
            str(s["repair_type"]): s
            for s in self.rows(
                "SELECT repair_type, repair_type_name, public_area, repair_setting_type, do_time"
                " FROM r_repair_setting"
                " WHERE community_id = :id AND status_cd = '0'",
                id=community_id,
            )
        }
        columns = (
            "repair_id, repair_type, repair_name, tel, context, create_time, state,"
            " repair_obj_type, repair_obj_id, repair_obj_name, timeout, finish_time, status_cd"
        )
        if scope.since is None:
            return self._all_repair_pages(community_id, columns, settings, places)
        else:
            touched = {
                str(r["repair_id"])
                for r in self.rows(
                    "SELECT DISTINCT repair_id FROM r_repair_user"
                    " WHERE community_id = :id AND create_time >= :since",
                    id=community_id,
                    since=scope.since,
                )
            } | {
                str(r["obj_id"])
                for r in self.rows(
                    "SELECT DISTINCT obj_id FROM appraise WHERE create_time >= :since",
                    since=scope.since,
                )
            }
            wanted = set(scope.recheck_repairs) | touched
            pools = self.rows(
                f"SELECT {columns} FROM r_repair_pool"
                " WHERE community_id = :id AND create_time >= :since AND status_cd = '0'",
                id=community_id, since=scope.since,
            )  # fmt: skip
            have = {str(p["repair_id"]) for p in pools}
            for pool in self.rows_in(
                f"SELECT {columns} FROM r_repair_pool WHERE repair_id IN :ids"
                " AND community_id = :id",
                wanted - have,
                id=community_id,
            ):
                if pool["status_cd"] == codes.LIVE:
                    pools.append(pool)
                else:
                    batch.deleted_orders.add(_repair_key(str(pool["repair_id"])))
            found = {str(p["repair_id"]) for p in pools}
            batch.deleted_orders.update(
                _repair_key(r) for r in scope.recheck_repairs - found if r not in have
            )
        return [self._repair_page(pools, settings, places)]

    def _all_repair_pages(
        self,
        community_id: str,
        columns: str,
        settings: dict[str, dict[str, Any]],
        places: _Places,
    ) -> Iterator[tuple[list[SourceOrder], list[SourceRating]]]:
        """Every live repair, a page at a time in id order (one consistent snapshot: the
        read-only transaction stays open while the pages are written)."""
        after = ""
        while True:
            pools = self.rows(
                f"SELECT {columns} FROM r_repair_pool WHERE community_id = :id"
                " AND status_cd = '0' AND repair_id > :after ORDER BY repair_id LIMIT :size",
                id=community_id, after=after, size=PAGE_SIZE,
            )  # fmt: skip
            if not pools:
                return
            yield self._repair_page(pools, settings, places)
            after = str(pools[-1]["repair_id"])

    def _repair_page(
        self,
        pools: list[dict[str, Any]],
        settings: dict[str, dict[str, Any]],
        places: _Places,
    ) -> tuple[list[SourceOrder], list[SourceRating]]:
        ids = [str(p["repair_id"]) for p in pools]
        steps = self._grouped(
            "SELECT ru_id, repair_id, state, context, staff_name, start_time, end_time"
            " FROM r_repair_user WHERE repair_id IN :ids AND status_cd = '0'"
            " ORDER BY start_time, ru_id",
            ids,
            "repair_id",
        )
        photos = self._grouped(
            "SELECT file_rel_id, rel_type_cd, obj_id, file_real_name FROM file_rel"
            " WHERE obj_id IN :ids AND rel_type_cd IN ('14000', '23000', '24000')"
            " AND status_cd = '0' ORDER BY file_rel_id",
            ids,
            "obj_id",
        )
        parts = self._grouped(
            "SELECT rsur_id, repair_id, quantity, resource_store_name, state, create_time"
            " FROM resource_store_use_record WHERE repair_id IN :ids AND status_cd = '0'"
            " ORDER BY create_time, rsur_id",
            ids,
            "repair_id",
        )
        appraisals = self._grouped(
            "SELECT appraise_id, appraise_score, context, parent_appraise_id, appraise_user_id,"
            " obj_id, door_speed_score, repairman_service_score, create_time FROM appraise"
            " WHERE obj_id IN :ids AND status_cd = '0' ORDER BY create_time, appraise_id",
            ids,
            "obj_id",
        )
        orders: list[SourceOrder] = []
        ratings: list[SourceRating] = []
        for pool in pools:
            repair_id = str(pool["repair_id"])
            order = self._repair(pool, settings, places, steps.get(repair_id, []))
            if order is None:
                continue
            order = _with(
                order,
                parts=self._parts(parts.get(repair_id, [])),
                photos=self._photos(photos.get(repair_id, []), "file_rel"),
            )
            orders.append(order)
            ratings.extend(
                self._repair_ratings(order, appraisals.get(repair_id, []), steps.get(repair_id, []), places)
            )  # fmt: skip
        return orders, ratings

    def _grouped(self, sql: str, ids: Sequence[str], key: str) -> dict[str, list[dict[str, Any]]]:
        grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in self.rows_in(sql, ids):
            grouped[str(row[key])].append(row)
        return grouped

    def _repair(
        self,
        pool: dict[str, Any],
        settings: dict[str, dict[str, Any]],
        places: _Places,
        step_rows: list[dict[str, Any]],
    ) -> SourceOrder | None:
        repair_id = str(pool["repair_id"])
        state = str(pool["state"])
        if state not in codes.OPEN_POOL_STATES | codes.FINISHED_POOL_STATES:
            self.findings.unmapped_value("r_repair_pool", "state", state)
            self.findings.skip("r_repair_pool", "unknown state")
            return None
        setting = settings.get(str(pool["repair_type"]))
        if setting is None:
            self.findings.unmapped_value("r_repair_pool", "repair_type", pool["repair_type"])
            type_name, public = "报修", None
        else:
            type_name, public = str(setting["repair_type_name"]), setting["public_area"] == "T"
        if setting is not None and setting["repair_setting_type"] == codes.CLEANING_SETTING:
            category: str | None = "cleaning"
        else:
            category = codes.category_of(type_name)
        if category is None:
            self.findings.unmapped_value("r_repair_setting", "repair_type_name", type_name)
            category = "other"
        do_hours = _int(setting["do_time"]) if setting is not None else None
        obj_type, obj_id = str(pool["repair_obj_type"]), str(pool["repair_obj_id"])
        room_id = obj_id if obj_type == codes.OBJ_ROOM else None
        building = {
            codes.OBJ_BUILDING: places.building_of_floor.get(obj_id),
            codes.OBJ_UNIT: places.floor_of_unit.get(obj_id),
            codes.OBJ_ROOM: places.floor_of_room.get(obj_id),
        }.get(obj_type)
        if obj_type not in (
            codes.OBJ_COMMUNITY,
            codes.OBJ_BUILDING,
            codes.OBJ_UNIT,
            codes.OBJ_ROOM,
        ):
            self.findings.unmapped_value("r_repair_pool", "repair_obj_type", obj_type)
        private = room_id is not None if public is None else not public and room_id is not None
        created_at = _naive(pool["create_time"])
        if created_at is None:
            self.findings.skip("r_repair_pool", "create_time is not a valid time")
            return None
        steps = self._repair_steps(pool, created_at, step_rows)
        return SourceOrder(
            external_id=_repair_key(repair_id),
            code=order_code(repair_id, REPAIR_CODE_PREFIX),
            order_type="repair",
            category=category,
            visibility="private" if private else "public",
            title=f"{type_name} · {pool['repair_obj_name']}" if pool["repair_obj_name"] else type_name,
            description=str(pool["context"] or ""),
            location=str(pool["repair_obj_name"] or ""),
            building_external_id=building,
            unit_external_id=room_id if room_id in places.floor_of_room else None,
            reporter_external_id=places.reporter(room_id, str(pool["tel"] or "")),
            reporter_name=str(pool["repair_name"] or ""),
            reporter_phone=str(pool["tel"] or ""),
            created_at=created_at,
            resolve_due_at=self._deadline(pool["timeout"], created_at, do_hours),
            steps=steps,
        )  # fmt: skip

    def _deadline(
        self, timeout: object, created_at: dt.datetime, do_hours: int | None
    ) -> dt.datetime:
        """HC's own deadline (``timeout``: the appointment plus the type's hours), unless it is
        HC's placeholder default or before the order: then created + the type's hours."""
        deadline = self.local(timeout)
        if deadline is None or deadline <= created_at:
            hours = do_hours if do_hours and do_hours > 0 else codes.DEFAULT_DO_HOURS
            deadline = created_at + dt.timedelta(hours=hours)
        return deadline

    def _repair_steps(
        self, pool: dict[str, Any], created_at: dt.datetime, rows: list[dict[str, Any]]
    ) -> tuple[SourceStep, ...]:
        """The order's steps from its ``r_repair_user`` rows (see docs/connectors.md)."""
        steps = [SourceStep("submitted", created_at, str(pool["repair_name"] or ""), "", True)]
        responded = dispatched = False
        closes: list[tuple[dt.datetime, str, str]] = []
        for row in rows:
            state = str(row["state"])
            start, end = self.local(row["start_time"]), self.local(row["end_time"])
            staff = str(row["staff_name"] or "")
            context = str(row["context"] or "").strip()
            if state not in codes.KNOWN_STEPS:
                self.findings.unmapped_value("r_repair_user", "state", state)
                continue
            if start is None:
                self.findings.skip("r_repair_user", "no start time")
                continue
            if state in (codes.STEP_DISPATCHED, *codes.HANDLER_STEPS) and not responded:
                steps.append(SourceStep("accepted", start, staff, "", True))
                responded = True
            if state in codes.HANDLER_STEPS and not dispatched:
                steps.append(SourceStep("dispatched", start, staff, f"处理人:{staff}", True))
                dispatched = True
            when = end or start
            if state == codes.STEP_TRANSFERRED:
                steps.append(self._note(steps, when, staff, "转单", context))
            elif state == codes.STEP_RETURNED:
                steps.append(self._note(steps, when, staff, "退单", context))
            elif state == codes.STEP_PAUSED:
                steps.append(self._note(steps, start, staff, "暂停", context))
            elif state == codes.STEP_RESTARTED:
                steps.append(self._note(steps, start, staff, "重新启动", ""))
            elif state == codes.STEP_VISITED:
                steps.append(self._note(steps, start, staff, "已回访", context))
            elif state == codes.STEP_CLOSED:
                closes.append((when, staff, context))
        state = str(pool["state"])
        if state in codes.FINISHED_POOL_STATES:
            finish = self.local(pool["finish_time"])
            final = finish or (closes[-1][0] if closes else None) or (steps[-1].at)
            if final < created_at:
                # as an import does with such a row: left open, without that time, reported
                self.findings.skip("r_repair_pool", "finished before created: kept open")
                return tuple(sorted(steps, key=lambda s: (s.at, not s.reaches)))
            closer = next((c for c in reversed(closes) if c[0] <= final), None)
            for when, staff, context in closes:
                if when < final - _SEPARATE_CLOSES:
                    steps.append(self._note(steps, when, staff, "结单后被退回重办", context))
            note = (
                "未办理结单"
                if state == codes.POOL_CLOSED_UNHANDLED
                else (closer[2] if closer else "")
            )
            actor = closer[1] if closer else SOURCE_ACTOR
            steps.append(SourceStep("completed", final, actor, note, True))
        return tuple(sorted(steps, key=lambda s: (s.at, not s.reaches)))

    @staticmethod
    def _note(
        steps: list[SourceStep], at: dt.datetime, actor: str, what: str, context: str
    ) -> SourceStep:
        """A note in the stage the order had reached at ``at``."""
        order = ("submitted", "accepted", "dispatched", "completed")
        reached = [s.stage for s in steps if s.reaches and s.at <= at and s.stage in order]
        stage = max(reached, key=order.index) if reached else "submitted"
        return SourceStep(stage, at, actor, f"{what}:{context}" if context else what, False)

    def _parts(self, rows: list[dict[str, Any]]) -> tuple[SourcePart, ...]:
        parts = []
        for row in rows:
            if row["state"] != codes.PART_USED_ON_ORDER:
                self.findings.skip(
                    "resource_store_use_record", f"state {row['state']} (not used on an order)"
                )
                continue
            used_at = _naive(row["create_time"])
            if used_at is None:
                self.findings.skip("resource_store_use_record", "create_time is not a valid time")
                continue
            quantity = _quantity(str(row["quantity"] or ""))
            if quantity is None:
                self.findings.unmapped_value(
                    "resource_store_use_record", "quantity", row["quantity"]
                )
                quantity = 1
            parts.append(
                SourcePart(
                    external_id=str(row["rsur_id"]),
                    name=str(row["resource_store_name"] or "材料"),
                    quantity=quantity,
                    used_at=used_at,
                )
            )
        return tuple(parts)

    def _photos(self, rows: list[dict[str, Any]], table: str) -> tuple[SourcePhoto, ...]:
        photos = []
        for row in rows:
            kind = codes.PHOTO_KINDS.get(str(row["rel_type_cd"]))
            if kind is None:
                self.findings.unmapped_value(table, "rel_type_cd", row["rel_type_cd"])
                continue
            photos.append(
                SourcePhoto(
                    external_id=str(row["file_rel_id"]),
                    url=self.photo_url(str(row["file_real_name"] or "")),
                    kind=kind,
                )
            )
        return tuple(photos)

    def _repair_ratings(
        self,
        order: SourceOrder,
        rows: list[dict[str, Any]],
        step_rows: list[dict[str, Any]],
        places: _Places,
    ) -> list[SourceRating]:
        tops = [r for r in rows if str(r["parent_appraise_id"]) in ("-1", "", "None")]
        children = {str(r["parent_appraise_id"]): r for r in rows if r not in tops}
        replies = [r for r in step_rows if str(r["state"]) == codes.STEP_REPLIED]
        ratings = []
        for index, row in enumerate(tops):
            overall = _int(row["appraise_score"])
            speed = _int(row["door_speed_score"]) or overall
            service = _int(row["repairman_service_score"]) or overall
            scores = (speed, service, overall)
            if any(score not in SCORE_RANGE for score in scores):
                self.findings.skip("appraise", "score outside 1–5")
                continue
            rated_at = _naive(row["create_time"])
            if rated_at is None:
                self.findings.skip("appraise", "create_time is not a valid time")
                continue
            reply, replied_at = "", None
            child = children.get(str(row["appraise_id"]))
            if child is not None:
                reply, replied_at = str(child["context"] or ""), _naive(child["create_time"])
            elif index < len(replies):
                reply = _REPLY_PREFIX.sub("", str(replies[index]["context"] or ""))
                replied_at = self.local(replies[index]["start_time"])
            ratings.append(
                SourceRating(
                    external_id=str(row["appraise_id"]),
                    order_external_id=order.external_id,
                    owner_external_id=places.person(str(row["appraise_user_id"] or "")),
                    score_speed=int(speed or 0),
                    score_attitude=int(service or 0),
                    score_quality=int(overall or 0),
                    comment=str(row["context"] or ""),
                    rated_at=rated_at,
                    reply=reply.strip(),
                    replied_at=replied_at if reply.strip() else None,
                )
            )
        return ratings

    # --- complaints -----------------------------------------------------------------------------------
    def _complaints(
        self, community_id: str, scope: ReadScope, places: _Places, batch: SourceBatch
    ) -> list[SourceOrder]:
        types = {
            str(t["type_cd"]): str(t["type_name"] or "")
            for t in self.rows(
                "SELECT type_cd, type_name FROM complaint_type WHERE status_cd = '0'"
            )
        }
        columns = (
            "complaint_id, type_cd, complaint_name, owner_id, room_id, room_name, tel, context,"
            " state, create_time, status_cd"
        )
        if scope.since is None:
            rows = self.rows(
                f"SELECT {columns} FROM complaint WHERE community_id = :id AND status_cd = '0'"
                " ORDER BY create_time, complaint_id",
                id=community_id,
            )
        else:
            touched = {
                str(r["complaint_id"])
                for r in self.rows(
                    "SELECT DISTINCT complaint_id FROM complaint_event WHERE create_time >= :since"
                    " UNION SELECT DISTINCT complaint_id FROM complaint_appraise"
                    " WHERE create_time >= :since",
                    since=scope.since,
                )
            }
            rows = self.rows(
                f"SELECT {columns} FROM complaint WHERE community_id = :id"
                " AND create_time >= :since AND status_cd = '0'",
                id=community_id, since=scope.since,
            )  # fmt: skip
            have = {str(r["complaint_id"]) for r in rows}
            for row in self.rows_in(
                f"SELECT {columns} FROM complaint WHERE complaint_id IN :ids AND community_id = :id",
                (set(scope.recheck_complaints) | touched) - have,
                id=community_id,
            ):
                if row["status_cd"] == codes.LIVE:
                    rows.append(row)
                else:
                    batch.deleted_orders.add(_complaint_key(str(row["complaint_id"])))
            found = {str(r["complaint_id"]) for r in rows}
            batch.deleted_orders.update(_complaint_key(c) for c in scope.recheck_complaints - found)
        ids = [str(r["complaint_id"]) for r in rows]
        events = self._grouped(
            "SELECT event_id, complaint_id, event_type, create_user_name, remark, create_time"
            " FROM complaint_event WHERE complaint_id IN :ids AND status_cd = '0'"
            " ORDER BY create_time, event_id",
            ids,
            "complaint_id",
        )
        appraisals = self._grouped(
            "SELECT appraise_id, complaint_id, score, context, state, create_user_id,"
            " reply_context, create_time FROM complaint_appraise"
            " WHERE complaint_id IN :ids AND status_cd = '0' ORDER BY create_time, appraise_id",
            ids,
            "complaint_id",
        )
        photos = self._grouped(
            "SELECT file_rel_id, rel_type_cd, obj_id, file_real_name FROM file_rel"
            " WHERE obj_id IN :ids AND rel_type_cd = '13000' AND status_cd = '0'"
            " ORDER BY file_rel_id",
            ids,
            "obj_id",
        )
        orders = []
        for row in rows:
            complaint_id = str(row["complaint_id"])
            order = self._complaint(row, types, places, events.get(complaint_id, []))
            if order is None:
                continue
            order = _with(order, photos=self._photos(photos.get(complaint_id, []), "file_rel"))
            orders.append(order)
            batch.ratings.extend(
                self._complaint_ratings(order, appraisals.get(complaint_id, []), events.get(complaint_id, []), places)
            )  # fmt: skip
        return orders

    def _complaint(
        self,
        row: dict[str, Any],
        types: dict[str, str],
        places: _Places,
        event_rows: list[dict[str, Any]],
    ) -> SourceOrder | None:
        complaint_id, state = str(row["complaint_id"]), str(row["state"])
        if state not in codes.COMPLAINT_STATES:
            self.findings.unmapped_value("complaint", "state", state)
            self.findings.skip("complaint", "unknown state")
            return None
        type_name = types.get(str(row["type_cd"]))
        if type_name is None:
            self.findings.unmapped_value("complaint", "type_cd", row["type_cd"])
            type_name = "投诉"
        category = codes.category_of(type_name)
        if category is None:
            self.findings.unmapped_value("complaint_type", "type_name", type_name)
            category = "other"
        created_at = _naive(row["create_time"])
        if created_at is None:
            self.findings.skip("complaint", "create_time is not a valid time")
            return None
        steps = [SourceStep("submitted", created_at, str(row["complaint_name"] or ""), "", True)]
        handled = []
        for event in event_rows:
            kind = str(event["event_type"])
            if kind not in codes.KNOWN_EVENTS:
                self.findings.unmapped_value("complaint_event", "event_type", kind)
            elif _naive(event["create_time"]) is None:
                self.findings.skip("complaint_event", "create_time is not a valid time")
            elif kind == codes.EVENT_HANDLED:
                handled.append(event)
        timed = [e for e in event_rows if _naive(e["create_time"]) is not None]
        if handled:
            first = handled[0]
            steps.append(SourceStep("accepted", _naive(first["create_time"]) or created_at,
                                    str(first["create_user_name"] or ""), "", True))  # fmt: skip
        if state == codes.COMPLAINT_FINISHED:
            last = handled[-1] if handled else (timed[-1] if timed else None)
            at = (_naive(last["create_time"]) if last is not None else None) or created_at
            actor = str(last["create_user_name"] or "") if last is not None else SOURCE_ACTOR
            remark = str(last["remark"] or "") if last is not None else ""
            steps.append(SourceStep("answered", at, actor, remark, True))
            steps.append(SourceStep("completed", at, actor, "", True))
        room_id = str(row["room_id"] or "")
        room_id = room_id if room_id in places.floor_of_room else ""
        owner = str(row["owner_id"] or "")
        return SourceOrder(
            external_id=_complaint_key(complaint_id),
            code=order_code(complaint_id, COMPLAINT_CODE_PREFIX),
            order_type="complaint", category=category, visibility="private",
            title=type_name, description=str(row["context"] or ""),
            location=str(row["room_name"] or ""),
            building_external_id=places.floor_of_room.get(room_id),
            unit_external_id=room_id or None,
            reporter_external_id=places.member_of_owner.get(owner)
            or places.reporter(room_id or None, str(row["tel"] or "")),
            reporter_name=str(row["complaint_name"] or ""), reporter_phone=str(row["tel"] or ""),
            created_at=created_at, resolve_due_at=None,
            steps=tuple(sorted(steps, key=lambda s: (s.at, not s.reaches))),
        )  # fmt: skip

    def _complaint_ratings(
        self,
        order: SourceOrder,
        rows: list[dict[str, Any]],
        event_rows: list[dict[str, Any]],
        places: _Places,
    ) -> list[SourceRating]:
        """HC rates a complaint with one score: it is each of our three scores."""
        replies = [e for e in event_rows if str(e["event_type"]) == codes.EVENT_REPLIED]
        ratings = []
        for index, row in enumerate(rows):
            score = _int(row["score"])
            if score not in SCORE_RANGE:
                self.findings.skip("complaint_appraise", "score outside 1–5")
                continue
            reply = str(row["reply_context"] or "").strip()
            replied_at = _naive(replies[index]["create_time"]) if index < len(replies) else None
            if reply and replied_at is None:
                self.findings.skip("complaint_appraise", "reply without a time: not shown")
            rated_at = _naive(row["create_time"])
            if score is None or rated_at is None:
                self.findings.skip("complaint_appraise", "create_time is not a valid time")
                continue
            ratings.append(
                SourceRating(
                    external_id=f"complaint:{row['appraise_id']}",
                    order_external_id=order.external_id,
                    owner_external_id=places.person(str(row["create_user_id"] or "")),
                    score_speed=score,
                    score_attitude=score,
                    score_quality=score,
                    comment=str(row["context"] or ""),
                    rated_at=rated_at,
                    reply=reply if replied_at else "",
                    replied_at=replied_at if reply else None,
                )
            )
        return ratings


class _Places:
    """Where things are: lookups built while reading buildings, rooms and owners."""

    def __init__(self) -> None:
        self.building_of_floor: dict[str, str] = {}
        self.floor_of_unit: dict[str, str] = {}
        self.floor_of_room: dict[str, str] = {}
        self.room_name: dict[str, str] = {}
        self.owner_ids: set[str] = set()
        self.member_of_owner: dict[str, str] = {}
        self.people_of_room: dict[str, list[tuple[str, str]]] = defaultdict(list)
        self.householder_of_room: dict[str, str] = {}

    def reporter(self, room_id: str | None, phone: str) -> str | None:
        """Who reported from ``room_id``: the person of the room with that phone number, else
        the householder; None for a public place."""
        if not room_id:
            return None
        for member_id, link in self.people_of_room.get(room_id, []):
            if phone and link == phone:
                return member_id
        return self.householder_of_room.get(room_id)

    def person(self, user_id: str) -> str | None:
        """A person id as HC's rating rows hold it (a member or a household id)."""
        if user_id in self.owner_ids:
            return user_id
        return self.member_of_owner.get(user_id)


def _repair_key(repair_id: str) -> str:
    return f"repair:{repair_id}"


def _complaint_key(complaint_id: str) -> str:
    return f"complaint:{complaint_id}"


def _quantity(value: str) -> int | None:
    """HC keeps quantities as text ("2", "1.5"): whole units, rounded up; None if not a number."""
    try:
        number = Decimal(value.strip())
    except InvalidOperation:
        return None
    if not number.is_finite() or number <= 0:
        return None
    return int(number.to_integral_value(rounding="ROUND_CEILING"))


def _with(order: SourceOrder, **changes: Any) -> SourceOrder:
    from dataclasses import replace

    return replace(order, **changes)
