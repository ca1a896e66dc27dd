"""A `vers:` range rewritten as conditions on the sortable version key (sbom.version_key).

The rewrite follows univers' own membership algorithm (``contains_version``, the vers spec)
step by step, so a stored version with a key is in the range exactly when univers says so; the
property tests check it against univers. A range whose bounds have no key (pre-releases,
qualifiers, an ecosystem without keys) is not rewritten: the caller checks it row by row.
Pure: the reads turn a ``KeyRange`` into SQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from univers.version_range import VersionRange

from sbom.version_key import version_key


@dataclass(frozen=True, slots=True)
class Interval:
    """Keys strictly/inclusively between two bounds; ``None`` is unbounded."""

    lower: bytes | None = None
    lower_inclusive: bool = False
    upper: bytes | None = None
    upper_inclusive: bool = False

    def contains(self, key: bytes) -> bool:
        if self.lower is not None and (
            key < self.lower or (key == self.lower and not self.lower_inclusive)
        ):
            return False
        if self.upper is None or key < self.upper:
            return True
        return key == self.upper and self.upper_inclusive


@dataclass(frozen=True, slots=True)
class KeyRange:
    """In the range: not excluded, and equal to one of ``equal`` or inside one interval."""

    excluded: tuple[bytes, ...] = ()
    equal: tuple[bytes, ...] = ()
    intervals: tuple[Interval, ...] = ()

    def contains(self, key: bytes) -> bool:
        if key in self.excluded:
            return False
        return key in self.equal or any(i.contains(key) for i in self.intervals)


_EVERYTHING = KeyRange(intervals=(Interval(),))


def _single(comparator: str, key: bytes) -> KeyRange:
    """One constraint alone (univers' VersionConstraint.__contains__)."""
    match comparator:
        case "=":
            return KeyRange(equal=(key,))
        case "!=":
            return KeyRange(excluded=(key,), intervals=(Interval(),))
        case "<" | "<=":
            return KeyRange(intervals=(Interval(upper=key, upper_inclusive=comparator == "<="),))
        case ">" | ">=":
            return KeyRange(intervals=(Interval(lower=key, lower_inclusive=comparator == ">="),))
    raise ValueError(f"unknown comparator {comparator!r}")


def key_range(purl_type: str, version_range: VersionRange) -> KeyRange | None:
    """The range as key conditions for components of ``purl_type``; None when it cannot be."""
    if version_range.scheme != purl_type:
        return None  # stored keys follow the purl type's scheme, the range another one
    constraints: list[tuple[str, bytes]] = []
    for constraint in version_range.constraints:
        if constraint.comparator == "*":
            if len(version_range.constraints) == 1:
                return _EVERYTHING
            return None
        key = version_key(purl_type, str(constraint.version.string))
        if key is None:
            return None
        constraints.append((constraint.comparator, key))
    if not constraints:
        return None
    if len(constraints) == 1:
        return _single(*constraints[0])
    excluded = tuple(k for c, k in constraints if c == "!=")
    equal = tuple(k for c, k in constraints if "=" in c and c != "!=")
    bounds = [(c, k) for c, k in constraints if c not in ("=", "!=")]
    if not bounds:
        return KeyRange(excluded=excluded, equal=equal)
    if len(bounds) == 1:
        return KeyRange(excluded=excluded, equal=equal, intervals=_single(*bounds[0]).intervals)
    intervals: list[Interval] = []
    if bounds[0][0] in ("<", "<="):
        intervals.append(Interval(upper=bounds[0][1]))
    for (current, low), (following, high) in pairwise(bounds):
        if current in (">", ">=") and following in ("<", "<="):
            intervals.append(Interval(lower=low, upper=high))
        elif not (current in ("<", "<=") and following in (">", ">=")):
            return None  # univers raises part-way for such a sequence: leave it to univers
    if bounds[-1][0] in (">", ">="):
        intervals.append(Interval(lower=bounds[-1][1]))
    return KeyRange(excluded=excluded, equal=equal, intervals=tuple(intervals))
