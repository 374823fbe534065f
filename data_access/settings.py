"""App settings that must be right before anything runs: demo mode, the login cookie key, whose
proxy headers are believed, and whether the app is served over HTTPS.

Demo mode (``OWNER_DASHBOARD_MODE=demo``, set by ``make run`` and the tests) may use the
well-known demo cookie key below. Anywhere else the key must come from the environment
(``OWNER_DASHBOARD_COOKIE_KEY``) or ``[auth] cookie_key`` in ``.streamlit/secrets.toml``, and be a
real secret (``check_cookie_key``) — otherwise the app refuses to start.
"""

from __future__ import annotations

import functools
import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from data_access.db import SECRETS_PATH, secrets_file
from data_access.errors import DomainError

# DEMO ONLY — public, so it protects nothing. Refused outside demo mode.
DEMO_COOKIE_KEY = "DEMO-ONLY-not-a-secret-owner-dashboard-cookie-key-2026"
COOKIE_KEY_MIN_BYTES = 32
COOKIE_KEY_MIN_DISTINCT_CHARS = 16
# The placeholder in .streamlit/secrets.toml.example: a copied example must not start.
EXAMPLE_COOKIE_KEY = "REPLACE-WITH-A-LONG-RANDOM-STRING"
COOKIE_NAME = "owner_dashboard_auth"
COOKIE_EXPIRY_DAYS = 7.0


class ConfigError(DomainError):
    """The app is configured in a way it must not start with."""


# Two page runs at a time per process: one run's database wait overlaps the other's Python,
# and the event loop that sends every element still gets the interpreter (measured in
# docs/performance.md: 1, 2, 4 and unlimited).
DEFAULT_RUN_SLOTS = 2
MAX_RUN_SLOTS = 64


@dataclass(frozen=True)
class AppSettings:
    demo_mode: bool
    cookie_key: str
    cookie_name: str = COOKIE_NAME
    cookie_expiry_days: float = COOKIE_EXPIRY_DAYS
    # Addresses or networks of the proxies whose X-Forwarded-For is believed; nobody's by default.
    trusted_proxies: tuple[str, ...] = ()
    # Served over HTTPS (the login cookie then carries the Secure flag).
    https: bool = False
    # Page runs of one server process executing at once, at most (ui/run_slots.py: short runs
    # go one at a time, a long one lets the next start beside it); 0: no limit.
    run_slots: int = DEFAULT_RUN_SLOTS


# The environment variables the settings are made from (with the secrets file).
_SETTINGS_VARIABLES = (
    "OWNER_DASHBOARD_MODE",
    "OWNER_DASHBOARD_COOKIE_KEY",
    "TRUSTED_PROXIES",
    "OWNER_DASHBOARD_HTTPS",
    "OWNER_DASHBOARD_RUN_SLOTS",
)


def load_settings(
    env: Mapping[str, str] | None = None, secrets_path: Path = SECRETS_PATH
) -> AppSettings:
    """The settings of ``env`` (the process's environment) and the secrets file. Every page run
    asks, so they are made once per value of those variables and version of the file (parsing
    the file each run was a fiftieth of a new owner's visit, issue 25); a wrong setting raises
    ``ConfigError`` every time it is asked for."""
    env = os.environ if env is None else env
    try:
        version: int | None = secrets_path.stat().st_mtime_ns
    except FileNotFoundError:
        version = None
    values = tuple(env.get(name) for name in _SETTINGS_VARIABLES)
    return _settings(values, secrets_path, version)


@functools.lru_cache(maxsize=16)
def _settings(
    values: tuple[str | None, ...], secrets_path: Path, version: int | None
) -> AppSettings:
    env = {name: value for name, value in zip(_SETTINGS_VARIABLES, values, strict=True) if value}
    secrets: dict[str, object] = secrets_file(secrets_path, version) if version is not None else {}
    auth_section = secrets.get("auth", {})
    app_section = secrets.get("app", {})
    server_section = secrets.get("server", {})
    assert isinstance(auth_section, dict) and isinstance(app_section, dict)
    assert isinstance(server_section, dict)
    mode = env.get("OWNER_DASHBOARD_MODE") or str(app_section.get("mode", "production"))
    demo_mode = mode.strip().lower() == "demo"
    key = env.get("OWNER_DASHBOARD_COOKIE_KEY") or str(auth_section.get("cookie_key", ""))
    proxies = trusted_proxies_from(
        env.get("TRUSTED_PROXIES") or auth_section.get("trusted_proxies", "")
    )
    https_raw = env.get("OWNER_DASHBOARD_HTTPS") or server_section.get("https", False)
    https = https_raw is True or str(https_raw).strip().lower() in ("1", "true", "yes")
    slots = run_slots_from(env.get("OWNER_DASHBOARD_RUN_SLOTS") or server_section.get("run_slots"))
    if demo_mode:
        return AppSettings(
            demo_mode=True,
            cookie_key=key.strip() or DEMO_COOKIE_KEY,
            trusted_proxies=proxies,
            https=https,
            run_slots=slots,
        )
    return AppSettings(
        demo_mode=False, cookie_key=check_cookie_key(key), trusted_proxies=proxies, https=https,
        run_slots=slots,
    )  # fmt: skip


def run_slots_from(raw: object) -> int:
    """``OWNER_DASHBOARD_RUN_SLOTS`` or ``[server] run_slots``: a whole number from 0 (no
    limit) to ``MAX_RUN_SLOTS``; unset: ``DEFAULT_RUN_SLOTS``."""
    if raw is None or str(raw).strip() == "":
        return DEFAULT_RUN_SLOTS
    text = str(raw).strip()
    if not text.isdigit() or int(text) > MAX_RUN_SLOTS:
        raise ConfigError("config.bad_run_slots", value=text, maximum=MAX_RUN_SLOTS)
    return int(text)


def check_cookie_key(raw: str) -> str:
    """The key, stripped, if it is fit to sign logins outside demo mode: at least
    ``COOKIE_KEY_MIN_BYTES`` bytes and ``COOKIE_KEY_MIN_DISTINCT_CHARS`` different characters,
    and neither the demo key nor the example file's placeholder (whatever the spaces or case
    around them). Else a ``ConfigError`` saying which rule it broke."""
    key = raw.strip()
    if not key:
        raise ConfigError("config.key_missing")
    if key.upper() == DEMO_COOKIE_KEY.upper():
        raise ConfigError("config.demo_key_outside_demo")
    if key.upper() == EXAMPLE_COOKIE_KEY.upper():
        raise ConfigError("config.example_key")
    if len(key.encode("utf-8")) < COOKIE_KEY_MIN_BYTES:
        raise ConfigError("config.key_too_short", length=len(key.encode("utf-8")))
    if len(set(key)) < COOKIE_KEY_MIN_DISTINCT_CHARS:
        raise ConfigError(
            "config.key_too_simple", distinct=len(set(key)), minimum=COOKIE_KEY_MIN_DISTINCT_CHARS
        )
    return key


def trusted_proxies_from(raw: object) -> tuple[str, ...]:
    """The trusted proxies of ``TRUSTED_PROXIES`` (comma-separated) or ``[auth]
    trusted_proxies`` (a list or a comma-separated string): IP addresses or networks, each
    checked. ``*`` (everyone) is refused: any client could then choose its own address."""
    items = raw if isinstance(raw, list) else str(raw or "").split(",")
    proxies: list[str] = []
    for item in items:
        text = str(item).strip()
        if not text:
            continue
        try:
            network = ipaddress.ip_network(text, strict=False)
        except ValueError:
            raise ConfigError("config.bad_trusted_proxy", value=text) from None
        proxies.append(str(network) if "/" in text else str(network.network_address))
    return tuple(proxies)


def forwarded_allow_ips(proxies: tuple[str, ...]) -> str:
    """The value for uvicorn's ``FORWARDED_ALLOW_IPS`` (the server Streamlit runs in): the
    trusted proxies, each IPv4 one also in its IPv4-mapped IPv6 spelling (a server listening
    on every address sees an IPv4 proxy as ``::ffff:a.b.c.d``). Empty: nobody's headers are
    believed — uvicorn's own default would believe any process on the same machine."""
    spelled: list[str] = []
    for proxy in proxies:
        spelled.append(proxy)
        network = ipaddress.ip_network(proxy, strict=False)
        if isinstance(network, ipaddress.IPv4Network):
            mapped = f"::ffff:{network.network_address}"
            spelled.append(
                mapped if network.prefixlen == 32 else f"{mapped}/{96 + network.prefixlen}"
            )
    return ",".join(spelled)


def wants_secure_cookie(settings: AppSettings, page_url: str, forwarded_proto: str) -> bool:
    """Whether the login cookie gets the Secure flag: the settings say the app is served over
    HTTPS, or this page arrived over HTTPS — the browser's own address, or the first value of
    a proxy's X-Forwarded-Proto. A forged header can only make the sender's own cookie stricter."""
    if settings.https or page_url.lower().startswith("https://"):
        return True
    return forwarded_proto.split(",")[0].strip().lower() == "https"


def check_proxy_environment(settings: AppSettings, env: Mapping[str, str] | None = None) -> None:
    """Outside demo mode, refuse to serve unless uvicorn was told whose X-Forwarded-For to
    believe by ``manage.py serve``: under a bare ``streamlit run`` uvicorn believes any process
    on this machine, and the login's per-client counts would not be what the settings say."""
    env = os.environ if env is None else env
    if settings.demo_mode:
        return
    if env.get("FORWARDED_ALLOW_IPS") != forwarded_allow_ips(settings.trusted_proxies):
        raise ConfigError("config.not_started_by_serve")


# --- privacy: retention of photos taken in homes (issue 7) -------------------------------------
DEFAULT_PRIVATE_PHOTO_RETENTION_DAYS = 365


def private_photo_retention_days(
    env: Mapping[str, str] | None = None, secrets_path: Path = SECRETS_PATH
) -> int:
    """Days photos of a completed in-home (private) order are kept; 0 keeps them forever.

    From ``PRIVATE_PHOTO_RETENTION_DAYS`` in the environment, else ``[privacy]
    private_photo_retention_days`` in secrets.toml, else 365 — or 0 in demo mode, whose photos
    are generated (and shared by the tests' database copies). Anything but a whole number ≥ 0
    is a ``ConfigError``: a typo must not silently keep (or delete) people's photos.
    """
    env = os.environ if env is None else env
    secrets: dict[str, object] = {}
    if secrets_path.exists():
        secrets = secrets_file(secrets_path, secrets_path.stat().st_mtime_ns)
    section = secrets.get("privacy", {})
    app_section = secrets.get("app", {})
    raw: object = env.get("PRIVATE_PHOTO_RETENTION_DAYS")
    if raw in (None, "") and isinstance(section, dict):
        raw = section.get("private_photo_retention_days")
    if raw in (None, ""):
        mode = env.get("OWNER_DASHBOARD_MODE") or (
            str(app_section.get("mode", "production")) if isinstance(app_section, dict) else ""
        )
        return 0 if mode.strip().lower() == "demo" else DEFAULT_PRIVATE_PHOTO_RETENTION_DAYS
    if isinstance(raw, bool) or not str(raw).strip().isdigit():
        raise ConfigError("config.bad_retention_days", value=str(raw))
    return int(str(raw).strip())
