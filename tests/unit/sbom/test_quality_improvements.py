"""What would raise an SBOM's quality score: each uncovered NTIA element with the points it
would add (100/7 for a whole element), the biggest gain first."""

from __future__ import annotations

from sbom.quality import Improvement, improvements


def test_gaps_are_listed_biggest_gain_first_and_full_elements_are_left_out() -> None:
    coverage = {
        "supplier": 0.0, "component_name": 1.0, "version": 0.5, "unique_identifier": 1.0,
        "dependencies": 0.9, "author": 1.0, "timestamp": 0.0,
    }  # fmt: skip
    assert improvements(coverage) == [
        Improvement("supplier", 0.0, 14.3),
        Improvement("timestamp", 0.0, 14.3),
        Improvement("version", 0.5, 7.1),
        Improvement("dependencies", 0.9, 1.4),
    ]


def test_a_complete_sbom_has_nothing_to_improve_and_a_missing_element_counts_as_zero() -> None:
    full = dict.fromkeys(
        ("supplier", "component_name", "version", "unique_identifier", "dependencies",
         "author", "timestamp"), 1.0,
    )  # fmt: skip
    assert improvements(full) == []
    assert improvements(full | {"author": 0.75}) == [Improvement("author", 0.75, 3.6)]
    assert [i.element for i in improvements({})][:2] == ["supplier", "component_name"]
