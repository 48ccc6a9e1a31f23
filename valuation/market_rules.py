"""The market approach: comparable deals, their adjustments and the median adjusted price."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from valuation.rules import BPS, ValueRange, round_half_up

# --- market approach ---------------------------------------------------------------------

MIN_COMPARABLES = 3
MAX_COMPARABLES = 12
MAX_TRL_GAP = 2  # "similar maturity"
MAX_DEAL_AGE_YEARS = 5
MATURITY_STEP_BPS = 1_000  # +10% per TRL level the subject is ahead of the comparable
MATURITY_CAP_BPS = 2_000
AGE_BPS_PER_YEAR = 300  # prices of technology deals drift up about 3% a year
PORTFOLIO_STEP_BPS = 1_000  # +10% per extra IP asset in the subject
PORTFOLIO_CAP_BPS = 3_000


@dataclass(frozen=True)
class ListingTraits:
    """What the market approach compares of two listings: their field and IPC classes, their
    maturity (TRL) and how many IP assets they hold."""

    field: str
    ipc_classes: tuple[str, ...]
    trl: int
    asset_count: int


@dataclass(frozen=True)
class MarketSubject(ListingTraits):
    """What the market approach knows of the listing valued."""

    valuation_date: date


@dataclass(frozen=True)
class Comparable(ListingTraits):
    """A deal on the platform's ledger whose listing resembles the subject."""

    deal_id: int
    title: str
    price_minor: int
    deal_date: date


@dataclass(frozen=True)
class Adjustment:
    """One adjustment of a comparable's price, with what it compared (for the explanation)."""

    kind: str  # "maturity", "age", "portfolio"
    bps: int  # signed change of the price, +1000 = +10%
    subject_value: int
    comparable_value: int


@dataclass(frozen=True)
class AdjustedComparable:
    """A comparable, its adjustments and its adjusted price."""

    comparable: Comparable
    match: str  # "ipc" (same IPC subclass) or "field"
    adjustments: tuple[Adjustment, ...]
    adjusted_minor: int


@dataclass(frozen=True)
class MarketResult:
    """The market value from the comparables, or why there is none."""

    comparables: tuple[AdjustedComparable, ...]
    range: ValueRange | None  # None: not applicable
    minimum: int = MIN_COMPARABLES

    @property
    def applicable(self) -> bool:
        return self.range is not None


def ipc_subclass(ipc: str) -> str:
    """'H01M 4/525' → 'H01M' (section, class and subclass)."""
    return "".join(ipc.split())[:4].upper()


def match_of(subject: MarketSubject, candidate: Comparable) -> str | None:
    """'ipc' when an IPC subclass is shared, 'field' when only the field is, else None."""
    subject_subclasses = {ipc_subclass(c) for c in subject.ipc_classes if c.strip()}
    if subject_subclasses & {ipc_subclass(c) for c in candidate.ipc_classes if c.strip()}:
        return "ipc"
    return "field" if candidate.field == subject.field else None


def full_years_between(earlier: date, later: date) -> int:
    """Whole years from `earlier` to `later` (0 when `later` is not after it)."""
    if later <= earlier:
        return 0
    years = later.year - earlier.year
    if (later.month, later.day) < (earlier.month, earlier.day):
        years -= 1
    return years


def is_comparable(subject: MarketSubject, candidate: Comparable) -> bool:
    """Same IPC subclass or field, similar maturity, recent enough, a real price."""
    return (
        candidate.price_minor > 0
        and match_of(subject, candidate) is not None
        and abs(candidate.trl - subject.trl) <= MAX_TRL_GAP
        and full_years_between(candidate.deal_date, subject.valuation_date) <= MAX_DEAL_AGE_YEARS
    )


def _clamp(value: int, limit: int) -> int:
    return max(-limit, min(limit, value))


def adjust(subject: MarketSubject, comparable: Comparable) -> AdjustedComparable:
    """The comparable's price adjusted for maturity, the deal's age and portfolio size."""
    age = min(full_years_between(comparable.deal_date, subject.valuation_date), MAX_DEAL_AGE_YEARS)
    adjustments = (
        Adjustment(
            "maturity",
            _clamp((subject.trl - comparable.trl) * MATURITY_STEP_BPS, MATURITY_CAP_BPS),
            subject.trl,
            comparable.trl,
        ),
        Adjustment("age", age * AGE_BPS_PER_YEAR, 0, age),
        Adjustment(
            "portfolio",
            _clamp(
                (subject.asset_count - comparable.asset_count) * PORTFOLIO_STEP_BPS,
                PORTFOLIO_CAP_BPS,
            ),
            subject.asset_count,
            comparable.asset_count,
        ),
    )
    factor = Fraction(1)
    for adjustment in adjustments:
        factor *= Fraction(BPS + adjustment.bps, BPS)
    return AdjustedComparable(
        comparable=comparable,
        match=match_of(subject, comparable) or "field",
        adjustments=adjustments,
        adjusted_minor=round_half_up(comparable.price_minor * factor),
    )


def _median(values: Sequence[int]) -> int:
    """The median of sorted integers; the mean of the middle two rounded half-up."""
    middle = len(values) // 2
    if len(values) % 2:
        return values[middle]
    return round_half_up(Fraction(values[middle - 1] + values[middle], 2))


def select_comparables(
    subject: MarketSubject, candidates: Iterable[Comparable], limit: int = MAX_COMPARABLES
) -> list[Comparable]:
    """The comparable candidates, same IPC subclass first, then the closest maturity, newest."""
    chosen = [c for c in candidates if is_comparable(subject, c)]
    chosen.sort(
        key=lambda c: (
            match_of(subject, c) != "ipc",
            abs(c.trl - subject.trl),
            -c.deal_date.toordinal(),
            c.deal_id,
        )
    )
    return chosen[:limit]


def market_value(subject: MarketSubject, comparables: Iterable[Comparable]) -> MarketResult:
    """Adjusted median of the comparables with the quartiles (Tukey's hinges) as the range.

    With fewer than MIN_COMPARABLES comparables the approach is not applicable.
    """
    adjusted = tuple(adjust(subject, c) for c in select_comparables(subject, comparables))
    if len(adjusted) < MIN_COMPARABLES:
        return MarketResult(comparables=adjusted, range=None)
    values = sorted(a.adjusted_minor for a in adjusted)
    half = len(values) // 2
    lower, upper = values[: half + len(values) % 2], values[half:]
    return MarketResult(
        comparables=adjusted,
        range=ValueRange(_median(lower), _median(values), _median(upper)),
    )
