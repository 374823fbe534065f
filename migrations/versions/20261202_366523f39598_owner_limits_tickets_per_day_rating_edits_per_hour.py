"""Owner limits in the contract: tickets per local day, rating edits per hour

Revision ID: 366523f39598
Revises: b039ea9d40e2
Create Date: 2026-12-02 12:05:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "366523f39598"
down_revision: str | None = "b039ea9d40e2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Existing contracts get the defaults: 10 tickets per owner per day, 5 rating edits per hour.
    with op.batch_alter_table("service_contracts", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "max_owner_tickets_per_day", sa.Integer(), server_default="10", nullable=False
            )
        )
        batch_op.add_column(
            sa.Column("max_rating_edits_per_hour", sa.Integer(), server_default="5", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("service_contracts", schema=None) as batch_op:
        batch_op.drop_column("max_rating_edits_per_hour")
        batch_op.drop_column("max_owner_tickets_per_day")
