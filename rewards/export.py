"""An inventor's statement as CSV (UTF-8 with BOM, so spreadsheets read the Chinese)."""

from __future__ import annotations

import csv
import io

from core.money import Money, to_yuan_text
from core.spreadsheet_cells import formula_safe
from deals.models import Deal
from rewards.models import DealReward, ListingInventor, RewardLine

CSV_TYPE = "text/csv; charset=utf-8"
HEADER = (
    "inventor", "deal", "title", "completed_on", "price_yuan", "net_income_yuan", "reward_share",
    "pool_yuan", "inventor_share", "amount_yuan",
)  # fmt: skip


def _title(deal: Deal, reward: DealReward) -> str:
    report = reward.royalty_report
    return deal.title if report is None else f"{deal.title} (royalty {report.period_index + 1})"


def _day(deal: Deal, reward: DealReward) -> str:
    if reward.royalty_report is not None:
        return reward.awarded_at.date().isoformat()
    return deal.completed_at.date().isoformat() if deal.completed_at else ""


def _yuan(minor: int, currency: str) -> str:
    return to_yuan_text(Money(minor, currency))


def file_name(inventor: ListingInventor) -> str:
    """The name of an inventor's statement file."""
    return f"reward-statement-{inventor.id}.csv"


def statement_csv(inventor: ListingInventor, rows: list[tuple[RewardLine, DealReward, Deal]]) -> str:  # fmt: skip
    """One line per deal rewarded, then the total."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for line, reward, deal in rows:
        cur = reward.currency
        writer.writerow([formula_safe(v) for v in (
            inventor.name, deal.id, _title(deal, reward), _day(deal, reward),
            _yuan(reward.price_minor, cur), _yuan(reward.net_minor, cur), f"{reward.share_bp / 100:g}%",
            _yuan(reward.pool_minor, cur), f"{line.share_bp / 100:g}%", _yuan(line.amount_minor, cur),
        )])  # fmt: skip
    total = sum(line.amount_minor for line, _, _ in rows)
    writer.writerow(
        [formula_safe(inventor.name), "total", "", "", "", "", "", "", "", _yuan(total, "CNY")]
    )
    return out.getvalue()
