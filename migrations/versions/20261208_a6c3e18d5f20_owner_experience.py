"""The owner's experience: notices, a preferred visit slot, per-account language and text size

notices (one row per message to an account that the outbound channels can deliver; today "your
order is completed, please rate it"), work_orders.preferred_visit (the slot an owner asked for
when reporting a repair), accounts.language and accounts.large_text (kept per account, not per
browser tab), communities.service_phone (the service desk an owner calls about their order).

Revision ID: a6c3e18d5f20
Revises: f4b7d2a91c63
Create Date: 2026-12-08 09:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a6c3e18d5f20"
down_revision: str | None = "f4b7d2a91c63"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "notices",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "account_id",
            sa.Integer(),
            sa.ForeignKey("accounts.id", name=op.f("fk_notices_account_id_accounts")),
            nullable=False,
        ),
        sa.Column(
            "community_id",
            sa.Integer(),
            sa.ForeignKey("communities.id", name=op.f("fk_notices_community_id_communities")),
            nullable=False,
        ),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column(
            "work_order_id",
            sa.Integer(),
            sa.ForeignKey("work_orders.id", name=op.f("fk_notices_work_order_id_work_orders")),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint(
            "kind", "work_order_id", "account_id", name=op.f("uq_notices_kind_work_order_id_account_id")
        ),
    )
    op.create_index("ix_notices_account_created", "notices", ["account_id", "created_at"])
    with op.batch_alter_table("work_orders") as batch:
        batch.add_column(
            sa.Column("preferred_visit", sa.String(40), nullable=False, server_default="")
        )
    with op.batch_alter_table("communities") as batch:
        batch.add_column(
            sa.Column("service_phone", sa.String(30), nullable=False, server_default="")
        )
    with op.batch_alter_table("accounts") as batch:
        batch.add_column(sa.Column("language", sa.String(5), nullable=True))
        batch.add_column(
            sa.Column("large_text", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("accounts") as batch:
        batch.drop_column("large_text")
        batch.drop_column("language")
    with op.batch_alter_table("work_orders") as batch:
        batch.drop_column("preferred_visit")
    with op.batch_alter_table("communities") as batch:
        batch.drop_column("service_phone")
    op.drop_index("ix_notices_account_created", table_name="notices")
    op.drop_table("notices")
