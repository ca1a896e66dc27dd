"""What screening reads of one SBOM version's components, built from their stored columns
(bom-ref, supplier, purl type, namespace, name, version)."""

from __future__ import annotations

from procurement.screening import ComponentRef
from procurement.screening.ecosystems import identity_key
from procurement.screening.store.facts import version_components


def test_components_become_refs_suppliers_and_identities() -> None:
    # given a component with a purl and a supplier, one without a purl, one with a blank
    # supplier and no bom-ref, and one whose purl lacks a name
    rows = [
        ("a", "Acme ", "maven", "org.acme", "core", "1.0"),
        ("b", "Beta", None, None, None, None),
        (None, "  ", "npm", None, "left-pad", "1.3.0"),
        ("d", None, "pypi", None, None, "2.0"),
    ]
    # when screening's view of them is built
    view = version_components(rows)
    # then the purl components become refs in order, with their trimmed supplier
    core = ComponentRef("maven", "org.acme", "core", "1.0", "Acme")
    left_pad = ComponentRef("npm", None, "left-pad", "1.3.0", None)
    assert view.refs == (core, left_pad)
    assert view.by_ref == {"a": core}
    # and a blank or missing supplier counts as none
    assert view.without_supplier == 2
    assert view.suppliers == ("Acme", "Beta")
    assert view.identities == frozenset(
        {identity_key("maven", "org.acme", "core"), identity_key("npm", None, "left-pad")}
    )


def test_no_components_give_an_empty_view() -> None:
    # given no components; when the view is built; then it is empty
    view = version_components([])
    assert view.refs == ()
    assert view.by_ref == {}
    assert view.without_supplier == 0
    assert view.suppliers == ()
    assert view.identities == frozenset()
