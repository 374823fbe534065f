"""品质检查清单 Quality checklists: recurring complaint patterns at the same kind of place, across
the company's communities; managers adopt them as recurring inspections of their community."""

from __future__ import annotations

import streamlit as st

from data_access.analytics.checklists import CHECKLIST_MONTHS, ChecklistView
from data_access.errors import DomainError
from data_access.models import CHECKLIST_STATUSES
from ui import context
from ui.actions import quality as quality_actions
from ui.actions.commands import flash, show_flashes, version_seen
from ui.loaders import quality as quality_loaders
from ui.navigation import link_to
from ui.text import code_label, current_language, plain, t

STATUS_COLORS = {"proposed": "blue", "adopted": "green", "dismissed": "gray"}

viewer = context.viewer()
st.title(t("page.checklists"))
st.caption(t("checklists.intro", months=CHECKLIST_MONTHS))
show_flashes()


def show_error(error: DomainError) -> None:
    st.error(error.message(current_language()), icon=":material/error:")


def analyse_button(primary: bool) -> None:
    clicked = st.button(
        t("checklists.analyse"), key="checklists_analyse", icon=":material/manage_search:",
        type="primary" if primary else "secondary",
        help=t("checklists.analyse_help", months=CHECKLIST_MONTHS),
    )  # fmt: skip
    if not clicked:
        return
    try:
        with st.spinner(t("checklists.analysing")):
            report = quality_actions.analyse(viewer)
    except DomainError as error:
        show_error(error)
        return
    flash(
        t("checklists.analysed", evidence=report.evidence, patterns=report.patterns,
          created=report.created)
    )  # fmt: skip
    st.rerun()


status = st.segmented_control(
    t("checklists.filter_status"), options=["all", *CHECKLIST_STATUSES], default="all",
    format_func=lambda s: t("common.all") if s == "all" else code_label("checklists.status", s),
    key="checklists_status",
)  # fmt: skip
with st.spinner():
    items = quality_loaders.checklist(viewer, None if status in (None, "all") else status)

if viewer.is_manager:
    analyse_button(primary=not items)
if not items:
    if status not in (None, "all"):
        st.info(t("checklists.empty_filtered"), icon=":material/filter_list_off:")
    elif viewer.is_manager:
        st.info(t("checklists.empty_manager"), icon=":material/checklist:")
    else:
        st.info(t("checklists.empty_committee"), icon=":material/checklist:")
    st.stop()

latest = max(item.computed_at for item in items)
st.caption(
    f"{t('checklists.count', n=len(items))} · "
    f"{t('checklists.last_analysed', time=f'{latest:%Y-%m-%d %H:%M}')}"
)
st.dataframe(
    [
        {
            "title": item.title,
            "category": code_label("order_category", item.category),
            "place": code_label("checklists.place_kind", item.place_kind),
            "evidence": item.evidence_count,
            "communities": item.community_count,
            "last_seen": item.last_seen_at,
            "status": code_label("checklists.status", item.status),
            "here": t("checklists.here_yes") if item.adopted_here else "",
        }
        for item in items
    ],
    hide_index=True,
    width="stretch",
    column_config={
        "title": st.column_config.TextColumn(t("checklists.col_title"), width="large"),
        "category": st.column_config.TextColumn(t("checklists.col_category")),
        "place": st.column_config.TextColumn(t("checklists.col_place")),
        "evidence": st.column_config.NumberColumn(t("checklists.col_evidence")),
        "communities": st.column_config.NumberColumn(t("checklists.col_communities")),
        "last_seen": st.column_config.DatetimeColumn(
            t("checklists.col_last_seen"), format="YYYY-MM-DD"
        ),
        "status": st.column_config.TextColumn(t("checklists.col_status")),
        "here": st.column_config.TextColumn(t("checklists.col_here")),
    },
    key="checklists_table",
)


def item_summary(item: ChecklistView) -> None:
    badges = [
        f":{STATUS_COLORS[item.status]}-badge[{code_label('checklists.status', item.status)}]"
    ]
    st.markdown(
        " ".join(badges) + " " + plain(t("checklists.keywords", words="、".join(item.keywords)))
    )
    st.caption(
        t(
            "checklists.seen_range",
            category=code_label("order_category", item.category),
            place=code_label("checklists.place_kind", item.place_kind),
            first=f"{item.first_seen_at:%Y-%m-%d}",
            last=f"{item.last_seen_at:%Y-%m-%d}",
        )
    )
    if item.adopted_here:
        st.success(
            t("checklists.adopted_here", code=item.service_item_code), icon=":material/task_alt:"
        )
        st.page_link(
            link_to("plans.py"), label=t("checklists.open_plans"),
            icon=":material/event_available:",
        )  # fmt: skip
    elif item.status == "adopted":
        st.info(t("checklists.adopted_elsewhere"), icon=":material/info:")


def item_evidence(item: ChecklistView) -> None:
    with st.spinner(t("checklists.evidence_loading")):
        evidence = quality_loaders.evidence(viewer, item.item_id, item.computed_at)
    st.markdown(f"**{t('checklists.evidence_header')}**")
    st.caption(
        t(
            "checklists.evidence_counts",
            own=evidence.own_count,
            others=evidence.other_count,
            communities=evidence.other_communities,
        )
    )
    if not evidence.examples:
        st.caption(t("checklists.no_own_evidence"))
        return
    for example in evidence.examples:
        sources = "、".join(code_label("checklists.source", s) for s in example.sources)
        where = f" · {plain(example.location)}" if example.location else ""
        st.markdown(
            f"**{plain(example.title)}**  \n"
            f"{example.code} · {sources} · {example.seen_at:%Y-%m-%d %H:%M}{where}"
        )
        if example.detail:
            st.caption(plain(example.detail))
    if evidence.own_count > len(evidence.examples):
        st.caption(t("checklists.evidence_more", shown=len(evidence.examples)))


def item_actions(item: ChecklistView) -> None:
    key = f"checklists_{item.item_id}"
    left, middle, right = st.columns([2, 2, 2], vertical_alignment="bottom")
    weekday = left.selectbox(
        t("checklists.weekday"), options=list(range(1, 8)), key=f"{key}_weekday",
        format_func=lambda d: t(f"weekday.{d}"), placeholder=t("common.choose")
    )  # fmt: skip
    adopt = middle.button(
        t("checklists.adopt_here" if item.status == "adopted" else "checklists.adopt"),
        key=f"{key}_adopt", type="primary", icon=":material/playlist_add_check:",
        help=t("checklists.adopt_help"),
    )  # fmt: skip
    dismiss = item.status == "proposed" and right.button(
        t("checklists.dismiss"), key=f"{key}_dismiss", icon=":material/block:"
    )
    expected = version_seen(f"_{key}_version", item.version, submitted=adopt or dismiss)
    try:
        if adopt:
            result = quality_actions.adopt(viewer, item.item_id, expected, weekday or 1)
            flash(
                t("checklists.adopted_flash", code=result.service_item_code,
                  tasks=result.tasks_created)
            )  # fmt: skip
        elif dismiss:
            quality_actions.dismiss(viewer, item.item_id, expected)
            flash(t("checklists.dismissed_flash", title=plain(item.title)))
        else:
            return
    except DomainError as error:
        version_seen(f"_{key}_version", item.version, submitted=False)
        show_error(error)
        return
    st.rerun()


for item in items:
    label = f"{plain(item.title)} · " + t(
        "checklists.evidence_short", n=item.evidence_count, communities=item.community_count
    )
    # Evidence and actions are drawn only for opened items (on_change makes the expander
    # report its state), so a long list stays light.
    expander = st.expander(label, key=f"checklists_item_{item.item_id}", on_change="rerun")
    with expander:
        item_summary(item)
        if expander.open:
            item_evidence(item)
            if viewer.is_manager and not item.adopted_here:
                item_actions(item)
