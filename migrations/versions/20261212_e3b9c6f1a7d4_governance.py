"""Co-governance: announcements and the public money

announcements (+ the buildings they are for, their photos and PDFs, who read them) and the
monthly ledger of income from common parts, costs, the owners' share and the maintenance fund:
append-only lines, the committee's reviews, owners' questions about a line.

Revision ID: e3b9c6f1a7d4
Revises: d7e2f4a19b36
Create Date: 2026-12-12 09:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e3b9c6f1a7d4"
down_revision: str | None = "d7e2f4a19b36"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "announcements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("issuer", sa.String(length=10), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("urgent", sa.Boolean(), nullable=False),
        sa.Column("pinned", sa.Boolean(), nullable=False),
        sa.Column("starts_at", sa.DateTime(), nullable=False),
        sa.Column("ends_at", sa.DateTime(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(), nullable=True),
        sa.Column("withdrawn_by_id", sa.Integer(), nullable=True),
        sa.Column("withdrawn_reason", sa.String(length=200), nullable=False),
        sa.CheckConstraint(
            "issuer IN ('company', 'committee')", name=op.f("ck_announcements_issuer")
        ),
        sa.CheckConstraint(
            "kind IN ('outage', 'works', 'fees', 'meeting', 'other')",
            name=op.f("ck_announcements_kind"),
        ),
        sa.CheckConstraint("ends_at > starts_at", name=op.f("ck_announcements_window")),
        sa.ForeignKeyConstraint(
            ["author_id"], ["accounts.id"], name=op.f("fk_announcements_author_id_accounts")
        ),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_announcements_community_id_communities"),
        ),
        sa.ForeignKeyConstraint(
            ["withdrawn_by_id"],
            ["accounts.id"],
            name=op.f("fk_announcements_withdrawn_by_id_accounts"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_announcements")),
    )
    with op.batch_alter_table("announcements", schema=None) as batch_op:
        batch_op.create_index(
            "ix_announcements_community_window", ["community_id", "ends_at"], unique=False
        )

    op.create_table(
        "ledger_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("month_start", sa.Date(), nullable=False),
        sa.Column("decision", sa.String(length=8), nullable=False),
        sa.Column("comment", sa.String(length=500), nullable=False),
        sa.Column("reviewer_id", sa.Integer(), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "decision IN ('approve', 'return')", name=op.f("ck_ledger_reviews_decision")
        ),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_ledger_reviews_community_id_communities"),
        ),
        sa.ForeignKeyConstraint(
            ["reviewer_id"], ["accounts.id"], name=op.f("fk_ledger_reviews_reviewer_id_accounts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_reviews")),
    )
    with op.batch_alter_table("ledger_reviews", schema=None) as batch_op:
        batch_op.create_index(
            "ix_ledger_reviews_month", ["community_id", "month_start"], unique=False
        )

    op.create_table(
        "announcement_buildings",
        sa.Column("announcement_id", sa.Integer(), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["announcement_id"],
            ["announcements.id"],
            name=op.f("fk_announcement_buildings_announcement_id_announcements"),
        ),
        sa.ForeignKeyConstraint(
            ["area_id"], ["areas.id"], name=op.f("fk_announcement_buildings_area_id_areas")
        ),
        sa.PrimaryKeyConstraint(
            "announcement_id", "area_id", name=op.f("pk_announcement_buildings")
        ),
    )
    op.create_table(
        "announcement_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("announcement_id", sa.Integer(), nullable=False),
        sa.Column("photo_id", sa.Integer(), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("file_name", sa.String(length=120), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "(photo_id IS NULL) <> (sha256 IS NULL)", name=op.f("ck_announcement_files_one_content")
        ),
        sa.ForeignKeyConstraint(
            ["announcement_id"],
            ["announcements.id"],
            name=op.f("fk_announcement_files_announcement_id_announcements"),
        ),
        sa.ForeignKeyConstraint(
            ["photo_id"], ["photos.id"], name=op.f("fk_announcement_files_photo_id_photos")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_announcement_files")),
    )
    with op.batch_alter_table("announcement_files", schema=None) as batch_op:
        batch_op.create_index(
            "ix_announcement_files_announcement", ["announcement_id"], unique=False
        )

    op.create_table(
        "announcement_reads",
        sa.Column("announcement_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("read_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_announcement_reads_account_id_accounts")
        ),
        sa.ForeignKeyConstraint(
            ["announcement_id"],
            ["announcements.id"],
            name=op.f("fk_announcement_reads_announcement_id_announcements"),
        ),
        sa.PrimaryKeyConstraint(
            "announcement_id", "account_id", name=op.f("pk_announcement_reads")
        ),
    )
    op.create_table(
        "ledger_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("month_start", sa.Date(), nullable=False),
        sa.Column("section", sa.String(length=10), nullable=False),
        sa.Column("category", sa.String(length=16), nullable=False),
        sa.Column("description", sa.String(length=200), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("work_order_id", sa.Integer(), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("written_at", sa.DateTime(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("replaces_id", sa.Integer(), nullable=True),
        sa.Column("removed", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "section IN ('income', 'cost', 'share_use', 'fund')",
            name=op.f("ck_ledger_lines_section"),
        ),
        sa.CheckConstraint("amount_fen >= 0", name=op.f("ck_ledger_lines_amount")),
        sa.ForeignKeyConstraint(
            ["author_id"], ["accounts.id"], name=op.f("fk_ledger_lines_author_id_accounts")
        ),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_ledger_lines_community_id_communities"),
        ),
        sa.ForeignKeyConstraint(
            ["replaces_id"],
            ["ledger_lines.id"],
            name=op.f("fk_ledger_lines_replaces_id_ledger_lines"),
        ),
        sa.ForeignKeyConstraint(
            ["work_order_id"],
            ["work_orders.id"],
            name=op.f("fk_ledger_lines_work_order_id_work_orders"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_lines")),
        sa.UniqueConstraint("replaces_id", name=op.f("uq_ledger_lines_replaces_id")),
    )
    with op.batch_alter_table("ledger_lines", schema=None) as batch_op:
        batch_op.create_index(
            "ix_ledger_lines_month", ["community_id", "month_start"], unique=False
        )

    op.create_table(
        "ledger_questions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("line_id", sa.Integer(), nullable=False),
        sa.Column("asker_id", sa.Integer(), nullable=False),
        sa.Column("question", sa.String(length=500), nullable=False),
        sa.Column("asked_at", sa.DateTime(), nullable=False),
        sa.Column("due_at", sa.DateTime(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("answered_by_id", sa.Integer(), nullable=True),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["answered_by_id"],
            ["accounts.id"],
            name=op.f("fk_ledger_questions_answered_by_id_accounts"),
        ),
        sa.ForeignKeyConstraint(
            ["asker_id"], ["accounts.id"], name=op.f("fk_ledger_questions_asker_id_accounts")
        ),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_ledger_questions_community_id_communities"),
        ),
        sa.ForeignKeyConstraint(
            ["line_id"], ["ledger_lines.id"], name=op.f("fk_ledger_questions_line_id_ledger_lines")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_questions")),
    )
    with op.batch_alter_table("ledger_questions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_ledger_questions_community", ["community_id", "asked_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("ledger_questions", schema=None) as batch_op:
        batch_op.drop_index("ix_ledger_questions_community")

    op.drop_table("ledger_questions")
    with op.batch_alter_table("ledger_lines", schema=None) as batch_op:
        batch_op.drop_index("ix_ledger_lines_month")

    op.drop_table("ledger_lines")
    op.drop_table("announcement_reads")
    with op.batch_alter_table("announcement_files", schema=None) as batch_op:
        batch_op.drop_index("ix_announcement_files_announcement")

    op.drop_table("announcement_files")
    op.drop_table("announcement_buildings")
    with op.batch_alter_table("ledger_reviews", schema=None) as batch_op:
        batch_op.drop_index("ix_ledger_reviews_month")

    op.drop_table("ledger_reviews")
    with op.batch_alter_table("announcements", schema=None) as batch_op:
        batch_op.drop_index("ix_announcements_community_window")

    op.drop_table("announcements")
