"""A poll's record as an A4 PDF (表决记录): what was asked, of whom, under which rule, the
roll's totals, every test with what it needed and its margin, the count per choice, and — for a
named poll — each ballot (names as the viewer may read them)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from data_access.governance.votes import NamedBallot, PollView, Tally
from data_access.timestamps import stored_to_local, zone_named
from i18n import translate
from reports.a4 import A4Sheet

SHARE_KEYS = {(2, 3): "votes.share_two_thirds", (1, 2): "votes.share_half",
              (3, 4): "votes.share_three_quarters"}  # fmt: skip


def area_text(dm2: int) -> str:
    """Whole dm² as m² with two decimals: 12025 → "120.25" (exact)."""
    whole, hundredths = divmod(dm2, 100)
    return f"{whole:,}.{hundredths:02d}"


def _amount(name: str, amount: int) -> str:
    return f"{area_text(amount)} m²" if name.endswith("_area") else str(amount)


def _choice(code: str | None, label: str, lang: str) -> str:
    return translate(f"decision_choice.{code}", lang) if code else label


def poll_pdf(
    poll: PollView,
    tally: Tally,
    ballots: Sequence[NamedBallot],
    *,
    community: str,
    time_zone: str,
    lang: str = "zh",
    generated_at: dt.datetime | None = None,
) -> bytes:
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer

    sheet = A4Sheet(title_size=16)
    text, body, heading = sheet.text, sheet.body, sheet.heading
    zone = zone_named(time_zone)
    name = translate("votes.pdf_title", lang, community=community, title=poll.title)

    def when(moment: dt.datetime | None) -> str:
        return "" if moment is None else f"{stored_to_local(moment, zone):%Y-%m-%d %H:%M}"

    def tr(key: str, **params: object) -> str:
        return translate(key, lang, **params)

    where = "、".join(poll.buildings) if poll.buildings else tr("votes.everyone")
    story: list[Any] = [text(name, sheet.title), Spacer(1, 3 * mm)]
    story += [
        text(f"{tr(f'poll_issuer.{poll.issuer}')} · {tr(f'poll_rule.{poll.rule}')} · "
             f"{tr('votes.secret_tag') if poll.secret else tr('votes.named_tag')}", body),
        text(tr("votes.window", start=when(poll.opens_at), end=when(poll.closes_at))
             + " · " + tr("votes.for", where=where), body),
    ]  # fmt: skip
    if poll.major_matter:
        story.append(text(tr(f"major_matter.{poll.major_matter}"), body))
    story.append(text(tr(f"poll_rule_rule.{poll.rule}")))
    if generated_at is not None:
        story.append(text(tr("votes.pdf_made", at=when(generated_at))))
    story += [Spacer(1, 3 * mm), text(poll.body, body), Spacer(1, 3 * mm)]
    story.append(text(tr("votes.pdf_roll", area=area_text(tally.total_area_dm2),
                         owners=tally.total_owners), body))  # fmt: skip
    if tally.passed is not None:
        verdict = tr("votes.passed") if tally.passed else tr("votes.failed")
        story.append(text(f"{tr('votes.result')}:{verdict}", heading))
        header = [
            tr(f"votes.col_{c}") for c in ("test", "required", "have", "needed", "margin", "met")
        ]
        rows = [
            [tr(f"poll_test.{key}"), tr(SHARE_KEYS[(test.share.numerator, test.share.denominator)]),
             f"{_amount(key, test.have)} / {_amount(key, test.total)}", _amount(key, test.needed),
             ("+" if test.margin >= 0 else "−") + _amount(key, abs(test.margin)),
             tr("votes.met") if test.met else tr("votes.not_met")]
            for key, test in tally.tests()
        ]  # fmt: skip
        story.append(sheet.grid([header, *rows], [0.2, 0.2, 0.22, 0.14, 0.12, 0.12]))
    else:
        story.append(text(tr("votes.consultation_result"), heading))
    story.append(Spacer(1, 3 * mm))
    counts = [[tr("votes.col_choice"), tr("votes.col_owners"), tr("votes.col_area")]] + [
        [_choice(o.code, o.label, lang), str(o.owners), area_text(o.area_dm2)]
        for o in tally.options
    ]
    story.append(sheet.grid(counts, [0.5, 0.2, 0.3]))
    if ballots:
        labels = {option_id: _choice(code, label, lang) for option_id, code, label in poll.options}
        story.append(text(tr("votes.named_list", n=len(ballots)), heading))
        sealed = tr("votes.choice_sealed")  # (a record is made of a closed poll: none is)
        rows = [[b.voter, str(b.units), area_text(b.area_dm2),
                 sealed if b.option_id is None else labels[b.option_id], when(b.cast_at)]
                for b in ballots]  # fmt: skip
        header = [tr(f"votes.col_{c}") for c in ("voter", "units", "area", "choice", "cast_at")]
        story.append(sheet.grid([header, *rows], [0.25, 0.1, 0.2, 0.2, 0.25]))
    story.append(Spacer(1, 4 * mm))
    story.append(text(tr("votes.real_name")))
    return sheet.build(story, name)
