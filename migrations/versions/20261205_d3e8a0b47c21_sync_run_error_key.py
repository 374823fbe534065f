"""A failed sync run keeps the kind of its failure

sync_runs.error_key: the message key of the failure (``sync.unreachable``, ``sync.denied``, …),
so that every page can say in the reader's language why the last run failed, without the
source's address; the full message stays in ``error``.

Revision ID: d3e8a0b47c21
Revises: c7a2e5d19f40
Create Date: 2026-12-05 10:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d3e8a0b47c21"
down_revision: str | None = "c7a2e5d19f40"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("sync_runs", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("error_key", sa.String(40), nullable=False, server_default="")
        )


def downgrade() -> None:
    with op.batch_alter_table("sync_runs", schema=None) as batch_op:
        batch_op.drop_column("error_key")
