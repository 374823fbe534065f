"""Step corrections: a work-order step can supersede an earlier one

work_order_events gets corrects_event_id (the step a correction supersedes, indexed) and
recorded_at (when a correction was recorded). Existing rows are ordinary steps (both NULL).

Revision ID: 5c0e2f7a91d4
Revises: d570b286fb5e
Create Date: 2026-12-03 12:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5c0e2f7a91d4"
down_revision: str | None = "d570b286fb5e"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("work_order_events") as batch:
        batch.add_column(sa.Column("corrects_event_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("recorded_at", sa.DateTime(), nullable=True))
        batch.create_foreign_key(
            "fk_work_order_events_corrects_event_id_work_order_events",
            "work_order_events",
            ["corrects_event_id"],
            ["id"],
        )
        batch.create_index(
            "ix_work_order_events_corrections",
            ["corrects_event_id"],
            unique=False,
            postgresql_where=sa.text("corrects_event_id IS NOT NULL"),
            sqlite_where=sa.text("corrects_event_id IS NOT NULL"),
        )


def downgrade() -> None:
    with op.batch_alter_table("work_order_events") as batch:
        batch.drop_index("ix_work_order_events_corrections")
        batch.drop_constraint(
            "fk_work_order_events_corrects_event_id_work_order_events", type_="foreignkey"
        )
        batch.drop_column("recorded_at")
        batch.drop_column("corrects_event_id")
