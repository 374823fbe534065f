"""Service contracts: KPI targets by service level, SLA rules, and the service items."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from data_access.models import ServiceContract, ServiceItem, SlaRule
from seed.core import CommunityWorld, ContractRef, SeedContext
from seed.places import COMMUNITIES

# service level → (plan, actual, timeliness, rectification, satisfaction, reply timeliness)
TARGETS: dict[str, tuple[float, float, float, float, float, float]] = {
    "一级": (0.95, 0.98, 0.90, 0.90, 4.5, 0.95),
    "二级": (0.92, 0.96, 0.85, 0.85, 4.2, 0.90),
    "三级": (0.90, 0.95, 0.80, 0.80, 4.0, 0.85),
}
# service level → (reply h, accept h, fix days, auto-close days)
DEADLINES: dict[str, tuple[int, int, int, int]] = {
    "一级": (24, 24, 7, 7),
    "二级": (24, 24, 7, 7),
    "三级": (48, 48, 10, 7),
}
# (order type, category, priority) → (respond minutes, resolve minutes)
SLA_RULES: dict[tuple[str, str, str], tuple[int, int]] = {
    ("repair", "*", "urgent"): (15, 4 * 60),
    ("repair", "*", "normal"): (30, 72 * 60),
    ("repair", "*", "low"): (60, 168 * 60),
    ("repair", "elevator", "urgent"): (10, 2 * 60),
    ("complaint", "*", "urgent"): (15, 12 * 60),
    ("complaint", "*", "normal"): (30, 48 * 60),
    ("complaint", "*", "low"): (60, 120 * 60),
    # A brand service "responds" when it starts, at the booked time: days, not minutes.
    ("brand_service", "*", "urgent"): (4 * 60, 24 * 60),
    ("brand_service", "*", "normal"): (72 * 60, 7 * 24 * 60),
    ("brand_service", "*", "low"): (7 * 24 * 60, 14 * 24 * 60),
    ("rectification", "*", "urgent"): (60, 24 * 60),
    ("rectification", "*", "normal"): (24 * 60, 7 * 24 * 60),
    ("rectification", "*", "low"): (48 * 60, 14 * 24 * 60),
}


@dataclass(frozen=True)
class ItemSpec:
    code: str
    name: str
    tier: str
    category: str
    standard: str
    recurrence: str
    window: tuple[str, str]
    minutes: int
    times_per_day: int = 1
    weekdays: str = ""
    month_days: str = ""
    area: str = ""  # public area name, if the item is about one
    sizes: str = "lms"  # which community sizes have it: l(arge) m(edium) s(mall)


ITEMS: tuple[ItemSpec, ...] = (
    ItemSpec(
        "CL-LOBBY",
        "大堂保洁",
        "basic",
        "cleaning",
        "大堂地面无污渍、无杂物,玻璃门无手印,垃圾桶不满溢",
        "daily",
        ("07:00", "21:00"),
        20,
        times_per_day=4,
        area="1栋大堂",
    ),
    ItemSpec(
        "CL-ROAD",
        "道路及广场清扫",
        "basic",
        "cleaning",
        "主干道及广场无垃圾、无积水,果皮纸屑滞留不超过 1 小时",
        "daily",
        ("06:30", "18:30"),
        60,
        times_per_day=3,
        area="中心花园",
    ),
    ItemSpec(
        "CL-GARBAGE",
        "垃圾清运",
        "basic",
        "cleaning",
        "垃圾桶日产日清,桶身清洁无异味,周边地面无散落垃圾",
        "daily",
        ("07:00", "19:00"),
        45,
        times_per_day=2,
        area="垃圾分类站",
    ),
    ItemSpec(
        "CL-STAIR",
        "楼道清洁",
        "basic",
        "cleaning",
        "楼道、扶手每周擦拭,地面无积尘、无杂物堆放",
        "weekly",
        ("09:00", "16:00"),
        90,
        weekdays="1,4",
    ),
    ItemSpec(
        "CL-GARAGE",
        "地下车库清扫",
        "basic",
        "cleaning",
        "车库地面无明显积尘、油污,排水沟通畅",
        "weekly",
        ("09:00", "15:00"),
        120,
        weekdays="2,5",
        area="地下车库",
        sizes="lm",
    ),
    ItemSpec(
        "GR-WATER",
        "绿化浇灌",
        "basic",
        "greening",
        "早晚各巡查浇灌一次,土壤湿润,无枯黄苗木",
        "daily",
        ("06:00", "18:00"),
        60,
        times_per_day=2,
        area="中心花园",
    ),
    ItemSpec(
        "GR-MOW",
        "草坪修剪",
        "basic",
        "greening",
        "草坪高度保持在 5–8 厘米,边缘整齐,修剪后当日清理草屑",
        "weekly",
        ("08:00", "11:30"),
        150,
        weekdays="3",
        area="中心花园",
    ),
    ItemSpec(
        "GR-PEST",
        "病虫害防治",
        "basic",
        "greening",
        "每月两次巡查用药,提前 24 小时公告,无明显病虫害",
        "monthly",
        ("08:00", "10:00"),
        90,
        month_days="10,25",
        sizes="l",
    ),
    ItemSpec(
        "SC-FIREWAY",
        "消防通道检查",
        "basic",
        "security",
        "消防通道无占用、无堆物,防火门常闭,标识清晰",
        "daily",
        ("08:00", "22:00"),
        30,
        times_per_day=3,
    ),
    ItemSpec(
        "SC-FIREEQ",
        "消防设施月检",
        "basic",
        "security",
        "灭火器压力正常,消火栓水带齐全,应急照明有效",
        "monthly",
        ("09:00", "17:00"),
        180,
        month_days="5",
    ),
    ItemSpec(
        "EN-PUMP",
        "水泵房巡检",
        "basic",
        "engineering",
        "水泵运行无异响、无渗漏,压力表读数正常并记录",
        "weekly",
        ("09:00", "11:00"),
        40,
        weekdays="1,4",
        area="水泵房",
    ),
    ItemSpec(
        "EN-POWER",
        "配电房巡检",
        "basic",
        "engineering",
        "配电柜指示正常,室内无积水、无杂物,消防器材齐全",
        "weekly",
        ("14:00", "16:00"),
        40,
        weekdays="2",
        area="配电房",
        sizes="l",
    ),
    ItemSpec(
        "EN-LIGHT",
        "公共照明检查",
        "basic",
        "engineering",
        "路灯、楼道灯完好率不低于 98%,损坏 24 小时内修复",
        "weekly",
        ("18:30", "20:30"),
        60,
        weekdays="5",
    ),
    ItemSpec(
        "EL-CHECK",
        "电梯日常巡视",
        "basic",
        "elevator",
        "电梯运行平稳,轿厢照明、通风、对讲正常,年检标志在有效期",
        "daily",
        ("08:00", "17:00"),
        30,
        times_per_day=2,
        sizes="lm",
    ),
    ItemSpec(
        "EL-MAINT",
        "电梯半月保养",
        "basic",
        "elevator",
        "由维保单位每半月保养一次,保养记录张贴于轿厢内",
        "monthly",
        ("09:00", "17:00"),
        120,
        month_days="1,16",
    ),
    ItemSpec(
        "CS-REPORT",
        "月度服务报告公示",
        "basic",
        "customer_service",
        "每月最后一天在公告栏和线上公示当月服务报告",
        "monthly",
        ("09:00", "18:00"),
        60,
        month_days="31",
    ),
    ItemSpec(
        "CS-VISIT",
        "管家上门走访",
        "brand",
        "customer_service",
        "管家每周走访不少于 10 户,记录诉求并在 24 小时内反馈",
        "weekly",
        ("14:00", "18:00"),
        180,
        weekdays="6",
        sizes="lm",
    ),
    ItemSpec(
        "EV-MARKET",
        "社区便民集市",
        "brand",
        "events",
        "每月一次,提供磨刀、修伞、家电维修等便民服务",
        "monthly",
        ("09:00", "12:00"),
        180,
        month_days="28",
        area="中心花园",
    ),
    ItemSpec(
        "EV-CLASS",
        "业主兴趣课堂",
        "brand",
        "events",
        "每周六开设书法、瑜伽或亲子课程,提前 3 天公告报名",
        "weekly",
        ("15:00", "17:00"),
        120,
        weekdays="6",
        area="会所",
        sizes="l",
    ),
)
# The stairwell item was upgraded mid-year: twice → three times a week (a new version).
STAIR_UPGRADE = ItemSpec(
    "CL-STAIR-2",
    "楼道清洁",
    "basic",
    "cleaning",
    "楼道、扶手每周擦拭三次,地面无积尘、无杂物堆放",
    "weekly",
    ("09:00", "16:00"),
    90,
    weekdays="1,3,5",
)
STAIR_UPGRADE_AFTER_DAYS = 150
# Larger sites get more rounds of the daily cleaning and security items.
EXTRA_DAILY_ROUNDS = {"large": 2, "medium": 1, "small": 0}
POST_FOR_CATEGORY = {
    "cleaning": "保洁",
    "greening": "绿化工",
    "security": "保安",
    "engineering": "维修工",
    "elevator": "维修工",
    "customer_service": "管家",
    "events": "客服",
}


def create_contracts(session: Session, ctx: SeedContext, worlds: list[CommunityWorld]) -> None:
    start = dt.date(ctx.history_start.year, 1, 1)
    end = dt.date(start.year + 3, 1, 1) - dt.timedelta(days=1)
    for world in worlds:
        spec = next(s for s in COMMUNITIES if s.code == world.code)
        plan, actual, timely, rectify, satisfaction, reply = TARGETS[spec.service_level]
        reply_h, accept_h, fix_d, auto_close_d = DEADLINES[spec.service_level]
        contract = ServiceContract(
            community_id=world.id,
            code=f"{world.code}-{start.year}",
            start_date=start,
            end_date=end,
            fee_per_m2_month=spec.fee_per_m2_month,
            service_level=spec.service_level,
            target_plan_completion=plan,
            target_actual_completion=actual,
            target_timeliness=timely,
            target_rectification=rectify,
            target_satisfaction=satisfaction,
            target_reply_timeliness=reply,
            red_line_score=2,
            reply_deadline_hours=reply_h,
            accept_deadline_hours=accept_h,
            fix_deadline_days=fix_d,
            auto_close_days=auto_close_d,
        )
        session.add(contract)
        session.flush()
        session.add_all(
            SlaRule(
                contract_id=contract.id,
                order_type=order_type,
                category=category,
                priority=priority,
                respond_minutes=respond,
                resolve_minutes=resolve,
            )
            for (order_type, category, priority), (respond, resolve) in SLA_RULES.items()
        )
        _create_items(session, ctx, world, contract, start)
        world.contract = ContractRef(
            id=contract.id,
            service_level=spec.service_level,
            red_line_score=contract.red_line_score,
            reply_deadline_hours=reply_h,
            accept_deadline_hours=accept_h,
            fix_deadline_days=fix_d,
            auto_close_days=auto_close_d,
            sla=dict(SLA_RULES),
        )
    session.flush()


def _create_items(
    session: Session,
    ctx: SeedContext,
    world: CommunityWorld,
    contract: ServiceContract,
    start: dt.date,
) -> None:
    size = world.size[0]
    upgrade_on = ctx.history_start + dt.timedelta(days=STAIR_UPGRADE_AFTER_DAYS)
    turn: dict[str, int] = {}
    for spec in (*ITEMS, STAIR_UPGRADE):
        if size not in spec.sizes:
            continue
        post = POST_FOR_CATEGORY[spec.category]
        staff = world.post(post)
        assignee = staff[turn.get(post, 0) % len(staff)]
        turn[post] = turn.get(post, 0) + 1
        valid_from, valid_to = start, None
        if spec.code == "CL-STAIR":
            valid_to = upgrade_on - dt.timedelta(days=1)
        elif spec is STAIR_UPGRADE:
            valid_from = upgrade_on
        times = spec.times_per_day
        if spec.recurrence == "daily" and spec.category in ("cleaning", "security"):
            times += EXTRA_DAILY_ROUNDS[world.size]
        area_id = None
        if spec.area:
            area_id = next((a.id for a in world.public_areas if a.name == spec.area), None)
        session.add(
            ServiceItem(
                contract_id=contract.id,
                code=spec.code,
                name=spec.name,
                tier=spec.tier,
                category=spec.category,
                standard=spec.standard,
                recurrence=spec.recurrence,
                times_per_day=times,
                weekdays=spec.weekdays,
                month_days=spec.month_days,
                window_start=dt.time.fromisoformat(spec.window[0]),
                window_end=dt.time.fromisoformat(spec.window[1]),
                expected_minutes=spec.minutes,
                area_id=area_id,
                default_assignee_id=assignee.staff_id,
                valid_from=valid_from,
                valid_to=valid_to,
            )
        )
