"""Reading one HC community's patrols (巡检), maintenance (保养) and equipment (设备台账) and
translating them into ``data_access.sync.records`` (the mapping table is in docs/connectors.md).

HC's shapes and ours:

- A route (``inspection_route``) and its points (``inspection_route_point_rel`` →
  ``inspection_point``) become a patrol route and checkpoints. A point is on the route from
  the day its link was created; a point whose link (or the point) was deleted stays on the
  route until the last day a task of the route listed it — HC deletes softly and keeps no
  removal date, but every task copies the route's points of its day into its details.
- HC plans a route for several staff (``inspection_plan_staff``) and generates one task a day
  for each: each (plan, staff) becomes one of our patrol plans, each task (``inspection_task``)
  a shift, each checked-in point (``inspection_task_detail.inspection_time``) a check-in.
  Done / late / missed (完成 / 超时 / 缺勤) are derived by our rules from the windows and
  check-ins, not taken from HC's task state: HC's own timeout job is off by default.
- The distance walked is the sum of the great-circle distances between consecutive check-ins
  that carry coordinates (GCJ-02 from the staff app; its offset is the same for nearby points,
  so distances hold); fewer than two such check-ins: not measured.
- A maintenance plan (``maintainance_plan``) becomes a service item, each task
  (``maintainance_task``, 09:00–18:00 in HC) a plan task, done when each of its machines
  (``maintainance_task_detail``) was serviced.
- ``equipment_account`` becomes equipment; an abnormal result at an equipment point (a
  ``1001`` point whose check-in says 巡检异常, or whose answers name a fault) is a fault,
  resolved by the next normal result at that equipment.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from connectors.hc import codes
from connectors.hc.values import integer as _int
from connectors.hc.values import naive as _naive
from data_access.accounts.privacy import mask_personal_data
from data_access.sync.records import (
    SourceCheckin,
    SourceCheckpoint,
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

if TYPE_CHECKING:
    from connectors.hc.mapping import Reader, ReadScope, _Places

PATROL_POST = "巡检员"
MAINTENANCE_POST = "维修工"
MAINTENANCE_CATEGORY = "engineering"
EQUIPMENT_KIND = "设备"
# HC's staff app sends a location with each check-in; HC's points default to this placeholder.
_UNSET_POINT = ("116.397128", "39.916527")
_EARTH_RADIUS_M = 6_371_000.0
_METRES_PER_DEGREE_LAT = 110_574.0
_METRES_PER_DEGREE_LNG_AT_EQUATOR = 111_320.0
# Answers of an equipment point's checklist that report a fault ("运行状态:异常;").
FAULT_ANSWERS = frozenset({"异常", "故障", "损坏", "不正常", "不合格", "有故障", "有异常"})
_ANSWER = re.compile(r"[:：]\s*([^;；]*)")
DESCRIPTION_MAX = 500


class OperationsReader:
    """Reads the operations of one community through a ``Reader`` (its connection, zone,
    findings and photo base)."""

    def __init__(self, reader: Reader, community_id: str, places: _Places) -> None:
        self.reader = reader
        self.community_id = community_id
        self.places = places
        self.findings = reader.findings
        self.staff: dict[str, SourceStaff] = {}

    def read(self, scope: ReadScope) -> SourceOperations:
        operations = SourceOperations(complete=scope.since is None)
        points = self._points()
        routes, checkpoint_of = self._routes(points)
        plans, plan_of_staff_row = self._patrol_plans(routes, points)
        operations.routes.extend(routes.values())
        operations.patrol_plans.extend(plans)
        shifts, equipment_results = self._shifts(scope, plan_of_staff_row, checkpoint_of, points)
        operations.shifts.extend(shifts)
        items = self._service_items()
        operations.service_items.extend(items.values())
        operations.plan_tasks.extend(self._plan_tasks(scope, items))
        equipment = self._equipment()
        operations.equipment.extend(equipment.values())
        operations.faults.extend(self._faults(scope, equipment, points, equipment_results))
        operations.staff.extend(self.staff.values())
        return operations

    # --- checkpoints and routes ----------------------------------------------------------------------
    def _points(self) -> dict[str, dict[str, Any]]:
        """Every point of the community, deleted ones too (routes may still list them)."""
        rows = self.reader.rows(
            "SELECT inspection_id, inspection_name, point_obj_type, point_obj_id, lng, lat,"
            " status_cd FROM inspection_point WHERE community_id = :id ORDER BY inspection_id",
            id=self.community_id,
        )
        points = {str(r["inspection_id"]): r for r in rows}
        placed = [c for c in (_coordinates(r["lng"], r["lat"]) for r in rows) if c is not None]
        west = min((lng for lng, _ in placed), default=0.0)
        north = max((lat for _, lat in placed), default=0.0)
        for row in points.values():
            kind = str(row["point_obj_type"] or "")
            if kind not in (codes.POINT_EQUIPMENT, codes.POINT_PLACE):
                self.findings.unmapped_value("inspection_point", "point_obj_type", kind)
            where = _coordinates(row["lng"], row["lat"])
            row["xy"] = _site_metres(where, west, north) if where is not None else None
            row["where"] = where
        return points

    def _routes(
        self, points: Mapping[str, dict[str, Any]]
    ) -> tuple[dict[str, SourceRoute], dict[tuple[str, str], str]]:
        routes = {
            str(r["inspection_route_id"]): r
            for r in self.reader.rows(
                "SELECT inspection_route_id, route_name FROM inspection_route"
                " WHERE community_id = :id AND status_cd = '0' ORDER BY inspection_route_id",
                id=self.community_id,
            )
        }
        links: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
        for rel in self.reader.rows(
            "SELECT irp_rel_id, inspection_route_id, inspection_id, sort_number, create_time,"
            " status_cd FROM inspection_route_point_rel WHERE community_id = :id"
            " ORDER BY irp_rel_id",
            id=self.community_id,
        ):
            route_id, point_id = str(rel["inspection_route_id"]), str(rel["inspection_id"])
            if route_id in routes and point_id in points:
                links[(route_id, point_id)].append(rel)
        photo_routes = self._routes_asking_for_photos()
        removed = [key for key, rels in links.items() if not _live_link(rels, points[key[1]])]
        last_listed = self._last_listed(removed)
        checkpoints: dict[str, list[SourceCheckpoint]] = defaultdict(list)
        checkpoint_of: dict[tuple[str, str], str] = {}
        for (route_id, point_id), rels in links.items():
            point = points[point_id]
            first = min(_naive(r["create_time"]) or dt.datetime.max for r in rels)
            valid_from = self._local_date(first) if first != dt.datetime.max else None
            valid_to = None
            if not _live_link(rels, point):
                valid_to = last_listed.get((route_id, point_id))
                if valid_to is None:
                    continue  # removed before any task listed it: never on a walked route
                if valid_from is not None and valid_from > valid_to:
                    valid_from = valid_to
            live = [r for r in rels if r["status_cd"] == codes.LIVE] or rels
            external_id = f"{route_id}:{point_id}"
            xy = point["xy"]
            checkpoints[route_id].append(
                SourceCheckpoint(
                    external_id=external_id,
                    name=str(point["inspection_name"] or point_id),
                    seq=_int(live[-1]["sort_number"]) or 0,
                    x=None if xy is None else round(xy[0], 1),
                    y=None if xy is None else round(xy[1], 1),
                    photo_required=route_id in photo_routes,
                    valid_from=valid_from,
                    valid_to=valid_to,
                )
            )
            checkpoint_of[(route_id, point_id)] = external_id
        return {
            route_id: SourceRoute(
                external_id=route_id,
                name=str(row["route_name"] or route_id),
                checkpoints=tuple(
                    sorted(checkpoints[route_id], key=lambda c: (c.seq, c.external_id))
                ),
            )
            for route_id, row in routes.items()
        }, checkpoint_of

    def _routes_asking_for_photos(self) -> set[str]:
        return {
            str(r["inspection_route_id"])
            for r in self.reader.rows(
                "SELECT DISTINCT inspection_route_id FROM inspection_plan"
                " WHERE community_id = :id AND status_cd = '0' AND sign_type = :photo",
                id=self.community_id,
                photo=codes.SIGN_PHOTO,
            )
        }

    def _last_listed(self, removed: list[tuple[str, str]]) -> dict[tuple[str, str], dt.date]:
        """The last local day a task of each route listed each removed point."""
        if not removed:
            return {}
        found: dict[tuple[str, str], dt.date] = {}
        for row in self.reader.rows_in(
            "SELECT p.inspection_route_id, d.inspection_id, MAX(t.plan_ins_time) AS last_time"
            " FROM inspection_task_detail d"
            " JOIN inspection_task t ON t.task_id = d.task_id AND t.status_cd = '0'"
            " JOIN inspection_plan p ON p.inspection_plan_id = t.inspection_plan_id"
            " WHERE d.inspection_id IN :ids AND d.status_cd = '0' AND d.community_id = :id"
            " GROUP BY p.inspection_route_id, d.inspection_id",
            {point_id for _, point_id in removed},
            id=self.community_id,
        ):
            key = (str(row["inspection_route_id"]), str(row["inspection_id"]))
            last = _naive(row["last_time"])
            if key in removed and last is not None:
                found[key] = self._local_date(last)
        return found

    # --- plans, shifts, check-ins ----------------------------------------------------------------------
    def _patrol_plans(
        self, routes: Mapping[str, SourceRoute], points: Mapping[str, dict[str, Any]]
    ) -> tuple[list[SourcePatrolPlan], dict[str, str]]:
        plans: dict[str, dict[str, Any]] = {}
        for row in self.reader.rows(
            "SELECT inspection_plan_id, inspection_plan_name, inspection_route_id, start_date,"
            " end_date, start_time, end_time, inspection_plan_period, state, status_cd"
            " FROM inspection_plan WHERE community_id = :id ORDER BY inspection_plan_id",
            id=self.community_id,
        ):
            plans.setdefault(str(row["inspection_plan_id"]), row)  # HC has no key: first wins
        staff_rows = self.reader.rows(
            "SELECT ip_staff_id, inspection_plan_id, staff_id, staff_name, start_time, end_time,"
            " status_cd FROM inspection_plan_staff WHERE community_id = :id"
            " ORDER BY inspection_plan_id, ip_staff_id",
            id=self.community_id,
        )
        last_task = {
            str(r["ip_staff_id"]): _naive(r["last_time"])
            for r in self.reader.rows(
                "SELECT ip_staff_id, MAX(plan_ins_time) AS last_time FROM inspection_task"
                " WHERE community_id = :id AND status_cd = '0' GROUP BY ip_staff_id",
                id=self.community_id,
            )
        }
        staff_of_plan: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in staff_rows:
            staff_of_plan[str(row["inspection_plan_id"])].append(row)
        found: list[SourcePatrolPlan] = []
        plan_of_staff_row: dict[str, str] = {}
        for plan_id, plan in plans.items():
            route_id = str(plan["inspection_route_id"])
            if route_id not in routes:
                continue  # its route was deleted: so are its patrols
            period = str(plan["inspection_plan_period"] or "")
            if period not in codes.INSPECTION_PERIODS:
                self.findings.unmapped_value("inspection_plan", "inspection_plan_period", period)
            state = str(plan["state"] or "")
            if state not in (codes.PLAN_ACTIVE, codes.PLAN_STOPPED):
                self.findings.unmapped_value("inspection_plan", "state", state)
            plan_live = plan["status_cd"] == codes.LIVE and state != codes.PLAN_STOPPED
            rows = staff_of_plan.get(plan_id, [])
            for number, row in enumerate(rows, start=1):
                staff_row_id = str(row["ip_staff_id"])
                start = _clock(row["start_time"]) or _clock(plan["start_time"])
                end = _clock(row["end_time"]) or _clock(plan["end_time"])
                if start is None or end is None:
                    self.findings.skip("inspection_plan_staff", "no time of day")
                    continue
                valid_from = _date(plan["start_date"]) or dt.date(2000, 1, 1)
                valid_to = _date(plan["end_date"])
                last = last_task.get(staff_row_id)
                if not plan_live or row["status_cd"] != codes.LIVE:
                    if last is None:
                        continue  # stopped or deleted before it ever ran
                    valid_to = self._local_date(last)
                valid_to = None if valid_to is None else max(valid_to, valid_from)
                name = str(plan["inspection_plan_name"] or plan_id)
                if len(rows) > 1:
                    name = f"{name}({number})"
                self._staff(str(row["staff_id"]), str(row["staff_name"] or ""), PATROL_POST)
                found.append(
                    SourcePatrolPlan(
                        external_id=staff_row_id,
                        route_external_id=route_id,
                        name=name,
                        post=PATROL_POST,
                        slot_start=start,
                        slot_end=end,
                        expected_minutes=_minutes_between(start, end),
                        expected_distance_m=_route_length(routes[route_id], points),
                        valid_from=valid_from,
                        valid_to=valid_to,
                    )
                )
                plan_of_staff_row[staff_row_id] = route_id
        return found, plan_of_staff_row

    def _shifts(
        self,
        scope: ReadScope,
        plan_of_staff_row: Mapping[str, str],
        checkpoint_of: Mapping[tuple[str, str], str],
        points: Mapping[str, dict[str, Any]],
    ) -> tuple[list[SourceShift], list[dict[str, Any]]]:
        columns = (
            "task_id, inspection_plan_id, ip_staff_id, plan_ins_time, plan_end_time,"
            " plan_user_id, plan_user_name, state"
        )
        since = self._since_day(scope.since)
        tasks = self.reader.rows(
            f"SELECT {columns} FROM inspection_task WHERE community_id = :id AND status_cd = '0'"
            + ("" if since is None else " AND plan_ins_time >= :since")
            + " ORDER BY plan_ins_time, task_id",
            id=self.community_id,
            **({} if since is None else {"since": since}),
        )
        details: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in self.reader.rows_in(
            "SELECT task_detail_id, task_id, inspection_id, inspection_time, longitude, latitude,"
            " patrol_type, description FROM inspection_task_detail"
            " WHERE task_id IN :ids AND status_cd = '0' ORDER BY task_detail_id",
            [str(t["task_id"]) for t in tasks],
        ):
            details[str(row["task_id"])].append(row)
        photos = self._photos_of(
            [str(d["task_detail_id"]) for rows in details.values() for d in rows]
        )
        shifts, equipment_results = [], []
        for task in tasks:
            task_id, staff_row_id = str(task["task_id"]), str(task["ip_staff_id"])
            state = str(task["state"] or "")
            if state not in codes.TASK_STATES:
                self.findings.unmapped_value("inspection_task", "state", state)
            route_id = plan_of_staff_row.get(staff_row_id)
            start, end = _naive(task["plan_ins_time"]), _naive(task["plan_end_time"])
            if route_id is None or start is None or end is None:
                self.findings.skip("inspection_task", "plan not read (deleted or stopped)")
                continue
            if end <= start:
                end += dt.timedelta(days=1)  # an overnight slot ends the next day
            checkins, walked = [], []
            task_details = details.get(task_id, [])
            for detail in task_details:
                patrol_type = str(detail["patrol_type"] or "")
                if patrol_type and patrol_type not in codes.PATROL_RESULTS:
                    self.findings.unmapped_value(
                        "inspection_task_detail", "patrol_type", patrol_type
                    )
                at = _naive(detail["inspection_time"])
                point_id = str(detail["inspection_id"])
                if at is None:
                    continue
                external = checkpoint_of.get((route_id, point_id))
                if external is None:
                    self.findings.skip("inspection_task_detail", "point not on the route")
                    continue
                checkins.append(
                    SourceCheckin(external, at, photos.get(str(detail["task_detail_id"]), ()))
                )
                where = _coordinates(detail["longitude"], detail["latitude"])
                if where is not None:
                    walked.append((at, where))
                point = points.get(point_id)
                if point is not None and str(point["point_obj_type"]) == codes.POINT_EQUIPMENT:
                    equipment_results.append({**detail, "machine_id": str(point["point_obj_id"])})
            checkins.sort(key=lambda c: (c.checked_at, c.checkpoint_external_id))
            every_point_done = bool(task_details) and all(
                d["inspection_time"] is not None for d in task_details
            )
            finished = every_point_done or state == codes.TASK_DONE
            guard = str(task["plan_user_id"] or "") or None
            if guard is not None:
                self._staff(guard, str(task["plan_user_name"] or ""), PATROL_POST)
            shifts.append(
                SourceShift(
                    external_id=task_id,
                    plan_external_id=staff_row_id,
                    shift_date=self._local_date(start),
                    planned_start_at=start,
                    planned_end_at=end,
                    guard_external_id=guard,
                    started_at=checkins[0].checked_at if checkins else None,
                    ended_at=checkins[-1].checked_at if checkins and finished else None,
                    distance_m=_walked_distance(walked),
                    checkins=tuple(checkins),
                )
            )
        return shifts, equipment_results

    # --- maintenance -----------------------------------------------------------------------------------
    def _service_items(self) -> dict[str, SourceServiceItem]:
        standards = {
            str(r["standard_id"]): str(r["standard_name"] or "")
            for r in self.reader.rows(
                "SELECT standard_id, standard_name FROM maintainance_standard"
                " WHERE community_id = :id AND status_cd = '0'",
                id=self.community_id,
            )
        }
        machines: dict[str, list[str]] = defaultdict(list)
        for row in self.reader.rows(
            "SELECT plan_id, machine_name FROM maintainance_plan_machine"
            " WHERE community_id = :id AND status_cd = '0' ORDER BY plan_id, mpm_id",
            id=self.community_id,
        ):
            machines[str(row["plan_id"])].append(str(row["machine_name"] or ""))
        last_task = {
            str(r["plan_id"]): _naive(r["last_time"])
            for r in self.reader.rows(
                "SELECT plan_id, MAX(plan_ins_time) AS last_time FROM maintainance_task"
                " WHERE community_id = :id AND status_cd = '0' GROUP BY plan_id",
                id=self.community_id,
            )
        }
        items = {}
        for plan in self.reader.rows(
            "SELECT plan_id, plan_name, standard_id, start_date, end_date, plan_period,"
            " maintainance_month, maintainance_day, maintainance_everyday, state"
            " FROM maintainance_plan WHERE community_id = :id AND status_cd = '0'"
            " ORDER BY plan_id",
            id=self.community_id,
        ):
            plan_id = str(plan["plan_id"])
            state = str(plan["state"] or "")
            if state not in (codes.PLAN_ACTIVE, codes.PLAN_STOPPED):
                self.findings.unmapped_value("maintainance_plan", "state", state)
            valid_from = _date(plan["start_date"]) or dt.date(2000, 1, 1)
            valid_to = _date(plan["end_date"])
            if state == codes.PLAN_STOPPED:
                last = last_task.get(plan_id)
                if last is None:
                    continue
                valid_to = self._local_date(last)
            valid_to = None if valid_to is None else max(valid_to, valid_from)
            recurrence, month_days, rhythm = self._maintenance_rhythm(plan)
            standard = "；".join(
                part
                for part in (
                    standards.get(str(plan["standard_id"]), ""),
                    rhythm,
                    "设备:" + "、".join(machines[plan_id]) if machines[plan_id] else "",
                )
                if part
            )
            items[plan_id] = SourceServiceItem(
                external_id=plan_id,
                name=str(plan["plan_name"] or plan_id),
                category=MAINTENANCE_CATEGORY,
                standard=standard,
                recurrence=recurrence,
                weekdays="",
                month_days=month_days,
                window_start=codes.MAINTENANCE_DAY_START,
                window_end=codes.MAINTENANCE_DAY_END,
                expected_minutes=_minutes_between(
                    codes.MAINTENANCE_DAY_START, codes.MAINTENANCE_DAY_END
                ),
                valid_from=valid_from,
                valid_to=valid_to,
            )
        return items

    def _maintenance_rhythm(self, plan: Mapping[str, Any]) -> tuple[str, str, str]:
        """(recurrence, month days, the rhythm in words) of a maintenance plan."""
        period = str(plan["plan_period"] or "")
        if period == codes.PERIOD_MONTH_DAYS:
            days = _number_list(plan["maintainance_day"], 1, 31)
            months = _number_list(plan["maintainance_month"], 1, 12)
            words = (
                f"每月{days}日"
                if months in ("", ",".join(map(str, range(1, 13))))
                else (f"{months}月的{days}日")
            )
            return "monthly", days, words
        if period in codes.PERIOD_EVERY_N_DAYS:
            every = _int(plan["maintainance_everyday"]) or 1
            return "daily", "", f"每{every}天"
        self.findings.unmapped_value("maintainance_plan", "plan_period", period)
        return "daily", "", ""

    def _plan_tasks(
        self, scope: ReadScope, items: Mapping[str, SourceServiceItem]
    ) -> list[SourcePlanTask]:
        since = self._since_day(scope.since)
        tasks = self.reader.rows(
            "SELECT task_id, plan_id, plan_ins_time, plan_end_time, plan_user_id, plan_user_name,"
            " state FROM maintainance_task WHERE community_id = :id AND status_cd = '0'"
            + ("" if since is None else " AND plan_ins_time >= :since")
            + " ORDER BY plan_ins_time, task_id",
            id=self.community_id,
            **({} if since is None else {"since": since}),
        )
        details: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in self.reader.rows_in(
            "SELECT task_detail_id, task_id, machine_name, inspection_time, description"
            " FROM maintainance_task_detail WHERE task_id IN :ids AND status_cd = '0'"
            " ORDER BY task_detail_id",
            [str(t["task_id"]) for t in tasks],
        ):
            details[str(row["task_id"])].append(row)
        photos = self._photos_of(
            [str(d["task_detail_id"]) for rows in details.values() for d in rows]
        )
        found = []
        for task in tasks:
            task_id, plan_id = str(task["task_id"]), str(task["plan_id"])
            state = str(task["state"] or "")
            if state not in codes.TASK_STATES:
                self.findings.unmapped_value("maintainance_task", "state", state)
            start, end = _naive(task["plan_ins_time"]), _naive(task["plan_end_time"])
            if plan_id not in items or start is None or end is None or end <= start:
                self.findings.skip("maintainance_task", "plan not read or no window")
                continue
            machines = details.get(task_id, [])
            done_times = [_naive(d["inspection_time"]) for d in machines]
            finished = (bool(machines) and all(done_times)) or (
                state == codes.TASK_DONE and any(done_times)
            )
            notes = [
                f"{d['machine_name']}:{d['description']}"
                for d in machines
                if str(d["description"] or "").strip()
            ]
            assignee = str(task["plan_user_id"] or "") or None
            if assignee is not None:
                self._staff(assignee, str(task["plan_user_name"] or ""), MAINTENANCE_POST)
            found.append(
                SourcePlanTask(
                    external_id=task_id,
                    item_external_id=plan_id,
                    due_date=self._local_date(start),
                    window_start_at=start,
                    window_end_at=end,
                    assignee_external_id=assignee,
                    status="done" if finished else "planned",
                    completed_at=max(t for t in done_times if t) if finished else None,
                    note=mask_personal_data(";".join(notes))[:DESCRIPTION_MAX],
                    photos=tuple(
                        p for d in machines for p in photos.get(str(d["task_detail_id"]), ())
                    ),
                )
            )
        return found

    # --- equipment ---------------------------------------------------------------------------------------
    def _equipment(self) -> dict[str, SourceEquipment]:
        kinds = {
            str(r["type_id"]): str(r["machine_type_name"] or "")
            for r in self.reader.rows(
                "SELECT type_id, machine_type_name FROM machine_type WHERE community_id = :id",
                id=self.community_id,
            )
        }
        found: dict[str, SourceEquipment] = {}
        codes_taken: set[str] = set()
        for row in self.reader.rows(
            "SELECT machine_id, machine_code, machine_name, type_id, location_obj_id,"
            " first_enable_time, create_time FROM equipment_account"
            " WHERE community_id = :id AND status_cd = '0' ORDER BY machine_id",
            id=self.community_id,
        ):
            machine_id = str(row["machine_id"])
            code = (str(row["machine_code"] or "").strip() or machine_id)[:32]
            if code in codes_taken:  # HC does not keep codes unique; ours are
                code = f"{code[:25]}#{machine_id[-6:]}"
            codes_taken.add(code)
            installed = _date(row["first_enable_time"]) or self._local_date(
                _naive(row["create_time"]) or dt.datetime(2000, 1, 1)
            )
            found[machine_id] = SourceEquipment(
                external_id=machine_id,
                code=code,
                name=str(row["machine_name"] or code),
                kind=kinds.get(str(row["type_id"]), "") or EQUIPMENT_KIND,
                building_external_id=self._building_of(str(row["location_obj_id"] or "")),
                installed_on=installed,
            )
        return found

    def _building_of(self, location_id: str) -> str | None:
        places = self.places
        if location_id in places.building_of_floor:
            return location_id
        return places.floor_of_unit.get(location_id) or places.floor_of_room.get(location_id)

    def _faults(
        self,
        scope: ReadScope,
        equipment: Mapping[str, SourceEquipment],
        points: Mapping[str, dict[str, Any]],
        results_in_scope: list[dict[str, Any]],
    ) -> list[SourceFault]:
        """Abnormal results at equipment points, each resolved by the next normal one. An
        incremental run also re-reads results since the oldest fault still open."""
        results = {str(r["task_detail_id"]): r for r in results_in_scope}
        if scope.since is not None and scope.open_faults_since is not None:
            equipment_points = {
                point_id: str(p["point_obj_id"])
                for point_id, p in points.items()
                if str(p["point_obj_type"]) == codes.POINT_EQUIPMENT
            }
            for row in self.reader.rows_in(
                "SELECT task_detail_id, inspection_id, inspection_time, patrol_type, description"
                " FROM inspection_task_detail WHERE inspection_id IN :ids AND status_cd = '0'"
                " AND inspection_time >= :since AND community_id = :id",
                equipment_points,
                since=scope.open_faults_since,
                id=self.community_id,
            ):
                results.setdefault(
                    str(row["task_detail_id"]),
                    {**row, "machine_id": equipment_points[str(row["inspection_id"])]},
                )
        by_machine: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in results.values():
            if row["inspection_time"] is not None and row["machine_id"] in equipment:
                by_machine[row["machine_id"]].append(row)
        faults = []
        for machine_id, rows in by_machine.items():
            rows.sort(key=lambda r: (r["inspection_time"], str(r["task_detail_id"])))
            for index, row in enumerate(rows):
                if not _abnormal(row):
                    continue
                later_normal = next((r for r in rows[index + 1 :] if not _abnormal(r)), None)
                faults.append(
                    SourceFault(
                        external_id=str(row["task_detail_id"]),
                        equipment_external_id=machine_id,
                        occurred_at=_naive(row["inspection_time"]) or dt.datetime.min,
                        resolved_at=(
                            None
                            if later_normal is None
                            else _naive(later_normal["inspection_time"])
                        ),
                        description=mask_personal_data(
                            str(row["description"] or "").strip() or "巡检异常"
                        )[:DESCRIPTION_MAX],
                    )
                )
        return faults

    # --- helpers ---------------------------------------------------------------------------------------
    def _photos_of(self, detail_ids: Iterable[str]) -> dict[str, tuple[SourcePhoto, ...]]:
        """Check-in and maintenance photos (``file_rel`` 90000, whose file_rel_id HC leaves
        at '-1': a photo is known by its detail and file name)."""
        found: dict[str, list[SourcePhoto]] = defaultdict(list)
        for row in self.reader.rows_in(
            "SELECT obj_id, file_real_name FROM file_rel WHERE obj_id IN :ids"
            " AND rel_type_cd = :kind AND status_cd = '0' ORDER BY obj_id, file_real_name",
            detail_ids,
            kind=codes.PHOTO_INSPECTION,
        ):
            name = str(row["file_real_name"] or "")
            if not name:
                continue
            obj_id = str(row["obj_id"])
            external_id = f"d{obj_id}:{_short_hash(name)}"
            found[obj_id].append(SourcePhoto(external_id, self.reader.photo_url(name), "evidence"))
        return {key: tuple(value) for key, value in found.items()}

    def _staff(self, staff_id: str, name: str, post: str) -> None:
        if staff_id and staff_id not in self.staff:
            self.staff[staff_id] = SourceStaff(staff_id, name or staff_id, post)

    def _local_date(self, utc: dt.datetime) -> dt.date:
        return utc.replace(tzinfo=dt.UTC).astimezone(self.reader.zone).date()

    def _since_day(self, since: dt.datetime | None) -> dt.datetime | None:
        """Tasks are read from the start of the local day ``RECHECK_DAYS`` before ``since``:
        HC fills check-ins in for days after a task was made, and whole days keep each
        day's numbering whole."""
        if since is None:
            return None
        day = self._local_date(since) - dt.timedelta(days=codes.RECHECK_DAYS)
        start = dt.datetime.combine(day, dt.time(), tzinfo=self.reader.zone)
        return start.astimezone(dt.UTC).replace(tzinfo=None)


# --- pure helpers -------------------------------------------------------------------------------------
def _live_link(rels: list[dict[str, Any]], point: Mapping[str, Any]) -> bool:
    return point["status_cd"] == codes.LIVE and any(r["status_cd"] == codes.LIVE for r in rels)


def _coordinates(lng: object, lat: object) -> tuple[float, float] | None:
    """(longitude, latitude) in degrees, or None: empty, not numbers, out of range, 0/0 or
    HC's placeholder."""
    if (str(lng or "").strip(), str(lat or "").strip()) == _UNSET_POINT:
        return None
    try:
        x, y = float(str(lng).strip()), float(str(lat).strip())
    except ValueError:
        return None
    if not (math.isfinite(x) and math.isfinite(y)) or not (-180 <= x <= 180 and -90 <= y <= 90):
        return None
    if x == 0 and y == 0:
        return None
    return x, y


def _site_metres(where: tuple[float, float], west: float, north: float) -> tuple[float, float]:
    """Metres east and south of the (west, north) corner (local flat projection)."""
    lng, lat = where
    east = (lng - west) * _METRES_PER_DEGREE_LNG_AT_EQUATOR * math.cos(math.radians(north))
    south = (north - lat) * _METRES_PER_DEGREE_LAT
    return east, south


def distance_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (longitude, latitude) points, in metres."""
    lng1, lat1, lng2, lat2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lng2 - lng1) / 2) ** 2
    )
    return 2 * _EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def _walked_distance(walked: list[tuple[dt.datetime, tuple[float, float]]]) -> float | None:
    if len(walked) < 2:
        return None
    walked.sort(key=lambda w: w[0])
    return round(sum(distance_m(a[1], b[1]) for a, b in itertools.pairwise(walked)), 1)


def _route_length(route: SourceRoute, points: Mapping[str, dict[str, Any]]) -> float | None:
    """The planned route's length through its current points in order; None unless every
    point has a place (a partial sum would understate it)."""
    places = []
    for checkpoint in route.checkpoints:
        if checkpoint.valid_to is not None:
            continue
        point = points.get(checkpoint.external_id.split(":", 1)[1])
        if point is None or point["where"] is None:
            return None
        places.append(point["where"])
    if len(places) < 2:
        return None
    length = sum(distance_m(a, b) for a, b in itertools.pairwise(places))
    return round(length, 1) or None


def _abnormal(result: Mapping[str, Any]) -> bool:
    if str(result.get("patrol_type") or "") == codes.PATROL_ABNORMAL:
        return True
    answers = _ANSWER.findall(str(result.get("description") or ""))
    return any(answer.strip() in FAULT_ANSWERS for answer in answers)


def _clock(value: object) -> dt.time | None:
    """``HH:mm`` (or ``HH:mm:ss``) as a time of day."""
    text = str(value or "").strip()
    for pattern in ("%H:%M", "%H:%M:%S"):
        try:
            return dt.datetime.strptime(text, pattern).time()
        except ValueError:
            continue
    return None


def _minutes_between(start: dt.time, end: dt.time) -> int:
    minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
    return minutes if minutes > 0 else minutes + 24 * 60


def _date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return None


def _number_list(value: object, low: int, high: int) -> str:
    numbers = sorted(
        {n for n in (_int(part) for part in str(value or "").split(",")) if n and low <= n <= high}
    )
    return ",".join(map(str, numbers))


def _short_hash(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
