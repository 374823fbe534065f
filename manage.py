"""Command line for operators: ``python manage.py <command> --help``.

Errors that a user can fix (bad DATABASE_URL, unreachable database, schema not current,
non-empty database) are printed as one clear line and exit with status 2 — never a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from zoneinfo import ZoneInfo

from data_access.db import (
    describe_url,
    make_engine,
    make_session_factory,
    migrate,
    require_current_schema,
    resolve_database_url,
    schema_status,
)
from data_access.errors import DomainError, is_database_outage

EXIT_USER_ERROR = 2


def _engine(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    return make_engine(args.database_url or resolve_database_url())


def _ready_engine(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """An engine whose schema is current (else a clear "run migrate" error)."""
    engine = _engine(args)
    require_current_schema(engine)
    return engine


def cmd_migrate(args: argparse.Namespace) -> int:
    engine = _engine(args)
    before = schema_status(engine)
    after = migrate(engine)
    if before.current == after.current:
        print(f"数据库已是最新结构 / schema already current: {after.current}")
    else:
        print(f"已迁移 / migrated: {before.current or '(empty)'} → {after.current}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    url = args.database_url or resolve_database_url()
    status = schema_status(make_engine(url))
    state = "current" if status.is_current else "needs migration"
    print(
        f"{describe_url(url)}: schema {status.current or '(empty)'} / head {status.head} ({state})"
    )
    return 0 if status.is_current else EXIT_USER_ERROR


def cmd_seed(args: argparse.Namespace) -> int:
    import seed

    engine = _engine(args)
    migrate(engine)
    as_of = args.as_of or dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()
    if args.if_empty and not seed.is_empty(session_factory=make_session_factory(engine)):
        print("数据库已有数据,跳过演示数据生成 / database already has data, seed skipped")
        return 0
    started = time.perf_counter()
    counts = seed.populate(
        session_factory=make_session_factory(engine),
        scale=args.scale,
        seed=args.seed,
        as_of=as_of,
        media_dir=Path(args.media_dir) if args.media_dir else seed.default_media_dir(),
    )
    elapsed = time.perf_counter() - started
    total = sum(counts.values())
    print(
        f"已生成演示数据 / seeded {total:,} rows in {elapsed:.1f} s (as of {as_of}, seed {args.seed})"
    )
    for table, count in sorted(counts.items()):
        print(f"  {table:<24} {count:>9,}")
    return 0


def cmd_plans_generate(args: argparse.Namespace) -> int:
    from data_access.communities import community_id_by_code
    from data_access.db import write_session
    from data_access.plans import generate_patrol_shifts, generate_plan_tasks

    if args.end < args.start:
        print(f"错误 / error: --to {args.end} is before --from {args.start}", file=sys.stderr)
        return EXIT_USER_ERROR
    factory = make_session_factory(_ready_engine(args))
    with write_session(factory) as session:
        community_id = community_id_by_code(session=session, code=args.community)
        tasks = generate_plan_tasks(
            session=session, community_id=community_id, start=args.start, end=args.end
        )
        shifts = generate_patrol_shifts(
            session=session, community_id=community_id, start=args.start, end=args.end
        )
    print(
        f"{args.community} {args.start}~{args.end}: "
        f"新建计划任务 / plan tasks created {tasks}, 新建巡检班次 / patrol shifts created {shifts}"
    )
    return 0


def cmd_demo_accounts(args: argparse.Namespace) -> int:
    from seed.demo_accounts import DEMO_ACCOUNTS

    print("演示账号(仅限演示模式)/ demo accounts (demo mode only):")
    for account in DEMO_ACCOUNTS:
        print(f"  {account.username:<12} {account.password:<12} {account.description}")
    return 0


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="manage.py", description="业主透明看板 operations")
    parser.add_argument("--database-url", help="overrides DATABASE_URL and secrets.toml")
    sub = parser.add_subparsers(dest="command", required=True)

    sub.add_parser("migrate", help="bring the database to the newest schema (keeps data)")
    sub.add_parser("check", help="show the database and whether its schema is current")

    seed_parser = sub.add_parser("seed", help="generate deterministic demo data")
    seed_parser.add_argument("--scale", default="demo", choices=["demo"])  # "large": step 7
    seed_parser.add_argument("--seed", type=int, default=42)
    seed_parser.add_argument("--as-of", type=_date, help="the demo's 'today' (default: today)")
    seed_parser.add_argument("--media-dir", help="where photos go (default: data/media)")
    seed_parser.add_argument("--if-empty", action="store_true", help="do nothing if data exists")

    plans_parser = sub.add_parser("plans", help="service plans")
    plans_sub = plans_parser.add_subparsers(dest="plans_command", required=True)
    generate = plans_sub.add_parser(
        "generate", help="create the missing plan tasks and patrol shifts (idempotent)"
    )
    generate.add_argument("--community", required=True, help="community code, e.g. CUIHU")
    generate.add_argument("--from", dest="start", type=_date, required=True)
    generate.add_argument("--to", dest="end", type=_date, required=True)

    sub.add_parser("demo-accounts", help="list the demo logins")
    return parser


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "migrate": cmd_migrate,
    "check": cmd_check,
    "seed": cmd_seed,
    "plans": cmd_plans_generate,
    "demo-accounts": cmd_demo_accounts,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except DomainError as error:
        lang = "en" if os.environ.get("LANG", "").startswith("en") else "zh"
        print(f"错误 / error: {error.message(lang)}", file=sys.stderr)
        return EXIT_USER_ERROR
    except Exception as error:
        if is_database_outage(error):
            print(
                f"错误 / error: 无法连接数据库 / cannot reach the database: {error.__class__.__name__}",
                file=sys.stderr,
            )
            return EXIT_USER_ERROR
        raise


if __name__ == "__main__":
    sys.exit(main())
