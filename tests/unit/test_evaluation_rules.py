"""Who may evaluate a result (科技成果评价): an independent, accredited agency or expert."""

from __future__ import annotations

import pytest

from core.domain import ValidationFailed
from listings.evaluation_rules import EvaluationRefused, Evaluator, check_evaluator, check_findings

AGENCY = Evaluator(user_org_id=7, broker_org_id=7, accredited=True, agency=True, expert=False, acts_for_party=False)  # fmt: skip


def _code(evaluator: Evaluator | None, holder: int = 1) -> str:
    with pytest.raises(EvaluationRefused) as refused:
        check_evaluator(evaluator, holder)
    return refused.value.code


def test_an_accredited_agency_or_expert_evaluates_others_results() -> None:
    check_evaluator(AGENCY, 1)
    check_evaluator(Evaluator(9, 8, True, agency=False, expert=True, acts_for_party=False), 1)


def test_refusals_name_their_reason() -> None:
    assert _code(None) == "not_evaluator"
    assert _code(Evaluator(7, 7, False, True, True, False)) == "not_evaluator"
    assert _code(Evaluator(7, 7, True, agency=False, expert=False, acts_for_party=False)) == "not_evaluator"  # fmt: skip
    assert _code(AGENCY, holder=7) == "own_organisation"
    assert _code(Evaluator(3, 7, True, True, True, False), holder=3) == "own_organisation"
    assert _code(Evaluator(7, 7, True, True, True, acts_for_party=True)) == "acts_for_party"


@pytest.mark.parametrize("trl, reasoning, files", [(0, "x", 1), (10, "x", 1), (5, "  ", 1), (5, "x", 0), (5, "x", 6), (5, "x" * 4001, 1)])  # fmt: skip
def test_findings_are_bounded(trl: int, reasoning: str, files: int) -> None:
    with pytest.raises(ValidationFailed):
        check_findings(trl, reasoning, files)
    check_findings(9, "依据检测报告", 5)
