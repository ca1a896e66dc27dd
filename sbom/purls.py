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
# (pkg:maven/org.example/lib@1.2.3?type=jar, pkg:npm/%40scope/name@1.0.0), or differ from it only
# by a raw "@" before an npm scope or a raw "+" in the version. For those the canonical string is
# put together from the matched parts, so recognising them with one regex plus the library's own
# per-part normalisers (to apply its type-specific case rules) is about 20x cheaper than parse +
# print. Anything else goes to the library. A property test checks that both paths agree.
_UNRESERVED = r"[A-Za-z0-9._~-]"
_QUALIFIER = r"[a-z][a-z0-9._-]*+=[A-Za-z0-9._~/:-]++"
# Possessive quantifiers: every part ends at a character its class excludes, so giving characters
# back can never make a match; not trying is a third of the time.
_SIMPLE_PURL = re.compile(
    r"pkg:([a-z][a-z0-9.-]*+)/"
    # namespace: an npm scope with a raw "@" (as many tools write it), or plain segments
    rf"(?:@({_UNRESERVED}++)/|((?:(?:%40)?{_UNRESERVED}++/)*+))"
    rf"({_UNRESERVED}++)"  # name
    r"(?:@((?:[A-Za-z0-9._~:+-]|%2B)++))?"  # version
    rf"(?:\?({_QUALIFIER}(?:&{_QUALIFIER})*+))?"
)


# PurlParts' fields but the subpath, which the fast path never has: (canonical, identity, type,
# name, namespace, version, qualifiers).
SimpleFields = tuple[str, str, str, str, str | None, str | None, tuple[tuple[str, str], ...]]


def _parse_simple(raw: str) -> PurlParts | None:
    fields = parse_simple_purl(raw)
    return None if fields is None else PurlParts(*fields)


def parse_simple_purl(raw: str) -> SimpleFields | None:
    """The fast path alone: the fields of :func:`parse_purl`'s answer as a plain tuple, or None
    when it declines (then only :func:`parse_purl_with_library` can tell). For a reader that
    wants a few fields of many purls: making the frozen record is a fifth of the fast path's
    time."""
    match = _SIMPLE_PURL.fullmatch(raw)
    if match is None:
        return None
    type_, scope, namespace_raw, name, version_raw, qualifiers = match.groups()
    rules = _rules(type_)
    if rules is None:
        return None
    name_rule, version_rule = rules
    if scope is not None:
        # The library reads a leading raw "@" as a scope only for npm (and prints it encoded).
        if type_ != "npm":
            return None
        namespace: str | None = "@" + scope
        namespace_raw = "%40" + scope
    elif namespace_raw:
        namespace_raw = namespace_raw[:-1]
        namespace = namespace_raw.replace("%40", "@")
    else:
        namespace = None
    if namespace is not None and not _namespace_is_canonical(type_, namespace, namespace_raw):
        return None
    if name_rule != _KEEP and not _part_is_canonical(
        name_rule, name, type_, normalize_name_for_type
    ):
        return None
    if version_raw is None:
        version = None
        identity = f"pkg:{type_}/{namespace_raw}/{name}" if namespace else f"pkg:{type_}/{name}"
    else:
        version = version_raw.replace("%2B", "+") if "%" in version_raw else version_raw
        if version_rule != _KEEP and (
            # a rule that changes case would change the "%2B" it prints for a "+" too
            "+" in version
            or not _part_is_canonical(version_rule, version, type_, normalize_version_for_type)
        ):
            return None
        if "+" in version_raw:
            version_raw = version_raw.replace("+", "%2B")
        identity = (
            f"pkg:{type_}/{namespace_raw}/{name}@{version_raw}"
            if namespace
            else f"pkg:{type_}/{name}@{version_raw}"
        )
    if qualifiers is None:
        return identity, identity, type_, name, namespace, version, ()
    pairs = _qualifier_pairs(qualifiers)
    if pairs is None:
        return None
    return f"{identity}?{qualifiers}", identity, type_, name, namespace, version, pairs


# The library's per-type rules for names and versions, probed once per type with a string holding
# every character the fast path admits: "keep" (most types), "lower" (npm...), "lower, no _"
# (pypi names), or anything else, which is asked of the library for each value.
_PROBE = "Az.09_~-+:"
_KEEP, _LOWER, _LOWER_DASH, _ASK = "keep", "lower", "lower-dash", "ask"


def normalize_name_for_type(value: str, type_: str) -> str | None:
    return normalize_name(value, None, type_, encode=None)


def normalize_version_for_type(value: str, type_: str) -> str | None:
    return normalize_version(value, type_, encode=None)


@lru_cache(maxsize=256)
def _rules(type_: str) -> tuple[str, str] | None:
    """(name rule, version rule) of a type, or None to leave its purls to the library: it
    normalises mlflow names from the qualifiers (and tests the type with a substring check)."""
    if type_ in "mlflow":
        return None
    return (
        _classify(normalize_name_for_type(_PROBE, type_)),
        _classify(normalize_version_for_type(_PROBE, type_)),
    )


def _classify(probed: str | None) -> str:
    if probed == _PROBE:
        return _KEEP
    if probed == _PROBE.lower():
        return _LOWER
    if probed == _PROBE.lower().replace("_", "-"):
        return _LOWER_DASH
    return _ASK


def _part_is_canonical(
    rule: str, value: str, type_: str, normalise: Callable[[str, str], str | None]
) -> bool:
    if rule == _KEEP:
        return True
    if rule == _LOWER:
        return value == value.lower()
    if rule == _LOWER_DASH:
        return "_" not in value and value == value.lower()
    return normalise(value, type_) == value


@lru_cache(maxsize=4096)
def _namespace_is_canonical(type_: str, namespace: str, namespace_raw: str) -> bool:
    return normalize_namespace(namespace, type_, encode=True) == namespace_raw


@lru_cache(maxsize=1024)
def _qualifier_pairs(qualifiers: str) -> tuple[tuple[str, str], ...] | None:
    """The (key, value) pairs of a canonical qualifier string; None if it is not canonical."""
    try:
        if normalize_qualifiers(qualifiers, encode=True) != qualifiers:
            return None
    except ValueError:
        return None
    return tuple(
        (key, value) for key, _, value in (q.partition("=") for q in qualifiers.split("&"))
    )
