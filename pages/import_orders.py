"""工单导入 Import work orders from the previous system's export (managers only).

Upload a CSV/Excel export and choose a column mapping; "check" shows what would happen (rows
read, created/updated/unchanged, every rejected row and warning) without writing; "import" does
it. The viewer's role and community are checked again on the server by the import itself.
"""

from __future__ import annotations

import streamlit as st

from data_access.errors import DomainError
from data_access.imports.order_import import ImportReport
from ui import context
from ui.actions import imports as import_actions
from ui.loaders import imports as import_loaders
from ui.text import current_language, t

viewer = context.viewer()
st.title(t("imports.title"))
st.caption(t("imports.intro"))

upload = st.file_uploader(t("imports.file"), type=["csv", "xlsx", "xls"], key="import_orders_file")
choice = st.selectbox(
    t("imports.mapping"),
    options=[*import_loaders.mapping_names(), None],
    format_func=lambda name: t("imports.mapping_custom") if name is None else name,
    key="import_orders_mapping",
)
mapping_upload = None
if choice is None:
    mapping_upload = st.file_uploader(
        t("imports.mapping_file"), type=["toml"], key="import_orders_mapping_file"
    )
else:
    with st.expander(t("imports.mapping_preview")):
        st.code(import_loaders.mapping_text(choice), language="toml")

check_column, import_column = st.columns(2)
ready = upload is not None and (choice is not None or mapping_upload is not None)
check = check_column.button(
    t("imports.check"), key="import_orders_check", disabled=not ready, width="stretch"
)
run = import_column.button(
    t("imports.run"), key="import_orders_run", type="primary", disabled=not ready, width="stretch"
)
if choice is None and mapping_upload is None:
    st.caption(t("imports.need_mapping"))
if not (check or run) or upload is None:
    st.stop()

lang = current_language()
try:
    mapping = import_loaders.mapping(
        choice,
        mapping_upload.getvalue() if mapping_upload else None,
        mapping_upload.name if mapping_upload else "",
    )
    with st.spinner():
        read_or_write = import_loaders.check_file if check else import_actions.import_file
        report: ImportReport = read_or_write(viewer, upload.name, upload.getvalue(), mapping)
except DomainError as error:
    st.error(error.message(lang))
    st.stop()

if report.dry_run:
    st.info(t("imports.checked"), icon=":material/fact_check:")
else:
    st.success(t("imports.done", created=report.created, updated=report.updated))
figures = (
    ("imports.metric_rows", report.rows_read),
    ("imports.metric_created", report.created),
    ("imports.metric_updated", report.updated),
    ("imports.metric_unchanged", report.unchanged),
    ("imports.metric_rejected", len(report.rejected)),
)
for column, (key, value) in zip(st.columns(len(figures)), figures, strict=True):
    column.metric(t(key), value, border=True)

issue_columns = {
    "line": st.column_config.NumberColumn(t("imports.col_line"), format="%d"),
    "external_id": st.column_config.TextColumn(t("imports.col_external_id")),
    "reason": st.column_config.TextColumn(t("imports.col_reason"), width="large"),
}
st.subheader(f"{t('imports.rejected_header')} ({len(report.rejected)})")
if report.rejected:
    st.dataframe(
        report.rejected_frame(lang), hide_index=True, column_config=issue_columns,
        key="import_orders_rejected",
    )  # fmt: skip
else:
    st.caption(t("imports.no_rejected"))
st.subheader(f"{t('imports.warnings_header')} ({len(report.warnings)})")
if report.warnings:
    st.dataframe(
        report.warnings_frame(lang), hide_index=True, column_config=issue_columns,
        key="import_orders_warnings",
    )  # fmt: skip
else:
    st.caption(t("imports.no_warnings"))
