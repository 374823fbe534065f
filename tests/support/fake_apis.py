"""Real local servers the channel tests deliver to: an SMTP server (aiosmtpd) and an HTTP
server playing WeChat's and Aliyun SMS's APIs — recording every request and answering what
the test scripts (success, an error code, no answer in time).

They follow the real APIs where the product depends on them: WeChat hands out an access
token and sends one message per openid and ``client_msg_id`` within 10 minutes; the SMS API
checks the request's HMAC-SHA1 signature with the configured secret.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from aiosmtpd.controller import Controller

from channels.sms import signature


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# --- SMTP ------------------------------------------------------------------------------------------
@dataclass
class MailBox:
    """What the SMTP server received; ``delay_s`` holds the answer to DATA (a slow server)."""

    mails: list[EmailMessage] = field(default_factory=list)
    delay_s: float = 0.0
    refuse: set[str] = field(default_factory=set)  # recipients answered 550
    data_commands: int = 0  # messages the server began to take (arrived or not)
    data_for: list[str] = field(default_factory=list)  # their recipients, in order

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          options: Any) -> str:  # fmt: skip
        if address in self.refuse:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.data_commands += 1
        self.data_for.extend(envelope.rcpt_tos)
        if self.delay_s:
            import asyncio

            await asyncio.sleep(self.delay_s)
        mail = message_from_bytes(envelope.original_content, policy=policy.default)
        assert isinstance(mail, EmailMessage)
        self.mails.append(mail)
        return "250 Message accepted for delivery"


@contextmanager
def smtp_server() -> Iterator[tuple[MailBox, int]]:
    box = MailBox()
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield box, port
    finally:
        controller.stop()


# --- WeChat and SMS over HTTP ----------------------------------------------------------------------
@dataclass
class Scripted:
    """The next answers of one API: "ok", an error code, or "hang" (no answer in time)."""

    answers: list[str] = field(default_factory=list)

    def next(self) -> str:
        return self.answers.pop(0) if self.answers else "ok"


@dataclass
class FakeApis:
    sms_secret: str = "sms-secret"
    wechat: Scripted = field(default_factory=Scripted)
    sms: Scripted = field(default_factory=Scripted)
    hang_s: float = 3.0
    requests: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    delivered_wechat: list[dict[str, Any]] = field(default_factory=list)
    delivered_sms: list[dict[str, str]] = field(default_factory=list)
    oauth_codes: dict[str, str] = field(default_factory=dict)  # code → openid
    _seen_keys: dict[tuple[str, str], float] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def template_send(self, body: dict[str, Any]) -> dict[str, Any]:
        answer = self.wechat.next()
        if answer == "hang":
            time.sleep(self.hang_s)
        key = (str(body.get("touser")), str(body.get("client_msg_id")))
        with self.lock:
            seen = self._seen_keys.get(key)
            if seen is not None and time.time() - seen < 600:
                return {"errcode": 0, "errmsg": "ok", "msgid": -1}  # a repeat: dropped
            if answer not in ("ok", "hang"):
                return {"errcode": int(answer), "errmsg": f"error {answer}"}
            self._seen_keys[key] = time.time()
            self.delivered_wechat.append(body)
            return {"errcode": 0, "errmsg": "ok", "msgid": len(self.delivered_wechat)}

    def send_sms(self, params: dict[str, str]) -> tuple[int, dict[str, Any]]:
        given = params.pop("Signature", "")
        if given != signature(params, self.sms_secret):
            return 400, {"Code": "SignatureDoesNotMatch", "Message": "bad signature"}
        answer = self.sms.next()
        if answer == "hang":
            time.sleep(self.hang_s)
        if answer not in ("ok", "hang"):
            return 200, {"Code": answer, "Message": answer}
        self.delivered_sms.append(params)
        return 200, {"Code": "OK", "Message": "OK", "BizId": f"biz-{len(self.delivered_sms)}"}


def _handler(apis: FakeApis) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def _answer(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            query = dict(parse_qsl(parts.query, keep_blank_values=True))
            apis.requests.append((parts.path, dict(query)))
            if parts.path == "/cgi-bin/token":
                self._answer(200, {"access_token": "TOKEN-1", "expires_in": 7200})
            elif parts.path == "/sns/oauth2/access_token":
                openid = apis.oauth_codes.pop(query.get("code", ""), "")
                if openid:
                    self._answer(200, {"access_token": "A", "expires_in": 7200,
                                       "refresh_token": "R", "openid": openid,
                                       "scope": "snsapi_base"})  # fmt: skip
                else:
                    self._answer(200, {"errcode": 40029, "errmsg": "invalid code"})
            elif parts.path == "/sms/":
                self._answer(*apis.send_sms(query))
            else:
                self._answer(404, {"errcode": 404})

        def do_POST(self) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length", "0"))
            body = json.loads(self.rfile.read(length) or b"{}")
            apis.requests.append((parts.path, body))
            if parts.path == "/cgi-bin/message/template/send":
                self._answer(200, apis.template_send(body))
            else:
                self._answer(404, {"errcode": 404})

    return Handler


@contextmanager
def fake_apis(apis: FakeApis | None = None) -> Iterator[tuple[FakeApis, str]]:
    """The APIs on a local port; yields them and their base URL."""
    apis = apis or FakeApis()
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), _handler(apis))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield apis, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
