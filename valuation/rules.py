"""Pure valuation rules (评估): the income, market and cost approaches, ranges, sensitivity.

Conventions, so every figure can be checked by hand:

* Money is integer minor units (分). Rates are integer basis points (bps): 3% = 300,
  15% = 1500. Arithmetic is exact (`fractions.Fraction`); nothing goes through float.
* Rounding is half-up to the fen, once per *term*: each year's present value in the
  income approach, each comparable's adjusted price, the cost value, each weighted
  reconciled figure. A total is the sum of its rounded terms, so it is never more than
  half a fen per term away from the exact figure.
* Discounting is end-year: the revenue of year t is discounted by (1 + r)^t, t = 1, 2, ...

The worked example of DOMAIN.md: revenue ¥10M, 12M, 14M, 15M, 15M; royalty 3%; tax 25%;
r 15% → ¥967,689.97 (≈ ¥967.7k).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from core.domain import N_, DomainError, ValidationFailed
from core.transitions import Transitions

BPS = 10_000  # basis points in 100%
MAX_LIFE_YEARS = 30
MAX_DISCOUNT_BPS = 10_000  # a discount rate above 100% is a typing error, not a risk view

# Whose valuation or request it is: the seller's (its listing page shows it) or a buyer's.
SELLER, BUYER = "seller", "buyer"

# Default steps of the income range and the sensitivity grid.
ROYALTY_STEP_BPS = 50  # ± 0.5 percentage point of royalty
DISCOUNT_STEP_BPS = 200  # ± 2 percentage points of discount rate
SENSITIVITY_STEPS = 2  # the grid spans ± 2 steps around the central inputs: 5 × 5


class Purpose(enum.StrEnum):
    """What a formal valuation is for; a pledge loan's report is never public."""

    TRANSFER = "transfer"  # 转让
    LICENCE = "licence"  # 许可
    PLEDGE_LOAN = "pledge_loan"  # 知识产权质押融资
    INVESTMENT = "investment"  # 作价投资
    OTHER = "other"


class Method(enum.StrEnum):
    """The three approaches of DOMAIN.md."""

    INCOME = "income"  # relief from royalty
    MARKET = "market"  # comparable deals on the platform
    COST = "cost"  # reproduction cost less obsolescence


class Kind(enum.StrEnum):
    """An indicative valuation (computed by the seller) or a formal report (signed by a valuer)."""

    INDICATIVE = "indicative"
    FORMAL = "formal"


# --- arithmetic --------------------------------------------------------------------------


def round_half_up(value: Fraction) -> int:
    """The nearest integer, halves away from zero (四舍五入)."""
    magnitude = (abs(value.numerator) * 2 + value.denominator) // (2 * value.denominator)
    return -magnitude if value < 0 else magnitude


def percent_to_bps(text: str, *, field: str, maximum: int = BPS) -> int:
    """'3', '3.5', '3.25%' → 300, 350, 325 bps; at most two decimals, 0 to `maximum`."""
    cleaned = (text or "").strip().removesuffix("%").strip()
    if not cleaned:
        raise ValidationFailed(N_("Give a percentage, like 3.5."), field=field)
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise ValidationFailed(
            N_("%(text)s is not a percentage: write it like 3.5."), field=field, text=text
        ) from None
    if not number.is_finite():
        raise ValidationFailed(N_("Give a percentage, like 3.5."), field=field)
    bps = number * 100
    if bps != bps.to_integral_value():
        raise ValidationFailed(N_("Give at most two decimals, like 3.25."), field=field)
    if not 0 <= bps <= maximum:
        raise ValidationFailed(
            N_("Give a percentage between 0 and %(maximum)s."),
            field=field,
            maximum=Decimal(maximum) / 100,
        )
    return int(bps)


def bps_text(bps: int) -> str:
    """300 → '3', 325 → '3.25' (the percentage, without the sign)."""
    whole, rest = divmod(abs(bps), 100)
    sign = "-" if bps < 0 else ""
    return f"{sign}{whole}" if rest == 0 else f"{sign}{whole}.{rest:02d}".rstrip("0")


@dataclass(frozen=True)
class ValueRange:
    """Low, central and high value of one method (or of the reconciliation), in 分."""

    low_minor: int
    central_minor: int
    high_minor: int

    def __post_init__(self) -> None:
        if not self.low_minor <= self.central_minor <= self.high_minor:
            raise ValueError(f"a range must be ordered: {self}")


# --- requests and reports ----------------------------------------------------------------


class RequestStatus(enum.StrEnum):
    """requested → in progress (a valuer took it) → issued, or declined / withdrawn.

    Only a request in progress is declined: by the valuer who took it.
    """

    REQUESTED = "requested"
    IN_PROGRESS = "in_progress"
    ISSUED = "issued"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


class RequestAction(enum.StrEnum):
    """What may be done to a valuation request."""

    TAKE = "take"
    ISSUE = "issue"
    DECLINE = "decline"
    WITHDRAW = "withdraw"


class RequestNotAllowed(DomainError):
    """The request is not in a state that allows this action (409)."""

    code = "valuation_request_state"


_R, _RA = RequestStatus, RequestAction
REQUEST_TRANSITIONS: Transitions[RequestStatus, RequestAction] = Transitions(
    {
        (_R.REQUESTED, _RA.TAKE): _R.IN_PROGRESS,
        (_R.REQUESTED, _RA.WITHDRAW): _R.WITHDRAWN,
        (_R.IN_PROGRESS, _RA.ISSUE): _R.ISSUED,
        (_R.IN_PROGRESS, _RA.DECLINE): _R.DECLINED,
        (_R.IN_PROGRESS, _RA.WITHDRAW): _R.WITHDRAWN,
    },
    refusal=RequestNotAllowed,
    message=N_("This valuation request is %(status)s: it cannot be changed that way."),
)
OPEN_REQUEST_STATUSES = frozenset({_R.REQUESTED, _R.IN_PROGRESS})


def next_request_status(current: RequestStatus, action: RequestAction) -> RequestStatus:
    """The state after `action`, or RequestNotAllowed."""
    return REQUEST_TRANSITIONS.next(current, action)
