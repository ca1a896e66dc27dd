"""What a format reader hands back to :func:`sbom.parse_sbom` (format-independent)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sbom.models import Component, Dependency, Metadata, SbomStandard, Service, Vulnerability


@dataclass(frozen=True, slots=True)
class Extracted:
    spec_version: str
    serial_number: str | None
    version: int
    metadata: Metadata
    components: tuple[Component, ...]
    dependencies: tuple[Dependency, ...]
    services: tuple[Service, ...]
    vulnerabilities: tuple[Vulnerability, ...]
    raw_component_count: int
    standard: SbomStandard = SbomStandard.CYCLONEDX
    # Set instead of ``components`` when the caller asked for rows (CycloneDX JSON only).
    component_rows: tuple[tuple[Any, ...], ...] | None = None
    # Set instead of ``dependencies`` when the caller asked for rows (CycloneDX JSON only).
    dependency_rows: tuple[tuple[Any, ...], ...] | None = None
