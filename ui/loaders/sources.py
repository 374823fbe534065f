"""Cached read of the 数据来源 page (managers): the community's source and the background jobs."""

from __future__ import annotations

from data_access.accounts.auth import Viewer
from data_access.sync.overview import DataSources
from data_access.sync.overview import data_sources as read_data_sources
from ui.database import read
from ui.loaders.cache import community_cache


@community_cache(ttl=10)
def data_sources(viewer: Viewer) -> DataSources:
    """Keyed by the viewer (managers only; the data layer refuses others). Ten seconds: a
    manager waiting for a requested sync sees it land without reloading twice."""
    return read(read_data_sources, viewer=viewer)
