"""Photo thumbnails with click-to-enlarge, from the content-addressed media folder."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import streamlit as st

from data_access.media.photos import current_media_dir, photo_path, thumbnail_path
from ui.text import t


class PhotoRef(Protocol):
    @property
    def sha256(self) -> str: ...
    @property
    def mime_type(self) -> str: ...
    @property
    def caption(self) -> str: ...


def thumbnail_grid(photos: Sequence[PhotoRef], columns: int = 4, key: str = "photos") -> None:
    """Thumbnails in a grid; each has a popover with the full picture."""
    media = current_media_dir()
    for start in range(0, len(photos), columns):
        for column, photo in zip(
            st.columns(columns), photos[start : start + columns], strict=False
        ):
            thumb = thumbnail_path(photo.sha256, media)
            full = photo_path(photo.sha256, photo.mime_type, media)
            if not thumb.exists():
                column.caption(f":material/broken_image: {t('common.photo_missing')}")
                continue
            column.image(str(thumb), caption=photo.caption or None, width="stretch")
            with column.popover(t("common.enlarge"), icon=":material/zoom_in:", width="stretch"):
                st.image(str(full if full.exists() else thumb), caption=photo.caption or None)
