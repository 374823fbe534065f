"""Owners (accounts that are data, not logins), their homes, and the property staff."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from data_access.accounts.auth import UNUSABLE_PASSWORD_HASH
from data_access.models import Account, OwnerUnit, Staff
from seed.core import CommunityWorld, PersonRef, SeedContext, UnitRef, insert_returning_ids
from seed.demo_accounts import DEMO_ACCOUNTS, create_demo_accounts
from seed.places import COMMUNITIES
from seed.texts import person_name, phone_number

# Staff per post for (large, medium, small) communities, and the post's team(s).
STAFFING: dict[str, tuple[tuple[int, int, int], tuple[str, ...]]] = {
    "保安": ((10, 6, 3), ("安防一班", "安防二班")),
    "保洁": ((8, 5, 3), ("保洁组",)),
    "维修工": ((5, 3, 2), ("工程组",)),
    "客服": ((3, 2, 1), ("客服中心",)),
    "绿化工": ((3, 2, 1), ("绿化组",)),
    "管家": ((4, 2, 1), ("管家组",)),
}
SIZE_INDEX = {"large": 0, "medium": 1, "small": 2}
EXTRA_UNIT_SHARE = 0.06  # owners holding a second home


def create_people(session: Session, ctx: SeedContext, worlds: list[CommunityWorld]) -> None:
    by_code = {w.code: w for w in worlds}
    demo = create_demo_accounts(session, ctx, {w.code: w.id for w in worlds})
    for spec_demo in DEMO_ACCOUNTS:
        world = by_code[spec_demo.community_code]
        account = demo[spec_demo.username]
        units = tuple(u for u in world.units if u.label == spec_demo.unit)
        person = PersonRef(spec_demo.display_name, spec_demo.phone, account.id, units=units)
        if spec_demo.role == "owner":
            world.demo_owner = person
        elif spec_demo.role == "committee":
            world.committee = person
        else:
            world.manager = person
    for world in worlds:
        _create_manager_account(session, ctx, world)
        _create_owners(session, ctx, world)
        _create_staff(session, ctx, world)


def _create_manager_account(session: Session, ctx: SeedContext, world: CommunityWorld) -> None:
    """Communities without a demo manager still need one (data account, cannot log in)."""
    if world.manager is not None:
        return
    rng = ctx.rng("manager", world.code)
    account = Account(
        username=f"{world.code.lower()}_manager",
        display_name=person_name(rng),
        phone=phone_number(rng),
        password_hash=UNUSABLE_PASSWORD_HASH,
        role="manager",
        community_id=world.id,
        created_at=ctx.utc(ctx.history_start - dt.timedelta(days=60), dt.time(9, 0)),
    )
    session.add(account)
    session.flush()
    world.manager = PersonRef(account.display_name, account.phone, account.id)


def _create_owners(session: Session, ctx: SeedContext, world: CommunityWorld) -> None:
    rng = ctx.rng("owners", world.code)
    spec = next(s for s in COMMUNITIES if s.code == world.code)
    taken = {u.id for p in (world.demo_owner, world.committee) if p for u in p.units}
    free = [u for u in world.units if u.id not in taken]
    rng.shuffle(free)
    history_days = (ctx.as_of - ctx.history_start).days
    accounts = []
    homes: list[tuple[UnitRef, ...]] = []
    for n in range(spec.owners):
        units: tuple[UnitRef, ...] = (free.pop(),)
        if rng.random() < EXTRA_UNIT_SHARE:
            units += (free.pop(),)
        # Most owners signed up before the period; some joined during it.
        joined = ctx.history_start - dt.timedelta(days=rng.randrange(30, 900))
        if rng.random() < 0.2:
            joined = ctx.history_start + dt.timedelta(days=rng.randrange(history_days))
        accounts.append(
            {
                "username": f"{world.code.lower()}_owner_{n + 1:04d}",
                "display_name": person_name(rng),
                "phone": phone_number(rng),
                "password_hash": UNUSABLE_PASSWORD_HASH,
                "role": "owner",
                "community_id": world.id,
                "is_active": True,
                "token_version": 0,
                "created_at": ctx.utc(joined, dt.time(rng.randrange(8, 22), rng.randrange(60))),
            }
        )
        homes.append(units)
    ids = insert_returning_ids(session, Account, accounts)
    links: list[dict[str, int]] = []
    for account_id, row, units in zip(ids, accounts, homes, strict=True):
        name, phone = str(row["display_name"]), str(row["phone"])
        world.owners.append(PersonRef(name, phone, account_id, units=units))
    for person in (world.demo_owner, world.committee, *world.owners):
        if person is not None and person.account_id is not None:
            links += [{"account_id": person.account_id, "unit_id": u.id} for u in person.units]
    session.execute(insert(OwnerUnit), sorted(links, key=lambda r: (r["account_id"], r["unit_id"])))
    if world.demo_owner is not None:
        world.owners.insert(0, world.demo_owner)


def _create_staff(session: Session, ctx: SeedContext, world: CommunityWorld) -> None:
    rng = ctx.rng("staff", world.code)
    rows = []
    for post, (counts, teams) in STAFFING.items():
        for n in range(counts[SIZE_INDEX[world.size]]):
            rows.append(
                {
                    "community_id": world.id,
                    "name": person_name(rng),
                    "phone": phone_number(rng),
                    "post": post,
                    "team": teams[n % len(teams)],
                    "account_id": None,
                    "is_active": True,
                }
            )
    if world.size == "large":  # someone who left during the year keeps their history
        rows[1] = {**rows[1], "is_active": False}
    assert world.manager is not None
    rows.append(
        {
            "community_id": world.id,
            "name": world.manager.name,
            "phone": world.manager.phone,
            "post": "经理",
            "team": "项目部",
            "account_id": world.manager.account_id,
            "is_active": True,
        }
    )
    session.execute(insert(Staff), rows)
    staff = session.scalars(
        select(Staff).where(Staff.community_id == world.id).order_by(Staff.id)
    ).all()
    for member in staff:
        ref = PersonRef(member.name, member.phone, member.account_id, staff_id=member.id)
        if member.is_active:
            world.staff.setdefault(member.post, []).append(ref)
        if member.post == "经理":
            world.manager = ref
