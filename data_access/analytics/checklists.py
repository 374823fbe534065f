"""品质检查清单 Quality checklists: recurring complaint patterns become inspection
items for the same kind of place, across all communities of the company.

**Evidence.** A work order is evidence when, in the window (the last ``CHECKLIST_MONTHS``
months up to the analysis), it was filed as a complaint (order type "complaint", by its
``created_at``) or it got a low rating (any of the three scores at or below the red line of its
community's contract in force on the analysis day; ``ratings.DEFAULT_RED_LINE`` without one, by
the rating's ``created_at``). An order that is both counts once: evidence is counted per work
order, so one bad repair that was complained about *and* rated low is one case, not two.

**Patterns.** A pattern is (order category, kind of place, keyword): the kind of place is the
``Area.kind`` of the order's area ("unknown" without one); the keyword comes from the order's
title through ``keywords.segment``. Titles name the object and the fault ("地库排水沟积水");
descriptions and rating comments mostly add feelings, durations and appointment notes ("已经两天
了", "下午两点以后家里有人") that would outrank the fault, so they are shown as evidence but not
segmented. Place names ("中心花园", "东门": the words of any ``Area.name``) are not keywords —
the kind of place already says where, and a name would tie a company-wide pattern to one site.
Within each (category, kind of place), every order goes to exactly one pattern: its word found
in the most orders of that group (ties: the word that sorts first), so evidence is never counted
twice. A pattern is kept with at least ``min_evidence`` orders from at least ``min_communities``
communities. Its ``keywords`` are the keyword plus up to ``EXTRA_KEYWORDS`` words that appear in
at least half of its orders (shown to explain the pattern; not part of its identity).

``min_communities`` defaults to 1: adoption is per community (below), so a pattern recurring in
one community is already worth a check there, and waiting for a second community to suffer it
would hide it; ``community_count`` is stored and shown so that company-wide patterns stand out.

The grouping needs word segmentation, which SQL cannot do: the evidence rows of the window
(bounded by time, a few hundred per community per half year) are read and grouped in Python.

**Items.** ``build_checklist`` upserts one ``ChecklistItem`` per kept pattern by
``pattern_key`` = "category|kind|keyword": counts, first/last seen and ``computed_at`` are
refreshed, the status and the decision of adopted or dismissed items never change. Proposed
items whose pattern is no longer found are removed (the list shows the current analysis);
decided ones stay with their last figures. ``version`` guards the decisions only.

**Adoption.** ``ChecklistItem.status`` is company-wide: "adopted" once any community adopted
it, "dismissed" when a manager turned it down before anyone adopted it. A manager can only
change their own community's contract, so adopting creates the recurring inspection (a service
item coded ``QC0007``, hence plan tasks) in *their* community only; a manager of another
community may still "adopt in my community" (also when dismissed), which creates theirs.
An adopted item cannot be dismissed.
"""

from __future__ import annotations

import datetime as dt
import re
from calendar import monthrange
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, delete, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from data_access.accounts.auth import Viewer
from data_access.accounts.privacy import (
    mask_unit,
    private_title,
    redacts_private_for,
    sees_unmasked,
    text_masker,
)
from data_access.analytics.keywords import segment
from data_access.communities import community_zone
from data_access.errors import DomainError, NotAllowed
from data_access.models import (
    CHECKLIST_STATUSES,
    Area,
    ChecklistItem,
    Community,
    PlanTask,
    Rating,
    ServiceContract,
    ServiceItem,
    WorkOrder,
)
from data_access.plans.plans import generate_plan_tasks
from data_access.tickets.ratings import DEFAULT_RED_LINE
from data_access.timestamps import local_date, stored_to_local, to_stored_utc, zone_named
from data_access.versioning import bump_version
from i18n import label, translate

CHECKLIST_MONTHS = 6
DEFAULT_MIN_EVIDENCE = 3  # as the contracts' default hotspot threshold (3 cases)
DEFAULT_MIN_COMMUNITIES = 1  # see the module docstring
EXTRA_KEYWORDS = 2
EVIDENCE_LIMIT = 10
UNKNOWN_PLACE = "unknown"
PLACE_KINDS = ("building", "garden", "garage", "lobby", "gate", "facility", UNKNOWN_PLACE)
EVIDENCE_SOURCES = ("complaint", "rating")
TITLE_LANGUAGE = "zh"  # titles and standards are stored once, in the default language

# The inspection an adopted item becomes (a service item of the manager's contract).
CODE_PREFIX = "QC"
ADOPT_RECURRENCES = ("daily", "weekly")
INSPECTION_WINDOW = (dt.time(9, 0), dt.time(11, 0))  # local, on the inspection day
INSPECTION_MINUTES = 30
PLAN_AHEAD_DAYS = 28  # tasks generated at once: the next four weeks
SERVICE_NAME_MAX = 100  # ServiceItem.name is String(100)
# Which service category inspects the place of a complaint category.
SERVICE_CATEGORY_FOR: dict[str, str] = {
    "plumbing": "engineering",
    "electrical": "engineering",
    "elevator": "elevator",
    "access_control": "security",
    "cleaning": "cleaning",
    "greening": "greening",
    "security": "security",
    "parking": "security",
    "noise": "customer_service",
    "facilities": "engineering",
    "events": "events",
    "other": "customer_service",
}

_NUMBERED_PLACE = re.compile(r"^\d+(?:栋|幢|号楼|单元|层|楼|号|室)$")


# --- results -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class EvidenceRecord:
    """One work order that counts as evidence (see the module docstring)."""

    order_id: int
    community_id: int
    code: str
    category: str
    place_kind: str
    title: str
    detail: str  # the complaint's description and/or the low ratings' comments
    location: str
    is_private: bool
    seen_at: dt.datetime  # naive UTC: the complaint's creation, else the first low rating
    sources: tuple[str, ...]  # of EVIDENCE_SOURCES
    description: str = ""  # the complaint's description alone (``detail`` without comments)
    area: str = ""  # the name of the order's area
    reporter_id: int | None = None


@dataclass(frozen=True)
class Pattern:
    category: str
    place_kind: str
    keyword: str
    keywords: tuple[str, ...]  # keyword first
    evidence: tuple[EvidenceRecord, ...]  # newest first

    @property
    def key(self) -> str:
        return pattern_key(self.category, self.place_kind, self.keyword)

    @property
    def title(self) -> str:
        return item_title(self.category, self.place_kind, self.keyword)

    @property
    def evidence_count(self) -> int:
        return len(self.evidence)

    @property
    def community_count(self) -> int:
        return len({e.community_id for e in self.evidence})

    @property
    def first_seen_at(self) -> dt.datetime:
        return min(e.seen_at for e in self.evidence)

    @property
    def last_seen_at(self) -> dt.datetime:
        return max(e.seen_at for e in self.evidence)


@dataclass(frozen=True)
class BuildReport:
    window_start: dt.datetime  # naive UTC
    window_end: dt.datetime
    evidence: int  # work orders read as evidence
    patterns: int  # patterns kept (items created + updated)
    created: int
    updated: int
    retired: int  # proposed items no longer found, removed


@dataclass(frozen=True)
class ChecklistView:
    item_id: int
    title: str
    category: str  # work-order category code
    place_kind: str  # PLACE_KINDS
    keywords: tuple[str, ...]
    evidence_count: int
    community_count: int
    first_seen_at: dt.datetime  # local time of the viewer's community
    last_seen_at: dt.datetime
    computed_at: dt.datetime
    status: str  # CHECKLIST_STATUSES (company-wide)
    decided_at: dt.datetime | None
    service_item_code: str  # "" until adopted somewhere
    adopted_here: bool  # the viewer's community runs the inspection
    version: int


@dataclass(frozen=True)
class EvidenceExample:
    code: str
    sources: tuple[str, ...]
    seen_at: dt.datetime  # local
    title: str
    detail: str
    location: str


@dataclass(frozen=True)
class ChecklistEvidence:
    """An item's evidence as a viewer may see it: texts of their own community only."""

    item_id: int
    examples: tuple[EvidenceExample, ...]  # newest first, at most ``limit``
    own_count: int  # evidence in the viewer's community
    other_count: int  # evidence in other communities (only counted)
    other_communities: int


@dataclass(frozen=True)
class AdoptResult:
    service_item_id: int
    service_item_code: str
    valid_from: dt.date
    tasks_created: int


# --- names -------------------------------------------------------------------------------------------
def pattern_key(category: str, place_kind: str, keyword: str) -> str:
    return f"{category}|{place_kind}|{keyword}"


def item_title(category: str, place_kind: str, keyword: str) -> str:
    """The item's title in Chinese, e.g. 车库·积水:检查给排水 (deterministic)."""
    return translate(
        "checklists.item_title",
        TITLE_LANGUAGE,
        place=label("checklists.place_kind", place_kind, TITLE_LANGUAGE),
        keyword=keyword,
        category=label("order_category", category, TITLE_LANGUAGE),
    )


def service_item_code(item_id: int) -> str:
    return f"{CODE_PREFIX}{item_id:04d}"


# --- grouping (pure) ---------------------------------------------------------------------------------
def find_patterns(
    records: Iterable[EvidenceRecord],
    *,
    place_words: frozenset[str] = frozenset(),
    min_evidence: int = DEFAULT_MIN_EVIDENCE,
    min_communities: int = DEFAULT_MIN_COMMUNITIES,
) -> list[Pattern]:
    """Group evidence into patterns (module docstring) and keep the recurring ones.

    Ordered by evidence count, then community count (both descending), then key.
    """
    groups: dict[tuple[str, str], list[tuple[EvidenceRecord, frozenset[str]]]] = defaultdict(list)
    for record in records:
        words = _title_words(record.title) - place_words
        if words:
            groups[(record.category, record.place_kind)].append((record, words))
    patterns = []
    for (category, place_kind), members in groups.items():
        frequency = Counter(word for _, words in members for word in words)
        assigned: dict[str, list[tuple[EvidenceRecord, frozenset[str]]]] = defaultdict(list)
        for record, words in members:
            assigned[min(words, key=lambda w: (-frequency[w], w))].append((record, words))
        for keyword, chosen in assigned.items():
            evidence = tuple(
                sorted((r for r, _ in chosen), key=lambda r: (r.seen_at, r.order_id), reverse=True)
            )
            if len(evidence) < min_evidence:
                continue
            if len({e.community_id for e in evidence}) < min_communities:
                continue
            patterns.append(
                Pattern(
                    category=category,
                    place_kind=place_kind,
                    keyword=keyword,
                    keywords=(keyword, *_extra_keywords(keyword, [w for _, w in chosen])),
                    evidence=evidence,
                )
            )
    return sorted(patterns, key=lambda p: (-p.evidence_count, -p.community_count, p.key))


@lru_cache(maxsize=8192)
def _title_words(title: str) -> frozenset[str]:
    return frozenset(w for w in segment(title) if not _NUMBERED_PLACE.match(w))


def _extra_keywords(keyword: str, word_sets: Sequence[frozenset[str]]) -> list[str]:
    counts = Counter(w for words in word_sets for w in words if w != keyword)
    common = [w for w, n in counts.items() if 2 * n >= len(word_sets)]
    return sorted(common, key=lambda w: (-counts[w], w))[:EXTRA_KEYWORDS]


# --- analysis ------------------------------------------------------------------------------------------
def build_checklist(
    *,
    session: Session,
    now: dt.datetime,
    months: int = CHECKLIST_MONTHS,
    min_evidence: int = DEFAULT_MIN_EVIDENCE,
    min_communities: int = DEFAULT_MIN_COMMUNITIES,
) -> BuildReport:
    """Analyse the last ``months`` months up to ``now`` across all communities and upsert the
    checklist items (module docstring). A system job: no viewer, all communities; pages go
    through ``refresh_checklist``, which checks the role. Raises ``checklists.analysis_busy``
    when another analysis wrote the same item meanwhile."""
    if months < 1 or min_evidence < 1 or min_communities < 1:
        raise ValueError("months, min_evidence and min_communities must be at least 1")
    end = to_stored_utc(now)
    start = months_before(end, months)
    records = collect_evidence(session=session, start=start, end=end)
    patterns = find_patterns(
        records,
        place_words=place_words(session=session),
        min_evidence=min_evidence,
        min_communities=min_communities,
    )
    existing = {item.pattern_key: item for item in session.scalars(select(ChecklistItem))}
    created = updated = 0
    for pattern in patterns:
        figures = {
            "keywords": ",".join(pattern.keywords),
            "title": pattern.title,
            "evidence_count": pattern.evidence_count,
            "community_count": pattern.community_count,
            "first_seen_at": pattern.first_seen_at,
            "last_seen_at": pattern.last_seen_at,
            "computed_at": end,
        }
        item = existing.get(pattern.key)
        if item is None:
            session.add(
                ChecklistItem(
                    pattern_key=pattern.key,
                    category=pattern.category,
                    place_kind=pattern.place_kind,
                    status="proposed",
                    **figures,
                )
            )
            created += 1
        else:
            for name, value in figures.items():
                setattr(item, name, value)
            updated += 1
    found = {p.key for p in patterns}
    stale = [i.id for key, i in existing.items() if key not in found and i.status == "proposed"]
    try:
        session.flush()
        if stale:
            session.execute(delete(ChecklistItem).where(ChecklistItem.id.in_(stale)))
    except IntegrityError as error:  # a concurrent analysis inserted the same pattern
        raise DomainError("checklists.analysis_busy") from error
    return BuildReport(
        window_start=start,
        window_end=end,
        evidence=len(records),
        patterns=len(patterns),
        created=created,
        updated=updated,
        retired=len(stale),
    )


def refresh_checklist(
    *, session: Session, viewer: Viewer, now: dt.datetime, months: int = CHECKLIST_MONTHS
) -> BuildReport:
    """``build_checklist`` on a manager's request (重新分析). Managers only."""
    _require_manager(viewer)
    return build_checklist(session=session, now=now, months=months)


def collect_evidence(
    *, session: Session, start: dt.datetime, end: dt.datetime, category: str | None = None
) -> list[EvidenceRecord]:
    """The evidence of [start, end] (naive UTC) in all communities, one record per order
    (optionally only orders of one ``category``)."""
    place = _place_kind()
    of_category = () if category is None else (WorkOrder.category == category,)
    order_columns = (
        WorkOrder.id,
        WorkOrder.community_id,
        WorkOrder.code,
        WorkOrder.category,
        place,
        WorkOrder.title,
        WorkOrder.location,
        WorkOrder.visibility,
        Area.name,
        WorkOrder.reporter_id,
    )
    records: dict[int, EvidenceRecord] = {}
    complaints = session.execute(
        select(*order_columns, WorkOrder.description, WorkOrder.created_at)
        .outerjoin(Area, Area.id == WorkOrder.area_id)
        .where(
            WorkOrder.order_type == "complaint",
            WorkOrder.created_at >= start,
            WorkOrder.created_at <= end,
            *of_category,
        )
        .order_by(WorkOrder.id)
    )
    for *order, description, created_at in complaints:
        records[order[0]] = _record(
            order, description.strip(), created_at, ("complaint",), description.strip()
        )
    low = session.execute(
        select(*order_columns, Rating.comment, Rating.created_at)
        .join(WorkOrder, Rating.work_order_id == WorkOrder.id)
        .outerjoin(Area, Area.id == WorkOrder.area_id)
        .where(
            Rating.created_at >= start,
            Rating.created_at <= end,
            _at_red_line(session, end),
            *of_category,
        )
        .order_by(Rating.created_at, Rating.id)
    )
    for *order, comment, created_at in low:
        known = records.get(order[0])
        if known is None:
            records[order[0]] = _record(order, comment.strip(), created_at, ("rating",))
            continue
        detail = "\n".join(part for part in (known.detail, comment.strip()) if part)
        sources = known.sources if "rating" in known.sources else (*known.sources, "rating")
        records[order[0]] = _record(order, detail, known.seen_at, sources, known.description)
    return list(records.values())


def place_words(*, session: Session) -> frozenset[str]:
    """The words of every area's name (of all communities): never a pattern's keyword."""
    names = session.scalars(select(Area.name).distinct())
    return frozenset(word for name in names for word in (*segment(name), name.strip()))


def months_before(moment: dt.datetime, months: int) -> dt.datetime:
    """The same day and time ``months`` calendar months earlier (clamped to the month's end)."""
    year, month = divmod(moment.year * 12 + moment.month - 1 - months, 12)
    day = min(moment.day, monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def _place_kind() -> ColumnElement[str]:
    return func.coalesce(Area.kind, UNKNOWN_PLACE)


def _record(
    order: Sequence[object],
    detail: str,
    seen_at: dt.datetime,
    sources: tuple[str, ...],
    description: str = "",
) -> EvidenceRecord:
    order_id, community_id, code, category, place_kind, title, location, visibility = order[:8]
    area, reporter_id = order[8:10]
    return EvidenceRecord(
        order_id=int(order_id),  # type: ignore[call-overload]
        community_id=int(community_id),  # type: ignore[call-overload]
        code=str(code),
        category=str(category),
        place_kind=str(place_kind),
        title=str(title).strip(),
        detail=detail,
        location=str(location),
        is_private=visibility == "private",
        seen_at=seen_at,
        sources=sources,
        description=description,
        area=str(area or ""),
        reporter_id=reporter_id if isinstance(reporter_id, int) else None,
    )


def _at_red_line(session: Session, moment: dt.datetime) -> ColumnElement[bool]:
    """SQL: the rating has a score at or below its community's red line (contract in force on
    the local day of ``moment``, else the latest contract, else ``DEFAULT_RED_LINE``)."""
    communities = session.execute(select(Community.id, Community.time_zone)).all()
    contracts: dict[int, list[ServiceContract]] = defaultdict(list)
    for contract in session.scalars(select(ServiceContract)):
        contracts[contract.community_id].append(contract)
    conditions = []
    for community_id, time_zone in communities:
        day = local_date(moment, zone_named(time_zone))
        mine = contracts[community_id]
        in_force = [c for c in mine if c.start_date <= day <= c.end_date]
        chosen = max(in_force or mine, key=lambda c: (c.start_date, c.id), default=None)
        red_line = DEFAULT_RED_LINE if chosen is None else chosen.red_line_score
        conditions.append(
            and_(
                Rating.community_id == community_id,
                or_(
                    Rating.score_speed <= red_line,
                    Rating.score_attitude <= red_line,
                    Rating.score_quality <= red_line,
                ),
            )
        )
    return or_(*conditions) if conditions else Rating.id.is_(None)


# --- reading -----------------------------------------------------------------------------------------
def list_checklist(
    *, session: Session, viewer: Viewer, status: str | None = None
) -> list[ChecklistView]:
    """The checklist items (optionally of one status), most evidence first.

    Committee and managers; owners are refused (``checklists.not_allowed``). Items are
    company-wide; ``adopted_here`` says whether the viewer's community runs the inspection.
    """
    _require_committee_or_manager(viewer)
    if status is not None and status not in CHECKLIST_STATUSES:
        raise DomainError("checklists.status_invalid")
    query = select(ChecklistItem).order_by(
        ChecklistItem.evidence_count.desc(),
        ChecklistItem.community_count.desc(),
        ChecklistItem.id,
    )
    if status is not None:
        query = query.where(ChecklistItem.status == status)
    items = session.scalars(query).all()
    zone = community_zone(session, viewer.community_id)
    here = _codes_in_force(session, viewer.community_id)
    return [
        ChecklistView(
            item_id=item.id,
            title=item.title,
            category=item.category,
            place_kind=item.place_kind,
            keywords=tuple(w for w in item.keywords.split(",") if w),
            evidence_count=item.evidence_count,
            community_count=item.community_count,
            first_seen_at=_local(item.first_seen_at, zone),
            last_seen_at=_local(item.last_seen_at, zone),
            computed_at=_local(item.computed_at, zone),
            status=item.status,
            decided_at=stored_to_local(item.decided_at, zone),
            service_item_code=item.service_item_code,
            adopted_here=service_item_code(item.id) in here,
            version=item.version,
        )
        for item in items
    ]


def checklist_evidence(
    *, session: Session, viewer: Viewer, item_id: int, limit: int = EVIDENCE_LIMIT
) -> ChecklistEvidence:
    """The evidence behind an item as of its last analysis: the newest ``limit`` cases of the
    viewer's community (texts masked for the committee: names and personal data, see
    ``privacy.text_masker``; the low rating of an in-home order redacted, see ``_example``), and
    of the other communities only how many cases and communities.

    The grouping is recomputed over the window that ended at the item's ``computed_at``
    (``CHECKLIST_MONTHS`` long), so the cases are the ones that were counted.
    """
    _require_committee_or_manager(viewer)
    item = session.get(ChecklistItem, item_id)
    if item is None:
        raise DomainError("checklists.not_found")
    end = item.computed_at
    # Orders are grouped within their (category, kind of place): the others cannot change it.
    records = [
        r
        for r in collect_evidence(
            session=session,
            start=months_before(end, CHECKLIST_MONTHS),
            end=end,
            category=item.category,
        )
        if r.place_kind == item.place_kind
    ]
    pattern = next(
        (
            p
            for p in find_patterns(
                records, place_words=place_words(session=session), min_evidence=1
            )
            if p.key == item.pattern_key
        ),
        None,
    )
    evidence = pattern.evidence if pattern else ()
    own = [e for e in evidence if e.community_id == viewer.community_id]
    others = [e for e in evidence if e.community_id != viewer.community_id]
    zone = community_zone(session, viewer.community_id)
    masked = text_masker(session, viewer)
    return ChecklistEvidence(
        item_id=item.id,
        examples=tuple(
            _example(viewer, e, _local(e.seen_at, zone), masked) for e in own[: max(limit, 0)]
        ),
        own_count=len(own),
        other_count=len(others),
        other_communities=len({e.community_id for e in others}),
    )


# --- decisions -----------------------------------------------------------------------------------------
def _example(
    viewer: Viewer, record: EvidenceRecord, seen_at: dt.datetime, masked: Callable[[str], str]
) -> EvidenceExample:
    """One case as the viewer may see it. Managers: as written. The committee: names and
    personal data masked, an in-home order's unit masked; the low rating of someone else's
    in-home order is redacted (``privacy.redacts_private``): its comment is left out, and an
    order that is evidence only through that rating shows a neutral title and its building."""
    if sees_unmasked(viewer):
        return EvidenceExample(
            record.code, record.sources, seen_at, record.title, record.detail, record.location
        )
    location = mask_unit(record.location) if record.is_private else record.location
    title, detail = record.title, record.detail
    if redacts_private_for(viewer, record.is_private, record.reporter_id):
        detail = record.description  # the complaint's own text, without the rating's comment
        if "complaint" not in record.sources:
            title, location = private_title(), record.area
    return EvidenceExample(
        code=record.code,
        sources=record.sources,
        seen_at=seen_at,
        title=masked(title),
        detail=masked(detail),
        location=location,
    )


def adopt_checklist_item(
    *,
    session: Session,
    viewer: Viewer,
    item_id: int,
    now: dt.datetime,
    expected_version: int,
    recurrence: str = "weekly",
    weekday: int = 1,
) -> AdoptResult:
    """采纳为巡检项目: make the item a recurring inspection of the manager's community.

    Creates a service item ``QC<id>`` in the manager's community's contract in force today
    (basic tier, the category that inspects such places, 09:00–11:00 local, 30 minutes, weekly
    on ISO ``weekday`` or daily) and generates its plan tasks for the next four weeks, so they
    show in 服务计划 at once. It starts today, or tomorrow when today's window is already over
    (a task born missed would count against the plan). Only the manager's own community gets
    it: a manager cannot change another community's contract. The item becomes "adopted"
    company-wide (decided_at/by the first adoption).

    Raises ``NotAllowed("checklists.managers_only")``; ``DomainError``: ``checklists.not_found``,
    ``checklists.changed_meanwhile``, ``checklists.recurrence_invalid``,
    ``checklists.weekday_invalid``, ``checklists.no_contract``, ``checklists.already_adopted``.
    """
    _require_manager(viewer)
    if recurrence not in ADOPT_RECURRENCES:
        raise DomainError("checklists.recurrence_invalid")
    if recurrence == "weekly" and weekday not in range(1, 8):
        raise DomainError("checklists.weekday_invalid")
    item = _item_at_version(session, item_id, expected_version)
    now = to_stored_utc(now)
    zone = community_zone(session, viewer.community_id)
    local_now = now.replace(tzinfo=dt.UTC).astimezone(zone)
    today = local_now.date()
    contract = session.scalar(
        select(ServiceContract)
        .where(
            ServiceContract.community_id == viewer.community_id,
            ServiceContract.start_date <= today,
            ServiceContract.end_date >= today,
        )
        .order_by(ServiceContract.start_date.desc(), ServiceContract.id.desc())
        .limit(1)
    )
    if contract is None:
        raise DomainError("checklists.no_contract")
    code = service_item_code(item.id)
    if code in _codes_in_force(session, viewer.community_id, today):
        raise DomainError("checklists.already_adopted")

    window_start, window_end = INSPECTION_WINDOW
    first_day = today if local_now.time() < window_end else today + dt.timedelta(days=1)
    service_item = ServiceItem(
        contract_id=contract.id,
        code=code,
        name=item.title[:SERVICE_NAME_MAX],
        tier="basic",
        category=SERVICE_CATEGORY_FOR.get(item.category, "customer_service"),
        standard=_standard_text(item),
        recurrence=recurrence,
        times_per_day=1,
        weekdays=str(weekday) if recurrence == "weekly" else "",
        month_days="",
        window_start=window_start,
        window_end=window_end,
        expected_minutes=INSPECTION_MINUTES,
        area_id=None,
        default_assignee_id=None,
        valid_from=first_day,
        valid_to=None,
    )
    session.add(service_item)
    decision: dict[str, object] = {"service_item_code": code}
    if item.status != "adopted":
        decision |= {"status": "adopted", "decided_at": now, "decided_by_id": viewer.account_id}
    bump_version(session, item, "checklists.changed_meanwhile", **decision)
    session.flush()
    # The generator fills the whole community's plan for those days (idempotently); the
    # inspection's own tasks are counted for the manager.
    generate_plan_tasks(
        session=session,
        community_id=viewer.community_id,
        start=first_day,
        end=first_day + dt.timedelta(days=PLAN_AHEAD_DAYS - 1),
    )
    tasks = session.scalar(
        select(func.count()).select_from(PlanTask).where(PlanTask.item_id == service_item.id)
    )
    return AdoptResult(
        service_item_id=service_item.id,
        service_item_code=code,
        valid_from=first_day,
        tasks_created=int(tasks or 0),
    )


def dismiss_checklist_item(
    *, session: Session, viewer: Viewer, item_id: int, now: dt.datetime, expected_version: int
) -> None:
    """不采纳: mark a proposed item dismissed (company-wide; it may still be adopted later).

    Raises ``NotAllowed("checklists.managers_only")``; ``DomainError``: ``checklists.not_found``,
    ``checklists.changed_meanwhile``, ``checklists.cannot_dismiss_adopted``,
    ``checklists.already_dismissed``.
    """
    _require_manager(viewer)
    item = _item_at_version(session, item_id, expected_version)
    if item.status == "adopted":
        raise DomainError("checklists.cannot_dismiss_adopted")
    if item.status == "dismissed":
        raise DomainError("checklists.already_dismissed")
    bump_version(
        session,
        item,
        "checklists.changed_meanwhile",
        status="dismissed",
        decided_at=to_stored_utc(now),
        decided_by_id=viewer.account_id,
    )


# --- helpers -----------------------------------------------------------------------------------------
def _require_manager(viewer: Viewer) -> None:
    if not viewer.is_manager:
        raise NotAllowed("checklists.managers_only")


def _require_committee_or_manager(viewer: Viewer) -> None:
    if not (viewer.is_committee or viewer.is_manager):
        raise NotAllowed("checklists.not_allowed")


def _item_at_version(session: Session, item_id: int, expected_version: int) -> ChecklistItem:
    item = session.get(ChecklistItem, item_id, with_for_update=True)
    if item is None:
        raise DomainError("checklists.not_found")
    if item.version != expected_version:
        raise DomainError("checklists.changed_meanwhile")
    return item


def _codes_in_force(session: Session, community_id: int, day: dt.date | None = None) -> set[str]:
    """Codes of the inspection items (QC…) the community runs: on ``day`` or later if given
    (contract and item still valid then), else the items without an end."""
    query = (
        select(ServiceItem.code)
        .join(ServiceContract, ServiceItem.contract_id == ServiceContract.id)
        .where(
            ServiceContract.community_id == community_id,
            ServiceItem.code.like(f"{CODE_PREFIX}%"),
        )
    )
    if day is None:
        query = query.where(ServiceItem.valid_to.is_(None))
    else:
        query = query.where(
            ServiceContract.end_date >= day,
            or_(ServiceItem.valid_to.is_(None), ServiceItem.valid_to >= day),
        )
    return set(session.scalars(query))


def _standard_text(item: ChecklistItem) -> str:
    keywords = "、".join(w for w in item.keywords.split(",") if w)
    return translate(
        "checklists.standard",
        TITLE_LANGUAGE,
        place=label("checklists.place_kind", item.place_kind, TITLE_LANGUAGE),
        category=label("order_category", item.category, TITLE_LANGUAGE),
        keywords=keywords,
        months=CHECKLIST_MONTHS,
        evidence=item.evidence_count,
        communities=item.community_count,
    )


def _local(moment: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    local = stored_to_local(moment, zone)
    assert local is not None
    return local
