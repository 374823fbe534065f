"""Keywords (关键词) of what owners write: complaints, rating comments and tickets.

Chinese has no spaces, so texts are cut into words with jieba, helped by a property-domain user
dictionary (``keyword_data/user_dict.txt``: 电梯, 漏水, 垃圾清运, 停车位… stay whole) and
filtered by a stop-word list (``keyword_data/stop_words.txt``: 的, 我们, 物业, 小区… never
count). Single characters, numbers and punctuation never count either.

A keyword's weight is the number of *texts* it appears in (``documents``), so one long rant that
repeats a word does not outweigh ten owners who each mention it once.

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
import re
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

import jieba
from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access.accounts.auth import Viewer
from data_access.accounts.privacy import (
    redacts_private_for,
    sees_unmasked,
    text_masker,
    ticket_of_private_order,
)
from data_access.communities import community_zone
from data_access.errors import DomainError
from data_access.models import Area, Rating, RectificationTicket, WorkOrder
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

# A word must hold a Chinese character or two Latin letters: "12", "3#", "——" are not words.
_MEANINGFUL = re.compile(r"[\u4e00-\u9fff]|[A-Za-z].*[A-Za-z]")


@dataclass(frozen=True)
class KeywordCount:
    word: str
    count: int  # occurrences over all texts
    documents: int  # texts it appears in (the ranking weight)


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
    stop word, not a number or punctuation. Latin words are lower-cased.

    jieba's HMM guessing of unknown words is off: it glues stray characters into "words" that
    nobody wrote, and the dictionaries already know the vocabulary of property complaints.
    """
    if not text or not text.strip():
        return []
    stops = stop_words()
    words = []
    for token in _get_tokenizer().cut(text, HMM=False):
        word = token.strip().lower()
        if len(word) >= MIN_WORD_LENGTH and word not in stops and _MEANINGFUL.search(word):
            words.append(word)
    return words


def count_keywords(texts: Iterable[str], limit: int = DEFAULT_KEYWORD_LIMIT) -> list[KeywordCount]:
    """The ``limit`` words found in the most texts (documents desc, then word asc)."""
    occurrences: Counter[str] = Counter()
    documents: Counter[str] = Counter()
    for text in texts:
        words = segment(text)
        occurrences.update(words)
        documents.update(set(words))
    ranked = sorted(documents, key=lambda word: (-documents[word], word))
    return [KeywordCount(w, occurrences[w], documents[w]) for w in ranked[: max(limit, 0)]]


# --- the texts a viewer may read -------------------------------------------------------------------
def list_feedback_texts(
    *,
    session: Session,
    viewer: Viewer,
    period: Period,
    sources: Sequence[str] = KEYWORD_SOURCES,
) -> list[FeedbackText]:
    """Texts written in ``period`` (local bounds) that the viewer may read, newest first."""
    _check_sources(sources)
    lo, hi = period.utc_bounds(community_zone(session, viewer.community_id))
    texts: list[FeedbackText] = []
    if "complaint" in sources:
        texts += _complaints(session, viewer, lo, hi)
    if "rating" in sources:
        texts += _ratings(session, viewer, lo, hi)
    if "ticket" in sources:
        texts += _tickets(session, viewer, lo, hi)
    if not sees_unmasked(viewer):
        masked = text_masker(session, viewer)
        texts = [_masked(text, masked) for text in texts]
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
    """The period's keywords over the texts the viewer may read (see ``count_keywords``)."""
    texts = list_feedback_texts(session=session, viewer=viewer, period=period, sources=sources)
    return count_keywords((f.text for f in texts), limit=limit)


def texts_with_keyword(
    *,
    session: Session,
    viewer: Viewer,
    period: Period,
    word: str,
    sources: Sequence[str] = KEYWORD_SOURCES,
    limit: int = DEFAULT_TEXT_LIMIT,
) -> list[FeedbackText]:
    """Drill-down: the newest texts whose words include ``word`` (the same segmentation as the
    counts, so every text counted under a keyword is found here, and no other)."""
    wanted = word.strip().lower()
    if not wanted:
        return []
    texts = list_feedback_texts(session=session, viewer=viewer, period=period, sources=sources)
    return [f for f in texts if wanted in segment(f.text)][: max(limit, 0)]


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
