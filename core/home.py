"""The panels of a signed-in person's home: each domain contributes its own.

The app shell sends `home_panels` with the user as sender; each domain's `home.py`
answers with a list of `HomePanel` (or None when the person has no part in it), so the
shell composes the home without any domain knowing the others. Receivers only read, and
each runs a few aggregate queries (no query per row).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from blinker import Namespace

_signals = Namespace()

# sender: the signed-in User; kwargs: roles (frozenset of seller, buyer, reviewer, admin),
# now (UTC), since (UTC time of the previous home visit, or None). Receivers return a list
# of HomePanel or None.
home_panels = _signals.signal("home-panels")

SELLER, BUYER, BROKER, REVIEWER, ADMIN = "seller", "buyer", "broker", "reviewer", "admin"


@dataclass(frozen=True)
class HomeItem:
    """One line of a panel: what it is, how many, since when, and where to act on it."""

    label: str
    url: str
    count: int | None = None
    oldest: datetime | None = None  # the oldest waiting item (a queue's age)
    note: str = ""
    urgent: bool = False  # something waits for this person's action
    amount_minor: int | None = None  # a sum of money, shown beside the count
    currency: str = "CNY"


@dataclass(frozen=True)
class HomePanel:
    """A card of the home: a titled list of items, or what to do when there is none."""

    key: str
    role: str
    title: str
    items: Sequence[HomeItem] = field(default_factory=tuple)
    empty: str = ""  # what to do next when there are no items
    empty_url: str | None = None
    empty_action: str = ""
    order: int = 50

    @property
    def waiting(self) -> int:
        """How many items wait for the person's action (the badge on the card)."""
        return sum(item.count or 0 for item in self.items if item.urgent)


def counted(rows: Iterable[tuple[object, int]]) -> dict[object, int]:
    """{key: count} from the rows of a GROUP BY query."""
    return {key: int(count) for key, count in rows}
