"""Accounts (principals) bound to organisations, their sign-in sessions, API tokens and recovery codes.

Secrets are never stored: passwords as argon2id hashes, session ids, API tokens and recovery codes
as SHA-256 digests (each is a long random value, so a fast digest is enough to make a stolen table
useless). The TOTP seed must be readable to check a code, so it is kept as is (ASVS 2.9: a deployment
puts the database's storage under encryption at rest).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from exportguard.db.models.base import Base, UTCDateTime, check_in
from exportguard.domain.access import Role
from exportguard.domain.accounts import OrganisationKind, SessionStage, Status


class Organisation(Base):
    """An organisation whose people sign in: an exporter (a party of the register), a department, customs."""

    __tablename__ = "organisations"
    __table_args__ = (
        CheckConstraint(check_in("kind", OrganisationKind), name="kind"),
        CheckConstraint(check_in("status", Status), name="status"),
    )

    party_id: Mapped[int] = mapped_column(ForeignKey("parties.id"), primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(16))
    business_number: Mapped[str | None] = mapped_column(String(15), unique=True)
    status: Mapped[str] = mapped_column(String(16), default=Status.ACTIVE.value)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Principal(Base):
    """An account: a person or a system that signs in, with one role, in one organisation."""

    __tablename__ = "principals"
    __table_args__ = (
        CheckConstraint(check_in("role", Role), name="role"),
        CheckConstraint(check_in("status", Status), name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("parties.id"))
    email: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(16), default=Status.ACTIVE.value)
    # May invite people of the same organisation (an exporter's own administrator).
    organisation_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    password_hash: Mapped[str | None] = mapped_column(String(200))
    # A one-time password given by an administrator: replaced at the first sign-in.
    password_must_change: Mapped[bool] = mapped_column(Boolean, default=False)
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    # The last TOTP time step accepted: a code is good once (ASVS 2.8.4).
    totp_last_step: Mapped[int | None] = mapped_column(Integer)
    # Single sign-on: the identity provider's issuer and subject, "issuer|subject".
    external_id: Mapped[str | None] = mapped_column(String(300), unique=True)
    failed_sign_ins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class SignInSession(Base):
    """A server-side session: the browser (or CLI) holds only its random id."""

    __tablename__ = "sign_in_sessions"
    __table_args__ = (CheckConstraint(check_in("stage", SessionStage), name="stage"),)

    id_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    principal_id: Mapped[int] = mapped_column(ForeignKey("principals.id"), index=True)
    stage: Mapped[str] = mapped_column(String(16))
    channel: Mapped[str] = mapped_column(String(8), default="web")
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_reason: Mapped[str | None] = mapped_column(String(32))


class ApiToken(Base):
    """A credential for a system (the customs feed, an exporter's ERP), scoped, expiring, revocable."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    principal_id: Mapped[int] = mapped_column(ForeignKey("principals.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    # Space-separated actions (domain/access.py); NULL: everything the role may do (demo tokens).
    scopes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(80), default="")
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class RecoveryCode(Base):
    """One of the single-use codes that stand in for a lost authenticator (ASVS 2.6)."""

    __tablename__ = "recovery_codes"
    __table_args__ = (UniqueConstraint("principal_id", "code_sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    principal_id: Mapped[int] = mapped_column(ForeignKey("principals.id"), index=True)
    code_sha256: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
