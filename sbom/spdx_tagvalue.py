"""SPDX tag-value (2.2, 2.3): convert line by line to the SPDX JSON shape, then validate and read
it as SPDX JSON, so both formats meet the same official schema and the same mapping.

Every value remembers its line, so schema errors and warnings point at ``line N``. spdx-tools'
tag-value parser is the reference in the tests but not used here: it rebuilds its licence index
for every licence expression (about 0.2 s each: 265 s for 1,000 packages) and refuses real tools'
output (sbom4python's ``LicenseListVersion: 3.28.0``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from sbom.errors import IssueCode, SbomIssue, SbomRejected, reject
from sbom.extracted import Extracted
from sbom.issuelog import IssueLog
from sbom.spdx_json import spdx_spec_version, unsupported_version_message
from sbom.spdx_records import read_spdx_records
from sbom.spdx_schemas import validate_spdx_json
from sbom.spdx_tags import (
    ANNOTATION_TAGS,
    OPENERS,
    RELATIONSHIP_TAGS,
    REVIEW_TAGS,
    SECTION_OF_ARRAY,
    SECTION_TAGS,
    Kind,
    Section,
    tag_for,
)

Json = dict[str, Any]
Path = tuple[str | int, ...]

_TAG = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_TEXT_BLOCKS = re.compile(r"<text>.*?</text>", re.DOTALL)
_PACKAGE_NAME = re.compile(r"^[ \t]*PackageName[ \t]*:", re.MULTILINE)
_VERIFICATION_CODE = re.compile(r"(\S+)\s*(?:\(\s*excludes:\s*(.*?)\s*\))?")
_EXTERNAL_DOCUMENT_REF = re.compile(r"(\S+)\s+(\S+)\s+(\S+?)\s*:\s*(\S+)")
_REQUIRED = re.compile(r'"(\w+)" is a required property')
_UNEXPECTED = re.compile(r"Additional properties are not allowed \('(\w+)'")
_RANGE = re.compile(r"(\d+):(\d+)")


def read_spdx_tagvalue(data: bytes, *, max_errors: int, log: IssueLog) -> Extracted:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise reject(
            IssueCode.UNSUPPORTED_ENCODING, "the document is not valid UTF-8", f"line {line}"
        ) from None
    converted = TagValueDocument(text, max_errors)
    document = converted.document
    spec = spdx_spec_version(document.get("spdxVersion"))
    if spec is None:
        raise reject(
            IssueCode.UNSUPPORTED_SPEC_VERSION,
            unsupported_version_message(document.get("spdxVersion")),
            converted.locate_path(("spdxVersion",)),
        )
    errors = validate_spdx_json(document, spec, max_errors, describe=converted.describe)
    if errors:
        raise SbomRejected(errors)
    return read_spdx_records(
        document, spec, log, converted.locate, raw_package_count=count_packages(text)
    )


def count_packages(text: str) -> int:
    """Packages counted from the raw text (``PackageName`` lines outside ``<text>`` blocks),
    separately from the conversion, to cross-check it."""
    return len(_PACKAGE_NAME.findall(_TEXT_BLOCKS.sub("", text)))


class TagValueDocument:
    """One tag-value text as SPDX JSON (``document``) plus the line of every value in it.

    Raises :class:`~sbom.SbomRejected` (``INVALID_TAG_VALUE``, located) for lines that are not
    tag-value, unknown tags, tags outside their section, and unreadable structured values.
    """

    def __init__(self, text: str, max_errors: int) -> None:
        self.document: Json = {}
        self._lines: dict[Path, int] = {(): 1}
        self._errors: list[SbomIssue] = []
        self._max_errors = max_errors
        self._section: Section = "document"
        self._element: Json = self.document
        self._element_path: Path = ()
        self._annotations: list[tuple[Json, str | None, int]] = []
        # A file that follows a package belongs to it (spec 5.2.2): JSON says so in "hasFiles".
        self._owned_files: list[tuple[Json, Json, Path, int]] = []
        for line, tag, value in self._tokens(text):
            self._take(line, tag, value)
            if len(self._errors) >= max_errors:
                break
        if self._errors:
            raise SbomRejected(self._errors[:max_errors])
        self._place_annotations()
        self._fill_range_references()
        for file, owner, owner_path, line in self._owned_files:
            if isinstance(file.get("SPDXID"), str):
                self._append(owner, owner_path, ("hasFiles",), file["SPDXID"], line)

    def locate_path(self, path: Path | list[str | int]) -> str:
        """``line N`` of the value at ``path``, or of the nearest enclosing one."""
        key = tuple(path)
        while key not in self._lines:
            key = key[:-1]
        return f"line {self._lines[key]}"

    def locate(self, pointer: str) -> str:
        parts = pointer.split("/")[1:]
        return self.locate_path(tuple(int(p) if p.isdigit() else p for p in parts))

    def describe(self, message: str, path: list[str | int]) -> tuple[str, str]:
        """A schema error in tag-value terms: the tag beside the JSON property, and its line."""
        section = SECTION_OF_ARRAY.get(str(path[0]), "document") if path else "document"
        required = _REQUIRED.fullmatch(message)
        unexpected = _UNEXPECTED.match(message)
        if required:
            tag = tag_for(section, required.group(1))
            return (f"{tag} is required ({message})" if tag else message), self.locate_path(path)
        if unexpected:
            tag = tag_for(section, unexpected.group(1))
            location = self.locate_path([*path, unexpected.group(1)])
            return (f"{tag} is not allowed here ({message})" if tag else message), location
        return message, self.locate_path(path)

    # -- lexing ---------------------------------------------------------------------------------

    def _tokens(self, text: str) -> Iterator[tuple[int, str, str]]:
        lines = text.split("\n")
        number = 0
        while number < len(lines):
            raw = lines[number].rstrip("\r")
            number += 1
            stripped = raw.strip()
            if not stripped or stripped.startswith("#"):
                continue
            tag, colon, value = stripped.partition(":")
            tag, value = tag.strip(), value.strip()
            if not colon or not _TAG.fullmatch(tag):
                self._error(number, f"expected 'Tag: value', found {_quote(stripped)}")
                continue
            start = number
            if value.startswith("<text>"):
                value = value[len("<text>") :]
                parts = []
                while "</text>" not in value:
                    parts.append(value)
                    if number >= len(lines):
                        self._error(start, f"{tag}: <text> is never closed with </text>")
                        return
                    value = lines[number].rstrip("\r")
                    number += 1
                parts.append(value[: value.index("</text>")])
                value = "\n".join(parts)
            yield start, tag, value

    # -- conversion -----------------------------------------------------------------------------

    def _take(self, line: int, tag: str, value: str) -> None:
        if tag in OPENERS:
            section, array, key = OPENERS[tag]
            items = self.document.setdefault(array, [])
            self._section, self._element = section, {key: value}
            self._element_path = (array, len(items))
            items.append(self._element)
            self._lines[self._element_path] = self._lines[(*self._element_path, key)] = line
            packages = self.document.get("packages")
            if section == "file" and packages:
                owner = ("packages", len(packages) - 1)
                self._owned_files.append((self._element, packages[-1], owner, line))
        elif tag == "SPDXID":
            self._set(self._element, self._element_path, ("SPDXID",), value, line, tag)
        elif tag in RELATIONSHIP_TAGS:
            self._relationship(line, tag, value)
        elif tag in ANNOTATION_TAGS or tag in REVIEW_TAGS:
            self._annotation_or_review(line, tag, value)
        elif tag in SECTION_TAGS["document"]:
            path, kind = SECTION_TAGS["document"][tag]
            self._value(self.document, (), path, kind, line, tag, value)
        elif tag in SECTION_TAGS[self._section]:
            path, kind = SECTION_TAGS[self._section][tag]
            if tag == "PrimaryPackagePurpose":  # OPERATING-SYSTEM in tag-value, _ in JSON
                value = value.replace("-", "_")
            self._value(self._element, self._element_path, path, kind, line, tag, value)
        elif any(tag in tags for tags in SECTION_TAGS.values()):
            self._error(line, f"{tag} is not allowed in the {self._section} section")
        else:
            self._error(line, f"unknown tag {_quote(tag)}")

    def _value(
        self,
        element: Json,
        base: Path,
        path: tuple[str, ...],
        kind: Kind,
        line: int,
        tag: str,
        value: str,
    ) -> None:
        if kind == "str":
            self._set(element, base, path, value, line, tag)
        elif kind == "list":
            self._append(element, base, path, value, line)
        elif kind == "bool":
            if value.lower() not in ("true", "false"):
                self._error(line, f"{tag} must be true or false, not {_quote(value)}")
            else:
                self._set(element, base, path, value.lower() == "true", line, tag)
        elif kind == "checksum":
            algorithm, colon, checksum = value.partition(":")
            if not colon or not checksum.strip():
                self._error(line, f"{tag} must read 'ALGORITHM: value', not {_quote(value)}")
            else:
                entry = {"algorithm": algorithm.strip(), "checksumValue": checksum.strip()}
                self._append(element, base, path, entry, line)
        elif kind == "external_ref":
            parts = value.split(None, 2)
            if len(parts) != 3:
                self._error(line, f"{tag} must read 'CATEGORY TYPE LOCATOR', not {_quote(value)}")
            else:
                keys = ("referenceCategory", "referenceType", "referenceLocator")
                self._append(element, base, path, dict(zip(keys, parts, strict=True)), line)
        elif kind == "external_ref_comment":
            self._comment_last(element.get("externalRefs"), line, tag, value)
        elif kind == "verification_code":
            self._verification_code(element, base, line, tag, value)
        elif kind == "external_document_ref":
            match = _EXTERNAL_DOCUMENT_REF.fullmatch(value)
            if match is None:
                self._error(line, f"{tag} must read 'DocumentRef-id URI ALGORITHM: value'")
            else:
                ref_id, uri, algorithm, checksum = match.groups()
                reference: Json = {
                    "externalDocumentId": ref_id,
                    "spdxDocument": uri,
                    "checksum": {"algorithm": algorithm, "checksumValue": checksum},
                }
                self._append(element, base, path, reference, line)
        elif kind in ("range_offset", "range_line"):
            self._range(element, base, kind, line, tag, value)
        else:  # artifact: ArtifactOfProjectName opens one, the others complete it
            array, key = path
            artifacts = element.setdefault(array, [])
            if key == "name" or not artifacts:
                artifacts.append({})
                self._lines[(*base, array, len(artifacts) - 1)] = line
            artifacts[-1][key] = value

    def _set(
        self, element: Json, base: Path, path: tuple[str, ...], value: Any, line: int, tag: str
    ) -> None:
        target = element
        for key in path[:-1]:
            target = target.setdefault(key, {})
            self._lines.setdefault((*base, key), line)
        full = (*base, *path)
        if path[-1] in target:
            self._error(line, f"{tag} is given twice (first on line {self._lines[full]})")
            return
        target[path[-1]] = value
        self._lines[full] = line

    def _append(
        self, element: Json, base: Path, path: tuple[str, ...], value: Any, line: int
    ) -> None:
        target = element
        for key in path[:-1]:
            target = target.setdefault(key, {})
            self._lines.setdefault((*base, key), line)
        items = target.setdefault(path[-1], [])
        self._lines.setdefault((*base, *path), line)
        self._lines[(*base, *path, len(items))] = line
        items.append(value)

    def _comment_last(self, items: list[Json] | None, line: int, tag: str, value: str) -> None:
        if not items:
            self._error(line, f"{tag} must follow the entry it comments on")
        else:
            items[-1]["comment"] = value

    def _verification_code(
        self, element: Json, base: Path, line: int, tag: str, value: str
    ) -> None:
        match = _VERIFICATION_CODE.fullmatch(value)
        if match is None:
            self._error(line, f"{tag} must read 'value (excludes: file, ...)'")
            return
        code: Json = {"packageVerificationCodeValue": match.group(1)}
        if match.group(2):
            code["packageVerificationCodeExcludedFiles"] = [
                name.strip() for name in match.group(2).split(",") if name.strip()
            ]
        self._set(element, base, ("packageVerificationCode",), code, line, tag)

    def _range(self, element: Json, base: Path, kind: str, line: int, tag: str, value: str) -> None:
        match = _RANGE.fullmatch(value.replace(" ", ""))
        if match is None:
            self._error(line, f"{tag} must read 'start:end', not {_quote(value)}")
            return
        unit = "offset" if kind == "range_offset" else "lineNumber"
        # The file is named by SnippetFromFileSPDXID, which may come later: filled in on use.
        start, end = ({unit: int(n), "reference": ""} for n in match.groups())
        self._append(element, base, ("ranges",), {"startPointer": start, "endPointer": end}, line)

    def _fill_range_references(self) -> None:
        for snippet in self.document.get("snippets") or ():
            for pointer_pair in snippet.get("ranges") or ():
                for pointer in pointer_pair.values():
                    pointer["reference"] = snippet.get("snippetFromFile", "")

    def _relationship(self, line: int, tag: str, value: str) -> None:
        relationships = self.document.setdefault("relationships", [])
        if tag == "RelationshipComment":
            self._comment_last(relationships, line, tag, value)
            return
        parts = value.split()
        if len(parts) != 3:
            self._error(line, f"Relationship must read 'ELEMENT TYPE ELEMENT', not {_quote(value)}")
            return
        self._lines[("relationships", len(relationships))] = line
        relationships.append(
            {
                "spdxElementId": parts[0],
                "relationshipType": parts[1],
                "relatedSpdxElement": parts[2],
            }
        )

    def _annotation_or_review(self, line: int, tag: str, value: str) -> None:
        if tag in ("Annotator", "Reviewer"):
            entry: Json = {}
            if tag == "Annotator":
                self._annotations.append((entry, None, line))
            else:
                reviews = self.document.setdefault("revieweds", [])
                self._lines[("revieweds", len(reviews))] = line
                reviews.append(entry)
        target = self._annotations if tag in ANNOTATION_TAGS else self.document.get("revieweds")
        if not target:
            self._error(line, f"{tag} must follow an Annotator or Reviewer line")
        elif tag == "SPDXREF":
            entry, _, first = self._annotations[-1]
            self._annotations[-1] = (entry, value, first)
        elif tag in ANNOTATION_TAGS:
            self._annotations[-1][0][ANNOTATION_TAGS[tag]] = value
        else:
            self.document["revieweds"][-1][REVIEW_TAGS[tag]] = value

    def _place_annotations(self) -> None:
        """JSON keeps an annotation inside the element it is about (the document's at the top)."""
        by_id: dict[str, tuple[Json, Path]] = {}
        for array in ("packages", "files", "snippets"):
            for index, element in enumerate(self.document.get(array) or ()):
                if isinstance(element.get("SPDXID"), str):
                    by_id[element["SPDXID"]] = (element, (array, index))
        for entry, ref, line in self._annotations:
            element, base = by_id.get(ref or "", (self.document, ()))
            self._append(element, base, ("annotations",), entry, line)

    def _error(self, line: int, message: str) -> None:
        self._errors.append(SbomIssue(IssueCode.INVALID_TAG_VALUE, message, f"line {line}"))


def _quote(value: str) -> str:
    return repr(value if len(value) <= 80 else value[:80] + "…")
