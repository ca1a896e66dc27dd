"""The English of the refusals a reader writes, by stable key and parameters (pure).

An :class:`~sbom.errors.SbomIssue` built by :func:`issue` carries its ``key`` and ``params``
beside the English ``message``, so a caller can say the same refusal in another language
(the console does, through its catalog: Babel extracts the templates marked :func:`N_` here)
without this package knowing anything of the caller. Keys are never reused for another meaning.
"""

from __future__ import annotations

from collections.abc import Mapping

from sbom.errors import IssueCode, SbomIssue, SbomRejected


def N_(template: str) -> str:
    """Marks ``template`` for extraction into a catalog; returns it unchanged."""
    return template


MESSAGES: Mapping[str, str] = {
    "empty": N_("the document is empty"),
    "blank": N_("the document contains only whitespace"),
    "too_large": N_("the upload is {size} bytes; the limit is {limit}"),
    "decompressed_too_large": N_(
        "the decompressed document is larger than the limit of {limit} bytes"
    ),
    "not_gzip": N_("declared gzip-encoded, but is not gzip data"),
    "encoding": N_("content encoding {encoding} is not supported (use gzip or none)"),
    "gzip_truncated": N_("the gzip data is truncated"),
    "gzip_trailing": N_("trailing garbage after gzip data"),
    "gzip_corrupt": N_("the gzip data is corrupt: {detail}"),
    "utf16": N_("the document must be UTF-8 encoded (found UTF-16/32)"),
    "nul": N_("the document contains U+0000 (NUL), which no SBOM field may hold"),
    "spdx_yaml": N_("SPDX YAML is not supported: upload SPDX JSON or tag-value, or CycloneDX"),
    "invalid_json": N_("not valid JSON: {detail}"),
    "not_sbom_json": N_(
        "neither a CycloneDX nor an SPDX document: expected a JSON object with "
        '"bomFormat": "CycloneDX" or "spdxVersion"'
    ),
    "json_spec_version": N_(
        "specVersion {version} is not supported; supported JSON versions: {supported}"
    ),
    "invalid_xml": N_("not well-formed XML: {detail}"),
    "duplicate_key": N_(
        "the key {name} appears more than once in one object; JSON readers disagree on which "
        "value counts (this service would keep the last, others the first), so the document is "
        "ambiguous: remove all but one"
    ),
    "too_many_components": N_(
        "the document has {count} components, more than the limit of {limit} ({setting}): "
        "split it into several SBOMs, or ask an administrator to raise the limit"
    ),
}


def issue(code: IssueCode, key: str, location: str | None = None, **params: str | int) -> SbomIssue:
    """The issue whose English is the template ``key`` filled with ``params``."""
    message = MESSAGES[key].format_map(params)
    return SbomIssue(code, message, location, key, tuple(params.items()))


def refuse(
    code: IssueCode, key: str, location: str | None = None, **params: str | int
) -> SbomRejected:
    """Shorthand for a single-issue rejection in words of this catalog: ``raise refuse(...)``."""
    return SbomRejected([issue(code, key, location, **params)])
