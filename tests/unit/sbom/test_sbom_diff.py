"""Component diff between two SBOM versions (parsed records or stored rows)."""

from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st

from sbom import Component, parse_sbom
from sbom.diff import ComponentKey, VersionChange, diff_components, match_key

from .builders import LIMIT, bom_json, library


def _components(*items: dict[str, object]) -> tuple[Component, ...]:
    return parse_sbom(bom_json(components=list(items)), max_bytes=LIMIT).components


def test_added_removed_and_version_changed_are_found() -> None:
    # given an old SBOM and a new one that upgrades log4j, drops left-pad and adds lodash
    old = _components(
        library(
            "log4j-core", "2.14.1", purl="pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"
        ),
        library("left-pad", "1.3.0", purl="pkg:npm/left-pad@1.3.0"),
        library("requests", "2.31.0", purl="pkg:pypi/requests@2.31.0"),
    )
    new = _components(
        library(
            "log4j-core",
            "2.17.1",
            purl="pkg:maven/org.apache.logging.log4j/log4j-core@2.17.1?type=jar",
        ),
        library("requests", "2.31.0", purl="pkg:pypi/requests@2.31.0"),
        library("lodash", "4.17.21", purl="pkg:npm/lodash@4.17.21"),
    )
    # when they are compared
    diff = diff_components(old, new)
    # then each change is classified once (qualifiers do not break the match)
    assert [c.name for c in diff.added] == ["lodash"]
    assert [c.name for c in diff.removed] == ["left-pad"]
    assert [(c.old.version, c.new.version) for c in diff.version_changed] == [("2.14.1", "2.17.1")]
    assert diff.unchanged == 1
    assert not diff.is_empty


def test_components_without_purl_match_by_type_group_and_name() -> None:
    old = _components(library("tool", "1", group="acme"), library("tool", "1", group="other"))
    new = _components(library("tool", "2", group="acme"), library("tool", "1", group="other"))
    diff = diff_components(old, new)
    assert [(c.old.group, c.old.version, c.new.version) for c in diff.version_changed] == [
        ("acme", "1", "2")
    ]
    assert (diff.added, diff.removed, diff.unchanged) == ((), (), 1)


def test_several_versions_of_one_package_pair_up_sensibly() -> None:
    # given two copies of one npm package in each SBOM (a common npm tree)
    old = _components(
        library("ms", "2.0.0", purl="pkg:npm/ms@2.0.0"),
        library("ms", "2.1.2", purl="pkg:npm/ms@2.1.2"),
    )
    new = _components(
        library("ms", "2.1.2", purl="pkg:npm/ms@2.1.2"),
        library("ms", "2.1.3", purl="pkg:npm/ms@2.1.3"),
        library("ms", "3.0.0", purl="pkg:npm/ms@3.0.0"),
    )
    diff = diff_components(old, new)
    # then the equal version is unchanged, the rest pair in order, the surplus is added
    assert diff.unchanged == 1
    assert [(c.old.version, c.new.version) for c in diff.version_changed] == [("2.0.0", "2.1.3")]
    assert [c.version for c in diff.added] == ["3.0.0"]
    assert diff.removed == ()


def test_diff_works_on_stored_rows() -> None:
    # given key fields as a repository would load them
    old = [
        ComponentKey(
            "openssl", "3.0.11", purl_type="deb", purl_namespace="debian", purl_name="openssl"
        )
    ]
    new = [
        ComponentKey(
            "openssl", "3.0.13", purl_type="deb", purl_namespace="debian", purl_name="openssl"
        )
    ]
    diff = diff_components(old, new)
    assert diff.version_changed == (VersionChange(old[0], new[0]),)


def test_component_key_of_a_parsed_component() -> None:
    (component,) = _components(library("core", "7.0.0", purl="pkg:npm/%40babel/core@7.0.0"))
    key = ComponentKey.of(component)
    assert key == ComponentKey(
        name="core",
        version="7.0.0",
        group=None,
        type="library",
        purl_type="npm",
        purl_namespace="@babel",
        purl_name="core",
    )
    assert match_key(key) == match_key(component) == ("purl", "npm", "@babel", "core")


def test_identical_lists_have_an_empty_diff() -> None:
    components = _components(library("a"), library("b"))
    diff = diff_components(components, components)
    assert diff.is_empty and diff.unchanged == 2


_KEYS = st.builds(
    ComponentKey,
    name=st.sampled_from(["a", "b", "c"]),
    version=st.sampled_from(["1", "2", "3", None]),
    group=st.sampled_from([None, "g"]),
    type=st.just("library"),
)


@given(st.lists(_KEYS, max_size=8), st.lists(_KEYS, max_size=8), st.randoms())
def test_diff_accounts_for_every_component_whatever_the_order(
    old: list[ComponentKey], new: list[ComponentKey], rng: random.Random
) -> None:
    diff = diff_components(old, new)
    # every old component is unchanged, changed or removed; every new one unchanged, changed or added
    assert diff.unchanged + len(diff.version_changed) + len(diff.removed) == len(old)
    assert diff.unchanged + len(diff.version_changed) + len(diff.added) == len(new)
    # and the result does not depend on the input order
    shuffled_old, shuffled_new = old[:], new[:]
    rng.shuffle(shuffled_old)
    rng.shuffle(shuffled_new)
    assert diff_components(shuffled_old, shuffled_new) == diff
