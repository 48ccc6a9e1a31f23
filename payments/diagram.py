"""A small server-rendered SVG of a deal's money: who paid in, who received what (no JavaScript)."""

from __future__ import annotations

from collections import defaultdict

from markupsafe import Markup, escape

from core.money import Money, format_money
from payments.queries import MoneyFlow
from payments.rules import Account, EntryKind

_IN_KINDS = {EntryKind.PAYMENT_RECEIVED, EntryKind.DEPOSIT_APPLIED}
_BACK_KINDS = {EntryKind.REFUND, EntryKind.DEPOSIT_UNAPPLIED}


def flows(flow: MoneyFlow) -> dict[str, object]:
    """The amounts the diagram shows: paid in by the buyer, paid out to each payee, kept."""
    paid_in = 0
    paid_out: dict[tuple[str, int | None], int] = defaultdict(int)
    for entry in flow.transactions:
        for leg in entry.legs:
            if leg.account != Account.BUYER_RECEIVABLE:
                continue
            if entry.kind in _IN_KINDS | _BACK_KINDS:
                paid_in -= leg.amount_minor  # credits (in) raise it, debits (back) lower it
        if entry.kind in (EntryKind.SELLER_PAYOUT, EntryKind.BROKER_PAYOUT):
            for leg in entry.legs:
                if leg.account in (Account.SELLER_PAYABLE, Account.BROKER_PAYABLE):
                    role = "seller" if leg.account == Account.SELLER_PAYABLE else "broker"
                    paid_out[(role, leg.org_id)] += leg.amount_minor
    return {"paid_in": paid_in, "paid_out": dict(paid_out)}


def _money(minor: int, currency: str) -> str:
    return format_money(Money(minor, currency))


def _box(x: int, y: int, w: int, title: str, line: str, css: str) -> str:
    return (
        f'<g><rect x="{x}" y="{y}" width="{w}" height="54" rx="8" class="{css}"/>'
        f'<text x="{x + w // 2}" y="{y + 22}" text-anchor="middle" class="t">{escape(title)}</text>'
        f'<text x="{x + w // 2}" y="{y + 42}" text-anchor="middle" class="s">{escape(line)}</text></g>'
    )


def _arrow(x1: int, y1: int, x2: int, y2: int, label: str = "", *, owed: bool = False) -> str:
    dash = ' stroke-dasharray="5 4"' if owed else ""
    line = (
        f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" class="a"{dash} marker-end="url(#head)"/>'
    )
    if not label:
        return line
    mx, my = (x1 + x2) // 2, (y1 + y2) // 2 - 6
    return line + f'<text x="{mx}" y="{my}" text-anchor="middle" class="s">{escape(label)}</text>'


def _caption(x: int, y: int, label: str) -> str:
    return f'<text x="{x}" y="{y}" text-anchor="middle" class="s">{escape(label)}</text>'


def money_flow_svg(flow: MoneyFlow, *, labels: dict[str, str] | None = None) -> Markup:
    """The diagram: buyer → platform → seller and brokers; the platform keeps its fee."""
    text = {
        "buyer": "Buyer",
        "platform": "Platform",
        "seller": "Seller",
        "broker": "Broker",
        "paid": "paid",
        "owed": "owed",
        "fee": "fee",
    }
    text.update(labels or {})
    deal = flow.deal
    cur = deal.currency
    amounts = flows(flow)
    paid_in = int(amounts["paid_in"])  # type: ignore[call-overload]
    paid_out: dict[tuple[str, int | None], int] = amounts["paid_out"]  # type: ignore[assignment]
    brokers: list[tuple[str, int | None, int]] = [
        ("broker", org, owed) for org, owed in sorted(flow.broker_payables.items())
    ]
    payees = [("seller", deal.seller_org_id, flow.seller_payable), *brokers]
    # Each payee's amounts go under its box: labels on converging arrows would collide.
    height = max(150, 30 + 90 * len(payees))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 760 {height}" role="img" '
        f'class="money-flow" aria-label="{escape(text["platform"])}">',
        '<defs><marker id="head" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"/></marker></defs>',
        "<style>.t{font:600 13px sans-serif}.s{font:12px sans-serif;fill:#444}"
        ".a{stroke:#0d6efd;stroke-width:2}.b{fill:#e7f1ff;stroke:#0d6efd}"
        ".p{fill:#fff3cd;stroke:#b58100}.r{fill:#d1e7dd;stroke:#198754}</style>",
    ]
    mid = height // 2 - 27
    buyer_name = flow.names.get(deal.buyer_org_id or -1, deal.buyer_name)
    parts.append(_box(10, mid, 150, text["buyer"], buyer_name[:12], "b"))
    parts.append(
        _box(
            300, mid, 150, text["platform"], f"{text['fee']} {_money(flow.platform_fee, cur)}", "p"
        )
    )
    parts.append(_arrow(160, mid + 27, 300, mid + 27, f"{text['paid']} {_money(paid_in, cur)}"))
    if flow.due:
        parts.append(
            f'<text x="230" y="{mid + 70}" text-anchor="middle" class="s">'
            f"{escape(text['owed'])} {escape(_money(flow.due, cur))}</text>"
        )
    for i, (role, org, owed) in enumerate(payees):
        y = 20 + i * 90
        name = flow.names.get(org or -1, deal.seller_name if role == "seller" else "")
        parts.append(_box(580, y, 170, text[role], name[:14], "r"))
        received = paid_out.get((role, org), 0)
        label = f"{text['paid']} {_money(received, cur)}"
        if owed:
            label += f" · {text['owed']} {_money(owed, cur)}"
        parts.append(_arrow(450, mid + 27, 580, y + 27, owed=received == 0))
        parts.append(_caption(665, y + 70, label))
    parts.append("</svg>")
    return Markup("".join(parts))
