"""The import page's reads: the shipped mappings and the check (试导入) of an export. Nothing
here is cached: a check must see the orders as they are now. The import itself is
``ui.actions.imports.import_file``."""

from __future__ import annotations

from data_access.accounts.auth import Viewer
from data_access.imports.order_import import (
    ImportMapping,
    ImportReport,
    import_orders_for_viewer,
    load_mapping,
    parse_mapping,
    shipped_mappings,
)
from ui.database import read


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


def check_file(viewer: Viewer, file_name: str, data: bytes, mapping: ImportMapping) -> ImportReport:
    """What importing the export would do, written nowhere (the session is rolled back)."""
    return read(
        import_orders_for_viewer, viewer=viewer, community_id=viewer.community_id, data=data,
        mapping=mapping, file_name=file_name, dry_run=True,
    )  # fmt: skip
