"""The warm portfolio summary as SQL aggregates over the cached digests' integer slices
(procurement.exposure.parts, the ``exposure_slices`` table): one GROUP BY per grouping instead
of reading and decoding every digest (issue 14: 10,000 purchases took about a second).

Store level: the caller (procurement.exposure.reads) has checked the permission and scoped the
purchases. Every function returns None when the fast path does not apply, and the caller then
takes the Python path over decoded digests (procurement.exposure.cache), which computes what is
missing: a purchase without a valid digest for the day, or a digest without slices (an amount
with more than 9 decimals; a blank digest, parts.BLANK, has none stored and stands for its slice
of zeros). The results are those of summary.summarise_digests, exactly.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, Subquery, Text, and_, case, cast, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from procurement.exposure import Range
from procurement.exposure.parts import BLANK, join, join_total
from procurement.exposure.summary import UNSPECIFIED, GroupBy, GroupTotal
from procurement.models import ExposureSlice, ExposureSnapshot

S, X = ExposureSnapshot, ExposureSlice
Groups = tuple[tuple[GroupTotal, ...], Range, Decimal, int]

_AMOUNTS = ("min", "max", "worst")


def _valid(as_of: date) -> Any:
    return and_(
        S.valid_from.is_not(None),
        S.valid_from <= as_of,
        or_(S.valid_until.is_(None), S.valid_until > as_of),
    )


def _sums() -> list[Any]:
    """Per amount the sums of its parts and its smallest exponent. A blank digest has no slice
    (parts.BLANK): its outer-joined row counts as the zeros, exponent 0, it stands for."""
    out: list[Any] = []
    for name in _AMOUNTS:
        out += [
            func.coalesce(func.sum(getattr(X, f"{name}_whole")), 0),
            func.coalesce(func.sum(getattr(X, f"{name}_frac")), 0),
            func.min(func.coalesce(getattr(X, f"{name}_exp"), 0)),
        ]
    return out


def _blank(what_if: bool) -> Any:
    """The valid digest of the variant is blank (parts.BLANK): no exposure, no slice stored."""
    columns = (
        (S.what_if_total_min, S.what_if_total_max, S.what_if_worst, S.what_if_articles)
        if what_if
        else (S.total_min, S.total_max, S.worst, S.articles)
    )
    return and_(*(column == text for column, text in zip(columns, BLANK, strict=True)))


def _ids(dialect: str, column: Any) -> Any:
    if dialect == "postgresql":
        return func.string_agg(cast(column, Text), ",")
    return func.group_concat(column)


def _base(visible: Subquery, as_of: date, what_if: bool, whole: bool) -> Select[Any]:
    position = X.position == 0 if whole else X.position > 0
    return (
        select()
        .select_from(visible)
        .outerjoin(S, and_(S.purchase_id == visible.c.id, _valid(as_of)))
        .outerjoin(X, and_(X.purchase_id == S.purchase_id, X.what_if == what_if, position))
    )


async def group_totals(
    session: AsyncSession, visible: Subquery, as_of: date, what_if: bool, dims: Sequence[GroupBy]
) -> dict[GroupBy, Groups] | None:
    """Per grouping in ``dims`` (one dimension each): its groups, the total, the worst case and
    the purchase count; None when some digest is missing or has no slices.

    One query grouped by (vendor, category) answers the check, the total and both of those
    groupings (merged here); the grouping by article takes a second one.
    """
    return (await totals_or_missing(session, visible, as_of, what_if, dims))[0]


async def totals_or_missing(
    session: AsyncSession, visible: Subquery, as_of: date, what_if: bool, dims: Sequence[GroupBy]
) -> tuple[dict[GroupBy, Groups] | None, list[int]]:
    """:func:`group_totals`, and when it is None the visible purchases without a digest valid
    on ``as_of``, in ascending order: a cold summary's first statement also says what it must
    compute, instead of a second one asking (its last column, NULL on a warm cache)."""
    connection = await session.connection()
    dialect = connection.dialect.name
    # sliced: the digest's whole-purchase slice is stored, or it is blank and stands for one
    sliced = case((X.purchase_id.is_not(None), 1), (_blank(what_if), 1))
    missing = case((S.purchase_id.is_(None), visible.c.id))
    stmt = (
        _base(visible, as_of, what_if, True)
        .add_columns(
            S.vendor, S.category, func.count(), func.count(S.purchase_id),
            func.count(sliced), _ids(dialect, S.purchase_id), *_sums(), _ids(dialect, missing),
        )
        .group_by(S.vendor, S.category)
    )  # fmt: skip
    rows = list(await connection.execute(stmt))
    count, cached, sliced = (sum(r[i] for r in rows) for i in (2, 3, 4))
    if not count == cached == sliced:  # a digest missing or invalid on as_of, or without slices
        return None, sorted(int(i) for r in rows if r[15] for i in r[15].split(","))
    whole = _Merged()
    for row in rows:
        whole.add("", row[5], row[6:15])
    total, worst = _range(whole.sums.get("", [None] * 9), join_total)
    out: dict[GroupBy, Groups] = {}
    for dim in dims:
        merged = _Merged()
        if dim is GroupBy.ARTICLE:
            # Every visible purchase has a valid, sliced digest (checked above), and slices are
            # written and dropped with their digest: the articles need no second validity join.
            stmt = (
                select(X.label, _ids(dialect, X.purchase_id), *_sums())
                .select_from(visible)
                .join(X, and_(X.purchase_id == visible.c.id, X.what_if == what_if))
                .where(X.position > 0)
                .group_by(X.label)
            )
            for label, ids, *parts in await connection.execute(stmt):
                merged.add(label, ids, parts)
        else:
            for row in rows:  # no vendor or category: one group, as summary._slices
                merged.add(row[0 if dim is GroupBy.VENDOR else 1] or UNSPECIFIED, row[5], row[6:15])
        groups = []
        for key, parts in merged.sums.items():
            lo_hi, worst_case = _range(parts, join)
            groups.append(GroupTotal((key,), _sorted_ids(merged.ids[key]), lo_hi, worst_case))
        groups.sort(key=lambda g: (-g.conditional_max, -g.total.max, g.key))
        out[dim] = (tuple(groups), total, worst, count)
    return out, []


def _sorted_ids(chunks: list[str]) -> tuple[str, ...]:
    """The ids of comma-separated chunks in ascending numeric order, as the strings SQL gave
    (an integer's canonical decimal form, which str(int) also gives)."""
    ids = chunks[0].split(",") if len(chunks) == 1 else ",".join(chunks).split(",")
    ids.sort(key=int)  # usually in order already: one pass
    return tuple(ids)


class _Merged:
    """Summed parts and id lists per group key, several SQL groups making one."""

    def __init__(self) -> None:
        self.ids: dict[str, list[str]] = {}
        self.sums: dict[str, list[Any]] = {}

    def add(self, key: str, ids: str, parts: Sequence[Any]) -> None:
        if key not in self.sums:
            self.ids[key], self.sums[key] = [ids], list(parts)
            return
        self.ids[key].append(ids)
        mine = self.sums[key]
        for i in range(0, 9, 3):
            mine[i] += parts[i]
            mine[i + 1] += parts[i + 1]
            mine[i + 2] = min(mine[i + 2], parts[i + 2])


def _range(sums: Sequence[Any], joined: Any) -> tuple[Range, Decimal]:
    values = [
        joined(sums[i] or 0, sums[i + 1] or 0, 0 if sums[i + 2] is None else sums[i + 2])
        for i in range(0, 9, 3)
    ]
    return Range(values[0], values[1]), values[2]


async def top_ids(
    session: AsyncSession, visible: Subquery, as_of: date, what_if: bool, top_n: int
) -> list[int]:
    """The ``top_n`` purchases by worst case, then immediate maximum, then label (as
    summary.summarise_digests ranks them), of those exposed at all; call after
    :func:`group_totals` found every digest valid and sliced."""
    if top_n == 0:
        return []
    # (whole, frac) pairs order as the amounts do; ties go by the label, the id as a string,
    # compared code point by code point (Python's str order: "10" < "9").
    label: Any = cast(X.purchase_id, Text)
    dialect = (await session.connection()).dialect.name
    label = label.collate("C" if dialect == "postgresql" else "BINARY")
    exposed = or_(X.worst_whole > 0, and_(X.worst_whole == 0, X.worst_frac > 0))
    stmt = (
        _base(visible, as_of, what_if, True)
        .add_columns(X.purchase_id)
        .where(exposed)
        .order_by(
            X.worst_whole.desc(), X.worst_frac.desc(), X.max_whole.desc(), X.max_frac.desc(),
            label,
        )
        .limit(top_n)
    )  # fmt: skip
    return [int(i) for i in await session.scalars(stmt)]
