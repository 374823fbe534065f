"""The app refuses to start with an unsafe cookie key outside demo mode."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from data_access.settings import DEMO_COOKIE_KEY, ConfigError, load_settings

GOOD_KEY = "Zr8-Lq2_Wm5nT9vB3xK7cJ4hF6dS1gA0"
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


def test_an_edited_secrets_file_is_read_again_and_a_fixed_key_accepted(tmp_path: Path) -> None:
    """Settings are kept per version of the file (every page run asks): an edit is seen at
    once, a refused key is refused on every ask, and a fixed one then accepted."""
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[auth]\ncookie_key = "short"\n')
    for _ in range(2):
        with pytest.raises(ConfigError):
            load_settings({}, secrets)
    secrets.write_text(f'[auth]\ncookie_key = "{GOOD_KEY}"\n')
    stat = secrets.stat()
    os.utime(secrets, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))  # a later edit
    assert load_settings({}, secrets).cookie_key == GOOD_KEY
    assert load_settings({"OWNER_DASHBOARD_MODE": "demo"}, secrets).demo_mode  # env still counts


def test_demo_key_in_secrets_file_is_refused_outside_demo(tmp_path: Path) -> None:
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(f'[app]\nmode = "production"\n[auth]\ncookie_key = "{DEMO_COOKIE_KEY}"\n')
    with pytest.raises(ConfigError) as caught:
        load_settings({}, secrets)
    assert caught.value.key == "config.demo_key_outside_demo"


# --- issue 14: keys that only look long, proxies, HTTPS ------------------------------------------
@pytest.mark.parametrize(
    ("raw", "key"),
    [
        (f"  {DEMO_COOKIE_KEY}  ", "config.demo_key_outside_demo"),
        (DEMO_COOKIE_KEY.lower(), "config.demo_key_outside_demo"),
        ("REPLACE-WITH-A-LONG-RANDOM-STRING", "config.example_key"),
        ("  REPLACE-WITH-A-LONG-RANDOM-STRING\n", "config.example_key"),
        ("a" * 20 + " " * 20, "config.key_too_short"),  # 20 bytes once stripped
        ("ab" * 20, "config.key_too_simple"),
        ("0123456789abcd" * 3, "config.key_too_simple"),  # 14 distinct characters
    ],
)
def test_keys_that_are_no_secret_are_refused(raw: str, key: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings({"OWNER_DASHBOARD_COOKIE_KEY": raw}, NO_SECRETS)
    assert caught.value.key == key


def test_a_random_key_is_accepted_stripped() -> None:
    real = "Xq3-vN9_pL2kR7tY8wZ1aB4cD5eF6gH0"
    settings = load_settings({"OWNER_DASHBOARD_COOKIE_KEY": f" {real}\n"}, NO_SECRETS)
    assert settings.cookie_key == real


def test_the_example_file_does_not_start_in_production(tmp_path: Path) -> None:
    example = Path(__file__).resolve().parents[2] / ".streamlit" / "secrets.toml.example"
    with pytest.raises(ConfigError) as caught:
        load_settings({}, example)
    assert caught.value.key == "config.example_key"


def test_trusted_proxies_nobody_by_default_and_read_from_env_or_secrets(tmp_path: Path) -> None:
    from data_access.settings import forwarded_allow_ips

    assert load_settings({"OWNER_DASHBOARD_MODE": "demo"}, NO_SECRETS).trusted_proxies == ()
    assert forwarded_allow_ips(()) == ""  # uvicorn's own default would trust 127.0.0.1
    env = {"OWNER_DASHBOARD_MODE": "demo", "TRUSTED_PROXIES": "127.0.0.1, 10.0.0.0/8"}
    proxies = load_settings(env, NO_SECRETS).trusted_proxies
    assert proxies == ("127.0.0.1", "10.0.0.0/8")
    assert (
        forwarded_allow_ips(proxies) == "127.0.0.1,::ffff:127.0.0.1,10.0.0.0/8,::ffff:10.0.0.0/104"
    )
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[app]\nmode = "demo"\n[auth]\ntrusted_proxies = ["::1", "192.168.1.5"]\n')
    assert load_settings({}, secrets).trusted_proxies == ("::1", "192.168.1.5")


@pytest.mark.parametrize("raw", ["*", "proxy.example", "10.0.0.300"])
def test_a_trusted_proxy_must_be_an_address(raw: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings({"OWNER_DASHBOARD_MODE": "demo", "TRUSTED_PROXIES": raw}, NO_SECRETS)
    assert caught.value.key == "config.bad_trusted_proxy"


def test_production_refuses_a_server_not_started_by_serve() -> None:
    from data_access.settings import check_proxy_environment

    env = {"OWNER_DASHBOARD_COOKIE_KEY": "Xq3-vN9_pL2kR7tY8wZ1aB4cD5eF6gH0"}
    settings = load_settings(env, NO_SECRETS)
    with pytest.raises(ConfigError) as caught:
        check_proxy_environment(settings, env)  # bare `streamlit run`: uvicorn trusts loopback
    assert caught.value.key == "config.not_started_by_serve"
    check_proxy_environment(settings, {**env, "FORWARDED_ALLOW_IPS": ""})


@pytest.mark.parametrize(("raw", "https"), [("true", True), ("1", True), ("false", False)])
def test_https_from_env(raw: str, https: bool) -> None:
    env = {"OWNER_DASHBOARD_MODE": "demo", "OWNER_DASHBOARD_HTTPS": raw}
    assert load_settings(env, NO_SECRETS).https is https


@pytest.mark.parametrize(
    ("https", "url", "proto", "secure"),
    [
        ("", "http://127.0.0.1:8501/", "", False),
        ("1", "http://127.0.0.1:8501/", "", True),
        ("", "https://owners.example/", "", True),
        ("", "http://app.internal:8501/", "https", True),
        ("", "http://app.internal:8501/", "HTTPS, http", True),
        ("", "http://app.internal:8501/", "http", False),
    ],
)
def test_the_login_cookie_is_secure_over_https(
    https: str, url: str, proto: str, secure: bool
) -> None:
    from data_access.settings import wants_secure_cookie

    settings = load_settings(
        {"OWNER_DASHBOARD_MODE": "demo", "OWNER_DASHBOARD_HTTPS": https}, NO_SECRETS
    )
    assert wants_secure_cookie(settings, url, proto) is secure


@pytest.mark.parametrize(("raw", "slots"), [(None, 2), ("", 2), ("0", 0), ("1", 1), (" 8 ", 8)])
def test_page_runs_at_once_from_env(raw: str | None, slots: int) -> None:
    env = {"OWNER_DASHBOARD_MODE": "demo"}
    if raw is not None:
        env["OWNER_DASHBOARD_RUN_SLOTS"] = raw
    assert load_settings(env, NO_SECRETS).run_slots == slots


@pytest.mark.parametrize("raw", ["-1", "two", "1.5", "65"])
def test_page_runs_at_once_must_be_a_small_whole_number(raw: str) -> None:
    env = {"OWNER_DASHBOARD_MODE": "demo", "OWNER_DASHBOARD_RUN_SLOTS": raw}
    with pytest.raises(ConfigError) as caught:
        load_settings(env, NO_SECRETS)
    assert caught.value.key == "config.bad_run_slots"
