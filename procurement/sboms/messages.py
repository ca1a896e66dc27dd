"""The SBOM readers' refusals as console messages (pure): the ``sbom`` package words each refusal
it can by a key of its own catalog (sbom/messages.py, which imports nothing of the project);
here the keys become message ids of the console's catalog (``sbom.<key>``)."""

from __future__ import annotations

from collections.abc import Mapping

from procurement.errors import ErrorCode, FieldError
from procurement.texts import N_, Text
from sbom.errors import IssueCode, SbomIssue
from sbom.messages import MESSAGES

# What kind of problem an issue is, for the refusals a reader words only in English (a schema
# validator's or a parser's own message): the page says the kind in its language, and the
# detail follows as the validator wrote it.
BY_CODE: Mapping[str, str] = {
    f"sbom.code.{IssueCode.SCHEMA_INVALID}": N_("does not follow the format's schema: {detail}"),
    f"sbom.code.{IssueCode.INVALID_JSON}": N_("not valid JSON: {detail}"),
    f"sbom.code.{IssueCode.INVALID_XML}": N_("not well-formed XML: {detail}"),
    f"sbom.code.{IssueCode.INVALID_TAG_VALUE}": N_("not readable SPDX tag-value: {detail}"),
    f"sbom.code.{IssueCode.FORBIDDEN_XML}": N_(
        "XML feature refused for safety (DTDs, entities): {detail}"
    ),
    f"sbom.code.{IssueCode.UNKNOWN_FORMAT}": N_("not a supported SBOM format: {detail}"),
    f"sbom.code.{IssueCode.NOT_CYCLONEDX}": N_("not a supported SBOM format: {detail}"),
    f"sbom.code.{IssueCode.UNSUPPORTED_SPEC_VERSION}": N_(
        "this version of the format is not supported: {detail}"
    ),
    f"sbom.code.{IssueCode.INVALID_PURL}": N_("not a valid package URL (purl): {detail}"),
    f"sbom.code.{IssueCode.INVALID_FORMAT}": N_(
        "a value is not in the format the schema asks for: {detail}"
    ),
    f"sbom.code.{IssueCode.INVALID_TIMESTAMP}": N_("not a valid timestamp: {detail}"),
    f"sbom.code.{IssueCode.TIMESTAMP_WITHOUT_TIMEZONE}": N_(
        "a timestamp without a time zone: {detail}"
    ),
    f"sbom.code.{IssueCode.DUPLICATE_BOM_REF}": N_("an identifier used twice: {detail}"),
    f"sbom.code.{IssueCode.UNKNOWN_REFERENCE}": N_(
        "a reference to an element the document does not define: {detail}"
    ),
}
# The refusals of this package's own use cases (upload, where-used).
ERRORS: Mapping[str, str] = {
    "sboms.error.issue": N_("{code}: {issue}"),
    "sboms.error.count_mismatch": N_(
        "read {read} components but the document has {declared}; nothing was stored"
    ),
    "sboms.error.series_race": N_(
        "other uploads to this SBOM series kept arriving at the same moment ({tries} tries); "
        "nothing was stored: send it again"
    ),
    "sboms.error.not_purl": N_("'{purl}' is not a package URL: {detail}"),
    "sboms.error.not_vers": N_("'{range}' is not a vers range: {detail}"),
    "sboms.error.range_scheme": N_("the range is for '{scheme}' but the package is '{type}'"),
}
TEMPLATES: Mapping[str, str] = {
    **{f"sbom.{key}": template for key, template in MESSAGES.items()},
    **BY_CODE,
    **ERRORS,
}


def said(field: str | None, text: Text, code: ErrorCode = ErrorCode.INVALID) -> FieldError:
    """A FieldError saying ``text`` (an id of :data:`ERRORS`), its English as the message."""
    return FieldError.said(field, text, code, TEMPLATES)


def issue_error(field: str, issue: SbomIssue, code: ErrorCode) -> FieldError:
    """A reader's refusal as the API has always worded it ("CODE: message"), with its message
    id where the console can say it in another language."""
    text = issue_text(issue)
    return FieldError(
        field,
        f"{issue.code}: {issue.message}",
        code,
        None if text is None else Text("sboms.error.issue", {"code": issue.code, "issue": text}),
    )


def issue_text(issue: SbomIssue) -> Text | None:
    """The issue as a message id and parameters: its own where the reader worded it by key,
    else its kind with the reader's English as the detail; None for a kind not listed."""
    if issue.key is not None:
        return Text(f"sbom.{issue.key}", dict(issue.params))
    by_code = f"sbom.code.{issue.code}"
    return Text(by_code, {"detail": issue.message}) if by_code in BY_CODE else None
