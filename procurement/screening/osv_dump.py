"""Reading OSV dumps record by record: a zip (OSV's ``<ecosystem>/all.zip``, one JSON file per
record), a directory of them (``.json`` and ``.zip`` files, recursively, in name order), or one
JSON file holding a record, an array of records or an OSV API ``{"vulns": [...]}`` answer.

A zip is read member by member, so the archive is never in memory at once; each member is small
(a record is a few KB) and bounded by :data:`MAX_RECORD_BYTES` whatever its header claims. A
problem with one record becomes an :class:`DumpEntry` carrying the error, so that one bad record
does not stop the others; a file that is neither a zip nor JSON raises :class:`InputError`.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson

from procurement.errors import ErrorCode, InputError
from procurement.screening.messages import said
from procurement.texts import Text

# The largest OSV records (Linux kernel, Debian) are a few hundred KB; 16 MiB leaves room and
# stops a zip bomb member from being inflated in memory.
MAX_RECORD_BYTES = 16 * 1024 * 1024
_ZIP_MAGIC = b"PK\x03\x04"
_EMPTY_ZIP_MAGIC = b"PK\x05\x06"
MAX_JSON_BYTES = MAX_RECORD_BYTES * 16  # a larger dump should be a zip, read record by record


@dataclass(frozen=True, slots=True)
class DumpEntry:
    """One record of a dump, or the reason it could not be read. ``source`` names it for the
    report: ``npm-all.zip:GHSA-xxxx.json``, ``dir/GHSA-xxxx.json`` or ``vulns.json[3]``."""

    source: str
    record: Mapping[str, Any] | None
    error: str | None = None


def read_dump(path: Path, label: str | None = None) -> Iterator[DumpEntry]:
    """The records of the dump at ``path`` (zip, JSON file or directory); ``label`` replaces
    the path in ``source`` (an uploaded temporary file has a meaningless name)."""
    name = label or str(path)
    if path.is_dir():
        for child in sorted(path.rglob("*")):
            if child.is_file() and child.suffix.lower() in (".json", ".zip"):
                yield from read_dump(child, f"{name}/{child.relative_to(path).as_posix()}")
        return
    if not path.is_file():
        raise _refused("missing", name, ErrorCode.NOT_FOUND)
    with path.open("rb") as file:
        head = file.read(4)
    if head in (_ZIP_MAGIC, _EMPTY_ZIP_MAGIC):
        yield from _read_zip(path, name)
    else:
        yield from _read_json_file(path, name)


def check_dump(path: Path, label: str | None = None) -> None:
    """Raise :class:`InputError` unless ``path`` is a directory, a readable zip or another file
    (read as JSON later): a cheap look before an import starts storing anything."""
    name = label or str(path)
    if path.is_dir():
        return
    if not path.is_file():
        raise _refused("missing", name, ErrorCode.NOT_FOUND)
    with path.open("rb") as file:
        head = file.read(4)
    if head in (_ZIP_MAGIC, _EMPTY_ZIP_MAGIC):
        try:
            zipfile.ZipFile(path).close()  # reads the central directory only
        except (zipfile.BadZipFile, OSError) as exc:
            raise _refused("bad_zip", name, detail=str(exc)) from None
    elif not head:
        raise _refused("empty", name, ErrorCode.REQUIRED)
    else:
        _check_json_start(path, name)


_JSON_SPACE = b" \t\r\n"


def _check_json_start(path: Path, name: str) -> None:
    """Refuse a file that cannot be the JSON of a dump from its first bytes (and its size),
    without parsing it: JSON holding records starts with ``{`` or ``[``."""
    if path.stat().st_size > MAX_JSON_BYTES:
        raise _refused("json_too_large", name, ErrorCode.TOO_LARGE)
    with path.open("rb") as file:
        head = file.read(64 * 1024).lstrip(_JSON_SPACE)
    if head and head[:1] not in (b"{", b"["):
        try:
            orjson.loads(head[:1])  # the parser's own words for a wrong first character
            raise _refused("wrong_start", name)
        except orjson.JSONDecodeError as exc:
            raise _refused("not_zip_or_json", name, detail=str(exc)) from None


def is_zip(head: bytes) -> bool:
    """Whether a file starting with these (at least 4) bytes is a zip."""
    return head[:4] in (_ZIP_MAGIC, _EMPTY_ZIP_MAGIC)


def record_count(path: Path) -> int | None:
    """How many records a zip dump holds, from its central directory (cheap); None for JSON
    and directories, whose count is known only once read."""
    if not path.is_file():
        return None
    with path.open("rb") as file:
        if file.read(4) not in (_ZIP_MAGIC, _EMPTY_ZIP_MAGIC):
            return None
    with zipfile.ZipFile(path) as archive:
        return sum(
            1
            for info in archive.infolist()
            if not info.is_dir() and not info.filename.startswith("__MACOSX/")
        )


def _read_zip(path: Path, name: str) -> Iterator[DumpEntry]:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise _refused("bad_zip", name, detail=str(exc)) from None
    with archive:
        for info in archive.infolist():
            source = f"{name}:{info.filename}"
            if info.is_dir() or info.filename.startswith("__MACOSX/"):
                continue
            if not info.filename.lower().endswith(".json"):
                yield DumpEntry(source, None, "not a .json file: an OSV dump holds only records")
                continue
            if info.file_size > MAX_RECORD_BYTES:
                yield DumpEntry(source, None, f"larger than {MAX_RECORD_BYTES} bytes")
                continue
            try:
                with archive.open(info) as member:
                    raw = member.read(MAX_RECORD_BYTES + 1)
            except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError) as exc:
                yield DumpEntry(source, None, f"cannot be read from the zip: {exc}")
                continue
            if len(raw) > MAX_RECORD_BYTES:
                yield DumpEntry(source, None, f"larger than {MAX_RECORD_BYTES} bytes")
                continue
            yield _decoded(source, raw)


def _decoded(source: str, raw: bytes) -> DumpEntry:
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        return DumpEntry(source, None, f"not valid JSON: {exc}")
    if not isinstance(value, dict):
        return DumpEntry(
            source, None, f"an OSV record must be a JSON object, got {type(value).__name__}"
        )
    return DumpEntry(source, value)


def _read_json_file(path: Path, name: str) -> Iterator[DumpEntry]:
    if path.stat().st_size > MAX_JSON_BYTES:
        raise _refused("json_too_large", name, ErrorCode.TOO_LARGE)
    try:
        value = orjson.loads(path.read_bytes())
    except orjson.JSONDecodeError as exc:
        raise _refused("not_zip_or_json", name, detail=str(exc)) from None
    if isinstance(value, dict) and "vulns" not in value:
        yield DumpEntry(name, value)
        return
    items = value.get("vulns") if isinstance(value, dict) else value
    if not isinstance(items, list):
        raise _refused("not_records", name)
    for i, item in enumerate(items):
        source = f"{name}[{i}]"
        if isinstance(item, dict):
            yield DumpEntry(source, item)
        else:
            yield DumpEntry(
                source, None, f"an OSV record must be a JSON object, got {type(item).__name__}"
            )


def header(record: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """The record's ``id`` and ``modified`` when both are non-empty strings (else None): all the
    import needs to decide that a record is unchanged without parsing it further."""
    osv_id, modified = record.get("id"), record.get("modified")
    return (
        osv_id if isinstance(osv_id, str) and osv_id.strip() else None,
        modified if isinstance(modified, str) and modified.strip() else None,
    )


def is_newer(incoming: str, stored: str | None) -> bool:
    """Whether a record modified at ``incoming`` replaces one stored as modified at ``stored``.

    RFC 3339 times are compared as times, so an older dump imported after a newer one does not
    roll records back; text that does not parse is compared for equality only.
    """
    if stored is None:
        return True
    try:
        return _instant(incoming) > _instant(stored)
    except ValueError:
        return incoming != stored


def _instant(text: str) -> datetime:
    value = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    if value.tzinfo is None:
        raise ValueError(f"{text!r} has no time zone")
    return value


def _refused(key: str, name: str, code: ErrorCode = ErrorCode.INVALID, **params: str) -> InputError:
    """A refusal of the whole dump, naming the file ("name: ..."), as a message id."""
    return InputError([said(None, Text(f"screening.dump.{key}", {"name": name, **params}), code)])
