"""Users, organisations and memberships."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db_types import StoredFileMixin, UTCDateTime, enum_column
from core.extensions import Model


class OrganisationKind(enum.StrEnum):
    """The kinds of organisation the market knows (DOMAIN.md, Parties and trust)."""

    UNIVERSITY = "university"
    INSTITUTE = "institute"
    ENTERPRISE = "enterprise"
    BROKER_AGENCY = "broker_agency"
    OPERATOR = "operator"
    BANK = "bank"  # a partner bank: reads valuation reports shared with it (质押融资)


class VerificationStatus(enum.StrEnum):
    """An organisation's verification by a reviewer."""

    PENDING = "pending"
    VERIFIED = "verified"
    REJECTED = "rejected"


class MemberRole(enum.StrEnum):
    """A user's role inside their organisation."""

    MEMBER = "member"
    ADMIN = "admin"


class Organisation(Model):
    """A university, institute, enterprise or broker agency on the market."""

    __tablename__ = "organisations"
    __table_args__ = (
        UniqueConstraint("country", "registration_number", name="uq_organisations_registration"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))  # as registered, in its own script
    # The English name; for an organisation abroad, its name in Latin script (required).
    name_en: Mapped[str | None] = mapped_column(String(200))
    kind: Mapped[OrganisationKind] = mapped_column(enum_column(OrganisationKind, length=20))
    # A Chinese organisation's unified social credit code; None for one abroad.
    credit_code: Mapped[str | None] = mapped_column(String(18), unique=True)
    # ISO 3166 country of registration; abroad, the national number (foreign_registration).
    country: Mapped[str] = mapped_column(String(2), default="CN", server_default="CN")
    registration_number: Mapped[str | None] = mapped_column(String(32))
    region: Mapped[str] = mapped_column(String(64))
    status: Mapped[VerificationStatus] = mapped_column(
        enum_column(VerificationStatus, length=20),
        default=VerificationStatus.PENDING,
    )
    rejection_reason: Mapped[str | None] = mapped_column(String(2000))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    members: Mapped[list[User]] = relationship(back_populates="organisation")

    @property
    def is_verified(self) -> bool:
        return self.status == VerificationStatus.VERIFIED

    @property
    def is_abroad(self) -> bool:
        """Registered outside mainland China (a foreign party)."""
        return self.country != "CN"

    @property
    def identifier(self) -> str:
        """The credit code at home, the national registration number abroad."""
        return (self.credit_code if self.country == "CN" else self.registration_number) or ""

    def display_name(self, locale: str = "zh_CN") -> str:
        """The English name for English readers when there is one."""
        return self.name_en if locale.startswith("en") and self.name_en else self.name


class User(UserMixin, Model):
    """A person who signs in; belongs to at most one organisation."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(255))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    org_role: Mapped[MemberRole] = mapped_column(
        enum_column(MemberRole, length=20),
        default=MemberRole.MEMBER,
    )
    # A member who asked to join an existing organisation waits for its admin.
    membership_approved: Mapped[bool] = mapped_column(default=True)
    is_reviewer: Mapped[bool] = mapped_column(default=False)
    is_admin: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The language of the mail the market sends them (set at sign-up, changed in preferences).
    locale: Mapped[str] = mapped_column(String(8), default="zh_CN", server_default="zh_CN")
    # Stored in the session at sign-in and compared on every request: signing out or
    # changing the password raises it, and every session (even a copied cookie) ends.
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")
    # The terms of use and privacy notice (个人信息保护法) they accepted, and when.
    terms_version: Mapped[str | None] = mapped_column(String(20))
    terms_accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    organisation: Mapped[Organisation | None] = relationship(back_populates="members")

    @property
    def is_active(self) -> bool:  # Flask-Login: deactivated users cannot sign in
        return self.active

    @property
    def can_review(self) -> bool:
        return self.is_reviewer or self.is_admin

    @property
    def acting_org_id(self) -> int | None:
        """The organisation this user acts for, once the membership is approved."""
        return self.organisation_id if self.membership_approved else None

    @property
    def is_org_admin(self) -> bool:
        return self.acting_org_id is not None and self.org_role == MemberRole.ADMIN


class OrganisationDocument(StoredFileMixin, Model):
    """A document of an organisation: its business licence (营业执照), seen by reviewers."""

    __tablename__ = "organisation_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(32), default="business_licence")


class TokenScope(enum.StrEnum):
    """What an API token may do: only read, or also write (POST, PUT, PATCH, DELETE)."""

    READ = "read"
    WRITE = "write"


class ApiToken(Model):
    """A personal API token; only its SHA-256 is stored. It expires, and its owner may revoke it."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    scope: Mapped[TokenScope] = mapped_column(
        enum_column(TokenScope, length=10), default=TokenScope.WRITE, server_default="write"
    )
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()
