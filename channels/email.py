"""E-mail over SMTP (``SMTP_URL``): plain text, in the recipient's language.

The message's ``Message-ID`` is built from the row's idempotency key, so a mail client can
tell a repeat; SMTP itself has no way to refuse one, so this channel does not claim to take an
idempotency key: an interrupted send becomes "unknown" (``delivery``).
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate

from channels.text import render
from data_access.outbox.delivery import Failed, NoAnswer, Outcome, OutgoingMessage, Sent
from data_access.outbox.settings import SmtpSettings
from i18n import translate

TIMEOUT_S = 15.0


class EmailSender:
    accepts_idempotency_key = False

    def __init__(self, settings: SmtpSettings, base_url: str) -> None:
        self.settings = settings
        self.base_url = base_url

    def compose(self, message: OutgoingMessage) -> EmailMessage:
        text = render(message, self.base_url)
        mail = EmailMessage()
        mail["From"] = self.settings.sender
        mail["To"] = message.address
        mail["Subject"] = f"{translate('app.title', message.language)} · {text.headline}"
        mail["Date"] = formatdate(localtime=False)
        domain = self.settings.sender.rpartition("@")[2] or "localhost"
        mail["Message-ID"] = f"<{message.idempotency_key}@{domain}>"
        mail.set_content(text.body)
        return mail

    def send(self, message: OutgoingMessage) -> Outcome:
        mail = self.compose(message)
        try:
            client = self._connect()
        except (OSError, smtplib.SMTPException) as error:  # nothing left our side
            return Failed(f"cannot reach the mail server: {error}")
        try:
            with client:
                refused = client.send_message(mail)
        except smtplib.SMTPRecipientsRefused as error:
            return Failed(f"address refused: {error.recipients}", permanent=True)
        except smtplib.SMTPResponseException as error:
            detail = f"{error.smtp_code} {error.smtp_error!r}"
            return Failed(f"mail server said {detail}", permanent=error.smtp_code >= 500)
        except (TimeoutError, smtplib.SMTPServerDisconnected) as error:
            return NoAnswer(f"{type(error).__name__}: {error}")
        if refused:
            return Failed(f"address refused: {sorted(refused)}", permanent=True)
        return Sent(provider_id=mail["Message-ID"])

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        client: smtplib.SMTP
        if s.tls:
            client = smtplib.SMTP_SSL(s.host, s.port, timeout=TIMEOUT_S,
                                      context=ssl.create_default_context())  # fmt: skip
        else:
            client = smtplib.SMTP(s.host, s.port, timeout=TIMEOUT_S)
        try:
            client.ehlo()
            if s.starttls:
                client.starttls(context=ssl.create_default_context())
                client.ehlo()
            if s.username:
                client.login(s.username, s.password)
        except BaseException:
            client.close()
            raise
        return client
