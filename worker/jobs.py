"""The background jobs and their default intervals.

Each job takes a session factory (fenced by the worker: its writes happen only while the worker
holds the lease) and the current time (naive UTC), and returns a one-line summary."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from data_access.accounts.login_security import prune_logins
from data_access.alerts.rules import run_alerts
from data_access.db import write_session
from data_access.errors import DomainError
from data_access.governance.votes import publish_closed_polls
from data_access.jobs.runs import JobSummary
from data_access.media.photos import current_media_dir
from data_access.media.retention import purge_private_photos
from data_access.outbox.delivery import deliver_due
from data_access.outbox.settings import ChannelSettings, channel_settings
from data_access.settings import private_photo_retention_days
from data_access.sync.sources import HcSource
from data_access.tickets.ticket_commands import auto_close_due_tickets

JobFunction = Callable[[sessionmaker[Session], dt.datetime], JobSummary]


@dataclass(frozen=True)
class Job:
    name: str
    every: dt.timedelta
    run: JobFunction


def close_unconfirmed_tickets(factory: sessionmaker[Session], now: dt.datetime) -> JobSummary:
    """Tickets the owner left unconfirmed past the contract's days are closed."""
    with write_session(factory) as session:
        closed = auto_close_due_tickets(session=session, now=now)
    return JobSummary("tickets", {"closed": closed})


def bring_alerts_in_step(factory: sessionmaker[Session], now: dt.datetime) -> JobSummary:
    """New alerts raised, those whose cause ended resolved. After the tickets (the worker runs
    jobs in this module's order): a ticket closed just now ends its alerts in the same round."""
    with write_session(factory) as session:
        report = run_alerts(session=session, now=now)
    return JobSummary("alerts", {"raised": report.raised, "resolved": report.auto_resolved,
                                 "reopened": report.reopened, "open": report.still_open})  # fmt: skip


def publish_poll_results(factory: sessionmaker[Session], now: dt.datetime) -> JobSummary:
    """The results of polls that have closed are published to the owners they asked (their
    messages queued with it). Before the outbox in a round, so the news leaves in that round."""
    with write_session(factory) as session:
        published = publish_closed_polls(session=session, now=now)
    return JobSummary("polls", {"published": published})


def purge_expired_private_photos(factory: sessionmaker[Session], now: dt.datetime) -> JobSummary:
    """Photos of in-home orders past their retention period are removed (rows and files)."""
    days = private_photo_retention_days()
    with write_session(factory) as session:
        report = purge_private_photos(
            session=session, now=now, days=days, media_dir=current_media_dir()
        )
    return JobSummary("photos", {"photos": report.attachments, "orders": report.orders})


def prune_old_logins(factory: sessionmaker[Session], now: dt.datetime) -> JobSummary:
    """Login attempts and dead login sessions older than a day are removed: the login tables
    stay as large as a day of logins plus the live sessions."""
    with write_session(factory) as session:
        pruned = prune_logins(session=session, now=now)
    return JobSummary("logins", {"attempts": pruned.attempts, "sessions": pruned.sessions})


def deliver_messages(factory: sessionmaker[Session], now: dt.datetime) -> JobSummary:
    """The outbox's due messages sent on their channels (nothing when none is configured)."""
    from channels import senders_from

    settings = channel_settings()
    report = deliver_due(factory, _senders(settings, senders_from), now)
    return JobSummary("outbox", {key: report.as_dict()[key] for key in OUTBOX_FIGURES})


OUTBOX_FIGURES = ("sent", "retried", "failed", "unknown", "digests", "postponed")


@lru_cache(maxsize=4)
def _senders(settings: ChannelSettings, build: Callable[[ChannelSettings], dict[str, Any]]) -> Any:
    """The senders for these settings, kept between rounds (WeChat's access token lives 2 h)."""
    return build(settings)


def sync_hc_job(source: HcSource) -> JobFunction:
    """A run of the HC connector (incremental; full when the last full one is a day old)."""

    def run(factory: sessionmaker[Session], now: dt.datetime) -> JobSummary:
        from connectors.hc.sync import sync_hc

        try:
            outcome = sync_hc(
                factory=factory,
                url=source.url,
                communities=source.communities or None,
                now=now,
                source_zone=source.time_zone,
                photo_base=source.photo_base,
                photo_hosts=source.photo_hosts,
                full_every=source.full_every,
            )
        except DomainError as error:  # the run is recorded in sync_runs too
            raise JobFailed(error.message("en")) from None
        report = outcome.as_dict()
        key = "sync_full" if report["full"] else "sync_incremental"
        return JobSummary(key, {"communities": ", ".join(c["code"] for c in report["communities"])})

    return run


class JobFailed(RuntimeError):
    """A job that ran and failed for a reason it could name (recorded as the run's error)."""


DEFAULT_EVERY: Mapping[str, dt.timedelta] = {
    "tickets": dt.timedelta(minutes=5),
    "alerts": dt.timedelta(minutes=5),
    "photos": dt.timedelta(days=1),
    "logins": dt.timedelta(hours=1),
    "polls": dt.timedelta(minutes=1),
    "outbox": dt.timedelta(seconds=30),
}


def standard_jobs(
    sources: list[HcSource], every: Mapping[str, dt.timedelta] | None = None
) -> list[Job]:
    """The product's jobs, in the order a round runs them, with ``every`` overriding the
    default intervals."""
    intervals = {**DEFAULT_EVERY, **(every or {})}
    jobs = [
        Job("tickets", intervals["tickets"], close_unconfirmed_tickets),
        Job("alerts", intervals["alerts"], bring_alerts_in_step),
        Job("photos", intervals["photos"], purge_expired_private_photos),
        Job("logins", intervals["logins"], prune_old_logins),
        Job("polls", intervals["polls"], publish_poll_results),
        Job("outbox", intervals["outbox"], deliver_messages),
    ]
    for source in sources:
        every_source = intervals.get(source.job_name, source.every)
        jobs.append(Job(source.job_name, every_source, sync_hc_job(source)))
    return jobs
