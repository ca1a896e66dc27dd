"""SBOM ingestion, pure: bytes in, normalised records out (no database, no web).

Entry point::

    parsed = sbom.parse_sbom(data, max_bytes=50_000_000)   # raises sbom.SbomRejected

``parse_sbom(data, *, max_bytes, max_errors=20, max_warnings=1000, content_encoding=None)``
accepts CycloneDX JSON 1.2-1.7 and XML 1.0-1.7, and SPDX 2.2/2.3 JSON and tag-value, detected
from the content (SPDX 3 JSON-LD is refused as not supported yet); gzip (by ``content_encoding``
or magic bytes) is inflated with ``max_bytes`` enforced while streaming. The document is
validated against the official schema (jsonschema-rs / lxml XMLSchema, offline; SPDX tag-value is
converted to the JSON shape and meets the JSON schema); XML with a DOCTYPE is refused. On
rejection ``SbomRejected.errors`` lists up to ``max_errors`` :class:`SbomIssue` (``code``,
``message``, ``location``: JSON Pointer or ``line N``). SPDX packages become the same
``Component`` records (see :mod:`sbom.spdx_records` for the mapping); ``ParsedSbom.standard``
tells CycloneDX from SPDX.

Records (frozen, slotted dataclasses in :mod:`sbom.models`; sequences are tuples):

- ``ParsedSbom``: standard, format, spec_version, sha256 (of the decompressed bytes), size_bytes,
  metadata, components, dependencies, services, vulnerabilities, raw_component_count (counted from
  the raw document, to compare with ``len(components)``), serial_number, version, warnings.
- ``Metadata``: timestamp (aware datetime), authors (``Contact``), tools (``Tool``: legacy tools
  and 1.5+ tool components/services), supplier and manufacturer (``OrganizationalEntity``),
  component (the described ``Component``), lifecycles (``Lifecycle``).
- ``Component`` (nested ones included, in document order): path (position among siblings from the
  top), location, type, name, bom_ref, parent_ref, group, version, scope, supplier_name,
  purl_raw, purl_parts and the ``purl``/``purl_identity``/``purl_type``/``purl_namespace``/
  ``purl_name``/``purl_version``/``purl_qualifiers``/``purl_subpath`` properties, cpe,
  swid_tag_id, licenses (``License``: spdx_id | name | expression), hashes (``Hash``),
  external_references (``ExternalReference``). An invalid purl is a warning, not a rejection.
- ``Dependency``: ref, depends_on, provides. ``Service`` (nested too): path, location, name,
  bom_ref, parent_ref, group, version, provider_name, endpoints, authenticated, trust_boundary,
  data_flows. ``Vulnerability``: id, bom_ref, source_name/url, description, ratings, cwes,
  affects (``Affect``: ref, versions), analysis_state/justification/response/detail.

Also: :func:`sbom.quality.ntia_quality` (NTIA minimum elements, 0-100 score),
:func:`sbom.diff.diff_components` (added/removed/version-changed, works on stored rows too),
:func:`sbom.export.to_cyclonedx_json` (CycloneDX 1.6 JSON), :func:`sbom.export_xml.to_cyclonedx_xml`
(CycloneDX 1.6 XML), :func:`sbom.export_spdx.to_spdx_json` (SPDX 2.3 JSON); ``ACCEPTED_FORMATS``
says in words what ``parse_sbom`` accepts.
"""

from sbom.errors import IssueCode, SbomIssue, SbomRejected
from sbom.models import (
    Affect,
    AffectedVersion,
    Component,
    Contact,
    DataFlow,
    Dependency,
    ExternalReference,
    Hash,
    License,
    Lifecycle,
    Metadata,
    OrganizationalEntity,
    ParsedSbom,
    Rating,
    SbomFormat,
    SbomStandard,
    Service,
    Tool,
    Vulnerability,
)
from sbom.parse import ACCEPTED_FORMATS, parse_sbom
from sbom.purls import PurlParts, parse_purl

__all__ = [
    "ACCEPTED_FORMATS",
    "Affect",
    "AffectedVersion",
    "Component",
    "Contact",
    "DataFlow",
    "Dependency",
    "ExternalReference",
    "Hash",
    "IssueCode",
    "License",
    "Lifecycle",
    "Metadata",
    "OrganizationalEntity",
    "ParsedSbom",
    "PurlParts",
    "Rating",
    "SbomFormat",
    "SbomIssue",
    "SbomRejected",
    "SbomStandard",
    "Service",
    "Tool",
    "Vulnerability",
    "parse_purl",
    "parse_sbom",
]
