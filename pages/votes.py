"""业主表决 Owners' votes: consultations and decisions under 民法典 §278.

Owners vote on the polls that ask them (their building or the whole community) while they are
open, change their vote until the close, and read the result once it closes: both
participation tests and both approval tests with what each needed and its margin, the count per
choice, the named ballots when the poll is named, and a PDF record. Co-owners of a home name
who of them votes it. The committee opens consultations and votes and follows participation
live; managers open consultations and follow them. The rules are in
``data_access.governance.votes``.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from data_access.errors import DomainError
from data_access.governance.votes import (
    BODY_MAX,
    TITLE_MAX,
    NewPoll,
    Participation,
    PollView,
    Tally,
    Test,
)
from data_access.models import MAJOR_MATTERS, POLL_RULES
from data_access.timestamps import to_stored_utc, zone_named
from reports.fonts import pdf_font_installed
from reports.votes import area_text, poll_pdf
from ui import clock, context
from ui.actions import governance as actions
from ui.actions.commands import flash, show_flashes
from ui.formatting import local_time
from ui.loaders import accounts as account_loaders
from ui.loaders import governance as loaders
from ui.loaders import outbox as outbox_loaders
from ui.text import code_label, current_language, plain, t

viewer = context.viewer()
now = clock.now_utc()
lang = current_language()
st.title(t("page.votes"))
st.caption(t("votes.intro"))
st.caption(t("votes.real_name"))
show_flashes()

SHARE_TEXT = {(2, 3): "votes.share_two_thirds", (1, 2): "votes.share_half",
              (3, 4): "votes.share_three_quarters"}  # fmt: skip


def choice_label(code: str | None, label: str) -> str:
    return code_label("decision_choice", code) if code else plain(label)


def test_amount(name: str, amount: int) -> str:
    return area_text(amount) + " m²" if name.endswith("_area") else str(amount)


def tests_table(tally: Participation, *, live: bool = False) -> None:
    """The tests, one line each (a table of them ran off a phone's screen): the test and its
    share, met or not, what was had of what total, the least that meets it and the margin.
    ``live``: a running poll's participation, where a test not met yet is no failure."""
    lines = []
    for name, test in tally.tests():
        share = t(SHARE_TEXT[(test.share.numerator, test.share.denominator)])
        if test.met:
            mark = f":green[{t('votes.met')}]"
        else:
            mark = t("votes.not_yet") if live else f":red[{t('votes.not_met')}]"
        lines.append(
            f"- {mark} **{code_label('poll_test', name)} {share}** — "
            + t("votes.test_line", have=test_amount(name, test.have),
                total=test_amount(name, test.total), needed=test_amount(name, test.needed),
                margin=margin_text(name, test))
        )  # fmt: skip
    with st.container(border=True):
        st.markdown("\n".join(lines))


def margin_text(name: str, test: Test) -> str:
    sign = "+" if test.margin >= 0 else "−"
    return sign + test_amount(name, abs(test.margin))


def counts_table(tally: Tally) -> None:
    st.dataframe(
        [{t("votes.col_choice"): choice_label(o.code, o.label), t("votes.col_owners"): o.owners,
          t("votes.col_area"): area_text(o.area_dm2)} for o in tally.options],
        hide_index=True, width="stretch",
    )  # fmt: skip


def participation(tally: Participation) -> None:
    left, right = st.columns(2)
    owners_share = tally.voted_owners / tally.total_owners if tally.total_owners else 0.0
    area_share = tally.voted_area_dm2 / tally.total_area_dm2 if tally.total_area_dm2 else 0.0
    left.metric(t("poll_test.participation_owners"), f"{owners_share:.1%}",
                t("votes.owners_of", have=tally.voted_owners, total=tally.total_owners),
                delta_color="off", delta_arrow="off")  # fmt: skip
    right.metric(t("poll_test.participation_area"), f"{area_share:.1%}",
                 t("votes.area_of", have=area_text(tally.voted_area_dm2),
                   total=area_text(tally.total_area_dm2)), delta_color="off",
                 delta_arrow="off")  # fmt: skip


def ballot_form(poll: PollView) -> None:
    if poll.my_units == 0:
        st.info(t("votes.not_on_roll"), icon=":material/info:")
        return
    ids = [option_id for option_id, _, _ in poll.options]
    labels = {option_id: choice_label(code, label) for option_id, code, label in poll.options}
    if poll.my_choice is not None:
        st.success(t("votes.voted", choice=labels[poll.my_choice], units=poll.my_units,
                     area=area_text(poll.my_area_dm2)), icon=":material/how_to_vote:")  # fmt: skip
    with st.form(f"ballot_{poll.poll_id}"):
        chosen = st.radio(t("votes.your_vote"), ids, format_func=labels.__getitem__,
                          index=ids.index(poll.my_choice) if poll.my_choice in ids else None,
                          horizontal=True)  # fmt: skip
        label = t("votes.change") if poll.my_choice is not None else t("votes.cast")
        if st.form_submit_button(label, type="primary"):
            if chosen is None:
                st.error(t("poll.bad_option"))
                return
            try:
                actions.cast_ballot(viewer, poll.poll_id, chosen)
            except DomainError as error:
                st.error(error.message(lang))
            else:
                flash(t("votes.thanks"))
                st.rerun()


def result(poll: PollView, tally: Tally) -> None:
    if tally.passed is None:
        st.markdown(f"**{t('votes.consultation_result')}**")
    elif tally.passed:
        st.markdown(f"**{t('votes.result')}:** :green-badge[:material/check: {t('votes.passed')}]")
    else:
        st.markdown(f"**{t('votes.result')}:** :red-badge[:material/close: {t('votes.failed')}]")
    participation(tally)
    if tally.tests():
        tests_table(tally)
    counts_table(tally)


def named_list(poll: PollView) -> None:
    ballots = loaders.poll_ballots(viewer, poll.poll_id, now)
    if not ballots:
        return
    labels: dict[int | None, str] = {
        option_id: choice_label(code, label) for option_id, code, label in poll.options
    }
    labels[None] = t("votes.choice_sealed")  # a running poll: who voted, not how
    with st.expander(t("votes.named_list", n=len(ballots))):
        st.dataframe(
            [{t("votes.col_voter"): b.voter, t("votes.col_units"): b.units,
              t("votes.col_area"): area_text(b.area_dm2),
              t("votes.col_choice"): labels[b.option_id],
              t("votes.col_cast_at"): local_time(b.cast_at)} for b in ballots],
            hide_index=True, width="stretch",
        )  # fmt: skip


def remind(poll: PollView) -> None:
    """The side that opened a running poll reminds the owners who have not voted (by message:
    nothing to send while the company has no channel)."""
    if poll.reminded_at is not None:
        st.caption(t("votes.reminded_at", at=local_time(poll.reminded_at)))
    if not outbox_loaders.configured_channels():
        st.caption(t("votes.remind_no_channel"))
        return
    if st.button(t("votes.remind"), icon=":material/notifications_active:",
                 key=f"remind_poll_{poll.poll_id}"):  # fmt: skip
        try:
            reminded = actions.remind_non_voters(viewer, poll.poll_id)
        except DomainError as error:
            st.error(error.message(lang))
        else:
            flash(t("votes.reminded", n=reminded))
            st.rerun()


def withdraw(poll: PollView) -> None:
    with (
        st.popover(t("votes.withdraw"), icon=":material/undo:"),
        st.form(f"withdraw_poll_{poll.poll_id}"),
    ):
        reason = st.text_input(t("votes.withdraw_reason"), max_chars=200)
        if st.form_submit_button(t("votes.withdraw_confirm"), type="primary"):
            try:
                actions.withdraw_poll(viewer, poll.poll_id, reason)
            except DomainError as error:
                st.error(error.message(lang))
            else:
                flash(t("votes.withdrawn"))
                st.rerun()


def draw(poll: PollView) -> None:
    status = poll.status(now)
    with st.container(border=True, key=f"poll_{poll.poll_id}"):
        tags = [code_label("poll_issuer", poll.issuer), code_label("poll_rule", poll.rule),
                t("votes.secret_tag") if poll.secret else t("votes.named_tag")]  # fmt: skip
        colour = {"open": "green", "upcoming": "blue"}.get(status, "gray")
        tags.insert(0, f":{colour}-badge[{code_label('poll_status', status)}]")
        st.markdown(" · ".join(tags))
        st.subheader(f"~~{plain(poll.title)}~~" if status == "withdrawn" else plain(poll.title),
                     anchor=False)  # fmt: skip
        where = "、".join(poll.buildings) if poll.buildings else t("votes.everyone")
        st.caption(t("votes.window", start=local_time(poll.opens_at), end=local_time(poll.closes_at))
                   + " · " + t("votes.for", where=where))  # fmt: skip
        if poll.major_matter:
            st.caption(code_label("major_matter", poll.major_matter))
        st.caption(t(f"poll_rule_rule.{poll.rule}"))
        if status == "withdrawn":
            st.warning(t("votes.withdrawn_because", at=local_time(poll.withdrawn_at),
                         reason=poll.withdrawn_reason), icon=":material/undo:")  # fmt: skip
        st.markdown(plain(poll.body))
        if status == "open" and viewer.role in ("owner", "committee"):
            ballot_form(poll)
        tally = loaders.poll_tally(viewer, poll.poll_id, now)
        if isinstance(tally, Tally):
            result(poll, tally)
            named_list(poll)
            record(poll, tally)
        elif tally is not None and status in ("open", "upcoming"):
            st.markdown(f"**{t('votes.live')}**")
            participation(tally)
            if tally.tests():
                tests_table(tally, live=True)
            named_list(poll)
        if status == "open":
            st.caption(t("votes.result_after_close", at=local_time(poll.closes_at)))
        if not viewer.is_owner:
            _units, nobody = loaders.poll_roll(viewer, poll.poll_id)
            if nobody:
                st.caption(t("votes.nobody_votes", n=nobody))
        mine = (poll.issuer == "committee") == viewer.is_committee and not viewer.is_owner
        if mine and status == "open":
            remind(poll)
        if mine and status in ("open", "upcoming"):
            withdraw(poll)


def record(poll: PollView, tally: Tally) -> None:
    if not pdf_font_installed():
        st.caption(t("report.pdf_needs_font"))
        return
    community = loaders.name_of_community(viewer)
    st.download_button(
        t("votes.pdf"),
        lambda: poll_pdf(poll, tally, loaders.poll_ballots(viewer, poll.poll_id, now),
                         community=community, time_zone=viewer.time_zone, lang=lang,
                         generated_at=now),
        file_name=f"vote-{poll.poll_id}.pdf", mime="application/pdf",
        icon=":material/picture_as_pdf:", on_click="ignore", key=f"poll_pdf_{poll.poll_id}",
    )  # fmt: skip


def compose() -> None:
    rules = POLL_RULES if viewer.is_committee else ("consultation",)
    rule = st.radio(t("votes.rule"), rules, format_func=lambda r: code_label("poll_rule", r),
                    horizontal=True, key="poll_rule")  # fmt: skip
    st.caption(t(f"poll_rule_rule.{rule}"))
    if rule == "ordinary":
        st.caption(t("votes.major_hint"))
    zone = zone_named(viewer.time_zone)
    today = clock.local_today()
    # Opens now by default (the quarter hour just begun: a past opening starts at once).
    local_now = clock.now_utc().replace(tzinfo=dt.UTC).astimezone(zone)
    quarter = local_now.time().replace(minute=local_now.minute // 15 * 15, second=0,
                                       microsecond=0, tzinfo=None)  # fmt: skip
    with st.form("compose_poll"):
        matter = None
        if rule == "major":
            matter = st.selectbox(t("votes.major_matter"), MAJOR_MATTERS,
                                  format_func=lambda m: code_label("major_matter", m))  # fmt: skip
        title = st.text_input(t("votes.title"), max_chars=TITLE_MAX)
        body = st.text_area(t("votes.body"), max_chars=BODY_MAX, height=140)
        options = ""
        if rule == "consultation":
            options = st.text_area(t("votes.options"), height=110)
        else:
            st.caption(t("votes.decision_options"))
        buildings = account_loaders.buildings(viewer)
        chosen = st.multiselect(
            t("votes.buildings"), [b.area_id for b in buildings],
            format_func=lambda i: next(b.name for b in buildings if b.area_id == i),
            placeholder=t("votes.everyone"),
        )  # fmt: skip
        left, right = st.columns(2)
        open_day = left.date_input(t("votes.open_day"), value=today)
        open_time = right.time_input(t("votes.open_time"), value=quarter)
        close_day = left.date_input(t("votes.close_day"), value=today + dt.timedelta(days=14))
        close_time = right.time_input(t("votes.close_time"), value=dt.time(20, 0))
        secret = st.checkbox(t("votes.secret"), value=True)
        if not st.form_submit_button(t("votes.submit"), type="primary"):
            return
    draft = NewPoll(
        rule=rule, title=title, body=body, major_matter=matter, secret=secret,
        opens_at=to_stored_utc(dt.datetime.combine(open_day, open_time, tzinfo=zone)),
        closes_at=to_stored_utc(dt.datetime.combine(close_day, close_time, tzinfo=zone)),
        options=tuple(line for line in options.splitlines() if line.strip()),
        building_ids=tuple(chosen),
    )  # fmt: skip
    try:
        actions.open_poll(viewer, draft)
    except DomainError as error:
        st.error(error.message(lang))
    else:
        flash(t("votes.opened"))
        st.rerun()


def co_owned() -> None:
    homes = loaders.co_owned_homes(viewer)
    if not homes:
        return
    with st.expander(t("votes.co_owned"), icon=":material/group:"):
        st.caption(t("votes.co_owned_help"))
        for home in homes:
            names = dict(home.co_owners)
            if home.voter_id is None:
                st.markdown(t("votes.co_owned_nobody", home=home.home))
            else:
                st.markdown(t("votes.co_owned_now", home=home.home, name=names[home.voter_id]))
            with st.form(f"name_voter_{home.unit_id}"):
                ids = list(names)
                voter = st.selectbox(t("votes.name_voter"), ids, format_func=names.__getitem__,
                                     index=ids.index(home.voter_id) if home.voter_id in ids else 0)  # fmt: skip
                if st.form_submit_button(t("votes.name_voter")):
                    try:
                        actions.name_unit_voter(viewer, home.unit_id, voter)
                    except DomainError as error:
                        st.error(error.message(lang))
                    else:
                        flash(t("votes.named_voter"))
                        st.rerun()


if not viewer.is_owner:
    with st.expander(t("votes.compose"), icon=":material/how_to_vote:"):
        compose()
co_owned()

polls = loaders.poll_list(viewer, now)
if not polls:
    st.info(t("votes.none"))
else:
    active = [p for p in polls if p.status(now) in ("open", "upcoming")]
    past = [p for p in polls if p.status(now) not in ("open", "upcoming")]
    for poll in active:
        draw(poll)
    # The latest result stays in view; older ones fold away.
    for poll in past[:1]:
        draw(poll)
    if len(past) > 1:
        with st.expander(t("votes.past", n=len(past) - 1)):
            for poll in past[1:]:
                draw(poll)
