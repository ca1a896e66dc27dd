"""OSV ecosystems mapped to package-URL types and univers version classes.

A package's identity for matching is ``(type, namespace, name)`` as the purl spec normalises it, so
an OSV ``Maven`` package ``org.apache.logging.log4j:log4j-core`` and an SBOM component
``pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1`` meet on the same key.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from packageurl import normalize
from univers.versions import (
    AlpineLinuxVersion,
    ComposerVersion,
    ConanVersion,
    DebianVersion,
    GolangVersion,
    MavenVersion,
    NugetVersion,
    PypiVersion,
    RpmVersion,
    RubygemsVersion,
    SemverVersion,
    Version,
)

IdentityKey = tuple[str, str, str]


@dataclass(frozen=True, slots=True)
class Ecosystem:
    purl_type: str
    # Distribution ecosystems put the distro in the purl namespace (pkg:deb/debian/openssl).
    namespace: str | None
    # None: no reliable ordering known, so only the advisory's exact ``versions`` list is used.
    version_class: type[Version] | None


# Keys are the OSV ecosystem names without the ":release" suffix ("Debian:12" -> "Debian").
ECOSYSTEMS: Mapping[str, Ecosystem] = {
    "npm": Ecosystem("npm", None, SemverVersion),
    "PyPI": Ecosystem("pypi", None, PypiVersion),
    "Maven": Ecosystem("maven", None, MavenVersion),
    "Go": Ecosystem("golang", None, GolangVersion),
    "crates.io": Ecosystem("cargo", None, SemverVersion),
    "NuGet": Ecosystem("nuget", None, NugetVersion),
    "RubyGems": Ecosystem("gem", None, RubygemsVersion),
    "Packagist": Ecosystem("composer", None, ComposerVersion),
    "Hex": Ecosystem("hex", None, SemverVersion),
    "Pub": Ecosystem("pub", None, SemverVersion),
    "ConanCenter": Ecosystem("conan", None, ConanVersion),
    "Hackage": Ecosystem("hackage", None, None),
    "CRAN": Ecosystem("cran", None, None),
    "Debian": Ecosystem("deb", "debian", DebianVersion),
    "Ubuntu": Ecosystem("deb", "ubuntu", DebianVersion),
    "Alpine": Ecosystem("apk", "alpine", AlpineLinuxVersion),
    "Wolfi": Ecosystem("apk", "wolfi", AlpineLinuxVersion),
    "Chainguard": Ecosystem("apk", "chainguard", AlpineLinuxVersion),
    "Red Hat": Ecosystem("rpm", "redhat", RpmVersion),
    "Rocky Linux": Ecosystem("rpm", "rocky-linux", RpmVersion),
    "AlmaLinux": Ecosystem("rpm", "almalinux", RpmVersion),
    "openSUSE": Ecosystem("rpm", "opensuse", RpmVersion),
    "SUSE": Ecosystem("rpm", "suse", RpmVersion),
}

# purl type -> version class, for advisories that carry a purl but an unmapped ecosystem.
VERSION_CLASS_BY_PURL_TYPE: Mapping[str, type[Version]] = {
    e.purl_type: e.version_class for e in ECOSYSTEMS.values() if e.version_class is not None
}


def ecosystem_for(osv_ecosystem: str) -> Ecosystem | None:
    return ECOSYSTEMS.get(osv_ecosystem.split(":", 1)[0])


def split_osv_name(purl_type: str, name: str) -> tuple[str | None, str]:
    """OSV package name -> purl (namespace, name)."""
    if purl_type == "maven" and ":" in name:
        group, artifact = name.split(":", 1)
        return group, artifact
    if purl_type in ("npm", "composer", "golang") and "/" in name:
        # npm "@scope/pkg", composer "vendor/pkg", Go "github.com/org/repo": the last segment is
        # the purl name, everything before it the namespace.
        namespace, _, last = name.rpartition("/")
        return namespace, last
    return None, name


_IDENTITY_CACHE_SIZE = 1 << 12


@functools.lru_cache(maxsize=_IDENTITY_CACHE_SIZE)
def identity_key(purl_type: str, namespace: str | None, name: str) -> IdentityKey:
    """Normalised ``(type, namespace, name)``; ``""`` for no namespace.

    Cached (small, so a server does not keep 100,000 identities): rescreening the same
    purchases asks again for the same components. packageurl's normalisation is slow (about 30
    us; a rescreen after a 10,000-component upload asks it for every component), so plain parts
    take a fast path that gives the same key (see :func:`_plain_parts`; a unit test compares)."""
    plain = _plain_parts(purl_type, namespace, name)
    if plain is not None:
        ptype, ns, nm = plain
    else:
        ptype, ns, nm = _normalised_parts(purl_type, namespace, name)
    if ptype == "pypi":
        nm = re.sub(r"[-_.]+", "-", nm)  # PEP 503; packageurl only maps "_"
    if ptype == "npm":
        ns = ns.lower()  # npm scopes are lowercase; packageurl leaves them as given
    return ptype, ns, nm


def identity_keys(parts: Collection[tuple[str, str | None, str]]) -> frozenset[IdentityKey]:
    """:func:`identity_key` of each (type, namespace, name).

    More of them than its cache holds (one large SBOM's components) are computed without the
    cache: asked in the same order at each rescreen, every one would be evicted before it was
    asked again, so the cache would only add its own cost (a third of the time at 10,000)."""
    key = identity_key if len(parts) <= _IDENTITY_CACHE_SIZE else identity_key.__wrapped__
    return frozenset([key(*p) for p in parts])


def _normalised_parts(purl_type: str, namespace: str | None, name: str) -> tuple[str, str, str]:
    """packageurl's normalisation of the three parts (the reference)."""
    ptype, ns, nm, *_ = normalize(purl_type, namespace, name, None, None, None, encode=False)
    return ptype or "", ns or "", nm or ""


# packageurl's name and namespace rules are maps of single characters (lower or upper case,
# "_" to "-", anything but [a-z0-9] to "_"), applied after percent-decoding and stripping
# whitespace and "/" at the ends. For a part made only of these characters (no "%", no space, no
# empty segment) the rule is therefore the same per-character map, read off once per type.
_PLAIN = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-~+:@")
_PLAIN_NAME = re.compile(r"[A-Za-z0-9._\-~+:@]+")
_PLAIN_NAMESPACE = re.compile(r"[A-Za-z0-9._\-~+:@]+(?:/[A-Za-z0-9._\-~+:@]+)*")


@functools.lru_cache(maxsize=256)
def _type_tables(purl_type: str) -> tuple[str, dict[int, str], dict[int, str]] | None:
    """(normalised type, namespace map, name map) for a type, or None for one with a rule the
    maps cannot express (e.g. a character the rule drops)."""
    ptype = _normalised_parts(purl_type, None, "x")[0]
    if not ptype:
        return None
    ns_map: dict[int, str] = {ord("/"): "/"}
    name_map: dict[int, str] = {}
    for char in _PLAIN:
        _, ns, nm = _normalised_parts(purl_type, char, char)
        if len(ns) != 1 or len(nm) != 1:
            return None
        ns_map[ord(char)], name_map[ord(char)] = ns, nm
    return ptype, ns_map, name_map


def _plain_parts(purl_type: str, namespace: str | None, name: str) -> tuple[str, str, str] | None:
    if _PLAIN_NAME.fullmatch(name) is None:
        return None
    tables = _type_tables(purl_type)
    if tables is None:
        return None
    ptype, ns_map, name_map = tables
    if not namespace:
        return ptype, "", name.translate(name_map)
    if _PLAIN_NAMESPACE.fullmatch(namespace) is None:
        return None  # an empty segment or another character: packageurl decides
    return ptype, namespace.translate(ns_map), name.translate(name_map)
