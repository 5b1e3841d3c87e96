"""Initial schema: users, API keys, items, cases, flags, reporters, escalations, the event log.

Revision ID: 0001
Revises:
Create Date: 2026-11-24

Besides the tables, the event log is guarded in the database itself: triggers refuse UPDATE and DELETE of
events (only erasing an encrypted payload is allowed, for retention). `sitr audit verify` still recomputes the
hash chain, because someone with database rights can drop a trigger.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None

BIGINT = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
GENESIS_HASH = "0" * 64
_GUARDED = "seq, type, item_id, case_id, actor, payload, enc_digest, created_at, prev_hash, hash"

_SQLITE_GUARDS = (
    "CREATE TRIGGER events_no_delete BEFORE DELETE ON events BEGIN SELECT RAISE(ABORT, 'events are append-only'); END",
    f"CREATE TRIGGER events_no_update BEFORE UPDATE OF {_GUARDED} ON events "
    "BEGIN SELECT RAISE(ABORT, 'events are append-only'); END",
    "CREATE TRIGGER events_erase_only BEFORE UPDATE OF payload_enc ON events "
    "WHEN NEW.payload_enc IS NOT NULL "
    "BEGIN SELECT RAISE(ABORT, 'encrypted payloads can only be erased'); END",
)

_PG_GUARDS = (
    f"""CREATE FUNCTION sitr_events_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'UPDATE' THEN
    RAISE EXCEPTION 'events are append-only';
  END IF;
  IF NEW.payload_enc IS NOT NULL
     OR ROW({", ".join("NEW." + c.strip() for c in _GUARDED.split(","))})
        IS DISTINCT FROM ROW({", ".join("OLD." + c.strip() for c in _GUARDED.split(","))}) THEN
    RAISE EXCEPTION 'events are append-only';
  END IF;
  RETURN NEW;
END $$""",
    "CREATE TRIGGER events_guard_rows BEFORE UPDATE OR DELETE ON events "
    "FOR EACH ROW EXECUTE FUNCTION sitr_events_guard()",
    "CREATE TRIGGER events_guard_truncate BEFORE TRUNCATE ON events "
    "FOR EACH STATEMENT EXECUTE FUNCTION sitr_events_guard()",
)


def upgrade() -> None:
    op.create_table(
        "chain_head",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("seq", BIGINT, nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_chain_head"),
    )
    op.create_table(
        "events",
        sa.Column("seq", BIGINT, autoincrement=False, nullable=False),
        sa.Column("type", sa.String(length=32), nullable=False),
        sa.Column("item_id", sa.String(length=32), nullable=True),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(length=80), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("payload_enc", sa.LargeBinary(), nullable=True),
        sa.Column("enc_digest", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name="pk_events"),
        sa.UniqueConstraint("hash", name="uq_events_hash"),
    )
    op.create_index("ix_events_case_id", "events", ["case_id"])
    op.create_index("ix_events_created_at", "events", ["created_at"])
    op.create_index("ix_events_item_id", "events", ["item_id"])
    op.create_index("ix_events_type", "events", ["type"])
    op.create_table(
        "reporters",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("platform", sa.String(length=64), nullable=False),
        sa.Column("pseudonym", sa.String(length=64), nullable=False),
        sa.Column("flags_total", sa.Integer(), nullable=False),
        sa.Column("upheld", sa.Integer(), nullable=False),
        sa.Column("rejected", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_reporters"),
        sa.UniqueConstraint("pseudonym", name="uq_reporters_pseudonym"),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("password_hash", sa.String(length=256), nullable=True),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("varieties", sa.JSON(), nullable=False),
        sa.Column("organisation", sa.String(length=128), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_users"),
        sa.UniqueConstraint("name", name="uq_users_name"),
    )
    op.create_table(
        "api_keys",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("label", sa.String(length=128), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_api_keys_user_id_users"),
        sa.PrimaryKeyConstraint("id", name="pk_api_keys"),
        sa.UniqueConstraint("key_hash", name="uq_api_keys_key_hash"),
    )
    op.create_index("ix_api_keys_user_id", "api_keys", ["user_id"])
    op.create_table(
        "items",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("platform", sa.String(length=64), nullable=False),
        sa.Column("external_id", sa.String(length=256), nullable=False),
        sa.Column("surface", sa.String(length=16), nullable=False),
        sa.Column("content_type", sa.String(length=16), nullable=False),
        sa.Column("lang", sa.String(length=16), nullable=False),
        sa.Column("variety", sa.String(length=32), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("content_date", sa.DateTime(timezone=True), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source_type", sa.String(length=32), nullable=False),
        sa.Column("content_digest", sa.String(length=64), nullable=False),
        sa.Column("content_enc", sa.LargeBinary(), nullable=True),
        sa.Column("personal_enc", sa.LargeBinary(), nullable=True),
        sa.Column("has_target", sa.Boolean(), nullable=False),
        sa.Column("assessment", sa.JSON(), nullable=False),
        sa.Column("auto_decision", sa.JSON(), nullable=False),
        sa.Column("decision", sa.JSON(), nullable=False),
        sa.Column("policy_version", sa.String(length=64), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("primary_threat", sa.String(length=16), nullable=True),
        sa.Column("severity", sa.Integer(), nullable=False),
        sa.Column("automated", sa.Boolean(), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("content_deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["decided_by"], ["users.id"], name="fk_items_decided_by_users"),
        sa.PrimaryKeyConstraint("id", name="pk_items"),
        sa.UniqueConstraint("platform", "external_id", name="uq_items_platform_external_id"),
    )
    op.create_index("ix_items_decided_at", "items", ["decided_at"])
    op.create_index("ix_items_outcome", "items", ["outcome"])
    op.create_index("ix_items_primary_threat", "items", ["primary_threat"])
    op.create_index("ix_items_received_at", "items", ["received_at"])
    op.create_table(
        "cases",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("item_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("threat", sa.String(length=16), nullable=True),
        sa.Column("lang", sa.String(length=16), nullable=False),
        sa.Column("variety", sa.String(length=32), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("severity", sa.Integer(), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deadline_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_by", sa.Integer(), nullable=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("appeal_of", sa.Integer(), nullable=True),
        sa.Column("excluded_reviewer", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["appeal_of"], ["cases.id"], name="fk_cases_appeal_of_cases"),
        sa.ForeignKeyConstraint(["claimed_by"], ["users.id"], name="fk_cases_claimed_by_users"),
        sa.ForeignKeyConstraint(["decided_by"], ["users.id"], name="fk_cases_decided_by_users"),
        sa.ForeignKeyConstraint(["excluded_reviewer"], ["users.id"], name="fk_cases_excluded_reviewer_users"),
        sa.ForeignKeyConstraint(["item_id"], ["items.id"], name="fk_cases_item_id_items"),
        sa.PrimaryKeyConstraint("id", name="pk_cases"),
    )
    op.create_index("ix_cases_item_id", "cases", ["item_id"])
    op.create_index("ix_cases_status_severity_deadline", "cases", ["status", "severity", "deadline_at"])
    op.create_table(
        "flags",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("item_id", sa.String(length=32), nullable=False),
        sa.Column("reporter_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolution", sa.String(length=16), nullable=True),
        sa.ForeignKeyConstraint(["item_id"], ["items.id"], name="fk_flags_item_id_items"),
        sa.ForeignKeyConstraint(["reporter_id"], ["reporters.id"], name="fk_flags_reporter_id_reporters"),
        sa.PrimaryKeyConstraint("id", name="pk_flags"),
        sa.UniqueConstraint("item_id", "reporter_id", name="uq_flags_item_id"),
    )
    op.create_index("ix_flags_item_id", "flags", ["item_id"])
    op.create_index("ix_flags_reporter_id", "flags", ["reporter_id"])
    op.create_table(
        "escalations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.String(length=32), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.Column("urgent", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deadline_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note_enc", sa.LargeBinary(), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name="fk_escalations_case_id_cases"),
        sa.ForeignKeyConstraint(["item_id"], ["items.id"], name="fk_escalations_item_id_items"),
        sa.ForeignKeyConstraint(["partner_id"], ["users.id"], name="fk_escalations_partner_id_users"),
        sa.PrimaryKeyConstraint("id", name="pk_escalations"),
    )
    op.create_index("ix_escalations_case_id", "escalations", ["case_id"])
    op.create_index("ix_escalations_item_id", "escalations", ["item_id"])
    op.create_index("ix_escalations_partner_id", "escalations", ["partner_id"])

    op.bulk_insert(
        sa.table("chain_head", sa.column("id", sa.Integer), sa.column("seq", BIGINT), sa.column("hash", sa.String)),
        [{"id": 1, "seq": 0, "hash": GENESIS_HASH}],
    )
    dialect = op.get_bind().dialect.name
    for statement in _SQLITE_GUARDS if dialect == "sqlite" else _PG_GUARDS if dialect == "postgresql" else ():
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS events_guard_truncate ON events")
        op.execute("DROP TRIGGER IF EXISTS events_guard_rows ON events")
        op.execute("DROP FUNCTION IF EXISTS sitr_events_guard()")
    for table in (
        "escalations",
        "flags",
        "cases",
        "items",
        "api_keys",
        "users",
        "reporters",
        "events",
        "chain_head",
    ):
        op.drop_table(table)
