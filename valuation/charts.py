"""Server-rendered SVG charts of a valuation: no JavaScript, no CDN, readable by screen readers.

Each chart is an <svg role="img"> with a <title> and a <desc>; every number drawn is
also in a table next to the chart (the templates), so nothing is only a picture.
Labels arrive already translated: this module knows no language, only geometry.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from xml.sax.saxutils import escape, quoteattr

from valuation.rules import round_half_up

Formatter = Callable[[int], str]


def short_amount(minor: int, locale: str = "zh_CN") -> str:
    """A compact amount for chart labels: '96.77万' in Chinese, '¥967.7k' / '¥1.23M' in English."""
    yuan = Fraction(minor, 100)
    if not locale.startswith("en"):
        if abs(yuan) >= 100_000_000:
            return f"{float(yuan / 100_000_000):,.2f}亿"
        return f"{float(yuan / 10_000):,.2f}万"
    if abs(yuan) >= 1_000_000:
        return f"¥{float(yuan / 1_000_000):,.2f}M"
    return f"¥{float(yuan / 1_000):,.1f}k"


@dataclass(frozen=True)
class RangeRow:
    """One bar of the range chart: a method (or the reconciled range)."""

    label: str
    low_minor: int
    central_minor: int
    high_minor: int
    emphasis: bool = False


def _svg_open(width: int, height: int, chart_id: str, title: str, desc: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="valuation-chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" id={quoteattr(chart_id)}>',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
    ]


def _nice_ceiling(value: int) -> int:
    """The smallest 1, 2 or 5 × 10^k not below `value` (an axis end)."""
    if value <= 0:
        return 1
    magnitude = 1
    while magnitude * 10 <= value:
        magnitude *= 10
    for step in (1, 2, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude  # pragma: no cover


def range_chart(
    rows: Sequence[RangeRow],
    *,
    chart_id: str,
    title: str,
    desc: str,
    fmt: Formatter,
    width: int = 640,
) -> str:
    """Horizontal range bars (low–high) with a mark and a label at the central value."""
    label_w, pad, row_h, top = 150, 16, 38, 10
    axis_y = top + row_h * len(rows) + 4
    height = axis_y + 28
    scale_max = _nice_ceiling(max((r.high_minor for r in rows), default=0))
    plot_w = width - label_w - pad * 2

    def x(value: int) -> float:
        return label_w + pad + plot_w * value / scale_max

    parts = _svg_open(width, height, chart_id, title, desc)
    for i in range(5):
        tick = scale_max * i // 4
        tx = x(tick)
        parts.append(
            f'<line x1="{tx:.1f}" y1="{top}" x2="{tx:.1f}" y2="{axis_y}" stroke="#dee2e6" />'
        )
        anchor = "end" if i == 4 else "middle"
        parts.append(
            f'<text x="{tx:.1f}" y="{axis_y + 16}" font-size="11" text-anchor="{anchor}" '
            f'fill="#6c757d">{escape(fmt(tick))}</text>'
        )
    for index, row in enumerate(rows):
        y = top + row_h * index
        mid = y + row_h / 2
        colour = "#0d6efd" if row.emphasis else "#6ea8fe"
        weight = ' font-weight="600"' if row.emphasis else ""
        parts.append(
            f'<text x="{label_w - 6}" y="{mid + 4:.1f}" font-size="13" text-anchor="end"{weight}>'
            f"{escape(row.label)}</text>"
        )
        x_low, x_high = x(row.low_minor), x(row.high_minor)
        parts.append(
            f'<rect x="{x_low:.1f}" y="{mid - 8:.1f}" width="{max(2.0, x_high - x_low):.1f}" '
            f'height="16" rx="3" fill="{colour}" fill-opacity="0.35" stroke="{colour}" />'
        )
        xc = x(row.central_minor)
        parts.append(
            f'<line x1="{xc:.1f}" y1="{mid - 12:.1f}" x2="{xc:.1f}" y2="{mid + 12:.1f}" '
            f'stroke="{colour}" stroke-width="3" />'
        )
        anchor = "end" if xc > label_w + pad + plot_w * 0.8 else "start"
        offset = -5 if anchor == "end" else 5
        parts.append(
            f'<text x="{xc + offset:.1f}" y="{mid - 12:.1f}" font-size="11" '
            f'text-anchor="{anchor}" fill="#212529">{escape(fmt(row.central_minor))}</text>'
        )
    parts.append("</svg>")
    return "\n".join(parts)


def _cell_colour(value: int, low: int, high: int) -> tuple[str, str]:
    """A blue from light (low) to dark (high), and a text colour that reads on it."""
    share = Fraction(0) if high == low else Fraction(value - low, high - low)
    light, dark = (231, 241, 255), (8, 66, 152)
    rgb = tuple(round_half_up(a + (b - a) * share) for a, b in zip(light, dark, strict=True))
    text = "#ffffff" if share > Fraction(1, 2) else "#212529"
    return "#{:02x}{:02x}{:02x}".format(*rgb), text


def heat_map(
    values: Sequence[Sequence[int]],
    *,
    row_labels: Sequence[str],
    column_labels: Sequence[str],
    central: tuple[int, int],
    chart_id: str,
    title: str,
    desc: str,
    row_title: str,
    column_title: str,
    fmt: Formatter,
) -> str:
    """A grid of values (rows × columns), darker for higher values; the central cell outlined."""
    label_w, head_h, cell_w, cell_h = 92, 46, 104, 34
    width = label_w + cell_w * len(column_labels) + 4
    height = head_h + cell_h * len(row_labels) + 4
    flat = [v for row in values for v in row] or [0]
    low, high = min(flat), max(flat)
    parts = _svg_open(width, height, chart_id, title, desc)
    parts.append(
        f'<text x="{label_w + cell_w * len(column_labels) / 2:.1f}" y="14" font-size="12" '
        f'text-anchor="middle" fill="#6c757d">{escape(column_title)}</text>'
    )
    parts.append(f'<text x="4" y="14" font-size="12" fill="#6c757d">{escape(row_title)}</text>')
    for c, label in enumerate(column_labels):
        parts.append(
            f'<text x="{label_w + cell_w * c + cell_w / 2:.1f}" y="{head_h - 8}" font-size="12" '
            f'text-anchor="middle">{escape(label)}</text>'
        )
    for r, (label, row) in enumerate(zip(row_labels, values, strict=True)):
        y = head_h + cell_h * r
        parts.append(
            f'<text x="{label_w - 8}" y="{y + cell_h / 2 + 4:.1f}" font-size="12" '
            f'text-anchor="end">{escape(label)}</text>'
        )
        for c, value in enumerate(row):
            fill, ink = _cell_colour(value, low, high)
            is_central = (r, c) == tuple(central)
            stroke = ' stroke="#dc3545" stroke-width="3"' if is_central else ' stroke="#ffffff"'
            parts.append(
                f'<rect x="{label_w + cell_w * c}" y="{y}" width="{cell_w}" height="{cell_h}" '
                f'fill="{fill}"{stroke} />'
            )
            parts.append(
                f'<text x="{label_w + cell_w * c + cell_w / 2:.1f}" y="{y + cell_h / 2 + 4:.1f}" '
                f'font-size="12" text-anchor="middle" fill="{ink}"'
                f"{' font-weight=' + chr(34) + '700' + chr(34) if is_central else ''}>"
                f"{escape(fmt(value))}</text>"
            )
    parts.append("</svg>")
    return "\n".join(parts)
