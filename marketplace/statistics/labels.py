"""Human labels of the statistics' keys, in the reader's language."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from accounts.models import OrganisationKind
from deals.labels import CHANNEL, SALE_METHOD
from deals.rules import Channel, SaleMethod
from listings.labels import IPC_SECTION, ORG_KIND, field_label
from marketplace.statistics.rules import OTHER_KEY, UNKNOWN

SPECIAL: dict[str, Any] = {
    OTHER_KEY: _l("Others (small groups combined)"),
    UNKNOWN: _l("Not known"),
    "domestic": _l("Both parties in mainland China"),
    "international": _l("A party abroad"),
}


def key_label(table: str, key: str) -> str:
    """The label of one row of a table."""
    if key in SPECIAL:
        return str(SPECIAL[key])
    if table == "channel" and key in set(Channel):
        return str(CHANNEL[Channel(key)])
    if table == "method" and key in set(SaleMethod):
        return str(SALE_METHOD[SaleMethod(key)])
    if table == "field":
        return field_label(key)
    if table == "ipc_section":
        return str(IPC_SECTION.get(key, key))
    if table == "organisation_kind" and key in set(OrganisationKind):
        return str(ORG_KIND[OrganisationKind(key)])
    return key
