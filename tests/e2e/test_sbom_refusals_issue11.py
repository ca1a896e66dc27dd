"""Two refusals of issue 11, through every way in (PUT, GraphQL multipart, the CLI): an SBOM with a
key written twice in one object (it was stored with the second value only, silently), and one with
more components than PROCUREMENT_MAX_SBOM_COMPONENTS (it was parsed whole before anything refused
it). Nothing is stored; the refusal is audited and told to subscribers, as every refusal is."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from procurement.settings import load_settings
from procurement.web.app import create_app
from schema.core.ids import to_global_id
from tests.support.cli import cli
from tests.support.databases import DatabaseUnderTest
from tests.support.sbom_docs import COMMONS, LOG4J_OLD, NETTY, firmware_sbom
from tests.support.world import World, row_counts

DUPLICATE = (
    "the key {} appears more than once in one object; JSON readers disagree on which value "
    "counts (this service would keep the last, others the first), so the document is "
    "ambiguous: remove all but one"
)
TOO_MANY = (
    "the document has 3 components, more than the limit of 2 (PROCUREMENT_MAX_SBOM_COMPONENTS): "
    "split it into several SBOMs, or ask an administrator to raise the limit"
)
UPLOAD = """mutation U($purchaseId: ID!, $file: Upload!) {
  uploadSbom(purchaseId: $purchaseId, file: $file) { sbom { id } errors { field message code } } }"""


def _components_twice() -> bytes:
    """A firmware SBOM whose "components" key is written a second time, with another list."""
    first = firmware_sbom([COMMONS])
    return first.replace(b'"components":[', b'"components":[],"components":[', 1)


def _version_twice_in_the_third_component() -> bytes:
    document = firmware_sbom([COMMONS, NETTY, LOG4J_OLD])
    version = json.dumps(LOG4J_OLD["version"]).encode()
    twice = b'"version":' + version + b',"version":"2.17.1"'
    position = document.index(b'"name":"log4j-core"')
    return document[:position] + document[position:].replace(b'"version":' + version, twice, 1)


def _put_url(purchase_id: int) -> str:
    return f"/api/purchases/{to_global_id('Purchase', purchase_id)}/sbom"


def _refusal_rows(before: dict[str, int]) -> dict[str, int]:
    return before | {
        "audit_events": before["audit_events"] + 1,
        "notification_events": before["notification_events"] + 1,
    }


async def test_put_refuses_a_key_written_twice_at_its_pointer(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    async with db.sessions() as session:
        before = await row_counts(session)
    # when the vendor PUTs an SBOM with "components" twice
    r = await client.put(
        _put_url(world.purchase_a_cn),
        content=_components_twice(),
        headers={"authorization": f"Bearer {world.secrets['vendor']}"},
    )
    # then it is a 422 naming the key and where it is, and only the refusal is recorded
    assert r.status_code == 422
    assert r.json()["errors"] == [
        {
            "code": "DUPLICATE_KEY",
            "message": DUPLICATE.format('"components"'),
            "location": "/components",
        }
    ]
    async with db.sessions() as session:
        assert await row_counts(session) == _refusal_rows(before)


async def test_multipart_upload_refuses_a_key_written_twice_in_a_component(
    client: httpx.AsyncClient, db: DatabaseUnderTest, world: World
) -> None:
    async with db.sessions() as session:
        before = await row_counts(session)
    operations = {
        "query": UPLOAD,
        "variables": {"purchaseId": to_global_id("Purchase", world.purchase_a_cn), "file": None},
    }
    r = await client.post(
        "/graphql",
        data={"operations": json.dumps(operations), "map": json.dumps({"0": ["variables.file"]})},
        files={"0": ("bom.json", _version_twice_in_the_third_component(), "application/json")},
        headers={"authorization": f"Bearer {world.secrets['vendor']}"},
    )
    assert r.status_code == 200
    assert r.json()["data"]["uploadSbom"] == {
        "sbom": None,
        "errors": [
            {
                "field": "file/components/2/version",
                "message": "DUPLICATE_KEY: " + DUPLICATE.format('"version"'),
                "code": "INVALID",
            }
        ],
    }
    async with db.sessions() as session:
        assert await row_counts(session) == _refusal_rows(before)


async def test_cli_ingest_refuses_a_key_written_twice(
    db: DatabaseUnderTest, world: World, tmp_path: Path
) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(_components_twice())
    result = cli(db.url, "sbom", "ingest", str(path), "--purchase", str(world.purchase_a_cn))
    assert result.returncode == 1
    assert result.stderr.startswith(
        "error: file/components: DUPLICATE_KEY: " + DUPLICATE.format('"components"')
    )


async def test_put_over_the_component_limit_is_refused_with_the_limit_and_setting(
    db: DatabaseUnderTest, world: World
) -> None:
    # given a server configured for at most 2 components per SBOM
    settings = load_settings(
        {"PROCUREMENT_DATABASE_URL": db.url, "PROCUREMENT_MAX_SBOM_COMPONENTS": "2"}
    )
    app = create_app(settings, engine=db.engine)
    async with db.sessions() as session:
        before = await row_counts(session)
    # when a vendor PUTs an SBOM of 3 components, and then one of 2
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        headers = {"authorization": f"Bearer {world.secrets['vendor']}"}
        url = _put_url(world.purchase_a_cn)
        over = await c.put(url, content=firmware_sbom([COMMONS, NETTY, LOG4J_OLD]), headers=headers)
        async with db.sessions() as session:
            after_refusal = await row_counts(session)
        within = await c.put(url, content=firmware_sbom([COMMONS, NETTY]), headers=headers)
    # then the first is a 413 saying how many, the limit and the setting; nothing was stored
    assert (over.status_code, over.json()["errors"]) == (
        413,
        [{"code": "TOO_MANY_COMPONENTS", "message": TOO_MANY, "location": None}],
    )
    assert after_refusal == _refusal_rows(before)
    # and the second, at the limit, is stored
    assert (within.status_code, within.json()["componentCount"]) == (201, 2)


async def test_cli_ingest_over_the_component_limit_is_refused(
    db: DatabaseUnderTest, world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PROCUREMENT_MAX_SBOM_COMPONENTS", "2")
    path = tmp_path / "bom.json"
    path.write_bytes(firmware_sbom([COMMONS, NETTY, LOG4J_OLD]))
    result = cli(db.url, "sbom", "ingest", str(path), "--purchase", str(world.purchase_a_cn))
    assert result.returncode == 1
    assert result.stderr.startswith("error: file: TOO_MANY_COMPONENTS: " + TOO_MANY)
