"""业主账号 Owner accounts (managers): onboard a community and look after its accounts.

- 导入名册: a roster (CSV/Excel: name, mobile, building, entrance, room, floor area) checked
  first, then imported — owners, units and accounts; rows that cannot be read are listed.
- 开通函: activation codes for the owners not opened yet (or a whole building, or everyone),
  as printable letters (PDF, one page each) and a CSV for the company's own mass message.
  Printing again issues new codes: the old letters stop working.
- 查找账号: find an account by name, mobile, login name or room; disable or re-enable it, or
  issue a new code (a forgotten password, a lost letter). No password is typed in for somebody
  else.
"""

from __future__ import annotations

import streamlit as st

from data_access.accounts.owner_accounts import OwnerAccount
from data_access.errors import DomainError
from ui import context
from ui.actions import accounts as account_actions
from ui.actions.commands import flash
from ui.loaders import accounts as account_loaders
from ui.text import current_language, t

MAX_ROSTER_BYTES = 10 * 1024 * 1024
_LETTERS = "_account_letters"

viewer = context.viewer()
st.title(t("page.accounts"))
if not viewer.is_manager:
    st.error(t("accounts.managers_only"))
    st.stop()
st.caption(t("accounts.intro"))


def show_letters(where: str) -> None:
    letters = st.session_state.get(_LETTERS)
    if letters is None:
        return
    st.success(t("accounts.letters_ready", n=letters.count), icon=":material/mail:")
    left, right = st.columns(2)
    left.download_button(t("accounts.download_pdf"), letters.pdf, file_name="activation-letters.pdf",
                         mime="application/pdf", icon=":material/print:", width="stretch",
                         on_click="ignore", key=f"letters_pdf_{where}")  # fmt: skip
    right.download_button(t("accounts.download_csv"), letters.csv, file_name="activation-codes.csv",
                          mime="text/csv", icon=":material/table:", width="stretch",
                          on_click="ignore", key=f"letters_csv_{where}")  # fmt: skip
    st.caption(t("accounts.letters_once"))


show_letters("top")  # the codes just issued, above whichever tab issued them


def state_label(account: OwnerAccount) -> str:
    if not account.active:
        return t("accounts.state_disabled")
    return t("accounts.state_activated" if account.activated else "accounts.state_not_activated")


find_tab, roster_tab, letters_tab = st.tabs(
    [t("accounts.tab_find"), t("accounts.tab_roster"), t("accounts.tab_letters")]
)

with find_tab:
    states = ("all", "not_activated", "activated", "disabled")
    left, right = st.columns([3, 2])
    text = left.text_input(t("accounts.search"), key="accounts_search", max_chars=50)
    state = right.selectbox(t("accounts.state"), states, key="accounts_state",
                            format_func=lambda s: t(f"accounts.state_{s}"))  # fmt: skip
    found = account_loaders.find(viewer, text, state)
    if not found:
        st.info(t("accounts.none_found"))
    else:
        st.caption(t("accounts.found", n=len(found)))
        st.dataframe(
            [
                {
                    t("accounts.col_name"): account.display_name,
                    t("accounts.col_login"): account.username,
                    t("accounts.col_units"): "、".join(account.units),
                    t("accounts.col_phone"): account.phone,
                    t("accounts.col_state"): state_label(account),
                    t("accounts.col_wechat"): "✓" if account.has_wechat else "",
                }
                for account in found
            ],
            hide_index=True,
            width="stretch",
            height=min(400, 38 + 35 * len(found)),
        )
        by_id = {account.id: account for account in found}
        chosen_id = st.selectbox(
            t("accounts.choose"), list(by_id), key="accounts_chosen",
            format_func=lambda i: f"{by_id[i].display_name} · {by_id[i].username}",
        )  # fmt: skip
        chosen = by_id.get(chosen_id) if chosen_id is not None else None
        if chosen is not None:
            one, two = st.columns(2)
            if chosen.active:
                if one.button(t("accounts.disable"), key=f"disable_{chosen.id}",
                              icon=":material/block:", width="stretch"):  # fmt: skip
                    account_actions.set_active(viewer, chosen.id, False)
                    flash(t("accounts.disabled", name=chosen.display_name))
                    st.rerun()
                if two.button(t("accounts.new_code"), key=f"code_{chosen.id}",
                              icon=":material/key:", width="stretch"):  # fmt: skip
                    st.session_state[_LETTERS] = account_actions.issue_letters(
                        viewer, account_ids=[chosen.id], include_activated=True
                    )
                    st.rerun()
            elif one.button(t("accounts.enable"), key=f"enable_{chosen.id}",
                            icon=":material/check_circle:", width="stretch"):  # fmt: skip
                account_actions.set_active(viewer, chosen.id, True)
                flash(t("accounts.enabled", name=chosen.display_name))
                st.rerun()

with roster_tab:
    st.markdown(t("accounts.roster_help"))
    upload = st.file_uploader(t("accounts.roster_file"), type=["csv", "xlsx"], key="roster_file")
    if upload is not None:
        data = upload.getvalue()
        check, run = st.columns(2)
        checked = check.button(t("accounts.roster_check"), key="roster_check", width="stretch")
        imported = run.button(t("accounts.roster_import"), key="roster_import", type="primary",
                              width="stretch")  # fmt: skip
        if checked or imported:
            try:
                report = account_actions.import_roster(viewer, data[:MAX_ROSTER_BYTES + 1],
                                                       upload.name, dry_run=not imported)  # fmt: skip
            except DomainError as error:
                st.error(error.message(current_language()))
            else:
                key = "accounts.roster_imported" if imported else "accounts.roster_checked"
                good = report.rows - len(report.rejected)
                st.success(t(key, rows=report.rows, good=good, owners=report.owners_created,
                             found=report.owners_found, units=report.units_created,
                             updated=report.units_updated))  # fmt: skip
                for line, reason in report.rejected[:50]:
                    st.warning(t("accounts.roster_rejected", line=line, reason=t(reason)))
                if len(report.rejected) > 50:
                    st.caption(t("accounts.roster_more_rejected", n=len(report.rejected) - 50))

with letters_tab:
    st.markdown(t("accounts.letters_help"))
    buildings = account_loaders.buildings(viewer)
    choice = st.selectbox(
        t("accounts.letters_building"), [None, *[b.area_id for b in buildings]],
        format_func=lambda b: t("accounts.all_buildings") if b is None
        else next(x.name for x in buildings if x.area_id == b),
        key="letters_building",
    )  # fmt: skip
    everyone = st.toggle(t("accounts.letters_everyone"), key="letters_everyone")
    if st.button(t("accounts.letters_issue"), key="letters_issue", type="primary",
                 icon=":material/print:"):  # fmt: skip
        st.session_state[_LETTERS] = account_actions.issue_letters(
            viewer, building_id=choice, include_activated=everyone
        )
        st.rerun()
