"""The market abroad in the demo: two foreign organisations, verified like domestic ones,
each with a published listing priced in its own currency (US dollars, euros), the
reference rates of the last weeks that convert them, and the euro listing sold to a
Chinese enterprise (marketplace.demo.abroad_deal: a technology import)."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

from accounts import services as accounts
from accounts.foreign_registration import japan_check_digit
from accounts.models import OrganisationKind, User
from accounts.signup_checks import TERMS_VERSION
from core import rates
from core.currencies import Rate
from listings import evidence as listing_evidence
from listings import review as listing_review
from listings import services as listings
from listings.models import Listing
from listings.rules import IPKind
from marketplace.demo import abroad_deal

PASSWORD = "Abroad-demo-2026"
PASSWORDS = {"tlo@demo-abroad.example": PASSWORD, "transfer@demo-abroad.example": PASSWORD}
_JP_BASE = "700150007291"

# Yuan per unit, about the level of late 2026; the demo keeps one a week for ten weeks.
RATES = {
    "USD": Decimal("7.1350"),
    "EUR": Decimal("7.7120"),
    "JPY": Decimal("0.047650"),
    "KRW": Decimal("0.005080"),
    "GBP": Decimal("9.0410"),
    "HKD": Decimal("0.917200"),
}


def _organisations() -> list[dict]:
    return [
        {
            "email": "tlo@demo-abroad.example",
            "name": "東都工業大学",
            "name_en": "Toto Institute of Technology",
            "kind": OrganisationKind.UNIVERSITY,
            "country": "JP",
            "number": f"{japan_check_digit(_JP_BASE)}{_JP_BASE}",
            "region": "Tokyo",
            "listing": {
                "title_en": "Solid-state electrolyte with fast lithium-ion conduction at room temperature",
                "summary_en": "A sulphide electrolyte that conducts lithium ions as fast as liquid "
                "electrolytes, for safer high-density batteries.",
                "advantage": "Ten times the ionic conductivity of oxide electrolytes; no flammable solvent.",
                "field": "energy",
                "ipc": ("H01M 10/0562",),
                "patents": ((IPKind.US, "US 10,123,456 B2"),),
                "currency": "USD",
                "price_minor": 450_000_00,
            },
        },
        {
            "email": "transfer@demo-abroad.example",
            "name": "Fraunhofer-Demo-Institut für Werkstoffe",
            "name_en": "Fraunhofer Demo Institute for Materials",
            "kind": OrganisationKind.INSTITUTE,
            "country": "DE",
            "number": "DE136695976",
            "region": "München",
            "listing": {
                "title_en": "Recyclable carbon-fibre composite with a reversible resin",
                "summary_en": "A composite whose resin unbinds at 180 °C, so the fibres are "
                "recovered whole and reused.",
                "advantage": "Recovers 95 % of the fibre length; the resin is reused three times.",
                "field": "materials",
                "ipc": ("C08J 11/04",),
                "patents": ((IPKind.EP, "99403122.7"),),
                "currency": "EUR",
                "price_minor": 280_000_00,
            },
        },
    ]


def load(
    *,
    reviewer: User,
    buyers: list[User],
    now: datetime,
    evidence_folder: Path,
    pdf: Callable[[str], bytes],
) -> dict[str, int]:
    """Sign up, verify, list and publish; keep the reference rates; sell the euro listing
    to a Chinese enterprise (returns what it made)."""
    start = now - timedelta(days=70)
    for week in range(10):
        on = (start + timedelta(weeks=week)).date()
        for currency, yuan in RATES.items():
            drift = Decimal(week - 5) / 1000 * yuan  # a small weekly move
            rates.keep(
                Rate(currency, (yuan + drift).quantize(yuan), on),
                by=reviewer.id,
                now=start,
                source="import",
            )
    listed = [
        _one(org, reviewer, start + timedelta(days=n), evidence_folder, pdf)
        for n, org in enumerate(_organisations())
    ]
    sold = abroad_deal.load(
        listing=next(item for item in listed if item.currency == "EUR"),
        buyers=buyers,
        reviewer=reviewer,
        now=now,
        upload_folder=evidence_folder.parent,
        pdf=pdf,
    )
    made = {"organisations_abroad": 2, "listings_abroad": 2, "reference_rates": 10 * len(RATES)}
    return made | sold


def _one(
    org: dict, reviewer: User, when: datetime, folder: Path, pdf: Callable[[str], bytes]
) -> Listing:
    user = accounts.sign_up(
        accounts.SignUp(
            email=org["email"],
            name="Demo Liaison",
            password=PASSWORD,
            organisation=accounts.NewOrganisation(
                name=org["name"],
                name_en=org["name_en"],
                kind=org["kind"],
                credit_code="",
                region=org["region"],
                country=org["country"],
                registration_number=org["number"],
            ),
            locale="en",
            terms_version=TERMS_VERSION,
        ),
        now=when,
    )
    assert user.organisation_id is not None
    accounts.verify_organisation(reviewer, user.organisation_id, now=when + timedelta(hours=3))
    item = org["listing"]
    listing = listings.create_listing(
        user,
        listings.ListingInput(
            title_en=item["title_en"],
            summary_en=item["summary_en"],
            advantage=item["advantage"],
            field=item["field"],
            trl=6,
            holder=org["name_en"],
            region=org["region"],
            ipc_classes=item["ipc"],
            inventors=("A. Demo", "B. Demo"),
            transfer_modes=("assignment", "exclusive_licence"),
            asking_price_minor=item["price_minor"],
            currency=item["currency"],
            ip_assets=tuple(
                listings.IPAssetInput(kind, number) for kind, number in item["patents"]
            ),
        ),
        now=when + timedelta(days=1),
    )
    step = when + timedelta(days=1, hours=2)
    listing_evidence.add_evidence(
        user,
        listing.id,
        kind="certificate",
        stream=io.BytesIO(pdf(f"Patent certificate / {item['patents'][0][1]}")),
        filename="certificate.pdf",
        folder=folder,
        max_bytes=1_000_000,
        now=step,
    )
    listing_review.submit(user, listing.id, now=step)
    listing_review.confirm_ownership(reviewer, listing.id, now=step + timedelta(days=1))
    listing_review.publish(user, listing.id, now=step + timedelta(days=2))
    return listing
