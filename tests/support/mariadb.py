"""A throwaway MariaDB server for the connector tests (the HC operational system runs on MySQL).

``mariadb-install-db`` creates a data directory in a temporary folder and ``mariadbd`` serves it
on a free local port and a socket in that folder, with no configuration file read
(``--no-defaults``) so the machine's own settings cannot leak in. Its temporary tables go to a
folder of its own too (``--tmpdir``): a starting ``mariadbd`` deletes every ``#sql*`` file in its
tmpdir, so servers of parallel test workers sharing ``/tmp`` deleted each other's live temporary
tables ("Error on delete of '/tmp/#sql-temptable-…'", seen once in CI). As root the server runs
as the ``mysql`` user. Missing binaries are an error, never a skip: ``make test`` installs the
``mariadb-server`` package when it is missing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pymysql

from tests.support.postgres import free_port

SERVER = "/usr/sbin/mariadbd"
INSTALL = "mariadb-install-db"


class MariaDBServer:
    def __init__(self) -> None:
        if not Path(SERVER).exists() or shutil.which(INSTALL) is None:
            raise RuntimeError(
                "MariaDB server binaries not found: install the 'mariadb-server' package "
                "(make test does this when run as root)."
            )
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="owner-dashboard-mariadb-"))
        self.data = self.dir / "data"
        self.socket = self.dir / "mariadb.sock"
        self.tmp = self.dir / "tmp"
        self._user = ["--user=mysql"] if os.geteuid() == 0 else []
        if os.geteuid() == 0:
            shutil.chown(self.dir, "mysql", "mysql")
        self.tmp.mkdir()
        if os.geteuid() == 0:
            shutil.chown(self.tmp, "mysql", "mysql")
        self._process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 60) -> MariaDBServer:
        subprocess.run(
            [INSTALL, "--no-defaults", f"--datadir={self.data}", *self._user,
             "--auth-root-authentication-method=normal", "--skip-test-db"],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        log = (self.dir / "server.log").open("wb")
        self._process = subprocess.Popen(
            [SERVER, "--no-defaults", f"--datadir={self.data}", *self._user,
             f"--port={self.port}", "--bind-address=127.0.0.1", f"--socket={self.socket}",
             f"--tmpdir={self.tmp}",
             f"--pid-file={self.dir / 'mariadb.pid'}", "--skip-name-resolve",
             "--innodb-flush-log-at-trx-commit=0", "--skip-log-bin"],
            stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(
                    f"MariaDB did not start: {(self.dir / 'server.log').read_text()}"
                )
            try:
                self.connect().close()
                return self
            except pymysql.err.OperationalError:
                time.sleep(0.2)
        raise RuntimeError(f"MariaDB did not answer within {timeout} s")

    def connect(
        self, database: str | None = None, user: str = "root", password: str = ""
    ) -> pymysql.Connection:
        return pymysql.connect(
            host="127.0.0.1", port=self.port, user=user, password=password, database=database,
            charset="utf8mb4", autocommit=True,
        )  # fmt: skip

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.kill()  # thrown away: no clean shutdown needed
            self._process.wait(timeout=30)
        shutil.rmtree(self.dir, ignore_errors=True)
