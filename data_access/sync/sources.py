"""The operational systems a company has configured, read from ``[sources.hc]`` in
``.streamlit/secrets.toml`` (the URL holds a password: never in the repository).

```toml
[sources.hc]
url = "mysql+pymysql://reader:PASS@hc-db:3306/hc"
communities = { "702020042194860037" = "CUIHU" }   # HC community id = our code; none: all
photo_base = "https://files.example/hc/"
photo_hosts = ["files.example"]
time_zone = "…"                      # HC's local time (IANA name; default: the product's zone)
every_seconds = 300                  # how often the worker syncs (default 300)
full_every_hours = 24                # a full reconciliation at least this often (default 24)
repair_channel = "翠湖物业公众号 → 我要报修,或服务中心 0571-8888 0000"  # where owners report repairs
```
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from data_access.db import SECRETS_PATH
from data_access.errors import DomainError
from data_access.timestamps import DEFAULT_TIME_ZONE

DEFAULT_SYNC_EVERY = dt.timedelta(minutes=5)
DEFAULT_FULL_EVERY = dt.timedelta(hours=24)
MIN_SYNC_EVERY = dt.timedelta(seconds=10)


@dataclass(frozen=True)
class HcSource:
    url: str
    communities: dict[str, str] = field(default_factory=dict)
    photo_base: str = ""
    photo_hosts: tuple[str, ...] = ()
    time_zone: str = DEFAULT_TIME_ZONE
    every: dt.timedelta = DEFAULT_SYNC_EVERY
    full_every: dt.timedelta = DEFAULT_FULL_EVERY
    repair_channel: str = ""  # where the company takes repairs (shown on 我要报修)

    @property
    def job_name(self) -> str:
        return "sync_hc"


def configured_sources(path: Path = SECRETS_PATH) -> list[HcSource]:
    """The sources in ``path`` (empty when it has none). A malformed entry is a
    ``DomainError`` naming the key: a typo must not silently stop a company's sync."""
    if not path.exists():
        return []
    with path.open("rb") as f:
        config = tomllib.load(f)
    sources = config.get("sources", {})
    if not isinstance(sources, dict) or "hc" not in sources:
        return []
    hc = sources["hc"]
    if not isinstance(hc, dict) or not isinstance(hc.get("url"), str) or not hc["url"].strip():
        raise DomainError("sources.bad", setting="sources.hc.url")
    communities = hc.get("communities", {})
    hosts = hc.get("photo_hosts", [])
    every = hc.get("every_seconds", DEFAULT_SYNC_EVERY.total_seconds())
    full_hours = hc.get("full_every_hours", DEFAULT_FULL_EVERY.total_seconds() / 3600)
    if not isinstance(communities, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in communities.items()
    ):
        raise DomainError("sources.bad", setting="sources.hc.communities")
    if not isinstance(hosts, list) or not all(isinstance(h, str) for h in hosts):
        raise DomainError("sources.bad", setting="sources.hc.photo_hosts")
    if not isinstance(every, int | float) or dt.timedelta(seconds=every) < MIN_SYNC_EVERY:
        raise DomainError("sources.bad", setting="sources.hc.every_seconds")
    if not isinstance(full_hours, int | float) or full_hours <= 0:
        raise DomainError("sources.bad", setting="sources.hc.full_every_hours")
    return [
        HcSource(
            url=hc["url"].strip(),
            communities=dict(communities),
            photo_base=str(hc.get("photo_base", "")),
            photo_hosts=tuple(hosts),
            time_zone=str(hc.get("time_zone", DEFAULT_TIME_ZONE)),
            every=dt.timedelta(seconds=every),
            full_every=dt.timedelta(hours=full_hours),
            repair_channel=str(hc.get("repair_channel", "")).strip()[:200],
        )
    ]
