"""Work orders say whether their source recorded the response

work_orders.response_recorded (NOT NULL, default true): false when the source does not tell
when an order was responded to, so its response deadline is "not measured", not missed.
Existing orders are taken as recorded, except imported closed orders without a response time
(an import of a file without a response column): those were never judgeable.

Revision ID: 8e4b1d6c2a37
Revises: 5c0e2f7a91d4
Create Date: 2026-12-03 12:30:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "8e4b1d6c2a37"
down_revision: str | None = "5c0e2f7a91d4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

IMPORT_SOURCE = "import"  # data_access.imports.order_import.IMPORT_SOURCE when this was written

work_orders = sa.table(
    "work_orders",
    sa.column("source", sa.String()),
    sa.column("responded_at", sa.DateTime()),
    sa.column("completed_at", sa.DateTime()),
    sa.column("response_recorded", sa.Boolean()),
)


def upgrade() -> None:
    with op.batch_alter_table("work_orders") as batch:
        batch.add_column(
            sa.Column("response_recorded", sa.Boolean(), server_default=sa.true(), nullable=False)
        )
    op.execute(
        work_orders.update()
        .where(
            work_orders.c.source == IMPORT_SOURCE,
            work_orders.c.responded_at.is_(None),
            work_orders.c.completed_at.is_not(None),
        )
        .values(response_recorded=False)
    )


def downgrade() -> None:
    with op.batch_alter_table("work_orders") as batch:
        batch.drop_column("response_recorded")
