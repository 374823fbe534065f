"""The domain model: every table of the operational database (described in docs/domain.md).

Conventions:
- Timestamps are stored in UTC as naive ``DateTime`` values (``UtcDateTime`` below makes sure
  of it); local dates (a plan task's due date, a shift's date) are the community's local date.
- Event tables (``work_order_events``, ``ticket_events``) are append-only: code only inserts.
- Codes such as ``category`` or ``stage`` are short ASCII strings; their labels live in the
  UI catalog (``i18n``) so both languages share one database.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
    Time,
    TypeDecorator,
    UniqueConstraint,
    event,
    false,
    text,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship

from data_access.timestamps import DEFAULT_TIME_ZONE

# Stable constraint names, so Alembic migrations can refer to them on every engine.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[dt.datetime]):
    """A timestamp stored as naive UTC; aware values are converted, naive ones taken as UTC."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: object) -> dt.datetime | None:
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value

    def process_result_value(
        self, value: dt.datetime | None, dialect: object
    ) -> dt.datetime | None:
        return value


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


# --- vocabularies (codes; labels are in i18n) -------------------------------------------------
ROLES = ("owner", "committee", "manager")
SERVICE_TIERS = ("basic", "brand")
SERVICE_CATEGORIES = (
    "cleaning",
    "greening",
    "security",
    "engineering",
    "elevator",
    "customer_service",
    "events",
)
RECURRENCE_KINDS = ("daily", "weekly", "monthly")
PLAN_TASK_STATUSES = ("planned", "done", "cancelled")
WORK_ORDER_TYPES = ("repair", "complaint", "brand_service", "rectification")
WORK_ORDER_CATEGORIES = (
    "plumbing",
    "electrical",
    "elevator",
    "access_control",
    "cleaning",
    "greening",
    "security",
    "parking",
    "noise",
    "facilities",
    "events",
    "other",
)
PRIORITIES = ("urgent", "normal", "low")
VISIBILITIES = ("public", "private")
PHOTO_KINDS = ("before", "during", "after", "evidence")
TICKET_STATUSES = (
    "submitted",
    "accepted",
    "rejected",
    "in_progress",
    "awaiting_confirmation",
    "closed",
)
TICKET_SOURCES = ("rating", "owner", "on_behalf")
ALERT_STATES = ("open", "acknowledged", "resolved")
SEVERITIES = ("high", "medium", "low")


def _in(column: str, values: tuple[str, ...]) -> str:
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"


def _score(column: str) -> CheckConstraint:
    return CheckConstraint(f"{column} BETWEEN 1 AND 5", name=f"{column}_1_to_5")


# --- communities, places, people --------------------------------------------------------------
class Community(Base):
    __tablename__ = "communities"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    city: Mapped[str] = mapped_column(String(50))
    address: Mapped[str] = mapped_column(String(200))
    time_zone: Mapped[str] = mapped_column(String(64), default=DEFAULT_TIME_ZONE)
    # The service desk (物业服务中心) an owner calls about their order; "" when not known.
    service_phone: Mapped[str] = mapped_column(String(30), default="", server_default="")
    # Site-plan extent (metres), the coordinate space of areas and checkpoints.
    site_width_m: Mapped[float] = mapped_column(Float, default=400.0)
    site_height_m: Mapped[float] = mapped_column(Float, default=300.0)

    areas: Mapped[list[Area]] = relationship(back_populates="community")
    contracts: Mapped[list[ServiceContract]] = relationship(back_populates="community")


class Area(Base):
    """A building (楼栋) or a public area (园区, 地库, 大堂…) of a community."""

    __tablename__ = "areas"
    __table_args__ = (
        UniqueConstraint("community_id", "name"),
        CheckConstraint(
            _in("kind", ("building", "garden", "garage", "lobby", "gate", "facility")), name="kind"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), index=True)
    name: Mapped[str] = mapped_column(String(50))
    kind: Mapped[str] = mapped_column(String(16))
    x: Mapped[float] = mapped_column(Float)
    y: Mapped[float] = mapped_column(Float)

    community: Mapped[Community] = relationship(back_populates="areas")


class Unit(Base):
    """A home: building + entrance (单元) + room."""

    __tablename__ = "units"
    __table_args__ = (UniqueConstraint("building_id", "entrance", "room"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), index=True)
    building_id: Mapped[int] = mapped_column(ForeignKey("areas.id"))
    entrance: Mapped[int] = mapped_column(Integer)
    room: Mapped[str] = mapped_column(String(10))
    floor_area_m2: Mapped[float] = mapped_column(Float)

    building: Mapped[Area] = relationship()


class Account(Base):
    """A login. Role and community are read from here on every run, never from the cookie."""

    __tablename__ = "accounts"
    __table_args__ = (CheckConstraint(_in("role", ROLES), name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(50))
    phone: Mapped[str] = mapped_column(String(20), default="")
    password_hash: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(16))
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), index=True)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Bumped on logout-everywhere, password or role change: sessions holding an older one end.
    token_version: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    # The account's own choices, kept across devices and tabs (None: the default language).
    language: Mapped[str | None] = mapped_column(String(5))
    large_text: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Where messages reach the person outside the app (``data_access.outbox``): an e-mail
    # address they gave, the openid the official account's OAuth returned; "" / None: none.
    email: Mapped[str] = mapped_column(String(254), default="", server_default="")
    wechat_openid: Mapped[str | None] = mapped_column(String(64), unique=True)
    # "22:00-07:00" (community's local time); None: the default quiet hours.
    quiet_hours: Mapped[str | None] = mapped_column(String(11))
    # The channels to try in order, comma-separated ("wechat,email,sms"); None: the default.
    channel_order: Mapped[str | None] = mapped_column(String(40))

    community: Mapped[Community] = relationship()
    units: Mapped[list[Unit]] = relationship(secondary="owner_units")


class LoginSession(Base):
    """A logged-in browser: the login cookie names this row, and every page run checks it is
    still valid (not revoked, not expired, and issued under the account's current
    ``token_version``), so logout, a password or role change, or disabling the account ends it."""

    __tablename__ = "login_sessions"
    __table_args__ = (Index("ix_login_sessions_account", "account_id"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # random, unguessable
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    token_version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    last_seen_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class LoginAttempt(Base):
    """One password attempt, kept for the lockout window: per account name (known or not) and
    per client, so that neither a guessed account nor a guessing client gets unlimited tries."""

    __tablename__ = "login_attempts"
    __table_args__ = (
        Index("ix_login_attempts_username_time", "username", "attempted_at"),
        Index("ix_login_attempts_client_time", "client_key", "attempted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64))
    client_key: Mapped[str] = mapped_column(String(64))  # a hash of the client's address
    attempted_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    succeeded: Mapped[bool] = mapped_column(Boolean, default=False)


class OwnerUnit(Base):
    """Which owner accounts live in which units (an owner may hold several)."""

    __tablename__ = "owner_units"

    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True, index=True)


class Staff(Base):
    __tablename__ = "staff"

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), index=True)
    name: Mapped[str] = mapped_column(String(50))
    phone: Mapped[str] = mapped_column(String(20))
    post: Mapped[str] = mapped_column(
        String(32)
    )  # 保安 / 保洁 / 维修工 / 客服 / 绿化工 / 管家 / 经理
    team: Mapped[str] = mapped_column(String(32))
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)


# --- service consensus: contract, items, plans -------------------------------------------------
class ServiceContract(Base):
    """服务合同: the promise. KPI targets and deadlines that the app measures against."""

    __tablename__ = "service_contracts"
    __table_args__ = (
        CheckConstraint("end_date > start_date", name="period"),
        CheckConstraint("red_line_score BETWEEN 1 AND 5", name="red_line_1_to_5"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), index=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date] = mapped_column(Date)
    # None until the company records it (a community read from its operational system).
    fee_per_m2_month: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    service_level: Mapped[str | None] = mapped_column(String(16))  # 一级 / 二级 / 三级
    target_plan_completion: Mapped[float] = mapped_column(Float)
    target_actual_completion: Mapped[float] = mapped_column(Float)
    target_timeliness: Mapped[float] = mapped_column(Float)
    target_rectification: Mapped[float] = mapped_column(Float)
    target_satisfaction: Mapped[float] = mapped_column(Float)  # mean score, 1–5
    target_reply_timeliness: Mapped[float] = mapped_column(Float)
    red_line_score: Mapped[int] = mapped_column(Integer, default=2)
    reply_deadline_hours: Mapped[int] = mapped_column(Integer, default=24)
    accept_deadline_hours: Mapped[int] = mapped_column(Integer, default=24)
    fix_deadline_days: Mapped[int] = mapped_column(Integer, default=7)
    auto_close_days: Mapped[int] = mapped_column(Integer, default=7)
    # Early-warning thresholds (预警); server defaults fill existing contracts.
    hotspot_min_count: Mapped[int] = mapped_column(Integer, default=3, server_default="3")
    hotspot_window_days: Mapped[int] = mapped_column(Integer, default=30, server_default="30")
    missed_checkpoints_per_day: Mapped[int] = mapped_column(Integer, default=3, server_default="3")
    fault_streak_count: Mapped[int] = mapped_column(Integer, default=3, server_default="3")
    fault_streak_days: Mapped[int] = mapped_column(Integer, default=30, server_default="30")
    # 我也遇到: how many owners' "me too" on one open record raise an alert, and how much each
    # weighs as evidence for a hotspot (0: not counted, 1: like one more order).
    me_too_alert_count: Mapped[int] = mapped_column(Integer, default=5, server_default="5")
    me_too_hotspot_weight: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # Per-owner limits against spam; managers are exempt. Tickets an owner opens per local day
    # of the community, and rating edits per rolling hour (ticket_commands, ratings).
    max_owner_tickets_per_day: Mapped[int] = mapped_column(Integer, default=10, server_default="10")
    max_rating_edits_per_hour: Mapped[int] = mapped_column(Integer, default=5, server_default="5")

    community: Mapped[Community] = relationship(back_populates="contracts")
    items: Mapped[list[ServiceItem]] = relationship(back_populates="contract")
    sla_rules: Mapped[list[SlaRule]] = relationship(back_populates="contract")


class SlaRule(Base):
    """Response and resolution deadlines per work-order type, category (or any) and priority."""

    __tablename__ = "sla_rules"
    __table_args__ = (
        UniqueConstraint("contract_id", "order_type", "category", "priority"),
        CheckConstraint(
            "respond_minutes > 0 AND resolve_minutes >= respond_minutes", name="minutes"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("service_contracts.id"))
    order_type: Mapped[str] = mapped_column(String(16))
    category: Mapped[str] = mapped_column(String(32), default="*")  # "*" = any category
    priority: Mapped[str] = mapped_column(String(8))
    respond_minutes: Mapped[int] = mapped_column(Integer)
    resolve_minutes: Mapped[int] = mapped_column(Integer)

    contract: Mapped[ServiceContract] = relationship(back_populates="sla_rules")


class ServiceItem(Base):
    """服务项目: one promised, recurring piece of work (e.g. 大堂保洁 daily 3 times)."""

    __tablename__ = "service_items"
    __table_args__ = (
        # An item is versioned: a change closes one row (valid_to) and opens the next.
        UniqueConstraint("contract_id", "code", "valid_from"),
        CheckConstraint(_in("tier", SERVICE_TIERS), name="tier"),
        CheckConstraint(_in("category", SERVICE_CATEGORIES), name="category"),
        CheckConstraint(_in("recurrence", RECURRENCE_KINDS), name="recurrence"),
        CheckConstraint("times_per_day >= 1", name="times_per_day"),
        CheckConstraint("window_end > window_start", name="window"),
        CheckConstraint("expected_minutes > 0", name="expected_minutes"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("service_contracts.id"), index=True)
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(100))
    tier: Mapped[str] = mapped_column(String(8))
    category: Mapped[str] = mapped_column(String(32))
    standard: Mapped[str] = mapped_column(Text)  # the service standard text
    recurrence: Mapped[str] = mapped_column(String(8))
    times_per_day: Mapped[int] = mapped_column(Integer, default=1)  # daily items: N windows a day
    weekdays: Mapped[str] = mapped_column(String(20), default="")  # weekly: ISO weekdays "1,4"
    month_days: Mapped[str] = mapped_column(String(90), default="")  # monthly: "1,15,31"
    window_start: Mapped[dt.time] = mapped_column(Time)  # local time of day
    window_end: Mapped[dt.time] = mapped_column(Time)
    expected_minutes: Mapped[int] = mapped_column(Integer)
    area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"))
    default_assignee_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    # Changes take effect for future tasks only: an item is versioned by its validity range.
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)
    # "" ours; "hc"…: read from an operational system, whose tasks come from it too.
    source: Mapped[str] = mapped_column(String(16), default="", server_default="")

    contract: Mapped[ServiceContract] = relationship(back_populates="items")


class PlanTask(Base):
    """计划任务: one occurrence of a service item, generated idempotently (unique key below)."""

    __tablename__ = "plan_tasks"
    __table_args__ = (
        UniqueConstraint("item_id", "due_date", "seq"),
        CheckConstraint(_in("status", PLAN_TASK_STATUSES), name="status"),
        CheckConstraint("window_end_at > window_start_at", name="window"),
        Index("ix_plan_tasks_community_window", "community_id", "window_start_at"),
        # The KPIs count a community's tasks by due date: with every column they read in the
        # index, a month costs that month's index entries, not the community's whole history.
        Index(
            "ix_plan_tasks_community_due",
            "community_id",
            "due_date",
            "status",
            "window_start_at",
            "window_end_at",
            "completed_at",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("service_items.id"))
    due_date: Mapped[dt.date] = mapped_column(Date)  # local date
    seq: Mapped[int] = mapped_column(Integer, default=0)  # n-th window of that day
    window_start_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    window_end_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    status: Mapped[str] = mapped_column(String(12), default="planned")
    completed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    note: Mapped[str] = mapped_column(Text, default="")

    item: Mapped[ServiceItem] = relationship()


# --- patrols ----------------------------------------------------------------------------------
class PatrolRoute(Base):
    __tablename__ = "patrol_routes"
    __table_args__ = (UniqueConstraint("community_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), index=True)
    name: Mapped[str] = mapped_column(String(50))

    checkpoints: Mapped[list[Checkpoint]] = relationship(
        back_populates="route", order_by="Checkpoint.seq"
    )


class Checkpoint(Base):
    """点位: a place on a route, in site-plan metres (``x``, ``y``; NULL when nobody recorded
    where it is). A point is on its route from ``valid_from`` to ``valid_to`` (local dates,
    both inclusive; NULL: open-ended): a shift counts the points on its route that day."""

    __tablename__ = "checkpoints"
    # Not unique: an operational system may number two points alike, or a point may leave a
    # route and come back (two rows, one per stay); pages order by (seq, id).
    __table_args__ = (Index("ix_checkpoints_route_seq", "route_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    route_id: Mapped[int] = mapped_column(ForeignKey("patrol_routes.id"))
    seq: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(50))
    x: Mapped[float | None] = mapped_column(Float)
    y: Mapped[float | None] = mapped_column(Float)
    photo_required: Mapped[bool] = mapped_column(Boolean, default=False)
    valid_from: Mapped[dt.date | None] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)

    route: Mapped[PatrolRoute] = relationship(back_populates="checkpoints")


class PatrolPlan(Base):
    """巡检计划: how often a post walks a route. ``time_slots`` is "08:00-08:40,14:00-14:40"."""

    __tablename__ = "patrol_plans"
    __table_args__ = (
        CheckConstraint("times_per_day >= 1", name="times_per_day"),
        CheckConstraint(
            "expected_minutes > 0 AND (expected_distance_m IS NULL OR expected_distance_m > 0)",
            name="expectations",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), index=True)
    route_id: Mapped[int] = mapped_column(ForeignKey("patrol_routes.id"))
    name: Mapped[str] = mapped_column(String(50))
    post: Mapped[str] = mapped_column(String(32))
    times_per_day: Mapped[int] = mapped_column(Integer)
    time_slots: Mapped[str] = mapped_column(String(200))
    expected_minutes: Mapped[int] = mapped_column(Integer)
    # NULL: not known (an operational system without the points' coordinates), never 0.
    expected_distance_m: Mapped[float | None] = mapped_column(Float)
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)
    # "" ours; "hc"…: read from an operational system, whose shifts come from it too (our
    # generator leaves such plans alone).
    source: Mapped[str] = mapped_column(String(16), default="", server_default="")

    route: Mapped[PatrolRoute] = relationship()


class PatrolShift(Base):
    """巡检班次: one walk of a plan's route in one time slot of one day."""

    __tablename__ = "patrol_shifts"
    __table_args__ = (
        UniqueConstraint("plan_id", "shift_date", "slot_no"),
        Index("ix_patrol_shifts_community_start", "community_id", "planned_start_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    plan_id: Mapped[int] = mapped_column(ForeignKey("patrol_plans.id"))
    shift_date: Mapped[dt.date] = mapped_column(Date)  # local date
    slot_no: Mapped[int] = mapped_column(Integer)
    guard_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    planned_start_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    planned_end_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    started_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    ended_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    distance_m: Mapped[float | None] = mapped_column(Float)  # 巡检里程 actually walked

    plan: Mapped[PatrolPlan] = relationship()


class PatrolCheckin(Base):
    __tablename__ = "patrol_checkins"
    __table_args__ = (UniqueConstraint("shift_id", "checkpoint_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    shift_id: Mapped[int] = mapped_column(ForeignKey("patrol_shifts.id"))
    checkpoint_id: Mapped[int] = mapped_column(ForeignKey("checkpoints.id"))
    checked_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


# --- work orders --------------------------------------------------------------------------------
class WorkOrder(Base):
    """工单. Its stage and progress are derived from its events (see ``flows``), never stored.

    ``responded_at`` and ``completed_at`` are facts of the event log copied here when the event
    is written (in the same transaction) so that SLA and open-order queries can use an index.
    """

    __tablename__ = "work_orders"
    __table_args__ = (
        UniqueConstraint("community_id", "code"),
        UniqueConstraint("community_id", "external_id"),
        CheckConstraint(_in("order_type", WORK_ORDER_TYPES), name="order_type"),
        CheckConstraint(_in("category", WORK_ORDER_CATEGORIES), name="category"),
        CheckConstraint(_in("priority", PRIORITIES), name="priority"),
        CheckConstraint(_in("visibility", VISIBILITIES), name="visibility"),
        # With the deadline columns the KPIs read, counting a span of orders reads the index only.
        Index(
            "ix_work_orders_community_created",
            *("community_id", "created_at", "respond_due_at", "resolve_due_at"),
            *("responded_at", "completed_at"),
        ),
        Index("ix_work_orders_community_open", "community_id", "completed_at"),
        Index("ix_work_orders_reporter", "reporter_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    code: Mapped[str] = mapped_column(String(32))
    external_id: Mapped[str | None] = mapped_column(String(64))  # id in the system it came from
    source: Mapped[str] = mapped_column(String(16), default="app")  # app / phone / import
    order_type: Mapped[str] = mapped_column(String(16))
    category: Mapped[str] = mapped_column(String(32))
    priority: Mapped[str] = mapped_column(String(8), default="normal")
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    location: Mapped[str] = mapped_column(String(200), default="")
    visibility: Mapped[str] = mapped_column(String(8), default="public")
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    reporter_name: Mapped[str] = mapped_column(String(50), default="")
    reporter_phone: Mapped[str] = mapped_column(String(20), default="")
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    respond_due_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    resolve_due_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    responded_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    # False when the source does not tell when (or whether) the order was responded to — an
    # export without a response column, or a closed row with none: its response deadline
    # cannot be judged (data_access.orders.deadlines), which is not the same as missed.
    response_recorded: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    completed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    # The visit slot the owner asked for when reporting (我要报修), as they chose it; "" if none.
    preferred_visit: Mapped[str] = mapped_column(String(40), default="", server_default="")
    version: Mapped[int] = mapped_column(Integer, default=1)

    events: Mapped[list[WorkOrderEvent]] = relationship(
        back_populates="work_order", order_by="WorkOrderEvent.occurred_at"
    )
    area: Mapped[Area | None] = relationship()
    unit: Mapped[Unit | None] = relationship()


class WorkOrderEvent(Base):
    """An append-only step of a work order: a stage reached, or a note within the stage."""

    __tablename__ = "work_order_events"
    __table_args__ = (
        Index("ix_work_order_events_order_time", "work_order_id", "occurred_at"),
        # The newest steps of a community (overview feed): walked newest first, stops early.
        Index("ix_work_order_events_time", "occurred_at", "id"),
        # Only the corrections (rare): "is this step superseded?" reads this small index.
        Index(
            "ix_work_order_events_corrections",
            "corrects_event_id",
            postgresql_where=text("corrects_event_id IS NOT NULL"),
            sqlite_where=text("corrects_event_id IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    work_order_id: Mapped[int] = mapped_column(ForeignKey("work_orders.id"))
    stage: Mapped[str] = mapped_column(String(32))
    occurred_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    actor_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    actor_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    actor_name: Mapped[str] = mapped_column(String(50), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    # A correction supersedes an earlier step of the same stage whose time was wrong
    # (``data_access.orders.steps``); its ``actor_name`` is the source that corrected it and
    # ``recorded_at`` when. Ordinary steps leave both empty.
    corrects_event_id: Mapped[int | None] = mapped_column(ForeignKey("work_order_events.id"))
    recorded_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)

    work_order: Mapped[WorkOrder] = relationship(back_populates="events")


class LastLook(Base):
    """When an account last looked at something: what happened later counts as new (unread)
    for them. ``scope`` says what it looked at: a whole list ("notifications", "console") with
    ``subject_id`` ``WHOLE_LIST`` (0), or one record ("order": ``subject_id`` is the work order's
    id). Read and written through ``data_access.accounts.last_looks`` only."""

    __tablename__ = "last_looks"

    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), primary_key=True)
    scope: Mapped[str] = mapped_column(String(32), primary_key=True)
    subject_id: Mapped[int] = mapped_column(
        Integer, primary_key=True, autoincrement=False, server_default="0"
    )
    seen_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class Notice(Base):
    """A message to one account about one of its records, kept as a row so that it can also
    leave the app (the outbound channels deliver these rows). Today one kind: "order_completed"
    — an order the account reported is completed and may be rated. Written once per (kind,
    order, account) by ``notifications.notices``; read in the notifications feed."""

    __tablename__ = "notices"
    __table_args__ = (
        UniqueConstraint("kind", "work_order_id", "account_id"),
        Index("ix_notices_account_created", "account_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    kind: Mapped[str] = mapped_column(String(24))
    work_order_id: Mapped[int] = mapped_column(ForeignKey("work_orders.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class WorkOrderPart(Base):
    """Parts and materials bought during the 配件采购 stage."""

    __tablename__ = "work_order_parts"

    id: Mapped[int] = mapped_column(primary_key=True)
    work_order_id: Mapped[int] = mapped_column(ForeignKey("work_orders.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    quantity: Mapped[int] = mapped_column(Integer, default=1)
    ordered_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    arrived_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


# --- photos ------------------------------------------------------------------------------------
class Photo(Base):
    """A picture's content, stored once under ``media/<sha256[:2]>/<sha256>.<ext>``."""

    __tablename__ = "photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)  # of the stored file
    # Of the uploaded bytes, so that the same upload again is found without decoding it. NULL
    # for photos stored before it was recorded; a second upload of the same picture with other
    # metadata finds this row by ``sha256`` and is not recorded (it is decoded each time).
    source_sha256: Mapped[str | None] = mapped_column(String(64), unique=True)
    mime_type: Mapped[str] = mapped_column(String(32))
    size_bytes: Mapped[int] = mapped_column(Integer)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    taken_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    uploaded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class PhotoAttachment(Base):
    """Where a photo is shown, and as what (before/during/after/evidence).

    Exactly one subject column is set.
    """

    __tablename__ = "photo_attachments"
    __table_args__ = (
        CheckConstraint(_in("kind", PHOTO_KINDS), name="kind"),
        CheckConstraint(
            "(CASE WHEN work_order_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN ticket_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN rating_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN plan_task_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN checkin_id IS NULL THEN 0 ELSE 1 END) = 1",
            name="one_subject",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    photo_id: Mapped[int] = mapped_column(ForeignKey("photos.id"))
    kind: Mapped[str] = mapped_column(String(12))
    work_order_id: Mapped[int | None] = mapped_column(ForeignKey("work_orders.id"), index=True)
    work_order_event_id: Mapped[int | None] = mapped_column(ForeignKey("work_order_events.id"))
    ticket_id: Mapped[int | None] = mapped_column(
        ForeignKey("rectification_tickets.id"), index=True
    )
    ticket_event_id: Mapped[int | None] = mapped_column(ForeignKey("ticket_events.id"))
    rating_id: Mapped[int | None] = mapped_column(ForeignKey("ratings.id"), index=True)
    plan_task_id: Mapped[int | None] = mapped_column(ForeignKey("plan_tasks.id"), index=True)
    checkin_id: Mapped[int | None] = mapped_column(ForeignKey("patrol_checkins.id"), index=True)
    caption: Mapped[str] = mapped_column(String(200), default="")
    attached_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)

    photo: Mapped[Photo] = relationship()


# --- evaluate → rectify → publish --------------------------------------------------------------
class Rating(Base):
    __tablename__ = "ratings"
    __table_args__ = (
        UniqueConstraint("work_order_id", "owner_id"),
        # The form's one-time key: a resubmitted form (double click, retried request) is the
        # same rating, not a second one. NULL for ratings made elsewhere (seed, import).
        UniqueConstraint("owner_id", "submission_key"),
        _score("score_speed"),
        _score("score_attitude"),
        _score("score_quality"),
        Index("ix_ratings_community_created", "community_id", "created_at"),
        # An owner's replied ratings, for their notifications (unread count on every page).
        Index("ix_ratings_owner_replied", "owner_id", "community_id", "replied_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    work_order_id: Mapped[int] = mapped_column(ForeignKey("work_orders.id"))
    owner_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    score_speed: Mapped[int] = mapped_column(Integer)
    score_attitude: Mapped[int] = mapped_column(Integer)
    score_quality: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    reply_due_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    reply: Mapped[str] = mapped_column(Text, default="")
    replied_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    replied_by_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    submission_key: Mapped[str | None] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer, default=1)
    # Read from an operational system at its first sync after its reply window had passed:
    # it counts in every figure, but opened no ticket and is not queued for a reply.
    historical: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class RatingEdit(Base):
    """What a rating said before its owner edited it (append-only; one row per edit)."""

    __tablename__ = "rating_edits"
    __table_args__ = (Index("ix_rating_edits_rating_time", "rating_id", "edited_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    rating_id: Mapped[int] = mapped_column(ForeignKey("ratings.id"))
    edited_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    edited_by_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    previous_speed: Mapped[int] = mapped_column(Integer)
    previous_attitude: Mapped[int] = mapped_column(Integer)
    previous_quality: Mapped[int] = mapped_column(Integer)
    previous_comment: Mapped[str] = mapped_column(Text, default="")


class RectificationTicket(Base):
    """整改单. ``status`` is the state machine's current state (flows.TICKET_TRANSITIONS);
    every change also appends a ``TicketEvent``. ``version`` guards concurrent edits."""

    __tablename__ = "rectification_tickets"
    __table_args__ = (
        UniqueConstraint("community_id", "code"),
        UniqueConstraint("rating_id"),
        CheckConstraint(_in("status", TICKET_STATUSES), name="status"),
        CheckConstraint(_in("source", TICKET_SOURCES), name="source"),
        CheckConstraint("status <> 'rejected' OR reject_reason <> ''", name="reject_reason"),
        Index("ix_tickets_community_created", "community_id", "created_at"),
        Index("ix_tickets_community_status", "community_id", "status"),
        # An owner's tickets, for their notifications (unread count on every page).
        Index("ix_tickets_owner", "owner_id", "community_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    code: Mapped[str] = mapped_column(String(32))
    source: Mapped[str] = mapped_column(String(12))
    rating_id: Mapped[int | None] = mapped_column(ForeignKey("ratings.id"))
    work_order_id: Mapped[int | None] = mapped_column(ForeignKey("work_orders.id"))
    title: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(32))
    description: Mapped[str] = mapped_column(Text, default="")
    area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"))
    location: Mapped[str] = mapped_column(String(200), default="")
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))  # whose ticket it is
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))  # staff on behalf
    status: Mapped[str] = mapped_column(String(24), default="submitted")
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    accept_due_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    fix_due_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    accepted_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    reject_reason: Mapped[str] = mapped_column(Text, default="")
    closed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    auto_closed: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(Integer, default=1)

    events: Mapped[list[TicketEvent]] = relationship(
        back_populates="ticket", order_by="TicketEvent.occurred_at"
    )


class TicketEvent(Base):
    __tablename__ = "ticket_events"
    __table_args__ = (
        Index("ix_ticket_events_ticket_time", "ticket_id", "occurred_at"),
        Index("ix_ticket_events_time", "occurred_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("rectification_tickets.id"))
    from_status: Mapped[str | None] = mapped_column(String(24))
    to_status: Mapped[str] = mapped_column(String(24))  # equal to from_status for a progress note
    occurred_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    actor_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    actor_name: Mapped[str] = mapped_column(String(50), default="")
    note: Mapped[str] = mapped_column(Text, default="")

    ticket: Mapped[RectificationTicket] = relationship(back_populates="events")


# --- prevention ----------------------------------------------------------------------------------
class Equipment(Base):
    __tablename__ = "equipment"
    __table_args__ = (UniqueConstraint("community_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), index=True)
    area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"))
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(32))  # elevator / pump / access_control / fire / cctv
    installed_on: Mapped[dt.date] = mapped_column(Date)


class EquipmentFault(Base):
    __tablename__ = "equipment_faults"
    __table_args__ = (Index("ix_equipment_faults_equipment_time", "equipment_id", "occurred_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    equipment_id: Mapped[int] = mapped_column(ForeignKey("equipment.id"))
    occurred_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    resolved_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    description: Mapped[str] = mapped_column(Text)
    work_order_id: Mapped[int | None] = mapped_column(ForeignKey("work_orders.id"))


class Alert(Base):
    """预警, raised once per (rule, cause_key) and kept with its state."""

    __tablename__ = "alerts"
    __table_args__ = (
        UniqueConstraint("rule", "cause_key"),
        CheckConstraint(_in("state", ALERT_STATES), name="state"),
        CheckConstraint(_in("severity", SEVERITIES), name="severity"),
        Index("ix_alerts_community_state", "community_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    rule: Mapped[str] = mapped_column(String(32))
    cause_key: Mapped[str] = mapped_column(String(100))
    severity: Mapped[str] = mapped_column(String(8))
    message: Mapped[str] = mapped_column(Text)
    work_order_id: Mapped[int | None] = mapped_column(ForeignKey("work_orders.id"))
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("rectification_tickets.id"))
    shift_id: Mapped[int | None] = mapped_column(ForeignKey("patrol_shifts.id"))
    equipment_id: Mapped[int | None] = mapped_column(ForeignKey("equipment.id"))
    raised_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    state: Mapped[str] = mapped_column(String(16), default="open")
    acknowledged_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    resolved_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    # Resolved by the engine because its cause ended (resolved_by_id stays empty), not by a person.
    auto_resolved: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    last_checked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")


# --- the worker (data_access.jobs, worker/) -------------------------------------------------------
JOB_RUN_STATUSES = ("running", "succeeded", "failed")


class WorkerLease(Base):
    """Who runs the background jobs: one row per lease; the holder renews it while alive.

    ``token`` grows by one each time another worker takes the lease over (a fencing token): a
    job's writes check it, so a worker that stalled past its lease writes nothing."""

    __tablename__ = "worker_leases"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    holder: Mapped[str] = mapped_column(String(120))  # "host:pid:random"
    token: Mapped[int] = mapped_column(Integer)
    acquired_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    fenced_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)  # last fenced write


class JobRun(Base):
    """One run of a background job by the worker (append-only history; the newest start per
    job is its schedule)."""

    __tablename__ = "job_runs"
    __table_args__ = (
        CheckConstraint(_in("status", JOB_RUN_STATUSES), name="status"),
        Index("ix_job_runs_job_started", "job", "started_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(String(32))
    holder: Mapped[str] = mapped_column(String(120))
    token: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    status: Mapped[str] = mapped_column(String(12), default="running")
    summary: Mapped[str] = mapped_column(Text, default="")
    error: Mapped[str] = mapped_column(Text, default="")


class JobRequest(Base):
    """A person asked for a job to run now (数据来源 → 立即同步); the worker runs it at its next
    tick and marks the request done."""

    __tablename__ = "job_requests"
    __table_args__ = (Index("ix_job_requests_job_open", "job", "done_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(String(32))
    requested_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    done_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


# --- operational systems (data_access.sync) ------------------------------------------------------
SYNC_RUN_STATUSES = ("running", "succeeded", "failed")


class SyncRun(Base):
    """One run of a connector (``connectors/``): when, how, and what it found. A failed run
    wrote nothing (its transaction was rolled back); pages show the age of the last good one."""

    __tablename__ = "sync_runs"
    __table_args__ = (
        CheckConstraint(_in("status", SYNC_RUN_STATUSES), name="status"),
        Index("ix_sync_runs_source_started", "source", "started_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(16))  # "hc"
    source_label: Mapped[str] = mapped_column(String(200))  # the URL without its password
    full: Mapped[bool] = mapped_column(Boolean, default=False)
    dry_run: Mapped[bool] = mapped_column(Boolean, default=False)
    started_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    status: Mapped[str] = mapped_column(String(12), default="running")
    report: Mapped[str] = mapped_column(Text, default="")  # JSON, the printed report
    error: Mapped[str] = mapped_column(Text, default="")  # the full message, as printed
    # The failure's message key ("sync.unreachable"…): pages name the kind, in any language.
    error_key: Mapped[str] = mapped_column(String(40), default="", server_default="")


class SyncLink(Base):
    """Which of our rows a source record became, and the fingerprint of what it said when last
    written (an unchanged record is not written again: a run with nothing new writes nothing). ``kind`` names the source record type
    ("community", "order", "rating", "photo"…); ``local_id`` is the id of our row (NULL for a
    photo not fetched yet, whose URL is kept in ``pending``)."""

    __tablename__ = "sync_links"
    __table_args__ = (
        UniqueConstraint("source", "kind", "external_id"),
        Index("ix_sync_links_community_kind", "community_id", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(64))
    community_id: Mapped[int | None] = mapped_column(ForeignKey("communities.id"))
    local_id: Mapped[int | None] = mapped_column(Integer)
    fingerprint: Mapped[str] = mapped_column(String(64), default="")
    pending: Mapped[str] = mapped_column(Text, default="")
    first_seen_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    changed_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)  # last written (not last read)


class WithdrawnRecord(Base):
    """A record its source deleted: what our copy said (JSON), kept when the copy was removed
    from every page and figure. Append-only."""

    __tablename__ = "withdrawn_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(64))
    community_id: Mapped[int | None] = mapped_column(ForeignKey("communities.id"))
    withdrawn_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    snapshot: Mapped[str] = mapped_column(Text)


CHECKLIST_STATUSES = ("proposed", "adopted", "dismissed")


class ChecklistItem(Base):
    """品质检查清单: a recurring pattern of complaints and low ratings (category + keywords +
    kind of place) found across all communities, with its evidence. A manager adopts it for
    their own community: it becomes a recurring inspection there (a service item, hence plan
    tasks); ``status`` says whether any community has adopted it."""

    __tablename__ = "checklist_items"
    __table_args__ = (
        UniqueConstraint("pattern_key"),
        CheckConstraint(_in("status", CHECKLIST_STATUSES), name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pattern_key: Mapped[str] = mapped_column(String(200))  # category|place kind|keywords
    category: Mapped[str] = mapped_column(String(32))
    place_kind: Mapped[str] = mapped_column(String(16))
    keywords: Mapped[str] = mapped_column(String(200))  # "漏水,水管"
    title: Mapped[str] = mapped_column(String(200))
    evidence_count: Mapped[int] = mapped_column(Integer)
    community_count: Mapped[int] = mapped_column(Integer)
    first_seen_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    last_seen_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    computed_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    status: Mapped[str] = mapped_column(String(12), default="proposed")
    decided_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    service_item_code: Mapped[str] = mapped_column(String(32), default="")
    version: Mapped[int] = mapped_column(Integer, default=1)


# --- the monthly report: the company's word, publication ----------------------------------------
class KpiExplanation(Base):
    """物业说明: the company's word on a KPI that missed its target in a month — why, and what it
    will do about it, by whom and by when. Written by a manager of the community. Append-only: an
    edit is a new row naming the row it replaces, so the current explanation of a (community,
    month, KPI) is its one row nobody replaced; once the month's report is published, the rows
    written after it are shown as visible edits (``data_access.analytics.explanations``)."""

    __tablename__ = "kpi_explanations"
    __table_args__ = (
        UniqueConstraint("replaces_id"),  # a version is replaced at most once: no forks
        Index("ix_kpi_explanations_month", "community_id", "month_start", "kpi"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    month_start: Mapped[dt.date] = mapped_column(Date)
    kpi: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(Text)
    action: Mapped[str] = mapped_column(Text)
    action_owner: Mapped[str] = mapped_column(String(60))
    action_due: Mapped[dt.date] = mapped_column(Date)
    author_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    written_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("kpi_explanations.id"))


class ReportPublication(Base):
    """A month's report handed to the owners' committee (发布). Before it, explanations are a draft
    the company may rewrite unseen; after it, every edit stays visible. Published once."""

    __tablename__ = "report_publications"
    __table_args__ = (UniqueConstraint("community_id", "month_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    month_start: Mapped[dt.date] = mapped_column(Date)
    published_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    published_by_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))


class DataVersion(Base):
    """How many times a community's data has changed: bumped in the transaction of every write
    that changes what its pages show, read by each page run to key the cached figures (a write
    in one community leaves the others' caches warm; every process sees the new number)."""

    __tablename__ = "data_versions"

    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=0)
    changed_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


# --- messages that leave the app (data_access.outbox, channels/) ---------------------------------
CHANNELS = ("wechat", "email", "sms")
OUTBOX_EVENT_TYPES = (
    "order_step",
    "order_to_rate",
    "ticket_move",
    "rating_reply",
    "alert",
    "announcement",
    "question_answer",
    "poll",
    "poll_result",
    "poll_reminder",
    "followed_order",
    "followed_ticket",
)
# Sent whatever the person chose, at any hour, on the first channel that reaches them.
PASSWORD_CODE = "password_code"
# pending → sending → sent | failed; a send whose answer never came is "unknown"; a row folded
# into a digest is "digested" (its digest row is what is sent); "skipped": the person chose
# otherwise or has no address by the time it was due.
OUTBOX_STATES = ("pending", "sending", "sent", "failed", "unknown", "digested", "skipped")


class OutboxMessage(Base):
    """One message to one person on one channel, written in the transaction of the event it
    tells of (``data_access.outbox.enqueue``) and delivered by the worker
    (``data_access.outbox.delivery``). ``event_key`` names the event ("order_event:12"): with
    the person and channel it is unique, so an event is queued once. A row carries what the
    message says (title, reference, code, note) as the event had it; the text is rendered in
    the person's language when it is sent. Not a figure of any page: it bumps no data
    version."""

    __tablename__ = "outbox"
    __table_args__ = (
        UniqueConstraint("event_key", "account_id", "channel"),
        CheckConstraint(_in("channel", CHANNELS), name="channel"),
        CheckConstraint(_in("state", OUTBOX_STATES), name="state"),
        Index("ix_outbox_state_due", "state", "next_attempt_at"),
        Index("ix_outbox_account_created", "account_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    channel: Mapped[str] = mapped_column(String(8))
    event_type: Mapped[str] = mapped_column(String(16))  # OUTBOX_EVENT_TYPES, or "digest"
    event_key: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(String(8), default="")  # "order", "ticket", "alert"
    subject_id: Mapped[int | None] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200), default="")
    ref: Mapped[str] = mapped_column(String(40), default="")
    code: Mapped[str] = mapped_column(String(32), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    state: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    sending_since: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    last_error: Mapped[str] = mapped_column(String(300), default="")
    # Sent with the message where the channel's API takes one (WeChat's client_msg_id).
    idempotency_key: Mapped[str] = mapped_column(String(36))
    provider_id: Mapped[str] = mapped_column(String(100), default="")
    # The digest row a message was folded into; the row a fall-back row replaces.
    digest_id: Mapped[int | None] = mapped_column(ForeignKey("outbox.id"))
    fallback_of_id: Mapped[int | None] = mapped_column(ForeignKey("outbox.id"))


class NotificationChoice(Base):
    """A person's choice for one event type on one channel (no row: the default)."""

    __tablename__ = "notification_choices"

    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), primary_key=True)
    event_type: Mapped[str] = mapped_column(String(16), primary_key=True)
    channel: Mapped[str] = mapped_column(String(8), primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean)


class ActivationCode(Base):
    """A one-time code that lets an owner set their password: printed on the letter that opens
    the account (``purpose`` "activate", valid 14 days) or sent when a password is forgotten
    ("reset", valid 15 minutes). Only a keyed hash of the code is kept; a code works once, and
    issuing a new one revokes the account's unused ones (``data_access.accounts.activation``)."""

    __tablename__ = "activation_codes"
    __table_args__ = (
        CheckConstraint(_in("purpose", ("activate", "reset")), name="purpose"),
        Index("ix_activation_codes_account", "account_id", "purpose"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    purpose: Mapped[str] = mapped_column(String(8))
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    used_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))


# --- co-governance: announcements and the public money (data_access.governance) -----------------
ANNOUNCEMENT_KINDS = ("outage", "works", "fees", "meeting", "other")
# Who speaks: the company (managers) or the owners' committee (业委会公告).
ANNOUNCEMENT_ISSUERS = ("company", "committee")


class Announcement(Base):
    """公告: a notice to a community or to chosen buildings (``AnnouncementBuilding``; none =
    the whole community), shown to owners from ``starts_at`` until ``ends_at``. Published as
    written: the text is not edited afterwards; a wrong notice is withdrawn (who, when, why),
    which owners see, and a corrected one published."""

    __tablename__ = "announcements"
    __table_args__ = (
        CheckConstraint(_in("kind", ANNOUNCEMENT_KINDS), name="kind"),
        CheckConstraint(_in("issuer", ANNOUNCEMENT_ISSUERS), name="issuer"),
        CheckConstraint("ends_at > starts_at", name="window"),
        Index("ix_announcements_community_window", "community_id", "ends_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    issuer: Mapped[str] = mapped_column(String(10))
    kind: Mapped[str] = mapped_column(String(10))
    title: Mapped[str] = mapped_column(String(100))
    body: Mapped[str] = mapped_column(Text)
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    pinned: Mapped[bool] = mapped_column(Boolean, default=False)
    starts_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    ends_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    author_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    withdrawn_reason: Mapped[str] = mapped_column(String(200), default="")


class AnnouncementBuilding(Base):
    """A building an announcement is for."""

    __tablename__ = "announcement_buildings"

    announcement_id: Mapped[int] = mapped_column(ForeignKey("announcements.id"), primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), primary_key=True)


class AnnouncementFile(Base):
    """A photo or a PDF that comes with an announcement. Photos are stored as every photo is
    (``photo_id``); a PDF under ``media/docs/<sha256>.pdf`` (``sha256``, ``size_bytes``)."""

    __tablename__ = "announcement_files"
    __table_args__ = (
        CheckConstraint("(photo_id IS NULL) <> (sha256 IS NULL)", name="one_content"),
        Index("ix_announcement_files_announcement", "announcement_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    announcement_id: Mapped[int] = mapped_column(ForeignKey("announcements.id"))
    photo_id: Mapped[int | None] = mapped_column(ForeignKey("photos.id"))
    sha256: Mapped[str | None] = mapped_column(String(64))
    file_name: Mapped[str] = mapped_column(String(120), default="")
    size_bytes: Mapped[int] = mapped_column(Integer)


class AnnouncementRead(Base):
    """An account opened an announcement (the first time). Read receipts count the units whose
    owners have one of these, against the units the announcement targets."""

    __tablename__ = "announcement_reads"

    announcement_id: Mapped[int] = mapped_column(ForeignKey("announcements.id"), primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), primary_key=True)
    read_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


# The public money (民法典 §282, §943): one ledger per community and month, in integer fen.
LEDGER_SECTIONS = ("income", "cost", "share_use", "fund")
# What a line is: income from common parts by source; costs set against that income; how the
# owners' share was used; spending of the maintenance fund (维修资金).
LEDGER_CATEGORIES: dict[str, tuple[str, ...]] = {
    "income": ("parking", "advertising", "venue", "other_income"),
    "cost": ("management_fee", "tax", "operating", "other_cost"),
    "share_use": ("to_fund", "repairs", "offset_fees", "other_use"),
    "fund": ("lift", "roof", "facade", "pipes", "fire", "other_fund"),
}
LEDGER_DECISIONS = ("approve", "return")


class LedgerLine(Base):
    """One line of a community's monthly ledger. Append-only: a change is a new row naming the
    row it replaces (``replaces_id``), a removal a new row with ``removed``; the month's lines
    are the rows nobody replaced and not removed. Rows written after the month was published
    are its visible corrections."""

    __tablename__ = "ledger_lines"
    __table_args__ = (
        UniqueConstraint("replaces_id"),  # a version is replaced at most once: no forks
        CheckConstraint(_in("section", LEDGER_SECTIONS), name="section"),
        CheckConstraint("amount_fen >= 0", name="amount"),
        Index("ix_ledger_lines_month", "community_id", "month_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    month_start: Mapped[dt.date] = mapped_column(Date)
    section: Mapped[str] = mapped_column(String(10))
    category: Mapped[str] = mapped_column(String(16))
    description: Mapped[str] = mapped_column(String(200))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    work_order_id: Mapped[int | None] = mapped_column(ForeignKey("work_orders.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    written_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    reason: Mapped[str] = mapped_column(String(200), default="")  # why a line was changed
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_lines.id"))
    removed: Mapped[bool] = mapped_column(Boolean, default=False)


class LedgerReview(Base):
    """The owners' committee's word on a month's ledger: approved (签字确认 — the month is
    published to owners) or returned with a comment. Append-only; the latest review stands, and
    lines written after it are not yet reviewed."""

    __tablename__ = "ledger_reviews"
    __table_args__ = (
        CheckConstraint(_in("decision", LEDGER_DECISIONS), name="decision"),
        Index("ix_ledger_reviews_month", "community_id", "month_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    month_start: Mapped[dt.date] = mapped_column(Date)
    decision: Mapped[str] = mapped_column(String(8))
    comment: Mapped[str] = mapped_column(String(500), default="")
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    reviewed_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class LedgerQuestion(Base):
    """An owner's question about a published ledger line, answered in public by a manager
    within the contract's reply deadline (as a rating's reply is)."""

    __tablename__ = "ledger_questions"
    __table_args__ = (Index("ix_ledger_questions_community", "community_id", "asked_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    line_id: Mapped[int] = mapped_column(ForeignKey("ledger_lines.id"))
    asker_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    question: Mapped[str] = mapped_column(String(500))
    asked_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    due_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    answer: Mapped[str | None] = mapped_column(Text)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    answered_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


# Owners' votes (民法典 §278): a consultation is a simple count; an ordinary decision needs ≥ 2/3
# participation (area and owners) and > 1/2 approval of the participants (area and owners); a
# major one (§278 items 6–8) ≥ 3/4 approval. ``data_access.governance.votes`` holds the rules.
POLL_RULES = ("consultation", "ordinary", "major")
# §278 items 6–8, what makes a decision major (using the fund, item 5, is an ordinary one).
MAJOR_MATTERS = ("raise_fund", "rebuild", "change_use")
DECISION_CHOICES = ("agree", "disagree", "abstain")


class Poll(Base):
    """业主征询 / 表决: a question to the owners of a community or of chosen buildings
    (``PollBuilding``), open from ``opens_at`` until ``closes_at``. Its roll of units and who
    votes each (``PollRollEntry``) is fixed when it is opened; its ballots are append-only."""

    __tablename__ = "polls"
    __table_args__ = (
        CheckConstraint(_in("rule", POLL_RULES), name="rule"),
        CheckConstraint(_in("issuer", ANNOUNCEMENT_ISSUERS), name="issuer"),
        CheckConstraint("closes_at > opens_at", name="window"),
        CheckConstraint("(rule = 'major') = (major_matter IS NOT NULL)", name="major_matter"),
        Index("ix_polls_community", "community_id", "closes_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    issuer: Mapped[str] = mapped_column(String(10))
    rule: Mapped[str] = mapped_column(String(12))
    major_matter: Mapped[str | None] = mapped_column(String(12))
    title: Mapped[str] = mapped_column(String(100))
    body: Mapped[str] = mapped_column(Text)
    secret: Mapped[bool] = mapped_column(Boolean, default=True)
    opens_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    closes_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    author_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    withdrawn_reason: Mapped[str] = mapped_column(String(200), default="")
    # When the worker published the result of the closed poll to the owners it asked
    # (``votes.publish_closed_polls``); None until then, and for a withdrawn poll.
    result_published_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    # When the side that opened it last reminded the owners who had not voted
    # (``votes.remind_non_voters``, at most once a day).
    reminded_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class PollBuilding(Base):
    """A building whose owners a poll asks."""

    __tablename__ = "poll_buildings"

    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id"), primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), primary_key=True)


class PollOption(Base):
    """A choice of a poll: a decision's are ``DECISION_CHOICES`` (``code``), a consultation's
    are written by whoever opened it (``label``)."""

    __tablename__ = "poll_options"
    __table_args__ = (UniqueConstraint("poll_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id"))
    position: Mapped[int] = mapped_column(Integer)
    code: Mapped[str | None] = mapped_column(String(10))
    label: Mapped[str] = mapped_column(String(100), default="")


class PollRollEntry(Base):
    """A unit on a poll's roll (业主名册, fixed when the poll opens): its floor area in dm²
    (0.01 m², so that the 2/3 and 3/4 tests are exact integer comparisons) and the owner who
    votes it (None: no owner on the roster, or co-owners who named nobody — the unit still
    counts in both totals)."""

    __tablename__ = "poll_roll"
    __table_args__ = (Index("ix_poll_roll_voter", "poll_id", "voter_id"),)

    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True)
    area_dm2: Mapped[int] = mapped_column(Integer)
    voter_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))


class PollBallot(Base):
    """A vote. Append-only: changing one's vote adds a ballot naming the one it replaces; the
    ballot nobody replaced counts."""

    __tablename__ = "poll_ballots"
    __table_args__ = (
        UniqueConstraint("replaces_id"),
        Index("ix_poll_ballots_poll", "poll_id", "account_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id"))
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    option_id: Mapped[int] = mapped_column(ForeignKey("poll_options.id"))
    cast_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("poll_ballots.id"))


class UnitVoter(Base):
    """Co-owners of a unit name the one of them who votes it. Append-only: the latest row of a
    unit stands (while that person still holds the unit)."""

    __tablename__ = "unit_voters"
    __table_args__ = (Index("ix_unit_voters_unit", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    voter_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    named_by_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    named_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


# --- co-governance: "me too" and following (data_access.governance.me_too) ----------------------
VOICE_SUBJECTS = ("order", "ticket")


class MeToo(Base):
    """An owner's 我也遇到 on a public work order or rectification ticket of their community:
    one per owner and record, kept (append-only) — evidence that the problem reaches beyond the
    one who reported it."""

    __tablename__ = "me_toos"
    __table_args__ = (
        UniqueConstraint("subject", "subject_id", "account_id"),
        CheckConstraint(_in("subject", VOICE_SUBJECTS), name="subject"),
        Index("ix_me_toos_community_created", "community_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    subject: Mapped[str] = mapped_column(String(8))
    subject_id: Mapped[int] = mapped_column(Integer)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class Follow(Base):
    """关注: an owner hears of every move of a public order or ticket, as its reporter does.
    A preference, not history: unfollowing deletes the row."""

    __tablename__ = "follows"
    __table_args__ = (
        CheckConstraint(_in("subject", VOICE_SUBJECTS), name="subject"),
        Index("ix_follows_subject", "subject", "subject_id"),
    )

    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), primary_key=True)
    subject: Mapped[str] = mapped_column(String(8), primary_key=True)
    subject_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


# --- append-only history -----------------------------------------------------------------------
# What happened is never rewritten: these rows are inserted and then only read. The guard below
# refuses, at flush time, any change or deletion of one through the ORM; a test scans the code
# for bulk UPDATE/DELETE statements on them.
APPEND_ONLY_MODELS: tuple[type[Base], ...] = (
    WorkOrderEvent,
    TicketEvent,
    RatingEdit,
    WithdrawnRecord,
    KpiExplanation,
    ReportPublication,
    LedgerLine,
    LedgerReview,
    PollBallot,
    PollRollEntry,
    UnitVoter,
    MeToo,
)
# The one exception: a record its source system deleted is withdrawn whole — its order, steps and
# rating are removed after a snapshot of them is kept in ``WithdrawnRecord``
# (``data_access.sync.withdraw``, which sets this flag on its session for that flush only).
WITHDRAWING = "withdrawing_a_source_record"


class AppendOnlyError(RuntimeError):
    """A programming error: code tried to change or delete an append-only row."""


@event.listens_for(Session, "before_flush")
def _refuse_rewriting_history(session: Session, _context: object, _instances: object) -> None:
    for row in session.deleted:
        if isinstance(row, APPEND_ONLY_MODELS) and not (
            session.info.get(WITHDRAWING) and not isinstance(row, WithdrawnRecord)
        ):
            raise AppendOnlyError(f"{type(row).__name__} rows are append-only: not deleted")
    for row in session.dirty:
        if isinstance(row, APPEND_ONLY_MODELS) and session.is_modified(row):
            raise AppendOnlyError(f"{type(row).__name__} rows are append-only: not changed")
