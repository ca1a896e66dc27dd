"""The exposure page (CII Regulations Arts. 41 and 39(9)): the fines the visible purchases may
bring, by vendor, by category and by article, as bar charts drawn on the server with the same
figures in a table beside each, a what-if switch (the exposure domain's own variant: as if the
pending reviews had passed and the agreements were signed), and the same figures as CSV.

Everything is read through :func:`procurement.exposure.reads.group_summaries` (the group
totals of ``summary``, the read behind GraphQL's ``exposureSummary``), which checks
READ_EXPOSURE and scopes the purchases; vendors are refused (they never see fines).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from procurement.clock import today_in_china
from procurement.exposure import GroupBy, Range, to_fen
from procurement.exposure import reads as exposure_reads
from procurement.exposure.schedules import Law
from procurement.exposure.summary import UNSPECIFIED, GroupTotal, Unpriced
from procurement.permissions import Action, can
from procurement.web.console.charts import Bar, bar_chart
from procurement.web.console.common import gettext, not_allowed, page, person
from procurement.web.console.formatting import Formats
from procurement.web.console.labels import categories
from procurement.web.console.spreadsheet import document
from procurement.web.pages import page_language

CHART_GROUPS = 15  # bars per chart; the rest are summed into one "other" bar
Gettext = Callable[[str], str]


@dataclass(frozen=True, slots=True)
class Row:
    """One group's figures as the page and the CSV show them."""

    name: str
    purchases: int
    total: Range
    worst: Decimal


@dataclass(frozen=True, slots=True)
class Dimension:
    key: str  # vendor, category, article: the section's anchor
    heading: str
    rows: list[Row]  # every group, largest worst case first


@dataclass(frozen=True, slots=True)
class Figures:
    dimensions: list[Dimension]
    purchase_count: int
    total: Range
    worst: Decimal
    unpriced: list[Unpriced]


class _PageFormats(Formats):
    """Formats that remember the money they formatted: the page says each group's figures in its
    bar's title and again in its table row, and Babel's currency formatting is the page's
    costliest Python after the figures themselves."""

    def __init__(self, language: str) -> None:
        super().__init__(language)
        self._money: dict[tuple[str, str], str] = {}

    def money(self, amount: Decimal | None, currency: str = "CNY") -> str:
        if amount is None:
            return ""
        key = (str(amount), currency)  # by its digits: 1.0 and 1.00 are equal Decimals
        said = self._money.get(key)
        if said is None:
            said = self._money[key] = super().money(amount, currency)
        return said


def law_names(_: Gettext) -> dict[str, str]:
    return {
        Law.CII_REGULATIONS_2021: _("CII Regulations (2021)"),
        Law.CYBERSECURITY_LAW_2016: _("Cybersecurity Law (2016)"),
        Law.CYBERSECURITY_LAW_2025_AMENDMENT: _("Cybersecurity Law (2025 amendment)"),
    }


def _group_name(dimension: GroupBy, key: str, _: Gettext) -> str:
    if key == UNSPECIFIED:
        return _("(not recorded)")
    if dimension is GroupBy.CATEGORY:
        return categories(_).get(key, key)
    if dimension is GroupBy.ARTICLE:  # "<LAW> Art. <article>"
        law, _sep, article = key.partition(" Art. ")
        return _("Art. {article}, {law}").format(law=law_names(_).get(law, law), article=article)
    return key


def _rows(groups: Iterable[GroupTotal], dimension: GroupBy, _: Gettext) -> list[Row]:
    return [
        Row(_group_name(dimension, g.key[0], _), len(g.purchase_ids), g.total, g.conditional_max)
        for g in groups
    ]


def _as_of(value: str | None) -> date | None:
    if not value:
        return today_in_china()
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        return None


async def _figures(request: Request, as_of: date, what_if: bool) -> Figures:
    principal = person(request)
    _ = gettext(request)
    headings = {
        GroupBy.VENDOR: _("By vendor"),
        GroupBy.CATEGORY: _("By product category"),
        GroupBy.ARTICLE: _("By article"),
    }
    async with request.app.state.sessions() as session:
        summaries = await exposure_reads.group_summaries(
            session, principal, operator_id=None, as_of=as_of, what_if=what_if
        )
    dimensions = [
        Dimension(g.value.lower(), headings[g], _rows(summaries[g].groups, g, _)) for g in headings
    ]
    summary = summaries[GroupBy.VENDOR]
    unpriced = {u.purchase_id: u for s in summaries.values() for u in s.unpriced}
    listed = [unpriced[k] for k in sorted(unpriced)]
    count = sum(len(g.purchase_ids) for g in summary.groups)  # each purchase in one vendor
    return Figures(dimensions, count, summary.total, summary.conditional_max, listed)


def _chart(dimension: Dimension, fmt: Formats, _: Gettext) -> tuple[str, list[Row]]:
    """The chart and the rows it draws (the first groups, then the rest summed as one)."""
    shown = dimension.rows[:CHART_GROUPS]
    rest = dimension.rows[CHART_GROUPS:]
    if rest:
        shown = [
            *shown,
            Row(
                _("{count} other groups").format(count=fmt.number(len(rest))),
                sum(r.purchases for r in rest),
                Range.total(r.total for r in rest),
                sum((r.worst for r in rest), start=Decimal(0)),
            ),
        ]
    bars = [
        Bar(
            r.name, r.total.min, r.total.max, r.worst,
            _("{group}: {low} to {high} now, {worst} at worst; purchases: {count}").format(
                group=r.name, low=fmt.money(r.total.min), high=fmt.money(r.total.max),
                worst=fmt.money(r.worst), count=fmt.number(r.purchases),
            ),
        )
        for r in shown
    ]  # fmt: skip
    return bar_chart(bars, caption=dimension.heading, chart_id=f"chart-{dimension.key}"), shown


def _form(request: Request) -> tuple[dict[str, str], date | None, bool]:
    params = request.query_params
    form = {"as_of": (params.get("as_of") or "").strip()[:20], "what_if": params.get("what_if", "")}
    return form, _as_of(form["as_of"]), form["what_if"] == "1"


async def exposure_page(request: Request) -> Response:
    if not can(person(request), Action.READ_EXPOSURE):
        return not_allowed(request)
    _ = gettext(request)
    fmt = _PageFormats(page_language(request))
    form, as_of, what_if = _form(request)
    context: dict[str, Any] = {"form": form, "errors": {}, "figures": None, "charts": []}
    if as_of is None:
        context["errors"] = {"as_of": _("Give a date as YYYY-MM-DD, for example 2025-06-01.")}
        return page(request, "console/exposure.html", context, status_code=400)
    figures = await _figures(request, as_of, what_if)
    context |= {
        "fmt": fmt,
        "figures": figures,
        "charts": [(d, *_chart(d, fmt, _)) for d in figures.dimensions],
        "as_of": as_of,
        "what_if": what_if,
        "csv_url": "/console/exposure.csv" + (f"?{request.url.query}" if request.url.query else ""),
    }
    return page(request, "console/exposure.html", context)


def csv_header(_: Gettext) -> list[str]:
    return [
        _("Grouped by"), _("Group"), _("Purchases"), _("Fines now, minimum"),
        _("Fines now, maximum"), _("Worst case"), _("Currency"),
    ]  # fmt: skip


async def exposure_csv(request: Request) -> Response:
    """The page's figures, every group of every dimension, as a spreadsheet."""
    if not can(person(request), Action.READ_EXPOSURE):
        return not_allowed(request)
    _ = gettext(request)
    _form_values, as_of, what_if = _form(request)
    if as_of is None:
        return Response(
            _("Give a date as YYYY-MM-DD, for example 2025-06-01."),
            status_code=400,
            media_type="text/plain; charset=utf-8",
        )
    figures = await _figures(request, as_of, what_if)
    rows = [
        (d.heading, r.name, r.purchases, to_fen(r.total.min), to_fen(r.total.max),
         to_fen(r.worst), "CNY")
        for d in figures.dimensions
        for r in d.rows
    ]  # fmt: skip
    name = f"exposure-{as_of.isoformat()}{'-what-if' if what_if else ''}.csv"
    return Response(
        document(csv_header(_), rows),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="{name}"'},
    )
