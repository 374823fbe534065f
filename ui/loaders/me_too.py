"""What the "me too" and "follow" bar of a public order or ticket shows the viewer."""

from __future__ import annotations

from data_access.accounts.auth import Viewer
from data_access.governance.me_too import Voice, community_counts, voice_of
from ui.database import read
from ui.loaders.cache import community_cache


def voice(viewer: Viewer, subject: str, subject_id: int) -> Voice:
    """Not cached: read when the record's page opens, and right after the viewer's own click."""
    return read(voice_of, viewer=viewer, subject=subject, subject_id=subject_id)


def counts(viewer: Viewer, subject: str, ids: list[int]) -> dict[int, int]:
    """How many owners said "me too" on each record of a board (the same for the community)."""
    return counts_in_community(viewer.community_id, subject, tuple(sorted(ids)))


@community_cache(ttl=15)
def counts_in_community(community_id: int, subject: str, ids: tuple[int, ...]) -> dict[int, int]:
    return read(community_counts, community_id=community_id, subject=subject, ids=ids)
