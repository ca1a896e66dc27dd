"""The fast path of identity_key (plain parts mapped character by character) gives packageurl's
normalisation exactly, for every type packageurl treats specially and any characters."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from procurement.screening.ecosystems import _normalised_parts, _plain_parts, identity_key
from tests.support.properties import examples

# Types with their own rules in packageurl (case, "_" to "-", pub's "_", cpan's upper-case
# namespace, mlflow, and the substring quirks of its "in" tests), and plain ones.
TYPES = (
    "maven", "npm", "pypi", "golang", "github", "bitbucket", "gitlab", "composer", "luarocks",
    "qpkg", "alpm", "apk", "hex", "cpan", "pub", "hackage", "oci", "bitnami", "mlflow",
    "huggingface", "generic", "deb", "rpm", "nuget", "cargo", "gem", "c", "ml", "pan", "NPM",
    "Maven", "x-y",
)  # fmt: skip
PART = st.text(alphabet="AbZz09._-~+:@/%2F _\t", max_size=10)


@settings(max_examples=examples(3000))
@given(st.sampled_from(TYPES), st.none() | PART, PART)
def test_the_fast_path_equals_packageurl(purl_type: str, namespace: str | None, name: str) -> None:
    # given any parts; when the fast path takes them, then packageurl says the same
    fast = _plain_parts(purl_type, namespace, name)
    if fast is not None:
        assert fast == _normalised_parts(purl_type, namespace, name)


def test_plain_parts_take_the_fast_path_and_others_do_not() -> None:
    assert _plain_parts("maven", "org.Apache", "Log4j-Core") == (
        "maven",
        "org.Apache",
        "Log4j-Core",
    )
    assert _plain_parts("npm", "@Babel", "Traverse") == ("npm", "@Babel", "traverse")
    assert _plain_parts("pypi", None, "Zope_X") == ("pypi", "", "zope-x")
    assert _plain_parts("npm", "%40babel", "traverse") is None  # percent-encoded: packageurl
    assert _plain_parts("golang", "github.com//x", "y") is None  # empty segment: packageurl
    assert identity_key("npm", "%40Babel", "Traverse") == ("npm", "@babel", "traverse")
    assert identity_key("pypi", None, "Zope.Interface_x") == ("pypi", "", "zope-interface-x")
