"""Reads of the announcements and public-money pages.

The lists are read uncached: they depend on the viewer (their buildings, what they have read)
and are small. The Overview's notices in force are read once per community and minute, keyed by
the community's data version like every figure (a new notice bumps it), and chosen for the
viewer by their buildings (a read per visitor was a twenty-fifth of a new owner's visit)."""

from __future__ import annotations

import datetime as dt

from data_access.accounts.auth import Viewer
from data_access.communities import community_name
from data_access.governance import announcements, ledger, questions, votes
from data_access.governance.announcements import (
    AnnouncementPdf,
    AnnouncementView,
    CurrentNotice,
    ReadReceipts,
    notices_for_viewer,
    pdf_path,
)
from data_access.governance.ledger import MonthFigures, MonthLedger
from data_access.governance.questions import QuestionView
from data_access.governance.votes import CoOwnedHome, NamedBallot, Participation, PollView, Tally
from data_access.media.photos import current_media_dir
from ui.database import read
from ui.loaders.cache import community_cache

CURRENT_TTL_SECONDS = 60


def announcement_list(viewer: Viewer, now: dt.datetime) -> list[AnnouncementView]:
    return read(announcements.announcements_for, viewer=viewer, now=now)


def current_notices(
    viewer: Viewer, now: dt.datetime, own_buildings: frozenset[int]
) -> list[CurrentNotice]:
    """The notices in force for the viewer (the Overview), ``now`` to the minute;
    ``own_buildings``: the buildings of the viewer's homes (``ui.context.own_units``)."""
    notices = community_current_notices(viewer.community_id, viewer.is_manager, now)
    return notices_for_viewer(notices, viewer, own_buildings)


@community_cache(ttl=CURRENT_TTL_SECONDS)
def community_current_notices(
    community_id: int, unmasked: bool, now: dt.datetime
) -> list[CurrentNotice]:
    return read(
        announcements.community_current_notices, community_id=community_id, unmasked=unmasked,
        now=now,
    )  # fmt: skip


def receipts(viewer: Viewer, announcement_id: int) -> ReadReceipts:
    return read(announcements.read_receipts, viewer=viewer, announcement_id=announcement_id)


def announcement_pdf_bytes(pdf: AnnouncementPdf) -> bytes:
    """A PDF of a notice the viewer was shown (``announcement_list`` checked who may see it)."""
    return pdf_path(pdf.sha256, current_media_dir()).read_bytes()


def month(viewer: Viewer, month_start: dt.date, now: dt.datetime) -> MonthLedger | None:
    return read(ledger.month_ledger, viewer=viewer, month_start=month_start, now=now)


def months(viewer: Viewer, until: dt.date) -> list[MonthFigures]:
    return read(ledger.ledger_months, viewer=viewer, until=until)


def month_questions(viewer: Viewer, month_start: dt.date) -> list[QuestionView]:
    return read(questions.month_questions, viewer=viewer, month_start=month_start)


def name_of_community(viewer: Viewer) -> str:
    return read(community_name, community_id=viewer.community_id)


def poll_list(viewer: Viewer, now: dt.datetime) -> list[PollView]:
    return read(votes.polls_for, viewer=viewer, now=now)


def poll_tally(viewer: Viewer, poll_id: int, now: dt.datetime) -> Tally | Participation | None:
    return read(votes.tally_for, viewer=viewer, poll_id=poll_id, now=now)


def poll_ballots(viewer: Viewer, poll_id: int, now: dt.datetime) -> list[NamedBallot]:
    return read(votes.named_ballots, viewer=viewer, poll_id=poll_id, now=now)


def poll_roll(viewer: Viewer, poll_id: int) -> tuple[int, int]:
    return read(votes.roll_summary, viewer=viewer, poll_id=poll_id)


def co_owned_homes(viewer: Viewer) -> list[CoOwnedHome]:
    return read(votes.my_co_owned_units, viewer=viewer)
