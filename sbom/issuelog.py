"""Per-document state shared by the JSON and XML readers: warnings, value checks, caches."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from sbom.errors import IssueCode, SbomIssue
from sbom.models import License
from sbom.purls import PurlParts, parse_purl

_MAX_QUOTED = 200
# RFC 3339 allows a leap second (":60"); datetime does not, so it is read as ":59".
_LEAP_SECOND = re.compile(r"(T\d{2}:\d{2}):60")


class IssueLog:
    """Collects warnings (capped: a 100,000-component document with 100,000 bad purls must not
    produce 100,000 warnings) and remembers bom-refs to report duplicates."""

    def __init__(self, max_warnings: int) -> None:
        self._max = max_warnings
        self._warnings: list[SbomIssue] = []
        self._dropped = 0
        # Every bom-ref seen so far; a reader may test and add to it itself in a hot loop (and
        # call bom_ref for the warning of a repeat).
        self.bom_refs: set[str] = set()
        # Identical purls recur within a document (nested copies, one package used by many
        # modules); parsing costs 3-30 us, a dictionary hit 0.1 us.
        self._purls: dict[str, PurlParts | str] = {}
        # Licence records by (spdx_id, name, expression): shared by the readers.
        self.licenses: dict[tuple[str | None, ...], License] = {}

    def warn(self, code: IssueCode, message: str, location: str | None) -> None:
        if len(self._warnings) < self._max:
            self._warnings.append(SbomIssue(code, message, location))
        else:
            self._dropped += 1

    def warnings(self) -> tuple[SbomIssue, ...]:
        if not self._dropped:
            return tuple(self._warnings)
        notice = SbomIssue(
            IssueCode.WARNINGS_TRUNCATED, f"{self._dropped} more warnings were not listed", None
        )
        return (*self._warnings, notice)

    def purl(self, raw: str | None, location: str) -> PurlParts | None:
        """Parsed purl, or None (with a warning when a purl was given but is invalid)."""
        if raw is None:
            return None
        parsed = self._purls.get(raw)
        if parsed is None:
            parsed = self._purls[raw] = parse_purl(raw)
        if isinstance(parsed, str):
            self.invalid_purl(raw, parsed, location)
            return None
        return parsed

    def invalid_purl(self, raw: str, reason: str, location: str) -> None:
        """Warn about a purl that did not parse (``reason``: what :func:`parse_purl` said)."""
        self.warn(IssueCode.INVALID_PURL, f"invalid package URL {_quote(raw)}: {reason}", location)

    def bom_ref(self, ref: str | None, location: str) -> str | None:
        """Record a bom-ref; bom-refs must be unique in a document, so warn on a repeat."""
        if not ref:
            return None
        if ref in self.bom_refs:
            self.warn(IssueCode.DUPLICATE_BOM_REF, f"bom-ref {_quote(ref)} is used twice", location)
        else:
            self.bom_refs.add(ref)
        return ref

    def timestamp(self, raw: str | None, location: str) -> datetime | None:
        """Timezone-aware datetime; a missing zone is read as UTC (with a warning)."""
        if raw is None:
            return None
        # RFC 3339 also allows a lower-case "t" and "z", which fromisoformat does not.
        text = _LEAP_SECOND.sub(r"\1:59", raw.strip().upper())
        try:
            value = datetime.fromisoformat(text)
        except ValueError:
            self.warn(IssueCode.INVALID_TIMESTAMP, f"unreadable timestamp {_quote(raw)}", location)
            return None
        if value.tzinfo is None:
            self.warn(
                IssueCode.TIMESTAMP_WITHOUT_TIMEZONE,
                f"timestamp {_quote(raw)} has no timezone; read as UTC",
                location,
            )
            value = value.replace(tzinfo=UTC)
        return value


def _quote(value: str) -> str:
    if len(value) > _MAX_QUOTED:
        value = value[:_MAX_QUOTED] + "…"
    return repr(value)
