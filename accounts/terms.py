"""The terms of use and privacy notice a person accepted, and accepting a new version.

Each sign-up records the version accepted (accounts.signup_checks.TERMS_VERSION). When
the texts change, TERMS_VERSION gets a new value and TERMS_CHANGES says, in a few lines,
what changed; a member of an organisation who accepted an earlier version (or none, as
before consent was asked, or through an API sign-up that sent none) is asked to accept
the current one before going on in the browser (accounts.terms_gate).

The market's own staff (reviewers, administrators) act for the operator under their
employment, not under the users' terms: they are not asked. API tokens keep working; the
terms bind the person however they call, and the next page they open asks them.
"""

from __future__ import annotations

from datetime import datetime

from accounts.models import User
from accounts.signup_checks import TERMS_VERSION
from core.domain import N_, ValidationFailed
from core.extensions import db
from core.service_kit import audit_action

# What changed in each version, oldest first; the last is TERMS_VERSION.
TERMS_CHANGES: dict[str, tuple[str, ...]] = {
    "2026-12": (),  # the placeholders accepted at the first sign-ups
    "2026-12.2": (
        N_(
            "The terms of use are written out in full: who runs the market, what members "
            "of an organisation answer for, and the rules of listings, listed sales, "
            "negotiations and auctions."
        ),
        N_(
            "Deposits, the market's fee and brokers' commissions: when they are asked, "
            "applied, released or forfeited."
        ),
        N_(
            "The privacy notice says what personal information is collected and why, who "
            "else sees it, how long it is kept and how to use your rights under the "
            "Personal Information Protection Law."
        ),
    ),
}
NOT_ACCEPTED = N_("Tick the box to accept the terms of use and the privacy notice.")
CHANGED_AGAIN = N_("The terms changed again while the page was open: read the current version.")


def must_accept(user: User) -> bool:
    """Whether `user` has to accept the current terms before going on."""
    if user.is_reviewer or user.is_admin:
        return False
    return user.terms_version != TERMS_VERSION


def changes_since(version: str | None) -> list[str]:
    """What changed after `version` (all that is listed when it is unknown), as sources."""
    versions = list(TERMS_CHANGES)
    start = versions.index(version) + 1 if version in TERMS_CHANGES else 0
    return [line for v in versions[start:] for line in TERMS_CHANGES[v]]


def accept_terms(user: User, consent: str, *, now: datetime) -> User:
    """Record that `user` accepts the current terms, `consent` being the version the page
    showed them (ticked); audited. Accepting the version already accepted changes nothing."""
    if not consent:
        raise ValidationFailed(NOT_ACCEPTED, field="consent")
    if consent != TERMS_VERSION:
        raise ValidationFailed(CHANGED_AGAIN, field="consent")
    if user.terms_version == TERMS_VERSION:
        return user
    before = {"terms": user.terms_version, "accepted_at": _iso(user.terms_accepted_at)}
    user.terms_version = TERMS_VERSION
    user.terms_accepted_at = now
    db.session.flush()
    after = {"terms": TERMS_VERSION, "accepted_at": _iso(now)}
    audit_action("user.accept_terms", user.id, user.id, now, before=before, after=after)
    return user


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None
