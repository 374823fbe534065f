"""Connectors to operational systems keep a ledger

sync_runs (one row per run), sync_links (source record → our row, with a fingerprint),
withdrawn_records (snapshots of what a source deleted) and ratings.historical (a rating read at
a first sync after its reply window: no ticket, not queued for a reply).

Revision ID: b3f9c1d27e58
Revises: 8e4b1d6c2a37
Create Date: 2026-12-04 09:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b3f9c1d27e58"
down_revision: str | None = "8e4b1d6c2a37"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sync_runs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("source_label", sa.String(200), nullable=False),
        sa.Column("full", sa.Boolean(), nullable=False),
        sa.Column("dry_run", sa.Boolean(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("report", sa.Text(), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "status IN ('running', 'succeeded', 'failed')", name=op.f("ck_sync_runs_status")
        ),
    )
    op.create_index("ix_sync_runs_source_started", "sync_runs", ["source", "started_at"])
    op.create_table(
        "sync_links",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("external_id", sa.String(64), nullable=False),
        sa.Column(
            "community_id",
            sa.Integer(),
            sa.ForeignKey("communities.id", name=op.f("fk_sync_links_community_id_communities")),
            nullable=True,
        ),
        sa.Column("local_id", sa.Integer(), nullable=True),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("pending", sa.Text(), nullable=False),
        sa.Column("first_seen_at", sa.DateTime(), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint(
            "source", "kind", "external_id", name=op.f("uq_sync_links_source_kind_external_id")
        ),
    )
    op.create_index("ix_sync_links_community_kind", "sync_links", ["community_id", "kind"])
    op.create_table(
        "withdrawn_records",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("external_id", sa.String(64), nullable=False),
        sa.Column(
            "community_id",
            sa.Integer(),
            sa.ForeignKey(
                "communities.id", name=op.f("fk_withdrawn_records_community_id_communities")
            ),
            nullable=True,
        ),
        sa.Column("withdrawn_at", sa.DateTime(), nullable=False),
        sa.Column("snapshot", sa.Text(), nullable=False),
    )
    with op.batch_alter_table("ratings") as batch:
        batch.add_column(
            sa.Column("historical", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("ratings") as batch:
        batch.drop_column("historical")
    op.drop_table("withdrawn_records")
    op.drop_index("ix_sync_links_community_kind", table_name="sync_links")
    op.drop_table("sync_links")
    op.drop_index("ix_sync_runs_source_started", table_name="sync_runs")
    op.drop_table("sync_runs")
