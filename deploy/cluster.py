"""One machine serving an evening peak: HAProxy in front of N Streamlit processes and the worker.

``manage.py serve-cluster --workers N`` (``make serve WORKERS=N``) renders
``deploy/haproxy.cfg.template``, starts N ``manage.py serve`` processes on free local ports (each
listening on 127.0.0.1 only, believing X-Forwarded-For from HAProxy alone), one background
worker, and HAProxy on the public port. Every process gets the same environment: one database,
one cookie key, one media directory. Ctrl-C (or SIGTERM) stops them all.

Several machines: docs/operations.md shows the same parts as systemd units.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from string import Template

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = Path(__file__).resolve().parent / "haproxy.cfg.template"
HAPROXY = "haproxy"
STICKY_COOKIE = "odsrv"
HSTS_MAX_AGE_S = 31_536_000
# What the pages provably survive: the browser tests walk every page through this policy and
# fail on any violation. 'unsafe-inline' scripts: Streamlit's index.html starts with an inline
# script, and st.html runs the app's small scripts (meeting mode's keys) inline.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "media-src 'self' data: blob:",
        "worker-src 'self' blob:",
        "frame-src 'self'",
        "frame-ancestors 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    )
)


@dataclass(frozen=True)
class FrontDoor:
    """Where HAProxy listens and what it balances."""

    address: str
    port: int
    app_ports: tuple[int, ...]
    tls_pem: Path | None = None  # certificate + key in one PEM: HTTPS, HSTS, secure cookies


def render_haproxy_config(door: FrontDoor, threads: int = 2) -> str:
    """The HAProxy configuration for ``door`` (see ``haproxy.cfg.template``)."""
    tls = door.tls_pem is not None
    bind = f"{door.address}:{door.port}" + (f" ssl crt {door.tls_pem}" if tls else "")
    servers = "\n".join(
        f"    server app{i} 127.0.0.1:{port} check inter 2s fall 2 rise 1 cookie app{i}"
        for i, port in enumerate(door.app_ports, start=1)
    )
    return Template(TEMPLATE.read_text(encoding="utf-8")).substitute(
        threads=threads,
        bind=bind,
        proto="https" if tls else "http",
        csp=CONTENT_SECURITY_POLICY,
        hsts=(
            f'    http-response set-header Strict-Transport-Security "max-age={HSTS_MAX_AGE_S}"'
            if tls
            else ""
        ),
        cookie_name=STICKY_COOKIE,
        cookie_secure=" secure" if tls else "",
        servers=servers,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def check_haproxy_config(path: Path) -> None:
    """Refuse to start on a configuration HAProxy itself would refuse."""
    checked = subprocess.run(
        [_haproxy(), "-c", "-q", "-f", str(path)], capture_output=True, text=True
    )
    if checked.returncode != 0:
        raise RuntimeError(f"haproxy refused {path}:\n{checked.stdout}{checked.stderr}")


def _haproxy() -> str:
    found = shutil.which(HAPROXY) or shutil.which(HAPROXY, path="/usr/sbin:/sbin")
    if found is None:
        raise RuntimeError("haproxy is not installed: apt-get install haproxy (make test does)")
    return found


@dataclass
class Cluster:
    """The running parts; ``url`` is the front door."""

    url: str
    apps: list[subprocess.Popen[bytes]] = field(default_factory=list)
    app_urls: list[str] = field(default_factory=list)
    worker: subprocess.Popen[bytes] | None = None
    haproxy: subprocess.Popen[bytes] | None = None

    def processes(self) -> list[subprocess.Popen[bytes]]:
        parts = [*self.apps, self.worker, self.haproxy]
        return [p for p in parts if p is not None]


def app_environment(base: Mapping[str, str]) -> dict[str, str]:
    """What every app process gets: the caller's environment (database, cookie key, media
    directory, mode) with HAProxy — on this machine — as the one trusted proxy, and glibc's
    malloc held to two arenas unless the caller chose (each script-run thread otherwise gets an
    arena of its own whose freed pages are rarely given back: the soak's slow RSS climb)."""
    return {"MALLOC_ARENA_MAX": "2", **base, "TRUSTED_PROXIES": "127.0.0.1"}


@contextmanager
def running_cluster(
    *,
    app_count: int,
    address: str = "127.0.0.1",
    port: int = 8080,
    env: Mapping[str, str] | None = None,
    logs: Path,
    with_worker: bool = True,
    tls_pem: Path | None = None,
    streamlit_args: Sequence[str] = (),
    script: Path | None = None,
) -> Iterator[Cluster]:
    """Start the parts, wait until HAProxy sees every app process healthy, yield, stop them.
    ``script``: serve that Streamlit script instead of the app (the benchmark's floor)."""
    if app_count < 1:
        raise ValueError("at least one app process")
    base = dict(os.environ if env is None else env)
    logs.mkdir(parents=True, exist_ok=True)
    app_ports = tuple(free_port() for _ in range(app_count))
    door = FrontDoor(address=address, port=port, app_ports=app_ports, tls_pem=tls_pem)
    config = logs / "haproxy.cfg"
    config.write_text(render_haproxy_config(door), encoding="utf-8")
    check_haproxy_config(config)
    scheme = "https" if tls_pem else "http"
    host = "127.0.0.1" if address in ("0.0.0.0", "::", "") else address
    cluster = Cluster(url=f"{scheme}://{host}:{port}")
    with ExitStack() as stack:
        stack.callback(_stop_all, cluster)
        for number, app_port in enumerate(app_ports, start=1):
            log = stack.enter_context((logs / f"app{number}.log").open("wb"))
            start = (
                [sys.executable, str(ROOT / "manage.py"), "serve", "--"]
                if script is None
                else [sys.executable, "-m", "streamlit", "run", str(script)]
            )
            command = [*start, "--server.headless", "true", "--server.address", "127.0.0.1",
                       "--server.port", str(app_port), *streamlit_args]  # fmt: skip
            app_env = app_environment(base)
            cluster.apps.append(
                subprocess.Popen(
                    command, cwd=ROOT, env=app_env, stdout=log, stderr=subprocess.STDOUT
                )
            )
            cluster.app_urls.append(f"http://127.0.0.1:{app_port}")
        for app, url in zip(cluster.apps, cluster.app_urls, strict=True):
            wait_healthy(url, app)
        if with_worker:
            log = stack.enter_context((logs / "worker.log").open("wb"))
            cluster.worker = subprocess.Popen(
                [sys.executable, str(ROOT / "manage.py"), "worker"],
                cwd=ROOT, env=base, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        log = stack.enter_context((logs / "haproxy.log").open("wb"))
        cluster.haproxy = subprocess.Popen(
            [_haproxy(), "-db", "-f", str(config)], stdout=log, stderr=subprocess.STDOUT
        )
        wait_healthy(cluster.url, cluster.haproxy, insecure=tls_pem is not None)
        yield cluster


def wait_healthy(
    url: str, process: subprocess.Popen[bytes], timeout_s: float = 90, *, insecure: bool = False
) -> None:
    """Until ``url``'s ``/_stcore/health`` answers 200 (through HAProxy: a process is up)."""
    import ssl

    context = ssl._create_unverified_context() if insecure else None
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args!r} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(
                f"{url}/_stcore/health", timeout=2, context=context
            ) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not become healthy in {timeout_s:.0f} s")


def _stop_all(cluster: Cluster) -> None:
    """HAProxy first (no new requests), then the apps and the worker; killed after 5 s."""
    for process in cluster.processes()[::-1]:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 5
    for process in cluster.processes():
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def serve_forever(cluster: Cluster) -> int:
    """Block until Ctrl-C / SIGTERM or until a part dies (then say which, and stop)."""
    stop = {"asked": False}

    def ask_to_stop(_signum: int, _frame: object) -> None:
        stop["asked"] = True

    signal.signal(signal.SIGTERM, ask_to_stop)
    try:
        while not stop["asked"]:
            for process in cluster.processes():
                if process.poll() is not None:
                    print(f"stopped: {process.args!r} exited with {process.returncode}")
                    return 1
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    return 0
