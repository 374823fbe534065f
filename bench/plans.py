"""Query plans of what the pages really run: no full scan of the big tables.

``capture_statements`` records every SELECT the app sends while pages run (AppTest, as the
benchmark runs them); ``full_scans`` asks the engine for each one's plan and names the big
tables it would read whole (work orders, their events, plan tasks, patrol check-ins,
ticket events, ratings):

- SQLite: ``EXPLAIN QUERY PLAN`` rows ``SCAN <table>`` (with or without ``USING INDEX``: walking
  a whole index is a full scan too); ``SEARCH <table> USING INDEX (…=?)`` is what we want.
- PostgreSQL: ``EXPLAIN (FORMAT JSON)`` with sequential scans, merge joins and hash joins off
  (on a small test database the planner rightly prefers reading a few thousand rows whole —
  a sequential scan, or a merge join walking a primary key from end to end once the table has
  statistics — so the question is "is there an index it *can* use?", which a nested loop
  answers the way SQLite always does): a ``Seq Scan`` of a big table, or an index scan of one
  without an ``Index Cond`` (every entry in index order), is a full scan — unless that index
  walk sits under a ``Limit``: "the newest 8 steps" walks the time index newest first and stops
  after 8 matches.

Used by tests/bench/test_query_plans.py on both engines and by ``python -m bench.plans``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, event

# Partial indexes holding only rare rows of a big table (step corrections): walking one whole
# reads those few rows, not the table.
RARE_ROW_INDEXES = ("ix_work_order_events_corrections",)
BIG_TABLES = (
    "work_orders",
    "work_order_events",
    "plan_tasks",
    "patrol_checkins",
    "ticket_events",
    "ratings",
)
_SQLITE_SCAN = re.compile(r"^SCAN (" + "|".join(BIG_TABLES) + r")(_\d+)?\b")


@dataclass(frozen=True)
class Statement:
    sql: str
    params: Any
    origin: str  # what was running (e.g. "owner overview.py")


@dataclass
class Capture:
    statements: dict[str, Statement] = field(default_factory=dict)  # distinct SQL text → first
    origin: str = ""


@contextmanager
def capture_statements() -> Iterator[Capture]:
    """Every distinct SELECT sent by any engine of this process while the block runs."""
    capture = Capture()

    def record(conn: Any, cursor: Any, sql: str, params: Any, context: Any, many: bool) -> None:
        if not many and sql.lstrip().upper().startswith(("SELECT", "WITH")):
            capture.statements.setdefault(sql, Statement(sql, params, capture.origin))

    event.listen(Engine, "before_cursor_execute", record)
    try:
        yield capture
    finally:
        event.remove(Engine, "before_cursor_execute", record)


def full_scans(engine: Engine, statement: Statement) -> list[str]:
    """The big tables ``statement`` would read whole, as the engine's plan says."""
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement.sql, statement.params)
            return [row[-1] for row in rows if _SQLITE_SCAN.match(row[-1])]
        for setting in ("enable_seqscan", "enable_mergejoin", "enable_hashjoin"):
            conn.exec_driver_sql(f"SET {setting} = off")
        plan = conn.exec_driver_sql(
            "EXPLAIN (FORMAT JSON) " + statement.sql, statement.params
        ).scalar()
        conn.rollback()
    document = json.loads(plan) if isinstance(plan, str) else plan
    assert document is not None, "EXPLAIN returned no plan"
    return [
        _describe(node)
        for node, limited in _nodes(document[0]["Plan"], limited=False)
        if _is_full_scan(node, limited)
    ]


def _nodes(node: dict[str, Any], *, limited: bool) -> Iterator[tuple[dict[str, Any], bool]]:
    """Every node with whether a ``Limit`` is above it."""
    yield node, limited
    for child in node.get("Plans", []):
        yield from _nodes(child, limited=limited or node["Node Type"] == "Limit")


def _is_full_scan(node: dict[str, Any], limited: bool) -> bool:
    if node.get("Relation Name") not in BIG_TABLES:
        return False
    if node.get("Index Name") in RARE_ROW_INDEXES:
        return False
    kind = node["Node Type"]
    if kind == "Seq Scan":
        return True
    walk = kind in ("Index Scan", "Index Only Scan") and "Index Cond" not in node
    return walk and not limited


def _describe(node: dict[str, Any]) -> str:
    index = f" using {node['Index Name']}" if "Index Name" in node else ""
    return f"{node['Node Type']} on {node['Relation Name']}{index}"
