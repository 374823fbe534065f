"""A throwaway PostgreSQL server for tests and benchmarks (initdb, pg_ctl, a temporary directory).

``initdb``/``pg_ctl`` refuse to run as root, so as root they run as the ``postgres`` user in a
temporary directory that user owns. Missing binaries are an error, never a skip: CI must run
the PostgreSQL tests (``make test`` installs the ``postgresql`` package when it is missing).
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg


def find_pg_bin() -> Path:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=_major, reverse=True)
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(on_path)
    if not candidates:
        raise RuntimeError(
            "PostgreSQL server binaries (initdb) not found: install the 'postgresql' package "
            "(make test does this when run as root)."
        )
    return Path(candidates[0]).parent


def _major(path: str) -> int:
    try:
        return int(Path(path).parent.parent.name)
    except ValueError:
        return 0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PostgresServer:
    def __init__(self) -> None:
        self.bin = find_pg_bin()
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="owner-dashboard-pg-"))
        self.data = self.dir / "data"
        self._as_postgres: list[str] = []
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
            self._as_postgres = ["runuser", "-u", "postgres", "--"]
        self.dir.chmod(0o700)

    def _run(self, *args: str) -> None:
        subprocess.run([*self._as_postgres, *args], check=True, capture_output=True, text=True)

    def start(self) -> PostgresServer:
        self._run(
            str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres",
            "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8",
        )  # fmt: skip
        return self._start_server()

    def _start_server(self) -> PostgresServer:
        """``pg_ctl start`` on this server's data directory, port and socket folder."""
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.dir / "log"),
            "-w", "-o", options, "start",
        )  # fmt: skip
        return self

    def stop(self) -> None:
        """Stop without the shutdown checkpoint: the cluster is thrown away. Its files (by the
        end of the suite hundreds of test databases, gigabytes in some 500 files each) are
        removed by a detached ``rm``: removing them in the test process made each worker's last
        teardown take 50–70 s (measured: 150 databases are 2.1 GB in 82,744 files)."""
        if (self.data / "postmaster.pid").exists():
            self._run(
                str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"
            )
        doomed = self.dir.with_name(self.dir.name + "-removing")
        try:
            self.dir.rename(doomed)
        except OSError:
            shutil.rmtree(self.dir, ignore_errors=True)
            return
        subprocess.Popen(
            ["rm", "-rf", str(doomed)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

    def start_replica(self) -> PostgresServer:
        """A hot standby of this server, made the way an operator makes one: ``pg_basebackup
        -R`` (a copy of the data plus the settings to stream the primary's WAL), then started
        on its own port. It answers reads and refuses writes."""
        replica = PostgresServer()
        replica._run(
            str(self.bin / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(self.port),
            "-U", "postgres", "-D", str(replica.data), "-R", "-X", "stream", "--checkpoint=fast",
        )  # fmt: skip
        return replica._start_server()

    def execute(self, sql: str, database: str = "postgres") -> object:
        """Run one statement as the superuser; its first value, if it returns rows."""
        with psycopg.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname=database, autocommit=True
        ) as conn:
            cursor = conn.execute(sql)
            row = cursor.fetchone() if cursor.description else None
            return row[0] if row else None

    def pause_replay(self) -> None:
        """(On a replica) stop applying the primary's WAL: the replica falls behind."""
        self.execute("SELECT pg_wal_replay_pause()")

    def resume_replay(self, primary: PostgresServer) -> None:
        """(On a replica) apply the WAL again, and wait until it has caught up."""
        self.execute("SELECT pg_wal_replay_resume()")
        self.wait_caught_up(primary)

    def wait_caught_up(self, primary: PostgresServer, timeout_s: float = 30) -> None:
        """(On a replica) until everything the primary has written so far is replayed."""
        target = str(primary.execute("SELECT pg_current_wal_lsn()"))
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.execute(f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn"):
                return
            time.sleep(0.1)
        raise RuntimeError("the replica did not catch up")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str, template: str | None = None) -> str:
        """A new database, empty or a copy of ``template`` (which nobody may be connected to)."""
        copy_of = f' TEMPLATE "{template}"' if template else ""
        with psycopg.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname="postgres", autocommit=True
        ) as conn:
            conn.execute(f'CREATE DATABASE "{name}"{copy_of}')
        return self.url(name)


def copy_database(source_url: str, target_url: str, chunk: int = 5_000) -> None:
    """Every row of the app's tables from ``source_url`` (e.g. the seeded demo SQLite file)
    into the migrated, empty PostgreSQL ``target_url``, and its id sequences moved past them:
    the demo on PostgreSQL in seconds instead of a second seeding."""
    from sqlalchemy import Integer, func, insert, select, text

    from data_access.db import make_engine
    from data_access.models import Base

    source, target = make_engine(source_url), make_engine(target_url)
    try:
        with source.connect() as reading, target.begin() as writing:
            writing.exec_driver_sql("SET session_replication_role = replica")  # FKs after
            for table in Base.metadata.sorted_tables:
                rows = reading.execute(select(table)).mappings()
                while batch := rows.fetchmany(chunk):
                    writing.execute(insert(table), [dict(row) for row in batch])
            writing.exec_driver_sql("SET session_replication_role = DEFAULT")
            for table in Base.metadata.sorted_tables:
                key = list(table.primary_key.columns)
                if len(key) != 1 or not isinstance(key[0].type, Integer):
                    continue
                sequence = writing.scalar(
                    text("SELECT pg_get_serial_sequence(:table, :column)"),
                    {"table": table.name, "column": key[0].name},
                )
                highest = writing.scalar(select(func.max(key[0])))
                if sequence and highest:
                    writing.execute(text("SELECT setval(:s, :v)"), {"s": sequence, "v": highest})
    finally:
        source.dispose()
        target.dispose()
