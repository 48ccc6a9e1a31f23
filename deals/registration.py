"""The technology-contract registration record (技术合同认定登记) of a deal, and its CSV export.

The seller side (技术卖方) registers a signed technology contract with the local
registration office; the registered technology transaction amount (技术交易额) is
what tax relief is computed from. The platform prepares the record for every deal,
online and offline.

Not modelled yet: the registered transaction amount is the contract amount. The
registration rules deduct the non-technical part of a contract (equipment,
materials, construction, other goods and services bought for the buyer) from the
contract amount; when deals carry that breakdown, `transaction_amount` becomes the
contract amount less those deductions.

`build_record` and `registration_csv` are pure; `record_for` and `records_for` load
the organisations and listings a record names.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, tzinfo
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from core.domain import N_
from core.money import Money, to_yuan_text
from core.spreadsheet_cells import formula_safe
from deals.models import Channel, ContractType, Deal, DealStatus, SaleMethod
from listings.ip_offices import transfer_offices

SHANGHAI = ZoneInfo("Asia/Shanghai")

# The registration categories as the registration form names them (the register is Chinese).
OFFICIAL_CATEGORY: dict[ContractType, str] = {
    ContractType.DEVELOPMENT_COMMISSIONED: "技术开发（委托）合同",
    ContractType.DEVELOPMENT_COOPERATIVE: "技术开发（合作）合同",
    ContractType.TRANSFER: "技术转让合同",
    ContractType.LICENCE: "技术许可合同",
    ContractType.CONSULTING: "技术咨询合同",
    ContractType.SERVICE: "技术服务合同",
}

# Characters that make a spreadsheet read a cell as a formula (CSV injection).


class _Organisation(Protocol):
    name: str
    credit_code: str | None
    kind: Any


class _Listing(Protocol):
    id: int
    ip_assets: Any

    def title(self, locale: str = ...) -> str: ...


@dataclass(frozen=True)
class Party:
    """A side of the contract: its name, and its credit code when it is on the platform."""

    name: str
    credit_code: str | None = None
    organisation_id: int | None = None


@dataclass(frozen=True)
class RegistrationRecord:
    """What the seller files for technology-contract registration (技术合同认定登记)."""

    deal_id: int
    contract_name: str
    contract_type: ContractType
    official_category: str
    seller: Party  # 技术卖方: the side that registers
    buyer: Party  # 技术买方
    contract_amount: Money
    transaction_amount: Money  # 技术交易额; equal to the contract amount for now
    signed_on: date | None
    channel: Channel
    method: SaleMethod
    status: DealStatus
    listing_id: int | None
    listing_title: str | None
    ip_numbers: tuple[str, ...]
    rights_registration_ref: str | None
    # The offices that register the transfer of the listing's rights (untranslated names).
    transfer_offices: tuple[str, ...] = ()

    @property
    def ready_to_file(self) -> bool:
        """A contract is registered once it is signed, and never after it fell."""
        return self.signed_on is not None and self.status != DealStatus.CANCELLED


def _party_on_platform(org: _Organisation | None) -> bool:
    # Offline deals with a seller that is not on the platform are kept under the
    # market operator's organisation: its credit code is not the seller's.
    return org is not None and getattr(org.kind, "value", org.kind) != "operator"


def build_record(
    deal: Deal,
    *,
    seller_org: _Organisation | None,
    buyer_org: _Organisation | None,
    listing: _Listing | None,
    tz: tzinfo = SHANGHAI,
) -> RegistrationRecord:
    """The registration record of `deal`; dates are taken in the market's time zone."""
    category = OFFICIAL_CATEGORY[deal.contract_type]
    seller_known = _party_on_platform(seller_org)
    buyer_known = deal.buyer_org_id is not None and _party_on_platform(buyer_org)
    signed_on = None
    if deal.signed_at is not None:
        signed_at = deal.signed_at
        if signed_at.tzinfo is None:  # SQLite hands back naive UTC
            signed_at = signed_at.replace(tzinfo=ZoneInfo("UTC"))
        signed_on = signed_at.astimezone(tz).date()
    amount = Money(deal.price_minor, deal.currency or "CNY")
    listing_title = listing.title("zh_CN") if listing is not None else None
    return RegistrationRecord(
        deal_id=deal.id,
        contract_name=f"“{deal.title}”{category}",
        contract_type=deal.contract_type,
        official_category=category,
        seller=Party(
            name=deal.seller_name,
            credit_code=seller_org.credit_code if seller_known and seller_org else None,
            organisation_id=deal.seller_org_id if seller_known else None,
        ),
        buyer=Party(
            name=deal.buyer_name,
            credit_code=buyer_org.credit_code if buyer_known and buyer_org else None,
            organisation_id=deal.buyer_org_id if buyer_known else None,
        ),
        contract_amount=amount,
        transaction_amount=amount,
        signed_on=signed_on,
        channel=deal.channel,
        method=deal.method,
        status=deal.status,
        listing_id=deal.listing_id,
        listing_title=listing_title,
        ip_numbers=tuple(asset.number for asset in listing.ip_assets) if listing else (),
        rights_registration_ref=deal.rights_registration_ref,
        transfer_offices=(
            transfer_offices(asset.kind for asset in listing.ip_assets) if listing else ()
        ),
    )


def record_for(deal: Deal, *, tz: tzinfo = SHANGHAI) -> RegistrationRecord:
    """The registration record of one deal, with its organisations and listing loaded."""
    return records_for([deal], tz=tz)[0]


def records_for(deals: Sequence[Deal], *, tz: tzinfo = SHANGHAI) -> list[RegistrationRecord]:
    """The registration records of `deals`, loading organisations and listings in two queries."""
    from sqlalchemy import select
    from sqlalchemy.orm import selectinload

    from accounts.models import Organisation
    from core.extensions import db
    from listings.models import Listing

    org_ids = {d.seller_org_id for d in deals} | {d.buyer_org_id for d in deals if d.buyer_org_id}
    listing_ids = {d.listing_id for d in deals if d.listing_id is not None}
    orgs = (
        {
            o.id: o
            for o in db.session.scalars(select(Organisation).where(Organisation.id.in_(org_ids)))
        }
        if org_ids
        else {}
    )
    listings = (
        {
            item.id: item
            for item in db.session.scalars(
                select(Listing)
                .where(Listing.id.in_(listing_ids))
                .options(selectinload(Listing.ip_assets))
            )
        }
        if listing_ids
        else {}
    )
    return [
        build_record(
            deal,
            seller_org=orgs.get(deal.seller_org_id),
            buyer_org=orgs.get(deal.buyer_org_id) if deal.buyer_org_id else None,
            listing=listings.get(deal.listing_id) if deal.listing_id else None,
            tz=tz,
        )
        for deal in deals
    ]


# (column heading, value of a record); headings are translated by the caller.
CSV_COLUMNS: tuple[tuple[str, Callable[[RegistrationRecord], str]], ...] = (
    (N_("Deal number"), lambda r: str(r.deal_id)),
    (N_("Contract name"), lambda r: r.contract_name),
    (N_("Contract type (registration category)"), lambda r: r.official_category),
    (N_("Contract type code"), lambda r: r.contract_type.value),
    (N_("Seller (registers)"), lambda r: r.seller.name),
    (N_("Seller credit code"), lambda r: r.seller.credit_code or ""),
    (N_("Buyer"), lambda r: r.buyer.name),
    (N_("Buyer credit code"), lambda r: r.buyer.credit_code or ""),
    (N_("Contract amount (yuan)"), lambda r: to_yuan_text(r.contract_amount)),
    (N_("Technology transaction amount (yuan)"), lambda r: to_yuan_text(r.transaction_amount)),
    (N_("Currency"), lambda r: r.contract_amount.currency),
    (N_("Signing date"), lambda r: r.signed_on.isoformat() if r.signed_on else ""),
    (N_("Channel"), lambda r: r.channel.value),
    (N_("Pricing method"), lambda r: r.method.value),
    (N_("Deal status"), lambda r: r.status.value),
    (N_("Listing title"), lambda r: r.listing_title or ""),
    (N_("IP numbers"), lambda r: "; ".join(r.ip_numbers)),
    (N_("Rights registration reference"), lambda r: r.rights_registration_ref or ""),
)


def registration_csv(
    records: Iterable[RegistrationRecord], translate: Callable[[str], str] = lambda s: s
) -> str:
    """One row per deal under a heading row, with a BOM so Excel reads the Chinese as UTF-8.

    Amounts are plain yuan with two decimals (no symbol, no grouping) so a spreadsheet
    reads them as numbers.
    """
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([translate(heading) for heading, _ in CSV_COLUMNS])
    for record in records:
        writer.writerow([formula_safe(value(record)) for _, value in CSV_COLUMNS])
    return out.getvalue()
