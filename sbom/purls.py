"""Package URL parsing and normalisation (packageurl-python), cached per distinct string.

The identity used for matching is type/namespace/name@version: qualifiers (``?arch=...``) and
subpath (``#...``) describe a particular artefact of the same package, so they are kept as data
but left out of the key.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from packageurl import (
    PackageURL,
    normalize_name,
    normalize_namespace,
    normalize_qualifiers,
    normalize_version,
)


@dataclass(frozen=True, slots=True)
class PurlParts:
    """A parsed purl. ``canonical`` is packageurl-python's normalised string; the parts are the
    decoded (not percent-encoded) values; ``qualifiers`` are sorted (key, value) pairs."""

    canonical: str
    identity: str
    type: str
    name: str
    namespace: str | None = None
    version: str | None = None
    qualifiers: tuple[tuple[str, str], ...] = ()
    subpath: str | None = None


def parse_purl(raw: str) -> PurlParts | str:
    """Parse ``raw``; return the parts, or the reason it is not a valid purl (never raises).

    Not cached here: callers reading a document keep a per-document cache
    (:class:`sbom.issuelog.IssueLog`), which is cheaper than a global LRU and cannot grow
    across documents.
    """
    return _parse_simple(raw) or parse_purl_with_library(raw)


def parse_purl_with_library(raw: str) -> PurlParts | str:
    """The reference path: packageurl-python parses, normalises and prints the purl."""
    try:
        purl = PackageURL.from_string(raw)
        canonical = purl.to_string()
    except (ValueError, TypeError, UnicodeError) as exc:
        return str(exc) or type(exc).__name__
    qualifiers = purl.qualifiers
    return PurlParts(
        canonical=canonical,
        identity=_identity(canonical),
        type=purl.type,
        namespace=purl.namespace or None,
        name=purl.name,
        version=purl.version or None,
        qualifiers=tuple(qualifiers.items()) if isinstance(qualifiers, dict) else (),
        subpath=purl.subpath or None,
    )


def _identity(canonical: str) -> str:
    # In the canonical form '?' and '#' inside namespace/name/version are percent-encoded, so
    # the first raw one starts the qualifiers or the subpath. Cutting there equals
    # PackageURL(type, namespace, name, version).to_string() at a fraction of the cost
    # (checked by a property test).
    cut = len(canonical)
    for separator in "?#":
        found = canonical.find(separator, 0, cut)
        if found >= 0:
            cut = found
    return canonical[:cut]


# Fast path. Most purls in real SBOMs are already canonical and use only unreserved characters
# (pkg:maven/org.example/lib@1.2.3?type=jar, pkg:npm/%40scope/name@1.0.0). For those the
# canonical string is the input itself, so recognising them with one regex plus the library's
# own per-part normalisers (to apply its type-specific case rules) is about 10x cheaper than
# parse + print. Anything else goes to the library. A property test checks that both paths agree.
_UNRESERVED = r"[A-Za-z0-9._~-]"
_QUALIFIER = r"[a-z][a-z0-9._-]*=[A-Za-z0-9._~/:-]+"
_SIMPLE_PURL = re.compile(
    r"pkg:(?P<type>[a-z][a-z0-9.-]*)/"
    rf"(?P<namespace>(?:(?:%40)?{_UNRESERVED}+/)*)"
    rf"(?P<name>{_UNRESERVED}+)"
    rf"(?:@(?P<version>(?:{_UNRESERVED}|:|\+|%2B)+))?"
    rf"(?:\?(?P<qualifiers>{_QUALIFIER}(?:&{_QUALIFIER})*))?"
)


def _parse_simple(raw: str) -> PurlParts | None:
    match = _SIMPLE_PURL.fullmatch(raw)
    if match is None:
        return None
    type_, namespace_raw, name, version_raw, qualifiers = match.group(
        "type", "namespace", "name", "version", "qualifiers"
    )
    # The library normalises mlflow names from the qualifiers (and tests the type with a
    # substring check), so leave every type it might treat that way to the library.
    if type_ in "mlflow":
        return None
    namespace_raw = namespace_raw[:-1]
    namespace = namespace_raw.replace("%40", "@") or None
    if namespace is not None and not _namespace_is_canonical(type_, namespace, namespace_raw):
        return None
    if not _part_is_canonical(_name_rule(type_), name, type_, normalize_name_for_type):
        return None
    version = version_raw.replace("%2B", "+") if version_raw else None
    if version is not None and not _part_is_canonical(
        _version_rule(type_), version, type_, normalize_version_for_type
    ):
        return None
    if qualifiers is not None and not _qualifiers_are_canonical(qualifiers):
        return None
    identity = f"pkg:{type_}/{namespace_raw}/{name}" if namespace else f"pkg:{type_}/{name}"
    if version is not None:
        identity = f"{identity}@{version.replace('+', '%2B')}"
    return PurlParts(
        canonical=f"{identity}?{qualifiers}" if qualifiers else identity,
        identity=identity,
        type=type_,
        namespace=namespace,
        name=name,
        version=version,
        qualifiers=(tuple(_pair(item) for item in qualifiers.split("&")) if qualifiers else ()),
    )


# The library's per-type rules for names and versions, probed once per type with a string holding
# every character the fast path admits: "keep" (most types), "lower" (npm, pypi names w/o "_"...),
# or anything else, which is asked of the library for each value.
_PROBE = "Az.09_~-+:"


def normalize_name_for_type(value: str, type_: str) -> str | None:
    return normalize_name(value, None, type_, encode=None)


def normalize_version_for_type(value: str, type_: str) -> str | None:
    return normalize_version(value, type_, encode=None)


@lru_cache(maxsize=256)
def _name_rule(type_: str) -> str:
    return _classify(normalize_name_for_type(_PROBE, type_))


@lru_cache(maxsize=256)
def _version_rule(type_: str) -> str:
    return _classify(normalize_version_for_type(_PROBE, type_))


def _classify(probed: str | None) -> str:
    if probed == _PROBE:
        return "keep"
    if probed == _PROBE.lower():
        return "lower"
    return "ask"


def _part_is_canonical(
    rule: str, value: str, type_: str, normalise: Callable[[str, str], str | None]
) -> bool:
    if rule == "keep":
        return True
    if rule == "lower":
        return value == value.lower()
    return normalise(value, type_) == value


def _pair(item: str) -> tuple[str, str]:
    key, _, value = item.partition("=")
    return key, value


@lru_cache(maxsize=4096)
def _namespace_is_canonical(type_: str, namespace: str, namespace_raw: str) -> bool:
    return normalize_namespace(namespace, type_, encode=True) == namespace_raw


@lru_cache(maxsize=1024)
def _qualifiers_are_canonical(qualifiers: str) -> bool:
    try:
        return normalize_qualifiers(qualifiers, encode=True) == qualifiers
    except ValueError:
        return False
