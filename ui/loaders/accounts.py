"""Reads of the managers' accounts page (uncached: a manager acting on one account must see
the result at once, and the list is small)."""

from __future__ import annotations

from data_access.accounts import owner_accounts
from data_access.accounts.auth import Viewer
from data_access.accounts.owner_accounts import OwnerAccount
from data_access.communities import AreaChoice
from ui.database import read_primary
from ui.loaders.orders import areas


def find(viewer: Viewer, text: str, state: str) -> list[OwnerAccount]:
    return read_primary(owner_accounts.find_accounts, viewer=viewer, text=text, state=state)


def buildings(viewer: Viewer) -> list[AreaChoice]:
    return [area for area in areas(viewer) if area.kind == "building"]
