"""A computed period as CSV (UTF-8 with BOM, so spreadsheets read the Chinese), and the
lines as the pages and API show them.

CSV only: openpyxl is not among the requirements, so there is no XLSX export.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select

from accounts.models import Organisation
from core.extensions import db
from core.money import Money, to_yuan_text
from core.spreadsheet_cells import formula_safe
from policies.models import EligibilityLine, Policy, PolicyRun

CSV_TYPE = "text/csv; charset=utf-8"
HEADER = (
    "policy", "period_start", "period_end", "status", "organisation", "credit_code", "region",
    "computed_yuan", "amount_yuan", "adjust_reason", "deals",
)  # fmt: skip


def _yuan(minor: int) -> str:
    return to_yuan_text(Money(minor, "CNY"))


def organisations(org_ids: Iterable[int]) -> dict[int, Organisation]:
    """The organisations named by lines, by id."""
    ids = set(org_ids)
    if not ids:
        return {}
    return {
        o.id: o for o in db.session.scalars(select(Organisation).where(Organisation.id.in_(ids)))
    }


def line_view(
    line: EligibilityLine, org: Organisation | None, locale: str = "zh"
) -> dict[str, Any]:
    """A line with its organisation, policy and deals, as pages and the API show it."""
    run: PolicyRun = line.run
    policy: Policy = run.policy
    return {
        "id": line.id,
        "run_id": run.id,
        "policy_id": policy.id,
        "policy": policy.name(locale),
        "evidence": policy.evidence,
        "period_start": run.period_start,
        "period_end": run.period_end,
        "status": str(run.status),
        "org_id": line.org_id,
        "organisation": org.name if org else "",
        "credit_code": org.credit_code if org else "",
        "region": org.region if org else "",
        "computed_minor": line.computed_minor,
        "amount_minor": line.amount_minor,
        "adjust_reason": line.adjust_reason,
        "deals": [
            {
                "deal_id": d.deal_id,
                "year": d.year,
                "basis_minor": d.basis_minor,
                "award_minor": d.award_minor,
            }
            for d in line.deals
        ],
    }


def run_view(run: PolicyRun, locale: str = "zh") -> dict[str, Any]:
    """A computed period with its lines, as pages and the API show it."""
    orgs = organisations(line.org_id for line in run.lines)
    return {
        "id": run.id,
        "policy_id": run.policy_id,
        "policy": run.policy.name(locale),
        "period_start": run.period_start,
        "period_end": run.period_end,
        "status": str(run.status),
        "total_minor": sum(line.amount_minor for line in run.lines),
        "lines": [line_view(line, orgs.get(line.org_id), locale) for line in run.lines],
    }


def file_name(run: PolicyRun) -> str:
    """The name of a period's CSV file: the policy and the period."""
    return f"policy-{run.policy_id}-{run.period_start}-{run.period_end}.csv"


def run_csv(run: PolicyRun) -> str:
    """The period's lines, one row per organisation, its deals as `id:award` in yuan."""
    orgs = organisations(line.org_id for line in run.lines)
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for line in run.lines:
        view = line_view(line, orgs.get(line.org_id))
        deals = " ".join(f"{d['deal_id']}:{_yuan(d['award_minor'])}" for d in view["deals"])
        writer.writerow(
            [
                formula_safe(view["policy"]), view["period_start"], view["period_end"], view["status"],
                formula_safe(view["organisation"]), formula_safe(view["credit_code"]), formula_safe(view["region"]),
                _yuan(line.computed_minor), _yuan(line.amount_minor),
                formula_safe(line.adjust_reason), deals,
            ]
        )  # fmt: skip
    return out.getvalue()
