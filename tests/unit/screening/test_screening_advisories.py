"""OSV parsing and matching against hand-written records in ``osv/`` modelled on real advisories:
GHSA-jfh8-c2jp-5v3q (Log4Shell; 2.3.1 and 2.12.2 are the Java 6/7 backport fixes),
GHSA-h5c8-rqwp-cp95 (Jinja2), GHSA-35jh-r3h4-6jhm (lodash), GHSA-67hx-6x53-jw92 (@babel/traverse,
events deliberately out of order), GO-2021-0113 (golang.org/x/text), DSA-5532-1 (Debian openssl),
and two synthetic ones: PYSEC-2021-0000 (versions list only), RUSTSEC-2099-0001 (last_affected)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from procurement.errors import ErrorCode, InputError
from procurement.screening.advisories import RangeType, affects, parse_osv, parse_osv_many
from procurement.screening.ecosystems import (
    ECOSYSTEMS,
    ecosystem_for,
    identity_key,
    split_osv_name,
)
from procurement.screening.model import Severity
from tests.support.properties import examples

OSV_DIR = Path(__file__).parent / "osv"


def load(osv_id: str) -> dict[str, Any]:
    data: dict[str, Any] = orjson.loads((OSV_DIR / f"{osv_id}.json").read_bytes())
    return data


LOG4SHELL = load("GHSA-jfh8-c2jp-5v3q")
JINJA2_XSS = load("GHSA-h5c8-rqwp-cp95")
LODASH = load("GHSA-35jh-r3h4-6jhm")
BABEL_TRAVERSE = load("GHSA-67hx-6x53-jw92")
GO_TEXT = load("GO-2021-0113")
DEBIAN_OPENSSL = load("DSA-5532-1")
PYSEC_VERSIONS_ONLY = load("PYSEC-2021-0000")
CRATE_LAST_AFFECTED = load("RUSTSEC-2099-0001")
LOG4J = ("maven", "org.apache.logging.log4j", "log4j-core")


def test_parse_log4shell_record() -> None:
    # given the GHSA record as JSON bytes; when parsed
    adv = parse_osv(orjson.dumps(LOG4SHELL))
    # then
    assert adv.id == "GHSA-jfh8-c2jp-5v3q"
    assert adv.aliases == ("CVE-2021-44228",)
    assert adv.all_ids == {"GHSA-jfh8-c2jp-5v3q", "CVE-2021-44228"}
    assert adv.severity is Severity.CRITICAL
    assert adv.severity_scores[0].type == "CVSS_V3"
    pkg = adv.affected[0]
    assert pkg.identity == LOG4J
    assert [r.type for r in pkg.ranges] == [RangeType.ECOSYSTEM] * 3
    assert pkg.ranges[1].events[0].kind == "introduced"
    assert pkg.ranges[1].events[0].version == "2.0-beta9"


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        ("2.0-beta8", False),
        ("2.0-beta9", True),
        ("2.0", True),
        ("2.3", True),
        ("2.3.1", False),  # Java 6 backport fix
        ("2.4", True),
        ("2.12.1", True),
        ("2.12.2", False),  # Java 7 backport fix
        ("2.13.0", True),
        ("2.14.1", True),
        ("2.15.0", False),
        ("2.17.1", False),
    ],
)
def test_log4shell_maven_ranges(version: str, expected: bool) -> None:
    assert affects(parse_osv(LOG4SHELL), *LOG4J, version) is expected


def test_log4shell_does_not_affect_other_artifacts() -> None:
    adv = parse_osv(LOG4SHELL)
    assert not affects(adv, "maven", "org.apache.logging.log4j", "log4j-api", "2.14.1")
    assert not affects(adv, "npm", None, "log4j-core", "2.14.1")


@pytest.mark.parametrize(
    ("name", "version", "expected"),
    [
        ("jinja2", "2.11.3", True),
        ("Jinja2", "3.1.2", True),
        ("jinja2", "3.1.3rc1", True),  # pre-release sorts before the fix
        ("jinja2", "3.1.3", False),
        ("jinja2", "3.1.4", False),
    ],
)
def test_pypi_range_with_introduced_zero(name: str, version: str, expected: bool) -> None:
    adv = parse_osv(JINJA2_XSS)
    assert adv.severity is Severity.MEDIUM  # GHSA "MODERATE"
    assert affects(adv, "pypi", None, name, version) is expected


def test_versions_list_only_matches_exactly_and_normalises_pypi_names() -> None:
    adv = parse_osv(PYSEC_VERSIONS_ONLY)
    assert affects(adv, "pypi", None, "Example.Pkg", "1.0")
    assert affects(adv, "pypi", None, "example-pkg", "1.2.post1")
    assert not affects(adv, "pypi", None, "example-pkg", "1.1.1")
    assert not affects(adv, "pypi", None, "example-pkg", "1.3")
    assert adv.severity is None


@pytest.mark.parametrize(("version", "expected"), [("4.17.20", True), ("4.17.21", False)])
def test_npm_semver(version: str, expected: bool) -> None:
    assert affects(parse_osv(LODASH), "npm", None, "lodash", version) is expected


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        ("7.22.0", True),
        ("7.23.2", False),
        ("8.0.0-alpha.3", True),
        ("8.0.0-alpha.4", False),
        ("8.0.0", False),
    ],
)
def test_npm_scoped_package_unordered_events(version: str, expected: bool) -> None:
    assert affects(parse_osv(BABEL_TRAVERSE), "npm", "@babel", "traverse", version) is expected


@pytest.mark.parametrize(
    ("version", "expected"), [("v0.3.6", True), ("v0.3.7", False), ("v0.3.8", False)]
)
def test_go_module_with_v_prefix(version: str, expected: bool) -> None:
    assert affects(parse_osv(GO_TEXT), "golang", "golang.org/x", "text", version) is expected


@pytest.mark.parametrize(
    ("version", "expected"),
    [("0.9.0", False), ("1.0.0", True), ("1.2.0", True), ("1.2.1", False)],
)
def test_last_affected_is_inclusive(version: str, expected: bool) -> None:
    adv = parse_osv(CRATE_LAST_AFFECTED)
    assert affects(adv, "cargo", None, "sample-crate", version) is expected


@pytest.mark.parametrize(
    ("version", "expected"),
    [("3.0.11-1~deb12u1", True), ("3.0.11-1~deb12u2", False), ("3.0.11-1", False)],
)
def test_debian_release_ecosystem_and_tilde_ordering(version: str, expected: bool) -> None:
    adv = parse_osv(DEBIAN_OPENSSL)
    assert adv.affected[0].identity == ("deb", "debian", "openssl")
    assert affects(adv, "deb", "debian", "openssl", version) is expected


def test_withdrawn_advisory_never_matches() -> None:
    record = copy.deepcopy(LODASH)
    record["withdrawn"] = "2024-01-01T00:00:00Z"
    assert not affects(parse_osv(record), "npm", None, "lodash", "4.17.20")


def test_unparsable_version_falls_back_to_exact_list() -> None:
    record = copy.deepcopy(LODASH)
    record["affected"][0]["versions"] = ["not-a-version"]
    adv = parse_osv(record)
    assert affects(adv, "npm", None, "lodash", "not-a-version")
    assert not affects(adv, "npm", None, "lodash", "also-not-a-version")


def test_git_ranges_are_ignored() -> None:
    record = {
        "id": "OSV-2020-1",
        "affected": [
            {
                "package": {"ecosystem": "npm", "name": "x"},
                "ranges": [{"type": "GIT", "repo": "https://g/x", "events": [{"introduced": "0"}]}],
            }
        ],
    }
    assert not affects(parse_osv(record), "npm", None, "x", "1.0.0")


def test_malformed_record_lists_every_problem_with_its_path() -> None:
    bad = {
        "aliases": "CVE-1",
        "affected": [
            {
                "package": {"ecosystem": "Maven", "purl": "not a purl"},
                "ranges": [
                    {"type": "RANGE", "events": [{"introduced": "1", "fixed": "2"}, 5]},
                    {"type": "SEMVER", "events": []},
                    {"type": "SEMVER"},
                ],
                "versions": ["1", 2],
            }
        ],
        "severity": [{"type": "CVSS_V3"}],
    }
    with pytest.raises(InputError) as exc:
        parse_osv(bad)
    fields = [(e.field, e.code) for e in exc.value.errors]
    assert fields == [
        ("id", ErrorCode.REQUIRED),
        ("affected[0].package.name", ErrorCode.REQUIRED),
        ("affected[0].package.purl", ErrorCode.INVALID),
        ("affected[0].ranges[0].type", ErrorCode.INVALID),
        ("affected[0].ranges[0].events[0]", ErrorCode.INVALID),
        ("affected[0].ranges[0].events[1]", ErrorCode.INVALID),
        ("affected[0].ranges[1].events", ErrorCode.INVALID),
        ("affected[0].ranges[2].events", ErrorCode.REQUIRED),
        ("affected[0].versions[1]", ErrorCode.INVALID),
        ("severity[0].score", ErrorCode.REQUIRED),
        ("aliases", ErrorCode.INVALID),
    ]
    assert "unknown range type 'RANGE'" in exc.value.errors[3].message


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"{", "not valid JSON"),
        (b"[]", "must be a JSON object, got list"),
    ],
)
def test_not_an_osv_object(data: bytes, message: str) -> None:
    with pytest.raises(InputError) as exc:
        parse_osv(data)
    assert exc.value.errors[0].field is None
    assert message in exc.value.errors[0].message


def test_parse_many_prefixes_record_index() -> None:
    assert [a.id for a in parse_osv_many({"vulns": [LODASH, GO_TEXT]})] == [
        "GHSA-35jh-r3h4-6jhm",
        "GO-2021-0113",
    ]
    with pytest.raises(InputError) as exc:
        parse_osv_many(orjson.dumps([LODASH, {"id": ""}]))
    assert [e.field for e in exc.value.errors] == ["[1].id"]


@pytest.mark.parametrize(
    ("ecosystem", "purl_type", "namespace"),
    [
        ("npm", "npm", None),
        ("PyPI", "pypi", None),
        ("Maven", "maven", None),
        ("Go", "golang", None),
        ("crates.io", "cargo", None),
        ("NuGet", "nuget", None),
        ("RubyGems", "gem", None),
        ("Packagist", "composer", None),
        ("Debian:12", "deb", "debian"),
        ("Ubuntu:22.04:LTS", "deb", "ubuntu"),
        ("Alpine:v3.18", "apk", "alpine"),
    ],
)
def test_ecosystem_to_purl_type(ecosystem: str, purl_type: str, namespace: str | None) -> None:
    eco = ecosystem_for(ecosystem)
    assert eco is not None
    assert (eco.purl_type, eco.namespace) == (purl_type, namespace)


def test_unknown_ecosystem() -> None:
    assert ecosystem_for("SomethingNew") is None


def test_name_splitting_and_identity() -> None:
    assert split_osv_name("maven", "org.apache.logging.log4j:log4j-core") == (
        "org.apache.logging.log4j",
        "log4j-core",
    )
    assert split_osv_name("npm", "@babel/traverse") == ("@babel", "traverse")
    assert split_osv_name("golang", "github.com/gin-gonic/gin") == ("github.com/gin-gonic", "gin")
    assert split_osv_name("composer", "symfony/http-kernel") == ("symfony", "http-kernel")
    assert split_osv_name("pypi", "Jinja2") == (None, "Jinja2")
    assert identity_key("pypi", None, "Zope.Interface_x") == ("pypi", "", "zope-interface-x")
    assert identity_key("npm", "@Babel", "Traverse") == ("npm", "@babel", "traverse")


VERSION_TEXT = st.text(alphabet="0123456789.-+~:_abcrv", min_size=1, max_size=12)


@settings(max_examples=examples(300))
@given(
    ecosystem=st.sampled_from(sorted(ECOSYSTEMS)),
    range_type=st.sampled_from(["ECOSYSTEM", "SEMVER"]),
    events=st.tuples(VERSION_TEXT, VERSION_TEXT, VERSION_TEXT),
    version=VERSION_TEXT,
)
def test_affects_never_raises_on_odd_versions(
    ecosystem: str, range_type: str, events: tuple[str, str, str], version: str
) -> None:
    introduced, fixed, last = events
    record = {
        "id": "X-1",
        "affected": [
            {
                "package": {"ecosystem": ecosystem, "name": "n"},
                "ranges": [
                    {
                        "type": range_type,
                        "events": [
                            {"introduced": introduced},
                            {"fixed": fixed},
                            {"last_affected": last},
                        ],
                    }
                ],
            }
        ],
    }
    eco = ECOSYSTEMS[ecosystem]
    assert affects(parse_osv(record), eco.purl_type, eco.namespace, "n", version) in (True, False)


def test_regression_unorderable_nuget_versions_do_not_raise() -> None:
    # given a NuGet range whose events univers parses but cannot order ("0" and "v"),
    # found by hypothesis: affects() raised TypeError from the sort
    advisory = parse_osv(
        {
            "id": "TEST-NUGET-1",
            "affected": [
                {
                    "package": {"ecosystem": "NuGet", "name": "Example.Lib"},
                    "ranges": [
                        {
                            "type": "ECOSYSTEM",
                            "events": [{"introduced": "0"}, {"fixed": "0"}, {"fixed": "v"}],
                        }
                    ],
                }
            ],
        }
    )
    # when asking whether version "0" is affected, then the answer is a plain no
    assert affects(advisory, "nuget", None, "Example.Lib", "0") is False
