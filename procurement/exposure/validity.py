"""For which days a purchase's computed figures hold, and which schedules they consulted: what
lets the exposure cache (procurement.exposure.cache) keep a digest across days and drop only the
digests a change touches.

Days. The figures depend on the day asked (``as_of``) only through comparisons of that day with
fixed dates: the purchase's own dates (contract, in use, agreement signed, review case dates,
investigation, the operator's identification periods), the schedules' ``effective_from`` and
``effective_to``, and the last day of each limitation period (Administrative Penalty Law Art.
36: two or five years after an act's end, which is one of the purchase's own dates). A
comparison ``day <= x`` (or ``<``, ``>``, ``>=``) can only change its answer between ``x - 1``
and ``x`` or between ``x`` and ``x + 1``; so between two consecutive such points the figures are
constant, and a digest computed on any day of that span is the digest of every day of it.

Schedules. A purchase consults the schedules of the act kinds it may have committed, judged from
its facts on the day (an act kind not committed consults none); the what-if variant commits a
subset of them. A changed schedule record only touches purchases consulting its act kind, and
only those kinds' schedule dates bound a span (the facts, hence the kinds, are the same on every
day of it: they change only on the purchase's own dates).

Pure: plain values in and out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from procurement.exposure.facts import PurchaseExposureFacts
from procurement.exposure.limitation import add_years
from procurement.exposure.schedules import ActKind, PenaltySchedule

# One bit per act kind, stored with the digest (exposure_snapshots.act_kinds).
KIND_BITS = {kind: 1 << i for i, kind in enumerate(ActKind)}
ALL_KINDS = sum(KIND_BITS.values())
# The bits act_kinds sets, looked up once (an enum member hashes in Python, per purchase).
_AGREEMENT = KIND_BITS[ActKind.NO_CONFIDENTIALITY_AGREEMENT]
_PURCHASE = KIND_BITS[ActKind.PURCHASE_WITHOUT_REVIEW]
_USE = KIND_BITS[ActKind.USE_WITHOUT_REVIEW]
_DAY = timedelta(days=1)
_LIMITATION_YEARS = (2, 5)


def schedule_dates(
    schedules: Iterable[PenaltySchedule], kinds: int | None = None
) -> frozenset[date]:
    """Every day a schedule comes into or goes out of force; with ``kinds`` (a bit set), a
    schedule of those act kinds only: a purchase's figures consult no other (:func:`act_kinds`),
    so another kind's new law does not end its span (a compliant purchase keeps its digest)."""
    found: set[date] = set()
    for s in schedules:
        if kinds is not None and not KIND_BITS[s.act_kind] & kinds:
            continue
        found.add(s.effective_from)
        if s.effective_to is not None:
            found.add(s.effective_to)
    return frozenset(found)


def validity(
    own_dates: Iterable[date | None], schedule_days: frozenset[date], as_of: date
) -> tuple[date, date | None]:
    """``(first, until)``: the figures computed on ``as_of`` hold on every day from ``first`` up
    to ``until`` exclusive (None: on every later day too). ``own_dates``: the purchase's dates,
    whether before or after ``as_of`` (None entries are ignored)."""
    points: set[date] = set(schedule_days)
    for day in own_dates:
        if day is None:
            continue
        points.add(day)
        for years in _LIMITATION_YEARS:
            points.add(add_years(day, years))
    first, until = date.min, None
    for point in points:
        for edge in (point, point + _DAY if point < date.max else point):
            if edge <= as_of:
                first = max(first, edge)
            elif until is None or edge < until:
                until = edge
    return first, until


def act_kinds(facts: PurchaseExposureFacts) -> int:
    """The act kinds (a bit set over KIND_BITS) whose schedules the calculator may consult for
    these facts, a superset of what it does consult; the what-if variant consults fewer."""
    kinds = 0
    if not facts.agreement_signed:
        kinds |= _AGREEMENT
    if not facts.review_passed:
        if facts.may_affect_national_security:
            kinds |= _PURCHASE
        if facts.in_use_date is not None and (
            facts.may_affect_national_security or facts.review_failed
        ):
            kinds |= _USE
    return kinds


def changed_kinds(old: Sequence[PenaltySchedule], new: Sequence[PenaltySchedule]) -> int:
    """The act kinds (bit set) of every schedule record added, removed or changed between two
    versions of the schedule set."""
    before, after = set(old), set(new)
    return _bits(s.act_kind for s in before ^ after)


def _bits(kinds: Iterable[ActKind]) -> int:
    out = 0
    for kind in kinds:
        out |= KIND_BITS[kind]
    return out
