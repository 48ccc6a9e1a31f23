"""Evaluation of results (科技成果评价): what an evaluation states and who may record it.

Pure rules. The shape follows DB3710/T 184-2022: maturity as a technology readiness
level (1–9), novelty as a novelty search (科技查新) concludes, advancement in four
grades, the evidence and the reasoning, by an evaluator independent of the parties.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from core.domain import N_, PermissionDenied, ValidationFailed

TRL_MIN, TRL_MAX = 1, 9
MAX_REASONING = 4000
MAX_EVIDENCE_FILES = 5


class Advancement(enum.StrEnum):
    """The four grades of advancement, highest first."""

    INTERNATIONAL_LEADING = "international_leading"  # 国际领先
    INTERNATIONAL_ADVANCED = "international_advanced"  # 国际先进
    DOMESTIC_LEADING = "domestic_leading"  # 国内领先
    DOMESTIC_ADVANCED = "domestic_advanced"  # 国内先进


class Novelty(enum.StrEnum):
    """What the novelty search (科技查新) found."""

    NEW_WORLDWIDE = "new_worldwide"  # 国内外未见相同报道
    NEW_IN_CHINA = "new_in_china"  # 国内未见相同报道
    KNOWN = "known"  # 已有相同报道


class EvaluationRefused(PermissionDenied):
    """The actor may not evaluate this listing (403)."""


@dataclass(frozen=True)
class Evaluator:
    """Who offers to evaluate, as brokers answer `listings.signals.evaluator_of`.

    `agency` whether the broker works for a broker agency (an evaluating body);
    `expert` whether the broker holds the senior grade (高级技术经理人);
    `acts_for_party` whether the broker holds a mandate on the listing.
    """

    user_org_id: int | None
    broker_org_id: int
    accredited: bool
    agency: bool
    expert: bool
    acts_for_party: bool


def check_evaluator(evaluator: Evaluator | None, holder_org_id: int) -> None:
    """Refuse anyone but an independent, accredited broker agency or expert broker."""
    if evaluator is None or not evaluator.accredited:
        raise EvaluationRefused(
            N_("Only accredited broker agencies and expert brokers evaluate results."),
            code="not_evaluator",
        )
    if not (evaluator.agency or evaluator.expert):
        raise EvaluationRefused(
            N_("Only accredited broker agencies and expert brokers evaluate results."),
            code="not_evaluator",
        )
    if holder_org_id in (evaluator.user_org_id, evaluator.broker_org_id):
        raise EvaluationRefused(
            N_("A party's own organisation cannot evaluate its result."), code="own_organisation"
        )
    if evaluator.acts_for_party:
        raise EvaluationRefused(
            N_("A broker acting for a party under a mandate cannot evaluate its result."),
            code="acts_for_party",
        )


def check_findings(trl: int, reasoning: str, evidence_count: int) -> None:
    """A level 1–9, a stated reasoning of bounded length, and at least one document."""
    if not TRL_MIN <= trl <= TRL_MAX:
        raise ValidationFailed(N_("Choose a readiness level from 1 to 9."), field="trl")
    if not reasoning.strip():
        raise ValidationFailed(N_("State the reasoning of the evaluation."), field="reasoning")
    if len(reasoning) > MAX_REASONING:
        raise ValidationFailed(
            N_("At most %(limit)s characters."), field="reasoning", limit=MAX_REASONING
        )
    if not 1 <= evidence_count <= MAX_EVIDENCE_FILES:
        raise ValidationFailed(
            N_("Attach the evidence: one to %(limit)s documents."),
            field="evidence",
            limit=MAX_EVIDENCE_FILES,
        )
