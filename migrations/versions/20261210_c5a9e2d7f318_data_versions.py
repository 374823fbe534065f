"""Per-community data versions for targeted cache invalidation

data_versions: one row per community, its version bumped by every write that changes what the
community's pages show. Pages key their cached figures by it, so a write invalidates only its
own community's caches, in every app process.

Revision ID: c5a9e2d7f318
Revises: b8d1f3a6c072
Create Date: 2026-12-10 09:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c5a9e2d7f318"
down_revision: str | None = "b8d1f3a6c072"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "data_versions",
        sa.Column(
            "community_id",
            sa.Integer(),
            sa.ForeignKey("communities.id", name=op.f("fk_data_versions_community_id_communities")),
            primary_key=True,
        ),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("data_versions")
