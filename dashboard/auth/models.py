"""The editors' tables: accounts, their roles, sign-in attempts and the audit log.

They hang off the store's declarative Base, so one migration chain ("0002_accounts" after
"0001_initial") creates them beside the figures, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from dashboard.store.models import Base

EDITOR = "editor"
PUBLISHER = "publisher"
ADMIN = "admin"
ROLES = (EDITOR, PUBLISHER, ADMIN)


class Account(Base):
    """A person who may sign in. `session_nonce` changes on sign-out, password reset and
    disabling: a cookie carrying an older nonce is refused, so it cannot be replayed."""

    __tablename__ = "accounts"

    account_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(200), nullable=False, unique=True)
    display_name: Mapped[str] = mapped_column(Text, nullable=False, default="")
    # Empty for accounts that sign in only through OpenID Connect.
    password_hash: Mapped[str] = mapped_column(Text, nullable=False, default="")
    oidc_subject: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    session_nonce: Mapped[str] = mapped_column(String(64), nullable=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class AccountRole(Base):
    """One role of an account; an editor has one row per unit it may submit figures for."""

    __tablename__ = "account_roles"

    role_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.account_id"), nullable=False, index=True
    )
    role: Mapped[str] = mapped_column(String(16), nullable=False)
    # The unit an editor role covers; '' for publisher and admin.
    unit_id: Mapped[str] = mapped_column(String(100), nullable=False, default="")


class LoginAttempt(Base):
    """Every sign-in attempt, kept to slow and lock guessing per account and per address."""

    __tablename__ = "login_attempts"
    __table_args__ = (
        Index("ix_login_attempts_username_at", "username", "at"),
        Index("ix_login_attempts_address_at", "address", "at"),
    )

    attempt_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(200), nullable=False)
    address: Mapped[str] = mapped_column(String(100), nullable=False)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    succeeded: Mapped[bool] = mapped_column(Boolean, nullable=False)


class AuditEvent(Base):
    """Who did what, when and from where: read by admins on /admin, never shown publicly."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_at", "at"),)

    event_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    actor: Mapped[str] = mapped_column(String(200), nullable=False)
    action: Mapped[str] = mapped_column(String(40), nullable=False)
    detail: Mapped[str] = mapped_column(Text, nullable=False, default="")
    address: Mapped[str] = mapped_column(String(100), nullable=False, default="")
