"""Concurrent users: N simulated sessions load the Overview and the work-order board at once.

A real ``streamlit run`` server is started on localhost; every simulated user is a websocket
client speaking Streamlit's own protocol (the one the browser's frontend speaks), not a browser:
a hundred Chromium pages on a two-core machine would measure Chromium, not the server.

Per user: connect to ``/_stcore/stream`` with the login cookie in the handshake, send a
``BackMsg.rerun_script`` for the Overview (what the frontend sends on connect), wait for
``script_finished``; then a second ``rerun_script`` on the same connection for the work-order
board (what a click in the menu sends: the page's script hash from the ``navigation`` message),
wait again; close. "Fully rendered" = from sending the rerun request until ``script_finished``
arrives, i.e. every delta of the page has reached the client. Components (the cookie manager)
are not run by this client, so the extra rerun a browser's component value would cause is not
included. Server memory (RSS from /proc) is sampled every 100 ms.

Each round is preceded by an untimed warm-up (one user loads both pages once), so caches are
filled as on a server that already served someone.

``processes``: one Streamlit server is one Python process, and Python runs one thread at a time
(the GIL), so one process uses one core however many sessions wait. With ``processes=2`` two
servers run side by side (one per core, as behind a load balancer) and users are spread over them
round-robin; nothing is lost by landing on another process, since a login lives in the database
and the cookie, not in the process. Memory and CPU are then the sum over the processes.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import itertools
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Coroutine, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import select
from sqlalchemy.engine import make_url

from bench.stats import percentile
from data_access.accounts.login_security import (
    SESSION_LIFETIME,
    encode_session_cookie,
    start_session,
)
from data_access.db import make_engine, make_session_factory, write_session
from data_access.models import Account
from data_access.settings import COOKIE_NAME, DEMO_COOKIE_KEY
from i18n import LANGUAGES, translate

if TYPE_CHECKING:
    from streamlit.proto.ClientState_pb2 import ClientState
    from websockets.asyncio.client import ClientConnection

T = TypeVar("T")
ROOT = Path(__file__).resolve().parent.parent
OVERVIEW_PATH = "home"  # the default page; the first run after connecting lands on it
BOARD_PATH = "orders-live"
PAGE_TIMEOUT_S = 60.0
SAMPLE_INTERVAL_S = 0.1
SERVER_START_TIMEOUT_S = 60.0
# Streamlit keeps a closed session's state this long for a reconnect (server option
# server.disconnectedSessionTTL, default 120 s): memory can only drop back after it.
DISCONNECTED_SESSION_TTL_S = 120
LOGIN_WIDGET_KEY = b"login_username"
FLOOR_APP = ROOT / "bench" / "floor_two_pages.py"
FLOOR_SETTLE_S = 5.0  # the floor's rounds are measured for CPU and waits, not memory


def _marker_bytes(key: str) -> tuple[bytes, ...]:
    """A catalog text in every language, UTF-8 encoded (deltas carry it as protobuf strings)."""
    return tuple(translate(key, lang).encode() for lang in LANGUAGES)


PAGE_MARKERS: dict[str, tuple[bytes, ...]] = {
    OVERVIEW_PATH: _marker_bytes("overview.kpi_header"),
    BOARD_PATH: _marker_bytes("orders.title"),
}


# --- results ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class PageStats:
    """Times to a fully rendered page (ms) over the sessions of one round, and the failures."""

    page: str
    loads: int
    p50_ms: float
    p95_ms: float
    max_ms: float
    errors: int
    error_samples: tuple[str, ...] = ()  # distinct reasons, at most five
    samples_ms: tuple[float, ...] = ()  # every successful load, one per session


@dataclass(frozen=True)
class MemoryStats:
    """Server RSS in MB (the streamlit process and any children)."""

    before_mb: float
    peak_mb: float
    mean_mb: float
    after_close_mb: float
    after_settle_mb: float

    @property
    def growth_mb(self) -> float:
        return self.peak_mb - self.before_mb


@dataclass(frozen=True)
class RoundResult:
    n: int
    pages: tuple[PageStats, ...]
    connect: PageStats  # websocket handshake, not part of the page times
    memory: MemoryStats
    wall_s: float
    # CPU seconds used during the round by the server and by this process (the simulated
    # users share the machine's cores with the server, so their share is shown).
    server_cpu_s: float = 0.0
    client_cpu_s: float = 0.0

    @property
    def cpu_ms_per_session(self) -> float:
        """The servers' CPU for one user's visit (connect, Overview, board)."""
        return self.server_cpu_s * 1000 / self.n

    def p95_ms(self, page: str) -> float:
        return next(stats.p95_ms for stats in self.pages if stats.page == page)


@dataclass(frozen=True)
class ConcurrentResults:
    database: str  # URL without password
    processes: int  # server processes the users were spread over
    settle_s: float
    rounds: tuple[RoundResult, ...]
    warm_up: str = "one untimed session loads both pages before each round"
    server_start_mb: float = 0.0
    notes: tuple[str, ...] = ()
    server_log_tail: tuple[str, ...] = ()  # only when some load failed
    # The same rounds on the framework floor (bench/floor_two_pages.py), in the same run.
    floor_rounds: tuple[RoundResult, ...] = ()

    def floor_of(self, result: RoundResult) -> RoundResult | None:
        return next((f for f in self.floor_rounds if f.n == result.n), None)

    def cpu_ratio(self, result: RoundResult) -> float | None:
        """The headline: the app's CPU per session over the floor's, same N, same run."""
        floor = self.floor_of(result)
        if floor is None or floor.server_cpu_s <= 0:
            return None
        return result.cpu_ms_per_session / floor.cpu_ms_per_session

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for key, results in (("rounds", self.rounds), ("floor_rounds", self.floor_rounds)):
            for round_data, round_result in zip(data[key], results, strict=True):
                round_data["memory"]["growth_mb"] = round_result.memory.growth_mb
                round_data["cpu_ms_per_session"] = round_result.cpu_ms_per_session
        data["cpu_ratios"] = {str(r.n): self.cpu_ratio(r) for r in self.rounds}
        return data


def run_coroutine(coroutine: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run``, also where an event loop is already running in this thread (a test run
    that used Playwright's sync API before): then on a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


# --- one simulated user -----------------------------------------------------------------------
@dataclass
class PageLoad:
    ms: float | None = None
    error: str | None = None


@dataclass
class SessionOutcome:
    connect: PageLoad = field(default_factory=PageLoad)
    loads: dict[str, PageLoad] = field(default_factory=dict)


@dataclass
class _Connection:
    """What the client remembers between reruns, as the frontend does."""

    ws: ClientConnection
    page_hashes: dict[str, str] = field(default_factory=dict)  # url path → page_script_hash
    cached_hashes: set[str] = field(default_factory=set)


def _client_state(page_path: str, conn: _Connection, *, first: bool) -> ClientState:
    from streamlit.proto.ClientState_pb2 import ClientState, ContextInfo

    state = ClientState(query_string="")
    if first:  # the frontend's first request: page by URL path, plus the browser's context
        state.page_name = "" if page_path == OVERVIEW_PATH else page_path
        state.context_info.CopyFrom(
            ContextInfo(timezone="Asia/Shanghai", timezone_offset=-480, locale="zh-CN")
        )
    else:  # a menu click: the page's hash from the navigation message
        state.page_script_hash = conn.page_hashes.get(page_path, "")
        state.page_name = page_path
        state.cached_message_hashes.extend(sorted(conn.cached_hashes))
    return state


async def _rerun(
    conn: _Connection, page_path: str, *, first: bool
) -> tuple[float, tuple[bytes, ...]]:
    """Ask for a page and wait for its ``script_finished``: (ms, the raw deltas received)."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    back = BackMsg()
    back.rerun_script.CopyFrom(_client_state(page_path, conn, first=first))
    deltas: list[bytes] = []
    start = time.perf_counter()
    await conn.ws.send(back.SerializeToString())
    while True:
        raw = await conn.ws.recv(decode=False)
        msg = ForwardMsg.FromString(raw)
        kind = msg.WhichOneof("type")
        if msg.metadata.cacheable and msg.hash:
            conn.cached_hashes.add(msg.hash)
        if kind in ("delta", "ref_hash"):
            deltas.append(raw)
        elif kind == "navigation":
            for page in msg.navigation.app_pages:
                conn.page_hashes[page.url_pathname] = page.page_script_hash
        elif kind == "script_finished":
            status = msg.script_finished
            if status == ForwardMsg.FINISHED_SUCCESSFULLY:
                return (time.perf_counter() - start) * 1000, tuple(deltas)
            if status == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                raise RuntimeError("script failed to compile")
            # FINISHED_EARLY_FOR_RERUN (st.rerun) or a fragment run: the page is not done yet


def check_page(page_path: str, deltas: Sequence[bytes]) -> str | None:
    """Why the raw deltas are not the logged-in page, or None when they are."""
    content = b"".join(deltas)
    if LOGIN_WIDGET_KEY in content:
        return "got the login form: the login cookie was not accepted"
    if not any(marker in content for marker in PAGE_MARKERS[page_path]):
        shown = "; ".join(_alerts(deltas)) or "no alert shown"
        return f"page {page_path!r} not rendered (its title is missing); it showed: {shown}"
    return None


def _alerts(deltas: Sequence[bytes]) -> list[str]:
    """The alert and exception texts among the deltas (what the page said went wrong)."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    texts = []
    for raw in deltas:
        element = ForwardMsg.FromString(raw).delta.new_element
        if element.HasField("alert"):
            texts.append(element.alert.body[:160])
        elif element.HasField("exception"):
            texts.append(f"{element.exception.type}: {element.exception.message[:160]}")
    return texts


async def _load(conn: _Connection, page_path: str, *, first: bool) -> PageLoad:
    try:
        ms, deltas = await asyncio.wait_for(
            _rerun(conn, page_path, first=first), timeout=PAGE_TIMEOUT_S
        )
    except TimeoutError:
        return PageLoad(error=f"timeout after {PAGE_TIMEOUT_S:.0f} s")
    except Exception as error:
        return PageLoad(error=f"{type(error).__name__}: {error}")
    problem = check_page(page_path, deltas)
    return PageLoad(ms=ms, error=problem)


async def simulate_user(port: int, cookie: str) -> SessionOutcome:
    """One user: connect, Overview, work-order board, close."""
    from websockets.asyncio.client import connect
    from websockets.typing import Subprotocol

    outcome = SessionOutcome()
    start = time.perf_counter()
    try:
        ws = await asyncio.wait_for(
            connect(
                f"ws://127.0.0.1:{port}/_stcore/stream",
                additional_headers={"Cookie": f"{COOKIE_NAME}={cookie}"},
                subprotocols=[Subprotocol("streamlit")],
                max_size=None,
                ping_interval=None,  # the frontend's heartbeat is app-level; none needed here
                # The library gives up on a handshake after 10 s; a user waits as long for the
                # connection as for the page (a busy server answers the upgrade late).
                open_timeout=PAGE_TIMEOUT_S,
            ),
            timeout=PAGE_TIMEOUT_S,
        )
    except Exception as error:
        outcome.connect = PageLoad(error=f"connect: {type(error).__name__}: {error}")
        for page in (OVERVIEW_PATH, BOARD_PATH):
            outcome.loads[page] = PageLoad(error="not attempted: connect failed")
        return outcome
    outcome.connect = PageLoad(ms=(time.perf_counter() - start) * 1000)
    try:
        conn = _Connection(ws)
        outcome.loads[OVERVIEW_PATH] = await _load(conn, OVERVIEW_PATH, first=True)
        if outcome.loads[OVERVIEW_PATH].ms is None:
            outcome.loads[BOARD_PATH] = PageLoad(error="not attempted: Overview failed")
        else:
            outcome.loads[BOARD_PATH] = await _load(conn, BOARD_PATH, first=False)
    finally:
        await ws.close()
    return outcome


async def _simulate_users(ports: Sequence[int], cookies: Sequence[str]) -> list[SessionOutcome]:
    """Every user at once, spread over the servers round-robin."""
    return await asyncio.gather(
        *(simulate_user(ports[i % len(ports)], cookie) for i, cookie in enumerate(cookies))
    )


# --- login sessions ---------------------------------------------------------------------------
def login_cookies(database_url: str, count: int) -> list[str]:
    """``count`` login cookies, one fresh server-side session each, over the active owner
    accounts round-robin (committed before any timing)."""
    engine = make_engine(database_url)
    try:
        factory = make_session_factory(engine)
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        with write_session(factory) as session:
            owners = session.scalars(
                select(Account.id)
                .where(Account.role == "owner", Account.is_active.is_(True))
                .order_by(Account.id)
            ).all()
            if not owners:
                raise RuntimeError("no active owner account in the database")
            ids = [
                start_session(session=session, account_id=owners[i % len(owners)], now=now)
                for i in range(count)
            ]
    finally:
        engine.dispose()
    expires = now + SESSION_LIFETIME
    return [
        encode_session_cookie(session_id=sid, key=DEMO_COOKIE_KEY, expires_at=expires)
        for sid in ids
    ]


# --- the server and its memory ----------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        pass
    return 0


def _descendants(pid: int) -> list[int]:
    """Child processes (recursively), from the parent field of /proc/*/stat."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        parents[int(stat.parent.name)] = int(text.rsplit(")", 1)[1].split()[1])
    found, frontier = [], [pid]
    while frontier:
        parent = frontier.pop()
        children = [child for child, ppid in parents.items() if ppid == parent]
        found += children
        frontier += children
    return found


def cpu_s(pid: int) -> float:
    """User + system CPU seconds of a process so far (/proc/PID/stat fields 14 and 15)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def server_rss_mb(pid: int, children: Sequence[int] | None = None) -> float:
    """RSS of the process and its children (looked up unless given), MB."""
    children = _descendants(pid) if children is None else children
    return sum(_rss_kb(p) for p in (pid, *children)) / 1024


def total_rss_mb(pids: Sequence[int]) -> float:
    return sum(server_rss_mb(pid) for pid in pids)


def total_cpu_s(pids: Sequence[int]) -> float:
    return sum(cpu_s(pid) for pid in pids)


class MemorySampler:
    """Samples the server's RSS every ``interval`` seconds on a thread while active.

    The children are looked up once a second, not at every sample: scanning /proc holds the
    GIL that the simulated users' event loop in this process needs."""

    def __init__(self, pids: Sequence[int], interval: float = SAMPLE_INTERVAL_S) -> None:
        self._pids, self._interval = tuple(pids), interval
        self._samples: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        children: dict[int, list[int]] = {}
        for tick in itertools.count():
            if self._stop.is_set():
                break
            if tick % max(1, round(1 / self._interval)) == 0:
                children = {pid: _descendants(pid) for pid in self._pids}
            self._samples.append(sum(server_rss_mb(pid, children.get(pid)) for pid in self._pids))
            self._stop.wait(self._interval)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()
        self._samples.append(total_rss_mb(self._pids))

    @property
    def peak(self) -> float:
        return max(self._samples)

    @property
    def mean(self) -> float:
        return statistics.fmean(self._samples)


def server_env(database_url: str, media_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "OWNER_DASHBOARD_COOKIE_KEY"}
    env.update(OWNER_DASHBOARD_MODE="demo", DATABASE_URL=database_url, MEDIA_DIR=str(media_dir))
    return env


def _wait_healthy(port: int, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited ({proc.returncode}):\n{_tail(log)}")
        try:
            url = f"http://127.0.0.1:{port}/_stcore/health"
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.read().strip() == b"ok":
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"streamlit did not answer /_stcore/health:\n{_tail(log)}")


def _tail(log: Path, lines: int = 30) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])


@dataclass(frozen=True)
class Server:
    port: int
    pid: int
    log: Path


@contextmanager
def running_server(
    database_url: str, media_dir: Path, workdir: Path, script: Path | None = None
) -> Iterator[Server]:
    """``manage.py serve`` (streamlit run app.py) — or ``streamlit run script`` (the floor) —
    on a free localhost port, healthy; stopped at the end."""
    port = _free_port()
    log = workdir / "streamlit.log"
    start = (
        [sys.executable, "manage.py", "serve", "--"]
        if script is None
        else [sys.executable, "-m", "streamlit", "run", str(script)]
    )
    command = [
        *start,
        *("--server.headless", "true", "--server.port", str(port)),
        *("--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"),
    ]
    with log.open("wb") as out:
        proc = subprocess.Popen(
            command,
            cwd=ROOT,
            env=server_env(database_url, media_dir),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_healthy(port, proc, log)
        yield Server(port, proc.pid, log)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# --- rounds -----------------------------------------------------------------------------------
def page_stats(page: str, loads: Sequence[PageLoad]) -> PageStats:
    times = [load.ms for load in loads if load.ms is not None and load.error is None]
    failures = [load.error for load in loads if load.error is not None]
    return PageStats(
        page=page,
        loads=len(times),
        p50_ms=statistics.median(times) if times else 0.0,
        p95_ms=percentile(times, 95) if times else 0.0,
        max_ms=max(times) if times else 0.0,
        errors=len(failures),
        error_samples=tuple(sorted(set(failures)))[:5],
        samples_ms=tuple(round(ms, 1) for ms in times),
    )


def warm_up(servers: Sequence[Server], cookie: str) -> None:
    """One untimed user per server; fails loudly when it does not see the logged-in pages."""
    for server in servers:
        outcome = run_coroutine(simulate_user(server.port, cookie))
        problems = [f"{page}: {load.error}" for page, load in outcome.loads.items() if load.error]
        if outcome.connect.error or problems:
            reason = outcome.connect.error or "; ".join(problems)
            raise RuntimeError(f"warm-up failed: {reason}\nserver log:\n{_tail(server.log)}")


def wait_until_idle(pids: Sequence[int], timeout_s: float = 120.0) -> None:
    """Until the servers use under 5 % of a core over a second: a round should not share the
    CPU with the warm-up's last page runs."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        before = total_cpu_s(pids)
        time.sleep(1.0)
        if total_cpu_s(pids) - before < 0.05:
            return


def run_round(servers: Sequence[Server], cookies: Sequence[str], settle_s: float) -> RoundResult:
    pids = [server.pid for server in servers]
    before = total_rss_mb(pids)
    start, server_cpu, client_cpu = time.perf_counter(), total_cpu_s(pids), time.process_time()
    with MemorySampler(pids) as sampler:
        outcomes = run_coroutine(_simulate_users([server.port for server in servers], cookies))
    wall_s = time.perf_counter() - start
    server_cpu, client_cpu = total_cpu_s(pids) - server_cpu, time.process_time() - client_cpu
    after_close = total_rss_mb(pids)
    time.sleep(settle_s)
    memory = MemoryStats(
        before_mb=before,
        peak_mb=sampler.peak,
        mean_mb=sampler.mean,
        after_close_mb=after_close,
        after_settle_mb=total_rss_mb(pids),
    )
    pages = tuple(
        page_stats(page, [o.loads[page] for o in outcomes]) for page in (OVERVIEW_PATH, BOARD_PATH)
    )
    connect = page_stats("connect", [o.connect for o in outcomes])
    return RoundResult(len(cookies), pages, connect, memory, wall_s, server_cpu, client_cpu)


def run_concurrent(
    database_url: str,
    media_dir: Path,
    ns: tuple[int, ...] = (10, 50, 100),
    settle_s: float = 120.0,
    progress: Callable[[str], None] | None = print,
    processes: int = 1,
    with_floor: bool = True,
) -> ConcurrentResults:
    """Start ``processes`` servers on ``database_url`` (seeded) and run a round per N; first
    the same rounds on as many processes of the framework floor (``with_floor``)."""
    say = progress or (lambda _message: None)
    cookies = login_cookies(database_url, 1 + sum(ns))  # the warm-up user's is the first
    floor_rounds: list[RoundResult] = []
    if with_floor:
        say("framework floor (bench/floor_two_pages.py) …")
        floor_rounds, _, _ = _rounds(
            database_url, media_dir, ns, cookies, FLOOR_SETTLE_S, say, processes, FLOOR_APP
        )
    say("the app …")
    rounds, start_mb, log_tail = _rounds(
        database_url, media_dir, ns, cookies, settle_s, say, processes, None
    )
    return ConcurrentResults(
        processes=processes,
        database=make_url(database_url).render_as_string(hide_password=True),
        settle_s=settle_s,
        rounds=tuple(rounds),
        server_start_mb=start_mb,
        server_log_tail=log_tail,
        floor_rounds=tuple(floor_rounds),
        notes=(
            f"closed sessions are kept {DISCONNECTED_SESSION_TTL_S} s for reconnection "
            "(server.disconnectedSessionTTL)",
            "time = from sending rerun_script until script_finished (all deltas received)",
        ),
    )


def _rounds(
    database_url: str,
    media_dir: Path,
    ns: Sequence[int],
    cookies: Sequence[str],
    settle_s: float,
    say: Callable[[str], None],
    processes: int,
    script: Path | None,
) -> tuple[list[RoundResult], float, tuple[str, ...]]:
    """A round per N on fresh servers of the app (or of ``script``): (rounds, RSS at start,
    the servers' log tails when a load failed)."""
    rounds = []
    with tempfile.TemporaryDirectory(prefix="bench-concurrent-") as workdir, ExitStack() as stack:
        servers = []
        for number in range(processes):
            folder = Path(workdir) / str(number)
            folder.mkdir()
            server = running_server(database_url, media_dir, folder, script)
            servers.append(stack.enter_context(server))
        pids = [server.pid for server in servers]
        start_mb = total_rss_mb(pids)
        ports = ", ".join(str(server.port) for server in servers)
        say(f"{processes} server process(es) on port(s) {ports}, {start_mb:.0f} MB")
        offset = 1
        for n in ns:
            say(f"N={n}: warm-up (one untimed user loads both pages) …")
            warm_up(servers, cookies[0])
            wait_until_idle(pids)
            say(f"N={n}: {n} users at once, then {settle_s:.0f} s to settle …")
            result = run_round(servers, cookies[offset : offset + n], settle_s)
            offset += n
            rounds.append(result)
            say(format_round(result))
        failed = any(p.errors for r in rounds for p in (*r.pages, r.connect))
        log_tail = (
            tuple(line for server in servers for line in _tail(server.log).splitlines())
            if failed
            else ()
        )
    return rounds, start_mb, log_tail


# --- output -----------------------------------------------------------------------------------
def format_round(result: RoundResult) -> str:
    m = result.memory
    lines = [
        f"N={result.n}  ({result.wall_s:.1f} s wall; CPU: server {result.server_cpu_s:.1f} s "
        f"= {result.cpu_ms_per_session:.0f} ms per session, "
        f"simulated users {result.client_cpu_s:.1f} s)"
    ]
    for stats in (*result.pages, result.connect):
        lines.append(
            f"  {stats.page:<12} ok {stats.loads:>4}  p50 {stats.p50_ms:>8.0f} ms  "
            f"p95 {stats.p95_ms:>8.0f} ms  max {stats.max_ms:>8.0f} ms  errors {stats.errors}"
        )
        lines += [f"    ! {sample}" for sample in stats.error_samples]
    lines.append(
        f"  memory MB: before {m.before_mb:.0f}  peak {m.peak_mb:.0f} (+{m.growth_mb:.0f})  "
        f"mean {m.mean_mb:.0f}  after close {m.after_close_mb:.0f}  "
        f"after settle {m.after_settle_mb:.0f}"
    )
    return "\n".join(lines)


def headline(results: ConcurrentResults, result: RoundResult) -> str:
    """CPU per session against the floor's, and the waits, for one N."""
    floor, ratio = results.floor_of(result), results.cpu_ratio(result)
    if floor is None or ratio is None:
        return f"N={result.n}: {result.cpu_ms_per_session:.0f} ms CPU per session (no floor)"
    return (
        f"N={result.n}: **{ratio:.1f}×** the floor's CPU per session "
        f"({result.cpu_ms_per_session:.0f} ms vs {floor.cpu_ms_per_session:.1f} ms); "
        f"p95 Overview {result.p95_ms(OVERVIEW_PATH):,.0f} ms "
        f"(floor {floor.p95_ms(OVERVIEW_PATH):,.0f} ms), "
        f"board {result.p95_ms(BOARD_PATH):,.0f} ms (floor {floor.p95_ms(BOARD_PATH):,.0f} ms)"
    )


def format_results(results: ConcurrentResults) -> str:
    header = (
        f"Concurrent users on {results.database}, {results.processes} server process(es) "
        f"(settle {results.settle_s:.0f} s; "
        f"warm-up: {results.warm_up}; server at start {results.server_start_mb:.0f} MB)"
    )
    lines = [
        header,
        *(headline(results, r) for r in results.rounds),
        *map(format_round, results.rounds),
    ]
    if results.floor_rounds:
        lines += ["the framework floor, same run:", *map(format_round, results.floor_rounds)]
    lines += results.notes
    if results.server_log_tail:
        lines += ["server log (tail):", *results.server_log_tail]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.concurrent", description=__doc__)
    parser.add_argument("--database-url", required=True, help="a seeded demo database")
    parser.add_argument("--media-dir", type=Path, required=True)
    parser.add_argument("--n", type=int, nargs="+", default=[10, 50, 100])
    parser.add_argument("--settle", type=float, default=120.0, help="seconds after each round")
    parser.add_argument("--processes", type=int, default=1, help="server processes (1 per core)")
    args = parser.parse_args(argv)
    results = run_concurrent(
        args.database_url, args.media_dir, tuple(args.n), settle_s=args.settle,
        processes=args.processes,
    )  # fmt: skip
    print()
    print(format_results(results))


if __name__ == "__main__":
    main()
