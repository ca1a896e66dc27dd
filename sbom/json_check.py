"""Checking a JSON SBOM's structure apart from reading it, so that the two can run at once.

Reading a CycloneDX JSON document is parse, refuse duplicate keys, check the header, validate
against the schema, then read the records (see :func:`sbom.parse.parse_sbom`). Only the reading
needs the records; the checks need only the bytes. A caller with a second core (the service runs
the checks in a second process: procurement.sboms.check_process) hands :func:`parse_sbom` a
:data:`JsonChecker`; the reader then reads without validating, and trusts what it read only once
the check has said the document is valid. The answer is the same either way: the same refusal
(the check makes the same checks in the same order, and a refusal of the check wins over
anything the reading met), and the same warnings in the same order (the check's come first, as
validation comes before reading).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sbom.errors import SbomIssue, SbomRejected
from sbom.issuelog import IssueLog
from sbom.json_duplicates import refuse_duplicate_keys
from sbom.json_reader import cyclonedx_spec_version, load_json
from sbom.schemas import validate_json
from sbom.spdx_json import is_spdx_json


@dataclass(frozen=True, slots=True)
class JsonCheck:
    """What the checks found in one document."""

    refusal: tuple[SbomIssue, ...]  # why it is refused; empty when it passed
    warnings: tuple[SbomIssue, ...]  # "format" violations, in the validator's order
    # SPDX JSON is validated by its reader (sbom.spdx_json); for it only the duplicate keys are
    # checked here.
    spdx: bool


# Starts the checks of a document (its bytes, without a byte order mark) with at most
# ``max_errors`` issues in a refusal, and returns a function that waits for their answer; or
# returns None, and the reader checks the document itself first (e.g. a small one).
JsonChecker = Callable[[bytes, int], Callable[[], JsonCheck] | None]


def check_json(body: bytes, max_errors: int) -> JsonCheck:
    """The checks the reader would make before reading (pure; CPU-bound: the second process
    runs it). The cyclic collector is left as the caller set it (the process pauses it)."""
    tree: Any = None
    try:
        tree = load_json(body)
        refuse_duplicate_keys(body, tree, max_errors=max_errors)
        if is_spdx_json(tree):
            return JsonCheck((), (), spdx=True)
        spec = cyclonedx_spec_version(tree)
        warnings: list[SbomIssue] = []
        errors = validate_json(tree, spec, max_errors, warnings.append)
        return JsonCheck(tuple(errors), tuple(warnings), spdx=False)
    except SbomRejected as rejected:
        return JsonCheck(tuple(rejected.errors), (), spdx=False)
    finally:
        del tree


def read_checked(
    tree: Any,
    checked: Callable[[], JsonCheck],
    read_cyclonedx: Callable[[IssueLog], Any],
    read_spdx: Callable[[IssueLog], Any],
    log: IssueLog,
) -> Any:
    """Read ``tree`` (parsed from the checked bytes) while the checks run elsewhere; wait for
    them before anything read is trusted. ``read_cyclonedx`` reads without validating."""
    if is_spdx_json(tree):
        _raise_refusal(checked())  # the duplicate keys come first
        return read_spdx(log)
    reading = IssueLog(log.max_warnings)
    try:
        extracted = read_cyclonedx(reading)
    except Exception:
        # The tree was not validated yet: whatever went wrong, an invalid document is refused
        # for what the checks found. If they found nothing, this is a real failure: re-raised.
        _raise_refusal(checked())
        raise
    check = checked()
    _raise_refusal(check)
    log.take(check.warnings, reading)
    return extracted


def _raise_refusal(check: JsonCheck) -> None:
    if check.refusal:
        raise SbomRejected(list(check.refusal))
