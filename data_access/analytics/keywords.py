"""Keywords (关键词) of what owners write: complaints, rating comments and tickets.

Chinese has no spaces, so texts are cut into words with jieba, helped by a property-domain user
dictionary (``keyword_data/user_dict.txt``: 电梯, 漏水, 垃圾清运, 停车位… stay whole) and
filtered by a stop-word list (``keyword_data/stop_words.txt``: 的, 我们, 物业, 小区… never
count). Single characters, numbers and punctuation never count either.

Ranking is by how *distinctive* a word is for the chosen texts (``score``, a TF-IDF): the
share of the chosen texts it appears in (``documents`` ÷ texts: one long rant that repeats a word
does not outweigh ten owners who each mention it once), times the log of how rare it is in the
company's own writing as a whole (``background``: the newest texts of every community and
period). A word in nearly every letter — 领导, 您好, 相关 — scores near zero even if it slipped
past the stop list; a topic that some letters raise (噪音, 电梯) scores high where it is raised.
Each word is shown with the number of texts it appears in.

Segmenting is the costly part (jieba cuts roughly a megabyte a second), so each distinct text's
words are kept in a bounded in-process cache: the second look at a period costs no cutting.
Keywords are counted from the texts as written and then stripped of every word that is (part of)
the name of a person of the community, for everyone but managers: the same words the masked texts
would give, without masking thousands of texts on every look (the texts themselves are masked
wherever they are shown, e.g. in the drill-down).

The texts are the ones the viewer may read: complaints are work orders of type "complaint"
(through ``work_orders.visible_to``: an owner never reads a neighbour's in-home order), ratings
are the comments on orders the viewer may see, tickets are public (their free-text location is
personal and is never part of the text). The comment on an in-home order and the texts of the
ticket it opened are read only by their owner and managers (``privacy.redacts_private``): for
anyone else they are no text at all. For everyone but managers, names and personal data typed
into a text are masked (``privacy.text_masker``: phones, ID numbers, e-mail, rooms).
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from pathlib import Path

import jieba
from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access.accounts.auth import Viewer
from data_access.accounts.privacy import (
    community_names,
    redacts_private_for,
    sees_unmasked,
    text_masker,
    ticket_of_private_order,
)
from data_access.communities import community_zone
from data_access.errors import DomainError
from data_access.models import Area, Community, Rating, RectificationTicket, WorkOrder
from data_access.orders.work_orders import visible_to
from data_access.periods import Period

KEYWORD_SOURCES: tuple[str, ...] = ("complaint", "rating", "ticket")
MIN_WORD_LENGTH = 2
DEFAULT_KEYWORD_LIMIT = 20
DEFAULT_TEXT_LIMIT = 50
# The newest texts of each source that one period's keywords are computed from: a bound on the
# work of a year in a large community (jieba cuts roughly a megabyte of text per second).
MAX_TEXTS_PER_SOURCE = 5000

_DATA = Path(__file__).resolve().parent / "keyword_data"
USER_DICT_PATH = _DATA / "user_dict.txt"
DOMAIN_WORD_FREQ = 100_000  # jieba frequency of a user-dictionary word without its own
STOP_WORDS_PATH = _DATA / "stop_words.txt"

# The company's writing that distinctiveness is measured against: the newest texts of each
# source over every community and period, recounted at most once per BACKGROUND_TTL_S.
BACKGROUND_TEXTS_PER_SOURCE = 3000
BACKGROUND_MIN_PER_COMMUNITY = 200
BACKGROUND_TTL_S = 3600
SEGMENT_CACHE_TEXTS = 50_000  # distinct texts whose words are kept (about 100 MB at most)

# A word must hold a Chinese character or two Latin letters: "12", "3#", "——" are not words.
_MEANINGFUL = re.compile(r"[\u4e00-\u9fff]|[A-Za-z].*[A-Za-z]")
# Addresses are never keywords (and their pieces would be: "example", "com").
_ADDRESSES = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+|https?://\S+|www\.\S+", re.ASCII)


@dataclass(frozen=True)
class KeywordCount:
    word: str
    count: int  # occurrences over all texts
    documents: int  # texts it appears in
    score: float = field(default=0.0, compare=False)  # distinctiveness, the ranking weight


@dataclass(frozen=True)
class Background:
    """How many of ``texts`` texts each word appears in: what is common in this company."""

    texts: int
    documents: dict[str, int]


@dataclass(frozen=True)
class FeedbackText:
    """One text an owner wrote. ``target_id`` is what it links to: the work order for a
    complaint or a rating (the rated order), the ticket for a ticket."""

    source: str  # "complaint" / "rating" / "ticket"
    id: int  # the work order's, rating's or ticket's id
    text: str
    created_at: dt.datetime  # naive UTC, as stored
    category: str  # work-order category code
    area_name: str  # "" when the text is not tied to an area
    target_id: int


# --- segmentation (pure) ---------------------------------------------------------------------------
_tokenizer: jieba.Tokenizer | None = None
_tokenizer_lock = threading.Lock()


def _words_of(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def _get_tokenizer() -> jieba.Tokenizer:
    """The process's one tokenizer with the domain dictionary, built on first use.

    Building jieba's prefix dictionary takes about a second, so it happens once, under a lock
    (Streamlit runs sessions in threads), and is published only when complete.
    """
    global _tokenizer
    if _tokenizer is None:
        with _tokenizer_lock:
            if _tokenizer is None:
                jieba.setLogLevel(logging.WARNING)  # no "Building prefix dict…" on every start
                tokenizer = jieba.Tokenizer()
                tokenizer.initialize()
                for line in _words_of(USER_DICT_PATH):
                    word, _, freq = line.partition(" ")
                    # Domain words win over jieba's general ones in context: 地库车位 is
                    # 地库 + 车位, not the place name 库车.
                    tokenizer.add_word(
                        word, int(freq) if freq.strip().isdigit() else DOMAIN_WORD_FREQ
                    )
                _tokenizer = tokenizer
    return _tokenizer


@cache
def stop_words() -> frozenset[str]:
    return frozenset(_words_of(STOP_WORDS_PATH))


def segment(text: str) -> list[str]:
    """The meaningful words of ``text`` in order (repeats kept): at least two characters, not a
    stop word, not a number, punctuation, an e-mail address or a link. Latin words are
    lower-cased.

    jieba's HMM guessing of unknown words is off: it glues stray characters into "words" that
    nobody wrote, and the dictionaries already know the vocabulary of property complaints.
    """
    return list(_segmented(text)) if text and text.strip() else []


@lru_cache(maxsize=SEGMENT_CACHE_TEXTS)
def _segmented(text: str) -> tuple[str, ...]:
    stops = stop_words()
    words = []
    for token in _get_tokenizer().cut(_ADDRESSES.sub(" ", text), HMM=False):
        word = token.strip().lower()
        if len(word) >= MIN_WORD_LENGTH and word not in stops and _MEANINGFUL.search(word):
            words.append(word)
    return tuple(words)


def document_frequencies(texts: Iterable[str]) -> Background:
    """In how many of ``texts`` each word appears."""
    documents: Counter[str] = Counter()
    count = 0
    for text in texts:
        count += 1
        documents.update(set(segment(text)))
    return Background(count, dict(documents))


def count_keywords(
    texts: Iterable[str],
    limit: int = DEFAULT_KEYWORD_LIMIT,
    *,
    background: Background | None = None,
    excluded: Collection[str] = (),
) -> list[KeywordCount]:
    """The ``limit`` most distinctive words of ``texts`` against ``background`` (the texts
    themselves without one), never a word in ``excluded``.

    score = (texts with the word ÷ texts) × ln(background texts ÷ background texts with the
    word); the background counts at least what the chosen texts hold (they may lie outside its
    sample). Ties: more texts first, then the word. A word in every text of the background
    scores 0 and is not listed.
    """
    occurrences: Counter[str] = Counter()
    documents: Counter[str] = Counter()
    chosen = 0
    for text in texts:
        chosen += 1
        words = [w for w in segment(text) if w not in excluded]
        occurrences.update(words)
        documents.update(set(words))
    if not chosen:
        return []
    common = background or Background(chosen, dict(documents))
    total = max(common.texts, chosen)
    scores = {
        word: n / chosen * math.log(total / max(common.documents.get(word, 0), n))
        for word, n in documents.items()
    }
    ranked = sorted(
        (word for word, score in scores.items() if score > 0),
        key=lambda word: (-scores[word], -documents[word], word),
    )
    return [
        KeywordCount(w, occurrences[w], documents[w], round(scores[w], 6))
        for w in ranked[: max(limit, 0)]
    ]


# --- the texts a viewer may read -------------------------------------------------------------------
def list_feedback_texts(
    *,
    session: Session,
    viewer: Viewer,
    period: Period,
    sources: Sequence[str] = KEYWORD_SOURCES,
) -> list[FeedbackText]:
    """Texts written in ``period`` (local bounds) that the viewer may read, newest first,
    masked for everyone but managers."""
    texts = _readable_texts(session, viewer, period, sources)
    if not sees_unmasked(viewer):
        masked = text_masker(session, viewer)
        texts = [_masked(text, masked) for text in texts]
    return texts


def _readable_texts(
    session: Session, viewer: Viewer, period: Period, sources: Sequence[str]
) -> list[FeedbackText]:
    """The texts the viewer may read, as written (unmasked: never to be shown as they are)."""
    _check_sources(sources)
    lo, hi = period.utc_bounds(community_zone(session, viewer.community_id))
    texts: list[FeedbackText] = []
    if "complaint" in sources:
        texts += _complaints(session, viewer, lo, hi)
    if "rating" in sources:
        texts += _ratings(session, viewer, lo, hi)
    if "ticket" in sources:
        texts += _tickets(session, viewer, lo, hi)
    texts.sort(key=lambda f: (f.created_at, f.id), reverse=True)
    return texts


def top_keywords(
    *,
    session: Session,
    viewer: Viewer,
    period: Period,
    sources: Sequence[str] = KEYWORD_SOURCES,
    limit: int = DEFAULT_KEYWORD_LIMIT,
) -> list[KeywordCount]:
    """The period's most distinctive words over the texts the viewer may read, against the
    company's writing (see ``count_keywords`` and the module's notes on names)."""
    texts = _readable_texts(session, viewer, period, sources)
    excluded = (
        set()
        if sees_unmasked(viewer)
        else name_parts(community_names(session, viewer.community_id))
    )
    return count_keywords(
        (f.text for f in texts),
        limit=limit,
        background=company_background(session),
        excluded=excluded,
    )


def name_parts(names: Iterable[str]) -> frozenset[str]:
    """Every piece of two or more characters of each name (叶建国: 叶建, 建国, 叶建国): a
    keyword list never names a person, not even in part."""
    parts: set[str] = set()
    for name in names:
        name = name.strip().lower()
        for size in range(MIN_WORD_LENGTH, len(name) + 1):
            parts.update(name[i : i + size] for i in range(len(name) - size + 1))
    return frozenset(parts)


_backgrounds: dict[str, tuple[float, Background]] = {}
_background_lock = threading.Lock()


def company_background(session: Session) -> Background:
    """Document frequencies over the newest BACKGROUND_TEXTS_PER_SOURCE complaints, rating
    comments and tickets, shared out over every community (only the counts are used, never a text), kept for
    BACKGROUND_TTL_S per database."""
    key = str(session.get_bind().engine.url)
    now = time.monotonic()
    with _background_lock:
        held = _backgrounds.get(key)
        if held is not None and now - held[0] < BACKGROUND_TTL_S:
            return held[1]
    background = document_frequencies(_company_texts(session))
    with _background_lock:
        _backgrounds[key] = (now, background)
    return background


def clear_caches() -> None:
    """Forget every cut text and background (benchmarks and tests measure from cold)."""
    _segmented.cache_clear()
    with _background_lock:
        _backgrounds.clear()


def _company_texts(session: Session) -> list[str]:
    """The newest texts of each source, shared out over the communities (each read through its
    community's time index, so no table is read whole)."""
    communities = list(session.scalars(select(Community.id)))
    newest = max(
        BACKGROUND_MIN_PER_COMMUNITY, BACKGROUND_TEXTS_PER_SOURCE // max(len(communities), 1)
    )
    texts: list[str] = []
    for community_id in communities:
        complaints = session.execute(
            select(WorkOrder.title, WorkOrder.description)
            .where(WorkOrder.community_id == community_id, WorkOrder.order_type == "complaint")
            .order_by(WorkOrder.created_at.desc())
            .limit(newest)
        )
        comments = session.scalars(
            select(Rating.comment)
            .where(Rating.community_id == community_id, Rating.comment != "")
            .order_by(Rating.created_at.desc())
            .limit(newest)
        )
        tickets = session.execute(
            select(RectificationTicket.title, RectificationTicket.description)
            .where(RectificationTicket.community_id == community_id)
            .order_by(RectificationTicket.created_at.desc())
            .limit(newest)
        )
        texts += [_joined(title, description) for title, description in complaints]
        texts += [comment.strip() for comment in comments]
        texts += [_joined(title, description) for title, description in tickets]
    return [text for text in texts if text]


def texts_with_keyword(
    *,
    session: Session,
    viewer: Viewer,
    period: Period,
    word: str,
    sources: Sequence[str] = KEYWORD_SOURCES,
    limit: int = DEFAULT_TEXT_LIMIT,
) -> list[FeedbackText]:
    """Drill-down: the newest texts whose words include ``word`` (the same segmentation of the
    same texts as the counts, so every text counted under a keyword is found here, and no
    other), masked for everyone but managers."""
    wanted = word.strip().lower()
    if not wanted:
        return []
    texts = _readable_texts(session, viewer, period, sources)
    found = [f for f in texts if wanted in segment(f.text)][: max(limit, 0)]
    if sees_unmasked(viewer):
        return found
    masked = text_masker(session, viewer)  # only the texts shown
    return [_masked(text, masked) for text in found]


def _check_sources(sources: Sequence[str]) -> None:
    for source in sources:
        if source not in KEYWORD_SOURCES:
            raise DomainError("keywords.unknown_source", source=source)


def _joined(title: str, description: str) -> str:
    """Title and description as one text; a description that repeats the title stands alone."""
    title, description = title.strip(), description.strip()
    if not title or description.startswith(title):
        return description or title
    return f"{title}\n{description}" if description else title


def _complaints(
    session: Session, viewer: Viewer, lo: dt.datetime, hi: dt.datetime
) -> list[FeedbackText]:
    query = (
        select(
            WorkOrder.id,
            WorkOrder.title,
            WorkOrder.description,
            WorkOrder.created_at,
            WorkOrder.category,
            Area.name,
        )
        .outerjoin(Area, Area.id == WorkOrder.area_id)
        .where(
            visible_to(viewer),
            WorkOrder.order_type == "complaint",
            WorkOrder.created_at >= lo,
            WorkOrder.created_at < hi,
        )
    )
    return [
        FeedbackText("complaint", oid, _joined(title, desc), created, category, area or "", oid)
        for oid, title, desc, created, category, area in session.execute(
            query.order_by(WorkOrder.created_at.desc()).limit(MAX_TEXTS_PER_SOURCE)
        )
        if _joined(title, desc)
    ]


def _ratings(
    session: Session, viewer: Viewer, lo: dt.datetime, hi: dt.datetime
) -> list[FeedbackText]:
    query = (
        select(
            Rating.id,
            Rating.comment,
            Rating.created_at,
            WorkOrder.category,
            Area.name,
            WorkOrder.id,
            WorkOrder.visibility,
            Rating.owner_id,
        )
        .join(WorkOrder, WorkOrder.id == Rating.work_order_id)
        .outerjoin(Area, Area.id == WorkOrder.area_id)
        .where(
            Rating.community_id == viewer.community_id,
            visible_to(viewer),
            Rating.comment != "",
            Rating.created_at >= lo,
            Rating.created_at < hi,
        )
    )
    return [
        FeedbackText("rating", rid, comment.strip(), created, category, area or "", order_id)
        for rid, comment, created, category, area, order_id, visibility, owner_id in session.execute(
            query.order_by(Rating.created_at.desc()).limit(MAX_TEXTS_PER_SOURCE)
        )
        if comment.strip() and not redacts_private_for(viewer, visibility == "private", owner_id)
    ]


def _tickets(
    session: Session, viewer: Viewer, lo: dt.datetime, hi: dt.datetime
) -> list[FeedbackText]:
    ticket = RectificationTicket
    query = (
        select(
            ticket.id,
            ticket.title,
            ticket.description,
            ticket.created_at,
            ticket.category,
            Area.name,
            ticket_of_private_order(),
            ticket.owner_id,
        )
        .outerjoin(Area, Area.id == ticket.area_id)
        .where(
            ticket.community_id == viewer.community_id,
            ticket.created_at >= lo,
            ticket.created_at < hi,
        )
    )
    return [
        FeedbackText("ticket", tid, _joined(title, desc), created, category, area or "", tid)
        for tid, title, desc, created, category, area, private, owner_id in session.execute(
            query.order_by(ticket.created_at.desc()).limit(MAX_TEXTS_PER_SOURCE)
        )
        if _joined(title, desc) and not redacts_private_for(viewer, bool(private), owner_id)
    ]


def _masked(text: FeedbackText, masker: Callable[[str], str]) -> FeedbackText:
    masked = masker(text.text)
    return text if masked == text.text else replace(text, text=masked)
