"""The sortable version key orders versions as univers does, and ranges rewritten on it agree
with univers' membership (the row-by-row check that componentUsages used before)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from univers.version_range import RANGE_CLASS_BY_SCHEMES, VersionRange

from procurement.sboms.version_ranges import key_range
from sbom.version_key import KEYED_TYPES, version_key

SCHEMES = sorted(KEYED_TYPES)

numbers = st.one_of(st.integers(0, 12), st.integers(0, 999_999_999))
releases = st.lists(numbers, min_size=1, max_size=9).map(lambda parts: ".".join(map(str, parts)))
anything = st.one_of(
    releases,
    releases.map(lambda v: "v" + v),
    st.text(alphabet="0123456789.-+abcrv", min_size=1, max_size=12),
)


def _cmp(a: Any, b: Any) -> int:
    return int(a > b) - int(a < b)


@settings(max_examples=300)
@given(scheme=st.sampled_from(SCHEMES), a=anything, b=anything)
def test_key_order_is_univers_order(scheme: str, a: str, b: str) -> None:
    # given two version strings that both get a key
    key_a, key_b = version_key(scheme, a), version_key(scheme, b)
    if key_a is None or key_b is None:
        return
    version_class = RANGE_CLASS_BY_SCHEMES[scheme].version_class
    assert version_class is not None
    # then univers reads both and orders them as the keys do
    assert _cmp(key_a, key_b) == _cmp(version_class(a), version_class(b))


@pytest.mark.parametrize(
    ("scheme", "version", "key"),
    [
        ("npm", "1.2.3", b"11.12.13"),
        ("npm", "1.0.0", b"11"),
        ("maven", "2.17.1", b"12.217.11"),
        ("maven", "2.17.1.0.0", b"12.217.11"),
        ("pypi", "0.0", b"10"),
        ("golang", "v1.10.0", b"11.210"),
        ("nuget", "1.2.3.4", b"11.12.13.14"),
        ("npm", "1.2.3.4", None),  # univers reads a fourth semver part as build metadata
        ("npm", "1.0.0-rc.1", None),  # pre-releases are left to univers
        ("maven", "31.1-jre", None),
        ("pypi", "1.0.post1", None),
        ("pypi", "01.2", None),  # leading zeros: univers may normalise, the key does not try
        ("deb", "1.2.3", None),  # no key for a scheme this module does not order
        ("npm", None, None),
        (None, "1.2.3", None),
    ],
)
def test_version_key_examples(scheme: str | None, version: str | None, key: bytes | None) -> None:
    assert version_key(scheme, version) == key


def _in_range(version: str, version_range: VersionRange) -> bool:
    """The row-by-row check componentUsages does without keys (procurement.sboms.reads)."""
    version_class = version_range.version_class
    assert version_class is not None
    try:
        return bool(version_class(version) in version_range)
    except Exception:
        return False


comparators = st.sampled_from(["<", "<=", ">", ">=", "=", "!="])
small_releases = st.lists(st.integers(0, 4), min_size=1, max_size=4).map(
    lambda parts: ".".join(map(str, parts))
)


@settings(max_examples=300)
@given(
    scheme=st.sampled_from(SCHEMES),
    constraints=st.lists(st.tuples(comparators, small_releases), min_size=1, max_size=4),
    versions=st.lists(small_releases, min_size=1, max_size=8),
)
def test_key_range_agrees_with_univers(
    scheme: str, constraints: list[tuple[str, str]], versions: list[str]
) -> None:
    # given a vers range univers accepts
    text = f"vers:{scheme}/" + "|".join(f"{c}{v}" for c, v in constraints)
    try:
        version_range = VersionRange.from_string(text)  # type: ignore[no-untyped-call]
    except Exception:
        return
    # when it is rewritten on keys
    rewritten = key_range(scheme, version_range)
    if rewritten is None:
        return
    # then every keyed version is in it exactly when univers says so
    for version in versions:
        key = version_key(scheme, version)
        if key is not None:
            assert rewritten.contains(key) == _in_range(version, version_range), (text, version)


def test_star_range_is_everything_and_other_scheme_is_not_rewritten() -> None:
    everything = key_range("npm", VersionRange.from_string("vers:npm/*"))  # type: ignore[no-untyped-call]
    assert everything is not None and everything.contains(b"11")
    maven = VersionRange.from_string("vers:maven/>=1.0")  # type: ignore[no-untyped-call]
    assert key_range("npm", maven) is None


def test_range_with_prerelease_bound_is_not_rewritten() -> None:
    version_range = VersionRange.from_string("vers:npm/>=1.0.0|<2.0.0-rc.1")  # type: ignore[no-untyped-call]
    assert key_range("npm", version_range) is None


def test_log4shell_range() -> None:
    # given the Log4Shell range
    version_range = VersionRange.from_string("vers:maven/>=2.0.0|<2.17.1")  # type: ignore[no-untyped-call]
    rewritten = key_range("maven", version_range)
    assert rewritten is not None
    # then 2.14.1 is in it, 2.17.1 and 1.2.17 are not
    contained = {
        v: rewritten.contains(version_key("maven", v) or b"")
        for v in ("2.14.1", "2.17.1", "1.2.17", "2.0")
    }
    assert contained == {"2.14.1": True, "2.17.1": False, "1.2.17": False, "2.0": True}
