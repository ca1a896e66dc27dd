"""Portfolio view: exposure totals per vendor, category or article, and the worst purchases."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, localcontext
from enum import StrEnum

from procurement.exposure.money import EXACT, Range, add
from procurement.exposure.results import (
    ExposureItem,
    PurchaseExposure,
    immediate_total,
    worst_case,
)
from procurement.texts import Text

UNSPECIFIED = "(unspecified)"


class GroupBy(StrEnum):
    VENDOR = "VENDOR"
    CATEGORY = "CATEGORY"
    ARTICLE = "ARTICLE"  # key "<LAW> Art. <article>" of each counted norm


@dataclass(frozen=True, slots=True)
class GroupTotal:
    key: tuple[str, ...]  # one value per GroupBy dimension, in the order asked
    purchase_ids: tuple[str, ...]
    total: Range  # immediate fines, as PurchaseExposure.total
    conditional_max: Decimal  # worst case, as PurchaseExposure.conditional_max


@dataclass(frozen=True, slots=True)
class Unpriced:
    """A purchase left out of the totals because its exposure cannot be computed (no exchange
    rate in force on its contract date...): listed with the reason, never silently dropped."""

    purchase_id: int
    reason: str
    # ``reason`` as a message id and parameters when it is one sentence of the catalog, so the
    # console can say it in Chinese (procurement/exposure/messages.py)
    reason_text: Text | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Summary:
    group_by: tuple[GroupBy, ...]
    groups: tuple[GroupTotal, ...]  # largest worst case first, then by key
    top: tuple[PurchaseExposure, ...]  # see summarise()
    total: Range
    conditional_max: Decimal
    # One purchase without a rate must not blank the portfolio: the rest is totalled.
    unpriced: tuple[Unpriced, ...] = ()


@dataclass(frozen=True, slots=True)
class PurchaseDigest:
    """What the portfolio view needs of one purchase's exposure: small enough to store and
    reload for thousands of purchases (see procurement.exposure.cache)."""

    purchase_id: str
    vendor: str | None
    category: str | None
    total: Range
    conditional_max: Decimal
    # (label "<LAW> Art. <article>", immediate total min, max, worst case) of each counted norm
    articles: tuple[tuple[str, Decimal, Decimal, Decimal], ...]


def digest(exposure: PurchaseExposure) -> PurchaseDigest:
    # The counted items of each counted norm's label, in order of first appearance (the
    # uncounted items of a label add nothing to either total).
    by_label: dict[str, list[ExposureItem]] = {}
    for item in exposure.items:
        if item.counted:
            by_label.setdefault(item.label, []).append(item)
    articles = []
    for label, items in by_label.items():
        total = immediate_total(items)
        articles.append((label, total.min, total.max, worst_case(items)))
    return PurchaseDigest(
        purchase_id=exposure.purchase_id,
        vendor=exposure.vendor,
        category=exposure.category,
        total=immediate_total(exposure.items),
        conditional_max=worst_case(exposure.items),
        articles=tuple(articles),
    )


def _slices(
    d: PurchaseDigest, dims: Sequence[GroupBy]
) -> list[tuple[tuple[str, ...], Decimal, Decimal, Decimal]]:
    """(group key, total min, total max, worst case) of one purchase; by ARTICLE each counted
    norm is its own slice, otherwise the whole purchase is one slice (so zero-exposure
    purchases still count)."""
    parts = (
        d.articles
        if GroupBy.ARTICLE in dims
        else (("", d.total.min, d.total.max, d.conditional_max),)
    )
    return [
        (
            tuple(
                label
                if dim is GroupBy.ARTICLE
                else (d.vendor if dim is GroupBy.VENDOR else d.category) or UNSPECIFIED
                for dim in dims
            ),
            lo,
            hi,
            worst,
        )
        for label, lo, hi, worst in parts
    ]


def _dims(group_by: GroupBy | Sequence[GroupBy]) -> tuple[GroupBy, ...]:
    dims = (group_by,) if isinstance(group_by, GroupBy) else tuple(group_by)
    if not dims or len(set(dims)) != len(dims):
        raise ValueError("group_by needs at least one dimension, each at most once")
    return dims


def summarise_digests(
    digests: Iterable[PurchaseDigest], group_by: GroupBy | Sequence[GroupBy], *, top_n: int = 10
) -> tuple[tuple[GroupTotal, ...], tuple[PurchaseDigest, ...], Range, Decimal]:
    """Group totals, the ``top_n`` purchases, the total and the worst case, from digests."""
    if top_n < 0:
        raise ValueError("top_n must not be negative")
    dims = _dims(group_by)
    digests = tuple(digests)
    ids: dict[tuple[str, ...], list[str]] = {}
    # Sums kept as plain bounds and turned into Ranges once; inside the EXACT context a plain
    # "+" raises on any rounding, like money.add, at a fraction of its cost per call.
    lows: dict[tuple[str, ...], Decimal] = {}
    highs: dict[tuple[str, ...], Decimal] = {}
    worst: dict[tuple[str, ...], Decimal] = {}
    with localcontext(EXACT):
        for d in digests:
            for key, lo, hi, case in _slices(d, dims):
                if key in ids:
                    ids[key].append(d.purchase_id)
                    lows[key] += lo
                    highs[key] += hi
                    worst[key] += case
                else:
                    ids[key] = [d.purchase_id]
                    lows[key], highs[key], worst[key] = lo, hi, case
    totals = {k: Range(lows[k], highs[k]) for k in ids}
    groups = sorted(
        (GroupTotal(k, tuple(ids[k]), totals[k], worst[k]) for k in ids),
        key=lambda g: (-g.conditional_max, -g.total.max, g.key),
    )
    ranked = sorted(
        (d for d in digests if d.conditional_max > 0),
        key=lambda d: (-d.conditional_max, -d.total.max, d.purchase_id),
    )
    return (
        tuple(groups),
        tuple(ranked[:top_n]),
        Range.total(d.total for d in digests),
        add(*(d.conditional_max for d in digests)),
    )


def summarise(
    exposures: Iterable[PurchaseExposure],
    group_by: GroupBy | Sequence[GroupBy],
    *,
    top_n: int = 10,
) -> Summary:
    """Totals per group (one or several dimensions, e.g. ``(VENDOR, ARTICLE)``) and the
    ``top_n`` purchases by maximum exposure: largest ``conditional_max`` (worst case) first,
    then largest immediate ``total.max``, then purchase id. Purchases with no exposure at all
    are left out of ``top``. Group totals add up to the overall totals.
    """
    pairs = [(digest(e), e) for e in exposures]
    # by identity: ids need not be unique in a what-if or test portfolio
    exposure_of = {id(d): e for d, e in pairs}
    groups, top, total, conditional_max = summarise_digests(
        (d for d, _ in pairs), group_by, top_n=top_n
    )
    return Summary(
        group_by=_dims(group_by),
        groups=groups,
        top=tuple(exposure_of[id(d)] for d in top),
        total=total,
        conditional_max=conditional_max,
    )
