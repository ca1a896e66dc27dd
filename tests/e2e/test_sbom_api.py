"""SBOMs over HTTP: the vendor pipeline PUT, the GraphQL multipart upload, and the read API."""

from __future__ import annotations

import asyncio
import gzip
import json
import time

import httpx
import orjson

from procurement.settings import load_settings
from procurement.web.app import create_app
from schema.core.ids import to_global_id
from tests.support.databases import DatabaseUnderTest
from tests.support.sbom_docs import COMMONS, LOG4J_FIXED, LOG4J_OLD, NETTY, firmware_sbom, generated
from tests.support.world import World, gql, row_counts


def bearer(world: World, role: str) -> dict[str, str]:
    return {"authorization": f"Bearer {world.secrets[role]}"}


def put_url(purchase_id: int) -> str:
    return f"/api/purchases/{to_global_id('Purchase', purchase_id)}/sbom"


async def test_vendor_pipeline_put_stores_and_answers_json(
    client: httpx.AsyncClient, world: World
) -> None:
    # given the vendor's CI with its token and a firmware SBOM
    document = firmware_sbom([LOG4J_OLD, COMMONS, NETTY])
    # when it PUTs the raw document, twice
    r1 = await client.put(
        put_url(world.purchase_a_cn), content=document, headers=bearer(world, "vendor")
    )
    r2 = await client.put(
        put_url(world.purchase_a_cn), content=document, headers=bearer(world, "vendor")
    )
    # then the first stores version 1, the second finds it already stored
    assert r1.status_code == 201
    body = r1.json()
    assert body["id"] == to_global_id("Sbom", 1)
    assert (body["name"], body["version"], body["created"], body["componentCount"]) == (
        "cn.huaxin/router-firmware",
        1,
        True,
        3,
    )
    assert (body["format"], body["specVersion"], body["warnings"]) == ("json", "1.6", [])
    # 2 of 3 have a supplier; all have name, version, purl and sit in the graph; author+timestamp
    assert body["quality"]["coverage"] == {
        "supplier": 0.6667,
        "componentName": 1.0,
        "version": 1.0,
        "uniqueIdentifier": 1.0,
        "dependencies": 1.0,
        "author": 1.0,
        "timestamp": 1.0,
    }
    assert body["quality"]["score"] == 95.2
    assert (r2.status_code, r2.json()["created"], r2.json()["id"]) == (200, False, body["id"])


async def test_gzip_and_xml_uploads(client: httpx.AsyncClient, world: World) -> None:
    document = firmware_sbom([COMMONS])
    r = await client.put(
        put_url(world.purchase_a_cn),
        content=gzip.compress(document),
        headers={**bearer(world, "procurement"), "content-encoding": "gzip"},
    )
    assert (r.status_code, r.json()["componentCount"]) == (201, 1)
    xml = b"""<?xml version="1.0" encoding="UTF-8"?>
<bom xmlns="http://cyclonedx.org/schema/bom/1.5" version="1">
  <components>
    <component type="library"><name>zlib</name><version>1.3</version>
      <purl>pkg:generic/zlib@1.3</purl></component>
  </components>
</bom>"""
    r = await client.put(put_url(world.purchase_a_cn), content=xml, headers=bearer(world, "admin"))
    assert r.status_code == 201
    assert (r.json()["format"], r.json()["specVersion"], r.json()["componentCount"]) == (
        "xml",
        "1.5",
        1,
    )


async def test_invalid_upload_gets_422_with_locations_and_stores_nothing(
    client: httpx.AsyncClient, world: World, db: DatabaseUnderTest
) -> None:
    document = orjson.loads(firmware_sbom([COMMONS]))
    document["components"][0]["type"] = "gadget"
    async with db.sessions() as session:
        before = await row_counts(session)
    r = await client.put(
        put_url(world.purchase_a_cn),
        content=orjson.dumps(document),
        headers=bearer(world, "vendor"),
    )
    assert r.status_code == 422
    assert r.json()["error"] == "the SBOM was not accepted; nothing was stored"
    assert r.json()["errors"][0]["code"] == "SCHEMA_INVALID"
    assert r.json()["errors"][0]["location"] == "/components/0/type"
    async with db.sessions() as session:
        after = await row_counts(session)
    # the refusal is audited and told to the purchase's subscribers (an outbox row)
    assert after == before | {
        "audit_events": before["audit_events"] + 1,
        "notification_events": before["notification_events"] + 1,
    }


async def test_hostile_xml_is_refused(client: httpx.AsyncClient, world: World) -> None:
    xxe = b"""<?xml version="1.0"?>
<!DOCTYPE bom [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<bom xmlns="http://cyclonedx.org/schema/bom/1.5" version="1"><components>
<component type="library"><name>&x;</name></component></components></bom>"""
    r = await client.put(put_url(world.purchase_a_cn), content=xxe, headers=bearer(world, "admin"))
    assert r.status_code == 422
    assert r.json()["errors"][0]["code"] == "FORBIDDEN_XML"
    assert "root:" not in r.text


async def test_upload_limit_gives_413(db: DatabaseUnderTest, world: World) -> None:
    settings = load_settings(
        {"PROCUREMENT_DATABASE_URL": db.url, "PROCUREMENT_MAX_UPLOAD_BYTES": "2048"}
    )
    app = create_app(settings, engine=db.engine)
    big = generated(40)
    bomb = gzip.compress(b" " * 100_000 + firmware_sbom([COMMONS]))  # small on the wire
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        r1 = await c.put(put_url(world.purchase_a_cn), content=big, headers=bearer(world, "admin"))
        r2 = await c.put(
            put_url(world.purchase_a_cn),
            content=bomb,
            headers={**bearer(world, "admin"), "content-encoding": "gzip"},
        )
    assert r1.status_code == 413
    assert r1.json() == {"error": "the request body is larger than the limit of 2048 bytes"}
    assert len(bomb) < 2048
    assert r2.status_code == 413
    assert r2.json()["errors"][0]["code"] == "TOO_LARGE"


async def test_put_refusals(client: httpx.AsyncClient, world: World) -> None:
    document = firmware_sbom([COMMONS])
    no_token = await client.put(put_url(world.purchase_a_cn), content=document)
    other_vendor = await client.put(
        put_url(world.purchase_a_us), content=document, headers=bearer(world, "vendor")
    )
    legal = await client.put(
        put_url(world.purchase_a_cn), content=document, headers=bearer(world, "legal")
    )
    garbage_id = await client.put(
        "/api/purchases/nope/sbom", content=document, headers=bearer(world, "admin")
    )
    assert no_token.status_code == 401
    assert (other_vendor.status_code, other_vendor.json()) == (
        404,
        {"error": f"purchase {world.purchase_a_us} not found"},
    )
    assert legal.status_code == 403
    assert garbage_id.status_code == 404


UPLOAD = """mutation U($purchaseId: ID!, $file: Upload!) {
  uploadSbom(purchaseId: $purchaseId, file: $file) {
    sbom { id name number isCurrent componentCount quality { score } purchase { title } }
    created warnings { code } errors { field message code } } }"""


async def multipart_upload(
    client: httpx.AsyncClient, world: World, role: str, document: bytes, purchase_id: int
) -> httpx.Response:
    operations = {
        "query": UPLOAD,
        "variables": {"purchaseId": to_global_id("Purchase", purchase_id), "file": None},
    }
    return await client.post(
        "/graphql",
        data={"operations": json.dumps(operations), "map": json.dumps({"0": ["variables.file"]})},
        files={"0": ("bom.json", document, "application/json")},
        headers=bearer(world, role),
    )


async def test_graphql_multipart_upload(client: httpx.AsyncClient, world: World) -> None:
    r = await multipart_upload(
        client, world, "vendor", firmware_sbom([LOG4J_OLD]), world.purchase_a_cn
    )
    assert r.status_code == 200
    assert r.json() == {
        "data": {
            "uploadSbom": {
                "sbom": {
                    "id": to_global_id("Sbom", 1),
                    "name": "cn.huaxin/router-firmware",
                    "number": 1,
                    "isCurrent": True,
                    "componentCount": 1,
                    "quality": {"score": 100.0},
                    "purchase": {"title": "Core routers"},
                },
                "created": True,
                "warnings": [],
                "errors": [],
            }
        }
    }
    bad = await multipart_upload(
        client, world, "vendor", b'{"bomFormat": "CycloneDX"}', world.purchase_a_cn
    )
    payload = bad.json()["data"]["uploadSbom"]
    assert payload["sbom"] is None
    assert payload["errors"][0]["code"] == "INVALID"
    assert payload["errors"][0]["message"].startswith("UNSUPPORTED_SPEC_VERSION: specVersion None")


async def test_malformed_multipart_requests_get_400(
    client: httpx.AsyncClient, world: World
) -> None:
    r = await client.post(
        "/graphql",
        data={"operations": "{", "map": "{}"},
        files={"0": ("a", b"x")},
        headers=bearer(world, "admin"),
    )
    assert (r.status_code, r.json()) == (
        400,
        {"errors": [{"message": "the 'operations' field is not valid JSON"}]},
    )
    ops = json.dumps({"query": UPLOAD, "variables": {"purchaseId": "x", "file": None}})
    r = await client.post(
        "/graphql",
        data={"operations": ops, "map": json.dumps({"1": ["variables.file"]})},
        files={"0": ("a", b"x")},
        headers=bearer(world, "admin"),
    )
    assert (r.status_code, r.json()) == (
        400,
        {"errors": [{"message": "'map' names file '1', which was not sent"}]},
    )


READ = """query S($id: ID!, $after: String) { sbom(id: $id) {
  name number format specVersion componentCount
  quality { score coverage { supplier version author timestamp } }
  components(first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor }
    edges { node { name version purl purlIdentity supplier licenses { spdxId } } } }
  dependencies(first: 10) { totalCount edges { node { ref dependsOn } } }
  vulnerabilities(first: 10) { totalCount edges { node { id analysisState } } }
} }"""


async def test_reading_an_sbom_page_by_page(client: httpx.AsyncClient, world: World) -> None:
    vex = [
        {
            "id": "CVE-2021-44228",
            "source": {"name": "NVD"},
            "affects": [{"ref": LOG4J_OLD["bom-ref"]}],
            "analysis": {"state": "exploitable"},
        }
    ]
    await client.put(
        put_url(world.purchase_a_cn),
        headers=bearer(world, "vendor"),
        content=firmware_sbom([LOG4J_OLD, COMMONS, NETTY], vulnerabilities=vex),
    )
    sbom_id = to_global_id("Sbom", 1)
    status, first = await gql(client, world.secrets["reviewer"], READ, {"id": sbom_id})
    assert status == 200, first
    sbom = first["data"]["sbom"]
    assert (sbom["name"], sbom["number"], sbom["format"], sbom["specVersion"]) == (
        "cn.huaxin/router-firmware",
        1,
        "json",
        "1.6",
    )
    assert sbom["components"]["totalCount"] == 3
    assert [e["node"]["name"] for e in sbom["components"]["edges"]] == ["log4j-core", "commons-io"]
    assert sbom["components"]["edges"][0]["node"]["purl"] == (
        "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar"
    )
    assert sbom["components"]["edges"][0]["node"]["purlIdentity"] == (
        "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"
    )
    assert sbom["dependencies"]["totalCount"] == 4
    assert sbom["vulnerabilities"]["edges"] == [
        {"node": {"id": "CVE-2021-44228", "analysisState": "exploitable"}}
    ]
    _s, second = await gql(
        client,
        world.secrets["reviewer"],
        READ,
        {"id": sbom_id, "after": sbom["components"]["pageInfo"]["endCursor"]},
    )
    page = second["data"]["sbom"]["components"]
    assert [e["node"]["name"] for e in page["edges"]] == ["netty-handler"]
    assert page["pageInfo"]["hasNextPage"] is False
    # another operator's staff cannot see it
    _s, hidden = await gql(client, world.secrets["procurement_b"], READ, {"id": sbom_id})
    assert hidden == {"data": {"sbom": None}}


USAGES = """query U($purl: String!, $range: String) {
  componentUsages(purl: $purl, versionRange: $range) { totalCount purchaseCount
    pageInfo { hasNextPage hasPreviousPage endCursor }
    edges { cursor node { version purchase { title } sbom { name number } } } } }"""


async def test_component_usages_and_diff_over_graphql(
    client: httpx.AsyncClient, world: World
) -> None:
    await client.put(
        put_url(world.purchase_a_cn),
        headers=bearer(world, "admin"),
        content=firmware_sbom([LOG4J_OLD, COMMONS]),
    )
    await client.put(
        put_url(world.purchase_a_cn),
        headers=bearer(world, "admin"),
        content=firmware_sbom([LOG4J_FIXED, COMMONS], product_version="1.1"),
    )
    await client.put(
        put_url(world.purchase_a_us),
        headers=bearer(world, "admin"),
        content=firmware_sbom([LOG4J_OLD]),
    )
    purl = "pkg:maven/org.apache.logging.log4j/log4j-core"
    _s, body = await gql(
        client,
        world.secrets["reviewer"],
        USAGES,
        {"purl": purl, "range": "vers:maven/>=2.0.0|<2.17.1"},
    )
    usages = body["data"]["componentUsages"]
    assert (usages["totalCount"], usages["purchaseCount"]) == (1, 1)
    # paged like every other connection (it had no pageInfo)
    assert usages["pageInfo"] == {
        "hasNextPage": False, "hasPreviousPage": False, "endCursor": usages["edges"][0]["cursor"]
    }  # fmt: skip
    assert usages["edges"][0]["node"] == {
        "version": "2.14.1",
        "purchase": {"title": "Storage array"},
        "sbom": {"name": "cn.huaxin/router-firmware", "number": 1},
    }
    _s, bad = await gql(
        client, world.secrets["reviewer"], USAGES, {"purl": purl, "range": "vers:npm/>=1|"}
    )
    assert bad["errors"][0]["extensions"]["errors"][0]["field"] == "versionRange"
    diff = """query D($a: ID!, $b: ID!) { sbomDiff(fromId: $a, toId: $b) {
      added { name } removed { name } versionChanged { old { version } new { version } } unchangedCount } }"""
    _s, body = await gql(
        client,
        world.secrets["reviewer"],
        diff,
        {"a": to_global_id("Sbom", 1), "b": to_global_id("Sbom", 2)},
    )
    assert body == {
        "data": {
            "sbomDiff": {
                "added": [],
                "removed": [],
                "versionChanged": [{"old": {"version": "2.14.1"}, "new": {"version": "2.17.1"}}],
                "unchangedCount": 1,
            }
        }
    }


async def test_event_loop_keeps_serving_during_a_large_ingest(
    client: httpx.AsyncClient, world: World
) -> None:
    # given a 30,000-component document (seconds of CPU work to validate and read)
    document = generated(30_000, seed=11)
    upload = asyncio.create_task(
        client.put(put_url(world.purchase_a_cn), content=document, headers=bearer(world, "admin"))
    )
    # when health probes are sent while it is being ingested
    answered_during_ingest = 0
    slowest = 0.0
    while not upload.done():
        started = time.perf_counter()
        probe = await client.get("/healthz")
        slowest = max(slowest, time.perf_counter() - started)
        assert probe.status_code == 200
        if not upload.done():
            answered_during_ingest += 1
        await asyncio.sleep(0.02)
    # then the probes were answered while the upload was still running, and it succeeded
    assert (await upload).status_code == 201
    assert answered_during_ingest >= 5, (answered_during_ingest, slowest)


SCREENING = """query P($id: ID!) { purchase(id: $id) { screening { verdict findings { rule severity evidence } } } }"""


async def test_an_uploaded_sbom_with_an_exploitable_vulnerability_is_screened(
    client: httpx.AsyncClient, world: World
) -> None:
    # given a firmware SBOM whose VEX says log4j 2.14.1 is exploitable (critical)
    vex = [
        {
            "id": "CVE-2021-44228",
            "source": {"name": "NVD"},
            "ratings": [{"severity": "critical", "score": 10.0, "method": "CVSSv31"}],
            "affects": [{"ref": LOG4J_OLD["bom-ref"]}],
            "analysis": {"state": "exploitable"},
        }
    ]
    document = firmware_sbom([LOG4J_OLD, COMMONS], vulnerabilities=vex)
    # when the vendor uploads it
    r = await client.put(
        put_url(world.purchase_a_cn), content=document, headers=bearer(world, "vendor")
    )
    assert r.status_code == 201
    # then the purchase is screened again and a reviewer sees the vulnerability finding
    _s, body = await gql(
        client,
        world.secrets["reviewer"],
        SCREENING,
        {"id": to_global_id("Purchase", world.purchase_a_cn)},
    )
    findings = body["data"]["purchase"]["screening"]["findings"]
    vulnerable = [f for f in findings if f["rule"] == "KNOWN_VULNERABILITIES"]
    assert len(vulnerable) == 1
    assert vulnerable[0]["severity"] == "CRITICAL"
    assert "CVE-2021-44228" in str(vulnerable[0]["evidence"])
    assert body["data"]["purchase"]["screening"]["verdict"] == "YES"


async def test_a_nul_in_a_component_name_is_refused_on_both_databases(
    client: httpx.AsyncClient, world: World, db: DatabaseUnderTest
) -> None:
    # given a vendor's SBOM whose component name carries U+0000 (PostgreSQL cannot store it)
    document = orjson.loads(firmware_sbom([COMMONS]))
    document["components"][0]["name"] = "commons\u0000text"
    async with db.sessions() as session:
        before = await row_counts(session)
    body = orjson.dumps(document)  # one line: the column is the escape's offset + 1
    column = body.index(b"\\u0000") + 1
    # when it is uploaded
    r = await client.put(
        put_url(world.purchase_a_cn), content=body, headers=bearer(world, "vendor")
    )
    # then it is a 422 naming the character and its place; only the refusal is recorded
    assert r.status_code == 422
    assert [(e["code"], e["location"]) for e in r.json()["errors"]] == [
        ("INVALID_CHARACTER", f"line 1, column {column}")
    ]
    async with db.sessions() as session:
        assert await row_counts(session) == before | {
            "audit_events": before["audit_events"] + 1,
            "notification_events": before["notification_events"] + 1,
        }
