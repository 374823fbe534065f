"""Command line for operators: ``python manage.py <command> --help``.

Errors that a user can fix (bad DATABASE_URL, unreachable database, schema not current,
non-empty database) are printed as one clear line and exit with status 2 — never a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING
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
from data_access.timestamps import DEFAULT_TIME_ZONE, zone_named

if TYPE_CHECKING:
    from data_access.analytics.kpis import Kpi, KpiReport
    from data_access.orders.handling import HandlingFigures

EXIT_USER_ERROR = 2
ROOT = Path(__file__).resolve().parent


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
    # With --as-of the demo's "now" is 20:00 that day (deterministic); without it, the data
    # runs up to the present moment, so that what is "open now" really is.
    local_now = dt.datetime.now(zone_named(None))
    as_of = args.as_of or local_now.date()
    now_time = (
        seed.NOW_LOCAL_TIME if args.as_of else local_now.time().replace(second=0, microsecond=0)
    )
    if args.if_empty and not seed.is_empty(session_factory=make_session_factory(engine)):
        print("数据库已有数据,跳过演示数据生成 / database already has data, seed skipped")
        return 0
    started = time.perf_counter()
    if args.scale == "large":
        from seed.large import populate_large

        counts = populate_large(
            make_session_factory(engine),
            communities=args.communities,
            months=args.months,
            seed=args.seed,
            as_of=as_of,
            now_time=now_time,
            media_dir=Path(args.media_dir) if args.media_dir else seed.default_media_dir(),
            progress=lambda message: print(f"  {message}", flush=True),
        )
        elapsed = time.perf_counter() - started
        total = sum(counts.values())
        for table, count in sorted(counts.items()):
            print(f"  {table:<24} {count:>11,}")
        print(f"seeded {total:,} rows in {elapsed:.1f} s ({total / elapsed:,.0f} rows/s)")
        return 0
    counts = seed.populate(
        session_factory=make_session_factory(engine),
        scale=args.scale,
        seed=args.seed,
        as_of=as_of,
        now_time=now_time,
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
    from data_access.plans.plans import generate_patrol_shifts, generate_plan_tasks

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


def cmd_tickets_auto_close(args: argparse.Namespace) -> int:
    from data_access.db import write_session
    from data_access.tickets.ticket_commands import auto_close_due_tickets

    factory = make_session_factory(_ready_engine(args))
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    with write_session(factory) as session:
        closed = auto_close_due_tickets(session=session, now=now)
    print(f"自动关闭整改单 / tickets auto-closed: {closed}")
    return 0


def cmd_alerts_run(args: argparse.Namespace) -> int:
    """Bring the early warnings in step with the data (the worker also does this every 5 min)."""
    from data_access.alerts.rules import run_alerts
    from data_access.communities import community_id_by_code
    from data_access.db import write_session
    from data_access.models import Community

    factory = make_session_factory(_ready_engine(args))
    with write_session(factory) as session:
        community_id = None
        time_zone = DEFAULT_TIME_ZONE
        if args.community:
            community_id = community_id_by_code(session=session, code=args.community)
            time_zone = session.get_one(Community, community_id).time_zone
        now = _as_of_utc(args.as_of, time_zone)
        report = run_alerts(session=session, now=now, community_id=community_id)
    scope = args.community.upper() if args.community else "全部小区 / all communities"
    print(
        f"{scope} · as of {now:%Y-%m-%d %H:%M} UTC: 新发预警 / raised {report.raised}, "
        f"仍未解决 / still open {report.still_open}, "
        f"自动解除 / auto-resolved {report.auto_resolved}, 重新打开 / reopened {report.reopened}"
    )
    return 0


def cmd_kpis(args: argparse.Namespace) -> int:
    """The six KPIs of a community for a period, as a table or (``--json``) as JSON."""
    from data_access.analytics.kpis import compute_kpis
    from data_access.communities import community_id_by_code
    from data_access.models import Community
    from data_access.orders.handling import handling_figures
    from data_access.periods import PeriodError, parse_period, range_period

    try:
        if args.period is not None and (args.start or args.end):
            raise PeriodError("use either --period or --from/--to, not both")
        if args.period is not None:
            period = parse_period(args.period)
        elif args.start and args.end:
            period = range_period(args.start, args.end)
        else:
            raise PeriodError("give --period (e.g. 2026-10) or both --from and --to")
    except PeriodError as error:
        print(f"错误 / error: {error}", file=sys.stderr)
        return EXIT_USER_ERROR
    factory = make_session_factory(_ready_engine(args))
    with factory() as session:
        community_id = community_id_by_code(session=session, code=args.community)
        time_zone = session.get_one(Community, community_id).time_zone
        as_of = _as_of_utc(args.as_of, time_zone)
        report = compute_kpis(
            session=session, community_id=community_id, period=period, as_of=as_of
        )
        handling = handling_figures(
            session=session, community_id=community_id, period=period, as_of=as_of
        )
    if args.json:
        result = {**_kpis_json(report), "handling": _handling_json(handling)}
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print(_kpis_table(report))
        print(_handling_line(handling))
    return 0


def _handling_json(figures: HandlingFigures) -> dict[str, object]:
    """Closed orders created in the period: count, median hours, shares within 24 h / 72 h."""
    return {
        "count": figures.count,
        "median_hours": _rounded(figures.median_hours),
        "within_24h_share": _rounded(figures.within_24h_share),
        "within_72h_share": _rounded(figures.within_72h_share),
    }


def _handling_line(figures: HandlingFigures) -> str:
    def share(value: float | None) -> str:
        return "—" if value is None else f"{value:.1%}"

    median = "—" if figures.median_hours is None else f"{figures.median_hours:.1f} h"
    return (
        f"处理时长 / handling: 已办结 closed {figures.count} · 中位数 median {median}"
        f" · 24 h 内 within 24 h {share(figures.within_24h_share)}"
        f" · 72 h 内 within 72 h {share(figures.within_72h_share)}"
    )


def _as_of_utc(value: dt.date | dt.datetime | None, time_zone: str) -> dt.datetime:
    """``--as-of`` as naive UTC: a date means the end of that local day, a datetime without
    offset is local time; none means now."""
    if value is None:
        return dt.datetime.now(dt.UTC).replace(tzinfo=None)
    if not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value + dt.timedelta(days=1), dt.time())
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo(time_zone))
    return value.astimezone(dt.UTC).replace(tzinfo=None)


def _rounded(value: float | int | None) -> float | int | None:
    return round(value, 4) if isinstance(value, float) else value


def _kpis_json(report: KpiReport) -> dict[str, object]:
    """Top level: community, period, as_of, then one object per KPI key (rates as 0–1)."""
    from data_access.analytics.kpis import RectificationKpi, SatisfactionKpi

    result: dict[str, object] = {
        "community": report.community_code,
        "period": report.period_label,
        "as_of": report.as_of.replace(tzinfo=dt.UTC).isoformat(),
        "running": report.running,  # then "previous" is the same days of the period before
        "compared_with": report.compared_period.label,
    }
    for key, kpi in report.kpis.items():
        entry = {
            "value": _rounded(kpi.value),
            "numerator": _rounded(kpi.numerator),
            "denominator": kpi.denominator,
            "target": _rounded(kpi.target),
            "previous": _rounded(kpi.previous),
            "left_out": kpi.left_out,
            "pending": kpi.pending,
        }
        if isinstance(kpi, SatisfactionKpi):
            entry["good_share"] = _rounded(kpi.good_share)
        if isinstance(kpi, RectificationKpi):
            entry["on_time_share"] = _rounded(kpi.on_time_share)
        result[key] = entry
    return result


def _kpis_table(report: KpiReport) -> str:
    from i18n import translate

    def shown(kpi: Kpi, value: float | None) -> str:
        if value is None:
            return "—"
        return f"{value:.2f}" if kpi.is_score else f"{value:.1%}"

    def share(value: float | None) -> str:
        return "—" if value is None else f"{value:.1%}"

    header = ("指标 KPI", "数值 value", "分子/分母 n/d", "目标 target", "上期 previous", "")
    rows = [header]
    for key, kpi in report.kpis.items():
        numerator = f"{kpi.numerator:.2f}" if isinstance(kpi.numerator, float) else kpi.numerator
        change = kpi.change
        arrow = "" if change is None else "▲" if change > 0 else "▼" if change < 0 else "="
        label = f"{translate(f'kpi.{key}', 'zh')} {translate(f'kpi.{key}', 'en')}"
        rows.append(
            (
                label,
                shown(kpi, kpi.value),
                f"{numerator}/{kpi.denominator}",
                shown(kpi, kpi.target),
                shown(kpi, kpi.previous),
                arrow,
            )
        )
    widths = [max(_width(row[i]) for row in rows) for i in range(len(header))]
    lines = [
        f"{report.community_code} {report.community_name} · {report.period_label}"
        f" · as of {report.as_of:%Y-%m-%d %H:%M} UTC"
    ]
    for row in rows:
        cells = [
            _pad(cell, width, left=i == 0)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
    lines.append(
        f"满意度 ≥4 分占比 / rated 4+: {share(report.satisfaction.good_share)}"
        f" · 按期整改 / fixed on time: {share(report.rectification.on_time_share)}"
        "  (— = 暂无数据 / no data)"
    )
    return "\n".join(lines)


def _width(text: str) -> int:
    """Terminal columns: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, *, left: bool) -> str:
    space = " " * (width - _width(text))
    return text + space if left else space + text


def cmd_keywords(args: argparse.Namespace) -> int:
    """The most distinctive words owners wrote in a community between two days — the ranking
    of the Analytics page (data_access.analytics.keywords.top_keywords)."""
    from data_access.accounts.auth import Viewer, load_viewer
    from data_access.analytics.keywords import top_keywords
    from data_access.communities import community_id_by_code
    from data_access.models import Community
    from data_access.periods import PeriodError, range_period

    try:
        period = range_period(args.start, args.end)
    except PeriodError as error:
        print(f"错误 / error: {error}", file=sys.stderr)
        return EXIT_USER_ERROR
    factory = make_session_factory(_ready_engine(args))
    with factory() as session:
        community_id = community_id_by_code(session=session, code=args.community)
        community = session.get_one(Community, community_id)
        if args.as_user:  # what that person sees on the page (their texts, names left out)
            viewer = load_viewer(session=session, username=args.as_user)
            if viewer is None or viewer.community_id != community_id:
                print(f"错误 / error: no active account {args.as_user!r} in {args.community}",
                      file=sys.stderr)  # fmt: skip
                return EXIT_USER_ERROR
        else:  # the operator reads like the company's managers: every text of the community
            viewer = Viewer(0, "manage.py", "manage.py", "manager", community_id,
                            time_zone=community.time_zone)  # fmt: skip
        words = top_keywords(session=session, viewer=viewer, period=period, limit=args.limit)
    if args.json:
        rows = [{"word": w.word, "documents": w.documents, "score": w.score} for w in words]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        print(f"{community.code} · {period.label} · 关键词 / keywords (texts, score)")
        for rank, word in enumerate(words, start=1):
            print(f"{rank:>3}. {word.word}  {word.documents}  {word.score:.3f}")
    return 0


def cmd_simulate(args: argparse.Namespace) -> int:
    """Advance open work orders live, standing in for the operational system (demo)."""
    import random
    import signal

    import seed
    from data_access.communities import community_id_by_code
    from simulator import run_simulation

    factory = make_session_factory(_ready_engine(args))
    with factory() as session:  # an unknown code fails here, before the banner
        for code in args.community or ():
            community_id_by_code(session=session, code=code)
    rng_seed = args.seed if args.seed is not None else random.SystemRandom().randrange(10_000)

    def stop(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt  # `make demo-live` stops us with SIGTERM: end like Ctrl-C

    signal.signal(signal.SIGTERM, stop)
    scope = ", ".join(code.upper() for code in args.community) if args.community else "全部 / all"
    print(
        f"工单模拟器 / simulator: {scope} · 每 {args.pace:g} 秒 / every {args.pace:g} s"
        f" · seed {rng_seed} · Ctrl-C 停止 / to stop",
        flush=True,
    )
    result = run_simulation(
        session_factory=factory,
        pace_seconds=args.pace,
        steps=args.steps,
        communities=args.community,
        media_dir=Path(args.media_dir) if args.media_dir else seed.default_media_dir(),
        rng_seed=rng_seed,
        orders_per_tick=args.orders_per_tick,
        new_order_chance=args.new_order_chance,
    )
    print(
        f"已停止 / stopped: {result.ticks} 轮 / ticks, {len(result.changes)} 项变化 / changes",
        flush=True,
    )
    return 0


def cmd_import_orders(args: argparse.Namespace) -> int:
    """Import (or with ``--dry-run`` only check) another system's work-order export."""
    from data_access.communities import community_id_by_code
    from data_access.db import write_session
    from data_access.imports.order_import import import_orders, load_mapping

    path = Path(args.file)
    if not path.is_file():
        print(f"错误 / error: no such file: {path}", file=sys.stderr)
        return EXIT_USER_ERROR
    mapping = load_mapping(args.mapping)
    factory = make_session_factory(_ready_engine(args))
    # A dry run only reads: a plain session, rolled back on close, takes no write lock.
    with factory() if args.dry_run else write_session(factory) as session:
        community_id = community_id_by_code(session=session, code=args.community)
        report = import_orders(
            session=session,
            community_id=community_id,
            data=path.read_bytes(),
            mapping=mapping,
            file_name=path.name,
            dry_run=args.dry_run,
        )
    print(report.to_text(_cli_language()))
    return 0


# --- worker: every background job, on its own schedule, one runner across machines ----------
def cmd_worker(args: argparse.Namespace) -> int:
    """Run the background jobs until stopped (SIGTERM / Ctrl-C); ``docs/operations.md``."""
    import logging
    import signal
    import threading

    from data_access.sync.sources import configured_sources
    from worker.jobs import standard_jobs
    from worker.runner import Worker

    logging.basicConfig(level=logging.INFO, format="%(asctime)s worker %(levelname)s %(message)s")
    every = {}
    for value in args.every or []:
        name, _, seconds = value.partition("=")
        try:
            every[name.strip()] = dt.timedelta(seconds=float(seconds))
        except ValueError:
            raise DomainError("worker.bad_every", value=value) from None
        if every[name.strip()].total_seconds() < 1:
            raise DomainError("worker.bad_every", value=value)
    sources = configured_sources(Path(args.sources)) if args.sources else configured_sources()
    jobs = standard_jobs(sources, every)
    unknown = set(every) - {job.name for job in jobs}
    if unknown:
        raise DomainError("worker.bad_every", value=", ".join(sorted(unknown)))
    worker = Worker(
        make_session_factory(_ready_engine(args)),
        jobs,
        lease_ttl=dt.timedelta(seconds=args.lease_seconds),
    )
    if args.once:
        ran = worker.tick()
        worker.release()
        print("ran: " + (", ".join(ran) or "nothing (not due, or another worker holds the lease)"))
        return 0
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    print(f"worker {worker.holder}: " + ", ".join(f"{j.name} every {j.every}" for j in jobs),
          flush=True)  # fmt: skip
    worker.run_forever(stop, tick_seconds=args.tick)
    return 0


# --- contracts record: the terms a company writes down -----------------------------------------
def cmd_contracts_record(args: argparse.Namespace) -> int:
    """Record the real terms of a community's contract in force today."""
    from data_access.contracts import parse_fee, parse_targets, record_contract_terms

    fee = parse_fee(args.fee) if args.fee is not None else None
    targets = parse_targets(args.target or [])
    from data_access.db import write_session

    factory = make_session_factory(_ready_engine(args))
    with write_session(factory) as session:
        changes = record_contract_terms(
            session=session,
            community_code=args.community,
            now=dt.datetime.now(dt.UTC).replace(tzinfo=None),
            fee=fee,
            level=args.level,
            start=args.start,
            end=args.end,
            targets=targets,
        )
    if not changes:
        print("没有变化 / nothing changed")
    for change in changes:
        print(f"{change.name}: {change.before} → {change.after}")
    return 0


# --- sync hc: read a company's HC (MicroCommunity) database --------------------------------------
def cmd_sync(args: argparse.Namespace) -> int:
    """Read the operational system into this database (``docs/connectors.md``)."""
    from connectors.hc.sync import parse_communities, sync_hc
    from data_access.contracts import parse_targets

    targets = parse_targets(args.target or [])
    factory = make_session_factory(_ready_engine(args))
    outcome = sync_hc(
        factory=factory,
        url=args.source,
        communities=parse_communities(args.community or []),
        full=args.full,
        dry_run=args.dry_run,
        source_zone=args.source_time_zone,
        photo_base=args.photo_base or "",
        photo_hosts=[h for v in args.photo_host or [] for h in v.split(",")],
        targets=targets,
        history_opens_tickets=args.history_opens_tickets,
    )
    report = outcome.as_dict()
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0
    print(f"HC {report['source']} · {'全量对账 full' if report['full'] else '增量 incremental'}"
          f"{' · 试运行 dry run (nothing written)' if report['dry_run'] else ''}")  # fmt: skip
    for community in report["communities"]:
        first = " (首次同步 first sync)" if community["first_sync"] else ""
        print(f"\n[{community['code']}]{first}")
        print(f"  {'kind':<10}{'read':>7}{'created':>9}{'updated':>9}{'same':>7}{'gone':>6}")
        for kind, c in community["kinds"].items():
            print(f"  {kind:<10}{c['read']:>7}{c['created']:>9}{c['updated']:>9}"
                  f"{c['unchanged']:>7}{c['withdrawn']:>6}")  # fmt: skip
            for reason, rows in c["skipped"].items():
                print(f"      skipped {rows}: {reason}")
    if report["unmapped"]:
        print("\n未能对应的取值 unmapped values (table.column = code: rows)")
        for item in report["unmapped"]:
            print(f"  {item['table']}.{item['column']} = {item['code']!r}: {item['rows']}")
    if report["skipped"]:
        print("\n跳过的行 skipped rows")
        for item in report["skipped"]:
            print(f"  {item['table']}: {item['reason']}: {item['rows']}")
    if report["photos"]:
        photos = report["photos"]
        print(f"\n照片 photos: stored {photos['stored']}, refused {photos['refused']},"
              f" unreachable (kept to retry) {photos['unreachable']}")  # fmt: skip
    return 0


# --- photos purge-private (issue 7: retention of photos taken in homes) -----------------------
def cmd_photos_purge_private(args: argparse.Namespace) -> int:
    from data_access.db import write_session
    from data_access.media.photos import current_media_dir
    from data_access.media.retention import purge_private_photos
    from data_access.settings import private_photo_retention_days

    days = args.days if args.days is not None else private_photo_retention_days()
    factory = make_session_factory(_ready_engine(args))
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    with write_session(factory) as session:
        report = purge_private_photos(
            session=session, now=now, days=days, media_dir=current_media_dir(),
            dry_run=args.dry_run,
        )  # fmt: skip
    if days == 0:
        print("保留期为 0:永久保留,未删除任何照片 / retention 0: photos are kept forever")
        return 0
    verb = "将删除 / would remove" if args.dry_run else "已删除 / removed"
    print(
        f"户内工单照片(完成超过 {days} 天)/ in-home order photos (completed > {days} days): "
        f"{verb} {report.attachments} 个附件 attachments of {report.orders} 张工单 orders, "
        f"{report.photos} 张照片 photos, {report.files} 个文件 files"
    )
    return 0


def _cli_language() -> str:
    return "en" if os.environ.get("LANG", "").startswith("en") else "zh"


def cmd_demo_accounts(args: argparse.Namespace) -> int:
    from seed.demo_accounts import DEMO_ACCOUNTS

    print("演示账号(仅限演示模式)/ demo accounts (demo mode only):")
    for account in DEMO_ACCOUNTS:
        print(f"  {account.username:<12} {account.password:<12} {account.description}")
    return 0


# --- serve --------------------------------------------------------------------------------------
def cmd_serve(args: argparse.Namespace) -> int:
    """Start Streamlit on app.py with uvicorn told whose X-Forwarded-For to believe: the
    trusted proxies of the settings, nobody by default (uvicorn alone would believe any
    process on this machine). The server replaces this process."""
    from data_access.settings import forwarded_allow_ips, load_settings

    settings = load_settings()
    env = {**os.environ, "FORWARDED_ALLOW_IPS": forwarded_allow_ips(settings.trusted_proxies)}
    extra = [a for a in args.streamlit_args if a != "--"]
    command = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), *extra]
    sys.stdout.flush()
    os.execvpe(sys.executable, command, env)
    return 0  # not reached: exec replaced the process


def cmd_serve_cluster(args: argparse.Namespace) -> int:
    """HAProxy in front of ``--workers`` app processes and the background worker, on this
    machine (``deploy/cluster.py``). The schema is brought up to date once, before any app
    process starts (N processes migrating at once would race)."""
    from data_access.settings import load_settings
    from deploy.cluster import running_cluster, serve_forever

    load_settings()  # a missing or weak cookie key stops here, not in N processes
    env = dict(os.environ)
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    migrate(_engine(args))
    logs = Path(args.logs)
    with running_cluster(app_count=args.workers, address=args.address, port=args.port, env=env,
                         logs=logs, with_worker=not args.no_worker,
                         tls_pem=Path(args.tls_pem) if args.tls_pem else None) as cluster:  # fmt: skip
        print(f"  业主透明看板 ({args.workers} 个进程 / processes) is serving at  {cluster.url}")
        print(f"  HAProxy, app and worker logs: {logs}/")
        sys.stdout.flush()
        return serve_forever(cluster)


# --- users (login security, issue 7) ------------------------------------------------------------
def cmd_users(args: argparse.Namespace) -> int:
    """Create users, reset passwords, change roles, disable accounts. Passwords are read with
    getpass (or one line from stdin with --password-stdin), never from the command line, where
    they would land in the shell history. Every change but create ends the account's sessions."""
    from data_access.accounts import login_security
    from data_access.db import write_session

    factory = make_session_factory(_ready_engine(args))
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    action = args.users_command
    if action in ("create", "reset-password", "activate"):
        password = _read_new_password(args.password_stdin)
    with write_session(factory) as session:
        if action == "create":
            login_security.create_user(
                session=session, username=args.username, display_name=args.name or "",
                password=password, role=args.role, community_code=args.community, now=now,
            )  # fmt: skip
            done = "已创建 / created"
        elif action == "reset-password":
            login_security.reset_password(
                session=session, username=args.username, password=password
            )
            done = "已重置密码,已退出其全部登录 / password reset, all sessions ended"
        elif action == "activate":
            login_security.activate_user(session=session, username=args.username, password=password)
            done = "已启用并设置密码 / activated with the new password"
        elif action == "unlock":
            forgotten = login_security.unlock_account(session=session, username=args.username)
            done = f"已解除登录限制(清除 {forgotten} 次失败记录)/ unlocked ({forgotten} failures forgotten)"
        elif action == "set-role":
            login_security.set_role(session=session, username=args.username, role=args.role)
            done = f"角色已改为 / role set to {args.role}, all sessions ended"
        else:
            login_security.disable_user(session=session, username=args.username)
            done = "已停用,已退出其全部登录 / disabled, all sessions ended"
    print(f"{args.username.strip().lower()}: {done}")
    return 0


def _read_new_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    import getpass

    first = getpass.getpass("新密码 / new password: ")
    if getpass.getpass("再输入一次 / again: ") != first:
        raise DomainError("users.password_mismatch")
    return first


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


def _moment(value: str) -> dt.date | dt.datetime:
    """An ISO date or datetime (``2026-11-20``, ``2026-11-20T20:00``, ``…+08:00``)."""
    try:
        if len(value.strip()) == 10:
            return dt.date.fromisoformat(value.strip())
        return dt.datetime.fromisoformat(value.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO date or datetime: {value!r}") from None


def _non_negative(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        number = -1.0
    if not 0 <= number < float("inf"):  # also refuses nan
        raise argparse.ArgumentTypeError(f"not a number ≥ 0: {value!r}")
    return number


def _non_negative_int(value: str) -> int:
    if not value.strip().isdigit():
        raise argparse.ArgumentTypeError(f"not a whole number ≥ 0: {value!r}")
    return int(value)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="manage.py", description="业主透明看板 operations")
    parser.add_argument("--database-url", help="overrides DATABASE_URL and secrets.toml")
    sub = parser.add_subparsers(dest="command", required=True)

    sub.add_parser("migrate", help="bring the database to the newest schema (keeps data)")
    sub.add_parser("check", help="show the database and whether its schema is current")

    seed_parser = sub.add_parser("seed", help="generate deterministic demo data")
    seed_parser.add_argument("--scale", default="demo", choices=["demo", "large"])
    seed_parser.add_argument("--communities", type=int, default=100, help="large scale only")
    seed_parser.add_argument("--months", type=int, default=36, help="large scale only")
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

    tickets_parser = sub.add_parser("tickets", help="rectification tickets")
    tickets_sub = tickets_parser.add_subparsers(dest="tickets_command", required=True)
    tickets_sub.add_parser(
        "auto-close",
        help="close tickets the owner left unconfirmed past the contract's days (the worker also "
        "does this every few minutes)",
    )

    alerts_parser = sub.add_parser("alerts", help="early warnings (预警): raise and resolve alerts")
    alerts_sub = alerts_parser.add_subparsers(dest="alerts_command", required=True)
    alerts_run = alerts_sub.add_parser(
        "run",
        help="raise alerts for new causes and resolve those whose cause ended (the worker also "
        "does this every few minutes)",
    )
    alerts_run.add_argument("--community", help="community code, e.g. CUIHU (default: all)")
    alerts_run.add_argument(
        "--as-of",
        type=_moment,
        help="'now': a date (= end of that local day) or an ISO datetime (local time unless "
        "it has an offset); default: now",
    )

    kpis_parser = sub.add_parser(
        "kpis", help="the six KPIs of a community for a period (docs/domain.md)"
    )
    kpis_parser.add_argument("--community", required=True, help="community code, e.g. CUIHU")
    kpis_parser.add_argument("--period", help="2026-10-05, 2026-W41, 2026-10 or 2026")
    kpis_parser.add_argument(
        "--from", dest="start", type=_date, help="first local day of a range (with --to)"
    )
    kpis_parser.add_argument("--to", dest="end", type=_date, help="last local day, inclusive")
    kpis_parser.add_argument(
        "--as-of",
        type=_moment,
        help="'now' for deadlines: a date (= end of that local day) or an ISO datetime "
        "(local time unless it has an offset); default: now",
    )
    kpis_parser.add_argument("--json", action="store_true", help="print JSON (rates as 0–1)")

    keywords_parser = sub.add_parser(
        "keywords", help="what owners write about most distinctively (the Analytics page's list)"
    )
    keywords_parser.add_argument("--community", required=True, help="community code, e.g. CUIHU")
    keywords_parser.add_argument("--from", dest="start", type=_date, required=True,
                                 help="first local day")  # fmt: skip
    keywords_parser.add_argument("--to", dest="end", type=_date, required=True,
                                 help="last local day, inclusive")  # fmt: skip
    keywords_parser.add_argument("--limit", type=int, default=20, help="how many words (20)")
    keywords_parser.add_argument(
        "--as", dest="as_user", help="as this account sees them (default: the managers' view)"
    )
    keywords_parser.add_argument(
        "--json", action="store_true", help="print JSON: [{word, documents, score}]"
    )

    simulate_parser = sub.add_parser(
        "simulate", help="advance open work orders live, like the operational system (demo)"
    )
    simulate_parser.add_argument(
        "--pace", type=_non_negative, default=5.0, help="seconds between ticks (default 5)"
    )
    simulate_parser.add_argument(
        "--steps", type=_non_negative_int, help="stop after N ticks (default: until Ctrl-C)"
    )
    simulate_parser.add_argument(
        "--community", action="append", help="community code (repeatable; default: all)"
    )
    simulate_parser.add_argument(
        "--orders-per-tick", type=_non_negative_int, default=3, help="open orders moved per tick"
    )
    simulate_parser.add_argument(
        "--new-order-chance",
        type=_non_negative,
        default=0.3,
        help="chance per tick that a new public order is reported (0–1, default 0.3)",
    )
    simulate_parser.add_argument("--seed", type=int, help="random seed (default: a new one)")
    simulate_parser.add_argument("--media-dir", help="where photos go (default: data/media)")

    import_parser = sub.add_parser(
        "import-orders", help="import work orders exported by another system (CSV or Excel)"
    )
    import_parser.add_argument("file", help="the export: .csv (UTF-8 or GBK) or .xlsx")
    import_parser.add_argument("--community", required=True, help="community code, e.g. CUIHU")
    import_parser.add_argument(
        "--mapping",
        required=True,
        help="mapping TOML (see imports/mappings/), or a shipped mapping's name (legacy_cn)",
    )
    import_parser.add_argument(
        "--dry-run", action="store_true", help="check and report only; write nothing"
    )

    sync_parser = sub.add_parser("sync", help="read a company's operational system")
    sync_sub = sync_parser.add_subparsers(dest="system", required=True)
    hc = sync_sub.add_parser("hc", help="HC小区管理系统 (java110 MicroCommunity) on MySQL")
    hc.add_argument("--source", required=True, help="mysql+pymysql://USER:PASS@HOST:PORT/DB")
    hc.add_argument(
        "--community",
        action="append",
        metavar="HC_ID=CODE",
        help="an HC community and our code for it (repeatable; default: every community)",
    )
    hc.add_argument("--dry-run", action="store_true", help="read and report; write nothing")
    hc.add_argument("--full", action="store_true", help="full reconciliation (else automatic)")
    hc.add_argument("--json", action="store_true", help="the report as JSON")
    hc.add_argument(
        "--history-opens-tickets",
        action="store_true",
        help="at the first sync, red-line ratings past their reply window open tickets too",
    )
    hc.add_argument(
        "--source-time-zone", default=DEFAULT_TIME_ZONE, help="HC's local time (DATETIME columns)"
    )
    hc.add_argument("--photo-base", help="HC's IMG_PATH: what relative photo paths are under")
    hc.add_argument(
        "--photo-host",
        action="append",
        help="a host photos may be fetched from (repeatable; no host: no photo is fetched)",
    )
    hc.add_argument(
        "--target", action="append", metavar="NAME=VALUE",
        help="a target of the contract a new community starts with, e.g. timeliness=0.9",
    )  # fmt: skip

    worker_parser = sub.add_parser(
        "worker",
        help="run every background job on its schedule (ticket auto-close, alerts, photo "
        "retention, the configured syncs); one runner at a time across processes",
    )
    worker_parser.add_argument(
        "--every", action="append", metavar="JOB=SECONDS",
        help="a job's interval (tickets, alerts, photos, sync_hc), e.g. alerts=60",
    )  # fmt: skip
    worker_parser.add_argument(
        "--lease-seconds", type=float, default=30.0,
        help="how long a silent runner keeps the lease before another takes over (default 30)",
    )  # fmt: skip
    worker_parser.add_argument("--tick", type=float, default=1.0, help="seconds between rounds")
    worker_parser.add_argument(
        "--sources", help="a TOML file with [sources.hc] (default .streamlit/secrets.toml)"
    )
    worker_parser.add_argument(
        "--once", action="store_true", help="one round (the due jobs) and exit"
    )

    contracts_parser = sub.add_parser("contracts", help="a community's contract terms")
    contracts_sub = contracts_parser.add_subparsers(dest="contracts_command", required=True)
    record = contracts_sub.add_parser(
        "record",
        help="record the terms of the contract in force today (fee, service level, period, "
        "targets), e.g. for a community read from an operational system",
    )
    record.add_argument("community", help="our community code, e.g. CUIHU")
    record.add_argument("--fee", help="物业费, CNY per m² per month, e.g. 3.20")
    record.add_argument("--level", help="服务等级, e.g. 一级")
    record.add_argument("--start", type=dt.date.fromisoformat, help="first day, YYYY-MM-DD")
    record.add_argument("--end", type=dt.date.fromisoformat, help="last day, YYYY-MM-DD")
    record.add_argument(
        "--target", action="append", metavar="NAME=VALUE", help="a target, e.g. timeliness=0.9"
    )

    photos_parser = sub.add_parser("photos", help="stored photos")
    photos_sub = photos_parser.add_subparsers(dest="photos_command", required=True)
    purge = photos_sub.add_parser(
        "purge-private",
        help="remove photos of in-home orders completed longer ago than the retention period "
        "(PRIVATE_PHOTO_RETENTION_DAYS; the worker also does this daily)",
    )
    purge.add_argument(
        "--days", type=_non_negative_int, default=None,
        help="retention in days (default: the setting; 0 keeps everything)",
    )  # fmt: skip
    purge.add_argument("--dry-run", action="store_true", help="report only; write nothing")

    # --- users (login security, issue 7)
    users_parser = sub.add_parser(
        "users", help="accounts: create, reset password, role, disable, unlock"
    )
    users_sub = users_parser.add_subparsers(dest="users_command", required=True)
    stdin_help = "read the password as one line from stdin instead of prompting (scripts)"
    users_create = users_sub.add_parser("create", help="a new login (password prompted)")
    users_create.add_argument("username")
    users_create.add_argument("--role", required=True, help="owner, committee or manager")
    users_create.add_argument("--community", required=True, help="community code, e.g. CUIHU")
    users_create.add_argument("--name", help="display name (default: the username)")
    users_create.add_argument("--password-stdin", action="store_true", help=stdin_help)
    users_reset = users_sub.add_parser(
        "reset-password", help="set a new password and end every session of the account"
    )
    users_reset.add_argument("username")
    users_reset.add_argument("--password-stdin", action="store_true", help=stdin_help)
    users_activate = users_sub.add_parser(
        "activate", help="let an account (e.g. an owner read from HC) log in: set its password"
    )
    users_activate.add_argument("username")
    users_activate.add_argument("--password-stdin", action="store_true", help=stdin_help)
    users_role = users_sub.add_parser("set-role", help="change the role (ends its sessions)")
    users_role.add_argument("username")
    users_role.add_argument("role", help="owner, committee or manager")
    users_disable = users_sub.add_parser(
        "disable", help="the account can no longer log in; its sessions end now"
    )
    users_disable.add_argument("username")
    users_unlock = users_sub.add_parser(
        "unlock", help="forget the account's failed logins: its blocks and delays end now"
    )
    users_unlock.add_argument("username")

    serve_parser = sub.add_parser(
        "serve",
        help="start the web app (streamlit run app.py) with the proxy settings applied; "
        "arguments after -- go to streamlit, e.g. -- --server.port 8501",
    )
    serve_parser.add_argument("streamlit_args", nargs=argparse.REMAINDER)

    cluster_parser = sub.add_parser(
        "serve-cluster",
        help="HAProxy in front of N app processes and the worker on this machine (make serve)",
    )
    cluster_parser.add_argument("--workers", type=int, default=2, help="app processes (2)")
    cluster_parser.add_argument("--address", default="127.0.0.1", help="HAProxy's address")
    cluster_parser.add_argument("--port", type=int, default=8080, help="HAProxy's port (8080)")
    cluster_parser.add_argument("--logs", default=str(ROOT / "data" / "cluster"))
    cluster_parser.add_argument("--tls-pem", help="certificate and key in one PEM: HTTPS + HSTS")
    cluster_parser.add_argument("--no-worker", action="store_true", help="run the worker elsewhere")

    sub.add_parser("demo-accounts", help="list the demo logins")
    return parser


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "migrate": cmd_migrate,
    "check": cmd_check,
    "seed": cmd_seed,
    "plans": cmd_plans_generate,
    "kpis": cmd_kpis,
    "keywords": cmd_keywords,
    "tickets": cmd_tickets_auto_close,
    "alerts": cmd_alerts_run,
    "import-orders": cmd_import_orders,
    "simulate": cmd_simulate,
    "demo-accounts": cmd_demo_accounts,
    "users": cmd_users,
    "serve": cmd_serve,
    "serve-cluster": cmd_serve_cluster,
    "photos": cmd_photos_purge_private,
    "sync": cmd_sync,
    "contracts": cmd_contracts_record,
    "worker": cmd_worker,
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
