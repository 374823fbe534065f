"""What a message says, in the recipient's language (the catalog's ``msg.*`` strings).

Every channel words the same facts: a headline (what happened), the record (reference and
title), the note if any, and the link back to the page. Texts were masked before they got here
(``delivery``: the public masker — a message leaves the app, so nobody's personal data in it).
"""

from __future__ import annotations

from dataclasses import dataclass

from data_access.models import PASSWORD_CODE
from data_access.outbox.delivery import DIGEST, OutgoingMessage
from i18n import label, translate

# The page a message links back to (the app's URL paths, ``ui.navigation``).
_PATHS = {
    "order": "order?id={id}",
    "ticket": "ticket?id={id}",
    "alert": "early-warnings",
    "notice": "notice-board?id={id}",
    "ledger": "public-money",
    "poll": "owner-votes",
}
NOTIFICATIONS_PATH = "my-updates"
NOTE_CHARS = 140


@dataclass(frozen=True)
class MessageText:
    headline: str  # one line: what happened
    record: str  # "WO-123 厨房漏水" ("" for a digest)
    body: str  # the whole text, lines joined
    link: str  # "" when no base URL is configured


def link_of(message: OutgoingMessage, base_url: str) -> str:
    if not base_url:
        return ""
    if message.event_type == DIGEST:
        return f"{base_url}/{NOTIFICATIONS_PATH}"
    if message.event_type == PASSWORD_CODE:
        return f"{base_url}/"
    path = _PATHS.get(message.subject, NOTIFICATIONS_PATH)
    return f"{base_url}/{path.format(id=message.subject_id)}"


def headline(event_type: str, code: str, lang: str, *, urgent: bool = False) -> str:
    if event_type in ("order_step", "followed_order"):
        text = translate(f"msg.{event_type}", lang, stage=label("stage", code, lang))
    elif event_type in ("ticket_move", "followed_ticket"):
        text = translate(f"msg.{event_type}", lang, status=label("ticket_status", code, lang))
    elif event_type == "alert":
        text = translate("msg.alert", lang, rule=label("alert_rule", code, lang))
    elif event_type == "announcement":
        text = translate("msg.announcement", lang, kind=label("announcement_kind", code, lang))
    elif event_type in ("poll", "poll_reminder"):
        text = translate(f"msg.{event_type}", lang, rule=label("poll_rule", code, lang))
    elif event_type == "poll_result":
        text = translate("msg.poll_result", lang, result=label("poll_outcome", code, lang))
    elif event_type == DIGEST:
        text = translate("msg.digest", lang, n=code)
    elif event_type == PASSWORD_CODE:
        text = translate("msg.password_code_title", lang)
    else:
        text = translate(f"msg.{event_type}", lang)
    return translate("msg.urgent", lang, text=text) if urgent else text


def render(message: OutgoingMessage, base_url: str) -> MessageText:
    lang = message.language
    line = headline(message.event_type, message.code, lang, urgent=message.urgent)
    record = " ".join(part for part in (message.ref, message.title) if part)
    lines = [line]
    if message.event_type == PASSWORD_CODE:
        lines.append(translate("msg.password_code", lang, code=message.note, minutes=message.code))
    elif message.event_type == DIGEST:
        lines += [
            f"· {headline(item.event_type, item.code, lang)} — {item.ref} {item.title}".rstrip()
            for item in message.items
        ]
    else:
        if record:
            lines.append(record)
        if message.note:
            note = message.note.strip()
            lines.append(note if len(note) <= NOTE_CHARS else note[: NOTE_CHARS - 1] + "…")
    link = link_of(message, base_url)
    if link:
        lines.append(translate("msg.open_link", lang, link=link))
    return MessageText(headline=line, record=record, body="\n".join(lines), link=link)
