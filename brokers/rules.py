"""Pure rules of technology brokers (技术经纪人): accreditation, mandates, commissions.

No database, no Flask, no clock reads: `now` / `today` and amounts come in as arguments.
Money is whole minor units (分); rates are basis points (1 bp = 0.01 %).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from core.domain import N_, DomainError, PermissionDenied, ValidationFailed
from deals.rules import Side
from payments.rules import CommissionPayer

BPS = 10_000  # basis points in 100 %
# Auction Law (拍卖法) Art. 56: an auctioneer's fee is at most 5 % from each side unless the
# parties agree otherwise. The market applies the same reference to brokers' commissions:
# above it, the mandate must say that the principal agreed to it.
STATUTORY_CAP_BPS = 500
DEFAULT_EXPIRY_WARNING_DAYS = 60  # config BROKER_EXPIRY_WARNING_DAYS
MAX_TERM_DAYS = 3 * 366  # a mandate longer than three years is a typing mistake
MAX_NOTICE_DAYS = 180
MAX_COMMENT = 2000


class BrokerLevel(enum.StrEnum):
    """The three accreditation levels of technology brokers."""

    JUNIOR = "junior"  # 初级技术经纪人
    INTERMEDIATE = "intermediate"  # 中级技术经纪人
    SENIOR = "senior"  # 高级技术经理人


class AccreditationStatus(enum.StrEnum):
    """Where a broker's application stands; expiry is read from the date, not stored."""

    PENDING = "pending"
    ACCREDITED = "accredited"
    REFUSED = "refused"


# Whom the broker acts for: the seller of a listing or the buyer with a need.
MandateSide = Side


class MandateStatus(enum.StrEnum):
    """A mandate (委托): proposed → active (both accepted) → terminated (notice given).

    A proposal may be declined or withdrawn. Expiry at the end of the term is read
    from the dates.
    """

    PROPOSED = "proposed"
    ACTIVE = "active"
    TERMINATED = "terminated"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


# Who pays a broker's commission, as the mandate says: the enum of the ledger that posts it.
Payer = CommissionPayer


class CommissionKind(enum.StrEnum):
    """A percentage of the deal (with a minimum and a maximum) or a fixed fee."""

    PERCENTAGE = "percentage"
    FIXED = "fixed"


class IntroductionKind(enum.StrEnum):
    """A buyer introduced to a listing, or a listing's seller introduced to a need."""

    BUYER_TO_LISTING = "buyer_to_listing"
    SELLER_TO_NEED = "seller_to_need"


class IntroductionStatus(enum.StrEnum):
    """An introduction binds once both parties accept it."""

    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class BrokerRuleBroken(DomainError):
    """A broker rule refused the action (409)."""

    code = "broker_rule"


class CommissionAboveCap(ValidationFailed):
    """A rate above the statutory reference needs the principal's explicit agreement."""

    code = "above_statutory_cap"


# --- accreditation -------------------------------------------------------------------------


def is_accredited(status: AccreditationStatus, expires_on: date, today: date) -> bool:
    """Accredited by a reviewer and the certificate not yet expired (valid through its date)."""
    return status == AccreditationStatus.ACCREDITED and today <= expires_on


def days_to_expiry(expires_on: date, today: date) -> int:
    """Days left before the certificate expires (negative once it has)."""
    return (expires_on - today).days


def expiry_warning(expires_on: date, today: date, warning_days: int) -> bool:
    """Whether the dashboard warns: the certificate expires within `warning_days` (or did)."""
    return days_to_expiry(expires_on, today) <= warning_days


def check_application(
    *, certificate_number: str, issuing_body: str, expires_on: date, today: date
) -> None:
    """An application needs a certificate number, its issuer and an expiry in the future."""
    if not certificate_number.strip():
        raise ValidationFailed(N_("This field is required."), field="certificate_number")
    if len(certificate_number.strip()) > 64:
        raise ValidationFailed(
            N_("The certificate number is too long (at most 64 characters)."),
            field="certificate_number",
        )
    if not issuing_body.strip():
        raise ValidationFailed(N_("This field is required."), field="issuing_body")
    if expires_on <= today:
        raise ValidationFailed(
            N_("The certificate has expired: apply with a valid certificate."), field="expires_on"
        )


def check_decision(status: AccreditationStatus) -> None:
    """Only a pending application is decided."""
    if status != AccreditationStatus.PENDING:
        raise BrokerRuleBroken(
            N_("This application has already been decided."), code="already_decided"
        )


# --- commissions ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CommissionTerms:
    """The commission terms of a mandate, in the mandate's currency (minor units)."""

    kind: CommissionKind
    rate_bps: int | None = None
    min_minor: int | None = None
    max_minor: int | None = None
    fixed_minor: int | None = None


def _div_half_up(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded half up (both non-negative): 四舍五入 to the 分."""
    return (2 * numerator + denominator) // (2 * denominator)


def check_terms(terms: CommissionTerms, *, above_cap_agreed: bool = False) -> None:
    """Refuse terms that cannot be applied; a rate above 5 % needs the principal's agreement."""
    if terms.kind == CommissionKind.FIXED:
        if terms.fixed_minor is None or terms.fixed_minor <= 0:
            raise ValidationFailed(N_("Give the fixed fee (more than zero)."), field="fixed_fee")
        return
    if terms.rate_bps is None or not 0 < terms.rate_bps <= BPS:
        raise ValidationFailed(
            N_("The rate must be more than zero and at most 100 percent."), field="rate"
        )
    for name, value in (("minimum", terms.min_minor), ("maximum", terms.max_minor)):
        if value is not None and value < 0:
            raise ValidationFailed(N_("The amount cannot be negative."), field=name)
    if (
        terms.min_minor is not None
        and terms.max_minor is not None
        and terms.min_minor > terms.max_minor
    ):
        raise ValidationFailed(N_("The minimum cannot be more than the maximum."), field="minimum")
    if terms.rate_bps > STATUTORY_CAP_BPS and not above_cap_agreed:
        raise CommissionAboveCap(
            N_(
                "The rate is above the %(cap)s reference of the Auction Law: confirm that "
                "the principal agreed to it."
            ),
            field="above_cap_agreed",
            cap="5%",
        )


def commission_minor(terms: CommissionTerms, price_minor: int) -> int:
    """The commission on a deal of `price_minor`, rounded half up to the 分.

    A percentage is clamped to its minimum and maximum; no commission exceeds the
    price of the deal it is paid on.
    """
    if price_minor <= 0:
        return 0
    if terms.kind == CommissionKind.FIXED:
        amount = terms.fixed_minor or 0
    else:
        amount = _div_half_up(price_minor * (terms.rate_bps or 0), BPS)
        if terms.min_minor is not None:
            amount = max(amount, terms.min_minor)
        if terms.max_minor is not None:
            amount = min(amount, terms.max_minor)
    return max(0, min(amount, price_minor))


def share_bps(amount_minor: int, price_minor: int) -> int:
    """The commission as basis points of the price, rounded half up."""
    return 0 if price_minor <= 0 else _div_half_up(amount_minor * BPS, price_minor)


def above_statutory_cap(amount_minor: int, price_minor: int) -> bool:
    """Whether a commission is more than 5 % of the price, rounded to the 分 (a warning)."""
    return amount_minor > _div_half_up(price_minor * STATUTORY_CAP_BPS, BPS)


# --- mandates ------------------------------------------------------------------------------


@dataclass(frozen=True)
class MandateTerm:
    """When a mandate is in force: [starts_at, ends_at), shortened by a termination notice."""

    starts_at: datetime
    ends_at: datetime
    terminates_at: datetime | None = None

    @property
    def effective_end(self) -> datetime:
        if self.terminates_at is not None and self.terminates_at < self.ends_at:
            return self.terminates_at
        return self.ends_at

    def covers(self, moment: datetime) -> bool:
        """Whether `moment` falls inside the term."""
        return self.starts_at <= moment < self.effective_end

    def overlaps(self, other: MandateTerm) -> bool:
        return self.starts_at < other.effective_end and other.starts_at < self.effective_end


def check_term(starts_at: datetime, ends_at: datetime, notice_days: int, now: datetime) -> None:
    """A term that ends after it starts, not in the past, at most three years; a sane notice."""
    if ends_at <= starts_at:
        raise ValidationFailed(N_("The term must end after it starts."), field="ends_on")
    if ends_at <= now:
        raise ValidationFailed(N_("The term has already ended."), field="ends_on")
    if ends_at - starts_at > timedelta(days=MAX_TERM_DAYS):
        raise ValidationFailed(N_("A mandate runs for at most three years."), field="ends_on")
    if not 0 <= notice_days <= MAX_NOTICE_DAYS:
        raise ValidationFailed(
            N_("The notice period is between 0 and 180 days."), field="notice_days"
        )


@dataclass(frozen=True)
class ScopeClaim:
    """A mandate on a scope (one listing or one need) for the exclusivity check."""

    mandate_id: int | None
    broker_id: int
    exclusive: bool
    term: MandateTerm


def check_exclusivity(new: ScopeClaim, existing: list[ScopeClaim]) -> None:
    """No two mandates on one scope overlap in time when either of them is exclusive.

    A scope may have several non-exclusive brokers; an exclusive mandate is the only one.
    """
    for other in existing:
        if other.mandate_id is not None and other.mandate_id == new.mandate_id:
            continue
        if (new.exclusive or other.exclusive) and new.term.overlaps(other.term):
            raise BrokerRuleBroken(
                N_(
                    "Another broker holds an exclusive mandate for this scope in that term, "
                    "or the scope already has a broker and this mandate is exclusive."
                ),
                code="exclusive_conflict",
            )


def check_acceptance(
    status: MandateStatus, *, already_accepted: bool, is_party: bool, expired: bool
) -> None:
    """A party accepts a proposed mandate once, before its term has passed."""
    if not is_party:
        raise PermissionDenied(N_("Only the broker and the principal accept a mandate."))
    if status != MandateStatus.PROPOSED:
        raise BrokerRuleBroken(N_("This mandate is no longer awaiting acceptance."), code="state")
    if already_accepted:
        raise BrokerRuleBroken(N_("You have already accepted this mandate."), code="state")
    if expired:
        raise BrokerRuleBroken(N_("The term of this mandate has passed."), code="state")


def termination_date(now: datetime, notice_days: int, term: MandateTerm) -> datetime:
    """When a mandate ended by notice today stops being in force (never after its term)."""
    return min(now + timedelta(days=notice_days), term.effective_end)


def check_termination(status: MandateStatus, term: MandateTerm, now: datetime) -> None:
    """Only an active mandate still in its term can be ended by notice."""
    if status != MandateStatus.ACTIVE or now >= term.effective_end:
        raise BrokerRuleBroken(N_("Only a mandate in force can be ended."), code="state")


# --- introductions and attribution --------------------------------------------------------


def protects_broker(status: IntroductionStatus) -> bool:
    """Whether an introduction on record protects its broker's commission.

    Every introduction does, from the moment it was made: the parties learned who
    introduced them, and neither declining nor leaving it unanswered lets them deal
    around the broker within the mandate's term (a broker cannot be bypassed).
    """
    return status in (
        IntroductionStatus.PROPOSED,
        IntroductionStatus.ACCEPTED,
        IntroductionStatus.DECLINED,
    )


def attributable(
    *,
    term: MandateTerm,
    introduced_at: datetime,
    deal_at: datetime,
    mandate_listing_id: int | None,
    deal_listing_id: int | None,
) -> bool:
    """Whether a deal between introduced parties carries the mandate's commission.

    The introduction came before the deal, the deal falls within the mandate's term, and
    a mandate on one listing covers deals of that listing only.
    """
    if mandate_listing_id is not None and deal_listing_id != mandate_listing_id:
        return False
    return introduced_at <= deal_at and term.covers(deal_at)


# --- ratings -------------------------------------------------------------------------------


def check_rating(score: int, comment: str) -> str:
    """A score from 1 to 5 and an optional comment; the cleaned comment."""
    if not 1 <= score <= 5:
        raise ValidationFailed(N_("Give a score from 1 to 5."), field="score")
    text = (comment or "").strip()
    if len(text) > MAX_COMMENT:
        raise ValidationFailed(
            N_("The comment is too long (at most 2,000 characters)."), field="comment"
        )
    return text


def last_day(moment: datetime, timezone: str = "Asia/Shanghai") -> date:
    """The last market day of a term that ends (exclusive) at `moment`."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return (aware.astimezone(ZoneInfo(timezone)) - timedelta(microseconds=1)).date()
