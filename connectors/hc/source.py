"""Opening an HC database read-only, and checking it is one before reading.

HC keeps two kinds of time: ``create_time`` (and ``appointment_time``) are TIMESTAMP columns,
which MySQL converts to the *session* time zone on reading, while ``start_time``, ``end_time``,
``finish_time`` and ``timeout`` are DATETIME columns, read back exactly as HC wrote them — the
local time of HC's server (Asia/Shanghai in practice). The connection therefore sets its session
zone to UTC: TIMESTAMPs arrive in UTC, DATETIMEs are read as local times of ``source_zone``.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from data_access.errors import DomainError

CONNECT_TIMEOUT_S = 10
READ_TIMEOUT_S = 300

# The tables and columns the connector reads, with the type family each must have.
TEXT, NUMBER, TIMESTAMP, DATETIME = "text", "number", "timestamp", "datetime"
_TEXT = {"varchar", "char", "text", "longtext", "mediumtext", "tinytext"}
_NUMBER = {"int", "bigint", "smallint", "tinyint", "decimal", "double", "float", "mediumint"}
EXPECTED: Mapping[str, Mapping[str, str]] = {
    "s_community": {"community_id": TEXT, "name": TEXT, "address": TEXT, "status_cd": TEXT},
    "f_floor": {
        "floor_id": TEXT, "floor_num": TEXT, "name": TEXT, "community_id": TEXT, "status_cd": TEXT,
    },
    "building_unit": {"unit_id": TEXT, "unit_num": TEXT, "floor_id": TEXT, "status_cd": TEXT},
    "building_room": {
        "room_id": TEXT, "room_num": TEXT, "unit_id": TEXT, "built_up_area": NUMBER,
        "status_cd": TEXT,
    },
    "building_owner": {
        "member_id": TEXT, "owner_id": TEXT, "name": TEXT, "link": TEXT, "owner_type_cd": TEXT,
        "status_cd": TEXT,
    },
    "building_owner_room_rel": {"owner_id": TEXT, "room_id": TEXT, "status_cd": TEXT},
    "r_repair_setting": {
        "repair_type": TEXT, "repair_type_name": TEXT, "community_id": TEXT, "public_area": TEXT,
        "repair_setting_type": TEXT, "do_time": NUMBER, "status_cd": TEXT,
    },
    "r_repair_pool": {
        "repair_id": TEXT, "community_id": TEXT, "repair_type": TEXT, "repair_name": TEXT,
        "tel": TEXT, "context": TEXT, "create_time": TIMESTAMP, "state": TEXT,
        "repair_obj_type": TEXT, "repair_obj_id": TEXT, "repair_obj_name": TEXT,
        "timeout": DATETIME, "finish_time": DATETIME, "status_cd": TEXT,
    },
    "r_repair_user": {
        "ru_id": TEXT, "repair_id": TEXT, "state": TEXT, "context": TEXT, "staff_name": TEXT,
        "start_time": DATETIME, "end_time": DATETIME, "create_time": TIMESTAMP, "status_cd": TEXT,
    },
    "file_rel": {
        "file_rel_id": TEXT, "rel_type_cd": TEXT, "obj_id": TEXT, "file_real_name": TEXT,
        "status_cd": TEXT,
    },
    "appraise": {
        "appraise_id": TEXT, "appraise_score": NUMBER, "context": TEXT,
        "parent_appraise_id": TEXT, "appraise_user_id": TEXT, "obj_id": TEXT,
        "door_speed_score": NUMBER, "repairman_service_score": NUMBER,
        "create_time": TIMESTAMP, "status_cd": TEXT,
    },
    "resource_store_use_record": {
        "rsur_id": TEXT, "repair_id": TEXT, "quantity": TEXT, "resource_store_name": TEXT,
        "state": TEXT, "create_time": TIMESTAMP, "status_cd": TEXT,
    },
    "complaint": {
        "complaint_id": TEXT, "type_cd": TEXT, "community_id": TEXT, "complaint_name": TEXT,
        "owner_id": TEXT, "room_id": TEXT, "room_name": TEXT, "tel": TEXT, "context": TEXT,
        "state": TEXT, "create_time": TIMESTAMP, "status_cd": TEXT,
    },
    "complaint_type": {"type_cd": TEXT, "type_name": TEXT, "status_cd": TEXT},
    "complaint_event": {
        "event_id": TEXT, "complaint_id": TEXT, "event_type": TEXT, "create_user_name": TEXT,
        "remark": TEXT, "create_time": TIMESTAMP, "status_cd": TEXT,
    },
    "inspection_point": {
        "inspection_id": TEXT, "inspection_name": TEXT, "community_id": TEXT,
        "point_obj_type": TEXT, "point_obj_id": TEXT, "lng": TEXT, "lat": TEXT, "status_cd": TEXT,
    },
    "inspection_route": {
        "inspection_route_id": TEXT, "route_name": TEXT, "community_id": TEXT, "status_cd": TEXT,
    },
    "inspection_route_point_rel": {
        "irp_rel_id": TEXT, "inspection_route_id": TEXT, "inspection_id": TEXT,
        "community_id": TEXT, "sort_number": NUMBER, "create_time": TIMESTAMP, "status_cd": TEXT,
    },
    "inspection_plan": {
        "inspection_plan_id": TEXT, "inspection_plan_name": TEXT, "inspection_route_id": TEXT,
        "community_id": TEXT, "start_date": DATETIME, "end_date": DATETIME, "start_time": TEXT,
        "end_time": TEXT, "inspection_plan_period": TEXT, "sign_type": TEXT, "state": TEXT,
        "status_cd": TEXT,
    },
    "inspection_plan_staff": {
        "ip_staff_id": TEXT, "inspection_plan_id": TEXT, "community_id": TEXT, "staff_id": TEXT,
        "staff_name": TEXT, "start_time": TEXT, "end_time": TEXT, "status_cd": TEXT,
    },
    "inspection_task": {
        "task_id": TEXT, "community_id": TEXT, "inspection_plan_id": TEXT, "ip_staff_id": TEXT,
        "plan_ins_time": TIMESTAMP, "plan_end_time": TIMESTAMP, "plan_user_id": TEXT,
        "plan_user_name": TEXT, "state": TEXT, "status_cd": TEXT,
    },
    "inspection_task_detail": {
        "task_detail_id": TEXT, "community_id": TEXT, "task_id": TEXT, "inspection_id": TEXT,
        "inspection_time": TIMESTAMP, "longitude": TEXT, "latitude": TEXT, "patrol_type": TEXT,
        "description": TEXT, "status_cd": TEXT,
    },
    "maintainance_standard": {
        "standard_id": TEXT, "standard_name": TEXT, "community_id": TEXT, "status_cd": TEXT,
    },
    "maintainance_plan": {
        "plan_id": TEXT, "plan_name": TEXT, "standard_id": TEXT, "community_id": TEXT,
        "start_date": DATETIME, "end_date": DATETIME, "plan_period": TEXT,
        "maintainance_month": TEXT, "maintainance_day": TEXT, "maintainance_everyday": TEXT,
        "state": TEXT, "status_cd": TEXT,
    },
    "maintainance_plan_machine": {
        "mpm_id": TEXT, "plan_id": TEXT, "community_id": TEXT, "machine_name": TEXT,
        "status_cd": TEXT,
    },
    "maintainance_task": {
        "task_id": TEXT, "community_id": TEXT, "plan_id": TEXT, "plan_ins_time": TIMESTAMP,
        "plan_end_time": TIMESTAMP, "plan_user_id": TEXT, "plan_user_name": TEXT, "state": TEXT,
        "status_cd": TEXT,
    },
    "maintainance_task_detail": {
        "task_detail_id": TEXT, "task_id": TEXT, "machine_name": TEXT,
        "inspection_time": TIMESTAMP, "description": TEXT, "status_cd": TEXT,
    },
    "machine_type": {"type_id": TEXT, "machine_type_name": TEXT, "community_id": TEXT},
    "equipment_account": {
        "machine_id": TEXT, "machine_code": TEXT, "machine_name": TEXT, "type_id": TEXT,
        "community_id": TEXT, "location_obj_id": TEXT, "first_enable_time": DATETIME,
        "create_time": TIMESTAMP, "status_cd": TEXT,
    },
    "complaint_appraise": {
        "appraise_id": TEXT, "complaint_id": TEXT, "score": NUMBER, "context": TEXT,
        "state": TEXT, "create_user_id": TEXT, "reply_context": TEXT, "create_time": TIMESTAMP,
        "status_cd": TEXT,
    },
}  # fmt: skip


class SourceError(DomainError):
    """The source cannot be read: unreachable, not an HC schema, or no SELECT rights."""


def open_source(url: str) -> Engine:
    """An engine on the HC database at ``url`` (``mysql+pymysql://…``), session zone UTC."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise SourceError("sync.bad_url", url="…") from None
    if not parsed.drivername.startswith("mysql"):
        raise SourceError("sync.bad_url", url=describe_source(url))
    return create_engine(
        parsed,
        pool_pre_ping=True,
        connect_args={
            "init_command": "SET time_zone = '+00:00'",
            "connect_timeout": CONNECT_TIMEOUT_S,
            "read_timeout": READ_TIMEOUT_S,
            "charset": "utf8mb4",
        },
    )


def describe_source(url: str) -> str:
    """The URL without its password, for reports and messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "…"


def check_source(engine: Engine) -> None:
    """Raise one clear ``SourceError`` when the source cannot be read as HC: unreachable, a
    table or column missing, a column of another type, or a table the user may not SELECT."""
    try:
        with engine.connect() as connection:
            columns = connection.execute(
                text(
                    "SELECT table_name, column_name, data_type FROM information_schema.columns"
                    " WHERE table_schema = DATABASE()"
                )
            ).all()
            found: dict[str, dict[str, str]] = {}
            for table, column, data_type in columns:
                found.setdefault(str(table).lower(), {})[str(column).lower()] = str(data_type)
            problems = _schema_problems(found)
            if problems:
                raise SourceError("sync.schema", problems="; ".join(problems))
            for table in EXPECTED:
                connection.execute(text(f"SELECT 1 FROM {table} LIMIT 1")).all()
    except DBAPIError as error:
        raise source_error(error, engine) from None


def _schema_problems(found: Mapping[str, Mapping[str, str]]) -> list[str]:
    problems = []
    for table, columns in EXPECTED.items():
        if table not in found:
            problems.append(f"{table}: missing (or not readable)")
            continue
        for column, family in columns.items():
            data_type = found[table].get(column)
            if data_type is None:
                problems.append(f"{table}.{column}: missing")
            elif _family(data_type) != family:
                problems.append(f"{table}.{column}: {data_type}, expected {family}")
    return problems


def _family(data_type: str) -> str:
    data_type = data_type.lower()
    if data_type in _TEXT:
        return TEXT
    if data_type in _NUMBER:
        return NUMBER
    return data_type  # "timestamp", "datetime", or something else that will not match


def source_error(error: DBAPIError, engine: Engine) -> SourceError:
    code = error.orig.args[0] if error.orig is not None and error.orig.args else None
    where = engine.url.render_as_string(hide_password=True)
    detail = str(error.orig.args[1]) if error.orig is not None and len(error.orig.args) > 1 else ""
    if code in (1142, 1143, 1044):
        return SourceError("sync.no_select", source=where, detail=detail)
    if code in (1045,):
        return SourceError("sync.denied", source=where)
    return SourceError("sync.unreachable", source=where, detail=detail or str(error.orig))
