"""Streamlit's own limits match ours: upload size, XSRF, no tracebacks to users (issue 7)."""

from __future__ import annotations

import tomllib
from pathlib import Path

from data_access.media.photos import MAX_UPLOAD_BYTES

CONFIG = Path(__file__).resolve().parents[2] / ".streamlit" / "config.toml"


def config() -> dict[str, dict[str, object]]:
    with CONFIG.open("rb") as f:
        return tomllib.load(f)


def test_streamlit_upload_limit_equals_the_servers() -> None:
    # Streamlit counts maxUploadSize in MB (2**20 bytes): a bigger file never reaches our code.
    assert MAX_UPLOAD_BYTES % (1024 * 1024) == 0
    assert config()["server"]["maxUploadSize"] == MAX_UPLOAD_BYTES // (1024 * 1024)


def test_xsrf_protection_is_on() -> None:
    assert config()["server"]["enableXsrfProtection"] is True


def test_error_details_are_not_shown_to_users() -> None:
    assert config()["client"]["showErrorDetails"] in ("none", False)


def test_streamlit_reads_the_same_values() -> None:
    """Not only the file's text: Streamlit's own config loader sees them too."""
    from streamlit import config as st_config

    st_config.get_config_options(force_reparse=True, options_from_flags={})
    try:
        assert st_config.get_option("server.maxUploadSize") == MAX_UPLOAD_BYTES // (1024 * 1024)
        assert st_config.get_option("server.enableXsrfProtection") is True
        assert st_config.get_option("client.showErrorDetails") in ("none", False)
    finally:
        st_config.get_config_options(force_reparse=True)
