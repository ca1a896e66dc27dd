"""OSV advisories (https://ossf.github.io/osv-schema/) as plain records, and version matching.

Parsing reports every problem with its JSON path (``affected[0].ranges[1].events[0]``) instead of
stopping at the first. Matching follows the schema's evaluation algorithm: a version is affected if
it is listed in ``versions`` or falls in any SEMVER/ECOSYSTEM range; GIT ranges (commit hashes)
cannot be compared with package versions and are ignored.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal

import orjson
from packageurl import PackageURL
from univers.versions import SemverVersion, Version

from procurement.errors import ErrorCode, FieldError, InputError
from procurement.screening.ecosystems import (
    VERSION_CLASS_BY_PURL_TYPE,
    IdentityKey,
    ecosystem_for,
    identity_key,
    split_osv_name,
)
from procurement.screening.messages import moved, said
from procurement.screening.model import Severity
from procurement.screening.osv_reader import Reader
from procurement.texts import Text

EventKind = Literal["introduced", "fixed", "last_affected", "limit"]
_EVENT_KINDS: tuple[EventKind, ...] = ("introduced", "fixed", "last_affected", "limit")

# database_specific / ecosystem_specific severity words seen in GHSA, Ubuntu and others.
_SEVERITY_WORDS: Mapping[str, Severity] = {
    "CRITICAL": Severity.CRITICAL,
    "HIGH": Severity.HIGH,
    "IMPORTANT": Severity.HIGH,
    "MODERATE": Severity.MEDIUM,
    "MEDIUM": Severity.MEDIUM,
    "LOW": Severity.LOW,
    "NEGLIGIBLE": Severity.INFO,
}


class RangeType(StrEnum):
    SEMVER = "SEMVER"
    ECOSYSTEM = "ECOSYSTEM"
    GIT = "GIT"


@dataclass(frozen=True, slots=True)
class RangeEvent:
    kind: EventKind
    version: str


@dataclass(frozen=True, slots=True)
class AffectedRange:
    type: RangeType
    events: tuple[RangeEvent, ...]


@dataclass(frozen=True, slots=True)
class AffectedPackage:
    ecosystem: str
    name: str
    purl: str | None
    # Normalised purl identity; None when the ecosystem is unknown and no purl was given.
    identity: IdentityKey | None
    version_class: type[Version] | None
    ranges: tuple[AffectedRange, ...]
    versions: tuple[str, ...]
    severity: Severity | None


@dataclass(frozen=True, slots=True)
class SeverityScore:
    type: str  # CVSS_V2, CVSS_V3, CVSS_V4, Ubuntu
    score: str  # vector string or word; kept as data, not interpreted


@dataclass(frozen=True, slots=True)
class Advisory:
    id: str
    aliases: tuple[str, ...]
    summary: str | None
    details: str | None
    modified: str | None
    withdrawn: str | None
    # From database_specific.severity, else the highest per-package severity; None if unrated.
    severity: Severity | None
    severity_scores: tuple[SeverityScore, ...]
    affected: tuple[AffectedPackage, ...]

    @property
    def all_ids(self) -> frozenset[str]:
        return frozenset((self.id, *self.aliases))


def _severity_word(value: Any) -> Severity | None:
    return _SEVERITY_WORDS.get(value.upper()) if isinstance(value, str) else None


def _specific_severity(r: Reader, obj: Mapping[str, Any], path: str) -> Severity | None:
    for key in ("database_specific", "ecosystem_specific"):
        specific = r.obj(obj, key, f"{path}{key}", required=False)
        if specific and (sev := _severity_word(specific.get("severity"))):
            return sev
    return None


def _parse_range(r: Reader, raw: Any, path: str) -> AffectedRange | None:
    rng = r.as_obj(raw, path)
    if rng is None:
        return None
    rtype = r.string(rng, "type", f"{path}.type")
    if rtype is not None and rtype not in RangeType.__members__:
        r.error(f"{path}.type", Text("screening.osv.range_type", {"type": repr(rtype)}))
        rtype = None
    events: list[RangeEvent] = []
    raw_events = r.array(rng, "events", f"{path}.events")
    if raw_events is None and rng.get("events") is None:
        r.error(f"{path}.events", Text("input.required", {}), ErrorCode.REQUIRED)
    elif raw_events == []:
        r.error(f"{path}.events", Text("screening.osv.empty", {}))
    for i, raw_event in enumerate(raw_events or []):
        epath = f"{path}.events[{i}]"
        ev = r.as_obj(raw_event, epath)
        if ev is None:
            continue
        kinds = [k for k in _EVENT_KINDS if k in ev]
        if len(kinds) != 1 or len(ev) != 1:
            one_of = {"kinds": ", ".join(_EVENT_KINDS), "got": str(sorted(ev))}
            r.error(epath, Text("screening.osv.event", one_of))
            continue
        version = r.string(ev, kinds[0], f"{epath}.{kinds[0]}")
        if version is not None:
            events.append(RangeEvent(kinds[0], version))
    if rtype is None:
        return None
    return AffectedRange(RangeType(rtype), tuple(events))


def _parse_affected(r: Reader, raw: Any, path: str) -> AffectedPackage | None:
    aff = r.as_obj(raw, path)
    if aff is None:
        return None
    pkg = r.obj(aff, "package", f"{path}.package", required=False) or {}
    ecosystem = r.string(pkg, "ecosystem", f"{path}.package.ecosystem") if pkg else None
    name = r.string(pkg, "name", f"{path}.package.name") if pkg else None
    purl = r.string(pkg, "purl", f"{path}.package.purl", required=False)
    identity: IdentityKey | None = None
    version_class: type[Version] | None = None
    if purl is not None:
        try:
            p = PackageURL.from_string(purl)
            identity = identity_key(p.type, p.namespace, p.name)
            version_class = VERSION_CLASS_BY_PURL_TYPE.get(p.type)
        except ValueError as exc:
            r.error(f"{path}.package.purl", Text("screening.osv.purl", {"error": str(exc)}))
    eco = ecosystem_for(ecosystem) if ecosystem else None
    if eco is not None and name:
        ns, nm = split_osv_name(eco.purl_type, name)
        # The ecosystem's name is authoritative; a record's purl sometimes carries a version.
        identity = identity_key(eco.purl_type, eco.namespace or ns, nm)
        version_class = eco.version_class
    ranges = [
        _parse_range(r, raw_range, f"{path}.ranges[{i}]")
        for i, raw_range in enumerate(r.array(aff, "ranges", f"{path}.ranges") or [])
    ]
    versions = r.strings(aff, "versions", f"{path}.versions")
    return AffectedPackage(
        ecosystem=ecosystem or "",
        name=name or "",
        purl=purl,
        identity=identity,
        version_class=version_class,
        ranges=tuple(x for x in ranges if x is not None),
        versions=versions,
        severity=_specific_severity(r, aff, f"{path}."),
    )


def parse_osv(data: bytes | str | Mapping[str, Any]) -> Advisory:
    """Parse one OSV record; raise :class:`InputError` listing every problem with its path."""
    if isinstance(data, bytes | str):
        try:
            data = orjson.loads(data)
        except orjson.JSONDecodeError as exc:
            raise InputError(
                [said(None, Text("screening.error.json", {"error": str(exc)}))]
            ) from None
    if not isinstance(data, Mapping):
        not_object = Text("screening.error.osv_object", {"type": type(data).__name__})
        raise InputError([said(None, not_object)])
    r = Reader()
    top = data
    adv_id = r.string(top, "id", "id")
    affected = [
        _parse_affected(r, raw, f"affected[{i}]")
        for i, raw in enumerate(r.array(top, "affected", "affected") or [])
    ]
    scores = []
    for i, raw in enumerate(r.array(top, "severity", "severity") or []):
        s = r.as_obj(raw, f"severity[{i}]")
        if s is not None:
            stype, score = (r.string(s, k, f"severity[{i}].{k}") for k in ("type", "score"))
            if stype and score:
                scores.append(SeverityScore(stype, score))
    packages = tuple(a for a in affected if a is not None)
    severity = _specific_severity(r, top, "")
    if severity is None:
        rated = [p.severity for p in packages if p.severity is not None]
        severity = max(rated, key=lambda s: s.rank) if rated else None
    if severity is None:
        # Ubuntu-style records put a word in the top-level severity list.
        severity = next(
            (w for s in scores if s.type == "Ubuntu" and (w := _severity_word(s.score))), None
        )
    advisory = Advisory(
        id=adv_id or "",
        aliases=r.strings(top, "aliases", "aliases"),
        summary=r.string(top, "summary", "summary", required=False),
        details=r.string(top, "details", "details", required=False),
        modified=r.string(top, "modified", "modified", required=False),
        withdrawn=r.string(top, "withdrawn", "withdrawn", required=False),
        severity=severity,
        severity_scores=tuple(scores),
        affected=packages,
    )
    if r.errors:
        raise InputError(r.errors)
    return advisory


def parse_osv_many(data: bytes | str | Sequence[Any] | Mapping[str, Any]) -> tuple[Advisory, ...]:
    """Parse a JSON array of OSV records or an OSV API ``{"vulns": [...]}`` answer.

    Errors are prefixed with the record's index (``[3].affected[0].package.name``).
    """
    if isinstance(data, bytes | str):
        try:
            data = orjson.loads(data)
        except orjson.JSONDecodeError as exc:
            raise InputError(
                [said(None, Text("screening.error.json", {"error": str(exc)}))]
            ) from None
    if isinstance(data, Mapping):
        data = data.get("vulns", [])
    if not isinstance(data, Sequence) or isinstance(data, str):
        raise InputError([said(None, Text("screening.error.osv_list", {}))])
    out: list[Advisory] = []
    errors: list[FieldError] = []
    for i, raw in enumerate(data):
        try:
            out.append(parse_osv(raw))
        except InputError as exc:
            errors += [moved(e, f"[{i}].{e.field}" if e.field else f"[{i}]") for e in exc.errors]
    if errors:
        raise InputError(errors)
    return tuple(out)


def _parse_version(cls: type[Version], text: str) -> Version | None:
    try:
        return cls(text)
    except Exception:  # univers raises InvalidVersion, ValueError or TypeError by class
        return None


def _in_range(rng: AffectedRange, cls: type[Version] | None, version: str) -> bool:
    if rng.type is RangeType.GIT:
        return False
    if rng.type is RangeType.SEMVER:
        cls = SemverVersion  # SEMVER ranges are SemVer 2.0 whatever the ecosystem
    if cls is None or (v := _parse_version(cls, version)) is None:
        return False
    since_first: list[tuple[Version | None, RangeEvent]] = []
    bounded: list[tuple[Version, RangeEvent]] = []
    for ev in rng.events:
        if ev.kind == "introduced" and ev.version == "0":
            since_first.append((None, ev))  # "0" = since the first version, in every scheme
            continue
        parsed = _parse_version(cls, ev.version)
        if parsed is None:
            return False  # cannot order the events, so cannot claim a match
        bounded.append((parsed, ev))
    try:
        # The schema does not require events in order; evaluate them sorted, "0" first.
        bounded.sort(key=lambda pair: pair[0])
        keyed = [*since_first, *bounded]
        affected = False
        for bound, ev in keyed:
            if ev.kind == "introduced" and (bound is None or v >= bound):
                affected = True
            elif (ev.kind == "fixed" and bound is not None and v >= bound) or (
                ev.kind == "last_affected" and bound is not None and v > bound
            ):
                affected = False
        limits = [b for b, ev in bounded if ev.kind == "limit"]
        return affected and not any(v >= b for b in limits)
    except TypeError:
        # Some univers classes cannot compare every pair they parse (seen with NuGet versions
        # such as "0" against "v"): unordered events cannot support a match.
        return False


def affects(
    advisory: Advisory, purl_type: str, namespace: str | None, name: str, version: str
) -> bool:
    """Whether ``advisory`` applies to this package version. Withdrawn advisories never do.

    Exact ``versions`` entries always count. A range counts only if the version and every event
    parse in the ecosystem's univers class (SEMVER ranges: SemVer); otherwise the range is not
    evaluated, so an unparsable version falls back to the exact list.
    """
    if advisory.withdrawn:
        return False
    key = identity_key(purl_type, namespace, name)
    bare = version[1:] if purl_type == "golang" and version.startswith("v") else version
    for pkg in advisory.affected:
        if pkg.identity != key:
            continue
        if version in pkg.versions or bare in pkg.versions:
            return True
        if any(_in_range(rng, pkg.version_class, version) for rng in pkg.ranges):
            return True
    return False
