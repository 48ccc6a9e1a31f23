"""Everything a sign-up could be refused for, found in one pass.

A person who gets the password refused, then the credit code, then the email, needs
three round trips; these checks gather every problem so the form shows them at once.
The rules are pure; `conflicts` reads who is registered already (read only).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, select

from accounts import foreign_registration
from accounts.models import Organisation, User
from accounts.rules import check_password_strength, normalise_credit_code
from core.domain import N_, DomainError, ValidationFailed
from core.extensions import db

# The version of the terms of use and privacy notice (/terms, /privacy) people accept.
TERMS_VERSION = "2026-12.2"  # the complete texts; "2026-12" was the placeholders

NO_CONSENT = N_("Accept the terms of use and the privacy notice to register.")
EMAIL_TAKEN = N_("An account with this email already exists.")
ORG_TAKEN = N_("This organisation is already registered: ask its administrator to add you.")
ORG_UNKNOWN = N_("No organisation with this credit code is registered yet.")
LATIN_NAME = N_("Give the organisation's name in Latin script, as on its registration.")


class SignUpRefused(ValidationFailed):
    """A sign-up refused for one or more reasons: `problems` holds each, on its field."""

    code = "sign_up_refused"

    def __init__(self, problems: list[DomainError]) -> None:
        first = problems[0]
        super().__init__(first.message, field=first.field, **first.params)
        self.problems = problems

    def to_dict(self, translate: Any = lambda s: s) -> dict[str, Any]:
        """The API body, with every field's errors."""
        body = super().to_dict(translate)
        body["errors"] = field_errors(self.problems, translate)
        return body


def field_errors(problems: Iterable[DomainError], translate: Any) -> dict[str, list[str]]:
    """Problems as {field: [messages]}; one without a field goes under `_form`."""
    errors: dict[str, list[str]] = {}
    for problem in problems:
        errors.setdefault(problem.field or "_form", []).append(problem.text(translate))
    return errors


def _refusal(check: Any, *args: Any, field: str | None = None) -> list[DomainError]:
    try:
        check(*args)
    except DomainError as problem:
        if field:
            problem.field = field
        return [problem]
    return []


def rule_problems(
    password: str, credit_code: str | None, join_credit_code: str | None
) -> list[DomainError]:
    """What the pure rules say of the password and of the credit code given."""
    problems = _refusal(check_password_strength, password)
    if credit_code is not None:
        problems += _refusal(normalise_credit_code, credit_code, field="credit_code")
    if join_credit_code:
        problems += _refusal(normalise_credit_code, join_credit_code, field="join_credit_code")
    return problems


def foreign_problems(country: str, number: str, latin_name: str | None = None) -> list[DomainError]:
    """What the rules say of an organisation abroad: its national number and (unless None,
    a form that requires it already) its name in Latin script."""
    problems = _refusal(foreign_registration.check, country, number)
    if latin_name is not None and not latin_name.strip():
        problems.append(ValidationFailed(LATIN_NAME, field="org_name_en"))
    return problems


def consent_problems(terms_version: str | None) -> list[DomainError]:
    """The consent asked by the sign-up form: the terms and privacy notice of this version."""
    if terms_version == TERMS_VERSION:
        return []
    return [ValidationFailed(NO_CONSENT, field="consent")]


def refuse(problems: list[DomainError]) -> None:
    """Raise the one problem as itself (its stable code), several as SignUpRefused."""
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise SignUpRefused(problems)


def _code(text: str | None) -> str | None:
    try:
        return normalise_credit_code(text) if text else None
    except DomainError:
        return None  # the rules report a malformed code


def conflicts(
    email: str,
    credit_code: str | None,
    join_credit_code: str | None,
    registration: tuple[str, str] | None = None,
) -> list[DomainError]:
    """What is registered already: the email, the new organisation (by its credit code or,
    abroad, its `registration` (country, number)), the one to join."""
    problems: list[DomainError] = []
    if registration is not None and _registered_abroad(*registration):
        problems.append(ValidationFailed(ORG_TAKEN, field="registration_number"))
    address = email.strip().lower()
    if address and db.session.scalar(select(User.id).where(func.lower(User.email) == address)):
        problems.append(ValidationFailed(EMAIL_TAKEN, field="email"))
    new_code = _code(credit_code)
    if new_code and _organisation_with(new_code) is not None:
        problems.append(ValidationFailed(ORG_TAKEN, field="credit_code"))
    join_code = _code(join_credit_code)
    if join_credit_code and join_code and _organisation_with(join_code) is None:
        problems.append(ValidationFailed(ORG_UNKNOWN, field="join_credit_code"))
    return problems


def _organisation_with(code: str) -> int | None:
    return db.session.scalar(select(Organisation.id).where(Organisation.credit_code == code))


def _registered_abroad(country: str, number: str) -> bool:
    try:
        stored = foreign_registration.check(country, number)
    except DomainError:
        return False  # the rules report a malformed number
    found = select(Organisation.id).where(
        Organisation.country == country.upper(), Organisation.registration_number == stored
    )
    return db.session.scalar(found) is not None
