"""Last looks hold the order views: one table for when an account last looked at something

last_looks gets subject_id (0 for a whole list, the work order's id for scope "order") in its
primary key; the rows of order_views are copied into it as scope "order", then order_views is
dropped. The downgrade recreates order_views from those rows.

Revision ID: d570b286fb5e
Revises: ea0dc9fde8bf
Create Date: 2026-12-03 10:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d570b286fb5e"
down_revision: str | None = "ea0dc9fde8bf"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ORDER_SCOPE = "order"  # data_access.accounts.last_looks.ORDER_SCOPE when this was written

last_looks = sa.table(
    "last_looks",
    sa.column("account_id", sa.Integer()),
    sa.column("scope", sa.String(32)),
    sa.column("subject_id", sa.Integer()),
    sa.column("seen_at", sa.DateTime()),
)
order_views = sa.table(
    "order_views",
    sa.column("account_id", sa.Integer()),
    sa.column("work_order_id", sa.Integer()),
    sa.column("seen_at", sa.DateTime()),
)
work_orders = sa.table("work_orders", sa.column("id", sa.Integer()))


def upgrade() -> None:
    # Existing looks are at whole lists ("notifications", "console"): subject 0.
    with op.batch_alter_table("last_looks", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("subject_id", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.drop_constraint(batch_op.f("pk_last_looks"), type_="primary")
        batch_op.create_primary_key(
            batch_op.f("pk_last_looks"), ["account_id", "scope", "subject_id"]
        )
    op.execute(
        last_looks.insert().from_select(
            ["account_id", "scope", "subject_id", "seen_at"],
            sa.select(
                order_views.c.account_id,
                sa.literal(ORDER_SCOPE, sa.String(32)),
                order_views.c.work_order_id,
                order_views.c.seen_at,
            ),
        )
    )
    op.drop_table("order_views")


def downgrade() -> None:
    op.create_table(
        "order_views",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("work_order_id", sa.Integer(), nullable=False),
        sa.Column("seen_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_order_views_account_id_accounts")
        ),
        sa.ForeignKeyConstraint(
            ["work_order_id"],
            ["work_orders.id"],
            name=op.f("fk_order_views_work_order_id_work_orders"),
        ),
        sa.PrimaryKeyConstraint("account_id", "work_order_id", name=op.f("pk_order_views")),
    )
    # Only looks at orders that still exist fit order_views' foreign key.
    op.execute(
        order_views.insert().from_select(
            ["account_id", "work_order_id", "seen_at"],
            sa.select(last_looks.c.account_id, last_looks.c.subject_id, last_looks.c.seen_at).where(
                last_looks.c.scope == ORDER_SCOPE,
                last_looks.c.subject_id.in_(sa.select(work_orders.c.id)),
            ),
        )
    )
    # The old key (account, scope) holds one look per list: looks at single records go.
    op.execute(
        last_looks.delete().where(
            sa.or_(last_looks.c.scope == ORDER_SCOPE, last_looks.c.subject_id != 0)
        )
    )
    with op.batch_alter_table("last_looks", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("pk_last_looks"), type_="primary")
        batch_op.create_primary_key(batch_op.f("pk_last_looks"), ["account_id", "scope"])
        batch_op.drop_column("subject_id")
