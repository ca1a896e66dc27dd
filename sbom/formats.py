"""The formats a stored SBOM can be written in, and the one call that writes any of them."""

from __future__ import annotations

from enum import StrEnum

from sbom.export import to_cyclonedx_json
from sbom.export_spdx import SpdxDocumentInfo, to_spdx_json
from sbom.export_xml import to_cyclonedx_xml
from sbom.models import ParsedSbom


class ExportFormat(StrEnum):
    """The names callers use (CLI ``--format``, REST ``?format=``)."""

    JSON = "json"  # CycloneDX 1.6 JSON
    XML = "xml"  # CycloneDX 1.6 XML
    SPDX = "spdx"  # SPDX 2.3 JSON

    @property
    def media_type(self) -> str:
        return _MEDIA_TYPES[self]

    @property
    def extension(self) -> str:
        return _EXTENSIONS[self]


_MEDIA_TYPES = {
    ExportFormat.JSON: "application/vnd.cyclonedx+json; version=1.6",
    ExportFormat.XML: "application/vnd.cyclonedx+xml; version=1.6",
    ExportFormat.SPDX: "application/spdx+json",
}
_EXTENSIONS = {
    ExportFormat.JSON: ".cdx.json",
    ExportFormat.XML: ".cdx.xml",
    ExportFormat.SPDX: ".spdx.json",
}


def write_sbom(parsed: ParsedSbom, output: ExportFormat, spdx: SpdxDocumentInfo) -> bytes:
    """``parsed`` in ``output``; ``spdx`` names the new document when it is SPDX."""
    if output is ExportFormat.XML:
        return to_cyclonedx_xml(parsed)
    if output is ExportFormat.SPDX:
        return to_spdx_json(parsed, spdx)
    return to_cyclonedx_json(parsed)
