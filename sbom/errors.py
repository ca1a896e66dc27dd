"""Issues found while reading an SBOM, and the exception that rejects a document.

Errors and warnings share one shape so callers can store and display them alike: a stable
``code`` to switch on, a human ``message``, and a ``location`` (a JSON Pointer such as
``/components/3/purl`` for JSON, ``line 42`` for XML and SPDX tag-value, ``None`` for the document
as a whole).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class IssueCode(StrEnum):
    """Stable machine-readable codes; clients switch on these, so never rename one."""

    # Rejections: the document is not accepted.
    EMPTY = "EMPTY"
    TOO_LARGE = "TOO_LARGE"
    UNSUPPORTED_ENCODING = "UNSUPPORTED_ENCODING"
    DECOMPRESSION_FAILED = "DECOMPRESSION_FAILED"
    UNKNOWN_FORMAT = "UNKNOWN_FORMAT"
    INVALID_JSON = "INVALID_JSON"
    INVALID_XML = "INVALID_XML"
    INVALID_TAG_VALUE = "INVALID_TAG_VALUE"  # SPDX tag-value that cannot be read line by line
    FORBIDDEN_XML = "FORBIDDEN_XML"
    NOT_CYCLONEDX = "NOT_CYCLONEDX"  # (kept for clients) neither CycloneDX nor SPDX
    UNSUPPORTED_SPEC_VERSION = "UNSUPPORTED_SPEC_VERSION"
    SCHEMA_INVALID = "SCHEMA_INVALID"
    INVALID_CHARACTER = "INVALID_CHARACTER"  # U+0000, which no database text column holds
    TOO_MANY_COMPONENTS = "TOO_MANY_COMPONENTS"  # more than the configured limit
    DUPLICATE_KEY = "DUPLICATE_KEY"  # one JSON object has a key twice: readers disagree on it
    # Warnings: the document is accepted, one value in it is doubtful.
    INVALID_PURL = "INVALID_PURL"
    INVALID_FORMAT = "INVALID_FORMAT"  # a schema "format" (URL, e-mail, date-time) not met
    INVALID_TIMESTAMP = "INVALID_TIMESTAMP"
    TIMESTAMP_WITHOUT_TIMEZONE = "TIMESTAMP_WITHOUT_TIMEZONE"
    DUPLICATE_BOM_REF = "DUPLICATE_BOM_REF"  # also a repeated SPDXID
    UNKNOWN_REFERENCE = "UNKNOWN_REFERENCE"  # an SPDX relationship names an undefined element
    WARNINGS_TRUNCATED = "WARNINGS_TRUNCATED"


@dataclass(frozen=True, slots=True)
class SbomIssue:
    """One problem in one place of the document."""

    code: IssueCode
    message: str
    location: str | None = None
    # ``message`` as a key of sbom/messages.py and its parameters, for callers that say it in
    # another language; None where only the English exists (a schema validator's words).
    key: str | None = field(default=None, compare=False)
    params: tuple[tuple[str, str | int], ...] = field(default=(), compare=False)

    def as_dict(self) -> dict[str, str | None]:
        """The plain shape stored with a version and sent to clients (JSON, GraphQL)."""
        return {"code": str(self.code), "message": self.message, "location": self.location}


class SbomRejected(Exception):
    """The document was not accepted; ``errors`` holds the first problems found (never empty)."""

    def __init__(self, errors: list[SbomIssue]) -> None:
        if not errors:
            raise ValueError("SbomRejected needs at least one SbomIssue")
        self.errors = errors
        super().__init__("; ".join(_describe(e) for e in errors[:3]))


def _describe(issue: SbomIssue) -> str:
    where = f" at {issue.location}" if issue.location is not None else ""
    return f"{issue.code}{where}: {issue.message}"


def reject(code: IssueCode, message: str, location: str | None = None) -> SbomRejected:
    """Shorthand for the common single-issue rejection: ``raise reject(...)``."""
    return SbomRejected([SbomIssue(code, message, location)])
