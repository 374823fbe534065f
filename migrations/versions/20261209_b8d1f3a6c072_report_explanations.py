"""The monthly report: the company's explanations of missed KPIs, and the report's publication

kpi_explanations (per community, month and KPI below target: reason, action, its owner and due
date; append-only, an edit is a new row naming the one it replaces), report_publications (a
month's report handed to the committee; explanations edited after it show as edits).

Revision ID: b8d1f3a6c072
Revises: a6c3e18d5f20
Create Date: 2026-12-09 09:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b8d1f3a6c072"
down_revision: str | None = "a6c3e18d5f20"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "kpi_explanations",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "community_id",
            sa.Integer(),
            sa.ForeignKey("communities.id", name=op.f("fk_kpi_explanations_community_id_communities")),
            nullable=False,
        ),
        sa.Column("month_start", sa.Date(), nullable=False),
        sa.Column("kpi", sa.String(32), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("action_owner", sa.String(60), nullable=False),
        sa.Column("action_due", sa.Date(), nullable=False),
        sa.Column(
            "author_id",
            sa.Integer(),
            sa.ForeignKey("accounts.id", name=op.f("fk_kpi_explanations_author_id_accounts")),
            nullable=False,
        ),
        sa.Column("written_at", sa.DateTime(), nullable=False),
        sa.Column(
            "replaces_id",
            sa.Integer(),
            sa.ForeignKey(
                "kpi_explanations.id", name=op.f("fk_kpi_explanations_replaces_id_kpi_explanations")
            ),
            nullable=True,
        ),
        sa.UniqueConstraint("replaces_id", name=op.f("uq_kpi_explanations_replaces_id")),
    )
    op.create_index(
        "ix_kpi_explanations_month", "kpi_explanations", ["community_id", "month_start", "kpi"]
    )
    op.create_table(
        "report_publications",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "community_id",
            sa.Integer(),
            sa.ForeignKey(
                "communities.id", name=op.f("fk_report_publications_community_id_communities")
            ),
            nullable=False,
        ),
        sa.Column("month_start", sa.Date(), nullable=False),
        sa.Column("published_at", sa.DateTime(), nullable=False),
        sa.Column(
            "published_by_id",
            sa.Integer(),
            sa.ForeignKey("accounts.id", name=op.f("fk_report_publications_published_by_id_accounts")),
            nullable=False,
        ),
        sa.UniqueConstraint(
            "community_id", "month_start", name=op.f("uq_report_publications_community_id_month_start")
        ),
    )


def downgrade() -> None:
    op.drop_table("report_publications")
    op.drop_index("ix_kpi_explanations_month", table_name="kpi_explanations")
    op.drop_table("kpi_explanations")
