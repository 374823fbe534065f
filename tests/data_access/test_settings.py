"""The app refuses to start with an unsafe cookie key outside demo mode."""

from __future__ import annotations

from pathlib import Path

import pytest

from data_access.settings import DEMO_COOKIE_KEY, ConfigError, load_settings

GOOD_KEY = "k" * 40
NO_SECRETS = Path("/nonexistent/secrets.toml")


def test_demo_mode_uses_the_demo_key() -> None:
    settings = load_settings({"OWNER_DASHBOARD_MODE": "demo"}, NO_SECRETS)
    assert settings.demo_mode and settings.cookie_key == DEMO_COOKIE_KEY


@pytest.mark.parametrize(
    ("env", "key"),
    [
        ({}, "config.key_missing"),
        ({"OWNER_DASHBOARD_COOKIE_KEY": DEMO_COOKIE_KEY}, "config.demo_key_outside_demo"),
        ({"OWNER_DASHBOARD_COOKIE_KEY": "short-key"}, "config.key_too_short"),
        (
            {"OWNER_DASHBOARD_MODE": "production", "OWNER_DASHBOARD_COOKIE_KEY": "钥" * 10},
            "config.key_too_short",
        ),
    ],
)
def test_unsafe_keys_are_refused_outside_demo_mode(env: dict[str, str], key: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(env, NO_SECRETS)
    assert caught.value.key == key
    assert "拒绝启动" in caught.value.message("zh")


def test_production_key_from_secrets_file(tmp_path: Path) -> None:
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(f'[auth]\ncookie_key = "{GOOD_KEY}"\n')
    settings = load_settings({}, secrets)
    assert not settings.demo_mode and settings.cookie_key == GOOD_KEY


def test_demo_key_in_secrets_file_is_refused_outside_demo(tmp_path: Path) -> None:
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(f'[app]\nmode = "production"\n[auth]\ncookie_key = "{DEMO_COOKIE_KEY}"\n')
    with pytest.raises(ConfigError) as caught:
        load_settings({}, secrets)
    assert caught.value.key == "config.demo_key_outside_demo"
