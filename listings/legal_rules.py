"""Pure rules of a patent's legal status (法律状态) and pledges (质押, 民法典 Art. 444).

No database, no Flask: the records and the consents come in as small values.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from core.domain import N_, DomainError, ValidationFailed


class LegalStatus(enum.StrEnum):
    """What the register says of a patent, as of a date."""

    PENDING = "pending"  # 审中
    GRANTED = "granted"  # 授权
    LAPSED = "lapsed"  # 失效 (fees unpaid, term ended, abandoned)
    INVALIDATED = "invalidated"  # 宣告无效
    IN_INVALIDATION = "in_invalidation"  # 无效宣告请求审查中
    PLEDGED = "pledged"  # 质押
    LICENSED = "licensed"  # 许可备案


class Purpose(enum.StrEnum):
    """What a pledgee consents to: a transfer of the patent or a licence of it."""

    TRANSFER = "transfer"
    LICENCE = "licence"


DEAD = frozenset({LegalStatus.LAPSED, LegalStatus.INVALIDATED})


class LegalStatusRefused(DomainError):
    code = "legal_status"


@dataclass(frozen=True)
class StatusRecord:
    """One recorded status: its date (the register's), then the order it was recorded in."""

    status: LegalStatus
    effective_on: date
    seq: int
    pledgee: str | None = None


def current(records: Iterable[StatusRecord]) -> StatusRecord | None:
    """The status in force: the latest by date, a later record winning on the same day."""
    return max(records, key=lambda r: (r.effective_on, r.seq), default=None)


def check_record(status: LegalStatus, pledgee: str | None, source: str) -> None:
    """A record names its source; a pledge names its pledgee (质权人)."""
    if not source.strip():
        raise ValidationFailed(N_("Name the source of the status, e.g. the CNIPA register."), field="source")  # fmt: skip
    if status == LegalStatus.PLEDGED and not (pledgee or "").strip():
        raise ValidationFailed(N_("A pledge names its pledgee."), field="pledgee")


def check_may_publish(number: str, record: StatusRecord | None) -> None:
    """A lapsed or invalidated patent is not offered on the market."""
    if record is not None and record.status in DEAD:
        raise LegalStatusRefused(
            N_("Patent %(number)s has lapsed or been invalidated: it cannot be offered."),
            number=number,
        )


def check_may_dispose(
    number: str,
    record: StatusRecord | None,
    purpose: Purpose,
    consents: Iterable[tuple[str, Purpose]],
) -> None:
    """A sale or licence of a lapsed or invalidated patent is refused, and of a pledged one
    unless its pledgee's consent to that purpose is recorded (民法典 Art. 444)."""
    check_may_publish(number, record)
    if record is None or record.status != LegalStatus.PLEDGED:
        return
    pledgee = (record.pledgee or "").strip()
    if (pledgee, purpose) not in {(name.strip(), given) for name, given in consents}:
        raise LegalStatusRefused(
            N_(
                "Patent %(number)s is pledged to %(pledgee)s: it may be transferred or "
                "licensed only with the pledgee's recorded consent."
            ),
            code="pledged",
            number=number,
            pledgee=pledgee,
        )
