"""The import page's calls into ``data_access.imports.order_import``. Nothing here is cached: an import
writes, and a check must see the orders as they are now."""

from __future__ import annotations

import streamlit as st

from data_access.accounts.auth import Viewer
from data_access.db import write_session
from data_access.imports.order_import import (
    ImportMapping,
    ImportReport,
    import_orders_for_viewer,
    load_mapping,
    parse_mapping,
    shipped_mappings,
)
from ui.database import session_factory


def mapping_names() -> list[str]:
    """The shipped example mappings (imports/mappings/*.toml), by name."""
    return list(shipped_mappings())


def mapping_text(name: str) -> str:
    return shipped_mappings()[name].read_text(encoding="utf-8")


def mapping(name: str | None, uploaded: bytes | None, uploaded_name: str = "") -> ImportMapping:
    """A shipped mapping by name, or an uploaded TOML (``name`` None)."""
    if name is not None:
        return load_mapping(shipped_mappings()[name])
    return parse_mapping(uploaded or b"", name=uploaded_name)


def import_file(
    viewer: Viewer, file_name: str, data: bytes, mapping: ImportMapping, *, dry_run: bool
) -> ImportReport:
    """Check (``dry_run``) or import an export into the viewer's community."""
    factory = session_factory()
    if dry_run:
        with factory() as session:
            return import_orders_for_viewer(
                session=session, viewer=viewer, community_id=viewer.community_id, data=data,
                mapping=mapping, file_name=file_name, dry_run=True,
            )  # fmt: skip
    with write_session(factory) as session:
        report = import_orders_for_viewer(
            session=session, viewer=viewer, community_id=viewer.community_id, data=data,
            mapping=mapping, file_name=file_name,
        )  # fmt: skip
    if report.created or report.updated:
        st.cache_data.clear()  # every page's cached figures may include the new orders
    return report
