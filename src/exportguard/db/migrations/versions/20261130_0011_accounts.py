"""accounts: organisations, passwords and second factors, sign-in sessions, API tokens

Principals become accounts: a status, an argon2id password hash, a TOTP seed, failed sign-ins and a
lockout. Their single fixed token moves to ``api_tokens`` (with no scope limit and no expiry, as it
was), so existing tokens keep working; the administrator role joins the role check.

Revision ID: 0011_accounts
Revises: 0010_audit_ledger
Create Date: 2026-11-30 16:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_accounts"
down_revision: str | None = "0010_audit_ledger"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_ROLES = "role IN ('exporter', 'officer', 'director', 'minister', 'advisor', 'customs', 'auditor', 'public')"
NEW_ROLES = (
    "role IN ('exporter', 'officer', 'director', 'minister', 'advisor', 'customs', 'auditor', "
    "'administrator', 'public')"
)


def upgrade() -> None:
    op.create_table(
        "organisations",
        sa.Column("party_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("business_number", sa.String(length=15), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('exporter', 'department', 'customs')", name=op.f("ck_organisations_kind")),
        sa.CheckConstraint("status IN ('active', 'suspended')", name=op.f("ck_organisations_status")),
        sa.ForeignKeyConstraint(["party_id"], ["parties.id"], name=op.f("fk_organisations_party_id_parties")),
        sa.PrimaryKeyConstraint("party_id", name=op.f("pk_organisations")),
        sa.UniqueConstraint("business_number", name=op.f("uq_organisations_business_number")),
    )
    with op.batch_alter_table("principals", schema=None) as batch_op:
        batch_op.add_column(sa.Column("email", sa.String(length=200), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("status", sa.String(length=16), nullable=False, server_default="active"))
        batch_op.add_column(
            sa.Column("organisation_admin", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("password_hash", sa.String(length=200), nullable=True))
        batch_op.add_column(
            sa.Column("password_must_change", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("totp_secret", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("totp_last_step", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("external_id", sa.String(length=300), nullable=True))
        batch_op.create_unique_constraint(op.f("uq_principals_external_id"), ["external_id"])
        batch_op.add_column(sa.Column("failed_sign_ins", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("created_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.drop_constraint(op.f("uq_principals_token_sha256"), type_="unique")
        batch_op.alter_column("token_sha256", existing_type=sa.String(length=64), nullable=True)
        batch_op.drop_constraint(op.f("ck_principals_role"), type_="check")
        batch_op.create_check_constraint(op.f("ck_principals_role"), NEW_ROLES)
        batch_op.create_check_constraint(op.f("ck_principals_status"), "status IN ('active', 'suspended')")
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("principal_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("token_sha256", sa.String(length=64), nullable=False),
        sa.Column("scopes", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.String(length=80), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["principal_id"], ["principals.id"], name=op.f("fk_api_tokens_principal_id_principals")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("token_sha256", name=op.f("uq_api_tokens_token_sha256")),
    )
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_api_tokens_principal_id"), ["principal_id"], unique=False)
    op.create_table(
        "sign_in_sessions",
        sa.Column("id_sha256", sa.String(length=64), nullable=False),
        sa.Column("principal_id", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(length=16), nullable=False),
        sa.Column("channel", sa.String(length=8), nullable=False),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_reason", sa.String(length=32), nullable=True),
        sa.CheckConstraint("stage IN ('second_factor', 'signed_in')", name=op.f("ck_sign_in_sessions_stage")),
        sa.ForeignKeyConstraint(
            ["principal_id"], ["principals.id"], name=op.f("fk_sign_in_sessions_principal_id_principals")
        ),
        sa.PrimaryKeyConstraint("id_sha256", name=op.f("pk_sign_in_sessions")),
    )
    with op.batch_alter_table("sign_in_sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sign_in_sessions_principal_id"), ["principal_id"], unique=False)
    op.create_table(
        "recovery_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("principal_id", sa.Integer(), nullable=False),
        sa.Column("code_sha256", sa.String(length=64), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["principal_id"], ["principals.id"], name=op.f("fk_recovery_codes_principal_id_principals")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recovery_codes")),
        sa.UniqueConstraint(
            "principal_id", "code_sha256", name=op.f("uq_recovery_codes_principal_id_code_sha256")
        ),
    )
    with op.batch_alter_table("recovery_codes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_recovery_codes_principal_id"), ["principal_id"], unique=False)

    # Every existing principal's token becomes an API token with no scope limit and no expiry.
    op.execute(
        "INSERT INTO api_tokens (principal_id, name, token_sha256, scopes, created_by) "
        "SELECT id, 'token', token_sha256, NULL, '' FROM principals"
    )
    # SQLite drops the column in place (3.35+): rebuilding the table would break the new references.
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE principals DROP COLUMN token_sha256")
    else:
        op.drop_column("principals", "token_sha256")


def downgrade() -> None:
    op.add_column("principals", sa.Column("token_sha256", sa.String(length=64), nullable=True))
    op.execute(
        "UPDATE principals SET token_sha256 = (SELECT MIN(t.token_sha256) FROM api_tokens t "
        "WHERE t.principal_id = principals.id AND t.revoked_at IS NULL)"
    )
    op.drop_table("recovery_codes")
    op.drop_table("sign_in_sessions")
    op.drop_table("api_tokens")
    op.drop_table("organisations")
    with op.batch_alter_table("principals", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_principals_status"), type_="check")
        batch_op.drop_constraint(op.f("uq_principals_external_id"), type_="unique")
        batch_op.drop_constraint(op.f("ck_principals_role"), type_="check")
        batch_op.create_check_constraint(op.f("ck_principals_role"), OLD_ROLES)
        for column in (
            "created_at",
            "locked_until",
            "failed_sign_ins",
            "totp_secret",
            "totp_last_step",
            "external_id",
            "password_must_change",
            "password_hash",
            "organisation_admin",
            "status",
            "email",
        ):
            batch_op.drop_column(column)
        batch_op.create_unique_constraint(op.f("uq_principals_token_sha256"), ["token_sha256"])
