"""Reading OSV dumps record by record (procurement/screening/osv_dump.py)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import orjson
import pytest

from procurement.errors import InputError
from procurement.screening import osv_dump
from procurement.screening.osv_dump import DumpEntry, check_dump, header, is_newer, read_dump
from tests.support.osv_dumps import generator, record, write_zip


def summary(entries: list[DumpEntry]) -> list[tuple[str, str | None, str | None]]:
    return [(e.source, (e.record or {}).get("id"), e.error) for e in entries]


def test_a_zip_is_read_member_by_member_with_bad_members_reported(tmp_path: Path) -> None:
    # given a zip like OSV's all.zip with a directory entry, a non-JSON file and a broken record
    path = write_zip(
        tmp_path / "npm.zip",
        {
            "GHSA-35jh-r3h4-6jhm.json": record("GHSA-35jh-r3h4-6jhm"),
            "notes.txt": b"hi",
            "broken.json": b"[1",
            "list.json": b"[1, 2]",
        },
    )
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("sub/", b"")
    # when it is read
    entries = list(read_dump(path, "npm-all.zip"))
    # then each member is one entry, named inside the archive, in archive order
    assert summary(entries) == [
        ("npm-all.zip:GHSA-35jh-r3h4-6jhm.json", "GHSA-35jh-r3h4-6jhm", None),
        ("npm-all.zip:notes.txt", None, "not a .json file: an OSV dump holds only records"),
        ("npm-all.zip:broken.json", None, "not valid JSON: unexpected end of data: line 1 column 3 (char 2)"),
        ("npm-all.zip:list.json", None, "an OSV record must be a JSON object, got list"),
    ]  # fmt: skip


def test_an_oversized_member_is_refused_without_inflating_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a limit of 100 bytes and a record of about 700 bytes
    monkeypatch.setattr(osv_dump, "MAX_RECORD_BYTES", 100)
    path = write_zip(tmp_path / "a.zip", {"big.json": record("GHSA-35jh-r3h4-6jhm")})
    # then it is reported, not read
    assert summary(list(read_dump(path))) == [(f"{path}:big.json", None, "larger than 100 bytes")]


def test_a_directory_is_walked_in_name_order_with_its_zips_and_json_files(tmp_path: Path) -> None:
    # given a directory with a JSON array file, a zip in a sub-directory and an unrelated file
    (tmp_path / "b.json").write_bytes(orjson.dumps({"vulns": [record("GO-2021-0113"), "oops"]}))
    (tmp_path / "z").mkdir()
    write_zip(tmp_path / "z" / "a.zip", {"X.json": record("DSA-5532-1")})
    (tmp_path / "notes.md").write_text("ignored")
    # when it is read
    entries = list(read_dump(tmp_path, "dump"))
    # then
    assert summary(entries) == [
        ("dump/b.json[0]", "GO-2021-0113", None),
        ("dump/b.json[1]", None, "an OSV record must be a JSON object, got str"),
        ("dump/z/a.zip:X.json", "DSA-5532-1", None),
    ]


def test_files_that_are_not_dumps_are_refused_before_anything_is_read(tmp_path: Path) -> None:
    (tmp_path / "empty.zip").write_bytes(b"")
    (tmp_path / "fake.zip").write_bytes(b"PK\x03\x04 not really a zip")
    (tmp_path / "text.json").write_bytes(b"hello")
    cases = {
        tmp_path / "missing.zip": f"{tmp_path / 'missing.zip'}: no such file or directory",
        tmp_path / "empty.zip": f"{tmp_path / 'empty.zip'}: the file is empty",
        tmp_path / "fake.zip": f"{tmp_path / 'fake.zip'}: not a readable zip file: "
        "File is not a zip file",
    }
    for path, message in cases.items():
        with pytest.raises(InputError) as refused:
            check_dump(path)
        assert [e.message for e in refused.value.errors] == [message]
    with pytest.raises(InputError) as not_json:
        list(read_dump(tmp_path / "text.json", "text.json"))
    assert not_json.value.errors[0].message.startswith(
        "text.json: neither a zip file nor valid JSON"
    )


def test_header_and_modified_order() -> None:
    assert header({"id": "A", "modified": "2024-01-01T00:00:00Z"}) == ("A", "2024-01-01T00:00:00Z")
    assert header({"id": " ", "modified": 5}) == (None, None)
    # times are compared as times, whatever their spelling
    assert is_newer("2024-01-01T00:00:01Z", "2024-01-01T00:00:00Z") is True
    assert is_newer("2024-01-01T08:00:00+08:00", "2024-01-01T00:00:00Z") is False
    assert is_newer("2023-12-31T00:00:00Z", "2024-01-01T00:00:00.000Z") is False
    assert is_newer("2024-01-01T00:00:00Z", None) is True
    # text that is not a time with a zone counts as newer only when it differs
    assert (is_newer("yesterday", "today"), is_newer("today", "today")) == (True, False)


def test_generated_dump_records_are_valid_osv_and_deterministic(tmp_path: Path) -> None:
    from procurement.screening import parse_osv

    gen = generator()
    path = tmp_path / "gen.zip"
    assert gen.write_zip(path, gen.records(300, seed=7)) == 300
    entries = list(read_dump(path))
    parsed = [parse_osv(e.record) for e in entries if e.record is not None]
    assert len(parsed) == 300
    assert gen.generate_record(5, seed=7) == entries[5].record
    ecosystems = {p.affected[0].ecosystem.split(":")[0] for p in parsed}
    assert ecosystems == {"npm", "Maven", "PyPI", "Go", "Debian", "Bitnami"}
    # some withdrawn, and the Bitnami ones (no ecosystem mapping, no purl) unmatchable
    assert sum(bool(p.withdrawn) for p in parsed) == 8
    assert sum(not any(a.identity for a in p.affected) for p in parsed) == 14


def test_json_that_cannot_hold_records_is_refused_from_its_first_bytes(tmp_path: Path) -> None:
    # given text, a bare number, and JSON opening with an object or array after white space
    (tmp_path / "text.json").write_bytes(b"hello")
    (tmp_path / "number.json").write_bytes(b"42")
    (tmp_path / "array.json").write_bytes(b" \n\t[" + b"{]" * 10)  # broken later: the job's
    (tmp_path / "object.json").write_bytes(b'{"id": "GO-1"}')
    # when each is checked before an upload is stored
    refused = {}
    for name in ("text.json", "number.json"):
        with pytest.raises(InputError) as error:
            check_dump(tmp_path / name, name)
        refused[name] = error.value.errors[0].message
    # then the first two are refused with what is wrong, the others pass the cheap look
    assert refused == {
        "text.json": "text.json: neither a zip file nor valid JSON: "
        "unexpected character, expected a JSON value: line 1 column 1 (char 0)",
        "number.json": "number.json: neither a zip file nor valid JSON: "
        'expected an OSV record, an array of them or {"vulns": [...]}',
    }
    check_dump(tmp_path / "array.json")
    check_dump(tmp_path / "object.json")


def test_a_zips_record_count_comes_from_its_directory(tmp_path: Path) -> None:
    members: dict[str, dict[str, object] | bytes] = {"a.json": b"{}", "b/c.json": b"[1"}
    path = write_zip(tmp_path / "npm.zip", members)  # broken members count: read later
    (tmp_path / "one.json").write_bytes(orjson.dumps(record("GO-2021-0113")))
    assert (osv_dump.record_count(path), osv_dump.record_count(tmp_path / "one.json")) == (2, None)
