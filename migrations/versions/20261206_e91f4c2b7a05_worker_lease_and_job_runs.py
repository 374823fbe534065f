"""The worker: its lease, the history of job runs, and requests to run a job now

worker_leases (one row per lease: holder, fencing token, expiry), job_runs (append-only: one row
per run of a background job), job_requests (a manager's "sync now").

Revision ID: e91f4c2b7a05
Revises: d3e8a0b47c21
Create Date: 2026-12-06 09:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e91f4c2b7a05"
down_revision: str | None = "d3e8a0b47c21"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "worker_leases",
        sa.Column("name", sa.String(32), primary_key=True),
        sa.Column("holder", sa.String(120), nullable=False),
        sa.Column("token", sa.Integer(), nullable=False),
        sa.Column("acquired_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("fenced_at", sa.DateTime(), nullable=True),
    )
    op.create_table(
        "job_runs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("job", sa.String(32), nullable=False),
        sa.Column("holder", sa.String(120), nullable=False),
        sa.Column("token", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "status IN ('running', 'succeeded', 'failed')", name=op.f("ck_job_runs_status")
        ),
    )
    op.create_index("ix_job_runs_job_started", "job_runs", ["job", "started_at"])
    op.create_table(
        "job_requests",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("job", sa.String(32), nullable=False),
        sa.Column("requested_at", sa.DateTime(), nullable=False),
        sa.Column(
            "requested_by_id",
            sa.Integer(),
            sa.ForeignKey("accounts.id", name=op.f("fk_job_requests_requested_by_id_accounts")),
            nullable=True,
        ),
        sa.Column("done_at", sa.DateTime(), nullable=True),
    )
    op.create_index("ix_job_requests_job_open", "job_requests", ["job", "done_at"])


def downgrade() -> None:
    op.drop_index("ix_job_requests_job_open", table_name="job_requests")
    op.drop_table("job_requests")
    op.drop_index("ix_job_runs_job_started", table_name="job_runs")
    op.drop_table("job_runs")
    op.drop_table("worker_leases")
