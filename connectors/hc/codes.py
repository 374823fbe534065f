"""HC's codes and what they mean for us (from HC's schema dictionary and state constants)."""

from __future__ import annotations

import datetime as dt

LIVE = "0"  # status_cd: '0' live; anything else is a (logical) delete

# r_repair_pool.state
POOL_WAITING = "1000"  # 未派单
POOL_TAKEN = "1100"  # 接单
POOL_RETURNED = "1200"  # 退单
POOL_TRANSFERRED = "1300"  # 转单
POOL_AWAITING_PAYMENT = "1400"  # 待支付 (the handler closed it)
POOL_PAYMENT_FAILED = "1500"
POOL_AWAITING_RATING = "1700"  # 待评价
POOL_AWAITING_VISIT = "1800"  # 待回访
POOL_DONE = "1900"  # 办理完成
POOL_CLOSED_UNHANDLED = "2000"  # 未办理结单
POOL_PAUSED = "2001"  # 暂停
OPEN_POOL_STATES = frozenset(
    {POOL_WAITING, POOL_TAKEN, POOL_RETURNED, POOL_TRANSFERRED, POOL_PAUSED}
)
FINISHED_POOL_STATES = frozenset(
    {
        POOL_AWAITING_PAYMENT,
        POOL_PAYMENT_FAILED,
        POOL_AWAITING_RATING,
        POOL_AWAITING_VISIT,
        POOL_DONE,
        POOL_CLOSED_UNHANDLED,
    }
)

# r_repair_user.state: one row per step and person
STEP_DOING = "10001"  # the handler's open step
STEP_CLOSED = "10002"  # 结单
STEP_RETURNED = "10003"  # 退单
STEP_TRANSFERRED = "10004"  # 转单
STEP_SUBMITTED = "10005"  # 提交
STEP_DISPATCHED = "10006"  # 派单 (the dispatcher's row)
STEP_RATED = "10007"  # 已评价
STEP_VISITED = "10008"  # 已回访
STEP_AWAITING_PAYMENT = "10009"
STEP_REPLIED = "10010"  # staff reply to the owner's rating
STEP_AWAITING_RATING = "11000"
STEP_PAID = "12000"
STEP_PAUSED = "12001"
STEP_RESTARTED = "12002"
HANDLER_STEPS = frozenset({STEP_DOING, STEP_CLOSED, STEP_RETURNED, STEP_TRANSFERRED})
# Rows about the owner's side (payment, rating) that are not steps of the work.
OWNER_SIDE_STEPS = frozenset({STEP_RATED, STEP_AWAITING_PAYMENT, STEP_AWAITING_RATING, STEP_PAID})
KNOWN_STEPS = HANDLER_STEPS | OWNER_SIDE_STEPS | {
    STEP_SUBMITTED, STEP_DISPATCHED, STEP_VISITED, STEP_REPLIED, STEP_PAUSED, STEP_RESTARTED,
}  # fmt: skip

# r_repair_setting.repair_setting_type: 100 a cleaning order (保洁单), 200 a repair order (维修单)
CLEANING_SETTING = "100"
DEFAULT_DO_HOURS = 24  # r_repair_setting.do_time's default

# r_repair_pool.repair_obj_type
OBJ_COMMUNITY, OBJ_BUILDING, OBJ_UNIT, OBJ_ROOM = "001", "002", "003", "004"

# file_rel.rel_type_cd → our photo kind
PHOTO_KINDS = {"14000": "evidence", "23000": "before", "24000": "after", "13000": "evidence"}
REPAIR_PHOTO_TYPES = ("14000", "23000", "24000")
COMPLAINT_PHOTO_TYPE = "13000"

# resource_store_use_record.state: consumed by a work order
PART_USED_ON_ORDER = "2002"

# building_owner.owner_type_cd
HOUSEHOLDER = "1001"

# complaint.state, complaint_event.event_type
COMPLAINT_FINISHED = "C"
COMPLAINT_STATES = frozenset({"W", COMPLAINT_FINISHED})
EVENT_SUBMITTED, EVENT_HANDLED, EVENT_RATED, EVENT_REPLIED = "1000", "1001", "2002", "3003"
KNOWN_EVENTS = frozenset({EVENT_SUBMITTED, EVENT_HANDLED, EVENT_RATED, EVENT_REPLIED})

# Repair and complaint types are free text per community: their names are read for these words
# (first match wins, so the specific come before the general). No match: "other", reported.
CATEGORY_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("elevator", ("电梯", "扶梯")),
    ("access_control", ("门禁", "道闸", "门锁", "对讲")),
    ("plumbing", ("水", "管道", "下水", "马桶", "漏", "堵")),
    ("electrical", ("电", "灯", "照明", "插座", "开关")),
    ("cleaning", ("保洁", "清洁", "卫生", "垃圾", "清扫")),
    ("greening", ("绿化", "花草", "树")),
    ("security", ("安保", "治安", "保安", "消防", "安全")),
    ("parking", ("停车", "车位", "车库", "车辆")),
    ("noise", ("噪音", "噪声", "扰民")),
    ("facilities", ("设施", "设备", "公共", "门窗", "墙", "屋面", "维修")),
    ("events", ("活动",)),
)


def category_of(name: str) -> str | None:
    """Our category for an HC type name, or None when no word of it is known."""
    for category, words in CATEGORY_WORDS:
        if any(word in name for word in words):
            return category
    return None


# --- patrols (巡检), maintenance (保养), equipment ---------------------------------------------------
# inspection_point.point_obj_type
POINT_EQUIPMENT = "1001"  # 设备巡检: point_obj_id is an equipment_account.machine_id
POINT_PLACE = "2002"  # 环境巡检
# inspection_plan.sign_type
SIGN_PHOTO = "2020027"  # 现场拍照
SIGN_LOCATION = "2020028"  # 现场定位
# inspection_plan.state, maintainance_plan.state
PLAN_ACTIVE = "2020025"  # 启用
PLAN_STOPPED = "2020026"  # 停用
# inspection_plan.inspection_plan_period
INSPECTION_PERIODS = frozenset({"2020022", "2020023"})  # 月/日 lists, 按周 weekdays
# maintainance_plan.plan_period
PERIOD_MONTH_DAYS = "2020022"  # months and days of the month
PERIOD_EVERY_N_DAYS = frozenset({"2020023", "2020024"})  # 固定天: every N days from the start
# inspection_task.state, maintainance_task.state (and their details)
TASK_DONE = "20200407"  # 完成
TASK_STATES = frozenset({"20200405", "20200406", TASK_DONE, "20200408", "20200409"})
# inspection_task_detail.patrol_type (often NULL: the current staff app does not write it)
PATROL_NORMAL = "10001"
PATROL_ABNORMAL = "20002"
PATROL_RESULTS = frozenset({PATROL_NORMAL, PATROL_ABNORMAL})
# file_rel.rel_type_cd of check-in and maintenance photos
PHOTO_INSPECTION = "90000"
# HC makes maintenance tasks for 09:00–18:00 of their day.
MAINTENANCE_DAY_START = dt.time(9, 0)
MAINTENANCE_DAY_END = dt.time(18, 0)
# An incremental run re-reads tasks of this many days before its last good run.
RECHECK_DAYS = 3
