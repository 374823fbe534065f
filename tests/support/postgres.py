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
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.dir / "log"),
            "-w", "-o", options, "start",
        )  # fmt: skip
        return self

    def stop(self) -> None:
        """Stop without the shutdown checkpoint: the cluster is thrown away."""
        if (self.data / "postmaster.pid").exists():
            self._run(
                str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"
            )
        shutil.rmtree(self.dir, ignore_errors=True)

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
