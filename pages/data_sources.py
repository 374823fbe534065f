"""数据来源 Data sources (managers only): where the community's data comes from and how fresh it
is, what the last sync found, the background jobs' last runs, a 立即同步 button that asks the
worker — and, below, importing the previous system's export of work orders.

The import: upload a CSV/Excel export and choose a column mapping; "check" shows what would
happen (rows read, created/updated/unchanged, every rejected row and warning) without writing;
"import" does it. The viewer's role and community are checked again on the server.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from data_access.errors import DomainError
from data_access.imports.order_import import ImportReport
from data_access.jobs.runs import summary_text
from data_access.sync.overview import BACKGROUND_JOBS, DataSources
from ui import clock, context
from ui.actions import imports as import_actions
from ui.actions import sources as source_actions
from ui.formatting import ago, local_time, sync_failure_reason
from ui.loaders import imports as import_loaders
from ui.loaders import sources as source_loaders
from ui.text import code_label, current_language, t

# The worker's quickest jobs run every 5 minutes: none for three rounds means it is not running.
JOBS_STALE_MINUTES = 15

viewer = context.viewer()
now = clock.now_utc()
st.title(t("sources.title"))
st.caption(t("sources.intro"))
sources: DataSources = source_loaders.data_sources(viewer)


def _system_section(data: DataSources) -> None:
    st.subheader(t("sources.system_header"))
    source = data.source
    if source is None:
        st.info(t("sources.none"), icon=":material/info:")
        return
    good = source.last_good_at
    cells = st.columns(3)
    cells[0].metric(t("sources.source"), source.source.upper(), border=True)
    cells[1].metric(
        t("sources.last_good"), local_time(good) if good else t("sources.never"), border=True
    )
    cells[2].metric(t("sources.age"), ago(good, now) if good else "—", border=True)
    if source.failing_since is not None:
        reason = sync_failure_reason(source.error_key)
        st.warning(t("sources.failing", since=local_time(source.failing_since), reason=reason),
                   icon=":material/sync_problem:")  # fmt: skip
    else:
        st.success(t("sources.healthy"), icon=":material/sync:")
    if source.sync_requested_at is not None:
        st.caption(t("sources.sync_waiting", when=local_time(source.sync_requested_at)))
    elif st.button(t("sources.sync_now"), key="sources_sync_now", icon=":material/sync:"):
        source_actions.ask_for_a_sync(viewer)
        st.toast(t("sources.sync_asked"))
        st.rerun()
    if source.sync_job is not None:
        job = source.sync_job
        st.caption(t("sources.last_job", when=local_time(job.started_at),
                     status=code_label("job_status", job.status)))  # fmt: skip
    report = source.report
    if report is None:
        return
    kind = t("sources.full") if report.full else t("sources.incremental")
    st.markdown(f"**{t('sources.report_header', when=local_time(report.started_at), kind=kind)}**")
    st.dataframe(
        pd.DataFrame(
            [(code_label("sync_kind", k.kind), k.read, k.created, k.updated, k.unchanged,
              k.withdrawn) for k in report.kinds],
            columns=[t(f"sources.col_{c}") for c in
                     ("kind", "read", "created", "updated", "unchanged", "withdrawn")],
        ),
        hide_index=True, key="sources_kinds",
    )  # fmt: skip
    left, right = st.columns(2)
    _findings(left, "unmapped", report.unmapped, ("column", "code", "rows"))
    _findings(right, "skipped", report.skipped, ("table", "reason", "rows"))


def _findings(
    column: DeltaGenerator, kind: str, rows: list[tuple[str, str, int]], names: tuple[str, ...]
) -> None:
    """What the run could not map or skipped (the run's, for every community it read)."""
    column.markdown(f"**{t(f'sources.{kind}_header')}**")
    if rows:
        column.dataframe(
            pd.DataFrame(rows, columns=[t(f"sources.col_{name}") for name in names]),
            hide_index=True, key=f"sources_{kind}",
        )  # fmt: skip
    else:
        column.caption(t("sources.none_found"))


def _jobs_section(data: DataSources) -> None:
    st.subheader(t("sources.jobs_header"))
    runs = list(data.jobs.values())
    if not runs:
        st.warning(t("sources.jobs_none"), icon=":material/schedule:")
        return
    newest = max(run.started_at for run in runs)
    if (now - newest).total_seconds() > JOBS_STALE_MINUTES * 60:
        st.warning(t("sources.jobs_stale", minutes=JOBS_STALE_MINUTES), icon=":material/schedule:")
    st.dataframe(
        pd.DataFrame(
            [(code_label("job", run.job), local_time(run.started_at),
              code_label("job_status", run.status),
              summary_text(run.summary, current_language()) or run.error)
             for run in sorted(runs, key=lambda r: BACKGROUND_JOBS.index(r.job))],
            columns=[t("sources.col_job"), t("sources.col_started"), t("sources.col_status"),
                     t("sources.col_summary")],
        ),
        hide_index=True, key="sources_jobs",
    )  # fmt: skip


_system_section(sources)
_jobs_section(sources)
st.divider()
st.subheader(t("imports.title"))
st.caption(t("imports.intro"))

upload = st.file_uploader(t("imports.file"), type=["csv", "xlsx", "xls"], key="import_orders_file")
choice = st.selectbox(
    t("imports.mapping"),
    options=[*import_loaders.mapping_names(), None],
    format_func=lambda name: t("imports.mapping_custom") if name is None else name,
    key="import_orders_mapping",
    placeholder=t("common.choose"),
)
mapping_upload = None
if choice is None:
    mapping_upload = st.file_uploader(
        t("imports.mapping_file"), type=["toml"], key="import_orders_mapping_file"
    )
else:
    with st.expander(t("imports.mapping_preview")):
        st.code(
            import_loaders.mapping_text(choice), language=None
        )  # plain: the highlighter's colours fail AA contrast

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
