"""Ratings of completed orders by the owners who reported them, and the managers' replies.

Scores are skewed like real ones (mostly 4–5, a tail of 1–2 with comments); late orders are
rated worse. A low rating has every dimension at or below the red line, a good one none, so
"at or below the red line" means the same whichever way the app aggregates the dimensions.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from sqlalchemy.orm import Session

from data_access.models import Rating
from seed.core import (
    CommunityWorld,
    PersonRef,
    SeedContext,
    insert_returning_ids,
    pick,
    seconds,
    weighted,
)
from seed.photos import add_photo
from seed.texts import COMPLAINT_COMMENTS, MIXED, PRAISE, REPLIES_BAD, REPLIES_GOOD
from seed.work_orders import OrderDraft

RATED_SHARE = 0.55
SCORES: dict[str, dict[int, float]] = {
    "一级": {5: 0.58, 4: 0.27, 3: 0.07, 2: 0.045, 1: 0.035},
    "二级": {5: 0.50, 4: 0.28, 3: 0.10, 2: 0.07, 1: 0.05},
    "三级": {5: 0.42, 4: 0.30, 3: 0.13, 2: 0.09, 1: 0.06},
}
SCORES_WHEN_LATE = {5: 0.22, 4: 0.28, 3: 0.2, 2: 0.17, 1: 0.13}
DIMENSIONS = {5: (5, 5, 5, 4), 4: (4, 4, 5, 3), 3: (3, 3, 4), 2: (2, 2, 1), 1: (1, 1, 2)}
REPLY_ON_TIME = 0.88
NEVER_REPLIED = 0.04
# A rating the company "never" answered is still open only if it is recent; older ones were
# answered in the end, very late (a year-old unanswered rating would look like a broken demo).
NEVER_REPLIED_WINDOW = dt.timedelta(days=30)
VERY_LATE_SHARE = 3.0  # of the reply deadline
VERY_LATE_REPLY = "抱歉这么晚才回复您。我们已复盘此事,并安排专人回访。"
PHOTOS_PER_COMMUNITY = 4


@dataclass
class RatingDraft:
    order: OrderDraft
    owner: PersonRef
    scores: tuple[int, int, int]
    comment: str
    created_at: dt.datetime
    reply_due_at: dt.datetime
    reply: str = ""
    replied_at: dt.datetime | None = None
    id: int | None = None

    @property
    def mean(self) -> float:
        return sum(self.scores) / 3


def create_ratings(
    session: Session, ctx: SeedContext, world: CommunityWorld, orders: list[OrderDraft]
) -> list[RatingDraft]:
    rng = ctx.rng("ratings", world.code)
    assert world.contract is not None and world.manager is not None
    reply_hours = world.contract.reply_deadline_hours
    ratings = []
    for order in orders:
        completed = order.completed_at
        if completed is None or not order.reporter_is_owner or order.rating == ():
            continue
        if order.rating is None and rng.random() >= RATED_SHARE:
            continue
        if order.rating:
            speed, attitude, quality, comment = order.rating
            scores = (speed, attitude, quality)
            created = completed + dt.timedelta(hours=3)
        else:
            scores, comment = _scores(rng, world, order)
            created = completed + dt.timedelta(hours=min(rng.expovariate(1 / 10), 7 * 24))
        if created > ctx.now:
            continue
        assert order.reporter is not None
        rating = RatingDraft(
            order=order,
            owner=order.reporter,
            scores=scores,
            comment=comment,
            created_at=seconds(created),
            reply_due_at=seconds(created + dt.timedelta(hours=reply_hours)),
        )
        _reply(rng, ctx, rating, reply_hours)
        ratings.append(rating)
    ratings.sort(key=lambda r: (r.created_at, r.order.code))
    ids = insert_returning_ids(
        session,
        Rating,
        [
            {
                "community_id": world.id,
                "work_order_id": r.order.id,
                "owner_id": r.owner.account_id,
                "score_speed": r.scores[0],
                "score_attitude": r.scores[1],
                "score_quality": r.scores[2],
                "comment": r.comment,
                "created_at": r.created_at,
                "updated_at": r.created_at,
                "reply_due_at": r.reply_due_at,
                "reply": r.reply,
                "replied_at": r.replied_at,
                "replied_by_id": world.manager.account_id if r.replied_at else None,
                "version": 1,
            }
            for r in ratings
        ],
    )
    for rating, rating_id in zip(ratings, ids, strict=True):
        rating.id = rating_id
    _add_photos(session, ctx, world, rng, ratings)
    return ratings


def _scores(
    rng: random.Random, world: CommunityWorld, order: OrderDraft
) -> tuple[tuple[int, int, int], str]:
    completed = order.completed_at
    late = completed is not None and completed > order.resolve_due_at
    overall = weighted(rng, SCORES_WHEN_LATE if late else SCORES[world.service_level])
    scores = tuple(rng.choice(DIMENSIONS[overall]) for _ in range(3))
    if overall >= 4:
        comment = pick(rng, PRAISE)
    elif overall == 3:
        comment = pick(rng, MIXED)
    else:
        comment = pick(rng, COMPLAINT_COMMENTS)
    return (scores[0], scores[1], scores[2]), comment


def _reply(rng: random.Random, ctx: SeedContext, rating: RatingDraft, hours: int) -> None:
    if rng.random() < NEVER_REPLIED:
        # No further random draws here: the other ratings' draws stay as they were.
        late = seconds(rating.created_at + dt.timedelta(hours=hours * VERY_LATE_SHARE))
        if rating.created_at < ctx.now - NEVER_REPLIED_WINDOW and late <= ctx.now:
            rating.replied_at, rating.reply = late, VERY_LATE_REPLY
        return
    share = rng.uniform(0.05, 0.95) if rng.random() < REPLY_ON_TIME else rng.uniform(1.05, 2.5)
    replied = seconds(rating.created_at + dt.timedelta(hours=hours * share))
    if replied > ctx.now:
        return
    rating.replied_at = replied
    rating.reply = pick(rng, REPLIES_GOOD if rating.mean >= 3 else REPLIES_BAD)


def _add_photos(
    session: Session,
    ctx: SeedContext,
    world: CommunityWorld,
    rng: random.Random,
    ratings: list[RatingDraft],
) -> None:
    """Owners sometimes attach a photo to a low rating to show what is still wrong."""
    low = [r for r in ratings if r.mean <= 2 and r.created_at >= ctx.now - dt.timedelta(days=60)]
    for rating in sorted(
        rng.sample(low, min(PHOTOS_PER_COMMUNITY, len(low))), key=lambda r: r.created_at
    ):
        order = rating.order
        add_photo(
            session,
            ctx,
            kind="evidence",
            category=order.category,
            title=order.title,
            place=order.location,
            at=rating.created_at,
            code=f"PJ{rating.id:06d}",
            caption=rating.comment[:100],
            rating_id=rating.id,
        )
