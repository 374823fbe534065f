"""What each person wants to hear about, where, and when not.

A person chooses per event type and channel (``NotificationChoice`` rows; without one the
default: WeChat and e-mail on, SMS off — it costs the company per message, so a person turns it
on), the order in which channels are tried (``Account.channel_order``), and quiet hours in their
community's local time (``Account.quiet_hours``; urgent messages ignore them).

A message goes to the first channel in the person's order that is switched on for the event
type, configured by the company and reachable (an address, a bound openid, a phone); when that
channel fails for the person, the next one is tried (``data_access.outbox.delivery``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from data_access.errors import DomainError
from data_access.models import (
    CHANNELS,
    OUTBOX_EVENT_TYPES,
    PASSWORD_CODE,
    Account,
    Community,
    NotificationChoice,
)

DEFAULT_ORDER: tuple[str, ...] = ("wechat", "email", "sms")
DEFAULT_ON = frozenset({"wechat", "email"})
DEFAULT_QUIET = (dt.time(22, 0), dt.time(7, 0))
DEFAULT_QUIET_TEXT = "22:00-07:00"
# Which event types each role can hear about (the settings page shows only these).
EVENT_TYPES_BY_ROLE: Mapping[str, tuple[str, ...]] = {
    "owner": (
        "order_step",
        "order_to_rate",
        "ticket_move",
        "rating_reply",
        "announcement",
        "question_answer",
        "poll",
        "poll_result",
        "poll_reminder",
        "followed_order",
        "followed_ticket",
    ),
    "committee": (
        "order_step",
        "order_to_rate",
        "ticket_move",
        "rating_reply",
        "announcement",
        "question_answer",
        "poll",
        "poll_result",
        "poll_reminder",
        "followed_order",
        "followed_ticket",
    ),
    "manager": ("alert",),
}
_QUIET_PATTERN = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$")


class ChoiceError(DomainError):
    """A choice the settings page cannot keep."""


@dataclass(frozen=True)
class Reach:
    """How one person can be reached and what they chose."""

    account_id: int
    community_id: int
    role: str
    language: str
    time_zone: str
    email: str
    phone: str
    wechat_openid: str
    order: tuple[str, ...]
    quiet: tuple[dt.time, dt.time] | None  # None: no quiet hours
    choices: Mapping[tuple[str, str], bool] = field(default_factory=dict)

    def address(self, channel: str) -> str:
        """The person's address on the channel ("" when they have none)."""
        return {"email": self.email, "wechat": self.wechat_openid, "sms": self.phone}[channel]

    def wants(self, event_type: str, channel: str) -> bool:
        if event_type == PASSWORD_CODE:  # asked for just now: any channel that reaches them
            return True
        return self.choices.get((event_type, channel), channel in DEFAULT_ON)

    def channels_for(self, event_type: str, configured: Iterable[str]) -> list[str]:
        """The channels to try for an event type, in the person's order: switched on by them,
        configured by the company, and with an address."""
        on = set(configured)
        return [
            channel
            for channel in self.order
            if channel in on and self.wants(event_type, channel) and self.address(channel)
        ]


def parse_order(text: str | None) -> tuple[str, ...]:
    """A stored channel order, completed with the channels it leaves out."""
    named = [c for c in (text or "").split(",") if c in CHANNELS]
    chosen = list(dict.fromkeys(named))
    return tuple(chosen + [c for c in DEFAULT_ORDER if c not in chosen])


def parse_quiet_hours(text: str | None) -> tuple[dt.time, dt.time] | None:
    """ "22:00-07:00" → the two times; None stored → the default; "off" → no quiet hours."""
    if text is None:
        return DEFAULT_QUIET
    if text == "off":
        return None
    match = _QUIET_PATTERN.match(text)
    if match is None:
        raise ChoiceError("error.quiet_hours")
    h1, m1, h2, m2 = (int(part) for part in match.groups())
    return dt.time(h1, m1), dt.time(h2, m2)


def is_quiet(quiet: tuple[dt.time, dt.time] | None, local: dt.datetime) -> bool:
    """Whether a local moment falls in the quiet hours (which may run past midnight)."""
    if quiet is None or quiet[0] == quiet[1]:
        return False
    start, end = quiet
    moment = local.time()
    return start <= moment < end if start < end else moment >= start or moment < end


def quiet_end(quiet: tuple[dt.time, dt.time], local: dt.datetime) -> dt.datetime:
    """The local moment the quiet hours containing ``local`` end."""
    end = dt.datetime.combine(local.date(), quiet[1])
    return end if end > local else end + dt.timedelta(days=1)


def reach_of(session: Session, account_ids: Iterable[int]) -> dict[int, Reach]:
    """How each of these (active) accounts can be reached: two queries for any number."""
    wanted = sorted(set(account_ids))
    if not wanted:
        return {}
    accounts = session.execute(
        select(Account, Community.time_zone)
        .join(Community, Community.id == Account.community_id)
        .where(Account.id.in_(wanted), Account.is_active.is_(True))
    ).all()
    choices: dict[int, dict[tuple[str, str], bool]] = {}
    for row in session.scalars(
        select(NotificationChoice).where(NotificationChoice.account_id.in_(wanted))
    ):
        choices.setdefault(row.account_id, {})[(row.event_type, row.channel)] = row.enabled
    return {
        account.id: Reach(
            account_id=account.id,
            community_id=account.community_id,
            role=account.role,
            language=account.language or "zh",
            time_zone=time_zone,
            email=account.email or "",
            phone=account.phone or "",
            wechat_openid=account.wechat_openid or "",
            order=parse_order(account.channel_order),
            quiet=_stored_quiet(account.quiet_hours),
            choices=choices.get(account.id, {}),
        )
        for account, time_zone in accounts
    }


def _stored_quiet(text: str | None) -> tuple[dt.time, dt.time] | None:
    try:
        return parse_quiet_hours(text)
    except ChoiceError:
        return DEFAULT_QUIET


# --- the person's own settings page ----------------------------------------------------------------
@dataclass(frozen=True)
class MySettings:
    event_types: tuple[str, ...]
    choices: Mapping[tuple[str, str], bool]  # every (event type, channel) of the role
    order: tuple[str, ...]
    quiet_hours: str  # "22:00-07:00" or "off"
    email: str
    phone: str
    wechat_bound: bool


def my_settings(*, session: Session, account_id: int) -> MySettings:
    reach = reach_of(session, [account_id])[account_id]
    types = EVENT_TYPES_BY_ROLE.get(reach.role, ())
    quiet = reach.quiet
    return MySettings(
        event_types=types,
        choices={(e, c): reach.wants(e, c) for e in types for c in CHANNELS},
        order=reach.order,
        quiet_hours="off" if quiet is None else f"{quiet[0]:%H:%M}-{quiet[1]:%H:%M}",
        email=reach.email,
        phone=reach.phone,
        wechat_bound=bool(reach.wechat_openid),
    )


_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,185}\.[^@\s]{2,}$")


def save_my_settings(
    *,
    session: Session,
    account_id: int,
    choices: Mapping[tuple[str, str], bool],
    order: Iterable[str],
    quiet_hours: str,
    email: str,
) -> None:
    """Keep the person's own choices (in the caller's write session). Only the event types of
    their role are kept; the address must look like one."""
    account = session.get(Account, account_id)
    if account is None or not account.is_active:
        raise ChoiceError("error.account_gone")
    email = email.strip()
    if email and (len(email) > 254 or not _EMAIL.match(email)):
        raise ChoiceError("error.email_address")
    parse_quiet_hours(quiet_hours)  # refuses a malformed one
    allowed = set(EVENT_TYPES_BY_ROLE.get(account.role, ()))
    unknown = {e for e, c in choices if e not in OUTBOX_EVENT_TYPES or c not in CHANNELS}
    if unknown:
        raise ChoiceError("error.notification_choice")
    account.email = email
    account.quiet_hours = None if quiet_hours == DEFAULT_QUIET_TEXT else quiet_hours
    account.channel_order = ",".join(parse_order(",".join(order)))
    session.execute(delete(NotificationChoice).where(NotificationChoice.account_id == account_id))
    session.add_all(
        NotificationChoice(account_id=account_id, event_type=e, channel=c, enabled=on)
        for (e, c), on in choices.items()
        if e in allowed and on != (c in DEFAULT_ON)
    )


def bind_wechat(*, session: Session, account_id: int, openid: str) -> None:
    """The account's WeChat openid (from the official account's OAuth). One WeChat user reaches
    one account: an openid bound elsewhere before moves here."""
    openid = openid.strip()
    if not openid or len(openid) > 64:
        raise ChoiceError("error.wechat_bind")
    account = session.get(Account, account_id)
    if account is None or not account.is_active:
        raise ChoiceError("error.account_gone")
    for other in session.scalars(select(Account).where(Account.wechat_openid == openid)):
        if other.id != account_id:
            other.wechat_openid = None
    session.flush()
    account.wechat_openid = openid


def unbind_wechat(*, session: Session, account_id: int) -> None:
    account = session.get(Account, account_id)
    if account is not None:
        account.wechat_openid = None
