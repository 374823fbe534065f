"""Running ``manage.py`` the way a user does, for the command-line tests.

``run_manage`` calls ``manage.main`` in the test process with its own arguments, environment,
standard input and captured output: what a subprocess would see, without starting a Python
interpreter and importing pandas and SQLAlchemy again for every call (that was most of the
command-line tests' time). ``run_manage_process`` starts the real program, for the checks that
are about the process itself (exit status of an outage, the server's own password cost).
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class CliResult:
    returncode: int
    stdout: str
    stderr: str


def run_manage(
    *args: str, env: dict[str, str] | None = None, stdin: str | None = None
) -> CliResult:
    """``python manage.py ARGS`` inside this process (see the module docstring)."""
    import manage

    out, err = io.StringIO(), io.StringIO()
    with (
        _environment(env or {}),
        _stdin(stdin or ""),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        try:
            code = manage.main(list(args))
        except SystemExit as exit_:  # argparse refuses bad arguments this way
            code = exit_.code if isinstance(exit_.code, int) else 1
    return CliResult(code, out.getvalue(), err.getvalue())


def run_manage_process(
    *args: str, env: dict[str, str] | None = None, stdin: str | None = None
) -> CliResult:
    """``python manage.py ARGS`` as a new process."""
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT, env={**os.environ, **(env or {})}, input=stdin, capture_output=True,
        text=True, timeout=120,
    )  # fmt: skip
    return CliResult(done.returncode, done.stdout, done.stderr)


@contextlib.contextmanager
def _environment(changes: dict[str, str]) -> Iterator[None]:
    saved = {key: os.environ.get(key) for key in changes}
    os.environ.update(changes)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@contextlib.contextmanager
def _stdin(text: str) -> Iterator[None]:
    saved = sys.stdin
    sys.stdin = io.StringIO(text)
    try:
        yield
    finally:
        sys.stdin = saved
