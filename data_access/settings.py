"""App settings that must be right before anything runs: demo mode and the login cookie key.

Demo mode (``OWNER_DASHBOARD_MODE=demo``, set by ``make run`` and the tests) may use the
well-known demo cookie key below. Anywhere else the key must come from the environment
(``OWNER_DASHBOARD_COOKIE_KEY``) or ``[auth] cookie_key`` in ``.streamlit/secrets.toml``, be at
least 32 bytes, and differ from the demo key — otherwise the app refuses to start.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from data_access.db import SECRETS_PATH
from data_access.errors import DomainError

# DEMO ONLY — public, so it protects nothing. Refused outside demo mode.
DEMO_COOKIE_KEY = "DEMO-ONLY-not-a-secret-owner-dashboard-cookie-key-2026"
COOKIE_KEY_MIN_BYTES = 32
COOKIE_NAME = "owner_dashboard_auth"
COOKIE_EXPIRY_DAYS = 7.0


class ConfigError(DomainError):
    """The app is configured in a way it must not start with."""


@dataclass(frozen=True)
class AppSettings:
    demo_mode: bool
    cookie_key: str
    cookie_name: str = COOKIE_NAME
    cookie_expiry_days: float = COOKIE_EXPIRY_DAYS


def load_settings(
    env: Mapping[str, str] | None = None, secrets_path: Path = SECRETS_PATH
) -> AppSettings:
    env = os.environ if env is None else env
    secrets: dict[str, object] = {}
    if secrets_path.exists():
        with secrets_path.open("rb") as f:
            secrets = tomllib.load(f)
    auth_section = secrets.get("auth", {})
    app_section = secrets.get("app", {})
    assert isinstance(auth_section, dict) and isinstance(app_section, dict)
    mode = env.get("OWNER_DASHBOARD_MODE") or str(app_section.get("mode", "production"))
    demo_mode = mode.strip().lower() == "demo"
    key = env.get("OWNER_DASHBOARD_COOKIE_KEY") or str(auth_section.get("cookie_key", ""))
    if demo_mode:
        return AppSettings(demo_mode=True, cookie_key=key or DEMO_COOKIE_KEY)
    if not key:
        raise ConfigError("config.key_missing")
    if key == DEMO_COOKIE_KEY:
        raise ConfigError("config.demo_key_outside_demo")
    if len(key.encode("utf-8")) < COOKIE_KEY_MIN_BYTES:
        raise ConfigError("config.key_too_short", length=len(key.encode("utf-8")))
    return AppSettings(demo_mode=False, cookie_key=key)


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
        with secrets_path.open("rb") as f:
            secrets = tomllib.load(f)
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
