"""E-mail through a mail server that takes passwords only over TLS (issue 22, item 3): with
``SMTP_URL=smtp://user:pass@host:port?starttls=1`` the connection is upgraded before the login
and the mail arrives; without the option the server takes no login in clear and nothing arrives —
the message fails with its reason and is tried again later."""

from __future__ import annotations

import ssl
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from sqlalchemy.orm import Session, sessionmaker

from data_access.db import write_session
from tests.outbox.support import configure, make_world, outbox_rows
from tests.outbox.test_channels import BASE, _daytime, _round, _step
from tests.support.fake_apis import MailBox, free_port
from worker import jobs


@dataclass
class Logins:
    tried: list[tuple[str, bool]] = field(default_factory=list)  # (user, over TLS)

    def __call__(self, server: Any, session: Any, envelope: Any, mechanism: str,
                 auth_data: Any) -> AuthResult:  # fmt: skip
        assert isinstance(auth_data, LoginPassword)
        user = auth_data.login.decode()
        self.tried.append((user, session.ssl is not None))
        return AuthResult(success=(user, auth_data.password.decode()) == ("wuye", "s3cret"))


@pytest.fixture
def tls_mail_server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[MailBox, Logins, int]]:
    """A mail server on localhost with its own certificate (trusted by this test through
    ``SSL_CERT_FILE``), refusing everything but STARTTLS before a login."""
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    box, logins, port = MailBox(), Logins(), free_port()
    controller = Controller(
        box, hostname="127.0.0.1", port=port, server_hostname="localhost", tls_context=context,
        require_starttls=True, authenticator=logins, auth_require_tls=True,
    )  # fmt: skip
    controller.start()
    try:
        yield box, logins, port
    finally:
        controller.stop()


@pytest.fixture(autouse=True)
def _channels_off(monkeypatch: pytest.MonkeyPatch) -> None:
    configure(monkeypatch)
    monkeypatch.setenv("APP_BASE_URL", BASE)
    monkeypatch.setenv("SMTP_FROM", "wuye@example.cn")
    jobs._senders.cache_clear()


def test_starttls_before_the_login_and_the_mail_arrives(
    session_factory: sessionmaker[Session],
    tls_mail_server: tuple[MailBox, Logins, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    box, logins, port = tls_mail_server
    monkeypatch.setenv("SMTP_URL", f"smtp://wuye:s3cret@localhost:{port}?starttls=1")
    with write_session(session_factory) as session:
        world = make_world(session)
    _step(session_factory, world, "accepted")

    assert _round(session_factory, _daytime())["sent"] == 1
    assert logins.tried == [("wuye", True)]
    (mail,) = box.mails
    assert mail["To"] == "owner@example.com"


def test_without_starttls_no_login_is_taken_and_nothing_arrives(
    session_factory: sessionmaker[Session],
    tls_mail_server: tuple[MailBox, Logins, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    box, logins, port = tls_mail_server
    monkeypatch.setenv("SMTP_URL", f"smtp://wuye:s3cret@localhost:{port}")
    with write_session(session_factory) as session:
        world = make_world(session)
    _step(session_factory, world, "accepted")

    assert _round(session_factory, _daytime())["retried"] == 1
    assert logins.tried == [] and box.mails == []
    with session_factory() as session:
        (row,) = outbox_rows(session)
    assert row.state == "pending" and "cannot reach the mail server" in row.last_error
