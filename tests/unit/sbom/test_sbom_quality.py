"""NTIA minimum-elements quality score."""

from __future__ import annotations

from sbom import parse_sbom
from sbom.quality import NTIA_ELEMENTS, QualityReport, ntia_quality

from .builders import LIMIT, bom_json, library


def test_quality_of_a_partly_complete_document() -> None:
    # given 4 components: 2 with a supplier, 3 with a version, 2 with a purl or CPE,
    # 2 in the dependency graph, and a document with a timestamp but no author
    components = [
        library("a", purl="pkg:npm/a@1.0.0", supplier={"name": "A Inc"}, **{"bom-ref": "a"}),
        library(
            "b", cpe="cpe:2.3:a:b:b:1.0.0:*:*:*:*:*:*:*", supplier={"name": "B"}, **{"bom-ref": "b"}
        ),
        library("c", purl="not a purl", **{"bom-ref": "c"}),
        library("d", version=None),
    ]
    data = bom_json(
        metadata={"timestamp": "2024-01-01T00:00:00Z"},
        components=components,
        dependencies=[{"ref": "a", "dependsOn": ["b"]}],
    )
    # when its quality is measured
    report = ntia_quality(parse_sbom(data, max_bytes=LIMIT))
    # then each element is the share of components having it, and the score their mean
    assert report == QualityReport(
        supplier=0.5,
        component_name=1.0,
        version=0.75,
        unique_identifier=0.5,
        dependencies=0.5,
        author=0.0,
        timestamp=1.0,
        score=round(100 * (0.5 + 1.0 + 0.75 + 0.5 + 0.5 + 0.0 + 1.0) / 7, 1),
        component_count=4,
    )
    assert report.score == 60.7
    assert list(report.coverage()) == list(NTIA_ELEMENTS)


def test_complete_document_scores_100() -> None:
    data = bom_json(
        metadata={"timestamp": "2024-01-01T00:00:00Z", "authors": [{"name": "Jane"}]},
        components=[
            library("a", purl="pkg:npm/a@1.0.0", supplier={"name": "A"}, **{"bom-ref": "a"})
        ],
        dependencies=[{"ref": "a"}],
    )
    assert ntia_quality(parse_sbom(data, max_bytes=LIMIT)).score == 100.0


def test_manufacturer_counts_as_author_when_no_authors_are_named() -> None:
    data = bom_json(metadata={"manufacturer": {"name": "Acme"}})
    assert ntia_quality(parse_sbom(data, max_bytes=LIMIT)).author == 1.0


def test_tools_alone_are_not_an_author() -> None:
    data = bom_json(metadata={"tools": {"components": [{"type": "application", "name": "syft"}]}})
    assert ntia_quality(parse_sbom(data, max_bytes=LIMIT)).author == 0.0


def test_document_without_components_scores_only_document_elements() -> None:
    data = bom_json(metadata={"timestamp": "2024-01-01T00:00:00Z"})
    report = ntia_quality(parse_sbom(data, max_bytes=LIMIT))
    assert (report.component_count, report.component_name, report.score) == (0, 0.0, 14.3)


def test_coverage_is_rounded_and_deterministic() -> None:
    data = bom_json(components=[library("a", supplier={"name": "S"}), library("b"), library("c")])
    parsed = parse_sbom(data, max_bytes=LIMIT)
    assert ntia_quality(parsed).supplier == 0.3333
    assert ntia_quality(parsed) == ntia_quality(parsed)
