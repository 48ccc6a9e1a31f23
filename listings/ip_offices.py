"""The office that registers a change of a patent's holder, from the patent number's kind.

A transfer of a patent takes effect on registration with the office that granted it
(专利法 Art. 10 for CN patents), so a deal's rights-registration milestone names that
office. A PCT application (and its WO publication) has no national holder yet: the
International Bureau of WIPO records a change of applicant (PCT Rule 92bis).

Pure: no database, no Flask. Office names are marked for translation and translated
where they are shown.
"""

from __future__ import annotations

from collections.abc import Iterable

from core.domain import N_
from listings.rules import IPKind

CNIPA = N_("CNIPA")
USPTO = N_("USPTO")
EPO = N_("EPO")
WIPO = N_("WIPO International Bureau")

TRANSFER_OFFICE: dict[IPKind, str] = {
    IPKind.CN_APPLICATION: CNIPA,
    IPKind.CN_PUBLICATION: CNIPA,
    IPKind.US: USPTO,
    IPKind.EP: EPO,
    IPKind.PCT: WIPO,
    IPKind.WO: WIPO,
}


def transfer_offices(kinds: Iterable[IPKind | str]) -> tuple[str, ...]:
    """The offices that register the transfer of rights of these kinds, each once, in order."""
    offices: dict[str, None] = {}
    for kind in kinds:
        offices.setdefault(TRANSFER_OFFICE[IPKind(kind)], None)
    return tuple(offices)
