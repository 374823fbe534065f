"""Co-governance: a poll's result published at its close, and reminders

polls.result_published_at: when the worker published a closed poll's result to the owners it
asked (their messages are queued in the same transaction). Polls closed before this revision
are published by the worker's first round; their news, dated at the close, is history by then
and is not messaged (the outbox's history age). polls.reminded_at: when the side that opened a
poll last reminded the owners who had not voted yet.

Revision ID: b8d4f1e6c2a9
Revises: a7c3e9f2d1b8
Create Date: 2026-12-15 09:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b8d4f1e6c2a9"
down_revision: str | None = "a7c3e9f2d1b8"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("polls", schema=None) as batch_op:
        batch_op.add_column(sa.Column("result_published_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("reminded_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("polls", schema=None) as batch_op:
        batch_op.drop_column("reminded_at")
        batch_op.drop_column("result_published_at")
