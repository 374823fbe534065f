"""Keywords: segmentation with the property dictionary and stop words; who may read which text."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from data_access.accounts.auth import Viewer
from data_access.accounts.privacy import mask_personal_data
from data_access.analytics.keywords import (
    KeywordCount,
    count_keywords,
    list_feedback_texts,
    segment,
    stop_words,
    texts_with_keyword,
    top_keywords,
)
from data_access.errors import DomainError
from data_access.models import Account, Area, Rating
from data_access.periods import period_containing
from tests.data_access import factories as f

CORPUS = (
    "电梯又坏了，我们已经反映了好几次，还是没有人来修！",
    "地库漏水很严重，停车位上全是积水。",
    "垃圾清运不及时，楼道里有异味。",
    "物业费交了，电梯和门禁还是经常坏。",
    "小区的停车位太少了，晚上回来没有停车位。",
)


# --- segmentation (pure) ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "words"),
    [
        (CORPUS[0], ["电梯", "坏了"]),
        (CORPUS[1], ["地库", "漏水", "停车位", "积水"]),  # 严重: a stop word
        (CORPUS[2], ["垃圾清运", "不及时", "楼道", "异味"]),
        (CORPUS[3], ["物业费", "电梯", "门禁"]),  # 经常: a stop word
        (CORPUS[4], ["停车位", "回来", "停车位"]),  # 晚上: a stop word
        (
            "我要投诉，下水道堵塞，水管漏水，门禁卡失灵",
            ["下水道", "堵塞", "水管", "漏水", "门禁卡", "失灵"],
        ),
        # numbers, phone numbers, dates and punctuation are no words
        ("3栋2单元1201业主，电话13812345678，2026年10月1日报修！！", []),
        ("", []),
        ("   ", []),
        ("的了是。，！", []),
        ("APP打不开", ["app", "打不开"]),
    ],
)
def test_segment_keeps_domain_words_whole_and_drops_the_rest(text: str, words: list[str]) -> None:
    assert segment(text) == words


def test_dictionary_words_are_never_split() -> None:
    words = [w for text in CORPUS for w in segment(text)]
    for whole in ("电梯", "漏水", "垃圾清运", "停车位", "地库", "积水", "物业费", "门禁", "异味"):
        assert whole in words
    for piece in ("垃圾", "清运", "停车", "车位", "漏", "水"):
        assert piece not in words


def test_stop_words_and_single_characters_never_appear() -> None:
    words = {w for text in CORPUS for w in segment(text)}
    assert words & stop_words() == set()
    assert {"的", "了", "我们", "物业", "小区", "已经", "没有", "还是"} <= stop_words()
    assert all(len(w) >= 2 for w in words)
    # 物业 is a stop word, 物业费 (the fee) is a domain word
    assert "物业费" in words and "物业" not in words


def test_count_keywords_ranks_by_texts_mentioning_a_word() -> None:
    texts = ["电梯 漏水 电梯", "漏水，门禁", "电梯", "的了"]
    assert count_keywords(texts) == [
        KeywordCount("漏水", count=2, documents=2),  # 漏 (U+6F0F) sorts before 电 (U+7535)
        KeywordCount("电梯", count=3, documents=2),
        KeywordCount("门禁", count=1, documents=1),
    ]
    assert count_keywords(texts, limit=1) == [KeywordCount("漏水", 2, 2)]
    assert count_keywords(texts, limit=0) == []
    assert count_keywords([]) == []


def test_count_keywords_on_the_corpus() -> None:
    ranked = count_keywords(CORPUS, limit=3)
    assert ranked == [
        KeywordCount("停车位", count=3, documents=2),
        KeywordCount("电梯", count=2, documents=2),
        KeywordCount("不及时", count=1, documents=1),
    ]


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("电话13812345678请回电", "电话138****5678请回电"),
        ("3栋2单元1201漏水", "3栋2单元***漏水"),
        ("编号123456789012不是电话", "编号123456789012不是电话"),
        ("电梯坏了", "电梯坏了"),
    ],
)
def test_texts_are_masked_by_the_one_masker(text: str, masked: str) -> None:
    """Keywords mask with privacy's masker (the same on every surface, issue 14)."""
    assert mask_personal_data(text) == masked


# --- who may read which text (both engines) ---------------------------------------------------------
OCTOBER = period_containing("month", dt.date(2026, 10, 1))


def _viewer(account: Account) -> Viewer:
    return Viewer(account.id, account.username, "x", account.role, account.community_id)


def _rating(
    session: Session, order_id: int, owner: Account, comment: str, created_at: dt.datetime
) -> Rating:
    row = Rating(
        community_id=owner.community_id, work_order_id=order_id, owner_id=owner.id,
        score_speed=2, score_attitude=3, score_quality=2, comment=comment, created_at=created_at,
        updated_at=created_at, reply_due_at=created_at + dt.timedelta(hours=24),
    )  # fmt: skip
    session.add(row)
    session.flush()
    return row


@pytest.fixture
def neighbours(session: Session) -> dict[str, object]:
    """Owner A and owner B in one building; B has an in-home complaint and rated it."""
    c = f.community(session)
    b1 = f.building(session, c, "1栋")
    garage = Area(community_id=c.id, name="地下车库", kind="garage", x=1.0, y=1.0)
    session.add(garage)
    session.flush()
    owner_a = f.account(session, c, units=(f.unit(session, b1, room="101"),))
    owner_b = f.account(session, c, units=(f.unit(session, b1, room="102"),))
    committee = f.account(session, c, role="committee")
    manager = f.account(session, c, role="manager")
    public = f.work_order(
        session, c, order_type="complaint", title="地库积水", description="地库积水，停车位泡水了",
        area_id=garage.id, reporter_id=owner_a.id, created_at=f.T0 - dt.timedelta(hours=1),
    )  # fmt: skip
    private = f.work_order(
        session, c, order_type="complaint", title="卫生间渗水",
        description="楼上渗水，电话13812345678", area_id=b1.id, visibility="private",
        reporter_id=owner_b.id, created_at=f.T0 + dt.timedelta(hours=1),
        completed_at=f.T0 + dt.timedelta(hours=5),
    )  # fmt: skip
    repair = f.work_order(session, c, title="路灯不亮", created_at=f.T0, area_id=garage.id)
    late = f.work_order(
        session, c, order_type="complaint", title="噪音扰民", created_at=dt.datetime(2026, 11, 5)
    )
    half_past = f.T0 + dt.timedelta(minutes=30)
    rating = _rating(session, private.id, owner_b, "渗水修了三次还在渗水", half_past)
    _rating(session, public.id, owner_a, "", half_past)  # no comment: no text
    ticket = f.ticket(session, c)  # 垃圾清运不及时, at T0
    other = f.community(session)
    stranger = f.account(session, other, role="manager")
    f.work_order(session, other, order_type="complaint", title="门禁坏了", created_at=f.T0)
    session.commit()
    return {
        "owner_a": owner_a, "owner_b": owner_b, "committee": committee, "manager": manager,
        "stranger": stranger, "public": public, "private": private, "repair": repair,
        "late": late, "ticket": ticket, "garage": garage, "rating": rating,
    }  # fmt: skip


def _keys(texts: list) -> list[tuple[str, int]]:
    return [(t.source, t.id) for t in texts]


def test_an_owner_never_reads_a_neighbours_private_complaint(
    session: Session, neighbours: dict
) -> None:
    n = neighbours
    texts = list_feedback_texts(session=session, viewer=_viewer(n["owner_a"]), period=OCTOBER)
    # newest first; the repair order and November's complaint are not this month's complaints
    assert _keys(texts) == [("ticket", n["ticket"].id), ("complaint", n["public"].id)]
    assert texts[0].text == "垃圾清运不及时" and texts[0].target_id == n["ticket"].id
    assert texts[1].text == "地库积水，停车位泡水了"  # the description repeats the title
    assert texts[1].area_name == "地下车库" and texts[1].category == "plumbing"
    assert texts[1].target_id == n["public"].id
    owner_a = _viewer(n["owner_a"])
    assert "渗水" not in [
        k.word for k in top_keywords(session=session, viewer=owner_a, period=OCTOBER)
    ]
    assert texts_with_keyword(session=session, viewer=owner_a, period=OCTOBER, word="渗水") == []


def test_the_reporter_and_the_committee_read_it_masked_and_the_manager_unmasked(
    session: Session, neighbours: dict
) -> None:
    """The private complaint reaches the committee masked; the comment of its rating (an
    in-home order's) only its owner and managers (issue 14)."""
    n = neighbours
    private_text = "卫生间渗水\n楼上渗水，电话{}"
    for who, phone, reads_rating in (("owner_b", "138****5678", True),
                                     ("committee", "138****5678", False),
                                     ("manager", "13812345678", True)):  # fmt: skip
        viewer = _viewer(n[who])
        texts = list_feedback_texts(session=session, viewer=viewer, period=OCTOBER)
        rating = [("rating", n["rating"].id)] if reads_rating else []
        assert _keys(texts) == [
            ("complaint", n["private"].id),
            *rating,
            ("ticket", n["ticket"].id),
            ("complaint", n["public"].id),
        ]
        assert texts[0].text == private_text.format(phone)
        if reads_rating:
            assert texts[1].text == "渗水修了三次还在渗水"
            assert (texts[1].target_id, texts[1].area_name) == (n["private"].id, "1栋")
        found = texts_with_keyword(session=session, viewer=viewer, period=OCTOBER, word="渗水")
        assert {(t.source, t.target_id) for t in found} == {
            ("complaint", n["private"].id),
            *(("rating", n["private"].id),) * reads_rating,
        }
        ranked = top_keywords(session=session, viewer=viewer, period=OCTOBER, limit=10)
        expected = (
            KeywordCount("渗水", count=4, documents=2)
            if reads_rating
            else KeywordCount("渗水", count=2, documents=1)
        )
        assert expected in ranked


def test_sources_filter_and_other_communities(session: Session, neighbours: dict) -> None:
    n = neighbours
    manager = _viewer(n["manager"])
    only_tickets = list_feedback_texts(
        session=session, viewer=manager, period=OCTOBER, sources=("ticket",)
    )
    assert _keys(only_tickets) == [("ticket", n["ticket"].id)]
    assert list_feedback_texts(session=session, viewer=manager, period=OCTOBER, sources=()) == []
    stranger = _viewer(n["stranger"])
    texts = list_feedback_texts(session=session, viewer=stranger, period=OCTOBER)
    assert [t.text for t in texts] == ["门禁坏了"]
    with pytest.raises(DomainError) as refused:
        list_feedback_texts(session=session, viewer=manager, period=OCTOBER, sources=("email",))
    assert refused.value.key == "keywords.unknown_source"


def test_drill_down_finds_exactly_the_texts_counted(session: Session, neighbours: dict) -> None:
    manager = _viewer(neighbours["manager"])
    for keyword in top_keywords(session=session, viewer=manager, period=OCTOBER):
        found = texts_with_keyword(
            session=session, viewer=manager, period=OCTOBER, word=keyword.word
        )
        assert len(found) == keyword.documents
        assert all(keyword.word in segment(t.text) for t in found)
    assert texts_with_keyword(session=session, viewer=manager, period=OCTOBER, word="  ") == []
    one = texts_with_keyword(session=session, viewer=manager, period=OCTOBER, word="渗水", limit=1)
    assert _keys(one) == [("complaint", neighbours["private"].id)]
