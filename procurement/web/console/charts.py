"""Horizontal bar charts as inline SVG, drawn on the server (no script, no asset from another
host): each bar shows a range of money (the immediate fines, low to high) over a pale bar of
the worst case, and carries a ``<title>`` that a pointer or a screen reader can read.

Pure: plain values in, markup out. Every text is escaped here, so a vendor named
``<script>`` or ``A & B`` is drawn as those characters.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape
from unicodedata import east_asian_width

WIDTH = 640
LABEL_WIDTH = 200  # room for the group's name, left of the bars
ROW_HEIGHT = 28
BAR_HEIGHT = 18
# Longer names are shortened on the chart (the title keeps them whole), measured in half-width
# columns: a Chinese character is drawn about twice as wide as a Latin letter.
LABEL_COLUMNS = 30


@dataclass(frozen=True, slots=True)
class Bar:
    label: str  # the group: a vendor, a category, an article
    low: Decimal  # immediate fines, lower bound
    high: Decimal  # immediate fines, upper bound
    worst: Decimal  # if every condition is met
    title: str  # what the bar says in words, with its figures formatted for the reader


def _columns(char: str) -> int:
    return 2 if east_asian_width(char) in ("W", "F") else 1


def short_label(label: str) -> str:
    """``label`` if it fits in LABEL_COLUMNS, else its start and an ellipsis."""
    if sum(_columns(c) for c in label) <= LABEL_COLUMNS:
        return label
    used, kept = 1, []  # one column for the ellipsis
    for char in label:
        used += _columns(char)
        if used > LABEL_COLUMNS:
            break
        kept.append(char)
    return "".join(kept) + "…"


def _x(amount: Decimal, scale: Decimal, span: int) -> str:
    """A position in user units, two decimals (exact input, rounded only for drawing)."""
    if scale <= 0:
        return "0"
    return f"{(amount / scale * span).quantize(Decimal('0.01')):f}"


def bar_chart(bars: Sequence[Bar], *, caption: str, chart_id: str) -> str:
    """An ``<svg>`` with one ``<g class="bar">`` per bar, in the order given.

    ``caption`` names the chart (its accessible name); ``chart_id`` makes the ids inside unique
    on a page with several charts.
    """
    span = WIDTH - LABEL_WIDTH - 10
    scale = max((max(b.high, b.worst) for b in bars), default=Decimal(0))
    height = max(1, len(bars)) * ROW_HEIGHT + 4
    title_id = escape(f"{chart_id}-title", quote=True)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{escape(chart_id, quote=True)}"'
        f' viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" role="img"'
        f' aria-labelledby="{title_id}">',
        f'<title id="{title_id}">{escape(caption)}</title>',
    ]
    for index, bar in enumerate(bars):
        y = index * ROW_HEIGHT + 2
        low, high = _x(bar.low, scale, span), _x(bar.high, scale, span)
        worst = _x(bar.worst, scale, span)
        range_width = f"{Decimal(high) - Decimal(low):f}"
        parts.append(
            f'<g class="bar"><title>{escape(bar.title)}</title>'
            f'<text x="{LABEL_WIDTH - 6}" y="{y + BAR_HEIGHT - 4}" text-anchor="end">'
            f"{escape(short_label(bar.label))}</text>"
            f'<rect class="worst" x="{LABEL_WIDTH}" y="{y}" width="{worst}"'
            f' height="{BAR_HEIGHT}"/>'
            f'<rect class="range" x="{Decimal(LABEL_WIDTH) + Decimal(low):f}" y="{y}"'
            f' width="{range_width}" height="{BAR_HEIGHT}"/></g>'
        )
    parts.append("</svg>")
    return "".join(parts)
