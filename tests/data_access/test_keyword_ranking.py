"""Keywords name what people complain about, not how they write letters.

A corpus of long letters of our own making: every letter is wrapped in the same boilerplate
(greetings, forms of address, requests — some of it on the stop list, some deliberately not),
and carries one or two topics. The community's month raises five planted topics; the company's
other letters (the background) raise all ten topics evenly. Counted by texts alone the top words
were the boilerplate; ranked by distinctiveness they are the planted topics.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import random

from sqlalchemy.orm import Session

from data_access.accounts.auth import Viewer
from data_access.analytics import keywords
from data_access.analytics.keywords import (
    count_keywords,
    document_frequencies,
    name_parts,
    segment,
    stop_words,
    top_keywords,
)
from data_access.periods import range_period
from tests.data_access import factories as f
from tests.support.cli import run_manage

OPENERS = ["尊敬的领导您好!", "尊敬的相关部门领导:您好!", "您好,我是本小区的一名业主。"]
FILLERS = [
    "作为一名普通市民,我想咨询一下相关部门是否可以帮助我们解决这个问题。",
    "我们曾多次向物业反映,但一直没有得到答复,请求政府相关部门督促处理。",
    "我们全家对此非常困扰,特此来信,盼复。",  # 全家, 困扰, 特此, 盼复: not on the stop list
    "请问这种情况是否符合规定?恳请有关部门尽快调查处理。",
    "希望领导能够重视,尽快给予答复,还大家一个安宁的家园。",  # 安宁, 家园: not on the list
]
CLOSINGS = ["此致敬礼!", "谢谢!", "盼复,谢谢领导!"]
TOPICS = {
    "noise": "深夜噪音扰民,噪音一直持续到凌晨。",
    "parking": "停车位严重不足,车辆乱停乱放占用消防通道。",
    "lift": "电梯故障频繁,电梯困人已经发生好几次。",
    "rubbish": "垃圾清运不及时,垃圾桶满溢发出异味。",
    "leak": "楼顶漏水,墙面发霉渗水。",
    "charging": "电动车飞线充电,存在火灾隐患。",
    "green": "绿化带被改成菜地,草坪无人修剪。",
    "guard": "保安夜间不巡逻,外来人员随意进出。",
    "fee": "物业费上涨却没有公示收支明细。",
    "pets": "宠物不拴绳,狗屎遍地。",
}
PLANTED = ("noise", "parking", "lift", "rubbish", "leak")


def letter(rng: random.Random, topics: list[str]) -> str:
    """About 500 characters: boilerplate around the topics' sentences."""
    parts = [rng.choice(OPENERS), *rng.sample(FILLERS, 3)]
    for topic in topics:
        parts.append(TOPICS[topic])
        parts.append(rng.choice(FILLERS))
    parts += [*rng.sample(FILLERS, 2), rng.choice(CLOSINGS)]
    text = "".join(parts)
    while len(text) < 450:
        text += rng.choice(FILLERS)
    return text


def month_letters(count: int = 60, seed: int = 1) -> list[str]:
    rng = random.Random(seed)
    return [letter(rng, rng.sample(PLANTED, rng.choice([1, 2]))) for _ in range(count)]


def company_letters(count: int = 300, seed: int = 2) -> list[str]:
    rng = random.Random(seed)
    return [letter(rng, [topic]) for topic in list(TOPICS) * (count // len(TOPICS))]


def words_of(sentences: list[str]) -> set[str]:
    return {word for sentence in sentences for word in segment(sentence)}


PLANTED_WORDS = words_of([TOPICS[t] for t in PLANTED])
BOILERPLATE_WORDS = words_of(OPENERS + FILLERS + CLOSINGS)


def test_the_corpus_is_what_it_claims() -> None:
    letters = month_letters()
    assert all(len(text) >= 450 for text in letters)
    assert not PLANTED_WORDS & BOILERPLATE_WORDS
    # some boilerplate survives the stop list: the weighting must do the rest
    assert {"全家", "困扰", "安宁", "家园"} <= BOILERPLATE_WORDS


def test_at_least_eight_of_the_top_ten_are_planted_topics() -> None:
    background = document_frequencies(company_letters() + month_letters())
    top = count_keywords(month_letters(), limit=10, background=background)
    words = [k.word for k in top]
    assert len(words) == 10
    assert len([w for w in words if w in PLANTED_WORDS]) >= 8, words
    assert not set(words) & stop_words()
    assert not set(words) & BOILERPLATE_WORDS, words
    # every word is shown with the number of texts it appears in, ranked by score
    letters = month_letters()
    for keyword in top:
        assert keyword.documents == sum(keyword.word in segment(text) for text in letters)
    assert [k.score for k in top] == sorted((k.score for k in top), reverse=True)


def test_without_a_background_the_texts_themselves_are_the_background() -> None:
    words = [k.word for k in count_keywords(month_letters(), limit=10)]
    assert not set(words) & BOILERPLATE_WORDS, words


def test_a_word_in_every_text_is_no_keyword() -> None:
    """score = share of texts × ln(N / texts with the word): 0 for a word in every text."""
    texts = ["电梯困人", "电梯异响", "电梯漏水"]
    ranked = count_keywords(texts)
    assert "电梯" not in [k.word for k in ranked]
    assert [(k.word, k.documents) for k in ranked] == [("困人", 1), ("异响", 1), ("漏水", 1)]
    assert ranked[0].score == round(1 / 3 * math.log(3), 6)


def test_no_piece_of_a_persons_name_is_a_keyword() -> None:
    assert name_parts(["叶建国"]) == {"叶建", "建国", "叶建国"}
    texts = ["叶建国师傅修的电梯又坏了", "叶建国说电梯明天修", "门禁刷不开"]
    ranked = count_keywords(texts, excluded=name_parts(["叶建国"]))
    assert not {k.word for k in ranked} & {"叶建", "建国", "叶建国"}
    assert "电梯" in {k.word for k in ranked}


def test_addresses_are_never_keywords() -> None:
    words = segment("电梯的事请发到 zhang.san@example.com 或看 https://example.com/a")
    assert "电梯" in words
    assert not {"zhang", "san", "example", "com", "https"} & set(words)


def test_the_command_line_gives_the_pages_ranking(session: Session, database_url: str) -> None:
    """`manage.py keywords --json`: a list of {word, documents, score}, as top_keywords says."""
    home = f.community(session, code="LETTERS")
    other = f.community(session, code="OTHERS")
    start = f.local(2026, 11, 1, 9)
    for n, text in enumerate(month_letters(30)):
        f.work_order(session, home, order_type="complaint", created_at=start + dt.timedelta(hours=n),
                     title="来信", description=text)  # fmt: skip
    for n, text in enumerate(company_letters(100)):
        f.work_order(session, other, order_type="complaint",
                     created_at=start - dt.timedelta(days=40, hours=n), title="来信",
                     description=text)  # fmt: skip
    session.commit()
    keywords.clear_caches()
    november = range_period(dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    manager = Viewer(0, "t", "t", "manager", home.id)
    expected = top_keywords(session=session, viewer=manager, period=november, limit=10)
    result = run_manage(
        "--database-url", database_url, "keywords", "--community", "LETTERS",
        "--from", "2026-11-01", "--to", "2026-11-30", "--limit", "10", "--json",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)
    assert shown == [{"word": k.word, "documents": k.documents, "score": k.score} for k in expected]
    assert len([row for row in shown if row["word"] in PLANTED_WORDS]) >= 8
