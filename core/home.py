"""The panels of a signed-in person's home: each domain contributes its own.

The app shell sends `home_panels` with the user as sender; each domain's `home.py`
answers with a list of `HomePanel` (or None when the person has no part in it), so the
shell composes the home without any domain knowing the others. Receivers only read, and
each runs a few aggregate queries (no query per row).
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from blinker import Namespace
from flask import url_for
from flask_babel import gettext
from sqlalchemy import ColumnElement, func, select

from core.extensions import db

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


@dataclass(frozen=True)
class Card:
    """A panel's own words, marked with N_ and translated when shown: its title, and with
    no items, what to do next (`hint`) and a button (`action`) to the page `endpoint`."""

    key: str
    role: str
    title: str
    order: int
    hint: str = ""
    endpoint: str | None = None
    action: str = ""

    def panel(self, items: Sequence[HomeItem]) -> HomePanel:
        """The card holding `items`."""
        return HomePanel(
            key=self.key,
            role=self.role,
            title=gettext(self.title),
            items=items,
            empty=gettext(self.hint) if self.hint else "",
            empty_url=url_for(self.endpoint) if self.endpoint else None,
            empty_action=gettext(self.action) if self.action else "",
            order=self.order,
        )


def counted(rows: Iterable[tuple[object, int]]) -> dict[object, int]:
    """{key: count} from the rows of a GROUP BY query."""
    return {key: int(count) for key, count in rows}


def count_by(column: Any, *where: ColumnElement[bool]) -> dict[Any, int]:
    """{value of `column`: rows} of the rows matching `where` (one GROUP BY)."""
    return counted(
        db.session.execute(select(column, func.count()).where(*where).group_by(column)).all()
    )


def counted_items(
    counts: Mapping[Any, int], labels: Mapping[Any, str], url: str, *, urgent: Container[Any] = ()
) -> list[HomeItem]:
    """An item per label whose key has rows, in the labels' order."""
    return [
        HomeItem(str(label), url, counts[key], urgent=key in urgent)
        for key, label in labels.items()
        if counts.get(key)
    ]


def queue_item(label: str, url: str, since: Any, *where: ColumnElement[bool]) -> HomeItem:
    """A reviewers' queue: the rows matching `where`, and the oldest of their `since`."""
    count, oldest = db.session.execute(select(func.count(), func.min(since)).where(*where)).one()
    return HomeItem(label, url, count, oldest, urgent=True)


def review_panel(key: str, title: str, items: Sequence[HomeItem], order: int) -> HomePanel:
    """The reviewers' card of one domain's queues (`title` marked with N_)."""
    return HomePanel(key=key, role=REVIEWER, title=gettext(title), items=items, order=order)


@dataclass(frozen=True)
class ReviewQueue:
    """The reviewers' card of one queue: its key, title (N_) and order, and the queue's
    label (N_) and page (an endpoint, then an anchor)."""

    key: str
    title: str
    order: int
    label: str
    endpoint: str
    anchor: str = ""

    def panel(self, since: Any, *where: ColumnElement[bool]) -> HomePanel:
        """The card: the rows matching `where`, and the oldest of their `since`."""
        url = url_for(self.endpoint) + self.anchor
        return review_panel(self.key, self.title, [queue_item(gettext(self.label), url, since, *where)], self.order)  # fmt: skip


OrgPanel = Callable[[int], HomePanel]


def role_panels(
    org_id: int | None,
    roles: frozenset[str],
    *,
    seller: OrgPanel | None = None,
    buyer: OrgPanel | None = None,
    reviewer: Callable[[], HomePanel] | None = None,
) -> list[HomePanel] | None:
    """The panels of the roles a person holds: a seller's and a buyer's for the organisation
    they act for, the reviewers' for the market."""
    panels = []
    if seller is not None and SELLER in roles and org_id is not None:
        panels.append(seller(org_id))
    if buyer is not None and BUYER in roles and org_id is not None:
        panels.append(buyer(org_id))
    if reviewer is not None and REVIEWER in roles:
        panels.append(reviewer())
    return panels or None


def panels_of_roles(
    *,
    seller: OrgPanel | None = None,
    buyer: OrgPanel | None = None,
    reviewer: Callable[[], HomePanel] | None = None,
) -> Callable[[], None]:
    """A domain's `connect`: it answers `home_panels` with its panels for the roles the
    person holds (see `role_panels`)."""

    def on_home(user: Any, *, roles: frozenset[str], **_kw: Any) -> list[HomePanel] | None:
        return role_panels(user.acting_org_id, roles, seller=seller, buyer=buyer, reviewer=reviewer)

    def connect() -> None:
        home_panels.connect(on_home, weak=False)

    return connect
