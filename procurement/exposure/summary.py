"""Portfolio view: exposure totals per vendor, category or article, and the worst purchases."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from procurement.exposure.money import ZERO, Range, add
from procurement.exposure.results import (
    ExposureItem,
    PurchaseExposure,
    immediate_total,
    worst_case,
)

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
class Summary:
    group_by: tuple[GroupBy, ...]
    groups: tuple[GroupTotal, ...]  # largest worst case first, then by key
    top: tuple[PurchaseExposure, ...]  # see summarise()
    total: Range
    conditional_max: Decimal


def _slices(
    exposure: PurchaseExposure, dims: Sequence[GroupBy]
) -> list[tuple[tuple[str, ...], tuple[ExposureItem, ...]]]:
    """(group key, items) pairs of one purchase; by ARTICLE each counted norm is its own slice,
    otherwise the whole purchase is one slice (so zero-exposure purchases still count)."""
    if GroupBy.ARTICLE in dims:
        labels = dict.fromkeys(i.label for i in exposure.items if i.counted)
        parts = [(label, tuple(i for i in exposure.items if i.label == label)) for label in labels]
    else:
        parts = [("", exposure.items)]
    result = []
    for label, items in parts:
        key = tuple(
            label
            if dim is GroupBy.ARTICLE
            else (exposure.vendor if dim is GroupBy.VENDOR else exposure.category) or UNSPECIFIED
            for dim in dims
        )
        result.append((key, items))
    return result


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
    if top_n < 0:
        raise ValueError("top_n must not be negative")
    dims = (group_by,) if isinstance(group_by, GroupBy) else tuple(group_by)
    if not dims or len(set(dims)) != len(dims):
        raise ValueError("group_by needs at least one dimension, each at most once")
    exposures = tuple(exposures)
    ids: dict[tuple[str, ...], list[str]] = {}
    totals: dict[tuple[str, ...], Range] = {}
    worst: dict[tuple[str, ...], Decimal] = {}
    for exposure in exposures:
        for key, items in _slices(exposure, dims):
            ids.setdefault(key, []).append(exposure.purchase_id)
            totals[key] = totals.get(key, Range.zero()) + immediate_total(items)
            worst[key] = add(worst.get(key, ZERO), worst_case(items))
    groups = sorted(
        (GroupTotal(k, tuple(ids[k]), totals[k], worst[k]) for k in ids),
        key=lambda g: (-g.conditional_max, -g.total.max, g.key),
    )
    ranked = sorted(
        (e for e in exposures if e.conditional_max > 0),
        key=lambda e: (-e.conditional_max, -e.total.max, e.purchase_id),
    )
    return Summary(
        group_by=dims,
        groups=tuple(groups),
        top=tuple(ranked[:top_n]),
        total=Range.total(e.total for e in exposures),
        conditional_max=add(*(e.conditional_max for e in exposures)),
    )
