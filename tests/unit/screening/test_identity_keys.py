"""identity_keys: the identity of each component of an SBOM, through identity_key's cache only
when they fit in it (issue 14: a 10,000-component upload's rescreen only evicted)."""

from __future__ import annotations

from procurement.screening.ecosystems import identity_key, identity_keys

# Spellings identity_key normalises: npm scopes and names in upper case, PEP 503 names,
# percent-encoded scopes, Maven groups kept as written.
_SPELLINGS = (
    ("npm", "@Scope", "Name-{i}"),
    ("npm", "%40scope", "name-{i}"),
    ("pypi", None, "Zope.Interface_{i}"),
    ("maven", "org.Example", "Core-{i}"),
    ("deb", "debian", "libx{i}"),
)


def _parts(count: int) -> list[tuple[str, str | None, str]]:
    return [
        (ptype, namespace, name.format(i=i))
        for i in range(count // len(_SPELLINGS))
        for ptype, namespace, name in _SPELLINGS
    ]


def test_many_components_get_the_keys_of_identity_key_without_filling_its_cache() -> None:
    # given more components than identity_key's cache holds
    parts = _parts(10_000)
    expected = frozenset(identity_key.__wrapped__(*p) for p in parts)
    identity_key.cache_clear()
    # when their identities are computed
    keys = identity_keys(parts)
    # then they are identity_key's, and the cache was left alone
    assert keys == expected
    assert len(keys) == 8_000  # the two npm spellings of each name are one identity
    assert ("npm", "@scope", "name-7") in keys
    assert ("pypi", "", "zope-interface-7") in keys
    assert identity_key.cache_info().currsize == 0


def test_a_few_components_go_through_the_cache() -> None:
    # given as many components as a small SBOM has
    parts = _parts(50)
    identity_key.cache_clear()
    # when their identities are computed twice
    first = identity_keys(parts)
    again = identity_keys(parts)
    # then the second time every one is a cache hit
    assert first == again == frozenset(identity_key.__wrapped__(*p) for p in parts)
    assert identity_key.cache_info().hits == 50
