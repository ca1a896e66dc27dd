"""A stored SBOM downloaded over REST (``GET /api/sboms/{id}/document?format=``) and exported
with the console script (``procurement sbom export ID --format``): as uploaded, as CycloneDX 1.6
JSON or XML (checked against the official XSD), or as SPDX 2.3 JSON (checked against the official
schema and read back by spdx-tools)."""

from __future__ import annotations

from pathlib import Path

import httpx
import orjson
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.xml import XmlValidator
from spdx_tools.spdx.parser.parse_anything import parse_file

from sbom import SbomFormat, SbomStandard, parse_sbom
from sbom.schemas import json_validator
from sbom.spdx_schemas import spdx_validator
from schema.core.ids import to_global_id
from tests.support.cli import cli
from tests.support.databases import DatabaseUnderTest
from tests.support.sbom_docs import COMMONS, LOG4J_OLD, NETTY, firmware_sbom
from tests.support.spdx_docs import HAND_WRITTEN, NPM_1_0
from tests.support.world import World, gql

LIMIT = 50_000_000


def bearer(world: World, role: str) -> dict[str, str]:
    return {"authorization": f"Bearer {world.secrets[role]}"}


async def upload(client: httpx.AsyncClient, world: World, data: bytes) -> str:
    r = await client.put(
        f"/api/purchases/{to_global_id('Purchase', world.purchase_a_cn)}/sbom",
        content=data,
        headers=bearer(world, "vendor"),
    )
    assert r.status_code == 201, r.text
    sbom_id: str = r.json()["id"]
    return sbom_id


async def download(
    client: httpx.AsyncClient,
    world: World,
    sbom_id: str,
    output: str | None,
    role: str = "reviewer",
) -> httpx.Response:
    query = f"?format={output}" if output else ""
    return await client.get(f"/api/sboms/{sbom_id}/document{query}", headers=bearer(world, role))


async def test_an_spdx_upload_downloads_as_original_xml_json_and_spdx(
    client: httpx.AsyncClient, world: World, tmp_path: Path
) -> None:
    # given npm's SPDX 2.3 JSON stored (19 components and the described project)
    data = NPM_1_0.read_bytes()
    sbom_id = await upload(client, world, data)
    # when a reviewer downloads it without a format, and as xml, json and spdx
    original = await download(client, world, sbom_id, None)
    xml = await download(client, world, sbom_id, "xml")
    as_json = await download(client, world, sbom_id, "json")
    spdx = await download(client, world, sbom_id, "spdx")
    # then the default is the document byte for byte, named for its standard
    assert (original.status_code, original.content) == (200, data)
    assert original.headers["content-type"] == "application/spdx+json"
    assert original.headers["content-disposition"] == (
        "attachment; filename=\"spdx-fixture-v1.spdx.json\"; filename*=UTF-8''spdx-fixture-v1.spdx.json"
    )
    # and the XML meets the CycloneDX 1.6 XSD and holds the 19 components
    assert xml.status_code == 200
    assert xml.headers["content-type"] == "application/vnd.cyclonedx+xml; version=1.6"
    assert XmlValidator(SchemaVersion.V1_6).validate_str(xml.text) is None
    from_xml = parse_sbom(xml.content, max_bytes=LIMIT)
    assert (from_xml.format, from_xml.spec_version, len(from_xml.components)) == (
        SbomFormat.XML,
        "1.6",
        19,
    )
    assert from_xml.components[0].purl == "pkg:npm/%40babel/code-frame@7.24.7"
    # and the JSON meets the 1.6 JSON schema
    assert [
        e.message for e in json_validator("1.6").iter_errors(orjson.loads(as_json.content))
    ] == []
    assert len(orjson.loads(as_json.content)["components"]) == 19
    # and the SPDX meets the 2.3 schema and spdx-tools reads its 20 packages
    assert spdx.headers["content-type"] == "application/spdx+json"
    document = orjson.loads(spdx.content)
    assert [e.message for e in spdx_validator("2.3").iter_errors(document)] == []
    path = tmp_path / "export.spdx.json"
    path.write_bytes(spdx.content)
    assert len(parse_file(str(path)).packages) == 20
    assert document["name"] == "spdx-fixture (version 1)"
    assert document["documentNamespace"].startswith(
        "https://spdx.org/spdxdocs/procurement-review/spdx-fixture-"
    )
    # and exporting again gives the same bytes (same namespace, same creation time)
    assert (await download(client, world, sbom_id, "spdx")).content == spdx.content


async def test_graphql_gives_the_download_path(client: httpx.AsyncClient, world: World) -> None:
    # given a stored SBOM
    sbom_id = await upload(client, world, NPM_1_0.read_bytes())
    # when GraphQL is asked for its download path, and that path is fetched as SPDX
    _s, body = await gql(
        client, world.secrets["reviewer"], "query S($id: ID!) { sbom(id: $id) { downloadPath } }",
        {"id": sbom_id},
    )  # fmt: skip
    path = body["data"]["sbom"]["downloadPath"]
    r = await client.get(f"{path}?format=spdx", headers=bearer(world, "reviewer"))
    # then it is the REST download of that version
    assert path == "/api/sboms/1/document"
    assert (r.status_code, r.headers["content-type"]) == (200, "application/spdx+json")


async def test_a_cyclonedx_upload_exports_as_spdx_and_a_tag_value_one_as_itself(
    client: httpx.AsyncClient, world: World
) -> None:
    # given a CycloneDX firmware SBOM and an SPDX tag-value document stored
    cyclonedx = await upload(client, world, firmware_sbom([LOG4J_OLD, COMMONS, NETTY]))
    tag_value = await upload(client, world, HAND_WRITTEN.read_bytes())
    # when the vendor downloads the first as SPDX and the second as uploaded
    spdx = await download(client, world, cyclonedx, "spdx", role="vendor")
    original = await download(client, world, tag_value, "original", role="vendor")
    # then the SPDX holds the firmware as the described package and its 3 components
    parsed = parse_sbom(spdx.content, max_bytes=LIMIT)
    assert (parsed.standard, len(parsed.components)) == (SbomStandard.SPDX, 3)
    assert parsed.metadata.component is not None
    assert parsed.metadata.component.name == "router-firmware"
    assert [c.purl for c in parsed.components] == [
        "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar",
        "pkg:maven/commons-io/commons-io@2.11.0?type=jar",
        "pkg:maven/io.netty/netty-handler@4.1.86.Final?type=jar",
    ]
    assert original.content == HAND_WRITTEN.read_bytes()
    assert original.headers["content-type"] == "text/spdx; charset=utf-8"


async def test_download_refusals(client: httpx.AsyncClient, world: World) -> None:
    # given an SBOM of operator A's purchase
    sbom_id = await upload(client, world, NPM_1_0.read_bytes())
    # when asked for an unknown format, without a token, by operator B's staff, for a bad id
    bad_format = await download(client, world, sbom_id, "yaml")
    anonymous = await client.get(f"/api/sboms/{sbom_id}/document")
    other_operator = await download(client, world, sbom_id, "xml", role="procurement_b")
    bad_id = await download(client, world, "nope", "xml")
    missing = await download(client, world, to_global_id("Sbom", 99), "xml")
    # then each is refused with a message, and nothing is shown to whoever may not see it
    assert (bad_format.status_code, bad_format.json()) == (
        400,
        {
            "error": "format must be original (the document as uploaded, the default), json or "
            "xml (CycloneDX 1.6) or spdx (SPDX 2.3 JSON)"
        },
    )
    assert anonymous.status_code == 401
    assert (other_operator.status_code, other_operator.json()) == (
        404,
        {"error": "SBOM not found"},
    )
    assert (bad_id.status_code, missing.status_code) == (404, 404)


async def test_cli_exports_json_xml_and_spdx(
    client: httpx.AsyncClient, world: World, db: DatabaseUnderTest, tmp_path: Path
) -> None:
    # given npm's SPDX stored
    sbom_id = await upload(client, world, NPM_1_0.read_bytes())
    # when the operator exports it in each format with the console script
    outputs = {}
    for output in ("json", "xml", "spdx"):
        path = tmp_path / f"out.{output}"
        result = cli(db.url, "sbom", "export", sbom_id, "--format", output, "-o", str(path))
        assert (result.returncode, result.stderr) == (0, ""), output
        outputs[output] = path.read_bytes()
    default = cli(db.url, "sbom", "export", sbom_id)
    # then each is the same document the REST download gives
    for output, data in outputs.items():
        assert data == (await download(client, world, sbom_id, output)).content, output
    assert default.stdout.encode() == outputs["json"] + b"\n"
    assert XmlValidator(SchemaVersion.V1_6).validate_str(outputs["xml"].decode()) is None
    assert len(parse_sbom(outputs["spdx"], max_bytes=LIMIT).components) == 19
