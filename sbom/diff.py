"""Difference between two component lists: added, removed and version-changed components.

Works on anything with the few key fields of :class:`Diffable` (parsed
:class:`~sbom.models.Component` records, stored database rows, or :class:`ComponentKey`), so
the service can diff a new upload against the stored previous version without re-parsing it.

Matching: by package URL without version (type, namespace, name) when there is a valid purl,
otherwise by (type, group, name). A component with a purl in one list and none in the other is
therefore reported as removed + added. When several components share a key (two versions of one
npm package), equal versions pair first, then the rest pair in version-string order; what is left
is added or removed. The result is sorted, so it does not depend on the input order.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar


class Diffable(Protocol):
    @property
    def type(self) -> str | None: ...
    @property
    def group(self) -> str | None: ...
    @property
    def name(self) -> str | None: ...
    @property
    def version(self) -> str | None: ...
    @property
    def purl_type(self) -> str | None: ...
    @property
    def purl_namespace(self) -> str | None: ...
    @property
    def purl_name(self) -> str | None: ...


@dataclass(frozen=True, slots=True)
class ComponentKey:
    """The key fields alone, e.g. built from a stored row."""

    name: str | None
    version: str | None = None
    group: str | None = None
    type: str | None = None
    purl_type: str | None = None
    purl_namespace: str | None = None
    purl_name: str | None = None

    @classmethod
    def of(cls, component: Diffable) -> ComponentKey:
        return cls(
            name=component.name,
            version=component.version,
            group=component.group,
            type=component.type,
            purl_type=component.purl_type,
            purl_namespace=component.purl_namespace,
            purl_name=component.purl_name,
        )


T = TypeVar("T", bound=Diffable)


@dataclass(frozen=True, slots=True)
class VersionChange(Generic[T]):
    old: T
    new: T


@dataclass(frozen=True, slots=True)
class ComponentDiff(Generic[T]):
    added: tuple[T, ...]
    removed: tuple[T, ...]
    version_changed: tuple[VersionChange[T], ...]
    unchanged: int

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.version_changed)


def match_key(component: Diffable) -> tuple[str, str, str, str]:
    """What identifies "the same component" across two versions of an SBOM."""
    if component.purl_name:
        return (
            "purl",
            component.purl_type or "",
            component.purl_namespace or "",
            component.purl_name,
        )
    return ("coordinates", component.type or "", component.group or "", component.name or "")


def diff_components(old: Iterable[T], new: Iterable[T]) -> ComponentDiff[T]:
    old_by_key = _group(old)
    new_by_key = _group(new)
    added: list[T] = []
    removed: list[T] = []
    changed: list[VersionChange[T]] = []
    unchanged = 0
    for key in sorted(old_by_key.keys() | new_by_key.keys()):
        left = _by_version(old_by_key.get(key, []))
        right = sorted(new_by_key.get(key, []), key=_version_of)
        unmatched_right: list[T] = []
        for item in right:
            twins = left.get(item.version or "")
            if twins:
                twins.pop()
                unchanged += 1
            else:
                unmatched_right.append(item)
        unmatched_left = [item for items in left.values() for item in items]
        unmatched_left.sort(key=_version_of)
        unmatched_right.sort(key=_version_of)
        pairs = min(len(unmatched_left), len(unmatched_right))
        changed.extend(VersionChange(unmatched_left[i], unmatched_right[i]) for i in range(pairs))
        removed.extend(unmatched_left[pairs:])
        added.extend(unmatched_right[pairs:])
    return ComponentDiff(
        added=tuple(added),
        removed=tuple(removed),
        version_changed=tuple(changed),
        unchanged=unchanged,
    )


def _group(items: Iterable[T]) -> dict[tuple[str, str, str, str], list[T]]:
    grouped: dict[tuple[str, str, str, str], list[T]] = defaultdict(list)
    for item in items:
        grouped[match_key(item)].append(item)
    return grouped


def _by_version(items: list[T]) -> dict[str, list[T]]:
    grouped: dict[str, list[T]] = defaultdict(list)
    for item in sorted(items, key=_version_of):
        grouped[item.version or ""].append(item)
    return grouped


def _version_of(item: Diffable) -> str:
    return item.version or ""
