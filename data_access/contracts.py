"""Recording a community's contract terms (fee, service level, period, targets).

A community read from an operational system starts with a contract whose targets are the
product's defaults and whose fee and service level are unknown (None, shown as 未登记). The
company records the real terms here, on the command line (``manage.py contracts record``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from sqlalchemy.orm import Session

from data_access.communities import community_id_by_code, community_zone
from data_access.errors import DomainError
from data_access.models import ServiceContract
from data_access.tickets.ticket_commands import contract_in_force
from data_access.timestamps import local_date

TARGET_NAMES = (
    "plan_completion",
    "actual_completion",
    "timeliness",
    "rectification",
    "satisfaction",
    "reply_timeliness",
)
FEE_MAX = Decimal("999.99")
LEVEL_MAX = 16


def parse_targets(values: list[str]) -> dict[str, float]:
    """``["timeliness=0.9", …]`` → ``{"target_timeliness": 0.9}``; rates in 0–1, satisfaction
    a mean score in 1–5."""
    targets: dict[str, float] = {}
    for value in values:
        name, _, number = value.partition("=")
        name = name.strip()
        try:
            parsed = float(number)
        except ValueError:
            parsed = float("nan")
        low, high = (1.0, 5.0) if name == "satisfaction" else (0.0, 1.0)
        if name not in TARGET_NAMES or not low <= parsed <= high:
            raise DomainError("contract.bad_target", value=value, known=", ".join(TARGET_NAMES))
        targets[f"target_{name}"] = parsed
    return targets


def parse_fee(value: str) -> Decimal:
    try:
        fee = Decimal(value.strip())
    except InvalidOperation:
        fee = Decimal("-1")
    if not (Decimal("0") < fee <= FEE_MAX) or fee != fee.quantize(Decimal("0.01")):
        raise DomainError("contract.bad_fee", value=value)
    return fee


@dataclass(frozen=True)
class TermChange:
    name: str
    before: str
    after: str


def record_contract_terms(
    *,
    session: Session,
    community_code: str,
    now: dt.datetime,
    fee: Decimal | None = None,
    level: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    targets: dict[str, float] | None = None,
) -> list[TermChange]:
    """Record terms on the contract in force today (the community's local day at ``now``, naive
    UTC); returns what changed (before → after).

    Targets apply to every period the contract covers, past months included: the contract is
    the same document, now written down correctly."""
    community_id = community_id_by_code(session=session, code=community_code)
    today = local_date(now, community_zone(session, community_id))
    contract = contract_in_force(session, community_id, today)
    if contract is None:
        raise DomainError("contract.none_in_force", code=community_code, day=f"{today:%Y-%m-%d}")
    if level is not None and not (0 < len(level.strip()) <= LEVEL_MAX):
        raise DomainError("contract.bad_level", value=level)
    new_start = start or contract.start_date
    new_end = end or contract.end_date
    if new_start > new_end or not new_start <= today <= new_end:
        raise DomainError("contract.bad_period", start=f"{new_start}", end=f"{new_end}")
    wanted: dict[str, object] = {
        "fee_per_m2_month": fee,
        "service_level": level.strip() if level is not None else None,
        "start_date": start,
        "end_date": end,
        **(targets or {}),
    }
    changes = []
    for name, value in wanted.items():
        if value is None or getattr(contract, name) == value:
            continue
        changes.append(TermChange(name, _shown(getattr(contract, name)), _shown(value)))
        setattr(contract, name, value)
    return changes


def _shown(value: object) -> str:
    return "未登记 / not recorded" if value is None else str(value)


__all__ = ["ServiceContract", "TermChange", "parse_fee", "parse_targets", "record_contract_terms"]
