"""Sync at scale: an HC database with ``--repairs`` repairs (100,000 by default) synced into an
empty database of ours, on SQLite and on PostgreSQL.

Three runs, each timed on the wall clock with the peak memory of the process that runs it:

1. **initial** — the first sync (a full read) of every repair with its steps, ratings and
   parts, the community's buildings, rooms and owners;
2. **incremental** — after 100 repairs changed in HC (a close, a step and a rating each, written
   "now"), the 5-minute run that reads what is new (before it, ``settle`` does what those five
   minutes would: a PostgreSQL checkpoint, a SQLite WAL checkpoint);
3. **nightly** — the full reconciliation of everything again, nothing changed since.

Every engine runs in a fresh Python process (``--child``), so peak memory is its own: the
resident-set high-water mark after each run minus the resident set before the first (Linux
resets the mark through ``/proc/self/clear_refs`` between runs). The HC data is generated in
MariaDB with its sequence engine: 100,000 repairs over a year, all closed (submitted,
dispatched, closed) but the newest 300, 30 % rated, 10 % with a part; 2,000 rooms with an
owner each.

Run ``python -m bench.sync_scale`` (``--repairs N`` for a smaller try, ``--engine sqlite``
for one engine); it prints a Markdown table, and ``--write`` puts it in bench/SYNC.md.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "SYNC.md"
COMMUNITY = "2026110100000001"
CODE = "SCALE"
# The last repair is created at BASE + n × 5 minutes; the runs happen a little later.
BASE = dt.datetime(2025, 11, 1)
ROOMS = 2_000
CHANGED = 100
OPEN = 300  # the newest repairs are still open, as in a working community
TARGETS = {"initial": 300.0, "incremental": 5.0, "nightly": 300.0}  # seconds (issue 18)


def build_hc(server: Any, repairs: int) -> tuple[str, str]:
    """An HC database with ``repairs`` repairs (see module doc); returns (database, URL)."""
    from tests.connectors.hc.fixture import SCHEMA, _statements

    database = f"hc_scale_{repairs}"
    with server.connect() as connection, connection.cursor() as cursor:
        cursor.execute("SET GLOBAL time_zone = '+08:00'")
        cursor.execute(f"DROP DATABASE IF EXISTS {database}")
        cursor.execute(f"CREATE DATABASE {database} CHARACTER SET utf8mb4")
        cursor.execute(f"USE {database}")
        cursor.execute("SET time_zone = '+08:00'")
        for statement in _statements(SCHEMA.read_text(encoding="utf-8")):
            cursor.execute(statement)
        for statement in _generated(repairs):
            cursor.execute(statement)
        cursor.execute("CREATE USER IF NOT EXISTS 'scale_ro'@'127.0.0.1' IDENTIFIED BY 'ro'")
        cursor.execute(f"GRANT SELECT ON {database}.* TO 'scale_ro'@'127.0.0.1'")
    return database, f"mysql+pymysql://scale_ro:ro@127.0.0.1:{server.port}/{database}"


def _generated(repairs: int) -> list[str]:
    c, base = COMMUNITY, f"'{BASE:%Y-%m-%d %H:%M:%S}'"
    at = f"{base} + INTERVAL seq * 5 MINUTE"
    closed = f"seq <= {repairs - OPEN}"
    return [
        f"INSERT INTO s_community (community_id, name, address) VALUES ('{c}', '规模小区', '某路1号')",
        "INSERT INTO f_floor (floor_id, floor_num, name, community_id)"
        f" SELECT CONCAT('F', seq), seq, CONCAT(seq, '号楼'), '{c}' FROM seq_1_to_20",
        "INSERT INTO building_unit (unit_id, unit_num, floor_id)"
        " SELECT CONCAT('U', seq), '1', CONCAT('F', seq) FROM seq_1_to_20",
        "INSERT INTO building_room (room_id, room_num, unit_id, built_up_area)"
        f" SELECT CONCAT('R', seq), 100 + seq DIV 20, CONCAT('U', 1 + seq % 20), 90"
        f" FROM seq_1_to_{ROOMS}",
        "INSERT INTO building_owner (member_id, owner_id, name, link, owner_type_cd, id_card)"
        f" SELECT CONCAT('O', seq), CONCAT('O', seq), CONCAT('业主', seq),"
        f" CONCAT('138', LPAD(seq, 8, '0')), '1001', '' FROM seq_1_to_{ROOMS}",
        "INSERT INTO building_owner_room_rel (rel_id, owner_id, room_id)"
        f" SELECT CONCAT('L', seq), CONCAT('O', seq), CONCAT('R', seq) FROM seq_1_to_{ROOMS}",
        "INSERT INTO r_repair_setting (setting_id, repair_type, repair_type_name, community_id,"
        f" public_area) VALUES ('S1', 'S1', '水电维修', '{c}', 'F'), ('S2', 'S2', '公共设施维修',"
        f" '{c}', 'T')",
        "INSERT INTO r_repair_pool (repair_id, community_id, repair_type, repair_name, tel,"
        " context, create_time, state, repair_obj_type, repair_obj_id, repair_obj_name, timeout,"
        " finish_time)"
        f" SELECT CONCAT('P', seq), '{c}', IF(seq % 3 = 0, 'S2', 'S1'),"
        f" CONCAT('业主', 1 + seq % {ROOMS}), CONCAT('138', LPAD(1 + seq % {ROOMS}, 8, '0')),"
        f" CONCAT('报修内容', seq), {at}, IF({closed}, '1900', '1100'), '004',"
        f" CONCAT('R', 1 + seq % {ROOMS}), '1-1-101', {at} + INTERVAL 1 DAY,"
        f" IF({closed}, {at} + INTERVAL 6 HOUR, NULL) FROM seq_1_to_{repairs}",
        "INSERT INTO r_repair_user (ru_id, repair_id, community_id, state, context, staff_id,"
        " staff_name, start_time, end_time, create_time)"
        f" SELECT CONCAT('A', seq), CONCAT('P', seq), '{c}', '10005', '订单提交', 'o', '业主',"
        f" {at}, {at}, {at} FROM seq_1_to_{repairs}",
        "INSERT INTO r_repair_user (ru_id, repair_id, community_id, state, context, staff_id,"
        " staff_name, start_time, end_time, create_time)"
        f" SELECT CONCAT('B', seq), CONCAT('P', seq), '{c}', '10006', '派单', 's1', '客服',"
        f" {at} + INTERVAL 10 MINUTE, {at} + INTERVAL 10 MINUTE, {at} + INTERVAL 10 MINUTE"
        f" FROM seq_1_to_{repairs}",
        "INSERT INTO r_repair_user (ru_id, repair_id, community_id, state, context, staff_id,"
        " staff_name, start_time, end_time, create_time)"
        f" SELECT CONCAT('C', seq), CONCAT('P', seq), '{c}', IF({closed}, '10002', '10001'),"
        f" IF({closed}, '已修复', NULL), 's2', '王师傅', {at} + INTERVAL 11 MINUTE,"
        f" IF({closed}, {at} + INTERVAL 6 HOUR, NULL), {at} + INTERVAL 11 MINUTE"
        f" FROM seq_1_to_{repairs}",
        "INSERT INTO appraise (appraise_id, appraise_score, context, appraise_user_id,"
        " appraise_user_name, obj_id, door_speed_score, repairman_service_score, create_time)"
        f" SELECT CONCAT('E', seq), 4 + seq % 2, '满意', CONCAT('O', 1 + seq % {ROOMS}), '业主',"
        f" CONCAT('P', seq), 5, 4, {at} + INTERVAL 1 DAY FROM seq_1_to_{repairs}"
        f" WHERE seq % 10 IN (1, 4, 7)",
        "INSERT INTO resource_store_use_record (rsur_id, repair_id, res_id, quantity,"
        " resource_store_name, state, create_time)"
        f" SELECT CONCAT('M', seq), CONCAT('P', seq), 'r', '1', '阀芯', '2002',"
        f" {at} + INTERVAL 2 HOUR FROM seq_1_to_{repairs} WHERE seq % 10 = 2",
    ]


def change_repairs(server: Any, database: str, now: dt.datetime, count: int = CHANGED) -> None:
    """``count`` open repairs are closed now, with a close step and a rating (as HC writes)."""
    local = (now + dt.timedelta(hours=8)).strftime("%Y-%m-%d %H:%M:%S")
    with server.connect(database=database) as connection, connection.cursor() as cursor:
        cursor.execute("SET time_zone = '+08:00'")
        cursor.execute(
            "SELECT repair_id FROM r_repair_pool WHERE state = '1100' ORDER BY repair_id"
            f" LIMIT {count}"
        )
        ids = [row[0] for row in cursor.fetchall()]
        for n, repair_id in enumerate(ids):
            cursor.execute(
                "UPDATE r_repair_pool SET state = '1900', finish_time = %s WHERE repair_id = %s",
                (local, repair_id),
            )
            cursor.execute(
                "UPDATE r_repair_user SET state = '10002', context = '今天修好', end_time = %s"
                " WHERE repair_id = %s AND state = '10001'",
                (local, repair_id),
            )
            cursor.execute(
                "INSERT INTO r_repair_user (ru_id, repair_id, community_id, state, context,"
                " staff_id, staff_name, start_time, end_time, create_time) VALUES"
                " (%s, %s, %s, '10008', '已回访', 's1', '客服', %s, %s, %s)",
                (f"V{n}", repair_id, COMMUNITY, local, local, local),
            )
            cursor.execute(
                "INSERT INTO appraise (appraise_id, appraise_score, context, appraise_user_id,"
                " appraise_user_name, obj_id, door_speed_score, repairman_service_score,"
                " create_time) VALUES (%s, 5, '很快', 'O1', '业主', %s, 5, 5, %s)",
                (f"N{n}", repair_id, local),
            )


# --- the measured process ------------------------------------------------------------------------
def _rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def _peak_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _reset_peak() -> None:
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def child(url: str, source: str, mariadb_port: int, database: str, repairs: int) -> dict[str, Any]:
    from connectors.hc.sync import sync_hc
    from data_access.db import make_engine, make_session_factory, migrate

    engine = make_engine(url)
    migrate(engine)
    factory = make_session_factory(engine)
    last = BASE + dt.timedelta(minutes=5 * repairs)
    runs: dict[str, Any] = {}
    start_rss = _rss_kib()

    def run(name: str, now: dt.datetime, full: bool) -> None:
        _reset_peak()
        began = time.perf_counter()
        outcome = sync_hc(factory=factory, url=source, communities={COMMUNITY: CODE},
                          now=now, full=full)  # fmt: skip
        seconds = time.perf_counter() - began
        kinds = outcome.communities[0].counts
        runs[name] = {
            "seconds": round(seconds, 2),
            "peak_mib": round((_peak_kib() - start_rss) / 1024, 1),
            "orders": {
                k: getattr(kinds["order"], k) for k in ("read", "created", "updated", "unchanged")
            },
            "ratings_created": kinds["rating"].created,
        }

    run("initial", last + dt.timedelta(hours=1), full=True)
    settle(engine)
    changed_at = last + dt.timedelta(hours=2)
    from tests.support.mariadb import MariaDBServer

    server = MariaDBServer.__new__(MariaDBServer)
    server.port = mariadb_port
    change_repairs(server, database, changed_at)
    run("incremental", changed_at + dt.timedelta(minutes=5), full=False)
    run("nightly", changed_at + dt.timedelta(hours=8), full=True)
    engine.dispose()
    return runs


def settle(engine: Any) -> None:
    """What the five minutes between two runs would do on their own: PostgreSQL writes out the
    initial load at its next checkpoint (``checkpoint_timeout`` is 5 minutes), SQLite folds
    its write-ahead log back. Without it the incremental run pays for the initial's I/O."""
    from sqlalchemy import text

    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text("CHECKPOINT"))
        else:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.commit()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repairs", type=int, default=100_000)
    parser.add_argument("--engine", choices=["sqlite", "postgresql"], action="append")
    parser.add_argument("--write", action="store_true", help="write bench/SYNC.md")
    parser.add_argument("--child", nargs=5, metavar=("URL", "SOURCE", "PORT", "DB", "N"))
    args = parser.parse_args(argv)
    if args.child:
        url, source, port, database, n = args.child
        print(json.dumps(child(url, source, int(port), database, int(n))))
        return 0

    from tests.support.mariadb import MariaDBServer
    from tests.support.postgres import PostgresServer

    engines = args.engine or ["sqlite", "postgresql"]
    mariadb = MariaDBServer().start()
    postgres = PostgresServer().start() if "postgresql" in engines else None
    results: dict[str, Any] = {}
    try:
        began = time.perf_counter()
        database, source = build_hc(mariadb, args.repairs)
        built = time.perf_counter() - began
        print(f"HC database with {args.repairs} repairs built in {built:.0f} s", file=sys.stderr)
        with tempfile.TemporaryDirectory() as folder:
            for engine in engines:
                if engine == "sqlite":
                    url = f"sqlite:///{Path(folder) / 'ours.db'}"
                else:
                    assert postgres is not None
                    url = postgres.create_database("sync_scale")
                done = subprocess.run(
                    [sys.executable, "-m", "bench.sync_scale", "--child", url, source,
                     str(mariadb.port), database, str(args.repairs)],
                    cwd=ROOT, capture_output=True, text=True, check=False,
                    env={**os.environ, "MEDIA_DIR": str(Path(folder) / f"media-{engine}")},
                )  # fmt: skip
                if done.returncode != 0:
                    print(done.stderr, file=sys.stderr)
                    return 1
                results[engine] = json.loads(done.stdout.strip().splitlines()[-1])
                print(engine, results[engine], file=sys.stderr)
    finally:
        mariadb.stop()
        if postgres is not None:
            postgres.stop()
    table = render(results, args.repairs)
    print(table)
    if args.write:
        RESULTS.write_text(table, encoding="utf-8")
    return 0


def render(results: dict[str, Any], repairs: int) -> str:
    lines = [
        "# Sync at scale (HC → ours)",
        "",
        f"Generated by `python -m bench.sync_scale` on {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M}"
        f" UTC, {repairs:,} repairs ({CHANGED} changed before the incremental run). Method: the"
        " module docstring of bench/sync_scale.py.",
        "",
        "| engine | run | target | seconds | peak memory (MiB over the start) | orders read"
        " / created / updated / unchanged | |",
        "|---|---|---|---|---|---|---|",
    ]
    for engine, runs in results.items():
        for name, run in runs.items():
            target = TARGETS[name]
            orders = run["orders"]
            ok = "✅" if run["seconds"] <= target else "❌"
            lines.append(
                f"| {engine} | {name} | ≤ {target:g} s | {run['seconds']:.1f} |"
                f" {run['peak_mib']:.0f} | {orders['read']:,} / {orders['created']:,} /"
                f" {orders['updated']:,} / {orders['unchanged']:,} | {ok} |"
            )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
