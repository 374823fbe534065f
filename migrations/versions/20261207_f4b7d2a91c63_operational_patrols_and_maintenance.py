"""Patrols and maintenance read from an operational system

A checkpoint may have no recorded place (x, y NULL) and is on its route for a span of dates
(a point removed mid-month counts only while it was on the route); two points of a route may
share a number. A patrol plan's expected distance may be unknown (NULL, never 0). Patrol plans
and service items remember the system they were read from, so our own generators leave them
alone (their shifts and tasks come from that system).

Revision ID: f4b7d2a91c63
Revises: e91f4c2b7a05
Create Date: 2026-12-07 09:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "f4b7d2a91c63"
down_revision: str | None = "e91f4c2b7a05"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("checkpoints", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("uq_checkpoints_route_id_seq"), type_="unique")
        batch_op.alter_column("x", existing_type=sa.Float(), nullable=True)
        batch_op.alter_column("y", existing_type=sa.Float(), nullable=True)
        batch_op.add_column(sa.Column("valid_from", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("valid_to", sa.Date(), nullable=True))
        batch_op.create_index("ix_checkpoints_route_seq", ["route_id", "seq"], unique=False)
    with op.batch_alter_table("patrol_plans", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_patrol_plans_expectations"), type_="check")
        batch_op.alter_column("expected_distance_m", existing_type=sa.Float(), nullable=True)
        batch_op.create_check_constraint(
            "expectations",
            "expected_minutes > 0 AND (expected_distance_m IS NULL OR expected_distance_m > 0)",
        )
        batch_op.add_column(
            sa.Column("source", sa.String(length=16), server_default="", nullable=False)
        )
    with op.batch_alter_table("service_items", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("source", sa.String(length=16), server_default="", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("service_items", schema=None) as batch_op:
        batch_op.drop_column("source")
    op.execute("UPDATE patrol_plans SET expected_distance_m = 1 WHERE expected_distance_m IS NULL")
    with op.batch_alter_table("patrol_plans", schema=None) as batch_op:
        batch_op.drop_column("source")
        batch_op.drop_constraint(op.f("ck_patrol_plans_expectations"), type_="check")
        batch_op.alter_column("expected_distance_m", existing_type=sa.Float(), nullable=False)
        batch_op.create_check_constraint(
            "expectations", "expected_minutes > 0 AND expected_distance_m > 0"
        )
    op.execute("UPDATE checkpoints SET x = 0 WHERE x IS NULL")
    op.execute("UPDATE checkpoints SET y = 0 WHERE y IS NULL")
    with op.batch_alter_table("checkpoints", schema=None) as batch_op:
        batch_op.drop_index("ix_checkpoints_route_seq")
        batch_op.drop_column("valid_to")
        batch_op.drop_column("valid_from")
        batch_op.alter_column("y", existing_type=sa.Float(), nullable=False)
        batch_op.alter_column("x", existing_type=sa.Float(), nullable=False)
        batch_op.create_unique_constraint("uq_checkpoints_route_id_seq", ["route_id", "seq"])
