"""Pure rules of co-owned results (共有) and rights given to researchers (职务科技成果赋权).

A listing's rights holders have shares in basis points that sum to 100 %; each holds by
ownership or by a long-term right of use (at least 10 years, as the 2020 pilot gives).
A sale or licence needs every co-owner's consent. Proceeds are split by share to the fen.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from core.domain import N_, DomainError, ValidationFailed

WHOLE_BP = 10_000
MIN_USE_YEARS = 10
MAX_HOLDERS = 20


class HolderBasis(enum.StrEnum):
    """Why a holder has a share: ownership, or a long-term right of use."""

    OWNERSHIP = "ownership"  # 所有权
    RIGHT_OF_USE = "right_of_use"  # 长期使用权


class ConsentMissing(DomainError):
    code = "co_owner_consent_missing"


@dataclass(frozen=True)
class Holder:
    """One rights holder as the rules see it."""

    name: str
    share_bp: int
    basis: HolderBasis
    use_until: date | None = None


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def check_holders(holders: Sequence[Holder], today: date) -> None:
    """Named holders, shares above zero summing to exactly 100 %, a right of use of 10 years
    or more (and only a right of use has an end)."""
    if not 1 <= len(holders) <= MAX_HOLDERS:
        raise ValidationFailed(N_("Name from 1 to 20 rights holders."), field="holders")
    for holder in holders:
        if not holder.name.strip():
            raise ValidationFailed(N_("Name every rights holder."), field="holders")
        if not 0 < holder.share_bp <= WHOLE_BP:
            raise ValidationFailed(N_("Every share is above 0 % and at most 100 %."), field="holders")  # fmt: skip
        long_enough = holder.use_until is not None and holder.use_until >= _years_after(today, MIN_USE_YEARS)  # fmt: skip
        if holder.basis == HolderBasis.RIGHT_OF_USE and not long_enough:
            raise ValidationFailed(N_("A right of use runs for at least 10 years."), field="holders")  # fmt: skip
        if holder.basis == HolderBasis.OWNERSHIP and holder.use_until is not None:
            raise ValidationFailed(N_("Only a right of use has an end date."), field="holders")
    if sum(h.share_bp for h in holders) != WHOLE_BP:
        raise ValidationFailed(N_("The shares must sum to exactly 100 %."), field="holders")


def split(amount_minor: int, shares_bp: Sequence[int]) -> list[int]:
    """`amount_minor` split by shares, to the fen, summing exactly to the amount.

    Largest remainder: each holder gets the floor of its exact share; the fen left over
    go one each to the largest remainders, ties to the holder listed first.
    """
    if amount_minor < 0 or sum(shares_bp) != WHOLE_BP or any(s < 0 for s in shares_bp):
        raise ValueError("a non-negative amount and shares summing to 10000 bp")
    exact = [amount_minor * share for share in shares_bp]
    parts = [value // WHOLE_BP for value in exact]
    left = amount_minor - sum(parts)
    order = sorted(range(len(parts)), key=lambda i: (-(exact[i] % WHOLE_BP), i))
    for i in order[:left]:
        parts[i] += 1
    return parts


def check_consents(missing: Sequence[str]) -> None:
    """ConsentMissing naming the co-owners whose consent is not recorded."""
    if missing:
        raise ConsentMissing(
            N_("Every co-owner must consent first; missing: %(names)s."), names="、".join(missing)
        )
