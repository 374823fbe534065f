"""Photo source hash: the uploaded bytes' sha256, to find a repeated upload without decoding it

Revision ID: ea0dc9fde8bf
Revises: 366523f39598
Create Date: 2026-12-02 12:02:25.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "ea0dc9fde8bf"
down_revision: str | None = "366523f39598"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # NULL for photos stored before: they are found by the stored file's hash, as they were.
    with op.batch_alter_table("photos", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source_sha256", sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f("uq_photos_source_sha256"), ["source_sha256"]
        )


def downgrade() -> None:
    with op.batch_alter_table("photos", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_photos_source_sha256"), type_="unique")
        batch_op.drop_column("source_sha256")
