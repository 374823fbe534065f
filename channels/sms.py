"""SMS through Aliyun's SendSms API (RPC style, signature version 1.0, HMAC-SHA1).

The company's SMS template (``SMS_TEMPLATE_CODE``, approved by Aliyun under ``SMS_SIGN_NAME``)
receives three variables: ``event`` (what happened), ``ref`` (the record's reference) and
``link`` (the page; "" without a base URL) — e.g. 「您的${ref}：${event}。详情：${link}」.
SendSms has no idempotency key (``OutId`` is only echoed in receipts), so an interrupted send
becomes "unknown" rather than being sent again. The endpoint is configurable
(``SMS_ENDPOINT``): the tests run it against a local server that checks the signature.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import uuid
from collections.abc import Mapping
from urllib.parse import quote

import requests

from channels.text import render
from data_access.models import PASSWORD_CODE
from data_access.outbox.delivery import Failed, NoAnswer, Outcome, OutgoingMessage, Sent
from data_access.outbox.settings import SmsSettings

TIMEOUT_S = 10.0
VARIABLE_CHARS = 35  # Aliyun's limit for one template variable
PERMANENT_CODES = {
    "isv.MOBILE_NUMBER_ILLEGAL",
    "isv.INVALID_PARAMETERS",
    "isv.SMS_TEMPLATE_ILLEGAL",
    "isv.SMS_SIGNATURE_ILLEGAL",
    "isv.BLACK_KEY_CONTROL_LIMIT",
}


def percent_encode(text: str) -> str:
    """Aliyun's encoding: RFC 3986, space as %20, ``~`` kept."""
    return quote(text, safe="~")


def signature(params: Mapping[str, str], secret: str, method: str = "GET") -> str:
    canonical = "&".join(
        f"{percent_encode(k)}={percent_encode(v)}" for k, v in sorted(params.items())
    )
    to_sign = f"{method}&{percent_encode('/')}&{percent_encode(canonical)}"
    digest = hmac.new(f"{secret}&".encode(), to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


class AliyunSmsSender:
    accepts_idempotency_key = False

    def __init__(self, settings: SmsSettings, base_url: str) -> None:
        self.settings = settings
        self.base_url = base_url
        self.http = requests.Session()

    def params(self, message: OutgoingMessage, now: dt.datetime | None = None) -> dict[str, str]:
        text = render(message, self.base_url)
        variables = {
            "event": text.headline[:VARIABLE_CHARS],
            # a password code travels as the reference: it is what the person must read
            "ref": (message.note if message.event_type == PASSWORD_CODE else message.ref)[
                :VARIABLE_CHARS
            ],
            "link": text.link,
        }
        moment = now or dt.datetime.now(dt.UTC)
        params = {
            "AccessKeyId": self.settings.access_key_id,
            "Action": "SendSms",
            "Format": "JSON",
            "OutId": message.idempotency_key,
            "PhoneNumbers": message.address,
            "RegionId": "cn-hangzhou",
            "SignName": self.settings.sign_name,
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": uuid.uuid4().hex,
            "SignatureVersion": "1.0",
            "TemplateCode": self.settings.template_code,
            "TemplateParam": json.dumps(variables, ensure_ascii=False),
            "Timestamp": moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": "2017-05-25",
        }
        params["Signature"] = signature(params, self.settings.access_key_secret)
        return params

    def send(self, message: OutgoingMessage) -> Outcome:
        try:
            answer = self.http.get(
                self.settings.endpoint, params=self.params(message), timeout=TIMEOUT_S
            )
        except (requests.ConnectionError, requests.ConnectTimeout) as error:
            return Failed(f"cannot reach the SMS API: {type(error).__name__}")
        except requests.Timeout as error:
            return NoAnswer(f"the SMS API did not answer: {type(error).__name__}")
        try:
            body = answer.json()
        except ValueError:
            return Failed(f"the SMS API answered HTTP {answer.status_code}")
        code = str(body.get("Code", "")) if isinstance(body, dict) else ""
        if code == "OK":
            return Sent(provider_id=str(body.get("BizId", "")))
        reason = f"SMS API {code or answer.status_code}: {body.get('Message', '')}"
        return Failed(reason, permanent=code in PERMANENT_CODES)
