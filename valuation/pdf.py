"""A valuation (formal report or indicative valuation) as a PDF, with reportlab.

Chinese text uses reportlab's built-in CID font STSong-Light (Adobe's Song typeface,
which PDF readers supply): nothing to ship, and the same font sets Latin text.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any
from xml.sax.saxutils import escape

from flask_babel import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from core.i18n import day
from core.money import Money, format_money
from listings.rules import FIELDS
from valuation.labels import purpose_label
from valuation.models import Valuation
from valuation.rules import Method, bps_text
from valuation.valuers import credential_label

FONT = "STSong-Light"
_registered = False


def _font() -> str:
    global _registered
    if not _registered:
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
        _registered = True
    return FONT


LATIN = "Helvetica"  # Latin text and figures: the CJK font's Latin glyphs are too widely spaced
_WIDE = re.compile(r"([^\x00-\xff]+)")


def _mixed(text: str) -> str:
    """Escaped paragraph markup: runs beyond Latin-1 (Chinese) in the CJK font, the rest in Helvetica."""
    return _WIDE.sub(lambda m: f'<font name="{_font()}">{m.group(1)}</font>', escape(text))


def _styles() -> dict[str, ParagraphStyle]:
    _font()
    base = ParagraphStyle("base", fontName=LATIN, fontSize=9.5, leading=14)
    return {
        "base": base,
        "title": ParagraphStyle(
            "title", parent=base, fontSize=17, leading=24, alignment=TA_CENTER, spaceAfter=4
        ),
        "subtitle": ParagraphStyle(
            "subtitle", parent=base, fontSize=12, leading=18, alignment=TA_CENTER, spaceAfter=8
        ),
        "h2": ParagraphStyle(
            "h2", parent=base, fontSize=12, leading=18, spaceBefore=10, spaceAfter=4
        ),
        "small": ParagraphStyle(
            "small", parent=base, fontSize=8, leading=11, textColor=colors.grey
        ),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8.5, leading=11),
    }


def _money(minor: int | None, currency: str) -> str:
    return "—" if minor is None else format_money(Money(int(minor), currency))


def _table(
    rows: list[list[Any]], widths: list[float], *, header: bool = True, numbers_from: int = 99
) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0)
    style = [
        ("FONTNAME", (0, 0), (-1, -1), LATIN),
        ("FONTSIZE", (0, 0), (-1, -1), 8.5),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#adb5bd")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e7f1ff")))
    if numbers_from < len(widths):  # amounts line up on the right
        style.append(("ALIGN", (numbers_from, 0), (-1, -1), "RIGHT"))
    table.setStyle(TableStyle(style))
    return table


def _method_label(method: str) -> str:
    return {
        Method.INCOME.value: _("Income (relief from royalty)"),
        Method.MARKET.value: _("Market (comparable deals)"),
        Method.COST.value: _("Cost (reproduction less obsolescence)"),
    }[method]


def render(
    valuation: Valuation, *, locale: str = "zh_CN", explain: Callable[[dict[str, Any]], str]
) -> bytes:
    """The PDF of a valuation: inputs, methods, range, sensitivity, opinion and signature."""
    s = _styles()
    currency = valuation.currency
    listing = valuation.listing
    result, inputs = valuation.result, valuation.inputs
    title = listing.title(locale)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=f"{_('Valuation report') if valuation.is_formal else _('Indicative valuation')} · {title}",
        author=valuation.signer_name or "",
        subject=title,
    )

    def P(text: object, style: str = "base") -> Paragraph:
        value = str(text)
        chosen = s[style]
        if _WIDE.search(value):  # Chinese wraps between any two characters
            chosen = ParagraphStyle(f"{style}-cjk", parent=chosen, wordWrap="CJK")
        return Paragraph(_mixed(value), chosen)

    width = doc.width
    story: list[Any] = [
        P(
            _("Technology valuation report") if valuation.is_formal else _("Indicative valuation"),
            "title",
        ),
        P(title, "subtitle"),
    ]
    field_pair = FIELDS.get(listing.field)
    field_text = (
        (field_pair[1] if locale.startswith("en") else field_pair[0])
        if field_pair
        else listing.field
    )
    facts = [
        [P(_("Report number")), P(f"V-{valuation.id:06d}")],
        [
            P(_("Kind of report")),
            P(_("Formal report") if valuation.is_formal else _("Indicative (not a formal report)")),
        ],
        [P(_("Valuation date")), P(day(valuation.valuation_date))],
        [P(_("Holder")), P(listing.holder)],
        [P(_("Field")), P(field_text)],
        [P(_("IPC classes")), P("; ".join(listing.ipc_classes or []) or "—")],
        [P(_("Maturity")), P(f"TRL {listing.trl}")],
    ]
    if valuation.request is not None:
        facts.append([P(_("Purpose of the valuation")), P(purpose_label(valuation.request.purpose_kind))])  # fmt: skip
        facts.append([P(_("Purpose")), P(valuation.request.purpose)])
        facts.append([P(_("Requested by")), P(valuation.request.requester.name)])
    story.append(_table(facts, [0.25 * width, 0.75 * width], header=False))

    story.append(P(_("Result"), "h2"))
    rows: list[list[Any]] = [
        [P(_("Method")), P(_("Low")), P(_("Central")), P(_("High")), P(_("Weight"))]
    ]
    weights = result["reconciled"]["weights"]
    for method in Method:
        part = result.get(method.value)
        rng = part.get("range") if part else None
        if rng:
            rows.append(
                [
                    P(_method_label(method.value)),
                    _money(rng["low_minor"], currency),
                    _money(rng["central_minor"], currency),
                    _money(rng["high_minor"], currency),
                    f"{weights.get(method.value, 0)}%",
                ]
            )
    rec = result["reconciled"]["range"]
    rows.append(
        [
            P(_("Indicative range")),
            _money(rec["low_minor"], currency),
            _money(rec["central_minor"], currency),
            _money(rec["high_minor"], currency),
            "100%",
        ]
    )
    story.append(
        _table(
            rows,
            [0.34 * width, 0.19 * width, 0.19 * width, 0.19 * width, 0.09 * width],
            numbers_from=1,
        )
    )

    income = result.get("income")
    if income:
        inc_in = inputs["income"]
        disc = inputs.get("discount") or {}
        story.append(P(_("Income approach (relief from royalty)"), "h2"))
        story.append(
            P(
                _(
                    "Royalty %(royalty)s, tax %(tax)s, discount rate %(rate)s (risk-free %(rf)s + technology %(tech)s + market %(market)s + funding %(funding)s + management %(mgmt)s); %(years)s years valued (the shorter of legal life %(legal)s and economic life %(economic)s years), end-year discounting.",
                    royalty=bps_text(inc_in["royalty_bps"]) + "%",
                    tax=bps_text(inc_in["tax_bps"]) + "%",
                    rate=bps_text(inc_in["discount_bps"]) + "%",
                    rf=bps_text(disc.get("risk_free_bps", 0)) + "%",
                    tech=bps_text(disc.get("technology_bps", 0)) + "%",
                    market=bps_text(disc.get("market_bps", 0)) + "%",
                    funding=bps_text(disc.get("funding_bps", 0)) + "%",
                    mgmt=bps_text(disc.get("management_bps", 0)) + "%",
                    years=income["life_years"],
                    legal=inc_in["legal_life_years"],
                    economic=inc_in["economic_life_years"],
                )
            )
        )
        years = [
            [
                P(_("Year")),
                P(_("Revenue")),
                P(_("Royalty after tax")),
                P(_("Discount factor")),
                P(_("Present value")),
            ]
        ]
        for y in income["years"]:
            years.append(
                [
                    str(y["year"]),
                    _money(y["revenue_minor"], currency),
                    _money(y["after_tax_minor"], currency),
                    y["discount_factor"],
                    _money(y["present_value_minor"], currency),
                ]
            )
        years.append([P(_("Total")), "", "", "", _money(income["value_minor"], currency)])
        story.append(
            _table(
                years,
                [0.1 * width, 0.25 * width, 0.25 * width, 0.15 * width, 0.25 * width],
                numbers_from=1,
            )
        )
        grid = income["sensitivity"]
        story.append(
            P(_("Sensitivity of the income value (rows: royalty; columns: discount rate)"), "h2")
        )
        sens = [[""] + [bps_text(b) + "%" for b in grid["discount_bps"]]]
        for royalty, row in zip(grid["royalty_bps"], grid["values_minor"], strict=True):
            sens.append([bps_text(royalty) + "%"] + [_money(v, currency) for v in row])
        col = (width - 0.12 * width) / max(1, len(grid["discount_bps"]))
        table = _table(sens, [0.12 * width] + [col] * len(grid["discount_bps"]), numbers_from=1)
        r, c = grid["central"]
        table.setStyle(TableStyle([("BOX", (c + 1, r + 1), (c + 1, r + 1), 1.5, colors.red)]))
        story.append(table)

    market = result.get("market")
    if market:
        story.append(P(_("Market approach (comparable deals on the platform)"), "h2"))
        if not market["applicable"]:
            story.append(
                P(
                    _(
                        "Not applicable: %(found)s comparable deals found, at least %(minimum)s are needed.",
                        found=len(market["comparables"]),
                        minimum=market["minimum"],
                    )
                )
            )
        if market["comparables"]:
            comp = [[P(_("Deal")), P(_("Price")), P(_("Adjustments")), P(_("Adjusted price"))]]
            for item in market["comparables"]:
                comp.append(
                    [
                        P(f"#{item['deal_id']} {item['title']} ({day(item['deal_date'])})", "cell"),
                        _money(item["price_minor"], currency),
                        P("; ".join(explain(a) for a in item["adjustments"]), "cell"),
                        _money(item["adjusted_minor"], currency),
                    ]
                )
            story.append(_table(comp, [0.3 * width, 0.17 * width, 0.36 * width, 0.17 * width]))

    cost = result.get("cost")
    if cost:
        cost_in = inputs["cost"]
        story.append(P(_("Cost approach"), "h2"))
        story.append(
            P(
                _(
                    "Reproduction cost %(repro)s (R&D labour %(labour)s, materials %(materials)s, overhead %(overhead)s, opportunity cost %(opportunity)s) less functional obsolescence %(functional)s and economic obsolescence %(economic)s: %(value)s.",
                    repro=_money(cost["reproduction_minor"], currency),
                    labour=_money(cost_in["labour_minor"], currency),
                    materials=_money(cost_in["materials_minor"], currency),
                    overhead=_money(cost_in["overhead_minor"], currency),
                    opportunity=_money(cost_in["opportunity_minor"], currency),
                    functional=bps_text(cost_in["functional_obsolescence_bps"]) + "%",
                    economic=bps_text(cost_in["economic_obsolescence_bps"]) + "%",
                    value=_money(cost["value_minor"], currency),
                )
            )
        )

    if valuation.opinion:
        story.append(P(_("Valuer's opinion"), "h2"))
        for paragraph in valuation.opinion.splitlines():
            if paragraph.strip():
                story.append(P(paragraph))
    story.append(Spacer(1, 8 * mm))
    if valuation.is_formal:
        story.append(
            _table(
                [
                    [P(_("Valuer")), P(valuation.signer_name or "")],
                    [P(_("Accreditation")), P(credential_label(valuation.signer_credential))],
                    [P(_("Signed on")), P(day(valuation.valuation_date))],
                ],
                [0.25 * width, 0.75 * width],
                header=False,
            )
        )
    else:
        story.append(
            P(
                _(
                    "An indicative valuation computed by the seller on the platform; it is not a formal valuation report."
                ),
                "small",
            )
        )
    story.append(Spacer(1, 4 * mm))
    story.append(
        P(
            _(
                "Amounts in %(currency)s. Each present value is rounded half-up to the fen.",
                currency=currency,
            ),
            "small",
        )
    )
    doc.build(story)
    return buffer.getvalue()
