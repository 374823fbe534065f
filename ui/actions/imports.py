"""Importing an export into the viewer's community (the import page's 导入 button)."""

from __future__ import annotations

from data_access.accounts.auth import Viewer
from data_access.imports.order_import import ImportMapping, ImportReport, import_orders_for_viewer
from ui.actions.commands import run_command


def import_file(
    viewer: Viewer, file_name: str, data: bytes, mapping: ImportMapping
) -> ImportReport:
    """One write transaction; every page's cached figures may include the new orders."""
    return run_command(
        import_orders_for_viewer, viewer=viewer, community_id=viewer.community_id, data=data,
        mapping=mapping, file_name=file_name,
    )  # fmt: skip
