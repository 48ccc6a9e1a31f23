"""Pure rules of bidder numbers (竞买号): who is named to whom in an auction.

Bidders appear by number to everyone but reviewers; the seller learns the names at
the close; a bidder sees "you" for its own bids. A number is drawn at random among
the free four-digit numbers of the auction, so it says nothing of the organisation
(not its id, not the order it joined in). No Flask, no database.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass

from core.domain import N_, DomainError

LOWEST = 1000
HIGHEST = 9999


class NoNumberLeft(DomainError):
    """Every four-digit bidder number of the auction is taken."""

    code = "no_bidder_number_left"


def pick_number(taken: Collection[int], draw: Callable[[int], int]) -> int:
    """A four-digit number not in `taken`; `draw(n)` returns a random integer in [0, n)."""
    used = {n for n in taken if LOWEST <= n <= HIGHEST}
    free = HIGHEST - LOWEST + 1 - len(used)
    if free <= 0:
        raise NoNumberLeft(N_("This auction has no bidder number left."))
    index = draw(free)
    for number in range(LOWEST, HIGHEST + 1):
        if number in used:
            continue
        if index == 0:
            return number
        index -= 1
    raise AssertionError("draw() returned a value outside [0, free)")


@dataclass(frozen=True)
class Viewer:
    """Who looks at an auction: its organisation (None: anonymous), reviewer, seller."""

    org_id: int | None = None
    is_reviewer: bool = False
    is_seller: bool = False


ANONYMOUS = Viewer()


def names_visible(viewer: Viewer, *, closed: bool) -> bool:
    """Reviewers see bidders' names at any time; the seller once the auction has closed."""
    return viewer.is_reviewer or (viewer.is_seller and closed)


def is_mine(viewer: Viewer, bidder_org_id: int | None) -> bool:
    """Whether a bid (or the lead) is the viewer's own organisation's."""
    return viewer.org_id is not None and viewer.org_id == bidder_org_id
