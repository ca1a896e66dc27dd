"""SBOM quality against the NTIA minimum elements (2021), as a deterministic 0-100 score.

Seven elements, equal weights. Per-component elements are the fraction of components that have
them; document-level ones are 0 or 1:

=====================  =====================================================================
supplier               component has ``supplier.name``
component_name         component has a non-empty ``name``
version                component has a non-empty ``version``
unique_identifier      component has a valid purl, a CPE or a SWID tag id
dependencies           component's bom-ref takes part in the dependency graph (as the ``ref``
                       of an entry, even an empty one, or inside a ``dependsOn``)
author                 document names an author (``metadata.authors``), else a manufacturer
                       or supplier (who stands behind the data); tools are not authors
timestamp              document has ``metadata.timestamp``
=====================  =====================================================================

``score = round(100 * mean(the seven values), 1)``. A document without components scores 0 on
the five per-component elements (a VEX or an empty BOM is not a complete SBOM).
"""

from __future__ import annotations

from dataclasses import dataclass

from sbom.models import ParsedSbom

NTIA_ELEMENTS = (
    "supplier",
    "component_name",
    "version",
    "unique_identifier",
    "dependencies",
    "author",
    "timestamp",
)


@dataclass(frozen=True, slots=True)
class QualityReport:
    """Coverage of each NTIA element (0.0-1.0, 4 decimals) and the 0-100 score."""

    supplier: float
    component_name: float
    version: float
    unique_identifier: float
    dependencies: float
    author: float
    timestamp: float
    score: float
    component_count: int

    def coverage(self) -> dict[str, float]:
        return {name: getattr(self, name) for name in NTIA_ELEMENTS}


def ntia_quality(parsed: ParsedSbom) -> QualityReport:
    components = parsed.components
    in_graph = dependency_refs(parsed)
    counts = ComponentCoverage(
        total=len(components),
        supplier=sum(1 for c in components if c.supplier_name),
        component_name=sum(1 for c in components if c.name),
        version=sum(1 for c in components if c.version),
        unique_identifier=sum(
            1 for c in components if c.purl_parts is not None or c.cpe or c.swid_tag_id
        ),
        dependencies=sum(1 for c in components if c.bom_ref is not None and c.bom_ref in in_graph),
    )
    return quality_report(parsed, counts)


def dependency_refs(parsed: ParsedSbom) -> set[str]:
    """Every bom-ref that takes part in the dependency graph."""
    in_graph: set[str] = set()
    for dependency in parsed.dependencies:
        in_graph.add(dependency.ref)
        in_graph.update(dependency.depends_on)
    return in_graph


@dataclass(frozen=True, slots=True)
class ComponentCoverage:
    """How many components have each per-component element (for callers holding rows)."""

    total: int
    supplier: int
    component_name: int
    version: int
    unique_identifier: int
    dependencies: int


def quality_report(parsed: ParsedSbom, counts: ComponentCoverage) -> QualityReport:
    """The report from the per-component counts and the document's metadata."""
    meta = parsed.metadata
    has_author = any(a.name or a.email for a in meta.authors) or any(
        entity is not None and bool(entity.name) for entity in (meta.manufacturer, meta.supplier)
    )
    total = counts.total
    values = {
        "supplier": counts.supplier / total if total else 0.0,
        "component_name": counts.component_name / total if total else 0.0,
        "version": counts.version / total if total else 0.0,
        "unique_identifier": counts.unique_identifier / total if total else 0.0,
        "dependencies": counts.dependencies / total if total else 0.0,
        "author": 1.0 if has_author else 0.0,
        "timestamp": 1.0 if meta.timestamp is not None else 0.0,
    }
    score = round(100 * sum(values.values()) / len(NTIA_ELEMENTS), 1)
    rounded = {name: round(value, 4) for name, value in values.items()}
    return QualityReport(**rounded, score=score, component_count=total)


@dataclass(frozen=True, slots=True)
class Improvement:
    """An element not fully covered, and the points the score would gain if it were."""

    element: str
    coverage: float
    gain: float


def improvements(coverage: dict[str, float]) -> list[Improvement]:
    """What would raise the score most first (each of the seven elements weighs 100/7 points)."""
    found = [
        Improvement(
            name, coverage.get(name, 0.0), round(100 * (1 - coverage.get(name, 0.0)) / 7, 1)
        )
        for name in NTIA_ELEMENTS
        if coverage.get(name, 0.0) < 1.0
    ]
    return sorted(found, key=lambda i: (-i.gain, NTIA_ELEMENTS.index(i.element)))
