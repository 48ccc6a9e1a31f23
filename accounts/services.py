"""Account use cases: sign-up, sign-in, organisation verification, membership, first admin.

They flush and never commit: the caller's unit of work (`core.uow`) commits.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from functools import cache
from typing import TypeGuard, TypeVar

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Select, func, select

from accounts import foreign_registration, signup_checks
from accounts.models import (
    MemberRole,
    Organisation,
    OrganisationDocument,
    OrganisationKind,
    User,
    VerificationStatus,
)
from accounts.rules import check_password_strength, normalise_credit_code
from accounts.signals import organisation_decided
from accounts.signup_input import DocumentStore as DocumentStore  # re-exported: the input
from accounts.signup_input import NewOrganisation as NewOrganisation
from accounts.signup_input import SignUp as SignUp
from accounts.throttle import SignInThrottle
from core.domain import N_, DomainError, NotFound, PermissionDenied, ValidationFailed
from core.extensions import db
from core.row_lists import all_of
from core.service_kit import Upload, audit_action, flush_new, get_or_not_found, store_document

Row = TypeVar("Row")

_hasher = PasswordHasher()  # Argon2id with the library's current parameters


def hash_password(password: str) -> str:
    """Argon2id hash of a password."""
    return _hasher.hash(password)


def _snapshot_org(org: Organisation) -> dict:
    snapshot = {"status": org.status.value, "name": org.name, "credit_code": org.credit_code}
    if org.is_abroad:
        snapshot |= {"country": org.country, "registration_number": org.registration_number}
    return snapshot


def sign_up(data: SignUp, *, now: datetime, documents: DocumentStore | None = None) -> User:
    """Create a user with a new organisation (as its admin) or as a pending member of one.

    Every problem is found before anything is written and refused at once (see
    `signup_checks`). A business licence, when given, is kept in `documents`.
    """
    email = data.email.strip().lower()
    org = data.organisation
    problems = signup_checks.rule_problems(
        data.password, org.home_code if org else None, data.join_credit_code
    )
    if org is not None and org.abroad:
        problems += signup_checks.foreign_problems(
            org.country, org.registration_number, org.name_en or ""
        )
    if org is not None and not org.name.strip():
        problems.append(
            ValidationFailed(N_("Give the organisation's registered name."), field="org_name")
        )
    problems += signup_checks.conflicts(
        email,
        org.home_code if org else None,
        None if org else data.join_credit_code,
        org.registration if org else None,
    )
    signup_checks.refuse(problems)
    user = User(
        email=email,
        name=data.name.strip(),
        password_hash=hash_password(data.password),
        locale=data.locale,
        terms_version=data.terms_version,
        terms_accepted_at=now if data.terms_version else None,
    )
    user.created_at = now
    if org is not None:
        user.organisation = _register_organisation(org, now=now)
        user.org_role = MemberRole.ADMIN
    elif data.join_credit_code:
        code = normalise_credit_code(data.join_credit_code)
        user.organisation = db.session.scalar(
            select(Organisation).where(Organisation.credit_code == code)
        )
        user.membership_approved = False
    flush_new(user)
    if org is not None and org.licence is not None and documents is not None:
        _keep_licence(user, org.licence, documents, now=now)
    after = {"email": email, "organisation_id": user.organisation_id, "terms": data.terms_version}
    audit_action("user.sign_up", user.id, user.id, now, after=after)
    return user


def _keep_licence(user: User, licence: Upload, documents: DocumentStore, *, now: datetime) -> None:
    assert user.organisation_id is not None
    abroad = user.organisation is not None and user.organisation.is_abroad
    kind = "registration_document" if abroad else "business_licence"
    document = OrganisationDocument(organisation_id=user.organisation_id, kind=kind)
    try:
        store_document(
            document, licence, by=user.id, now=now, folder=documents.folder,
            max_bytes=documents.max_bytes,
        )  # fmt: skip
    except ValidationFailed as refused:
        refused.field = "licence"
        raise


def _register_organisation(data: NewOrganisation, *, now: datetime) -> Organisation:
    org = flush_new(
        Organisation(
            name=data.name.strip(),
            name_en=(data.name_en or "").strip() or None,
            kind=data.kind,
            credit_code=None if data.abroad else normalise_credit_code(data.credit_code),
            country=data.country.upper(),
            registration_number=(
                foreign_registration.check(data.country, data.registration_number)
                if data.abroad
                else None
            ),
            region=data.region.strip(),
            status=VerificationStatus.PENDING,
            created_at=now,
        )
    )
    audit_action("organisation.register", org.id, None, now, after=_snapshot_org(org))
    return org


@cache
def _unknown_account_hash() -> str:
    """A hash no password matches, verified for unknown emails: they take as long as known ones."""
    return _hasher.hash(secrets.token_urlsafe(32))


def _password_matches(password_hash: str, password: str) -> bool:
    try:
        return bool(_hasher.verify(password_hash, password))
    except (VerificationError, InvalidHashError):
        return False


def authenticate(
    email: str, password: str, *, now: datetime, throttle: SignInThrottle, address: str
) -> User:
    """The user with these credentials, or one vague error (no hint which part was wrong).

    Known and unknown emails take the same path: the lock is checked and the failure
    counted by email and by client `address`, and a password is verified against a hash
    even when no account has that email. Raises SignInLocked while either is locked.
    """
    email = email.strip().lower()
    throttle.check(email, address, now=now)
    user = db.session.scalar(select(User).where(func.lower(User.email) == email))
    matches = _password_matches(user.password_hash if user else _unknown_account_hash(), password)
    if user is None or not matches:
        throttle.failed(email, address, now=now)
        raise DomainError(N_("Wrong email or password."), code="bad_credentials")
    if not user.active:
        raise PermissionDenied(N_("This account is deactivated."))
    throttle.succeeded(email)
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_sign_in_at = now
    return user


def end_sessions(actor: User, *, now: datetime, action: str = "user.sign_out") -> None:
    """End every session of the actor: a copy of any of their session cookies stops working."""
    before = {"session_version": actor.session_version}
    actor.session_version += 1
    after = {"session_version": actor.session_version}
    audit_action(action, actor.id, actor.id, now, object_type="user", before=before, after=after)


def change_password(actor: User, current: str, new: str, *, now: datetime) -> User:
    """Replace the actor's password, proven by the current one; every session ends.

    The caller signs the actor in again in the session that asked for the change.
    """
    if not _password_matches(actor.password_hash, current):
        raise ValidationFailed(N_("Your current password is wrong."), field="current_password")
    check_password_strength(new)
    actor.password_hash = hash_password(new)
    end_sessions(actor, now=now, action="user.password_change")
    return actor


def is_signed_in(actor: User | None) -> TypeGuard[User]:
    """Whether someone is signed in (an anonymous visitor is not)."""
    return actor is not None and actor.is_authenticated


def can_review(actor: User | None) -> bool:
    """Whether the actor is signed in as a reviewer or an administrator of the market."""
    return is_signed_in(actor) and actor.can_review


def acts_for_org(actor: User | None, org_id: int) -> bool:
    """Whether the actor is signed in and acts for the organisation."""
    return is_signed_in(actor) and actor.acting_org_id == org_id


def require_reviewer(actor: User | None) -> User:
    """Only reviewers and administrators pass."""
    if actor is None or not actor.can_review:
        raise PermissionDenied(N_("Only reviewers of the market may do this."))
    return actor


def rows_for_reviewer(actor: User, query: Select[Row]) -> list[Row]:
    """The rows `query` finds (a review queue, the whole market), for reviewers only."""
    require_reviewer(actor)
    return all_of(query)


def get_organisation(org_id: int) -> Organisation:
    """An organisation by id, or NotFound."""
    return get_or_not_found(Organisation, org_id, N_("No such organisation."))


def english_names() -> dict[int, tuple[str, str]]:
    """{id: (name, English name)} of the organisations that gave an English name."""
    rows = db.session.execute(
        select(Organisation.id, Organisation.name, Organisation.name_en).where(
            Organisation.name_en.is_not(None), Organisation.name_en != ""
        )
    )
    return {org_id: (name, english or "") for org_id, name, english in rows}


def verify_organisation(actor: User, org_id: int, *, now: datetime) -> Organisation:
    """A reviewer verifies an organisation: from now on it may list, offer and bid."""
    return _decide_organisation(actor, org_id, VerificationStatus.VERIFIED, None, now=now)


def reject_organisation(actor: User, org_id: int, reason: str, *, now: datetime) -> Organisation:
    """A reviewer refuses an organisation, with a reason its members will read."""
    if not reason.strip():
        raise ValidationFailed(N_("Give the reason for the decision."), field="reason")
    return _decide_organisation(actor, org_id, VerificationStatus.REJECTED, reason.strip(), now=now)


def _decide_organisation(
    actor: User, org_id: int, outcome: VerificationStatus, reason: str | None, *, now: datetime
) -> Organisation:
    require_reviewer(actor)
    org = get_organisation(org_id)
    if org.status != VerificationStatus.PENDING:
        raise DomainError(N_("This organisation has already been decided."), code="already_decided")
    before = _snapshot_org(org)
    org.status = outcome
    org.rejection_reason = reason
    org.verified_at = now if outcome == VerificationStatus.VERIFIED else None
    _audit_decision(actor, org, before, now=now, reason=reason)
    organisation_decided.send(org, now=now)
    return org


def _audit_decision(
    actor: User, org: Organisation, before: dict, *, now: datetime, reason: str | None = None
) -> None:
    """Audit a verification decision: `organisation.verified` or `organisation.rejected`."""
    after = _snapshot_org(org)
    action = f"organisation.{org.status.value}"
    audit_action(action, org.id, actor.id, now, before=before, after=after, reason=reason)


def pending_members(actor: User) -> list[User]:
    """People waiting to join the actor's organisation (for its admin)."""
    if not actor.is_org_admin:
        return []
    return all_of(
        select(User).where(
            User.organisation_id == actor.organisation_id, User.membership_approved.is_(False)
        )
    )


def members_of(actor: User) -> dict[str, list[User]]:
    """The approved members of the actor's organisation, and (for its admin) who waits to join."""
    org_id = actor.acting_org_id
    if org_id is None:
        raise NotFound(N_("No such organisation."))
    query = select(User).where(User.organisation_id == org_id, User.membership_approved.is_(True))
    return {
        "members": all_of(query.order_by(User.id)),
        "pending": pending_members(actor),
    }


def organisation_queue(actor: User) -> list[Organisation]:
    """Organisations waiting for verification, oldest first (reviewers)."""
    pending = select(Organisation).where(Organisation.status == VerificationStatus.PENDING)
    return rows_for_reviewer(actor, pending.order_by(Organisation.created_at, Organisation.id))


def approve_member(actor: User, user_id: int, *, now: datetime) -> User:
    """An organisation's admin accepts a person who asked to join."""
    member = db.session.get(User, user_id)
    if member is None or member.organisation_id != actor.acting_org_id or not actor.is_org_admin:
        raise PermissionDenied(N_("Only your organisation's administrator may approve members."))
    member.membership_approved = True
    audit_action(
        "membership.approve",
        member.id,
        actor.id,
        now,
        object_type="user",
        before={"approved": False},
        after={"approved": True},
    )
    return member


def create_platform_user(
    email: str,
    name: str,
    password: str,
    *,
    now: datetime,
    admin: bool = False,
    reviewer: bool = True,
) -> User:
    """Create a reviewer or administrator of the market (CLI, demo data)."""
    check_password_strength(password)
    email = email.strip().lower()
    if db.session.scalar(select(User.id).where(func.lower(User.email) == email)):
        raise ValidationFailed(N_("An account with this email already exists."), field="email")
    user = flush_new(
        User(
            email=email,
            name=name,
            password_hash=hash_password(password),
            is_admin=admin,
            is_reviewer=reviewer or admin,
            created_at=now,
        )
    )
    after = {"email": email, "admin": admin, "reviewer": user.is_reviewer}
    audit_action("user.create_platform", user.id, None, now, after=after)
    return user


def register_operator(
    actor: User, *, name: str, credit_code: str, region: str, now: datetime
) -> Organisation:
    """The market operator's own organisation (verified at once), registered by an administrator.

    Offline deals whose seller is not on the platform are kept under it.
    """
    if not actor.is_admin:
        raise PermissionDenied(N_("Only administrators of the market may do this."))
    org = _register_organisation(
        NewOrganisation(
            name=name, kind=OrganisationKind.OPERATOR, credit_code=credit_code, region=region
        ),
        now=now,
    )
    before = _snapshot_org(org)
    org.status = VerificationStatus.VERIFIED
    org.verified_at = now
    _audit_decision(actor, org, before, now=now)
    return org
