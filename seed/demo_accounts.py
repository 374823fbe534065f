"""Demo logins. DEMO ONLY: these passwords are public; the app offers them only in demo mode."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from data_access.accounts.auth import hash_password
from data_access.models import Account
from seed.core import SeedContext

DEMO_PASSWORD = "demo-2026!"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    display_name: str
    role: str
    community_code: str
    description: str
    phone: str = ""
    unit: str = ""  # "6栋1单元1502" for accounts that own a home


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount(
        "owner_a",
        DEMO_PASSWORD,
        "林晓雯",
        "owner",
        "CUIHU",
        "翠湖花园业主:有进行中的报修(含配件采购)、待评价的已完成工单和整改单",
        phone="13905710001",
        unit="6栋1单元1502",
    ),
    DemoAccount(
        "owner_b",
        DEMO_PASSWORD,
        "周建国",
        "owner",
        "JINXIU",
        "锦绣华庭业主:有报修、评价和整改单",
        phone="13905710002",
        unit="3栋2单元802",
    ),
    DemoAccount(
        "committee_a",
        DEMO_PASSWORD,
        "陈淑珍",
        "committee",
        "CUIHU",
        "翠湖花园业委会委员:月度报告、指标与导出",
        phone="13905710003",
        unit="2栋1单元601",
    ),
    DemoAccount(
        "manager_a",
        DEMO_PASSWORD,
        "赵立新",
        "manager",
        "CUIHU",
        "翠湖花园物业经理:回复评价、处理整改单、预警",
        phone="13905710004",
    ),
    DemoAccount(
        "manager_b",
        DEMO_PASSWORD,
        "孙海涛",
        "manager",
        "JINXIU",
        "锦绣华庭物业经理",
        phone="13905710005",
    ),
)


def create_demo_accounts(
    session: Session, ctx: SeedContext, community_ids: dict[str, int]
) -> dict[str, Account]:
    """The demo accounts, by username (bcrypt-hashed; the hashes differ run to run)."""
    created_at = ctx.utc(ctx.history_start - dt.timedelta(days=30), dt.time(9, 0))
    accounts = {
        demo.username: Account(
            username=demo.username,
            display_name=demo.display_name,
            phone=demo.phone,
            password_hash=hash_password(demo.password),
            role=demo.role,
            community_id=community_ids[demo.community_code],
            created_at=created_at,
        )
        for demo in DEMO_ACCOUNTS
    }
    session.add_all(accounts.values())
    session.flush()
    return accounts
