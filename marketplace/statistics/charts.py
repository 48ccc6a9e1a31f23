"""Server-rendered SVG bar charts of the statistics (no JavaScript), like valuation.charts.

Each chart is an <svg role="img"> with a <title> and a <desc>; the table beside it on the
page holds every number drawn. Labels arrive translated: this module only draws.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from xml.sax.saxutils import escape, quoteattr

from marketplace.statistics.rules import Row

Bar = tuple[str, int, str]  # label, length, text at the bar's end


def bar_chart(
    bars: Sequence[Bar], *, chart_id: str, title: str, desc: str, width: int = 560
) -> str:
    """Horizontal bars, longest = full width; a suppressed or empty bar draws nothing."""
    label_w, row_h, top, pad = 170, 26, 6, 150
    height = top * 2 + row_h * max(len(bars), 1)
    longest = max((length for _, length, _ in bars), default=0) or 1
    plot_w = width - label_w - pad
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="statistics-chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" id={quoteattr(chart_id)}>',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
    ]
    for index, (label, length, text) in enumerate(bars):
        mid = top + row_h * index + row_h / 2
        bar_w = plot_w * max(length, 0) / longest
        parts.append(
            f'<text x="{label_w - 6}" y="{mid + 4:.1f}" font-size="12" text-anchor="end">'
            f"{escape(_clip(label))}</text>"
        )
        parts.append(
            f'<rect x="{label_w}" y="{mid - 8:.1f}" width="{bar_w:.1f}" height="16" rx="2" '
            f'fill="#3d8bfd" />'
        )
        parts.append(
            f'<text x="{label_w + bar_w + 5:.1f}" y="{mid + 4:.1f}" font-size="11" '
            f'fill="#212529">{escape(text)}</text>'
        )
    parts.append("</svg>")
    return "\n".join(parts)


def _clip(label: str, limit: int = 22) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def bars_of(
    rows: Sequence[Row], label: Callable[[str], str], amount: Callable[[int], str]
) -> list[Bar]:
    """Bars of statistics rows: length = value, text = value and deals (hidden rows: '—')."""
    return [
        (
            label(row.key),
            0 if row.suppressed else row.value_minor,
            "—" if row.suppressed else f"{amount(row.value_minor)} · {row.deals}",
        )
        for row in rows
    ]
