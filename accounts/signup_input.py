"""What a sign-up gives: the person, and the organisation they register or join."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from accounts.models import OrganisationKind
from core.service_kit import Upload


@dataclass(frozen=True)
class NewOrganisation:
    """An organisation registered together with its first user."""

    name: str
    kind: OrganisationKind
    credit_code: str
    region: str
    name_en: str | None = None  # abroad: the name in Latin script, required
    licence: Upload | None = None  # the business licence (营业执照), optional
    country: str = "CN"  # abroad: ISO 3166 code, and the national registration number
    registration_number: str = ""

    @property
    def abroad(self) -> bool:
        """Registered outside China: a national number instead of a credit code."""
        return self.country.upper() != "CN"

    @property
    def home_code(self) -> str | None:
        """The credit code the rules check, at home only."""
        return None if self.abroad else self.credit_code

    @property
    def registration(self) -> tuple[str, str] | None:
        """(country, number) abroad."""
        return (self.country.upper(), self.registration_number) if self.abroad else None


@dataclass(frozen=True)
class DocumentStore:
    """Where uploaded documents are kept, and how large one may be."""

    folder: Path
    max_bytes: int


@dataclass(frozen=True)
class SignUp:
    """A sign-up: the person, and the organisation they create or ask to join."""

    email: str
    name: str
    password: str
    organisation: NewOrganisation | None = None
    join_credit_code: str | None = None
    locale: str = "zh_CN"  # the language the market writes to them in (emails)
    terms_version: str | None = None  # the terms and privacy notice accepted (the form asks)
