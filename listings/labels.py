"""Human labels of the market's vocabularies, in the reader's language."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from accounts.models import OrganisationKind, VerificationStatus
from core.i18n import current_locale
from listings.evaluation_rules import Advancement, Novelty
from listings.rules import (
    EVIDENCE_KINDS,
    FIELDS,
    NEGOTIABLE,
    PRICE_BANDS,
    IPKind,
    ListingStatus,
    TransferMode,
)

LISTING_STATUS = {
    ListingStatus.DRAFT: (_l("Draft"), "secondary"),
    ListingStatus.SUBMITTED: (_l("Under ownership review"), "warning"),
    ListingStatus.CONFIRMED: (_l("Ownership confirmed"), "info"),
    ListingStatus.PUBLISHED: (_l("Published"), "success"),
    ListingStatus.WITHDRAWN: (_l("Withdrawn"), "dark"),
}
# The details of a listing as the page heads them, in the order it shows them.
DETAIL_HEADINGS = (
    ("problem", _l("The problem it solves")),
    ("application", _l("Where it applies")),
    ("advantage", _l("Advantage over what exists")),
    ("economics", _l("Economics")),
)
VERIFICATION = {
    VerificationStatus.PENDING: (_l("Awaiting verification"), "warning"),
    VerificationStatus.VERIFIED: (_l("Verified"), "success"),
    VerificationStatus.REJECTED: (_l("Rejected"), "danger"),
}
ORG_KIND = {
    OrganisationKind.UNIVERSITY: _l("University"),
    OrganisationKind.INSTITUTE: _l("Research institute"),
    OrganisationKind.ENTERPRISE: _l("Enterprise"),
    OrganisationKind.BROKER_AGENCY: _l("Broker agency"),
    OrganisationKind.OPERATOR: _l("Market operator"),
    OrganisationKind.BANK: _l("Partner bank"),
}
TRANSFER_MODE = {
    TransferMode.ASSIGNMENT: _l("Assignment"),
    TransferMode.EXCLUSIVE_LICENCE: _l("Exclusive licence"),
    TransferMode.SOLE_LICENCE: _l("Sole licence"),
    TransferMode.NON_EXCLUSIVE_LICENCE: _l("Non-exclusive licence"),
    TransferMode.EQUITY: _l("Equity investment"),
}
IP_KIND = {
    IPKind.CN_APPLICATION: _l("CN application / patent"),
    IPKind.CN_PUBLICATION: _l("CN publication"),
    IPKind.US: _l("US patent or publication"),
    IPKind.EP: _l("EP application"),
    IPKind.PCT: _l("PCT application"),
    IPKind.WO: _l("WO publication"),
}
# The price bands of listings' asking prices and needs' budgets (one wording for both
# searches' facets; a need's open budget is worded by the needs page).
PRICE_BAND = {
    "lt_100k": _l("Under ¥100,000"),
    "100k_500k": _l("¥100,000 – 500,000"),
    "500k_1m": _l("¥500,000 – 1 million"),
    "1m_5m": _l("¥1 – 5 million"),
    "gte_5m": _l("¥5 million and more"),
    NEGOTIABLE: _l("Negotiable"),
}
ADVANCEMENT = {
    Advancement.INTERNATIONAL_LEADING: _l("Internationally leading"),
    Advancement.INTERNATIONAL_ADVANCED: _l("Internationally advanced"),
    Advancement.DOMESTIC_LEADING: _l("Leading in China"),
    Advancement.DOMESTIC_ADVANCED: _l("Advanced in China"),
}
NOVELTY = {
    Novelty.NEW_WORLDWIDE: _l("No identical report in China or abroad"),
    Novelty.NEW_IN_CHINA: _l("No identical report in China"),
    Novelty.KNOWN: _l("Identical reports exist"),
}
IPC_SECTION = {  # the search facets' and the statistics' words for the sections
    "A": _l("A · Human necessities"),
    "B": _l("B · Operations and transport"),
    "C": _l("C · Chemistry and metallurgy"),
    "D": _l("D · Textiles and paper"),
    "E": _l("E · Fixed constructions"),
    "F": _l("F · Mechanical engineering"),
    "G": _l("G · Physics"),
    "H": _l("H · Electricity"),
}
assert list(PRICE_BAND) == [band for band, _ in PRICE_BANDS] + [NEGOTIABLE]  # in order


def _pick(pair: tuple[str, str]) -> str:
    return pair[1] if current_locale().startswith("en") else pair[0]


def field_label(code: str) -> str:
    """A technology field in the reader's language."""
    return _pick(FIELDS[code]) if code in FIELDS else code


def evidence_label(code: str) -> str:
    """An evidence kind in the reader's language."""
    return _pick(EVIDENCE_KINDS[code]) if code in EVIDENCE_KINDS else code


def facet_label(facet: str, value: str) -> str:
    """The label of a facet value on the search page."""
    if facet == "field":
        return field_label(value)
    tables: dict[str, Mapping[Any, Any]] = {
        "transfer_mode": TRANSFER_MODE,
        "price_band": PRICE_BAND,
        "ipc_section": IPC_SECTION,
        "advancement": ADVANCEMENT,
    }
    table = tables.get(facet)
    if table is not None:
        return str(table.get(value, value))
    if facet == "trl":
        return gettext("TRL %(level)s", level=value)
    return value


def init_app(app: Flask) -> None:
    """Make the labels available to every template."""
    app.jinja_env.globals.update(
        LISTING_STATUS=LISTING_STATUS,
        detail_headings=DETAIL_HEADINGS,
        VERIFICATION=VERIFICATION,
        ORG_KIND=ORG_KIND,
        TRANSFER_MODE=TRANSFER_MODE,
        ADVANCEMENT=ADVANCEMENT,
        NOVELTY=NOVELTY,
        IP_KIND=IP_KIND,
        field_label=field_label,
        evidence_label=evidence_label,
        facet_label=facet_label,
    )
