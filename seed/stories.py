"""The demo owners' own orders, scripted so that every demo path has something to show.

owner_a (翠湖花园): an in-progress repair that went through parts procurement, a completed
order not yet rated, a rated one, open orders at other stages, and a low rating whose
rectification ticket is being worked on. owner_b (锦绣华庭) gets a smaller set.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from seed.core import CommunityWorld, PersonRef
from seed.texts import Problem
from seed.work_orders import Lateness, OrderBuilder, OrderDraft


@dataclass(frozen=True)
class OrderStory:
    community: str
    order_type: str
    category: str
    where: str  # "home", "building" or a public area's name
    title: str
    description: str
    stage: str  # where the order stands now
    days_ago: float  # completed orders: since completion; open ones: since creation
    with_parts: bool = False
    rating: tuple[int, int, int, str] | tuple[()] | None = ()
    ticket_status: str | None = None
    building: str = ""  # for "building": which building and entrance, e.g. "6栋1单元"


ORDER_STORIES: tuple[OrderStory, ...] = (
    OrderStory(
        "CUIHU",
        "repair",
        "plumbing",
        "home",
        "厨房水槽下水管漏水",
        "厨房水槽下面的下水管一直在漏水,柜子里全湿了,用盆接着也不是办法。麻烦尽快安排师傅。",
        "in_progress",
        4.2,
        with_parts=True,
    ),
    OrderStory(
        "CUIHU",
        "repair",
        "electrical",
        "home",
        "卫生间浴霸不亮",
        "卫生间浴霸的灯和暖风都不工作了,开关换了也没用,天冷了洗澡很不方便。",
        "completed",
        2.0,
    ),
    OrderStory(
        "CUIHU",
        "repair",
        "facilities",
        "home",
        "阳台推拉门卡住打不开",
        "阳台推拉门的滑轮好像坏了,推起来非常费劲,现在卡住完全打不开。",
        "completed",
        26.0,
        rating=(5, 5, 5, "师傅很专业,半小时就修好了,还提醒我平时怎么保养"),
    ),
    OrderStory(
        "CUIHU",
        "repair",
        "electrical",
        "building",
        "6栋1单元楼道声控灯不亮",
        "6栋1单元 12 楼到 15 楼的楼道声控灯都不亮了,晚上回家黑漆漆的,老人上下楼怕摔。",
        "submitted",
        0.015,
        building="6栋1单元",
    ),
    OrderStory(
        "CUIHU",
        "complaint",
        "parking",
        "南门",
        "南门口乱停车堵路",
        "南门口每天晚上都停满了外来车辆,消防通道也被占了,早上出门车开不出去,希望物业管一管。",
        "investigating",
        1.1,
    ),
    OrderStory(
        "CUIHU",
        "brand_service",
        "cleaning",
        "home",
        "空调清洗预约",
        "预约挂机空调清洗两台,周末上午家里有人,请带好鞋套。",
        "scheduled",
        0.6,
    ),
    OrderStory(
        "CUIHU",
        "repair",
        "electrical",
        "中心花园",
        "中心花园路灯一片都不亮",
        "中心花园靠近 6 栋这一片的路灯全都不亮,晚上散步看不清路,小孩子玩也不安全。",
        "completed",
        6.0,
        rating=(2, 1, 2, "修完第二天又坏了,打电话去问也没人回"),
        ticket_status="in_progress",
    ),
    OrderStory(
        "JINXIU",
        "repair",
        "plumbing",
        "home",
        "马桶关不紧一直滴水",
        "马桶水箱一直在滴水,晚上能听到声音,水费都多了。",
        "awaiting_acceptance",
        1.5,
    ),
    OrderStory(
        "JINXIU",
        "repair",
        "electrical",
        "home",
        "客厅插座跳闸",
        "客厅插座一插电器就跳闸,自己推了几次闸推不上去,冰箱里的东西快化了。",
        "completed",
        5.0,
    ),
    OrderStory(
        "JINXIU",
        "complaint",
        "noise",
        "building",
        "楼上装修噪音太大",
        "楼上装修中午也在打电钻,家里孩子要午睡,跟装修工人说了没用。",
        "completed",
        20.0,
        rating=(4, 4, 3, "还行,就是等得有点久"),
        building="3栋2单元",
    ),
    OrderStory(
        "JINXIU",
        "repair",
        "access_control",
        "building",
        "3栋2单元门禁刷卡没反应",
        "单元门禁刷卡没反应,每次都要等别人开门,晚上回来进不了门。",
        "completed",
        0.6,
        rating=(1, 2, 1, "说好下午来,一直没来也没打电话,第三天才修好"),
        ticket_status="submitted",
        building="3栋2单元",
    ),
)


def draft_stories(builder: OrderBuilder, world: CommunityWorld) -> list[OrderDraft]:
    owner = world.demo_owner
    if owner is None:
        return []
    return [
        _draft(builder, world, owner, story)
        for story in ORDER_STORIES
        if story.community == world.code
    ]


def _draft(
    builder: OrderBuilder, world: CommunityWorld, owner: PersonRef, story: OrderStory
) -> OrderDraft:
    where: str | tuple[str, ...] = story.where
    if story.where not in ("home", "building"):
        where = (world.area(story.where).kind,)
    problem = Problem(story.category, where, (("", ("",)),), ("",))
    order = builder.draft(story.order_type, problem=problem, owner=owner, priority="normal")
    order.title, order.description, order.source = story.title, story.description, "app"
    if story.where == "building":
        building = world.area(story.building.split("栋")[0] + "栋")
        order.area_id, order.location = building.id, story.building
    elif story.where != "home":
        area = world.area(story.where)
        order.area_id, order.location = area.id, area.name
    plan = builder.plan(
        order,
        lateness=Lateness(False, False),
        with_parts=story.with_parts,
        problem_parts=("下水管", "密封圈"),
    )
    stages = [stage for stage, _ in plan]
    index = stages.index(story.stage)
    # A little jitter, so that scripted times do not all fall on the hour.
    now = builder.ctx.now - dt.timedelta(minutes=builder.rng.uniform(5, 180))
    if story.stage == "completed":
        created = now - dt.timedelta(days=story.days_ago, minutes=plan[-1][1])
    else:
        # Squeeze the stages reached so far into the order's age, keep the rest after "now".
        created = now - dt.timedelta(days=story.days_ago)
        elapsed = story.days_ago * 24 * 60
        reached = plan[index][1]
        scale = 0.6 * elapsed / reached if reached else 1.0
        plan = [
            (stage, minutes * scale if i <= index else elapsed + minutes - reached)
            for i, (stage, minutes) in enumerate(plan)
        ]
    builder.materialize(order, created, plan, ("下水管", "密封圈"))
    order.photos = True
    order.rating = story.rating
    order.ticket_status = story.ticket_status
    return order
