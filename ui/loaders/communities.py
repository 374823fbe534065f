"""Cached reads about the viewer's community: its people, for the forms that need them."""

from __future__ import annotations

from data_access.accounts.auth import Viewer
from data_access.communities import OwnerChoice, list_owner_choices
from data_access.sync.status import SyncStatus
from data_access.sync.status import sync_status as read_sync_status
from ui.database import read
from ui.loaders.cache import community_cache


@community_cache(ttl=60)
def owner_choices(viewer: Viewer) -> list[OwnerChoice]:
    """Keyed by the viewer: the list is for managers only (the data layer refuses others)."""
    return read(list_owner_choices, viewer=viewer)


@community_cache(ttl=60)
def sync_status(community_id: int) -> SyncStatus | None:
    """Whether the community's data comes from an operational system, and how fresh it is
    (read once a minute: it changes only when a sync runs)."""
    return read(read_sync_status, community_id=community_id)
