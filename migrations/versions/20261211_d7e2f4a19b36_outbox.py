"""Messages that leave the app and accounts for a whole community

outbox: one row per message, person and channel, written with the event it tells of and
delivered by the worker. notification_choices: a person's on/off per event type and channel.
accounts gains the e-mail address, the WeChat openid, quiet hours and the channel order.
activation_codes: one-time codes (hashed) that open an account or reset a forgotten password.

Revision ID: d7e2f4a19b36
Revises: c5a9e2d7f318
Create Date: 2026-12-11 09:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d7e2f4a19b36"
down_revision: str | None = "c5a9e2d7f318"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHANNELS = "channel IN ('wechat', 'email', 'sms')"
STATES = (
    "state IN ('pending', 'sending', 'sent', 'failed', 'unknown', 'digested', 'skipped')"
)


def upgrade() -> None:
    with op.batch_alter_table("accounts") as batch:
        batch.add_column(sa.Column("email", sa.String(254), nullable=False, server_default=""))
        batch.add_column(sa.Column("wechat_openid", sa.String(64), nullable=True))
        batch.add_column(sa.Column("quiet_hours", sa.String(11), nullable=True))
        batch.add_column(sa.Column("channel_order", sa.String(40), nullable=True))
        batch.create_unique_constraint(op.f("uq_accounts_wechat_openid"), ["wechat_openid"])
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "account_id",
            sa.Integer(),
            sa.ForeignKey("accounts.id", name=op.f("fk_outbox_account_id_accounts")),
            nullable=False,
        ),
        sa.Column("channel", sa.String(8), nullable=False),
        sa.Column("event_type", sa.String(16), nullable=False),
        sa.Column("event_key", sa.String(64), nullable=False),
        sa.Column("subject", sa.String(8), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("ref", sa.String(40), nullable=False),
        sa.Column("code", sa.String(32), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("urgent", sa.Boolean(), nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(), nullable=False),
        sa.Column("sending_since", sa.DateTime(), nullable=True),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("last_error", sa.String(300), nullable=False),
        sa.Column("idempotency_key", sa.String(36), nullable=False),
        sa.Column("provider_id", sa.String(100), nullable=False),
        sa.Column(
            "digest_id",
            sa.Integer(),
            sa.ForeignKey("outbox.id", name=op.f("fk_outbox_digest_id_outbox")),
            nullable=True,
        ),
        sa.Column(
            "fallback_of_id",
            sa.Integer(),
            sa.ForeignKey("outbox.id", name=op.f("fk_outbox_fallback_of_id_outbox")),
            nullable=True,
        ),
        sa.CheckConstraint(CHANNELS, name=op.f("ck_outbox_channel")),
        sa.CheckConstraint(STATES, name=op.f("ck_outbox_state")),
        sa.UniqueConstraint(
            "event_key", "account_id", "channel", name=op.f("uq_outbox_event_key_account_id_channel")
        ),
    )
    op.create_index("ix_outbox_state_due", "outbox", ["state", "next_attempt_at"])
    op.create_index("ix_outbox_account_created", "outbox", ["account_id", "created_at"])
    op.create_table(
        "notification_choices",
        sa.Column(
            "account_id",
            sa.Integer(),
            sa.ForeignKey("accounts.id", name=op.f("fk_notification_choices_account_id_accounts")),
            primary_key=True,
        ),
        sa.Column("event_type", sa.String(16), primary_key=True),
        sa.Column("channel", sa.String(8), primary_key=True),
        sa.Column("enabled", sa.Boolean(), nullable=False),
    )


    op.create_table(
        "activation_codes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "account_id",
            sa.Integer(),
            sa.ForeignKey("accounts.id", name=op.f("fk_activation_codes_account_id_accounts")),
            nullable=False,
        ),
        sa.Column("purpose", sa.String(8), nullable=False),
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.Column(
            "created_by_id",
            sa.Integer(),
            sa.ForeignKey("accounts.id", name=op.f("fk_activation_codes_created_by_id_accounts")),
            nullable=True,
        ),
        sa.CheckConstraint(
            "purpose IN ('activate', 'reset')", name=op.f("ck_activation_codes_purpose")
        ),
    )
    op.create_index("ix_activation_codes_account", "activation_codes", ["account_id", "purpose"])


def downgrade() -> None:
    op.drop_index("ix_activation_codes_account", table_name="activation_codes")
    op.drop_table("activation_codes")
    op.drop_table("notification_choices")
    op.drop_index("ix_outbox_account_created", table_name="outbox")
    op.drop_index("ix_outbox_state_due", table_name="outbox")
    op.drop_table("outbox")
    with op.batch_alter_table("accounts") as batch:
        batch.drop_constraint(op.f("uq_accounts_wechat_openid"), type_="unique")
        batch.drop_column("channel_order")
        batch.drop_column("quiet_hours")
        batch.drop_column("wechat_openid")
        batch.drop_column("email")
