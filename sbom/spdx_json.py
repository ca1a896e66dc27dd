"""SPDX JSON: recognise it, validate SPDX 2.2/2.3 against the official schema, read the records.

Read directly from the orjson tree, as the CycloneDX path does: spdx-tools 0.8.5 took 0.96 s to
parse 1,000 packages and 7.5 s more to validate them (superlinear), and it refuses what real tools
write (npm 11's millisecond timestamps, sbom4python's three-part licence list version), which the
schema accepts. SPDX 3 (JSON-LD) is refused with a clear message: no maintained Python library
reads it yet (spdx-tools only writes it).
"""

from __future__ import annotations

from typing import Any

from sbom.errors import IssueCode, SbomRejected, reject
from sbom.extracted import Extracted
from sbom.issuelog import IssueLog
from sbom.spdx_records import read_spdx_records
from sbom.spdx_schemas import SPDX_SPEC_VERSIONS, validate_spdx_json

SPDX3_REFUSAL = (
    "SPDX 3 (JSON-LD) documents are not supported yet: no maintained Python library reads them "
    "(spdx-tools 0.8.5 only writes SPDX 3); upload SPDX 2.3 or 2.2 (JSON or tag-value) or "
    "CycloneDX instead"
)


def is_spdx_json(document: Any) -> bool:
    """An SPDX 2 document (``spdxVersion``) or an SPDX 3 one (an spdx.org JSON-LD context)."""
    if not isinstance(document, dict) or document.get("bomFormat") == "CycloneDX":
        return False
    return "spdxVersion" in document or _is_spdx3_context(document.get("@context"))


def _is_spdx3_context(context: Any) -> bool:
    contexts = context if isinstance(context, list) else [context]
    return any(isinstance(c, str) and "spdx.org/rdf/3" in c for c in contexts)


def spdx_spec_version(value: Any) -> str | None:
    """ "SPDX-2.3" -> "2.3" when that version is supported, else None."""
    if isinstance(value, str) and value.startswith("SPDX-") and value[5:] in SPDX_SPEC_VERSIONS:
        return value[5:]
    return None


def unsupported_version_message(value: Any) -> str:
    return f"spdxVersion {value!r} is not supported; supported SPDX versions: " + ", ".join(
        f"SPDX-{v}" for v in SPDX_SPEC_VERSIONS
    )


def read_spdx_json(document: dict[str, Any], *, max_errors: int, log: IssueLog) -> Extracted:
    if "spdxVersion" not in document:
        raise reject(IssueCode.UNSUPPORTED_SPEC_VERSION, SPDX3_REFUSAL, "/@context")
    spec = spdx_spec_version(document["spdxVersion"])
    if spec is None:
        raise reject(
            IssueCode.UNSUPPORTED_SPEC_VERSION,
            unsupported_version_message(document["spdxVersion"]),
            "/spdxVersion",
        )
    errors = validate_spdx_json(document, spec, max_errors)
    if errors:
        raise SbomRejected(errors)
    return read_spdx_records(
        document, spec, log, _as_is, raw_package_count=len(document.get("packages") or ())
    )


def _as_is(pointer: str) -> str:
    return pointer
