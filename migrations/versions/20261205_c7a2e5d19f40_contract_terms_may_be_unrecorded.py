"""A contract's fee and service level may be unrecorded

A community read from an operational system starts with a contract whose targets are the
product's defaults; its fee and service level are unknown until the company records them, and
an unknown fee is not 0.00.

Revision ID: c7a2e5d19f40
Revises: b3f9c1d27e58
Create Date: 2026-12-05 09:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c7a2e5d19f40"
down_revision: str | None = "b3f9c1d27e58"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("service_contracts", schema=None) as batch_op:
        batch_op.alter_column(
            "fee_per_m2_month", existing_type=sa.Numeric(8, 2), nullable=True
        )
        batch_op.alter_column("service_level", existing_type=sa.String(16), nullable=True)


def downgrade() -> None:
    op.execute("UPDATE service_contracts SET fee_per_m2_month = 0 WHERE fee_per_m2_month IS NULL")
    op.execute("UPDATE service_contracts SET service_level = '—' WHERE service_level IS NULL")
    with op.batch_alter_table("service_contracts", schema=None) as batch_op:
        batch_op.alter_column(
            "fee_per_m2_month", existing_type=sa.Numeric(8, 2), nullable=False
        )
        batch_op.alter_column("service_level", existing_type=sa.String(16), nullable=False)
