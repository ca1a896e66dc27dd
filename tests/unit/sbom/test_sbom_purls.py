"""Package URL normalisation: canonical form, identity key, and the fast path's faithfulness."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from packageurl import PackageURL

from sbom.purls import PurlParts, _parse_simple, parse_purl, parse_purl_with_library
from tests.support.properties import examples
from tests.unit.sbom.conftest import generate_cyclonedx_json


@pytest.mark.parametrize(
    ("raw", "canonical", "identity"),
    [
        (
            "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar",
            "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar",
            "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
        ),
        (
            "pkg:npm/@babel/core@7.21.0",
            "pkg:npm/%40babel/core@7.21.0",
            "pkg:npm/%40babel/core@7.21.0",
        ),
        ("pkg:NPM/Lodash@4.17.21", "pkg:npm/lodash@4.17.21", "pkg:npm/lodash@4.17.21"),
        ("pkg:pypi/Django_Rest@3.0", "pkg:pypi/django-rest@3.0", "pkg:pypi/django-rest@3.0"),
        (
            "pkg:deb/debian/curl@7.74.0-1.3+deb11u7?distro=debian-11&arch=amd64",
            "pkg:deb/debian/curl@7.74.0-1.3%2Bdeb11u7?arch=amd64&distro=debian-11",
            "pkg:deb/debian/curl@7.74.0-1.3%2Bdeb11u7",
        ),
        (
            "pkg:golang/github.com/gorilla/mux@v1.8.0#internal/./x",
            "pkg:golang/github.com/gorilla/mux@v1.8.0#internal/x",
            "pkg:golang/github.com/gorilla/mux@v1.8.0",
        ),
    ],
)
def test_purls_are_normalised_and_keyed_without_qualifiers_or_subpath(
    raw: str, canonical: str, identity: str
) -> None:
    parts = parse_purl(raw)
    assert isinstance(parts, PurlParts)
    assert (parts.canonical, parts.identity) == (canonical, identity)


def test_parts_are_decoded_values() -> None:
    parts = parse_purl("pkg:npm/%40angular/core@16.0.0?vcs_url=git%2Bhttps://x#sub")
    assert parts == PurlParts(
        canonical="pkg:npm/%40angular/core@16.0.0?vcs_url=git%2Bhttps://x#sub",
        identity="pkg:npm/%40angular/core@16.0.0",
        type="npm",
        namespace="@angular",
        name="core",
        version="16.0.0",
        qualifiers=(("vcs_url", "git+https://x"),),
        subpath="sub",
    )


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("not-a-purl", "purl is missing the required \"pkg\" scheme component: 'not-a-purl'."),
        ("pkg:npm", "purl is missing the required type component: 'pkg:npm'."),
        ("pkg:npm/@1.0", "purl is missing the required name component: 'pkg:npm/@1.0'"),
        ("", "A purl string argument is required."),
    ],
)
def test_invalid_purls_give_the_reason(raw: str, reason: str) -> None:
    assert parse_purl(raw) == reason


@pytest.mark.parametrize(
    "raw",
    [
        "pkg:maven/org.example/lib@1.2.3?type=jar",
        "pkg:npm/%40scope/name@1.0.0",
        "pkg:npm/left-pad@1.3.0",
        "pkg:pypi/requests@2.31.0",
        "pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12",
        "pkg:deb/debian/bash@5.2.15-2%2Bb2",
        "pkg:golang/github.com/gorilla/mux@v1.8.0",
        # written with a raw "@" before the npm scope, or a raw "+" in the version: not
        # canonical, but the fast path puts the canonical form together itself
        "pkg:npm/@babel/core@7.21.0",
        "pkg:npm/@types/node",
        "pkg:deb/debian/curl@7.74.0-1.3+deb11u7?arch=amd64&distro=debian-11",
        "pkg:pypi/django-rest-framework@3.14.0",
    ],
)
def test_common_canonical_purls_take_the_fast_path(raw: str) -> None:
    # given purls as real generators write them
    # then the fast path recognises them, with the same result as the library
    fast = _parse_simple(raw)
    assert fast is not None
    assert fast == parse_purl_with_library(raw)


# Purl-ish strings built from pieces that exercise every normalisation rule: case, "_", "+",
# ":", "@", percent-encodings, spaces, unsorted/duplicate/upper-case qualifier keys, subpaths,
# and the types with special rules (pypi, npm, pub, hackage, oci, huggingface, cpan, mlflow).
_TYPES = st.sampled_from(
    ["npm", "maven", "pypi", "deb", "golang", "github", "pub", "hackage", "oci", "huggingface",
     "cpan", "mlflow", "m", "generic", "apk", "composer", "nuget", "NPM", "1x", "a_b", "a.b-c"]
)  # fmt: skip
_ATOMS = st.sampled_from(
    [*"abzAZ09._~-+:@/ ", "%40", "%2B", "%2b", "%20", "%3A", "%2F", "é", "#", "?", "&", "="]
)
_TEXT = st.lists(_ATOMS, max_size=6).map("".join)
_KEYS = st.sampled_from(["type", "arch", "distro", "Classifier", "repository_url", "a", "1x", ""])


@st.composite
def purlish(draw: st.DrawFn) -> str:
    out = f"pkg:{draw(_TYPES)}/"
    namespace = draw(st.lists(_TEXT, max_size=3))
    if namespace:
        out += "/".join(namespace) + "/"
    out += draw(_TEXT)
    if draw(st.booleans()):
        out += "@" + draw(_TEXT)
    qualifiers = draw(st.lists(st.tuples(_KEYS, _TEXT), max_size=3))
    if qualifiers:
        out += "?" + "&".join(f"{k}={v}" for k, v in qualifiers)
    if draw(st.booleans()):
        out += "#" + draw(_TEXT)
    return out


@settings(max_examples=examples(1500))
@given(purlish())
@example("pkg:deb/debian/bash@5.2%2B1:2?arch=amd64")
@example("pkg:ml/Model@1.0?repository_url=databricks")
@example("pkg:npm/%40Scope/Name@1.0")
@example("pkg:npm/@scope/name@1.0")
@example("pkg:npm/@Scope/name@1.0")
@example("pkg:npm/@scope/sub/name@1.0")
@example("pkg:npm/@scope@1.0")
@example("pkg:maven/@scope/name@1.0")
@example("pkg:maven/@scope/name")
@example("pkg:pypi/Some_Name@1.0")
@example("pkg:pypi/some_name@1.0")
@example("pkg:pypi/some-name@1.0+local")
@example("pkg:hackage/a_b@1.0")
@example("pkg:oci/Image@SHA256:AB")
def test_fast_path_agrees_with_packageurl_python(raw: str) -> None:
    # given any purl-like string
    # then the fast path either declines or gives exactly the library's answer
    fast = _parse_simple(raw)
    if fast is not None:
        assert fast == parse_purl_with_library(raw)
    # and the cached public entry point always equals the library
    assert parse_purl(raw) == parse_purl_with_library(raw)


# Purls from the characters the fast path admits (and a few it does not), so that most of them
# reach its checks: raw and encoded "@" scopes, "+" and "%2B", case, "_", ":", qualifiers.
_PLAIN = st.lists(
    st.sampled_from([*"azAZ09._~-" * 4, "+", ":", "%40", "%2B", "@", "é"]), min_size=1, max_size=5
).map("".join)
_QUALIFIER = st.tuples(
    st.sampled_from(["type", "arch", "distro", "a.b", "a_b", "A", "1x"]),
    st.lists(st.sampled_from([*"aZ0._~-/:", "%2F", "&", "é"]), min_size=1, max_size=4).map("".join),
)


@st.composite
def simple_purlish(draw: st.DrawFn) -> str:
    out = f"pkg:{draw(st.one_of(st.sampled_from(['npm', 'maven', 'pypi', 'deb']), _TYPES))}/"
    if draw(st.booleans()):
        out += draw(st.sampled_from(["@", "%40", ""])) + draw(_PLAIN) + "/"
    out += "".join(f"{segment}/" for segment in draw(st.lists(_PLAIN, max_size=2)))
    out += draw(_PLAIN)
    if draw(st.booleans()):
        out += "@" + draw(_PLAIN)
    qualifiers = draw(st.lists(_QUALIFIER, max_size=3))
    if qualifiers:
        out += "?" + "&".join(f"{k}={v}" for k, v in qualifiers)
    return out


@settings(max_examples=examples(3000))
@given(simple_purlish())
@example("pkg:oci/a@%2B")  # the library prints it "%2b" (oci versions are lower-cased)
@example("pkg:huggingface/a@1+x")
def test_fast_path_agrees_with_packageurl_python_on_plain_purls(raw: str) -> None:
    # given a purl made of the characters the fast path admits, or nearly
    # then the fast path either declines or gives exactly the library's answer
    fast = _parse_simple(raw)
    if fast is not None:
        assert fast == parse_purl_with_library(raw)


@settings(max_examples=examples(500))
@given(purlish())
def test_identity_equals_the_library_rendering_without_qualifiers_and_subpath(raw: str) -> None:
    parts = parse_purl(raw)
    if isinstance(parts, str):
        return
    expected = PackageURL(parts.type, parts.namespace, parts.name, parts.version).to_string()
    assert parts.identity == expected


def purls_of(tree: object) -> list[str]:
    """Every string under a "purl" key, anywhere in a parsed JSON document."""
    found: list[str] = []
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            purl = node.get("purl")
            if isinstance(purl, str):
                found.append(purl)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found


def test_generated_documents_purls_all_take_the_fast_path_with_the_library_answer() -> None:
    # given the purls of generated documents (npm scopes written both ways, maven qualifiers,
    # pypi names, deb versions with "+")
    purls = [
        purl
        for seed in (1, 2)
        for purl in purls_of(orjson.loads(generate_cyclonedx_json(2000, seed=seed)))
    ]
    assert len(purls) == 4002
    # then every one takes the fast path and gets exactly what packageurl-python gives
    assert [_parse_simple(raw) for raw in purls] == [parse_purl_with_library(raw) for raw in purls]


def test_corpus_purls_are_parsed_as_the_library_parses_them(corpus: Path) -> None:
    # given every purl written in the real corpus's JSON documents
    purls = sorted(
        {
            purl
            for path in corpus.rglob("*.json")
            for purl in purls_of(orjson.loads(path.read_bytes()))
        }
    )
    assert len(purls) == 3201
    # then the parser (fast path or library) answers exactly as the library
    assert [parse_purl(raw) for raw in purls] == [parse_purl_with_library(raw) for raw in purls]
    # and the fast path takes all but the 35 with a subpath ("#master") and one with a
    # percent-encoded qualifier value
    slow = [raw for raw in purls if _parse_simple(raw) is None]
    assert len(slow) == 36
    assert [raw for raw in slow if "#" not in raw] == [
        "pkg:npm/juice-shop@14.1.1?vcs_url=git%2Bhttps%3A//github.com/juice-shop/juice-shop.git"
    ]
