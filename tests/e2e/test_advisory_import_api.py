"""OSV dumps over HTTP (``POST /api/advisories/import``) and from the command line."""

from __future__ import annotations

from pathlib import Path

import httpx
import orjson

from procurement.settings import load_settings
from procurement.web.app import create_app
from tests.support.cli import cli
from tests.support.databases import DatabaseUnderTest
from tests.support.osv_dumps import dump_of, record
from tests.support.reviews import Component, SbomSpec, insert_sbom, screenings_of
from tests.support.world import World, row_counts

URL = "/api/advisories/import"


def bearer(world: World, role: str) -> dict[str, str]:
    return {"authorization": f"Bearer {world.secrets[role]}"}


async def test_an_admin_uploads_a_zip_and_gets_the_report(
    db: DatabaseUnderTest, world: World, client: httpx.AsyncClient, tmp_path: Path
) -> None:
    # given purchase A whose SBOM has lodash 4.17.20, and a dump with the lodash advisory
    async with db.sessions() as session:
        await insert_sbom(
            session,
            world.purchase_a_cn,
            SbomSpec(components=[Component("lodash", "npm", "4.17.20")]),
        )
        await session.commit()
    zipped = dump_of(
        tmp_path / "all.zip",
        record("GHSA-35jh-r3h4-6jhm"),
        record("GO-2021-0113"),
        extra={"bad.json": b"{"},
    ).read_bytes()
    # when the admin uploads it
    response = await client.post(
        URL + "?name=npm-all.zip",
        content=zipped,
        headers=bearer(world, "admin") | {"content-type": "application/zip"},
    )
    # then the report says what happened, record by record where one failed
    assert response.status_code == 200, response.text
    assert response.json() == {
        "sources": ["npm-all.zip"],
        "read": 3,
        "added": 2,
        "updated": 0,
        "skipped": 0,
        "withdrawn": 0,
        "unmatchable": 0,
        "invalidCount": 1,
        "invalid": [
            {
                "source": "npm-all.zip:bad.json",
                "error": "not valid JSON: unexpected end of data: line 1 column 2 (char 1)",
            }
        ],
        "rematch": {"advisories": 2, "components": 1, "purchases": 1},
        "rescreen": {"screened": 1, "changed": 1, "verdictsChanged": 1, "casesOpened": 0},
    }
    async with db.sessions() as session:
        assert (await screenings_of(session, world.purchase_a_cn))[-1].trigger == (
            "advisories.imported"
        )
    # when a single JSON record is uploaded again: skipped
    single = await client.post(
        URL,
        content=orjson.dumps(record("GO-2021-0113")),
        headers=bearer(world, "admin") | {"content-type": "application/json"},
    )
    assert single.status_code == 200
    assert (single.json()["sources"], single.json()["skipped"]) == (["upload"], 1)


async def test_refusals_change_nothing(
    db: DatabaseUnderTest, world: World, client: httpx.AsyncClient, tmp_path: Path
) -> None:
    zipped = dump_of(tmp_path / "all.zip", record("GHSA-35jh-r3h4-6jhm")).read_bytes()
    async with db.sessions() as session:
        before = await row_counts(session)
    # no token, a role that may not manage screening, an empty body, a body that is no dump
    no_token = await client.post(URL, content=zipped)
    reviewer = await client.post(URL, content=zipped, headers=bearer(world, "reviewer"))
    empty = await client.post(URL, content=b"", headers=bearer(world, "admin"))
    junk = await client.post(
        URL + "?name=osv.zip", content=b"PK\x03\x04garbage", headers=bearer(world, "admin")
    )
    text = await client.post(URL, content=b"hello", headers=bearer(world, "admin"))
    assert (no_token.status_code, reviewer.status_code, empty.status_code) == (401, 403, 400)
    assert reviewer.json() == {
        "error": "role 'reviewer' may not change screening rules, advisories or restriction lists"
    }
    assert empty.json() == {"error": "the request body is empty: send the zip or JSON file"}
    assert (junk.status_code, text.status_code) == (422, 422)
    assert junk.json() == {
        "error": "the upload is not an OSV dump; nothing was stored",
        "errors": [
            {
                "field": None,
                "message": "osv.zip: not a readable zip file: File is not a zip file",
                "code": "INVALID",
            }
        ],
    }
    assert text.json()["errors"][0]["message"].startswith(
        "upload: neither a zip file nor valid JSON"
    )
    # and over the upload limit: 413, before anything is imported
    settings = load_settings(
        {"PROCUREMENT_DATABASE_URL": db.url, "PROCUREMENT_MAX_UPLOAD_BYTES": "1024"}
    )
    app = create_app(settings, engine=db.engine)
    big = dump_of(
        tmp_path / "big.zip", *(record("GO-2021-0113", id=f"GO-{i}") for i in range(20))
    ).read_bytes()
    assert len(big) > 1024
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        too_large = await c.post(URL, content=big, headers=bearer(world, "admin"))
    assert too_large.status_code == 413
    assert too_large.json()["error"].startswith("the upload is larger than the limit of 1024 bytes")
    async with db.sessions() as session:
        assert await row_counts(session) == before


def test_the_cli_imports_a_zip_and_a_directory(tmp_path: Path) -> None:
    # given a fresh database, a zip and a directory holding the same record unzipped
    database = tmp_path / "procurement.db"
    zipped = dump_of(tmp_path / "all.zip", record("GHSA-35jh-r3h4-6jhm"), record("DSA-5532-1"))
    folder = tmp_path / "unzipped"
    folder.mkdir()
    (folder / "DSA-5532-1.json").write_bytes(orjson.dumps(record("DSA-5532-1")))
    # when both are imported
    result = cli(database, "advisories", "import", str(zipped), str(folder))
    # then the zip's records are added and the directory's copy is skipped
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "Read 3 records: 2 added, 0 updated, 1 skipped (unchanged), 0 invalid; "
        "of the added and updated, 0 withdrawn and 0 unmatchable.",
        "Re-matched 0 stored components against 2 changed advisories: 0 purchases affected, "
        "0 rescreened, 0 with a new result, 0 verdicts changed, 0 review cases opened.",
    ]
    # and a missing path is an error that names it
    missing = cli(database, "advisories", "import", str(tmp_path / "nope.zip"))
    assert (missing.returncode, missing.stderr) == (
        1,
        f"error: (input): {tmp_path / 'nope.zip'}: no such file or directory\n",
    )
