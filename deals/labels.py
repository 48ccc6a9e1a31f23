"""Human labels of the deal ledger's vocabularies, in the reader's language."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import gettext, pgettext
from flask_babel import lazy_gettext as _l

from core.money import Money, format_wan
from deals.models import Channel, ContractType, DealStatus, SaleMethod

# (label, Bootstrap colour of the badge)
DEAL_STATUS: dict[DealStatus, tuple[Any, str]] = {
    DealStatus.AWAITING_SIGNATURE: (_l("Awaiting signature"), "warning"),
    DealStatus.SIGNED: (_l("Contract signed"), "info"),
    DealStatus.PAID: (_l("Paid"), "primary"),
    DealStatus.RIGHTS_REGISTERED: (_l("Rights registered"), "primary"),
    DealStatus.COMPLETED: (_l("Completed"), "success"),
    DealStatus.CANCELLED: (_l("Cancelled"), "danger"),
}
CONTRACT_TYPE: dict[ContractType, Any] = {
    ContractType.DEVELOPMENT_COMMISSIONED: _l("Technology development (commissioned)"),
    ContractType.DEVELOPMENT_COOPERATIVE: _l("Technology development (cooperative)"),
    ContractType.TRANSFER: _l("Technology transfer"),
    ContractType.LICENCE: _l("Technology licence"),
    ContractType.CONSULTING: _l("Technology consulting"),
    ContractType.SERVICE: _l("Technology service"),
}
SALE_METHOD: dict[SaleMethod, Any] = {
    SaleMethod.LISTED: _l("Listed sale"),
    SaleMethod.NEGOTIATED: _l("Negotiated price"),
    SaleMethod.AUCTION: _l("Auction"),
}
CHANNEL: dict[Channel, Any] = {
    Channel.ONLINE: _l("Online"),
    Channel.OFFLINE: _l("Offline (physical market)"),
}
DOCUMENT_KIND: dict[str, Any] = {
    "contract": _l("Signed contract"),
    "payment_receipt": _l("Payment receipt"),
    "rights_registration": _l("Rights registration notice (patent office)"),
    "other": _l("Other document"),
}
# What the button that records each milestone says.
MILESTONE_ACTION: dict[DealStatus, Any] = {
    DealStatus.SIGNED: _l("Record the signed contract"),
    DealStatus.PAID: _l("Record the payment"),
    DealStatus.RIGHTS_REGISTERED: _l("Record the rights registration"),
    DealStatus.COMPLETED: _l("Mark the deal completed"),
}


def wan(minor: int, currency: str = "CNY") -> str:
    """The amount in 万元 whatever the reader's language (deal pages show ¥ and 万元)."""
    return format_wan(Money(minor, currency))


def office_names(offices: Iterable[str]) -> str:
    """The patent offices' names in the reader's language, as one list ("" for none)."""
    return pgettext("list separator", ", ").join(gettext(office) for office in offices)


def template_globals() -> dict[str, Any]:
    """The tables every template may use."""
    return {
        "DEAL_STATUS": DEAL_STATUS,
        "CONTRACT_TYPE": CONTRACT_TYPE,
        "SALE_METHOD": SALE_METHOD,
        "CHANNEL": CHANNEL,
        "DOCUMENT_KIND": DOCUMENT_KIND,
        "MILESTONE_ACTION": MILESTONE_ACTION,
        "wan": wan,
        "office_names": office_names,
    }
