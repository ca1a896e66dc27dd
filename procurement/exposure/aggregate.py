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
from dataclasses import dataclass
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


def _sums(blank_exp: Any = 0) -> list[Any]:
    """Per amount the sums of its parts and its smallest exponent. A blank digest has no slice
    (parts.BLANK): its outer-joined row counts as the zeros, exponent ``blank_exp``, it stands
    for."""
    out: list[Any] = []
    for name in _AMOUNTS:
        out += [
            func.coalesce(func.sum(getattr(X, f"{name}_whole")), 0),
            func.coalesce(func.sum(getattr(X, f"{name}_frac")), 0),
            func.min(func.coalesce(getattr(X, f"{name}_exp"), blank_exp)),
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
    on ``as_of``, in ascending order (:attr:`Cold.missing`)."""
    found = await totals_or_cold(session, visible, as_of, what_if, dims)
    return (None, found.missing) if isinstance(found, Cold) else (found, [])


@dataclass(frozen=True, slots=True)
class Cold:
    """What a cold summary's first statement found: the visible purchases without a digest
    valid on its day, in ascending order (so that no second statement asks which to compute),
    and its rows, which sum the valid digests only (so that once the missing ones are computed,
    their sums are added to these instead of a second statement summing every digest again)."""

    missing: list[int]
    rows: list[Sequence[Any]]


class FreshSums:
    """The whole-purchase slices of freshly computed digests in one variant, summed as the first
    statement sums the stored ones: per group of vendor and category (None and "" as
    UNSPECIFIED, all that _totals reads of a row's keys) the ids, and per amount the sums of
    its integer parts and its smallest exponent.

    The slices are collected per group, then summed by C-level calls (zip, sum, min) and let
    go by :meth:`seal`, which the fill calls before the cyclic collector resumes
    (store.collector_paused): 10,000 purchases' tuples kept until then would make it walk them
    all (measured: some 20 ms)."""

    def __init__(self) -> None:
        self.count = 0  # digests added, sliced or not
        self.unsliced = False  # some digest has no slices: the SQL path cannot answer
        self._groups: dict[tuple[str, str], tuple[list[int], list[Sequence[int]]]] = {}
        self._sums: list[tuple[Any, ...]] | None = None

    def add(
        self,
        purchase_id: int,
        vendor: str | None,
        category: str | None,
        parts: Sequence[int] | None,
    ) -> None:
        """One digest's whole-purchase slice as the first statement reads it: its nine parts,
        None when the digest has no slices."""
        self.count += 1
        if parts is None:
            self.unsliced = True
            return
        key = (vendor or UNSPECIFIED, category or UNSPECIFIED)
        group = self._groups.get(key)
        if group is None:
            group = self._groups[key] = ([], [])
        group[0].append(purchase_id)
        group[1].append(parts)

    def seal(self) -> None:
        """Sum the slices added and let them go (no :meth:`add` after this)."""
        out = []
        for (vendor, category), (ids, parts) in self._groups.items():
            columns = zip(*parts, strict=True)
            sums = [min(c) if i % 3 == 2 else sum(c) for i, c in enumerate(columns)]
            n = len(ids)
            out.append((vendor, category, n, n, n, ",".join(map(str, ids)), *sums, None))
        self._groups.clear()
        self._sums = out

    def rows(self) -> list[tuple[Any, ...]]:
        """The sums as the first statement's rows: per group the count, the ids and the nine
        sums."""
        if self._sums is None:
            self.seal()
        assert self._sums is not None
        return self._sums


async def totals_or_cold(
    session: AsyncSession, visible: Subquery, as_of: date, what_if: bool, dims: Sequence[GroupBy]
) -> dict[GroupBy, Groups] | Cold:
    """:func:`group_totals`, or when it would be None, what the statement found (:class:`Cold`,
    its rows to be completed by :func:`totals_after_fill`)."""
    connection = await session.connection()
    dialect = connection.dialect.name
    # sliced: the digest's whole-purchase slice is stored, or it is blank and stands for one
    sliced = case((X.purchase_id.is_not(None), 1), (_blank(what_if), 1))
    missing = case((S.purchase_id.is_(None), visible.c.id))
    # A purchase without a valid digest (no S) adds nothing, not even an exponent: only a blank
    # digest stands for zeros (the CASE runs only where no slice was joined).
    blank_exp = case((S.purchase_id.is_not(None), 0))
    stmt = (
        _base(visible, as_of, what_if, True)
        .add_columns(
            S.vendor, S.category, func.count(), func.count(S.purchase_id),
            func.count(sliced), _ids(dialect, S.purchase_id), *_sums(blank_exp),
            _ids(dialect, missing),
        )
        .group_by(S.vendor, S.category)
    )  # fmt: skip
    rows = list(await connection.execute(stmt))
    count, cached, sliced = (sum(r[i] for r in rows) for i in (2, 3, 4))
    if not count == cached == sliced:  # a digest missing or invalid on as_of, or without slices
        missing_ids = sorted(int(i) for r in rows if r[15] for i in r[15].split(","))
        return Cold(missing_ids, [r for r in rows if r[3]])
    return await _totals(session, visible, what_if, dims, rows, count)


async def totals_after_fill(
    session: AsyncSession,
    visible: Subquery,
    what_if: bool,
    dims: Sequence[GroupBy],
    cold: Cold,
    fresh: FreshSums,
) -> dict[GroupBy, Groups] | None:
    """:func:`group_totals` once the missing digests are computed: the sums of the ``cold``
    statement's valid digests and of the ``fresh`` ones (``visible`` leaving out the unpriced);
    None when a digest has no slices. The fresh parts are added as SQL adds the stored ones
    (integers, the smallest exponent), so the answer is the one a second statement would give."""
    cached, sliced = (sum(r[i] for r in cold.rows) for i in (3, 4))
    if cached != sliced or fresh.unsliced:
        return None
    return await _totals(
        session, visible, what_if, dims, [*cold.rows, *fresh.rows()], cached + fresh.count
    )


async def _totals(
    session: AsyncSession,
    visible: Subquery,
    what_if: bool,
    dims: Sequence[GroupBy],
    rows: Sequence[Sequence[Any]],
    count: int,
) -> dict[GroupBy, Groups]:
    """The groupings from the first statement's rows, every visible digest valid and sliced
    (the grouping by article from a statement of its own)."""
    connection = await session.connection()
    dialect = connection.dialect.name
    whole = _Merged()
    for row in rows:
        whole.add("", row[5], row[6:15])
    total, worst = _range(whole.sums.get("", [None] * 9), join_total)
    out: dict[GroupBy, Groups] = {}
    for dim in dims:
        merged = _Merged()
        if dim is GroupBy.ARTICLE:
            # Every visible purchase has a valid, sliced digest (checked by the caller), and
            # slices are written and dropped with their digest: the articles need no second
            # validity join.
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
    return out


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
