"""Keywords of 3,000 long texts: ``keywords.top_keywords`` cold and warm, for each role.

A temporary SQLite database holds one community with 3,000 complaint letters of about 500
characters written in one month (greetings, requests and one or two topics each, generated
here), a second community with 3,000 more (the company's background), 200 staff and account
names to mask, and an owner, a committee member and a manager. For each role the function the
Analytics page calls is timed twice in one process: cold (no text cut yet: the segment cache
and the background emptied first) and warm (the same call again, as the next look at the page).
The floor is reading the same texts from the database (``list_feedback_texts`` for a manager,
which neither cuts nor masks). Run ``python -m bench.keywords``; it prints a Markdown table
(``--texts N`` for another size).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy.orm import Session

from data_access.accounts.auth import Viewer, load_viewer
from data_access.analytics import keywords
from data_access.db import make_engine, make_session_factory, migrate, write_session
from data_access.models import Account, Community, Staff, WorkOrder
from data_access.periods import range_period

OPENERS = ["尊敬的领导您好!", "尊敬的相关部门领导:您好!", "您好,我是本小区的一名业主。"]
FILLERS = [
    "作为一名普通市民,我想咨询一下相关部门是否可以帮助我们解决这个问题。",
    "我们曾多次向物业反映,但一直没有得到答复,请求政府相关部门督促处理。",
    "我们全家对此非常困扰,特此来信,盼复。联系电话13812345678。",
    "请问这种情况是否符合规定?恳请有关部门尽快调查处理。",
    "希望领导能够重视,尽快给予答复,还大家一个安宁的家园。",
]
TOPICS = [
    "深夜噪音扰民,噪音一直持续到凌晨。",
    "停车位严重不足,车辆乱停乱放占用消防通道。",
    "电梯故障频繁,电梯困人已经发生好几次,维修的王建国师傅说配件没到。",
    "垃圾清运不及时,垃圾桶满溢发出异味。",
    "楼顶漏水,墙面发霉渗水,3栋2单元1201已经泡坏了地板。",
    "电动车飞线充电,存在火灾隐患。",
    "绿化带被改成菜地,草坪无人修剪。",
    "保安夜间不巡逻,外来人员随意进出。",
    "物业费上涨却没有公示收支明细。",
    "宠物不拴绳,狗屎遍地。",
]
MONTH = range_period(dt.date(2026, 11, 1), dt.date(2026, 11, 30))


def letter(rng: random.Random) -> str:
    parts = [rng.choice(OPENERS)]
    for topic in rng.sample(TOPICS, rng.choice([1, 2])):
        parts += [rng.choice(FILLERS), topic]
    text = "".join(parts)
    while len(text) < 480:
        text += rng.choice(FILLERS)
    return text + f"(第{rng.randrange(10_000)}号来信)"  # every letter distinct


def build(path: Path, texts: int) -> str:
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    migrate(engine)
    rng = random.Random(8)
    start = dt.datetime(2026, 10, 31, 16)  # 2026-11-01 00:00 Shanghai, as stored (UTC)
    with write_session(make_session_factory(engine)) as session:
        home, other = Community(code="HOME", name="测试小区", city="杭州", address="测试路1号"), \
            Community(code="OTHER", name="别的小区", city="杭州", address="测试路2号")  # fmt: skip
        session.add_all([home, other])
        session.flush()
        for role in ("owner", "committee", "manager"):
            session.add(Account(username=role, display_name=f"{role}姓名", phone="13900000000",
                                password_hash="!", role=role, community_id=home.id,
                                is_active=True, created_at=start))  # fmt: skip
        surnames, given = "王李张刘陈杨赵黄周吴", "建国秀英志强丽娟海涛春梅"
        for n in range(200):
            name = rng.choice(surnames) + "".join(rng.sample(given, 2))
            session.add(
                Staff(
                    community_id=home.id,
                    name=name,
                    post="维修工",
                    team="维修组",
                    phone=f"1370000{n:04d}",
                )
            )
        _letters(session, home, rng, texts, start)
        _letters(session, other, rng, texts, start - dt.timedelta(days=45))
    return url


def _letters(
    session: Session, community: Community, rng: random.Random, count: int, start: dt.datetime
) -> None:
    step = dt.timedelta(days=28) / count
    for n in range(count):
        created = start + step * n
        session.add(WorkOrder(
            community_id=community.id, code=f"{community.code}-{n}", order_type="complaint",
            category="other", priority="normal", title="来信", description=letter(rng),
            created_at=created, respond_due_at=created + dt.timedelta(hours=1),
            resolve_due_at=created + dt.timedelta(hours=72), visibility="public",
        ))  # fmt: skip


def timed(call: Callable[[], object]) -> float:
    began = time.perf_counter()
    call()
    return time.perf_counter() - began


def measure(url: str) -> list[tuple[str, float, float, float, int]]:
    """Per role: (role, floor s, cold s, warm s, keywords)."""
    factory = make_session_factory(make_engine(url))
    rows = []
    for role in ("owner", "committee", "manager"):
        with factory() as session:
            rows.append((role, *_measure_role(session, role)))
    return rows


def _measure_role(session: Session, role: str) -> tuple[float, float, float, int]:
    viewer = load_viewer(session=session, username=role)
    assert isinstance(viewer, Viewer)
    manager = Viewer(0, "bench", "bench", "manager", viewer.community_id)
    floor = timed(
        lambda: keywords.list_feedback_texts(session=session, viewer=manager, period=MONTH)
    )
    keywords.clear_caches()
    found: list[keywords.KeywordCount] = []

    def look() -> None:
        found[:] = keywords.top_keywords(session=session, viewer=viewer, period=MONTH)

    cold = timed(look)
    warm = timed(look)
    return floor, cold, warm, len(found)


def table(rows: list[tuple[str, float, float, float, int]], texts: int) -> str:
    lines = [
        f"Keywords of {texts:,} letters of ~500 characters (and {texts:,} background letters)",
        "",
        "| role | read texts (floor) | cold | warm | warm ÷ floor | keywords |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for role, floor, cold, warm, found in rows:
        lines.append(
            f"| {role} | {floor:.2f} s | {cold:.2f} s | {warm:.2f} s | {warm / floor:.1f} | {found} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=3000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = build(Path(folder) / "keywords.db", args.texts)
        print(table(measure(url), args.texts))


if __name__ == "__main__":
    main()
